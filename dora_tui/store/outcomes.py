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
    """One top-level transaction: what it writes, in words, and whether it was committed."""

    __slots__ = ("committed", "what")

    def __init__(self, what: str) -> None:
        self.what = what
        self.committed = False


_begun: list[Outcome] = []  # every top-level transaction of this process, in order


def begin(what: str) -> Outcome:
    """Record a top-level transaction about to begin; mark the result ``committed`` once it is."""
    outcome = Outcome(what or "a write to the database")
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
    undone = _begun[-1].what if _begun and not _begun[-1].committed else None
    if not stored and undone is None:
        return "interrupted before anything was written"
    if not stored:
        return f"interrupted; {undone} was rolled back, the database is as it was before it"
    done = " and ".join(stored)
    text = f"interrupted after {done} {'was' if len(stored) == 1 else 'were'} stored in full"
    if undone is not None:
        text += f"; {undone} was rolled back"
    return text
