"""`dora-tui init --update` on configs as people write them: what init adds is put in beside
their lines, which stay as written and where they were (comments, blank lines, the order of
tables, a last line with no line break); the file reads back, and `collect` runs on it."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from dora_tui import config as config_module
from dora_tui.cli import main

NEW_B = (
    '[[services]]\nname = "b"\n'
    '# team = "TEAM"  # could not be told: no owner in a catalog, and no CODEOWNERS file\n'
    'repo = "org/b"\ntag_pattern = "v*"\n'
)
"""The entry init writes for the repository org/b (no owner found)."""


def _repos(make_repo, *names: str) -> None:
    """A git repository under org/ for each name, with a commit and a tag."""
    for name in names:
        repo = make_repo(f"org/{name}")
        repo.commit("2024-01-02T09:00:00")
        repo.tag("v1.0.0", "2024-01-03T09:00:00")


def _collects(capsys) -> None:
    """`dora-tui collect` reads the config and collects every repository."""
    capsys.readouterr()
    assert main(["collect"]) == 0
    assert capsys.readouterr().out.startswith("Collected ")


@pytest.mark.parametrize(
    "written",
    [
        '[[services]]\nname = "a"\nrepo = "org/a"',
        '[[services]]\nname = "a"\nrepo = "org/a"\n# org/b is next',
    ],
    ids=["ends-in-a-value", "ends-in-a-comment"],
)
def test_update_adds_to_a_config_whose_last_line_has_no_line_break(
    tmp_path: Path, make_repo, capsys, written: str
) -> None:
    _repos(make_repo, "a", "b")
    config = tmp_path / "dora.toml"
    config.write_text(written)
    assert main(["init", "org", "--update"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "Updated dora.toml: 1 service added (b)."
    text = config.read_text()
    assert NEW_B in text
    kept = [line for line in text.replace(NEW_B, "").splitlines() if line]
    assert kept == written.splitlines()  # each of the person's lines, as written and in order
    assert tomllib.loads(text)["services"] == [
        {"name": "a", "repo": "org/a"},
        {"name": "b", "repo": "org/b", "tag_pattern": "v*"},
    ]
    assert [s.name for s in config_module.load_file(config).services] == ["a", "b"]
    _collects(capsys)
