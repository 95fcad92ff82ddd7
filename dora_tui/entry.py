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


def main() -> int:
    """Load and run the command line; returns the exit status."""
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
        else:
            default_hook(info)

    sys.unraisablehook = unraisable
    loaded = False
    try:
        from dora_tui.cli import main as run

        loaded = True
        if ignored:
            raise KeyboardInterrupt
        return run()  # had it not stopped for one ignored, it finished and said what it did
    except BaseException as exc:
        if not _from_ctrl_c(exc):
            raise
        _settled(again)
        if loaded:
            from dora_tui.outcomes import interrupted

            text = interrupted()
        else:
            text = "interrupted while starting, before anything was written"
        print(f"dora-tui: {text}", file=sys.stderr)
        return INTERRUPTED
    finally:
        _settled(again)
        sys.unraisablehook = default_hook


def _settled(again: list[threading.Timer]) -> None:
    """Once the outcome is known, a Ctrl-C (or SIGTERM) changes nothing: no interrupt raised
    again, none pending, none new, however many come (the exit status and the line said stand).

    Nothing is imported here: loading the ``signal`` module takes milliseconds, and a Ctrl-C
    landing in them would be a traceback after the command had said what it did."""
    while True:
        try:
            _signal.signal(_signal.SIGINT, _signal.SIG_IGN)  # a timer firing now does nothing
            _signal.signal(_signal.SIGTERM, _signal.SIG_IGN)
            break
        except KeyboardInterrupt:  # landed before the handler was set: let go, the outcome stands
            continue
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
