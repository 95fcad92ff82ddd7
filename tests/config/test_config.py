"""Configuration: lookup order, zero-config, and one clear line per mistake (exit status 2)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from dora_tui import config as config_module
from dora_tui.cli import main
from dora_tui.errors import ConfigError
from support.cli import error_line

BASE = '[[teams]]\nname = "payments"\n[[services]]\nname = "shop"\nteam = "payments"\nrepo = "shop"\n'


@pytest.mark.parametrize(
    "body, key, words",
    [
        ('colour = "blue"\n' + BASE, "colour", "unknown key"),
        ("[git]\ntag_patern = 'v*'\n" + BASE, "git.tag_patern", "unknown key"),
        (BASE.replace('team = "payments"', 'team = "ledger"'), "services[0].team", "unknown team 'ledger'"),
        (BASE + 'tag_pattern = "re:v[0-9"\n', "services[0].tag_pattern", "bad regular expression"),
        ("[git]\nrework_pattern = '(unclosed'\n" + BASE, "git.rework_pattern", "bad regular expression"),
        ('months = "twelve"\n' + BASE, "months", "expected a whole number"),
        ('timezone = "Mars/Olympus"\n' + BASE, "timezone", "unknown time zone"),
        ("[git]\ncommit_time = 'pusher'\n" + BASE, "git.commit_time", 'expected "author" or "committer"'),
        (
            BASE + '[[imports]]\nkind = "incidents"\nfile = "x.csv"\nformat = "nosuch"\n',
            "imports[0].format",
            "unknown format 'nosuch'",
        ),
        (
            BASE + '[[imports]]\nkind = "incidents"\nfile = "x.csv"\ncolumns = { bogus = "x" }\n',
            "imports[0].columns.bogus",
            "unknown field for incidents",
        ),
        (
            BASE + '[[imports]]\nkind = "incidents"\nfile = "x.csv"\nservice_map = { "a" = "nope" }\n',
            "imports[0].service_map",
            "unknown service 'nope'",
        ),
        ("months = 5000\n" + BASE, "months", "must be from 1 to 1200"),
    ],
)
def test_mistakes_name_the_file_and_key(tmp_path: Path, capsys, body: str, key: str, words: str) -> None:
    (tmp_path / "dora.toml").write_text(body)
    line = error_line(capsys, ["report"])
    assert f"{tmp_path / 'dora.toml'}: {key}: " in line
    assert words in line


@pytest.mark.parametrize(
    "body, key",
    [
        ("[git]\nrework_pattern = '[[:alpha:]]'\n" + BASE, "git.rework_pattern"),
        (BASE + 'tag_pattern = "re:v[[0-9]]"\n', "services[0].tag_pattern"),
    ],
)
def test_a_posix_class_is_one_line_not_a_python_warning(tmp_path: Path, body: str, key: str) -> None:
    # Python reads [[:alpha:]] as a set of characters and only warns (FutureWarning, with its
    # source line) at every command; it matches other than it reads: refused, in one line.
    (tmp_path / "dora.toml").write_text(body)
    run = subprocess.run(
        [sys.executable, "-m", "dora_tui", "report"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and f"{key}: bad regular expression" in run.stderr
    assert "POSIX classes such as [[:alpha:]] are not supported" in run.stderr


def test_a_missing_repository_is_named_by_collect(tmp_path: Path, capsys) -> None:
    (tmp_path / "dora.toml").write_text(BASE)
    line = error_line(capsys, ["collect"])
    assert f"dora.toml: services[0].repo: {tmp_path / 'shop'}: no such folder" in line
    (tmp_path / "shop").mkdir()
    line = error_line(capsys, ["collect"])
    assert "services[0].repo" in line and "not a git repository" in line
    assert not (tmp_path / "dora.db").exists()  # refused before a database was made


def test_invalid_toml_names_the_file(tmp_path: Path, capsys) -> None:
    (tmp_path / "dora.toml").write_text("months = \n")
    assert "dora.toml: not valid TOML" in error_line(capsys, ["report"])


def test_lookup_order_flag_then_environment_then_local(tmp_path: Path, monkeypatch, make_repo) -> None:
    for name in ("flag", "env", "local"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "dora.toml").write_text(f'database = "{name}.db"\n')
    monkeypatch.chdir(tmp_path / "local")
    assert config_module.load().database.name == "local.db"
    monkeypatch.setenv("DORA_TUI_CONFIG", str(tmp_path / "env" / "dora.toml"))
    assert config_module.load().database.name == "env.db"
    assert config_module.load(tmp_path / "flag" / "dora.toml").database.name == "flag.db"


def test_relative_paths_are_relative_to_the_config_file(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    path = tmp_path / "conf" / "dora.toml"
    path.write_text('database = "data/dora.db"\n' + BASE.replace('repo = "shop"', 'repo = "../src/shop"'))
    cfg = config_module.load_file(path)
    assert cfg.database == tmp_path / "conf" / "data" / "dora.db"
    assert cfg.services[0].repo == tmp_path / "src" / "shop"


def test_zero_config_inside_a_git_repository(tmp_path: Path, monkeypatch, make_repo) -> None:
    repo = make_repo("checkout-api")
    repo.commit("2024-01-01T09:00:00")
    (repo.path / "src").mkdir()
    monkeypatch.chdir(repo.path / "src")
    cfg = config_module.load()
    assert cfg.path is None
    assert [s.name for s in cfg.services] == ["checkout-api"]
    assert cfg.services[0].tag_pattern.text == "v*"
    assert cfg.database.is_relative_to(tmp_path / "data-dir")


def test_no_config_outside_a_repository_says_what_to_do(tmp_path: Path, capsys) -> None:
    line = error_line(capsys, ["report"])
    assert "no config file here and not inside a git repository" in line and "dora-tui init" in line


def test_patterns_match_the_whole_tag_name() -> None:
    glob = config_module.Pattern.parse("v*", "f", "k")
    regex = config_module.Pattern.parse(r"re:v\d+\.\d+", "f", "k")
    assert glob.matches("v1.2") and not glob.matches("release-v1")
    assert regex.matches("v1.2") and not regex.matches("v1.2-rc1")
    with pytest.raises(ConfigError):
        config_module.Pattern.parse("re:(", "f", "k")


def test_the_example_config_documents_every_key_and_loads(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[2] / "config.example.toml"
    text = example.read_text()
    keys = (
        config_module.TOP_KEYS
        | config_module.GIT_KEYS
        | config_module.SERVICE_KEYS
        | config_module.IMPORT_KEYS
        | {"window_hours", "types", "labels"}
    )
    for key in keys:
        assert f"{key} =" in text or f"[{key}]" in text or f"[[{key}]]" in text, key
    data = tomllib.loads(text)
    # The example names repositories that do not exist here; it must still parse and check.
    assert config_module.parse(data, tmp_path / "dora.toml").services


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc, where no file can be made, root or not")
def test_a_new_database_where_no_file_can_be_made_is_one_line(tmp_path: Path, capsys) -> None:
    # SQLite's own error escaped as a traceback (a review's finding, in a read-only folder)
    (tmp_path / "dora.toml").write_text('database = "/proc/dora-test.db"\n')
    capsys.readouterr()
    assert main(["collect"]) == 1
    assert capsys.readouterr().err == (
        "dora-tui: error: /proc/dora-test.db: cannot write to it (unable to open database file); nothing was changed\n"
    )


@pytest.mark.parametrize(
    "pattern, start",
    [
        ("v*", ""),
        ("services/rollback-controller/v*", "services/rollback-controller"),
        ("re:services/rollback\\-controller/v[0-9][^/]*", "services/rollback-controller"),
        ("re:rollback\\-controller\\-[0-9][^/]*", "rollback-controller"),
        ("re:(?i)v.*", ""),
        ("re:releases?/v.*", ""),  # the s is optional: 'release' is no start of every name
        ("re:release\\d+/.*", ""),
        ("release-*", "release"),
        ("re:hotfix-[0-9].*|release-[0-9].*", ""),  # two beginnings: neither is every name's
        ("re:web-(?:hotfix|v)[0-9].*", "web"),
    ],
)
def test_a_pattern_s_fixed_start_is_what_every_name_it_matches_begins_with(pattern: str, start: str) -> None:
    assert config_module.Pattern.parse(pattern, "dora.toml", "tag_pattern").fixed_start() == start
