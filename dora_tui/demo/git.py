"""Turn a :class:`~dora_tui.demo.story.RepoPlan` into a ``git fast-import`` stream.

Every commit is written to ``refs/heads/main`` with an explicit ``from`` (and ``merge``),
so feature branches need no ref of their own: their commits hang off the main line until
a two-parent merge commit brings them back. Tags point at the main line's head at their
time. File contents are small text files that grow one line per change (the last
:data:`KEEP` lines are kept); a merge unions the lines added on both sides.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache

from dora_tui.demo.cast import Person
from dora_tui.demo.model import LONDON, Commit, RepoPlan, Tag
from dora_tui.demo.words import COMMENT

KEEP = 10


@cache
def _london_offset(hour: int) -> str:
    delta = dt.datetime.fromtimestamp(hour * 3600, LONDON).utcoffset() or dt.timedelta(0)
    minutes = int(delta.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _offset(t: int, person: Person) -> str:
    """The author's UTC offset in git's form: London time for people, UTC for GitHub."""
    if person.email.endswith("github.com"):
        return "+0000"
    return _london_offset(t // 3600)


def _ident(person: Person, t: int) -> str:
    return f"{person.name} <{person.email}> {t} {_offset(t, person)}"


def _render(repo: str, path: str, entries: tuple[str, ...]) -> str:
    """The text of ``path`` holding ``entries`` (one line per change)."""
    if path.endswith(".json"):
        doc = {"name": repo, "private": True, "x-dora-demo-changes": list(entries)}
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if path.endswith(".md"):
        title = path.rsplit("/", 1)[-1].removesuffix(".md").replace("-", " ")
        head = f"# {title}\n\nDemo content for {repo}, written by dora-tui: one line per change.\n\n"
        return head + "".join(f"- {e}\n" for e in entries)
    ext = path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""
    mark = COMMENT.get(ext, "#")
    head = f"{mark} {path}\n{mark} Demo content for {repo}, written by dora-tui: one line per change.\n"
    return head + "".join(f"{mark} {e}\n" for e in entries)


class _Writer:
    """Builds the byte stream, numbering commits with marks."""

    def __init__(self, repo: str) -> None:
        self.repo = repo
        self.out = bytearray()
        self.mark = 0

    def data(self, text: str) -> None:
        """A ``data`` block (its length counted in bytes)."""
        raw = text.encode("utf-8")
        self.out += b"data %d\n" % len(raw) + raw

    def line(self, text: str) -> None:
        """One command line."""
        self.out += text.encode("utf-8") + b"\n"

    def commit(self, cm: Commit, parents: list[int], files: dict[str, tuple[str, ...]]) -> int:
        """A commit on ``parents`` (marks) writing ``files``; returns its mark."""
        self.mark += 1
        self.line("commit refs/heads/main")
        self.line(f"mark :{self.mark}")
        self.line(f"author {_ident(cm.author, cm.time)}")
        self.line(f"committer {_ident(cm.committer or cm.author, cm.time)}")
        self.data(cm.message if cm.message.endswith("\n") else cm.message + "\n")
        if parents:
            self.line(f"from :{parents[0]}")
        for parent in parents[1:]:
            self.line(f"merge :{parent}")
        for path, entries in files.items():
            self.line(f"M 100644 inline {path}")
            self.data(_render(self.repo, path, entries))
        self.line("")
        return self.mark

    def tag(self, tag: Tag, target: int) -> None:
        """An annotated tag, or a lightweight one (a ref), on the commit marked ``target``."""
        if tag.annotated:
            self.line(f"tag {tag.name}")
            self.line(f"from :{target}")
            self.line(f"tagger {_ident(tag.tagger, tag.time)}")
            self.data(tag.message + "\n")
        else:
            self.line(f"reset refs/tags/{tag.name}")
            self.line(f"from :{target}")
        self.line("")


class _Branch:
    """A feature branch being written: its tip, the main line's files where it forked, its files."""

    def __init__(self, tip: int, base: dict[str, tuple[str, ...]]) -> None:
        self.tip = tip
        self.base = base
        self.files: dict[str, tuple[str, ...]] = {}


def _grow(entries: tuple[str, ...], entry: str) -> tuple[str, ...]:
    return ((*entries, entry))[-KEEP:]


def fast_import_stream(plan: RepoPlan) -> bytes:
    """The whole ``git fast-import`` input for ``plan``, ending with ``done``."""
    w = _Writer(plan.name)
    main: dict[str, tuple[str, ...]] = {}
    branches: dict[int, _Branch] = {}
    head = 0
    events: list[tuple[int, int, int, Commit | Tag]] = []
    for i, cm in enumerate(plan.commits):
        events.append((cm.time, 0 if cm.kind == "initial" else 1, i, cm))
    for i, tag in enumerate(plan.tags):
        events.append((tag.time, 2, i, tag))
    events.sort(key=lambda e: e[:3])
    serial = 0
    for *_, item in events:
        if isinstance(item, Tag):
            w.tag(item, head)
            continue
        cm = item
        serial += 1
        entry = f"{serial:04d} {cm.message.split(chr(10), 1)[0]}"
        if cm.kind == "initial":
            main = dict.fromkeys(plan.files, ())
            head = w.commit(cm, [], dict(main))
        elif cm.branch:
            branch = branches.get(cm.branch)
            if branch is None:
                branch = branches[cm.branch] = _Branch(head, dict(main))
            files = branch.files
            files[cm.path] = _grow(files.get(cm.path, branch.base.get(cm.path, ())), entry)
            branch.tip = w.commit(cm, [branch.tip], {cm.path: files[cm.path]})
        elif cm.merge:
            branch = branches.pop(cm.merge)
            changed = {}
            for path, theirs in branch.files.items():
                base = set(branch.base.get(path, ()))
                ours = main.get(path, ())
                merged = ours + tuple(e for e in theirs if e not in base and e not in ours)
                main[path] = changed[path] = merged[-KEEP:]
            head = w.commit(cm, [head, branch.tip], changed)
        else:
            main[cm.path] = _grow(main.get(cm.path, ()), entry)
            head = w.commit(cm, [head], {cm.path: main[cm.path]})
    w.line(f"reset refs/heads/main\nfrom :{head}\n")
    w.line("done")
    return bytes(w.out)
