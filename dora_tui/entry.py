"""The ``dora-tui`` command's entry point: small, so that Ctrl-C at any moment is one line.

The console script imports this module before anything else of dora-tui. Loading the
command line (:mod:`dora_tui.cli` and what it imports: argparse, sqlite3, the config
reader) takes a moment, so it happens inside the ``try`` below: an interrupt then, or
after the command has finished, prints one line and exits with status 130, never a
traceback. While a command runs, :func:`dora_tui.cli.main` says the same, from
:mod:`dora_tui.outcomes`.

Ctrl-C can also land in code Python runs on the side (an import lock's clean-up, a
finaliser, say a library's when the collector frees it), where Python prints "Exception
ignored" with a traceback and carries on: such an interrupt is noted instead and raised
again, so that it lands in the command's own code a moment later and stops it there (or, if
it cannot, is honoured as soon as the import is done; a command that finished regardless has
said what it did, and its status stands).
One landing while a module defines a class reaches here wrapped in a RuntimeError, and is
recognised by its cause.
"""

from __future__ import annotations

import _signal  # type: ignore[import-not-found]  # as sys (no stub); `signal` would load enum
import sys  # built in and loaded already: an import that Ctrl-C cannot land in

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing

if TYPE_CHECKING:  # nothing more is loaded at the top: see above
    import threading

INTERRUPTED = 130  # 128 + SIGINT: what a shell reports for a command stopped by Ctrl-C

_settling = False
"""True once the command's outcome is known (see :func:`on_stop_signal`)."""

_RACE = "ignored due to race condition"
"""What Python says of a signal whose handler became ``SIG_IGN`` between its arrival and its handling."""


def on_stop_signal(signum: int, frame: object) -> None:
    """SIGINT's handler (but while the dashboard runs: :func:`dora_tui.tui.app.run_dashboard`),
    and SIGTERM's while a command takes it as Ctrl-C
    (:func:`dora_tui.cli.terminate.as_interrupt`): KeyboardInterrupt until the command's
    outcome is known, from then on nothing, however many come. :func:`main` marks the outcome
    known before any call once it has it (an assignment, where no signal is handled), so a
    burst of them never lands between the line the command said and the moment they are
    ignored: changing a handler would not do, as Python first handles what is pending."""
    if not _settling:
        raise KeyboardInterrupt


def main() -> int:
    """Load and run the command line; returns the exit status."""
    global _settling
    if _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler:  # not when started ignoring it
        _signal.signal(_signal.SIGINT, on_stop_signal)
    ignored: list[object] = []  # interrupts Python would have printed and ignored
    again: list[threading.Timer] = []  # the timers that raise them again
    default_hook = sys.unraisablehook

    def unraisable(info: sys.UnraisableHookArgs) -> None:
        if info.exc_type is not None and issubclass(info.exc_type, KeyboardInterrupt):
            ignored.append(info.exc_value)
            # Again, a moment later, from another thread: by then this hook has returned and
            # it lands in the command's own code. (Raised from here, say by raise_signal, it
            # would land in the hook and be ignored once more.) Imported here, not at the top,
            # so that a Ctrl-C while this module loads is outside it.
            import _thread
            import threading

            timer = threading.Timer(0.01, _thread.interrupt_main)
            timer.daemon = True
            again.append(timer)
            timer.start()
        elif not (_settling and _RACE in str(info.exc_value)):  # Python's word for a signal settled meanwhile
            default_hook(info)

    sys.unraisablehook = unraisable
    loaded = False
    outcome: int | BaseException
    try:
        from dora_tui.cli import main as run

        loaded = True
        if ignored:
            raise KeyboardInterrupt
        outcome = run()  # had it not stopped for one ignored, it finished and said what it did
    except BaseException as exc:
        outcome = exc
    # The outcome is known. First, before any call (where a signal is handled): from here on
    # Ctrl-C and SIGTERM change nothing, one that came meanwhile included (on_stop_signal).
    _settling = True
    _settled(again)
    sys.unraisablehook = default_hook
    if isinstance(outcome, int):
        return outcome
    if not _from_ctrl_c(outcome):
        raise outcome
    if loaded:
        from dora_tui.outcomes import interrupted

        text = interrupted()
    else:
        text = "interrupted while starting, before anything was written"
    if sys.stderr is not None:  # closed (2>&-): said nowhere, never onto the standard output
        print(f"dora-tui: {text}", file=sys.stderr)
    return INTERRUPTED


def _settled(again: list[threading.Timer]) -> None:
    """Once the outcome is known, a Ctrl-C (or SIGTERM) changes nothing: no interrupt raised
    again, none pending, none new, however many come (the exit status and the line said stand).

    Both are ignored by the system from here on: Python puts its own handlers back to the
    default (ending the process) as it shuts down, an ignored signal it leaves ignored. One
    that arrived while this was being set is "ignored due to race condition" in Python's
    words, which :func:`main`'s hook keeps quiet. Nothing is imported here: loading the
    ``signal`` module takes milliseconds."""
    _signal.signal(_signal.SIGINT, _signal.SIG_IGN)  # a timer firing now does nothing either
    _signal.signal(_signal.SIGTERM, _signal.SIG_IGN)
    for timer in again:
        timer.cancel()


def _from_ctrl_c(exc: BaseException | None) -> bool:
    """Whether ``exc`` is Ctrl-C's KeyboardInterrupt, or wraps it: Python 3.11 turns one that
    lands while a module defines a class (in a ``__set_name__``) into a RuntimeError."""
    while exc is not None:
        if isinstance(exc, KeyboardInterrupt):
            return True
        exc = exc.__cause__
    return False
