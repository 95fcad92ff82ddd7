"""Files dora-tui writes are written whole or not at all, and links and special files there
are handled as a user expects: ``--skip-invalid``'s ``FILE.rejected.csv`` (a link, a folder,
an export read from a pipe) and ``report --output`` (a failed write, a link, a device)."""

from __future__ import annotations

import csv
import os
import stat
import subprocess
from pathlib import Path
from typing import TextIO

import pytest

from dora_tui.cli import main
from support.processes import DORA, column, incident, stored_incidents, write_csv

# -- 5. --skip-invalid writes FILE.rejected.csv without following a link there -------------


def test_skip_invalid_replaces_a_link_at_the_rejected_file_and_leaves_its_target_alone(workspace: Path) -> None:
    write_csv(workspace / "pd.csv", [incident(1), incident(2, "not a date")])
    precious = workspace / "precious.txt"
    precious.write_bytes(b"someone else's file\n")
    (workspace / "pd.csv.rejected.csv").symlink_to(precious)
    assert main(["import", "incidents", "pd.csv", "--skip-invalid"]) == 0
    assert precious.read_bytes() == b"someone else's file\n"
    rejected = workspace / "pd.csv.rejected.csv"
    assert not rejected.is_symlink()
    with rejected.open(newline="", encoding="utf-8") as handle:
        assert [row["id"] for row in csv.DictReader(handle)] == ["P2"]
    assert stored_incidents(workspace / "dora.db") == ["P1"]
    assert [p.name for p in workspace.iterdir() if p.name.endswith(".tmp")] == []


def test_a_folder_at_the_rejected_file_is_an_error_naming_it(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_csv(workspace / "pd.csv", [incident(1), incident(2, "not a date")])
    (workspace / "pd.csv.rejected.csv").mkdir()
    assert main(["import", "incidents", "pd.csv", "--skip-invalid"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pd.csv.rejected.csv" in err and "folder" in err
    assert not (workspace / "dora.db").exists()
    assert [p.name for p in workspace.iterdir() if p.name.endswith(".tmp")] == []


def test_skip_invalid_on_an_export_from_a_pipe_writes_the_rejected_rows_in_the_current_folder(workspace: Path) -> None:
    export = write_csv(workspace / "pd.csv", [incident(1), incident(2, "not a date")])
    with export.open("rb") as stdin:
        out = subprocess.run(
            [str(DORA), "import", "incidents", "/dev/stdin", "--skip-invalid"],
            cwd=workspace,
            stdin=stdin,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert out.returncode == 0, out.stderr
    assert f"1 bad row written to {workspace / 'stdin.rejected.csv'}" in out.stdout
    assert (workspace / "stdin.rejected.csv").read_text().count("\n") == 2  # its header and the bad row
    assert column(workspace / "dora.db", "SELECT id FROM incidents") == ["P1"]


# -- files written whole or not at all (report --output, init, FILE.rejected.csv) ----------


def test_a_write_that_fails_half_way_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    from dora_tui.ops.files import replace_file

    target = tmp_path / "report.md"
    target.write_text("the previous report\n")

    def write(handle: TextIO) -> None:
        handle.write("half of a new rep")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        replace_file(target, write, follow_link=True)
    assert target.read_text() == "the previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]


def test_report_output_through_a_link_replaces_the_file_it_names(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workspace / "reports").mkdir()
    (workspace / "reports" / "latest.json").write_text("old\n")
    (workspace / "out.json").symlink_to(workspace / "reports" / "latest.json")
    write_csv(workspace / "pd.csv", [incident(1)])
    assert main(["import", "incidents", "pd.csv"]) == 0
    assert main(["report", "--output", "out.json", "--as-of", "2024-09-30"]) == 0
    assert (workspace / "out.json").is_symlink()
    assert (workspace / "reports" / "latest.json").read_text().startswith("{")


def test_report_output_to_a_device_writes_into_it_and_leaves_it_a_device(workspace: Path) -> None:
    write_csv(workspace / "pd.csv", [incident(1)])
    assert main(["import", "incidents", "pd.csv"]) == 0
    fifo = workspace / "out.fifo"  # a special file of our own (not /dev/null, which other tests use)
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    assert main(["report", "--output", str(fifo), "--as-of", "2024-09-30"]) == 0
    out, _ = reader.communicate(timeout=30)
    assert out.startswith(b"{") and stat.S_ISFIFO(fifo.lstat().st_mode)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full, a device every write to fails")
@pytest.mark.parametrize("closed", [False, True], ids=["full", "closed"])
@pytest.mark.parametrize(
    "argv", [["report", "--format", "json"], ["import", "incidents", "pd.csv", "--dry-run"], ["doctor"], ["--version"]]
)
def test_a_standard_output_that_cannot_be_written_is_one_line(workspace: Path, argv: list[str], closed: bool) -> None:
    # `> /dev/full` (a full disk) or `>&-`: a traceback before (a review's finding); a closed
    # pipe (`| head`) is no error
    write_csv(workspace / "pd.csv", [incident(1)])
    assert main(["import", "incidents", "pd.csv"]) == 0
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [DORA, *argv],
            cwd=workspace,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=(lambda: os.close(1)) if closed else None,
        )
    why = "the standard output is closed" if closed else "No space left on device"
    assert done.returncode == 1 and done.stderr == f"dora-tui: error: cannot write the output: {why}\n"


@pytest.mark.parametrize("argv", [["report", "--config", "nowhere.toml"], ["collect"], ["--config", "nowhere.toml"]])
def test_with_stderr_closed_nothing_lands_on_the_standard_output(workspace: Path, argv: list[str]) -> None:
    # `2>&-`: the error line went to the standard output, into `report > out.json` (a review's finding)
    done = subprocess.run(
        [DORA, *argv], cwd=workspace, capture_output=True, text=True, preexec_fn=lambda: os.close(2), check=False
    )
    assert done.returncode == 2 and done.stdout == ""
