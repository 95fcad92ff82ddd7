"""Shared fixtures. No test reads the user's own config or data: the environment is pinned."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from support.gitbuilder import GitBuilder


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test away from the user's config, data dir and git config."""
    monkeypatch.delenv("DORA_TUI_CONFIG", raising=False)
    monkeypatch.setenv("DORA_TUI_DATA_DIR", str(tmp_path / "data-dir"))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def make_repo(tmp_path: Path):
    """Build a real git repository under tmp_path: ``make_repo("shop")``."""

    def make(name: str = "repo", *, bare: bool = False) -> GitBuilder:
        return GitBuilder(tmp_path / name, bare=bare)

    return make
