"""`dora-tui init` on tags and owners a review found mistaken: a CODEOWNERS team with no name,
a byte-order mark before CODEOWNERS' first rule, hotfix/rollback and rebuild-counter tags taken
for pre-releases, a release-word tag prefix taken for a module, a repository's own tags left
to no service unsaid, and a repository given by its ``.git`` folder."""

from __future__ import annotations

import csv
import io
import tomllib
from pathlib import Path

import pytest

from dora_tui import config as config_module
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


# 1. A CODEOWNERS team with no name is no team.


@pytest.mark.parametrize("owner", ["@acme/", "@acme/\\ ", "@acme/\u00a0", "@/", "@acme/web/"])
def test_a_codeowners_team_with_no_name_is_no_owner(tmp_path: Path, make_repo, capsys, owner: str) -> None:
    tagged(make_repo, "src/svc", ["v1.0.0"], {"CODEOWNERS": f"* {owner}\n"})
    out = init_out(capsys)
    data = written(tmp_path)
    assert "teams" not in data
    assert [("team" in s, s["name"]) for s in data["services"]] == [(False, "svc")]
    assert problems(out) == [
        f"service svc: src/svc/CODEOWNERS line 1 names {owner.replace(chr(92), '')}, not a team: "
        'add team = "TEAM" to its [[services]] entry (and the team under [[teams]])'
    ]
    assert config_module.load_file(tmp_path / "dora.toml").services[0].team is None
    assert report(capsys)["svc"]["team"] == ""


def test_a_codeowners_team_with_no_name_gives_way_to_the_next_owner(tmp_path: Path, make_repo, capsys) -> None:
    tagged(make_repo, "src/svc", ["v1.0.0"], {"CODEOWNERS": "* @acme/ @acme/web\n"})
    assert problems(init_out(capsys)) == []
    assert [(s["name"], s["team"]) for s in written(tmp_path)["services"]] == [("svc", "web")]
    assert report(capsys)["svc"]["team"] == "web"


# 2. A byte-order mark before the first rule.


def test_a_byte_order_mark_does_not_hide_the_first_codeowners_rule(tmp_path: Path, make_repo, capsys) -> None:
    tagged(make_repo, "src/svc", ["v1.0.0"], {".github/CODEOWNERS": "\ufeff* @acme/web\n"})
    assert problems(init_out(capsys)) == []
    assert [(s["name"], s["team"]) for s in written(tmp_path)["services"]] == [("svc", "web")]
    assert written(tmp_path)["teams"] == [{"name": "web"}]
