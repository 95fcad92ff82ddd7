#!/usr/bin/env python3
"""The CSV import benchmark: how `dora-tui import` compares with Python's csv module.

    python bench/bench_import.py [--work DIR] [--jira-rows N] [--pagerduty-rows N] [--keep]

Writes (or reuses, with --keep) into DIR (default ``bench/work/import``), deterministically:

- ``jira.csv``: a Jira Cloud "all fields" CSV export, 200,000 issues by default (56 columns
  with repeated ``Components``/``Labels``/``Sprint``..., a BOM, CRLF, dates like
  ``12/Mar/24 3:45 PM``, multi-line descriptions);
- ``pagerduty.csv``: a PagerDuty incidents report, 50,000 incidents by default (ISO 8601
  times with offsets);
- ``dora.toml``: 20 teams and 200 services the rows map to, with an ``[[imports]]`` entry
  for each file (the Jira ``team_map``, the PagerDuty ``service_map``), database
  ``DIR/dora.db``;

then measures, as whole processes and wall clock, in one run, for each file:

- the floor: ``python -c 'for row in csv.reader(open(FILE, newline="", encoding="utf-8-sig")): pass'``,
  the least any Python reader of the file must do (one warm-up run, then --runs runs for
  the Jira file, --pagerduty-runs for the PagerDuty file);
- the import: ``dora-tui import tickets|incidents FILE --config DIR/dora.toml`` into a
  fresh database (deleted before each run), as many runs, each followed by a check of the
  rows stored;

floor and import runs alternate, so that a change of the machine's load skews both alike.
Target: each import's median at most 5x its floor's median. Exit status 0 when both
targets are met, 1 otherwise (a failing command counts as a miss), 2 on bad usage.
"""

from __future__ import annotations

import argparse
import contextlib
import json
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
from bench_collect import banner, database_files, dora_command, load_average, machine, remove_paths, timed_runs
from import_runs import MINIMAL_PAGERDUTY_CODE, measure

MAX_RATIO = 5.0  # import / csv.reader floor, for each file
MODULES_CODE = "import dora_tui.cli, dora_tui.ops.imports, dora_tui.store.database"


def generate(work: Path, jira_rows: int, pagerduty_rows: int, services: int, teams: int) -> tuple[dict, float | None]:
    """Write the exports and the config (reused when the stamp matches); (manifest, seconds or None)."""
    params = {
        "generator": synthetic.GENERATOR_VERSION,
        "jira_rows": jira_rows,
        "pagerduty_rows": pagerduty_rows,
        "services": services,
        "teams": teams,
        "seed": synthetic.SEED,
        "as_of": synthetic.AS_OF.isoformat(),
    }
    stamp = work / "import.json"
    files = [work / "jira.csv", work / "pagerduty.csv", work / "dora.toml"]
    if stamp.exists() and all(p.exists() for p in files):
        try:
            manifest = json.loads(stamp.read_text(encoding="utf-8"))
            if manifest.get("params") == params:
                return manifest, None
        except (OSError, ValueError):
            pass
    t0 = time.perf_counter()
    work.mkdir(parents=True, exist_ok=True)
    org = synthetic.make_org(services, teams)
    jira = synthetic.write_jira_csv(work / "jira.csv", org, jira_rows)
    pagerduty = synthetic.write_pagerduty_csv(work / "pagerduty.csv", org, pagerduty_rows)
    synthetic.write_import_config(work, org, jira="jira.csv", pagerduty="pagerduty.csv")
    manifest = {
        "params": params,
        "jira": jira,
        "pagerduty": pagerduty,
        "columns": {"jira": len(synthetic.JIRA_HEADER), "pagerduty": len(synthetic.PAGERDUTY_HEADER)},
    }
    stamp.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest, time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    """Build or reuse the exports, measure both files, print the results; the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--work",
        type=Path,
        default=HERE / "work" / "import",
        help="work folder for the exports, config and database (default bench/work/import)",
    )
    parser.add_argument("--jira-rows", type=int, default=200_000, help="issues in the Jira export (default 200000)")
    parser.add_argument(
        "--pagerduty-rows", type=int, default=50_000, help="incidents in the PagerDuty export (default 50000)"
    )
    parser.add_argument("--services", type=int, default=200, help="services (default 200)")
    parser.add_argument("--teams", type=int, default=20, help="teams (default 20)")
    parser.add_argument(
        "--runs", type=int, default=7, help="runs of each measurement of the Jira file, median taken (default 7)"
    )
    parser.add_argument(
        "--pagerduty-runs",
        type=int,
        default=21,
        help="runs of each measurement of the PagerDuty file (default 21: its "
        "import takes under a second, so on a shared machine a slow spell "
        "of a few seconds moves a median of 7 by 10 %% or more)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the exports for the next run / inspection")
    parser.add_argument("--timeout", type=float, default=900, help="seconds before a command is killed (default 900)")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument(
        "--importer",
        metavar="COMMAND",
        help="the dora-tui command to run, split like a shell would (default: "
        "the dora-tui script next to this Python, else python -m dora_tui)",
    )
    args = parser.parse_args(argv)
    if args.runs < 1 or args.pagerduty_runs < 1:
        parser.error("--runs and --pagerduty-runs must be at least 1")
    if args.jira_rows < 1 or args.pagerduty_rows < 1:
        parser.error("--jira-rows and --pagerduty-rows must be at least 1")
    if args.teams < 1 or args.services < args.teams:
        parser.error("need --teams >= 1 and --services >= --teams")

    work = args.work.resolve()
    print(f"writing / checking the exports in {work} ...", flush=True)
    try:
        manifest, built = generate(work, args.jira_rows, args.pagerduty_rows, args.services, args.teams)
    except OSError as exc:
        print(f"bench_import: writing the exports failed: {exc}", file=sys.stderr)
        return 1
    jira, pagerduty = work / "jira.csv", work / "pagerduty.csv"
    config, database = work / "dora.toml", work / "dora.db"
    what = f"generated in {built:.1f} s" if built is not None else "reused"
    print(
        f"{jira.name}: {args.jira_rows:,} issues, {manifest['columns']['jira']} columns, "
        f"{manifest['jira']['bytes'] / 1e6:.1f} MB, {manifest['jira']['multiline']:,} multi-line "
        f"descriptions; {pagerduty.name}: {args.pagerduty_rows:,} incidents, "
        f"{manifest['pagerduty']['bytes'] / 1e6:.1f} MB ({what})"
    )

    dora = shlex.split(args.importer) if args.importer else dora_command()
    load = banner("importer", dora)

    startup_times, _ = timed_runs([sys.executable, "-c", "pass"], args.runs)
    startup = statistics.median(startup_times)
    # What every import pays before reading a byte: the interpreter and dora-tui's modules.
    modules_times, r = timed_runs([sys.executable, "-c", MODULES_CODE], args.runs)
    modules = statistics.median(modules_times) if r.ok and modules_times else None
    results: dict = {
        "date": date.today().isoformat(),
        "machine": machine(),
        "python": platform.python_version(),
        "runs": args.runs,
        "pagerduty_runs": args.pagerduty_runs,
        "load_at_start": load,
        "generate_s": built,
        "python_start_s": round(startup, 3),
        "modules_s": None if modules is None else round(modules, 3),
        "jira_rows": args.jira_rows,
        "pagerduty_rows": args.pagerduty_rows,
    }
    figures = {
        "jira": measure(
            "jira.csv (import tickets)",
            "tickets",
            jira,
            config,
            database,
            args.jira_rows,
            dora,
            args.runs,
            args.timeout,
        ),
        "pagerduty": measure(
            "pagerduty.csv (import incidents)",
            "incidents",
            pagerduty,
            config,
            database,
            args.pagerduty_rows,
            dora,
            args.pagerduty_runs,
            args.timeout,
            reference=MINIMAL_PAGERDUTY_CODE,
        ),
    }
    load_end = load_average()
    results["load_at_end"] = load_end

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "FAIL"

    checks: dict[str, bool] = {}
    rows = [
        ("python start-up (for scale)", f"{startup:.3f} s", "", ""),
        (
            "python start-up + dora-tui's import modules",
            f"{modules:.3f} s" if modules is not None else "-",
            "(for scale)",
            "",
        ),
    ]
    for key, name, runs in (
        ("jira", f"Jira, {args.jira_rows:,} issues", args.runs),
        ("pagerduty", f"PagerDuty, {args.pagerduty_rows:,} incidents", args.pagerduty_runs),
    ):
        f = figures[key]
        ok = f["failure"] is None and f.get("ratio") is not None and f["ratio"] <= MAX_RATIO
        checks[key] = ok
        if f["failure"] is None:
            rows += [
                (f"{name}: floor (csv.reader)", f"{f['floor_s']:.2f} s", f"median of {runs}", ""),
                (
                    f"{name}: import",
                    f"{f['import_s']:.2f} s",
                    f"<= {MAX_RATIO:g} x floor = {MAX_RATIO * f['floor_s']:.2f} s",
                    verdict(ok),
                ),
                ("  ratio import / floor", f"x{f['ratio']:.2f}", f"<= x{MAX_RATIO:g}", ""),
            ]
            if f.get("reference_s"):
                rows.append(
                    (
                        "  minimal pipeline, no checks (for scale)",
                        f"{f['reference_s']:.2f} s",
                        f"x{f['reference_s'] / f['floor_s']:.2f} of the floor",
                        "",
                    )
                )
            rows += [
                (
                    "  peak memory of the import (max RSS)",
                    f"{f['peak_mb']:.0f} MB" if f["peak_mb"] else "-",
                    "(no target)",
                    "",
                ),
            ]
        else:
            rows.append((f"{name}: import", "failed", f"<= {MAX_RATIO:g} x floor", verdict(False)))
    width = max(len(r[0]) for r in rows)
    print(f"\n{'measure':<{width}}  {'value':>9}  {'target':<28}  result")
    for name, value, target, res in rows:
        print(f"{name:<{width}}  {value:>9}  {target:<28}  {res}")
    print(f"(load average at the end: {load_end})")
    for key in ("jira", "pagerduty"):
        f = figures[key]
        if f["failure"] is None:
            print(f"{Path(f['file']).name}: {f['rows']:,} rows stored, {f['unmapped']:,} of them unmapped")
        else:
            print(f["failure"])

    for key, f in figures.items():
        results[key] = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in f.items() if k != "failure"} | {
            "failure": f["failure"]
        }
    results.update(checks=checks, passed=all(checks.values()))

    def cell(f: dict, key: str, fmt: str) -> str:
        return "-" if f.get(key) is None else format(f[key], fmt)

    j, p = figures["jira"], figures["pagerduty"]
    print(
        "\nrow for bench/README.md:\n"
        f"| {results['date']} | {results['machine']} | {args.jira_rows} | "
        f"{cell(j, 'floor_s', '.2f')} | {cell(j, 'import_s', '.2f')} | {cell(j, 'ratio', '.2f')} | "
        f"{args.pagerduty_rows} | {cell(p, 'floor_s', '.2f')} | {cell(p, 'import_s', '.2f')} | "
        f"{cell(p, 'ratio', '.2f')} | {load.removeprefix('load average ')} | "
        f"{'PASS' if checks['jira'] else 'FAIL'} / {'PASS' if checks['pagerduty'] else 'FAIL'} |"
    )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")

    remove_paths(database_files(database))
    if not args.keep:
        remove_paths(
            [
                jira,
                pagerduty,
                config,
                work / "import.json",
                work / "repo",
                jira.with_name(jira.name + ".rejected.csv"),
                pagerduty.with_name(pagerduty.name + ".rejected.csv"),
            ]
        )
        with contextlib.suppress(OSError):
            work.rmdir()
    else:
        print(f"kept {work} (exports and config) for the next run")
    return 0 if results["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
