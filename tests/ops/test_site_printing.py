"""How the site's templates print a value: inert, then HTML-escaped, the same text whichever way
Jinja2 compiles them (render.SiteEnvironment prints through render.printed, see render)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import pytest
from jinja2 import DictLoader, Environment, StrictUndefined, UndefinedError
from markupsafe import Markup, escape

from dora_tui.ops.site.render import SiteEnvironment, environment, inert_text, printed


class Name(str):
    """A str subclass, as a library might hand one over."""


HOSTILE: list[Any] = [
    "checkout",
    "<script>alert('x')</script>",
    'a "quoted" & <b>bold</b> name',
    "\u202eevil\u202c.exe",  # a right-to-left override
    "tab\there, bell\x07, escape\x1b[31m",
    "Ünïcødé — ✓",
    "",
    Name("<i>sub</i>\u202e"),
    Markup("<em>made by a template</em>"),
    42,
    3.5,
    None,
    True,
]


@pytest.mark.parametrize("value", HOSTILE, ids=repr)
def test_a_value_prints_as_escape_of_its_inert_text(value: Any) -> None:
    assert printed(value) == str(escape(inert_text(value)))


TEMPLATES = {
    "macros.html": '{% macro link(url, text) %}<a href="{{ url }}">{{ text }}</a>{% endmacro %}',
    "page.html": (
        '{% import "macros.html" as m %}'
        "{% set main %}<p>{{ name }}</p>{% endset %}{{ main }}"
        "<ul>{% for v in values %}<li>{{ v }} {{ v ~ '&' }} {{ v | string | upper }}</li>{% endfor %}</ul>"
        "{{ m.link(name, name) }}{{ markup }}{{ '<const>' }}"
        "{% autoescape false %}{{ markup }}{% endautoescape %}"
    ),
}


def test_a_page_prints_the_same_as_jinja2_s_own_compilation_would() -> None:
    site = environment(ZoneInfo("UTC"))
    site.loader = DictLoader(TEMPLATES)
    plain = Environment(loader=DictLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined, finalize=inert_text)
    values = {"name": HOSTILE[3], "values": HOSTILE, "markup": HOSTILE[8]}
    page = site.get_template("page.html").render(values)
    assert page == plain.get_template("page.html").render(values)
    assert "&lt;script&gt;" in page and "\u202e" not in page and "<em>made by a template</em>" in page
    assert isinstance(site, SiteEnvironment)


def test_a_misspelt_value_still_fails() -> None:
    site = environment(ZoneInfo("UTC"))
    site.loader = DictLoader({"p.html": "{{ nmae }}"})
    with pytest.raises(UndefinedError):
        site.get_template("p.html").render(name="x")
