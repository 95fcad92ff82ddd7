"""What the commands print: lines made inert, a progress bar, an import's summary, and domain
errors in the command line's words."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from dora_tui.core.inert import terminal
from dora_tui.core.wording import counted
from dora_tui.errors import AlreadyExists, DoraError, ImportRejected, MissingColumn, OptionError, UnknownName

if TYPE_CHECKING:
    from dora_tui.ops.imports import ImportSummary

MAX_TARGETS = 10  # services or teams listed after an import, the biggest first


def worded(error: DoraError) -> str:
    """An error in the command line's words: a value that came from an option is named by it.

    The operations raise domain errors (:class:`~dora_tui.errors.UnknownName` for a service or
    team, :class:`~dora_tui.errors.OptionError` for a value given to them,
    :class:`~dora_tui.errors.AlreadyExists` for a file they would not replace); only here do
    they become ``--service: ...``, ``--as-of/--months: ...``, ``(use --force ...)``, and a
    missing column or bad rows name the option that would do instead (``--service``,
    ``--skip-invalid``).
    """
    if isinstance(error, UnknownName):
        return f"--{error.kind}: {error}"
    if isinstance(error, OptionError):
        return f"{'/'.join('--' + name.replace('_', '-') for name in error.options)}: {error}"
    if isinstance(error, AlreadyExists):
        return f"{error} (use --force to overwrite it)"
    if isinstance(error, MissingColumn) and error.instead:
        return f"{error.message} (or give --{error.instead}){error.note}"
    if isinstance(error, ImportRejected) and error.skippable:
        return f"{error} (fix {'it' if error.bad == 1 else 'them'}, or use --skip-invalid to store the valid rows)"
    return str(error)


class OutputError(DoraError):
    """The standard output could not be written (a full disk, ``> /dev/full``): a runtime
    failure, said on stderr in one line. A closed pipe is not one (``| head``: the reader has
    what it wanted)."""


@contextmanager
def writing_out() -> Iterator[None]:
    """Writing to the standard output: an error of the system there is an :class:`OutputError`
    (a closed pipe stays a ``BrokenPipeError``, which the command line takes as success)."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(f"cannot write the output: {exc.strerror or exc}") from None


def write_out(text: str, *, flush: bool = False) -> None:
    """``text`` to the standard output (:func:`writing_out`); :class:`OutputError` when there
    is none (the command was started with it closed, ``>&-``)."""
    if sys.stdout is None:
        raise OutputError("cannot write the output: the standard output is closed")
    with writing_out():
        sys.stdout.write(text)
        if flush:
            sys.stdout.flush()


def tell(line: str) -> None:
    """Print one line on stderr, made inert as :func:`say` makes it; nothing where there is no
    stderr (started with it closed, ``2>&-``: never onto the standard output instead)."""
    if sys.stderr is not None:
        print(terminal(line), file=sys.stderr)


def say(line: str) -> None:
    """Print one line of output on the standard output, made inert
    (:func:`dora_tui.core.inert.terminal`).

    Every line the commands print goes through here: most carry values read from a file, a
    folder, a tag or the config, and no control character in them may reach the terminal.
    Lines for stderr go through :func:`tell`.
    """
    write_out(terminal(line) + "\n")


class Progress:
    """A one-line progress bar on stderr, shown only when stderr is a terminal."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.active = sys.stderr is not None and sys.stderr.isatty()

    def __enter__(self) -> Progress:
        return self

    def update(self, stage: str, done: int, total: int) -> None:
        """Redraw the bar: ``done`` of ``total`` steps, now at ``stage``."""
        if not self.active:
            return
        width = 30
        filled = width * done // total if total else width
        stage = terminal(stage)
        text = stage if len(stage) <= 50 else "…" + stage[-49:]
        sys.stderr.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} {text}\x1b[K")
        sys.stderr.flush()

    def __exit__(self, *exc: object) -> None:
        if self.active:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def print_import(s: ImportSummary) -> None:
    """What an import stored: counts by service or team, unmapped values, rejected rows."""
    verb = "Would store" if s.dry_run else "Stored"
    say(f"{verb} {counted(s.rows, s.kind[:-1])} from {s.file} (format {s.format}, source {s.source}).")
    if s.settings_of is not None:
        say(f"  Read with the settings of the [[imports]] entry for {s.settings_of} (same kind and format).")
    for entry in s.unmatched:
        say(
            f"  note: the [[imports]] entry for {entry} names no format and its file cannot be read, so "
            f"this export was not compared with it; set its `format` so that exports in that format "
            "take its settings (its name included)"
        )
    shown = sorted(s.by_target.items(), key=lambda item: (-item[1], item[0]))
    for target, count in shown[:MAX_TARGETS]:
        say(f"  {target}: {count}")
    if len(shown) > MAX_TARGETS:
        rest = sum(count for _, count in shown[MAX_TARGETS:])
        others = counted(len(shown) - MAX_TARGETS, "other team" if s.kind == "tickets" else "other service")
        say(f"  … and {counted(rest, 'more row')} for {others}")
    if s.skipped:
        say(f"  {counted(s.skipped, 'row')} of other types left out (not {s.kind}).")
    if s.unmapped:
        what = "team" if s.kind == "tickets" else "service"
        values = ", ".join(f"{v!r} ({n})" for v, n in s.unmapped_values.items())
        one = s.unmapped == 1
        stored = "would be stored" if s.dry_run else "is stored" if one else "are stored"
        say(
            f"  {counted(s.unmapped, 'row')} {'has' if one else 'have'} no known {what}: {values}. "
            f"{'It' if one else 'They'} {stored} and counted as unmapped; map {'it' if one else 'them'} "
            f"with {what}_map in the [[imports]] entry (see `dora-tui doctor`)."
        )
    if s.rejected:
        where = f"written to {s.rejected_file}" if s.rejected_file else "not stored"
        say(f"  {counted(s.rejected, 'bad ' + s.unit[:-1])} {where}.")
    for note in s.notes:
        say(f"  note: {note}")
    if s.kind == "deployments" and s.rows and not s.dry_run:
        say("  Their changes and lead times come from git with the next `dora-tui collect`.")
