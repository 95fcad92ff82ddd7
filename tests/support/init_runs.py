"""Running ``dora-tui init`` in a test, and reading what it said and wrote."""

from __future__ import annotations

import csv
import io
import tomllib
from pathlib import Path

import pytest

from dora_tui.cli import main

WHEN = "2024-01-02T09:00:00"


def problems(out: str) -> list[str]:
    """The lines init lists under what could not be told."""
    return [line.removeprefix("  - ") for line in out.splitlines() if line.startswith("  - ")]


def init_out(capsys: pytest.CaptureFixture[str], *folders: str) -> str:
    """``dora-tui init FOLDERS``'s output, once it exited 0."""
    capsys.readouterr()
    assert main(["init", *(folders or ("src",))]) == 0
    return capsys.readouterr().out


def report(capsys: pytest.CaptureFixture[str]) -> dict[str, dict[str, str]]:
    """``collect`` then ``report`` for January 2024: each service's CSV row."""
    assert main(["collect"]) == 0
    capsys.readouterr()
    assert main(["report", "--format", "csv", "--as-of", "2024-01-31", "--months", "1"]) == 0
    rows = csv.DictReader(io.StringIO(capsys.readouterr().out))
    return {row["name"]: row for row in rows if row["kind"] == "service"}


def written(tmp_path: Path) -> dict:
    """The config init wrote, as TOML."""
    return tomllib.loads((tmp_path / "dora.toml").read_text())


def tagged(make_repo, name: str, tags: list[str], files: dict[str, str] | None = None):
    """A repository with ``files`` and a commit per tag, one a day from January 3rd 2024."""
    repo = make_repo(name)
    repo.commit_files(WHEN, files or {"README": "hello\n"})
    for day, tag in enumerate(tags, start=3):
        repo.commit(f"2024-01-{day:02d}T09:00:00")
        repo.tag(tag, f"2024-01-{day:02d}T12:00:00")
    return repo
