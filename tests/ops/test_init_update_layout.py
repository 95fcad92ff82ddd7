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
    ("written", "updated"),
    [
        (
            '[[services]]\nname = "a"\nrepo = "org/a"',
            '[[services]]\nname = "a"\nrepo = "org/a"\n\n' + NEW_B,
        ),
        (
            '[[services]]\nname = "a"\nrepo = "org/a"\n# the end',
            '[[services]]\nname = "a"\nrepo = "org/a"\n\n' + NEW_B + "\n# the end",
        ),
    ],
    ids=["ends-in-a-value", "ends-in-a-comment"],
)
def test_update_adds_to_a_config_whose_last_line_has_no_line_break(
    tmp_path: Path, make_repo, capsys, written: str, updated: str
) -> None:
    _repos(make_repo, "a", "b")
    config = tmp_path / "dora.toml"
    config.write_text(written)
    assert main(["init", "org", "--update"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "Updated dora.toml: 1 service added (b)."
    text = config.read_text()
    assert text == updated  # the person's lines as written, the last one ended; the comment still last
    assert tomllib.loads(text)["services"] == [
        {"name": "a", "repo": "org/a"},
        {"name": "b", "repo": "org/b", "tag_pattern": "v*"},
    ]
    assert [s.name for s in config_module.load_file(config).services] == ["a", "b"]
    _collects(capsys)


SPLIT = """\
# Our services. Ask #platform before renaming one.
database = "dora.db"
timezone = "Europe/London"

[[teams]]
name = "web"   # set by hand

[[services]]
name = "a"
team = "web"
repo = "org/a"

# Imports: PagerDuty export, refreshed weekly
[[imports]]
kind = "incidents"
file = "incidents.csv"

# Legacy service below
[[services]]
name = "zz"
team = "web"
repo = "org/zz"
"""


def test_update_moves_no_table_and_no_comment(tmp_path: Path, make_repo, capsys) -> None:
    _repos(make_repo, "a", "b", "c", "zz")
    make_repo("org/c").commit_files("2024-01-04T09:00:00", {"CODEOWNERS": "* @acme/payments\n"})
    (tmp_path / "incidents.csv").write_text("id,opened,resolved\n")
    config = tmp_path / "dora.toml"
    config.write_text(SPLIT)
    assert main(["init", "org", "--update"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "Updated dora.toml: 2 services added (b, c); 1 team added (payments)."
    )
    new_team = '[[teams]]\n# owner from CODEOWNERS line 1 in c\nname = "payments"\n'
    new_c = (
        '[[services]]\nname = "c"\nteam = "payments" # owner from CODEOWNERS line 1\n'
        'repo = "org/c"\ntag_pattern = "v*"\n'
    )
    at_team = SPLIT.index("\n[[services]]")
    assert config.read_text() == (
        SPLIT[:at_team] + "\n" + new_team + SPLIT[at_team:] + "\n" + NEW_B + "\n" + new_c
    )  # the teams added after the last team; the services after the last service
    cfg = config_module.load_file(config)
    assert [(s.name, s.team) for s in cfg.services] == [("a", "web"), ("zz", "web"), ("b", None), ("c", "payments")]
    assert [t.name for t in cfg.teams] == ["web", "payments"]
    assert [i.file.name for i in cfg.imports] == ["incidents.csv"]
    _collects(capsys)


def test_update_reads_where_tables_begin_as_toml_does(tmp_path: Path, make_repo, capsys) -> None:
    _repos(make_repo, "a", "b")
    written = (
        '[[services]]\nname = "a"\nrepo = "org/a"\n'
        "rework_pattern = '''\n^(revert|fix)\n[services] of a string, not a table\n# nor a comment'''\n"
        '\n[[imports]]\nkind = "incidents"\nfile = "incidents.csv"\n'
    )
    config = tmp_path / "dora.toml"
    config.write_text(written)
    assert main(["init", "org", "--update"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "Updated dora.toml: 1 service added (b)."
    at = written.index("\n[[imports]]")
    assert config.read_text() == written[:at] + "\n" + NEW_B + written[at:]
    assert config_module.load_file(config).services[0].rework_pattern == (
        "^(revert|fix)\n[services] of a string, not a table\n# nor a comment"
    )


TRAILING = """\
database = "dora.db"

[[teams]]
name = "web"   # set by hand
# more teams go here, one table each

[[services]]
name = "a"
repo = "org/a"
# a: its tags are its deployments

# Legacy service below
[[services]]
name = "zz"
repo = "org/zz"
# Imports: PagerDuty export, refreshed weekly
[[imports]]
kind = "incidents"
file = "incidents.csv"
"""


def test_update_adds_before_the_comments_that_introduce_the_next_table(tmp_path: Path, make_repo, capsys) -> None:
    _repos(make_repo, "a", "b", "c", "zz")
    make_repo("org/a").commit_files("2024-01-04T09:00:00", {"CODEOWNERS": "* @acme/web\n"})
    make_repo("org/c").commit_files("2024-01-04T09:00:00", {"CODEOWNERS": "* @acme/payments\n"})
    config = tmp_path / "dora.toml"
    config.write_text(TRAILING)
    assert main(["init", "org", "--update"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "Updated dora.toml: 2 services added (b, c); 1 team added (payments); a team filled in for a."
    )
    new_team = '[[teams]]\n# owner from CODEOWNERS line 1 in c\nname = "payments"\n'
    team_a = 'team = "web" # owner from CODEOWNERS line 1\n'
    new_c = (
        '[[services]]\nname = "c"\nteam = "payments" # owner from CODEOWNERS line 1\n'
        'repo = "org/c"\ntag_pattern = "v*"\n'
    )
    teams_end = TRAILING.index("\n[[services]]")  # after the team's own comment, set apart by a blank line
    a_end = TRAILING.index("# a: its tags")  # after a's last key, before its own comment
    services_end = TRAILING.index("# Imports")  # before the comment that introduces [[imports]]
    assert config.read_text() == (
        TRAILING[:teams_end]
        + "\n"
        + new_team
        + TRAILING[teams_end:a_end]
        + team_a
        + TRAILING[a_end:services_end]
        + "\n"
        + NEW_B
        + "\n"
        + new_c
        + "\n"
        + TRAILING[services_end:]
    )
    cfg = config_module.load_file(config)
    assert [(s.name, s.team) for s in cfg.services] == [("a", "web"), ("zz", None), ("b", None), ("c", "payments")]
    assert [t.name for t in cfg.teams] == ["web", "payments"]
    _collects(capsys)


IMPORTS = '[[imports]]\nkind = "incidents"\nfile = "incidents.csv"\n'
"""An [[imports]] table, after which nothing is added."""


@pytest.mark.parametrize(
    ("written", "newline"),
    [
        ('# pasted from a Windows note\r\n[[services]]\nname = "a"\nrepo = "org/a"\n\n' + IMPORTS, "\n"),
        (
            '[[services]]\r\nname = "a"\r\nrepo = "org/a"\r\n\n'
            + IMPORTS.replace("\n", "\r\n").replace("kind", "# one line in LF\nkind"),
            "\r\n",
        ),
        ('[[services]]\r\nname = "a"\r\nrepo = "org/a"\r\n\r\n' + IMPORTS.replace("\n", "\r\n"), "\r\n"),
        ('[[services]]\nname = "a"\nrepo = "org/a"\n\n' + IMPORTS, "\n"),
        ('# ours\r\n[[services]]\nname = "a"\r\nrepo = "org/a"\n\n' + IMPORTS.replace("\n", "\r\n", 2), "\r\n"),
    ],
    ids=["mostly-lf", "mostly-crlf-an-lf-blank-line", "all-crlf", "all-lf", "a-tie-the-first-line"],
)
def test_update_adds_lines_in_the_line_break_most_of_the_file_has(
    tmp_path: Path, make_repo, capsys, written: str, newline: str
) -> None:
    _repos(make_repo, "a", "b")
    config = tmp_path / "dora.toml"
    config.write_bytes(written.encode())
    assert main(["init", "org", "--update"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "Updated dora.toml: 1 service added (b)."
    at = written.index("\n", written.index('"org/a"')) + 1  # the end of a's last line
    added = newline + NEW_B.replace("\n", newline)  # set apart by a blank line, and by the one already there
    assert config.read_bytes() == (written[:at] + added + written[at:]).encode()
    assert [s.name for s in config_module.load_file(config).services] == ["a", "b"]


def test_update_fills_in_a_team_in_the_line_break_most_of_the_file_has(tmp_path: Path, make_repo, capsys) -> None:
    _repos(make_repo, "a")
    make_repo("org/a").commit_files("2024-01-04T09:00:00", {"CODEOWNERS": "* @acme/web\n"})
    config = tmp_path / "dora.toml"
    written = '[[teams]]\r\nname = "ops"\r\n\r\n[[services]]\nname = "a"\r\nrepo = "org/a"\r\n# a note\r\n'
    config.write_bytes(written.encode())
    assert main(["init", "org", "--update"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "Updated dora.toml: 1 team added (web); a team filled in for a."
    team_end, a_end = written.index("\r\n[[services]]"), written.index("# a note")
    new_team = '\r\n[[teams]]\r\n# owner from CODEOWNERS line 1 in a\r\nname = "web"\r\n'
    team_a = 'team = "web" # owner from CODEOWNERS line 1\r\n'
    updated = written[:team_end] + new_team + written[team_end:a_end] + team_a + written[a_end:]
    assert config.read_bytes() == updated.encode()
