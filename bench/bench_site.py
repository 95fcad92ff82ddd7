#!/usr/bin/env python3
"""The site benchmark: `dora-tui site` against `dora-tui report --format json` on the same big database.

    python bench/bench_site.py [--work DIR] [--runs N] [--keep]

Builds (or reuses) in DIR (default ``bench/work/report``, shared with ``bench_report.py``)
the report and dashboard benchmarks' synthetic database (``synthetic.build_database``: 200
services of 20 teams, 36 months to 2026-11-22, 100,000 deployments, about 300,000 changes,
4,000 incidents, 50,000 tickets), then times as whole processes, alternating, after one
warm-up run of each:

- the baseline: ``dora-tui report --format json --as-of 2026-11-22 --config DIR/dora.toml
  --output /dev/null`` (the config's window: 36 months);
- the site: ``dora-tui site DIR/site --as-of 2026-11-22 --config DIR/dora.toml`` (same
  window; it replaces the site of the run before).

Prints the medians of --runs (default 3) and their ratio against the target: the site in at
most 2 x the report. Exit status 0 when it is met, 1 otherwise (a failing command counts as
a miss).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synthetic
from measure import (
    banner,
    compile_bytecode,
    creation_cost,
    dora_command,
    explain_failure,
    machine,
    run,
    second_core,
    spread,
)

MAX_RATIO = 2.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--work", type=Path, default=HERE / "work" / "report", help="work folder (default bench/work/report)"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs of each command, median taken (default 3)")
    parser.add_argument("--keep", action="store_true", help="keep the site written (the database is always kept)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds before a command is killed (default 600)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    work = args.work.resolve()
    print(f"building / checking the database in {work} ...", flush=True)
    config = synthetic.build_database(work)
    stats = synthetic.database_stats(work)
    print(
        f"{stats.get('deployments', 0):,} deployments, {stats.get('changes', 0):,} changes, "
        f"{stats.get('incidents', 0):,} incidents, {stats.get('tickets', 0):,} tickets"
    )
    print(compile_bytecode())
    dora = dora_command()
    banner("dora-tui", dora)
    as_of = synthetic.AS_OF.isoformat()
    out = work / "site"
    report = [*dora, "report", "--format", "json", "--as-of", as_of, "--config", str(config), "--output", "/dev/null"]
    site = [*dora, "site", str(out), "--as-of", as_of, "--config", str(config)]
    print(creation_cost(work))
    print(f"before: {second_core()}", flush=True)
    failures = []
    times: dict[str, list[float]] = {"report": [], "site": []}
    for i in range(args.runs + 1):  # the first of each is a warm-up
        for name, cmd in (("report", report), ("site", site)):
            result = run(cmd, timeout=args.timeout)
            if not result.ok:
                failures.append(explain_failure(name, result))
                break
            if i:
                times[name].append(result.seconds)
        if failures:
            break
    print(f"after:  {second_core()}")
    files = sum(1 for p in out.rglob("*") if p.is_file()) if out.exists() else 0
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) if out.exists() else 0
    if not args.keep:
        shutil.rmtree(out, ignore_errors=True)
    if failures:
        print("\n".join(failures), file=sys.stderr)
        return 1
    report_s, site_s = statistics.median(times["report"]), statistics.median(times["site"])
    ratio = site_s / report_s
    print(f"report --format json: {report_s:.2f} s  ({spread(times['report'])})")
    print(f"site:                 {site_s:.2f} s  ({spread(times['site'])}); {files:,} files, {size / 1e6:.0f} MB")
    met = ratio <= MAX_RATIO
    print(f"ratio site / report:  x{ratio:.2f}  (target <= x{MAX_RATIO:.0f}: {'met' if met else 'MISSED'})")
    print(f"| {date.today().isoformat()} | {machine()} | {report_s:.2f} | {site_s:.2f} | {ratio:.2f} | {files} |")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
