"""`dora-tui init`: discovering repositories and writing a config that loads."""

from __future__ import annotations

import subprocess
from pathlib import Path

from collectors.org.monorepo import PRERELEASE
from dora_tui import config as config_module
from dora_tui.cli import main
from dora_tui.ops.init import guess_tag_pattern
from support.cli import error_line


def test_init_finds_normal_and_bare_repositories_and_guesses_patterns(tmp_path: Path, make_repo, capsys) -> None:
    shop = make_repo("src/shop")
    shop.commit("2024-01-01T09:00:00")
    shop.tag("v1.0.0", "2024-01-01T10:00:00")
    shop.tag("v1.1.0-rc1", "2024-01-01T11:00:00")
    api = make_repo("src/team/api")
    api.commit("2024-01-01T09:00:00")
    api.tag("release-7", "2024-01-01T10:00:00")
    subprocess.run(["git", "clone", "-q", "--bare", str(api.path), str(tmp_path / "src" / "mirror.git")], check=True)
    (tmp_path / "src" / "node_modules" / "x").mkdir(parents=True)
    assert main(["init", "src", "--output", "conf/dora.toml"]) == 0
    assert "3 services" in capsys.readouterr().out
    cfg = config_module.load_file(tmp_path / "conf" / "dora.toml")
    found = {s.name: (s.repo, s.tag_pattern.text, s.exclude_pattern.text) for s in cfg.services}
    assert found == {
        "shop": (shop.path, "v*", PRERELEASE),
        "api": (api.path, "release-*", ""),
        "mirror": (tmp_path / "src" / "mirror.git", "release-*", ""),
    }
    assert main(["collect", "--config", "conf/dora.toml"]) == 0


def test_a_repository_reached_through_a_link_too_is_one_service(tmp_path: Path, make_repo, capsys) -> None:
    shop = make_repo("src/shop")
    shop.commit("2024-01-01T09:00:00")
    shop.tag("v1.0.0", "2024-01-01T10:00:00")
    (tmp_path / "src" / "alias").symlink_to(tmp_path / "src" / "shop")  # sorts first
    assert main(["init", "src"]) == 0
    assert "Wrote dora.toml with 1 service: shop." in capsys.readouterr().out
    assert [s.name for s in config_module.load_file(tmp_path / "dora.toml").services] == ["shop"]


def test_init_keeps_an_existing_config_and_reports_no_repositories(tmp_path: Path, capsys) -> None:
    (tmp_path / "dora.toml").write_text("")
    line = error_line(capsys, ["init"])
    assert "already exists (use --force" in line
    assert line == "dora-tui: error: dora.toml: already exists (use --force to overwrite it)"
    assert "no git repository found" in error_line(capsys, ["init", "--force"])
    assert (tmp_path / "dora.toml").read_text() == ""


def test_init_names_an_output_it_cannot_write_by_its_option(tmp_path: Path, make_repo, capsys) -> None:
    make_repo("src/shop").commit("2024-01-01T09:00:00")
    (tmp_path / "file").write_text("not a folder\n")
    line = error_line(capsys, ["init", "src", "--output", "file/dora.toml"])
    assert line.startswith("dora-tui: error: --output: cannot write file/dora.toml: ")
    assert (tmp_path / "file").read_text() == "not a folder\n"


def test_guessing_patterns() -> None:
    assert guess_tag_pattern(["v1.0", "v1.1", "release-3"]) == ("v*", "")
    assert guess_tag_pattern(["1.0.0", "1.1.0", "1.2.0-rc1"]) == ("re:[0-9].*", PRERELEASE)
    assert guess_tag_pattern([]) == ("v*", "")
