"""The ``dora-tui`` command: a thin layer over config, collect, store, report and the app.

:mod:`~dora_tui.cli.parser` is the grammar, :mod:`~dora_tui.cli.commands` runs each command,
:mod:`~dora_tui.cli.output` prints (and words errors for the command line); :func:`main`
ties them together.

Exit status: 0 success, 1 a runtime failure, 2 bad usage or bad input. Errors are one line
on stderr, never a traceback. Long work shows a progress bar on a terminal and is quiet
when stderr is not one.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from dora_tui import outcomes
from dora_tui.cli.commands import COMMANDS
from dora_tui.cli.output import say, tell, worded, write_out
from dora_tui.cli.parser import build_parser
from dora_tui.entry import INTERRUPTED
from dora_tui.errors import DoraError

__all__ = ["COMMANDS", "build_parser", "main", "say", "worded"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    try:
        args = build_parser().parse_args(argv)
        command = args.command or "dashboard"
        status = COMMANDS[command](args)
        if sys.stdout is not None:  # what is still buffered: a full disk says so here, not at the interpreter's end
            write_out("", flush=True)
        return status
    except DoraError as exc:
        for line in getattr(exc, "details", ()):
            tell(line)
        tell(f"dora-tui: error: {worded(exc)}")
        return exc.exit_code
    except KeyboardInterrupt:
        tell(f"dora-tui: {outcomes.interrupted()}")
        return INTERRUPTED
    except BrokenPipeError:
        return 0
