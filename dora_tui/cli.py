"""The ``dora-tui`` command: a thin layer over config, collect, store, report and the app.

Exit status: 0 success, 1 a runtime failure, 2 bad usage or bad input. Errors are one line
on stderr, never a traceback. Long work shows a progress bar on a terminal and is quiet
when stderr is not one.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TextIO

from dora_tui import __version__
from dora_tui.config.settings import MAX_MONTHS
from dora_tui.core.inert import terminal
from dora_tui.entry import INTERRUPTED
from dora_tui.errors import DoraError, OptionError, UnknownName, UsageError
from dora_tui.store import outcomes


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors raise UsageError (one line, exit 2) instead of exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every command."""
    common = argparse.ArgumentParser(add_help=False)
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
    parser.add_argument("--version", action="version", version=f"dora-tui {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    p = sub.add_parser("init", parents=[common], help="discover git repositories, write a config")
    p.add_argument("dirs", nargs="*", metavar="DIR", default=["."])
    p.add_argument("--output", metavar="FILE", default="dora.toml")
    p.add_argument("--force", action="store_true", help="overwrite an existing config file")

    p = sub.add_parser("collect", parents=[common], help="mine git history (incremental by default)")
    p.add_argument(
        "--service",
        action="extend",
        nargs="+",
        metavar="NAME",
        help="only these services' repositories (--service a b, or --service a --service b)",
    )
    p.add_argument("--full", action="store_true", help="forget what was read and re-read everything")

    p = sub.add_parser("import", parents=[common], help="import incidents, tickets or deployments from a CSV export")
    p.add_argument("kind", nargs="?", choices=("incidents", "tickets", "deployments"))
    p.add_argument("file", nargs="?", metavar="FILE")
    p.add_argument("--all", action="store_true", help="re-read every [[imports]] source of the config")
    p.add_argument("--format", metavar="NAME", help="a preset name, or auto (the default: detect from the header)")
    p.add_argument("--service", metavar="NAME", help="every row belongs to this service")
    p.add_argument("--team", metavar="NAME", help="every row belongs to this team")
    p.add_argument("--timezone", metavar="TZ", help="the zone of times without an offset")
    p.add_argument("--date-format", metavar="FMT", dest="date_format", help="strptime codes for every time column")
    p.add_argument("--dry-run", action="store_true", dest="dry_run", help="check and show, store nothing")
    p.add_argument(
        "--skip-invalid",
        action="store_true",
        dest="skip_invalid",
        help="store the valid rows, write the others to FILE.rejected.csv",
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

    p = sub.add_parser("demo", parents=[common], help="build a demo workspace and open it")
    p.add_argument("dir", nargs="?", metavar="DIR")
    p.add_argument("--no-tui", action="store_true", help="print the Markdown report instead of opening the dashboard")
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 1 <= value <= MAX_MONTHS:
        raise argparse.ArgumentTypeError(f"must be from 1 to {MAX_MONTHS}")
    return value


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2026-11-22, got {text!r}") from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    try:
        args = build_parser().parse_args(argv)
        command = args.command or "dashboard"
        return COMMANDS[command](args)
    except DoraError as exc:
        for line in getattr(exc, "details", ()):
            say(line, file=sys.stderr)
        say(f"dora-tui: error: {worded(exc)}", file=sys.stderr)
        return exc.exit_code
    except sqlite3.Error as exc:
        hint = " (is another dora-tui writing to it?)" if "locked" in str(exc) else ""
        say(f"dora-tui: error: database: {exc}{hint}; nothing was changed", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"dora-tui: {outcomes.interrupted()}", file=sys.stderr)
        return INTERRUPTED
    except BrokenPipeError:
        return 0


def worded(error: DoraError) -> str:
    """An error in the command line's words: a value that came from an option is named by it.

    The operations raise domain errors (:class:`~dora_tui.errors.UnknownName` for a service or
    team, :class:`~dora_tui.errors.OptionError` for a value given to them); only here do
    they become ``--service: ...``, ``--as-of/--months: ...``.
    """
    if isinstance(error, UnknownName):
        return f"--{error.kind}: {error}"
    if isinstance(error, OptionError):
        return f"{'/'.join('--' + name.replace('_', '-') for name in error.options)}: {error}"
    return str(error)


def say(line: str, file: TextIO | None = None) -> None:
    """Print one line of output made inert (:func:`dora_tui.core.inert.terminal`).

    Every line the commands print goes through here: most carry values read from a file, a
    folder, a tag or the config, and no control character in them may reach the terminal.
    """
    print(terminal(line), file=file)


def _config(args: argparse.Namespace):
    from dora_tui.config import settings as config

    return config.load(getattr(args, "config", None))


def _open_store(cfg, *, readonly: bool = False):
    """The configured database (read-only for commands that only read it); a StoreError that
    a command-line user acts on through the config or another command is worded so."""
    from dora_tui.errors import ConfigError, StoreError
    from dora_tui.store.database import Store

    try:
        return Store.open(cfg.database, readonly=readonly)
    except StoreError as exc:
        if exc.kind == "folder":
            raise ConfigError(cfg.label, "database", f"{exc.path} is a folder, not a database file") from None
        if exc.kind == "missing":
            raise StoreError(exc.kind, exc.path, "no database yet (run `dora-tui collect` first)") from None
        if exc.kind == "upgrade":
            raise StoreError(
                exc.kind,
                exc.path,
                f"written by an earlier dora-tui (schema {exc.version}); run "
                "`dora-tui collect` once where its folder is writable to upgrade it",
                version=exc.version,
            ) from None
        raise


def cmd_collect(args: argparse.Namespace) -> int:
    """``collect``: mine git history into the database."""
    from dora_tui.ops.collect import collect, open_repositories

    cfg = _config(args)
    repositories = open_repositories(cfg, args.service)  # before the database: a bad repository makes none
    store = _open_store(cfg)
    with Progress("collect") as progress:
        summary = collect(
            cfg, store, services=args.service, full=args.full, progress=progress.update, repositories=repositories
        )
    for warning in summary.warnings:
        say(f"warning: {warning}", file=sys.stderr)
    deployments = sum(summary.deployments.values())
    changes = sum(summary.changes.values())
    if summary.unchanged == summary.repositories:
        say(f"Nothing new in {summary.repositories} repositories.")
    else:
        say(
            f"Collected {summary.repositories} repositories ({summary.unchanged} unchanged, "
            f"{summary.commits_read} new commits read): {deployments} deployments and "
            f"{changes} changes recomputed."
        )
    store.close()
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """``import``: CSV exports into the database, all or nothing."""
    from dora_tui.ops.imports import ImportRequest, import_all, import_file
    from dora_tui.store.database import Store

    if args.all == bool(args.kind or args.file):
        raise UsageError("import: give KIND FILE (incidents, tickets or deployments), or --all")
    if not args.all and not args.file:
        raise UsageError("import: the FILE to import is missing")
    given = [
        flag
        for flag, value in (
            ("--format", args.format),
            ("--service", args.service),
            ("--team", args.team),
            ("--timezone", args.timezone),
            ("--date-format", args.date_format),
        )
        if value is not None
    ]
    if args.all and given:
        raise UsageError(
            f"import --all: {', '.join(given)} would apply to every source; "
            "set them per [[imports]] entry in the config"
        )
    cfg = _config(args)
    opened: list[Store] = []

    def open_store() -> Store:
        opened.append(_open_store(cfg, readonly=args.dry_run))  # a dry run only reads
        return opened[-1]

    # A new database is made only when there are rows to write: a dry run, or a refused
    # import of one file, leaves none behind (--all writes file by file in one transaction).
    store = open_store() if cfg.database.exists() or (args.all and not args.dry_run) else None
    try:
        with Progress("import") as bar:
            if args.all:
                summaries = import_all(
                    cfg,
                    store,
                    dry_run=args.dry_run,
                    skip_invalid=args.skip_invalid,
                    progress=lambda file, done, total: bar.update(str(file), done, total),
                )
            else:
                request = ImportRequest(
                    args.kind,
                    Path(args.file),
                    format=args.format,
                    service=args.service,
                    team=args.team,
                    timezone=args.timezone,
                    date_format=args.date_format,
                    date_format_origin="--date-format",
                    dry_run=args.dry_run,
                    skip_invalid=args.skip_invalid,
                )
                summaries = [
                    import_file(
                        cfg,
                        store,
                        request,
                        progress=lambda done, total: bar.update(args.file, done, total),
                        open_store=open_store,
                    )
                ]
    finally:
        for opened_store in opened:
            opened_store.close()
    for summary in summaries:
        _print_import(summary)
    return 0


MAX_TARGETS = 10  # services or teams listed after an import, the biggest first


def _print_import(s) -> None:
    """What an import stored: counts by service or team, unmapped values, rejected rows."""
    verb = "Would store" if s.dry_run else "Stored"
    say(f"{verb} {s.rows} {s.kind} from {s.file} (format {s.format}, source {s.source}).")
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
        say(
            f"  … and {rest} more rows for {len(shown) - MAX_TARGETS} other "
            f"{'teams' if s.kind == 'tickets' else 'services'}"
        )
    if s.skipped:
        say(f"  {s.skipped} rows of other types left out (not {s.kind}).")
    if s.unmapped:
        what = "team" if s.kind == "tickets" else "service"
        values = ", ".join(f"{v!r} ({n})" for v, n in s.unmapped_values.items())
        stored = "would be stored" if s.dry_run else "are stored"
        say(
            f"  {s.unmapped} rows have no known {what}: {values}. They {stored} and counted as "
            f"unmapped; map them with {what}_map in the [[imports]] entry (see `dora-tui doctor`)."
        )
    if s.rejected:
        where = f"written to {s.rejected_file}" if s.rejected_file else "not stored"
        say(f"  {s.rejected} bad rows {where}.")
    for note in s.notes:
        say(f"  note: {note}")


def cmd_doctor(args: argparse.Namespace) -> int:
    """``doctor``: data-quality findings in words a user can act on."""
    from dora_tui.ops.doctor import findings

    cfg = _config(args)
    store = _open_store(cfg, readonly=True)
    found = findings(cfg, store, datetime.now(cfg.tz).date())
    if not found:
        say("No findings: every row is mapped, no clock skew, no shallow clone.")
    for finding in found:
        say(f"- [{finding.topic}] {finding.message}")
        if finding.hint:
            say(f"  → {finding.hint}")
    store.close()
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """``report``: the figures as JSON, CSV or Markdown."""
    from dora_tui.ops import report

    cfg = _config(args)
    store = _open_store(cfg, readonly=True)
    as_of = args.as_of or datetime.now(cfg.tz).date()
    stamp = datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC) if args.as_of else None
    result = report.compute(
        cfg, store, as_of=as_of, months=args.months, service=args.service, team=args.team, generated_at=stamp
    )
    render = {"json": report.to_json, "csv": report.to_csv, "markdown": report.to_markdown}[args.format]
    _write(render(result), args.output)
    store.close()
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    """``init``: discover repositories and write a config."""
    from dora_tui.ops.init import write_config

    path, services = write_config([Path(d) for d in args.dirs], Path(args.output), force=args.force)
    say(f"Wrote {path} with {len(services)} services: {', '.join(services)}.")
    say("Edit it to name your teams, then run `dora-tui collect`.")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """``demo``: build (or refresh) a demo workspace, collect and import it, then open it."""
    from dora_tui.config import settings as config_module
    from dora_tui.demo.workspace import build_demo, default_directory, existing_demo
    from dora_tui.ops import report
    from dora_tui.ops.collect import collect
    from dora_tui.ops.imports import import_all

    directory = Path(args.dir) if args.dir else default_directory()
    today = date.today()
    stamp = existing_demo(directory)
    config_path = build_demo(directory, today, rebuild=stamp is not None and stamp.today != today)
    cfg = config_module.load_file(config_path)
    store = _open_store(cfg)
    with Progress("collect") as progress:
        collect(cfg, store, progress=progress.update)
    import_all(cfg, store)
    if args.no_tui or not sys.stdout.isatty():
        print(report.to_markdown(report.compute(cfg, store, as_of=today)))
        say(f"Demo workspace: {directory} (open it with `dora-tui --config {config_path}`)")
        store.close()
        return 0
    store.close()
    from dora_tui.tui.app import run_dashboard

    return run_dashboard(cfg, today=today)


def cmd_dashboard(args: argparse.Namespace) -> int:
    """No command: open the dashboard (zero-config inside a git repository with no config)."""
    cfg = _config(args)
    if not sys.stdout.isatty():
        raise UsageError("the dashboard needs a terminal; use `dora-tui report` for text")
    from dora_tui.tui.app import run_dashboard

    return run_dashboard(cfg)


def _write(text: str, output: str | None) -> None:
    if output:
        from dora_tui.ops.files import replace_file

        try:  # whole or not at all: an interrupted report leaves the file as it was
            replace_file(Path(output), lambda handle: handle.write(text), follow_link=True)
        except OSError as exc:
            raise UsageError(f"--output: cannot write {output}: {exc.strerror}") from None
    else:
        sys.stdout.write(text)


class Progress:
    """A one-line progress bar on stderr, shown only when stderr is a terminal."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.active = sys.stderr.isatty()

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


COMMANDS = {
    "collect": cmd_collect,
    "report": cmd_report,
    "init": cmd_init,
    "import": cmd_import,
    "doctor": cmd_doctor,
    "demo": cmd_demo,
    "dashboard": cmd_dashboard,
}


if __name__ == "__main__":
    sys.exit(main())
