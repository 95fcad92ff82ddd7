"""The commands: each reads its arguments, runs an operation of :mod:`dora_tui.ops` and prints
what it did. The operations are imported when their command runs, so that a command loads
only what it uses."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from dora_tui.cli.output import Progress, print_import, say, tell, write_out
from dora_tui.core.wording import counted
from dora_tui.errors import OptionError, UsageError

if TYPE_CHECKING:
    from dora_tui.config import Config
    from dora_tui.store.database import Store


def _config(args: argparse.Namespace) -> Config:
    """The configuration named by ``--config`` (else looked up: :func:`dora_tui.config.load`)."""
    from dora_tui.config import load

    return load(getattr(args, "config", None))


def _open_store(cfg: Config, *, readonly: bool = False) -> Store:
    """The configured database (read-only for commands that only read it); a StoreError that
    a command-line user acts on through the config or another command is worded so."""
    from dora_tui.errors import ConfigError, StoreError
    from dora_tui.store.database import Store

    try:
        return Store.open(cfg.database, readonly=readonly)
    except StoreError as exc:
        if exc.kind == "folder":
            raise ConfigError(cfg.label, "database", f"{exc.path} is a folder, not a database file") from None
        if exc.kind == "special":
            raise ConfigError(cfg.label, "database", f"{exc.path} is not a file (a device or a pipe)") from None
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
    try:
        with Progress("collect") as progress:
            summary = collect(
                cfg,
                store,
                services=args.service,
                full=args.full,
                progress=progress.update,
                repositories=repositories,
                jobs=args.jobs,
            )
    finally:
        store.close()
    for warning in summary.warnings:
        tell(f"warning: {warning}")
    deployments = sum(summary.deployments.values())
    changes = sum(summary.changes.values())
    read = counted(summary.repositories, "repository", "repositories")
    if summary.unchanged == summary.repositories:
        say(f"Nothing new in {read}.")
    else:
        say(
            f"Collected {read} ({summary.unchanged} unchanged, "
            f"{counted(summary.commits_read, 'new commit')} read): {counted(deployments, 'deployment')} and "
            f"{counted(changes, 'change')} recomputed."
        )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """``import``: CSV exports into the database, all or nothing."""
    from dora_tui.ops.imports import ImportRequest, import_all, import_file

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
    # import, leaves none behind. --all writes file by file in one transaction, so with no
    # database yet every source is read first, as a dry run: one refused makes none.
    if args.all and not args.dry_run and not cfg.database.exists():
        import_all(cfg, None, dry_run=True, skip_invalid=args.skip_invalid)
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
        print_import(summary)
    return 0


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
    as_of, stamp = _as_of(args, cfg)
    store = _open_store(cfg, readonly=True)
    result = report.compute(
        cfg, store, as_of=as_of, months=args.months, service=args.service, team=args.team, generated_at=stamp
    )
    render = {"json": report.to_json, "csv": report.to_csv, "markdown": report.to_markdown}[args.format]
    _write(render(result), args.output)
    store.close()
    return 0


def cmd_site(args: argparse.Namespace) -> int:
    """``site``: the services portal as a static site in the folder OUT."""
    from dora_tui.cli.terminate import as_interrupt
    from dora_tui.ops.site import build_site

    with as_interrupt():  # SIGTERM as Ctrl-C to the last line: no half-written OUT, a written one said
        cfg = _config(args)
        as_of, stamp = _as_of(args, cfg)
        store = _open_store(cfg, readonly=True)
        try:
            summary = build_site(
                cfg, store, Path(args.out), as_of=as_of, months=args.months, generated_at=stamp, force=args.force
            )
        finally:
            store.close()
        say(f"Wrote {summary.pages} pages into {summary.out} (open {summary.index}).")
        if summary.leftover is not None:
            tell(f"warning: the old site could not be removed: {summary.leftover} is left; remove it")
    return 0


def _as_of(args: argparse.Namespace, cfg: Config) -> tuple[date, datetime | None]:
    """The day a report or a site is made as of (``--as-of``, else today in the config's time
    zone) and the time it then says it was made (that day's midnight UTC with ``--as-of``,
    else None: now). A day after today is refused: the months not begun yet would count as
    months without a deployment, and every trend would read as worsening."""
    today = datetime.now(cfg.tz).date()
    if args.as_of is None:
        return today, None
    if args.as_of > today:
        raise OptionError(
            "as_of",
            f"{args.as_of.isoformat()} is after today ({today.isoformat()} in {cfg.timezone}): the months not "
            "begun yet would count as months without a deployment",
        )
    return args.as_of, datetime(args.as_of.year, args.as_of.month, args.as_of.day, tzinfo=UTC)


def cmd_init(args: argparse.Namespace) -> int:
    """``init``: discover repositories and write a config."""
    from dora_tui.ops.init import write_config

    dirs, output = [Path(d) for d in args.dirs], Path(args.output)
    if args.update:
        from dora_tui.ops.init.update import update_config

        result = update_config(dirs, output)
        say(result.summary)
    else:
        result = write_config(dirs, output, force=args.force)
        say(f"Wrote {result.path} with {counted(len(result.services), 'service')}: {', '.join(result.services)}.")
    if result.problems:
        say(f"Could not be told ({len(result.problems)}); fill these in by hand:")
        for line in result.problems:
            say(f"  - {line}")
    say(f"{'Fill those in' if result.problems else 'Check it'}, then run `dora-tui collect`.")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """``demo``: build (or refresh) a demo workspace, collect and import it, then open it."""
    from dora_tui.config import load_file
    from dora_tui.demo.workspace import build_demo, default_directory, existing_demo
    from dora_tui.ops import report
    from dora_tui.ops.collect import collect
    from dora_tui.ops.imports import import_all
    from dora_tui.ops.site import build_site

    directory = Path(args.dir) if args.dir else default_directory()
    today = date.today()
    stamp = existing_demo(directory)
    config_path = build_demo(directory, today, rebuild=stamp is not None and stamp.today != today)
    cfg = load_file(config_path)
    store = _open_store(cfg)
    import_all(cfg, store)  # first: imported deployments are read from git by the collect
    with Progress("collect") as progress:
        collect(cfg, store, progress=progress.update)
    site = build_site(cfg, store, config_path.parent / "site", as_of=today)  # the demo's own folder: replaced
    site_line = f"Demo site: {site.index} (open it in a browser)"
    if args.no_tui or sys.stdout is None or not sys.stdout.isatty():
        _write(report.to_markdown(report.compute(cfg, store, as_of=today)) + "\n", None)
        say(f"Demo workspace: {directory} (open it with `dora-tui --config {config_path}`)")
        say(site_line)
        store.close()
        return 0
    store.close()
    from dora_tui.tui.app import run_dashboard

    status = run_dashboard(cfg, today=today)
    say(site_line)
    return status


def cmd_dashboard(args: argparse.Namespace) -> int:
    """No command: open the dashboard (zero-config inside a git repository with no config)."""
    cfg = _config(args)
    if sys.stdout is None or not sys.stdout.isatty():
        raise UsageError("the dashboard needs a terminal; use `dora-tui report` for text")
    from dora_tui.tui.app import run_dashboard

    return run_dashboard(cfg)


def _write(text: str, output: str | None) -> None:
    """``text`` to the file ``output`` (whole or not at all), or to stdout when there is none."""
    if output:
        from dora_tui.ops.files import replace_file

        def write(handle: TextIO) -> None:
            handle.write(text)

        try:  # whole or not at all: an interrupted report leaves the file as it was
            replace_file(Path(output), write, follow_link=True)
        except OSError as exc:
            raise UsageError(f"--output: cannot write {output}: {exc.strerror}") from None
    else:
        write_out(text)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "collect": cmd_collect,
    "report": cmd_report,
    "site": cmd_site,
    "init": cmd_init,
    "import": cmd_import,
    "doctor": cmd_doctor,
    "demo": cmd_demo,
    "dashboard": cmd_dashboard,
}
"""Each command's name and the function that runs it (``dashboard``: no command given)."""
