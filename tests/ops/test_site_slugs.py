"""The site's file names: plain names kept, others made safe with a hash, never two alike."""

from __future__ import annotations

import re

from dora_tui.ops.site.slugs import slug, slugs


def test_a_plain_name_is_its_own_file_name() -> None:
    for name in ("checkout", "payment-gateway", "v1.4.2", "svc_07"):
        assert slug(name) == name


def test_other_names_keep_a_readable_part_and_a_hash() -> None:
    for name in ("Checkout API", "<script>", "con", "svc03/v1.2.3", "a--b", "x" * 61, "", ".hidden", "é", "x.html"):
        value = slug(name)
        assert re.fullmatch(r"[a-z0-9._-]+--[0-9a-f]{10}", value), (name, value)
        assert len(value) <= 72
    assert slug("Checkout API").startswith("checkout-api--")


def test_no_two_names_share_a_file_even_ignoring_case() -> None:
    names = ["api", "API", "Api", "api--x", "a-p-i", "a_p_i", "CON", "con", "checkout", "Checkout", "checkout "]
    found = slugs(names)
    assert len({value.casefold() for value in found.values()}) == len(names)
    assert found["api"] == "api" and found["checkout"] == "checkout"


def test_the_same_name_always_gets_the_same_file_name() -> None:
    assert slug("Team Ω <b>") == slug("Team Ω <b>")


def test_no_slug_is_another_name_s_page() -> None:
    names = ["x", "x.html", "x.html.html", "y.htm", "index.html"]
    found = slugs(names)
    pages = {f"{value}.html" for value in found.values()}  # services/NAME.html
    assert not pages & set(found.values())
    assert found["x"] == "x" and found["y.htm"] == "y.htm"
