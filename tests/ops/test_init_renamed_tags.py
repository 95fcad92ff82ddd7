"""`dora-tui init` on a repository whose releases changed names (``v1.3.0``, then
``release-2024.01.06``): the pattern init guesses takes the earlier spelling (the most common),
so ``collect`` would count none of the newer releases. Init says so, with a pattern taking
both; a side series (git's ``gitgui-0.x`` beside ``v2.x``) or an older spelling is not said,
and ``init --update`` says it only while the config's own pattern leaves the newer ones out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dora_tui.cli import main
from support.init_runs import init_out, problems, report, tagged


def renamed_lines(out: str) -> list[str]:
    """The lines saying a repository's releases may have changed names."""
    return [line for line in problems(out) if "named otherwise" in line]


def suggested(line: str) -> str:
    """The ``tag_pattern = ...`` a line suggests, as TOML."""
    match = re.search(r"\(tag_pattern = ('[^']*'|\"[^\"]*\")\)$", line)
    assert match, line
    return match.group(1)


def take(tmp_path: Path, old: str, pattern: str) -> None:
    """Write the suggested pattern into the config in place of ``old``."""
    config = tmp_path / "dora.toml"
    text = config.read_text()
    assert f'tag_pattern = "{old}"' in text, text
    config.write_text(text.replace(f'tag_pattern = "{old}"', f"tag_pattern = {pattern}", 1))


def test_newer_releases_named_otherwise_are_said_with_a_pattern_taking_both(tmp_path, make_repo, capsys) -> None:
    tagged(make_repo, "src/shop", ["v1.1.0", "v1.2.0", "v1.3.0", "release-2024.01.06", "release-2024.01.07"])
    (line,) = renamed_lines(init_out(capsys))
    assert line.startswith(
        'src/shop: its 2 tags after v1.3.0, the last that tag_pattern = "v*" takes, are named otherwise '
        "(release-2024.01.06, release-2024.01.07): collect would count none of them; if its releases "
        "changed names, take both"
    ), line
    take(tmp_path, "v*", suggested(line))
    assert report(capsys)["shop"]["deployments"] == "5"
    capsys.readouterr()
    assert main(["init", "--update", "src"]) == 0  # the config takes them now: nothing more to say
    assert renamed_lines(capsys.readouterr().out) == []


def test_bare_versions_then_another_spelling_keep_the_earlier_releases(tmp_path, make_repo, capsys) -> None:
    tagged(make_repo, "src/shop", ["1.1.0", "1.2.0", "1.3.0", "1.4.0", "rel-24.1", "rel-24.2"])
    (line,) = renamed_lines(init_out(capsys))
    take(tmp_path, "re:[0-9].*", suggested(line))
    assert report(capsys)["shop"]["deployments"] == "6"


def test_a_monorepo_s_own_renamed_releases_leave_its_modules_tags_out(tmp_path, make_repo, capsys) -> None:
    files = {"services/cart/main.go": "package main\n", "README": "hi\n"}
    tags = ["services/cart/v1.0.0", "v1.0.0", "v1.1.0", "services/cart/v1.1.0", "release/2024.1", "release/2024.2"]
    tagged(make_repo, "src/mono", tags, files)
    out = init_out(capsys)
    (line,) = renamed_lines(out)
    assert "(release/2024.1, release/2024.2)" in line, line
    pattern = suggested(line)
    text = (tmp_path / "dora.toml").read_text()
    (old,) = re.findall(r'tag_pattern = "(re:[^"]*)"', text)
    take(tmp_path, old, pattern)
    rows = report(capsys)
    assert (rows["mono"]["deployments"], rows["cart"]["deployments"]) == ("4", "2")


@pytest.mark.parametrize(
    "tags",
    [
        # a side series all along (git's gitgui-0.x beside v2.x), its newest tag the newest
        ["v1.0.0", "gitgui-0.1", "v1.1.0", "gitgui-0.2", "v1.2.0", "gitgui-0.3", "gitgui-0.4"],
        # an older spelling, before the pattern's releases
        ["release-2023.1", "release-2023.2", "v1.1.0", "v1.2.0", "v1.3.0"],
        # one tag of another spelling after the last release: not yet a series
        ["v1.1.0", "v1.2.0", "v1.3.0", "backup-2024.1"],
        # pre-releases of another spelling
        ["v1.1.0", "v1.2.0", "v1.3.0", "next-2.0.0-rc.1", "next-2.0.0-rc.2"],
    ],
)
def test_side_series_older_spellings_and_single_tags_are_not_said(tmp_path, make_repo, capsys, tags) -> None:
    tagged(make_repo, "src/shop", tags)
    assert renamed_lines(init_out(capsys)) == []


def test_update_says_it_while_the_config_leaves_the_newer_releases_out(tmp_path, make_repo, capsys) -> None:
    repo = tagged(make_repo, "src/shop", ["v1.1.0", "v1.2.0", "v1.3.0"])
    init_out(capsys)
    for day, tag in ((10, "release-2024.01.10"), (11, "release-2024.01.11")):
        repo.commit(f"2024-01-{day}T09:00:00")
        repo.tag(tag, f"2024-01-{day}T12:00:00")
    capsys.readouterr()
    assert main(["init", "--update", "src"]) == 0
    (line,) = renamed_lines(capsys.readouterr().out)
    take(tmp_path, "v*", suggested(line))
    assert main(["init", "--update", "src"]) == 0
    assert renamed_lines(capsys.readouterr().out) == []


@pytest.mark.parametrize("new", ["release-", "zrel-"])
def test_a_first_new_name_on_the_last_release_s_commit_is_said_whatever_its_spelling(
    tmp_path, make_repo, capsys, new
) -> None:
    # lightweight tags of one commit have one time: the order of their names is no order in time
    repo = make_repo("src/shop")
    days = ((2, ["v1.0.0"]), (3, ["v1.1.0"]), (4, ["v1.2.0"]), (5, ["v1.3.0", f"{new}2024.01.05"]), (10, []), (11, []))
    for day, names in days:
        repo.commit(f"2024-01-{day:02d}T09:00:00")
        for name in names or [f"{new}2024.01.{day}"]:
            repo.tag(name, f"2024-01-{day:02d}T09:00:00", lightweight=True)
    (line,) = renamed_lines(init_out(capsys))
    assert "its 3 tags after v1.3.0" in line and f"({new}2024.01.05, {new}2024.01.10, {new}2024.01.11)" in line


def test_several_new_series_at_once_are_new_components_not_a_rename(tmp_path, make_repo, capsys) -> None:
    tags = ["oldchart-1.0.0", "oldchart-1.1.0", "oldchart-1.2.0", "newchart-0.1.0", "other-0.1.0"]
    tagged(make_repo, "src/charts", [*tags, "newchart-0.2.0", "other-0.2.0"])
    assert renamed_lines(init_out(capsys)) == []
