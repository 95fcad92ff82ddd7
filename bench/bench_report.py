#!/usr/bin/env python3
"""The report benchmark: `dora-tui report` on a big database (200 services, 36 months).

    python bench/bench_report.py [--work DIR] [--services N] [--teams N] [--months N]
                                 [--deployments N] [--keep]

Builds (or reuses, with --keep) in DIR (default ``bench/work/report``) the synthetic database
of ``synthetic.build_database``: 200 services of 20 teams, 36 months up to 2026-11-22,
100,000 deployments, about 300,000 changes (lead times log-normal), 4,000 incidents and
50,000 tickets, written through ``dora_tui.store.database.Store``, and its ``dora.toml``. Then
measures, in one run:

- the whole process: ``dora-tui report --format json --months 36 --as-of 2026-11-22
  --config DIR/dora.toml --output /dev/null`` (one warm-up run, which also checks the JSON,
  then the median of --runs);
- in this process: ``dora_tui.ops.report.compute(...)`` and ``report.to_json(...)`` on the same
  database (median of --runs, after one warm-up call);

and prints them against the target: the whole process under 2 s. Exit status 0 when it is
met, 1 otherwise (a failing command counts as a miss), 2 on bad usage.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shlex
import statistics
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synthetic
from measure import (
    banner,
    database_files,
    dora_command,
    explain_failure,
    load_average,
    machine,
    remove_paths,
    run,
    spread,
    timed_runs,
)

MAX_SECONDS = 2.0  # the whole report process


def in_process(config_path: Path, as_of: date, months: int, runs: int) -> dict:
    """Median seconds of report.compute and report.to_json in this process, and a summary."""
    from dora_tui import config as config_module
    from dora_tui.ops import report
    from dora_tui.store.database import Store

    t0 = time.perf_counter()
    cfg = config_module.load_file(config_path)
    store = Store.open(cfg.database, create=False)
    opened = time.perf_counter() - t0
    try:
        kw = {"as_of": as_of, "months": months}
        result = report.compute(cfg, store, **kw)  # warm-up (page cache)
        compute_times, json_times = [], []
        for _ in range(runs):
            t = time.perf_counter()
            result = report.compute(cfg, store, **kw)
            compute_times.append(time.perf_counter() - t)
            t = time.perf_counter()
            text = report.to_json(result)
            json_times.append(time.perf_counter() - t)
    finally:
        store.close()
    return {
        "config_and_open_s": opened,
        "compute_runs": compute_times,
        "compute_s": statistics.median(compute_times),
        "to_json_runs": json_times,
        "to_json_s": statistics.median(json_times),
        "json_bytes": len(text.encode()),
    }


def check_report(path: Path, services: int, teams: int, months: int) -> str | None:
    """None when the JSON at ``path`` has the expected shape, else what is wrong."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return f"cannot read the report {path}: {exc}"
    if doc.get("schema") != "dora-tui/report/v1":
        return f"schema {doc.get('schema')!r}, expected 'dora-tui/report/v1'"
    kinds = [e.get("kind") for e in doc.get("entities", [])]
    if kinds.count("service") != services or kinds.count("team") != teams:
        return (
            f"{kinds.count('service')} services and {kinds.count('team')} teams in the "
            f"report, expected {services} and {teams}"
        )
    if len(doc.get("months", [])) != months:
        return f"{len(doc.get('months', []))} months in the report, expected {months}"
    if any(len(e.get("months", [])) != months for e in doc["entities"]):
        return "an entity does not have a row for every month"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--work",
        type=Path,
        default=HERE / "work" / "report",
        help="work folder for the database and config (default bench/work/report)",
    )
    parser.add_argument("--services", type=int, default=200, help="services (default 200)")
    parser.add_argument("--teams", type=int, default=20, help="teams (default 20)")
    parser.add_argument("--months", type=int, default=36, help="months of data, and the report's --months (default 36)")
    parser.add_argument(
        "--deployments", type=int, default=100_000, help="deployments (default 100000; about 3 changes each)"
    )
    parser.add_argument("--tickets", type=int, default=50_000, help="tickets (default 50000)")
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=synthetic.AS_OF,
        help=f"the data's last day and the report's --as-of (default {synthetic.AS_OF.isoformat()})",
    )
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement, median taken (default 3)")
    parser.add_argument("--keep", action="store_true", help="keep the database for the next run / inspection")
    parser.add_argument("--timeout", type=float, default=600, help="seconds before a command is killed (default 600)")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument(
        "--reporter",
        metavar="COMMAND",
        help="the dora-tui command to run, split like a shell would (default: "
        "the dora-tui script next to this Python, else python -m dora_tui)",
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.teams < 1 or args.services < args.teams:
        parser.error("need --teams >= 1 and --services >= --teams")
    if args.months < 1 or args.deployments < 3 * args.services:
        parser.error("need --months >= 1 and --deployments >= 3 x --services")

    work = args.work.resolve()
    print(f"building / checking the database in {work} ...", flush=True)
    t0 = time.perf_counter()
    stamp = work / "synthetic.json"
    before = stamp.stat().st_mtime_ns if stamp.exists() else None
    try:
        config = synthetic.build_database(
            work,
            services=args.services,
            teams=args.teams,
            months=args.months,
            deployments=args.deployments,
            tickets=args.tickets,
            as_of=args.as_of,
        )
    except Exception as exc:
        print(f"bench_report: building the database failed: {exc!r}", file=sys.stderr)
        return 1
    built = None if before is not None and stamp.stat().st_mtime_ns == before else time.perf_counter() - t0
    database = work / "dora.db"
    stats = synthetic.database_stats(work)
    size = sum(p.stat().st_size for p in database_files(database) if p.exists())
    what = f"built in {built:.1f} s" if built is not None else "reused"
    print(
        f"{args.services} services, {args.teams} teams, {args.months} months to "
        f"{args.as_of.isoformat()}: {stats.get('deployments', 0):,} deployments, "
        f"{stats.get('changes', 0):,} changes, {stats.get('incidents', 0):,} incidents, "
        f"{stats.get('tickets', 0):,} tickets; {size / 1e6:.0f} MB ({what})"
    )

    dora = shlex.split(args.reporter) if args.reporter else dora_command()
    load = banner("reporter", dora)

    results: dict = {
        "date": date.today().isoformat(),
        "machine": machine(),
        "python": platform.python_version(),
        "runs": args.runs,
        "load_at_start": load,
        "build_s": built,
        "rows": stats,
        "services": args.services,
        "teams": args.teams,
        "months": args.months,
        "as_of": args.as_of.isoformat(),
        "database_mb": round(size / 1e6, 1),
    }
    startup_times, _ = timed_runs([sys.executable, "-c", "pass"], args.runs)
    startup = statistics.median(startup_times)

    base = [
        *dora,
        "report",
        "--format",
        "json",
        "--months",
        str(args.months),
        "--as-of",
        args.as_of.isoformat(),
        "--config",
        str(config),
    ]
    failures: list[str] = []
    # The warm-up run writes the report to a file, to check its shape.
    sample = work / "report.json"
    warm = run([*base, "--output", str(sample)], timeout=args.timeout)
    times: list[float] = []
    if not warm.ok:
        failures.append(explain_failure("report (warm-up)", warm))
    else:
        problem = check_report(sample, args.services, args.teams, args.months)
        if problem:
            failures.append(f"\nreport (warm-up): {problem}")
        report_cmd = [*base, "--output", os.devnull]
        times, last = timed_runs(report_cmd, args.runs, timeout=args.timeout)
        if not last.ok:
            failures.append(explain_failure("report", last))
            times = []
        else:
            print(f"report, whole process: {spread(times)} s", flush=True)
    whole = statistics.median(times) if times else None

    inproc = None
    try:
        inproc = in_process(config, args.as_of, args.months, args.runs)
        print(
            f"in process: compute {spread(inproc['compute_runs'])} s; to_json {spread(inproc['to_json_runs'])} s",
            flush=True,
        )
    except Exception as exc:
        failures.append(f"\nin-process compute failed: {exc!r}")
    load_end = load_average()

    ok = whole is not None and whole < MAX_SECONDS and not failures
    verdict = "PASS" if ok else "FAIL"
    rows = [
        (
            "report --format json, whole process",
            f"{whole:.2f} s" if whole is not None else "failed",
            f"< {MAX_SECONDS:g} s (median of {args.runs})",
            verdict,
        ),
    ]
    if inproc:
        rows += [
            ("  in process: report.compute()", f"{inproc['compute_s']:.2f} s", "(no target)", ""),
            (
                "  in process: report.to_json()",
                f"{inproc['to_json_s']:.2f} s",
                f"({inproc['json_bytes'] / 1e6:.1f} MB of JSON)",
                "",
            ),
            ("  in process: load config, open store", f"{inproc['config_and_open_s']:.2f} s", "", ""),
        ]
    rows.append(("python start-up (for scale)", f"{startup:.3f} s", "", ""))
    width = max(len(r[0]) for r in rows)
    print(f"\n{'measure':<{width}}  {'value':>8}  {'target':<26}  result")
    for name, value, target, res in rows:
        print(f"{name:<{width}}  {value:>8}  {target:<26}  {res}")
    print(f"(load average at the end: {load_end})")
    for failure in failures:
        print(failure)

    results.update(
        report_runs=times,
        report_s=None if whole is None else round(whole, 3),
        python_start_s=round(startup, 3),
        load_at_end=load_end,
        in_process=None
        if inproc is None
        else {k: (round(v, 4) if isinstance(v, float) else v) for k, v in inproc.items()},
        checks={"report": ok},
        passed=ok,
    )

    def cell(v: float | None, fmt: str) -> str:
        return "-" if v is None else format(v, fmt)

    print(
        "\nrow for bench/README.md:\n"
        f"| {results['date']} | {results['machine']} | {args.services} | {args.months} | "
        f"{stats.get('deployments', '-')} | {stats.get('changes', '-')} | "
        f"{cell(whole, '.2f')} | {cell(inproc and inproc['compute_s'], '.2f')} | "
        f"{cell(inproc and inproc['to_json_s'], '.2f')} | {load.removeprefix('load average ')} | "
        f"{verdict} |"
    )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")

    sample.unlink(missing_ok=True)
    if not args.keep:
        remove_paths([*database_files(database), config, stamp, work / "repo"])
        with contextlib.suppress(OSError):
            work.rmdir()
    else:
        print(f"kept {work} (database and config) for the next run")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
