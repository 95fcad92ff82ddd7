"""What this process has written to its databases, so that Ctrl-C can say what is true.

:meth:`dora_tui.store.database.Store.atomic` records each top-level transaction here as it begins
and marks it committed the moment its ``COMMIT`` has gone through: an interrupt that lands
on the very next line is caught there and still marks it (see that method), so
:func:`interrupted` never calls stored rows unwritten, nor a rolled-back transaction stored.
A transaction left unmarked was rolled back (SQLite undoes one whose connection closes
uncommitted).

This module imports nothing: the entry point (:mod:`dora_tui.entry`) may load it while the
rest of dora-tui is still loading.
"""

from __future__ import annotations


class Outcome:
    """One top-level transaction (or one file written whole): what it writes, in words, and
    whether it was committed (the file renamed into place). ``undone`` words one that was not:
    a transaction was rolled back, a file left as it was."""

    __slots__ = ("committed", "undone", "what")

    def __init__(self, what: str, undone: str = "was rolled back") -> None:
        self.what = what
        self.undone = undone
        self.committed = False


_begun: list[Outcome] = []  # every top-level transaction of this process, in order


def begin(what: str) -> Outcome:
    """Record a top-level transaction about to begin; mark the result ``committed`` once it is."""
    outcome = Outcome(what or "a write to the database")
    _begun.append(outcome)
    return outcome


def begin_file(path: object) -> Outcome:
    """Record a file about to be written whole (:func:`dora_tui.ops.files.replace_file`); mark the
    result ``committed`` once it is in place."""
    outcome = Outcome(f"the file {path}", "was left as it was")
    _begun.append(outcome)
    return outcome


def begin_folder(what: str) -> Outcome:
    """Record a folder about to be replaced whole (``what``, in words: ``the site OUT``); mark the
    result ``committed`` once the new one is in place."""
    outcome = Outcome(what, "was left as it was")
    _begun.append(outcome)
    return outcome


def discard(outcome: Outcome) -> None:
    """Forget a transaction that turned out to write nothing (a schema another process had made)."""
    if outcome in _begun:
        _begun.remove(outcome)


def interrupted() -> str:
    """What an interrupt (Ctrl-C) leaves behind, in one line (without the ``dora-tui:``).

    Every transaction committed so far is stored in full; the last one begun, if not
    committed, was rolled back; with none begun, nothing was written.
    """
    stored = list(dict.fromkeys(o.what for o in _begun if o.committed))
    last = _begun[-1] if _begun and not _begun[-1].committed else None
    if not stored and last is None:
        return "interrupted before anything was written"
    if not stored:
        assert last is not None
        if last.undone != "was rolled back":
            return f"interrupted; {last.what} {last.undone}"
        return f"interrupted; {last.what} was rolled back, the database is as it was before it"
    done = " and ".join(stored)
    text = f"interrupted after {done} {'was' if len(stored) == 1 else 'were'} stored in full"
    if last is not None:
        text += f"; {last.what} {last.undone}"
    return text
