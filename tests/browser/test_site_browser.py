"""The demo's site in a real browser: headless Chromium (the system's, never a downloaded one).

Loads the index and a service page from ``file://``, follows links to a deployment, finds the
figures report.json has, and checks that no page logs a console error or requests anything
outside the site's folder. Screenshots at 1280x800 and 390x844 are written for a person to
look at, into ``tests/browser/screenshots/`` (ignored by git; the path is printed). Skipped,
saying why, when ``/usr/bin/chromium`` is absent (``apt-get install chromium``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support.site import demo_site

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parent / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium: apt-get install chromium")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_site(tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


class Watch:
    """A page's console errors and every request it made that leaves the site's folder."""

    def __init__(self, page: Any, site: Path) -> None:
        self.errors: list[str] = []
        self.outside: list[str] = []
        root = site.resolve().as_uri() + "/"
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: None if r.url.startswith(root) else self.outside.append(r.url))


def test_the_demo_site_in_a_browser(site: Path, browser: Any) -> None:
    doc = json.loads((site / "report.json").read_text(encoding="utf-8"))
    checkout = next(e for e in doc["entities"] if e["name"] == "checkout")
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    watch = Watch(page, site)
    page.goto((site / "index.html").resolve().as_uri())
    assert page.locator("h1").inner_text() == "Teams and services"
    page.fill("#filter", "checkout")  # the filter box (shown by the script)
    assert page.locator("tr.service:visible").count() == 1
    page.fill("#filter", "")
    page.click("text=checkout")
    assert page.url.endswith("/services/checkout.html")
    text = page.locator("main").inner_text()
    assert f"{checkout['window']['deployments']}" in text
    assert checkout["tiers"]["deployment_frequency"].lower() in text.lower()
    page.locator("table a[href*='#d-']").first.click()  # a recent deployment: its row on the rows page
    assert "/rows/services/checkout.html#d-" in page.url
    assert page.locator("h1").inner_text().startswith("checkout: the rows")
    row = page.locator("tr:target")
    assert row.count() == 1 and row.is_visible()
    row.locator("a[href^='#c-']").click()  # its changes, with their lead times
    group = page.locator("tbody:target")
    assert group.is_visible() and group.locator("tr").count() >= 2
    assert watch.errors == [] and watch.outside == []
    page.close()


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_screenshots_for_a_person(site: Path, browser: Any, width: int, height: int) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": height})
    watch = Watch(page, site)
    for name in ("index.html", "services/checkout.html", "teams/payments.html"):
        page.goto((site / name).resolve().as_uri())
        target = SCREENSHOTS / f"{name.replace('/', '-').removesuffix('.html')}-{width}x{height}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 0
    assert watch.errors == [] and watch.outside == []
    print(f"screenshots: {SCREENSHOTS}")
    page.close()


def test_pages_read_the_same_without_javascript(site: Path, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto((site / "index.html").resolve().as_uri())
    assert not page.locator(".filter").is_visible()  # the filter box needs the script: hidden without it
    assert page.locator("tr.service").count() == 7
    page.goto((site / "services" / "checkout.html").resolve().as_uri())
    assert page.locator("svg.chart").count() == 6
    assert page.locator("table.months").is_visible()  # the charts' values, as a table
    page.emulate_media(media="print")  # printed too, script or not
    assert page.locator("table.months").is_visible()
    assert page.locator("table.months tbody tr").count() == 12
    context.close()


def test_the_keyboard_reaches_the_content_first(site: Path, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto((site / "services" / "checkout.html").resolve().as_uri())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the content"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"  # focus is visible
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    page.close()
