"""``dora-tui site``: deterministic, replaced whole, never over files it did not write; bad input is one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from dora_tui.cli import main
from support.cli import error_line
from support.site import DEMO_DAY, demo_workspace


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_workspace(tmp_path_factory.mktemp("demo"))


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def site(config: Path, out: Path, *more: str) -> int:
    return main(["site", str(out), "--as-of", DEMO_DAY.isoformat(), "--config", str(config), *more])


def test_two_runs_write_byte_identical_files(config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert site(config, tmp_path / "a") == 0
    assert "pages into" in capsys.readouterr().out
    assert site(config, tmp_path / "b") == 0
    first, second = files(tmp_path / "a"), files(tmp_path / "b")
    assert first == second and len(first) > 100


def test_an_existing_site_is_replaced_whole(config: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert site(config, out, "--months", "3") == 0
    three = files(out)
    assert site(config, out) == 0  # 12 months: more month pages, the old ones gone
    twelve = files(out)
    assert set(twelve) > {p for p in three if "/months/" not in p}
    assert not [p for p in tmp_path.iterdir() if p.name != "site"]  # no staging folder left beside it
    listed = (out / "dora-tui-site.txt").read_text(encoding="utf-8").splitlines()
    assert sorted(line for line in listed if not line.startswith("#")) == sorted(twelve)


def test_a_file_the_site_did_not_write_stops_it_unless_forced(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    assert site(config, out) == 0
    (out / "CNAME").write_text("dora.example.org\n")
    before = files(out)
    line = error_line(capsys, ["site", str(out), "--as-of", DEMO_DAY.isoformat(), "--config", str(config)])
    assert "'CNAME'" in line and "--force" in line
    assert files(out) == before  # untouched
    assert site(config, out, "--force") == 0
    assert not (out / "CNAME").exists()


def test_a_folder_of_someone_else_s_files_is_refused(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "docs"
    out.mkdir()
    (out / "notes.md").write_text("mine\n")
    line = error_line(capsys, ["site", str(out), "--config", str(config)])
    assert "notes.md" in line
    assert (out / "notes.md").read_text() == "mine\n"


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--months", "0"], "--months"),
        (["--as-of", "2026-13-01"], "--as-of"),
        (["--as-of", "0001-03-01", "--months", "24"], "as-of"),
    ],
)
def test_bad_options_are_one_line(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], said: str
) -> None:
    line = error_line(capsys, ["site", str(tmp_path / "out"), "--config", str(config), *argv])
    assert said in line
    assert not (tmp_path / "out").exists()


def test_out_being_a_file_is_one_line(config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "out").write_text("x")
    assert "not a folder" in error_line(capsys, ["site", str(tmp_path / "out"), "--config", str(config)])


def test_the_demo_writes_its_site_and_says_where(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["demo", str(tmp_path / "demo"), "--no-tui"]) == 0
    lines = capsys.readouterr().out.splitlines()
    index = tmp_path / "demo" / "site" / "index.html"
    assert lines[-2].startswith("Demo workspace: ")
    assert lines[-1] == f"Demo site: {index} (open it in a browser)"
    assert index.is_file() and (index.parent / "services" / "checkout.html").is_file()
