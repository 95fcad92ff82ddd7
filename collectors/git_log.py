"""``git log``'s output as the collector asks for it, and the two ways it is taken apart.

Pure: no process is run here (:mod:`collectors.git` runs git). Each commit starts with NUL
and has 6 NUL-ended fields (:data:`LOG_FORMAT`), then its changed paths when they were asked
for, so splitting the output on NUL gives an empty token, then :data:`TOKENS` tokens a
commit: 6 fields and the paths. NUL is the one byte a commit message, an author or a path
can never hold.

- :func:`parse_rows` makes compact rows (:data:`~collectors.records.CommitRow`) of whole
  groups of tokens, while git is still writing: what an incremental collect reads.
- :class:`CommitLog` keeps a whole output as git wrote it (decoded), for a repository read
  whole (a first or ``--full`` collect): it crosses from a reading process to the writer at
  the cost of one string, and each side takes the columns it needs with one split
  (:meth:`CommitLog.columns`), building no row in Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from collectors.errors import GitError
from collectors.records import CommitRow

LOG_FORMAT = "%x00" + "".join(f"{field}%x00" for field in ("%H", "%P", "%at", "%ct", "%an", "%s"))
TOKENS = 7


class PathMatcher:
    """Which configured path prefixes a changed path falls under, remembered per path."""

    def __init__(self, prefixes: Sequence[str]) -> None:
        self.wanted = set(prefixes)
        self.depths = sorted({p.count("/") + 1 for p in prefixes})
        self.memo: dict[str, tuple[str, ...]] = {}

    def __bool__(self) -> bool:
        return bool(self.wanted)

    def touches(self, body: str) -> tuple[str, ...]:
        """The prefixes touched by the paths listed one per line in ``body``."""
        found: set[str] = set()
        memo = self.memo
        for line in body.split("\n"):
            if not line:
                continue
            hit = memo.get(line)
            if hit is None:
                parts = line.split("/")
                hit = memo[line] = tuple(p for p in ("/".join(parts[:d]) for d in self.depths) if p in self.wanted)
            found.update(hit)
        return tuple(sorted(found))


def parse_rows(tokens: list[str], matcher: PathMatcher) -> list[CommitRow]:
    """The commits of whole groups of :data:`TOKENS` tokens, as compact rows."""
    fields = iter(tokens)
    groups = zip(*[fields] * TOKENS, strict=True)
    if matcher:
        touches = matcher.touches
        return [(h, p, int(a or 0), int(c or 0), n, s, "\x1f".join(touches(b))) for h, p, a, c, n, s, b in groups]
    return [(h, p, int(a or 0), int(c or 0), n, s, None) for h, p, a, c, n, s, _ in groups]


@dataclass(frozen=True)
class LogColumns:
    """The commits of a :class:`CommitLog`, column by column, in git's order (newest first):
    ``touches`` holds each commit's prefixes joined by ``\\x1f``, or is None when paths were
    not read. Times are whole seconds (an empty one is 0, as in :func:`parse_rows`)."""

    shas: list[str]
    parents: list[str]
    author_times: list[int]
    committer_times: list[int]
    authors: list[str]
    subjects: list[str]
    touches: list[str] | None


@dataclass(frozen=True)
class CommitLog:
    """A whole ``git log`` output (see the module's docstring), decoded; ``touches``: each
    commit's prefixes joined by ``\\x1f`` (worked out by the reading process, which knows the
    prefixes), or None when paths were not read."""

    text: str
    count: int
    touches: list[str] | None

    @classmethod
    def of(cls, text: str, matcher: PathMatcher, where: str) -> CommitLog:
        """The log of git's output ``text``; a :class:`~collectors.errors.GitError` naming
        ``where`` when it does not hold whole commits."""
        nuls = text.count("\0")
        if text[:1] not in ("", "\0") or nuls % TOKENS:
            raise GitError(f"{where}: git log output ended in the middle of a commit")
        if not matcher:
            return cls(text, nuls // TOKENS, None)
        bodies = text.split("\0")[TOKENS::TOKENS]
        return cls(text, len(bodies), ["\x1f".join(matcher.touches(body)) for body in bodies])

    def graph(self) -> tuple[list[str], list[str]]:
        """The commits' shas and parents (joined by spaces), in git's order: what their lineage needs."""
        tokens = self.text.split("\0")
        return tokens[1::TOKENS], tokens[2::TOKENS]

    def columns(self) -> LogColumns:
        """The commits, column by column (one split of the text)."""
        tokens = self.text.split("\0")
        return LogColumns(
            tokens[1::TOKENS],
            tokens[2::TOKENS],
            _times(tokens[3::TOKENS]),
            _times(tokens[4::TOKENS]),
            tokens[5::TOKENS],
            tokens[6::TOKENS],
            self.touches,
        )


def _times(texts: list[str]) -> list[int]:
    """Times written by git as decimal numbers; an empty one is 0."""
    try:
        return list(map(int, texts))
    except ValueError:
        return [int(text or 0) for text in texts]


def not_utf8(text: str) -> bool:
    """True when ``text``, decoded from git's output with ``surrogateescape``, held bytes that
    are not valid UTF-8 (each is a lone surrogate now)."""
    return not text.isascii() and any("\udc80" <= char <= "\udcff" for char in text)


def shown_bytes(text: str) -> str:
    """``text`` (decoded with ``surrogateescape``) with each byte that is not UTF-8 written as
    a ``\\xNN`` escape, as Python writes bytes: ``v1.1\\xe9``."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def left_out_tag(where: str, name: str) -> str:
    """What ``init`` and ``collect`` say of a tag whose name is not valid UTF-8 (``name`` as
    :func:`shown_bytes` shows it) in the repository ``where``."""
    why = "its name is not valid UTF-8 (shown with \\x escapes); rename it to count it"
    return f"{where}: the tag '{name}' is left out: {why}"
