"""`dora-tui --version`: the version written once, in pyproject.toml, as the installed package has it."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import dora_tui

ROOT = Path(__file__).resolve().parents[2]
DORA = Path(sys.executable).with_name("dora-tui")  # the console script, as installed


def written_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def test_version_prints_the_version_of_pyproject() -> None:
    result = subprocess.run([str(DORA), "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"dora-tui {written_version()}\n"
    assert result.stderr == ""


def test_the_package_says_the_same_version() -> None:
    assert dora_tui.__version__ == written_version()
    assert dora_tui.installed_version() == written_version()
