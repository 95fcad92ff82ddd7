"""The static site's test helpers: a demo site, a workspace of hostile names, and an HTML reader.

- :func:`demo_site`: the demo workspace built, imported and collected for a fixed day, and
  its site written with ``--as-of`` that day;
- :func:`hostile_workspace`: a real git repository and config whose service, team, tag and
  commit texts hold markup, ``<script>``, quotes, right-to-left overrides and very long names;
- :class:`Page` / :func:`read_page`: what a page links to, its ids and its text, read with
  the standard library's ``html.parser``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from dora_tui.config import load_file
from dora_tui.demo.workspace import build_demo
from dora_tui.ops.collect import collect
from dora_tui.ops.imports import import_all
from dora_tui.ops.site import build_site
from dora_tui.store.database import Store
from support.gitbuilder import GitBuilder

DEMO_DAY = dt.date(2026, 11, 22)
"""The day the tests' demo ends (and its site's ``--as-of``)."""

STAMP = dt.datetime(2026, 11, 22, tzinfo=dt.UTC)
"""The ``generated_at`` of the tests' sites (what ``--as-of`` gives on the command line)."""


def demo_workspace(root: Path) -> Path:
    """The demo workspace in ``root``, imported and collected; returns its config."""
    config_path = build_demo(root, DEMO_DAY)
    cfg = load_file(config_path)
    store = Store.open(cfg.database)
    try:
        import_all(cfg, store)
        collect(cfg, store)
    finally:
        store.close()
    return config_path


def write_site(config_path: Path, out: Path, **kw: object) -> Path:
    """The site of the workspace ``config_path`` written into ``out`` as of :data:`DEMO_DAY`."""
    cfg = load_file(config_path)
    store = Store.open(cfg.database, readonly=True)
    try:
        build_site(cfg, store, out, as_of=DEMO_DAY, generated_at=STAMP, **kw)  # type: ignore[arg-type]
    finally:
        store.close()
    return out


def demo_site(root: Path) -> Path:
    """The demo's site (``root/site``) for :data:`DEMO_DAY`."""
    return write_site(demo_workspace(root / "demo"), root / "site")


HOSTILE_SERVICE = '<script>alert("svc")</script>'
HOSTILE_TEAM = "Team \"quoted\" & 'single' <b>bold</b>"
RTL_SERVICE = "api\u202egnp.exe"
LONG_SERVICE = "very-long-" + "x" * 300
HOSTILE_SUBJECT = "<img src=x onerror=alert(1)> fix \u202e</td></table><script>alert('c')</script>"
HOSTILE_TAG = "v1.0.0-<i>x</i>"


HOSTILE_SYSTEM = "<b>store</b> \u202esystem"
"""The hostile services' ``system``: markup and a right-to-left override."""


def hostile_workspace(root: Path) -> Path:
    """A workspace whose names and commit messages hold markup; returns its config (collected)."""
    repo = GitBuilder(root / "shop")
    repo.commit("2026-08-03T10:00:00", "initial")
    repo.tag("v0.9.0", "2026-08-03T12:00:00")
    for day, subject in ((5, HOSTILE_SUBJECT), (12, "quote \" and ' and & and <"), (20, "שלום RTL text")):
        repo.commit(f"2026-09-{day:02d}T10:00:00", subject)
        repo.tag(f"v1.0.{day}", f"2026-09-{day:02d}T15:00:00", message=HOSTILE_SUBJECT)
    repo.commit("2026-10-01T10:00:00", "more")
    repo.tag(HOSTILE_TAG, "2026-10-02T10:00:00", message="<script>alert('tag')</script>")
    services = "\n".join(
        f'[[services]]\nname = "{_toml(name)}"\nteam = "{_toml(HOSTILE_TEAM)}"\nrepo = "shop"\n'
        f'system = "{_toml(HOSTILE_SYSTEM)}"\n'
        for name in (HOSTILE_SERVICE, RTL_SERVICE, LONG_SERVICE, "API", "api")
    )
    config = root / "dora.toml"
    config.write_text(
        f'database = "dora.db"\ntimezone = "Europe/London"\n\n[[teams]]\nname = "{_toml(HOSTILE_TEAM)}"\n\n{services}',
        encoding="utf-8",
    )
    cfg = load_file(config)
    store = Store.open(cfg.database)
    try:
        collect(cfg, store)
    finally:
        store.close()
    return config


def _toml(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\u202e", "\\u202E")


@dataclass
class Page:
    """What one HTML page holds: its links (href/src), ids, text, every start tag and attribute name."""

    links: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    attributes: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.page.tags.append(tag)
        for name, value in attrs:
            self.page.attributes.append(name)
            if name in ("href", "src", "xlink:href", "action") and value is not None:
                self.page.links.append(value)
            if name == "id" and value is not None:
                self.page.ids.append(value)

    def handle_data(self, data: str) -> None:
        self.page.text.append(data)


def read_page(path: Path) -> Page:
    """The links, ids, text and tags of the HTML file at ``path``."""
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    return reader.page
