"""The site's figures and the rows behind them are of one state of the database, whatever a
collect or an import commits while the site is written (a review's finding: in 12 sites of 25
written beside a loop of imports, report.json counted an incident the rows page did not list).

The figures are computed in one process and the rows read in another, each in a snapshot of
its own; the write is made to land between the two, at a fixed point (a profile hook calls
the import when the named function is called, in whichever process calls it)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from support.gitbuilder import GitBuilder

# python -c IMPORT_AT FUNCTION OWNER PAUSE CSV ARGS...: dora-tui ARGS; when FUNCTION is first
# called in the process that called OWNER ("-": in any process), PAUSE seconds later,
# `dora-tui import incidents CSV` runs to its end
IMPORT_AT = """
import os, subprocess, sys, time
from dora_tui import entry

name, owner, pause, csv = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
owners = []

def profile(frame, event, arg):
    if event != "call":
        return
    if frame.f_code.co_name == owner:
        owners.append(os.getpid())
    elif frame.f_code.co_name == name and (owner == "-" or os.getpid() in owners):
        sys.setprofile(None)
        time.sleep(pause)
        command = ["import", "incidents", csv, "--format", "generic"]
        subprocess.run([sys.executable, "-m", "dora_tui", *command], check=True)

sys.argv = ["dora-tui", *sys.argv[5:]]
sys.setprofile(profile)
sys.exit(entry.main())
"""

CONFIG = 'database = "dora.db"\ntimezone = "UTC"\n\n[[services]]\nname = "shop"\nrepo = "shop"\n'
INCIDENT = "id,opened_at,resolved_at,service\n{id},2026-11-{day}T10:00:00Z,2026-11-{day}T11:00:00Z,shop\n"


def dora(cwd: Path, *argv: str) -> None:
    subprocess.run([sys.executable, "-m", "dora_tui", *argv], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    repo = GitBuilder(tmp_path / "shop")
    repo.commit("2026-10-01T10:00:00", "initial")
    repo.tag("v1.0.0", "2026-10-02T10:00:00")
    repo.commit("2026-11-03T10:00:00", "a change")
    repo.tag("v1.1.0", "2026-11-04T10:00:00")
    (tmp_path / "dora.toml").write_text(CONFIG)
    (tmp_path / "first.csv").write_text(INCIDENT.format(id="INC-1", day="05"))
    (tmp_path / "second.csv").write_text(INCIDENT.format(id="INC-2", day="06"))
    dora(tmp_path, "collect")
    dora(tmp_path, "import", "incidents", "first.csv", "--format", "generic")
    return tmp_path


def resolved_in_november(site: Path) -> tuple[int, int]:
    """November's incidents resolved: as report.json counts them, and as the rows page lists them."""
    doc = json.loads((site / "report.json").read_text(encoding="utf-8"))
    shop = next(e for e in doc["entities"] if e["name"] == "shop")
    counted = next(m["incidents_resolved"] for m in shop["months"] if m["month"] == "2026-11")
    rows = (site / "rows" / "services" / "shop.html").read_text(encoding="utf-8")
    listed = re.search(r'<h3 id="2026-11-incidents">Incidents resolved \((\d+)\)</h3>', rows)
    assert listed
    return counted, int(listed[1])


@pytest.mark.parametrize(
    ("at", "owner", "pause", "incidents"),
    [
        # after the figures' snapshot, as the rows are about to be read: in neither
        ("read_rows", "-", 0.5, 1),
        # after the figures' snapshot, before the rows': the figures are computed again, from the rows' state
        ("snapshot", "make_files", 0.0, 2),
    ],
)
def test_the_figures_and_their_rows_are_of_one_state(
    workspace: Path, at: str, owner: str, pause: float, incidents: int
) -> None:
    site = workspace / "site"
    argv = [at, owner, str(pause), str(workspace / "second.csv"), "site", str(site), "--as-of", "2026-11-30"]
    subprocess.run([sys.executable, "-c", IMPORT_AT, *argv], cwd=workspace, check=True, capture_output=True)
    assert resolved_in_november(site) == (incidents, incidents)
