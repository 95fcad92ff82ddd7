"""The site's HTML: the Jinja2 environment and the helpers its templates call.

Autoescaping is on for every template and undefined names fail (``StrictUndefined``), so a
misspelt value is a bug that shows, never an empty cell. Every value printed by ``{{ }}``
passes :func:`inert_text` first (control and bidirectional characters shown as escapes,
:func:`dora_tui.core.inert.terminal`), then the HTML escaping: a name, commit message or
title holding markup, ``<script>``, quotes or a right-to-left override prints as its literal
text. Times are shown in the config's time zone, to the minute.

A site prints about a million values. Jinja2 writes each as ``escape(finalize(value))``, and
MarkupSafe's ``escape`` makes a ``Markup`` object of every one (a third of a page's time,
in Python). :class:`SiteEnvironment` has its templates compiled to call :func:`printed`
instead, which makes the same text without it; where MarkupSafe has no ``_escape_inner``
(its escaping without the object, since 3.0) the templates are compiled as Jinja2 compiles
them, with the same output (so too where Jinja2's code generator no longer has the methods
this overrides: :data:`_HOOKS`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import markupsafe
from jinja2 import Environment, PackageLoader, StrictUndefined
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import Expr
from markupsafe import Markup

from dora_tui.core.inert import terminal
from dora_tui.core.wording import counted, format_hours
from dora_tui.ops.site.months import outcome_words

EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def inert_text(value: Any) -> Any:
    """Every printed value: untrusted text made inert (markup the templates made is kept)."""
    if type(value) is str:  # the common case, answered without a call (hundreds of thousands a site)
        return value if value.isprintable() else terminal(value)
    if isinstance(value, str) and not isinstance(value, Markup):
        return terminal(value)
    return value


_escape_inner: Callable[[str], str] | None = getattr(markupsafe, "_escape_inner", None)


def printed(value: Any) -> str:
    """What ``{{ value }}`` prints: :func:`inert_text`, then MarkupSafe's escaping (the text
    ``escape(inert_text(value))`` has), as a plain string."""
    escaped = _escape_inner or (lambda text: str(markupsafe.escape(text)))
    if type(value) is str:
        return escaped(value if value.isprintable() else terminal(value))
    html = getattr(value, "__html__", None)  # Markup: what a template or macro made
    if html is not None:
        return str(html())
    return escaped(str(inert_text(value)))


_HOOKS = ("_output_child_pre", "_output_child_post")
"""Jinja2 3.1's code generator's methods :class:`_Printing` overrides (not public: where a later
Jinja2 has them no more, the templates are compiled as Jinja2 compiles them, the same text;
``tests/ops/test_site_printing.py`` compares the two)."""


class _Printing(CodeGenerator):
    """Jinja2's code generator, writing each autoescaped ``{{ value }}`` as
    ``environment.printed(value)`` (see the module)."""

    def _output_child_pre(self, node: Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write("environment.printed(")
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write(")")
        else:
            super()._output_child_post(node, frame, finalize)


class SiteEnvironment(Environment):
    """The site's Jinja2 environment: its templates print values through :func:`printed`
    (where MarkupSafe allows, see the module)."""

    code_generator_class = (
        _Printing
        if _escape_inner is not None and all(hasattr(CodeGenerator, hook) for hook in _HOOKS)
        else CodeGenerator
    )
    printed = staticmethod(printed)


class LocalTimes:
    """Epoch seconds as ``YYYY-MM-DD HH:MM`` in one time zone.

    The zone's offset is looked up once per half hour of UTC, at its first and last second: the
    same at both, it holds for the whole half hour (zones change at most once in one); else
    (a change inside it, as St. John's once made at 00:01 local time) each time in it is
    looked up on its own. Each day's and each minute's text is made once: a site of a hundred
    thousand rows costs no zone look-up or date arithmetic per row.
    """

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz
        self._offsets: dict[int, int | None] = {}
        self._days: dict[int, str] = {}

    def _offset(self, t: int) -> int:
        found = datetime.fromtimestamp(t, self.tz).utcoffset()
        return int(found.total_seconds()) if found else 0

    def __call__(self, t: int | None) -> str:
        """``t`` in the zone, or ``–`` for None."""
        if t is None:
            return "–"
        bucket = t // 1800
        if bucket in self._offsets:
            offset = self._offsets[bucket]
        else:
            first, last = self._offset(bucket * 1800), self._offset(bucket * 1800 + 1799)
            offset = self._offsets[bucket] = first if first == last else None
        if offset is None:
            offset = self._offset(t)
        days, minute = divmod((t + offset) // 60, 1440)
        day = self._days.get(days)
        if day is None:
            day = self._days[days] = date.fromordinal(EPOCH_ORDINAL + days).isoformat()
        return day + _CLOCK[minute]


_CLOCK = tuple(f" {h:02d}:{m:02d}" for h in range(24) for m in range(60))
"""Each minute of a day as `` HH:MM``."""


def duration(seconds: int | None) -> str:
    """A duration in seconds as ``35 min``, ``20.5 h`` or ``3.2 d`` (``–`` for None)."""
    return format_hours(seconds / 3600) if seconds is not None else "–"


def environment(tz: ZoneInfo) -> Environment:
    """The templates of :mod:`dora_tui.ops.site`, with autoescaping, strict names and the helpers."""
    env = SiteEnvironment(
        loader=PackageLoader("dora_tui.ops.site", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=inert_text,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # the package's templates do not change while a site is written: no stat per page
    )
    env.globals.update(
        when=LocalTimes(tz),
        hours=format_hours,
        outcome_words=outcome_words,
        counted=counted,
    )
    return env
