"""The measured runs of the CSV import benchmark (``bench_import.py``): floor and import of one
file, alternating, and the minimal pipeline the PagerDuty import is compared with."""

from __future__ import annotations

import shlex
import sqlite3
import statistics
import sys
from pathlib import Path

from bench_collect import Run, database_files, explain_failure, remove_paths, run, spread

FLOOR_CODE = "import csv, sys\nfor row in csv.reader(open(sys.argv[1], newline='', encoding='utf-8-sig')): pass"
# For scale, not a target: the three steps an import of the PagerDuty file cannot skip, done
# as plainly as Python allows, with none of dora-tui's checks, mapping or modules: read the
# CSV, read its two ISO 8601 time columns, insert the rows in one transaction into an
# incidents table of the same shape (WITHOUT ROWID on (source, id), 32 KiB pages, WAL).
MINIMAL_PAGERDUTY_CODE = """\
import csv, gc, os, sqlite3, sys
from datetime import datetime
from itertools import repeat
from operator import itemgetter
gc.disable()
rows = csv.reader(open(sys.argv[1], newline="", encoding="utf-8-sig"))
head = next(rows)
get = itemgetter(*map(head.index, ("id", "service_name", "created_on", "resolved_on", "description", "urgency")))
cols = list(zip(*map(get, rows)))
when = lambda col: [int(datetime.fromisoformat(v).timestamp()) if v else None for v in col]
records = zip(repeat("pagerduty"), cols[0], when(cols[2]), when(cols[3]), cols[1], cols[1], repeat(None),
              cols[5], cols[4], repeat(""))
for suffix in ("", "-wal", "-shm"):
    if os.path.exists(sys.argv[2] + suffix):
        os.remove(sys.argv[2] + suffix)
db = sqlite3.connect(sys.argv[2])
db.execute("PRAGMA page_size=32768"); db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=NORMAL")
db.execute("CREATE TABLE incidents (source TEXT NOT NULL, id TEXT NOT NULL, opened_at INTEGER NOT NULL,"
           " resolved_at INTEGER, service TEXT, raw_service TEXT, team TEXT, severity TEXT, title TEXT,"
           " reference TEXT, PRIMARY KEY (source, id)) WITHOUT ROWID")
with db:
    db.executemany("INSERT INTO incidents VALUES (?,?,?,?,?,?,?,?,?,?)", records)
db.close()
"""


def stored(database: Path, table: str) -> tuple[int, int]:
    """(rows, unmapped rows) in ``table`` of the database."""
    column = "team" if table == "tickets" else "service"
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        total = db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        unmapped = db.execute(f"SELECT count(*) FROM {table} WHERE {column} IS NULL").fetchone()[0]
    return int(total), int(unmapped)


def measure(
    label: str,
    kind: str,
    file: Path,
    config: Path,
    database: Path,
    expected: int,
    dora: list[str],
    runs: int,
    timeout: float,
    reference: str | None = None,
) -> dict:
    """Floor and import of one file, alternating; returns the figures (``failure`` on a miss).

    ``reference``: Python code run as ``python -c CODE FILE DB`` in the same alternation,
    reported for scale (``reference_s``).
    """
    floor_cmd = [sys.executable, "-c", FLOOR_CODE, str(file)]
    import_cmd = [*dora, "import", kind, str(file), "--config", str(config)]
    scratch = database.with_name("reference.db")
    reference_cmd = [sys.executable, "-c", reference, str(file), str(scratch)] if reference else None
    out: dict = {
        "file": str(file),
        "bytes": file.stat().st_size,
        "floor_runs": [],
        "import_runs": [],
        "reference_runs": [],
        "failure": None,
        "peak_mb": None,
    }
    warm = run(floor_cmd, timeout=timeout)  # warms the page cache
    if not warm.ok:
        out["failure"] = explain_failure(f"the floor of {label} (csv.reader)", warm)
        return out

    def timed(cmd: list[str], what: str, key: str) -> Run | None:
        r = run(cmd, timeout=timeout)
        if not r.ok:
            out["failure"] = explain_failure(what, r)
            return None
        out[key].append(r.seconds)
        return r

    peak = 0
    for _ in range(runs):
        if timed(floor_cmd, f"the floor of {label} (csv.reader)", "floor_runs") is None:
            return out
        remove_paths(database_files(database))
        r = timed(import_cmd, f"import of {label}", "import_runs")
        if r is None:
            return out
        peak = max(peak, r.peak_single_kb or 0)
        try:
            rows, unmapped = stored(database, kind)
        except sqlite3.Error as exc:
            out["failure"] = f"\nimport of {label}: cannot read {database} afterwards: {exc}"
            return out
        if rows != expected:
            out["failure"] = (
                f"\nimport of {label}: {rows} {kind} stored, expected {expected}\n  command: {shlex.join(import_cmd)}"
            )
            return out
        out.update(rows=rows, unmapped=unmapped)
        if reference_cmd and timed(reference_cmd, f"the minimal pipeline for {label}", "reference_runs") is None:
            return out
    remove_paths(database_files(scratch))
    if out["reference_runs"]:
        out["reference_s"] = statistics.median(out["reference_runs"])
    out["floor_s"] = statistics.median(out["floor_runs"])
    out["import_s"] = statistics.median(out["import_runs"])
    out["ratio"] = out["import_s"] / out["floor_s"] if out["floor_s"] > 0 else None
    out["peak_mb"] = peak / 1024 if peak else None
    minimal = f"; minimal pipeline {spread(out['reference_runs'])} s" if out["reference_runs"] else ""
    print(f"{label}: floor {spread(out['floor_runs'])} s; import {spread(out['import_runs'])} s{minimal}", flush=True)
    return out
