"""The command line's grammar: every command, its arguments and options, and what a bad one says."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import date
from typing import NoReturn

from dora_tui.config import MAX_MONTHS
from dora_tui.errors import UsageError


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors raise UsageError (one line, exit 2) instead of exiting."""

    def error(self, message: str) -> NoReturn:
        """Refuse the command line: :class:`~dora_tui.errors.UsageError` with argparse's ``message``."""
        raise UsageError(f"{self.prog}: {message}")


class _Version(argparse.Action):
    """``--version``: print ``dora-tui VERSION`` and exit. The version is read from the installed
    package's metadata when asked for, so that no other command pays for reading it."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kwargs: object) -> None:
        super().__init__(
            option_strings,
            dest=dest,
            default=argparse.SUPPRESS,
            nargs=0,
            help="show program's version number and exit",
        )

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[object] | None,
        option_string: str | None = None,
    ) -> NoReturn:
        from dora_tui import installed_version
        from dora_tui.cli.output import write_out

        write_out(f"{parser.prog} {installed_version()}\n", flush=True)
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every command."""
    common = _Parser(add_help=False)
    common.add_argument(
        "--config",
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="config file (default: $DORA_TUI_CONFIG, else ./dora.toml)",
    )
    parser = _Parser(
        prog="dora-tui",
        parents=[common],
        description="DORA metrics per service and team, from git clones and CSV exports.",
    )
    parser.add_argument("--version", action=_Version)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    p = sub.add_parser("init", parents=[common], help="discover git repositories, write a config")
    p.add_argument("dirs", nargs="*", metavar="DIR", default=["."])
    p.add_argument("--output", metavar="FILE", default="dora.toml")
    p.add_argument("--force", action="store_true", help="overwrite an existing config file")
    p.add_argument(
        "--update", action="store_true", help="merge what is found into the existing config, keeping what is there"
    )

    p = sub.add_parser("collect", parents=[common], help="mine git history (incremental by default)")
    p.add_argument(
        "--service",
        action="extend",
        nargs="+",
        metavar="NAME",
        help="only these services' repositories (--service a b, or --service a --service b)",
    )
    p.add_argument("--full", action="store_true", help="forget what was read and re-read everything")
    p.add_argument(
        "--jobs",
        type=_count,
        metavar="N",
        help="read N repositories at once, in processes of their own (default: the machine's processors)",
    )

    p = sub.add_parser(
        "import", parents=[common], help="import incidents, tickets or deployments from a CSV (or JSON) export"
    )
    p.add_argument("kind", nargs="?", choices=("incidents", "tickets", "deployments"))
    p.add_argument("file", nargs="?", metavar="FILE")
    p.add_argument("--all", action="store_true", help="re-read every [[imports]] source of the config")
    p.add_argument(
        "--format", metavar="NAME", help="a format name, or auto (the default: detect from the header or the content)"
    )
    p.add_argument("--service", metavar="NAME", help="every row belongs to this service")
    p.add_argument("--team", metavar="NAME", help="every row belongs to this team")
    p.add_argument("--timezone", metavar="TZ", help="the zone of times without an offset")
    p.add_argument("--date-format", metavar="FMT", dest="date_format", help="strptime codes for every time column")
    p.add_argument("--dry-run", action="store_true", dest="dry_run", help="check and show, store nothing")
    p.add_argument(
        "--skip-invalid",
        action="store_true",
        dest="skip_invalid",
        help="store the valid rows, write the others to FILE.rejected.csv (a JSON export's: FILE.rejected.jsonl)",
    )

    p = sub.add_parser("doctor", parents=[common], help="data-quality findings, with what to do about each")

    p = sub.add_parser("report", parents=[common], help="print the figures as JSON, CSV or Markdown")
    p.add_argument("--format", choices=("json", "csv", "markdown"), default="json")
    who = p.add_mutually_exclusive_group()
    who.add_argument("--service", metavar="NAME")
    who.add_argument("--team", metavar="NAME")
    p.add_argument("--months", type=_positive, metavar="N")
    p.add_argument("--as-of", type=_day, metavar="YYYY-MM-DD", dest="as_of")
    p.add_argument("--output", metavar="FILE")

    p = sub.add_parser("site", parents=[common], help="write the services portal as a static site into OUT")
    p.add_argument("out", metavar="OUT")
    p.add_argument("--months", type=_positive, metavar="N")
    p.add_argument("--as-of", type=_day, metavar="YYYY-MM-DD", dest="as_of")
    p.add_argument("--force", action="store_true", help="replace files in OUT that the site did not write")

    p = sub.add_parser("demo", parents=[common], help="build a demo workspace and open it")
    p.add_argument("dir", nargs="?", metavar="DIR")
    p.add_argument("--no-tui", action="store_true", help="print the Markdown report instead of opening the dashboard")
    return parser


def _positive(text: str) -> int:
    """A ``--months`` value: a whole number from 1 to :data:`~dora_tui.config.MAX_MONTHS`."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 1 <= value <= MAX_MONTHS:
        raise argparse.ArgumentTypeError(f"must be from 1 to {MAX_MONTHS}")
    return value


def _count(text: str) -> int:
    """A ``--jobs`` value: a whole number, at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _day(text: str) -> date:
    """An ``--as-of`` value: a date written ``YYYY-MM-DD``."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2026-11-22, got {text!r}") from None
