"""`dora-tui init` on repositories as found on disk: odd tag names, the environment, links,
folder names and where the config is written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dora_tui import config as config_module
from dora_tui.cli import main


def problems(out: str) -> list[str]:
    """The lines init lists under what could not be told."""
    return [line.removeprefix("  - ") for line in out.splitlines() if line.startswith("  - ")]


def released(make_repo, name: str, tag: str = "v1.0.0"):
    """A repository with one commit and one tag."""
    repo = make_repo(name)
    repo.commit("2024-01-01T09:00:00")
    repo.tag(tag, "2024-01-01T10:00:00")
    return repo


def test_a_tag_not_valid_utf8_is_listed_inert_and_init_goes_on(tmp_path: Path, make_repo, capsys) -> None:
    shop = released(make_repo, "org/shop")
    shop.tag(os.fsdecode(b"v1.1\xe9\xe2\x80\xae"), "2024-01-02T10:00:00")
    assert main(["init", "org"]) == 0
    out = capsys.readouterr().out
    assert (
        "org/shop: the tag 'v1.1\\xe9\\u202e' is left out: its name is not valid UTF-8 (shown with \\x escapes); "
        "rename it to count it"
    ) in problems(out)
    cfg = config_module.load_file(tmp_path / "dora.toml")
    assert [(s.name, s.tag_pattern.text) for s in cfg.services] == [("shop", "v*")]
    assert main(["collect"]) == 0


def test_git_variables_in_the_environment_do_not_redirect_the_reads(tmp_path: Path, make_repo, monkeypatch, capsys):
    api = released(make_repo, "org/api")
    released(make_repo, "org/shop", "release-7")
    released(make_repo, "org/web", "2024.01")
    monkeypatch.setenv("GIT_DIR", str(api.path / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(api.path))
    monkeypatch.setenv("GIT_NAMESPACE", "elsewhere")
    assert main(["init", "org"]) == 0
    cfg = config_module.load_file(tmp_path / "dora.toml")
    assert [(s.name, s.tag_pattern.text) for s in cfg.services] == [
        ("api", "v*"),
        ("shop", "release-*"),
        ("web", "re:[0-9].*"),
    ]


CATALOG = (
    "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: api-svc\nspec:\n  owner: group:payments\n"
)


def test_git_dir_in_the_environment_does_not_lend_one_catalog_to_every_repository(
    tmp_path: Path, make_repo, monkeypatch
) -> None:
    api = released(make_repo, "org/api")
    api.commit_files("2024-01-02T09:00:00", {"catalog-info.yaml": CATALOG})
    released(make_repo, "org/shop", "release-7")
    monkeypatch.setenv("GIT_DIR", str(api.path / ".git"))
    assert main(["init", "org"]) == 0
    cfg = config_module.load_file(tmp_path / "dora.toml")
    assert [(s.name, s.team) for s in cfg.services] == [("api-svc", "payments"), ("shop", None)]


def test_a_config_written_through_a_link_names_repositories_from_the_links_folder(tmp_path: Path, make_repo, capsys):
    shop = released(make_repo, "org/shop")
    (tmp_path / "cfg").mkdir()
    (tmp_path / "dora.toml").symlink_to("cfg/dora.toml")  # the loader reads paths from the link's folder
    assert main(["init", "org", "--force"]) == 0
    assert 'repo = "org/shop"' in (tmp_path / "cfg" / "dora.toml").read_text()
    assert [s.repo for s in config_module.load_file(tmp_path / "dora.toml").services] == [shop.path]
    assert main(["collect"]) == 0
    said = "Collected 1 repository (0 unchanged, 1 new commit read): 1 deployment and 0 changes"
    assert said in capsys.readouterr().out


def test_a_folder_whose_name_starts_with_a_tilde_is_written_so_it_is_not_a_home_folder(tmp_path: Path, make_repo):
    odd = released(make_repo, "~nosuchuser")
    root = released(make_repo, "~root")  # ~root would read as /root
    deep = released(make_repo, "~x/api")
    assert main(["init", "."]) == 0
    text = (tmp_path / "dora.toml").read_text()
    assert 'repo = "./~nosuchuser"' in text and 'repo = "./~root"' in text and 'repo = "./~x/api"' in text
    cfg = config_module.load_file(tmp_path / "dora.toml")
    assert sorted(s.repo for s in cfg.services) == sorted([odd.path, root.path, deep.path])
    assert main(["collect"]) == 0


def test_each_line_names_its_repository_by_its_path_from_the_folder_given(tmp_path: Path, make_repo, capsys) -> None:
    for team in ("a", "b"):
        api = released(make_repo, f"org/{team}/api")
        api.commit_files("2024-01-02T09:00:00", {"CODEOWNERS": "* @someone\n"})
    assert main(["init", "org"]) == 0
    assert problems(capsys.readouterr().out) == [
        f'service {name}: org/{team}/api/CODEOWNERS line 1 names @someone, not a team: add team = "TEAM" to its '
        "[[services]] entry (and the team under [[teams]])"
        for name, team in (("api", "a"), ("b-api", "b"))
    ]


def test_links_out_of_the_folder_or_back_up_are_not_followed_and_said(tmp_path: Path, make_repo, capsys) -> None:
    released(make_repo, "org/shop")
    released(make_repo, "elsewhere/lib")
    (tmp_path / "org" / "rootlink").symlink_to("/")
    (tmp_path / "org" / "outside").symlink_to(tmp_path / "elsewhere")
    (tmp_path / "org" / "team").mkdir()
    (tmp_path / "org" / "team" / "up").symlink_to(tmp_path / "org")
    assert main(["init", "org"]) == 0
    out = capsys.readouterr().out
    assert "Wrote dora.toml with 1 service: shop." in out
    assert problems(out)[:3] == [
        f"org/outside: a link to {tmp_path / 'elsewhere'}, outside org: not followed (to read it, give init "
        "that folder too)",
        "org/rootlink: a link to /, outside org: not followed (to read it, give init that folder too)",
        f"org/team/up: a link to {tmp_path / 'org'}, a folder it is in: not followed (a loop)",
    ]
    assert [s.name for s in config_module.load_file(tmp_path / "dora.toml").services] == ["shop"]


def test_a_repository_is_taken_whatever_its_folder_is_called(tmp_path: Path, make_repo, capsys) -> None:
    for name in ("build", "target", "dist", "venv", ".github"):
        released(make_repo, f"org/{name}")
    released(make_repo, "org/node_modules/left-pad")  # tools' folders are still not searched
    assert main(["init", "org"]) == 0
    assert "Wrote dora.toml with 5 services: .github, build, dist, target, venv." in capsys.readouterr().out
    cfg = config_module.load_file(tmp_path / "dora.toml")
    assert sorted(s.repo.name for s in cfg.services) == [".github", "build", "dist", "target", "venv"]


COMPONENT = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {name}\nspec:\n  owner: group:web\n"


def test_a_component_added_after_the_last_release_is_left_out_until_released(tmp_path: Path, make_repo, capsys):
    shop = released(make_repo, "org/shop")  # v1.0.0: the code at the top folder
    shop.commit_files("2024-02-01T09:00:00", {"catalog-info.yaml": COMPONENT.format(name="web")})
    shop.commit_files("2024-02-02T09:00:00", {"services/api/catalog-info.yaml": COMPONENT.format(name="api")})
    assert main(["init", "org"]) == 0
    out = capsys.readouterr().out
    assert "Wrote dora.toml with 1 service: web." in out
    assert problems(out) == [
        "org/shop: service api (services/api/catalog-info.yaml document 1) is in services/api, which its latest "
        "release v1.0.0 does not hold yet: left out, as collect would stop at it; once a release holds it, run "
        '`dora-tui init --update` (or add a [[services]] with name = "api", repo, path = "services/api" and '
        'tag_pattern = "v*")'
    ]
    assert main(["collect"]) == 0
    shop.tag("v1.1.0", "2024-02-03T10:00:00")
    assert main(["init", "--update", "org"]) == 0
    assert "1 service added (api)" in capsys.readouterr().out
    assert main(["collect"]) == 0


def test_a_worktree_is_its_repository_not_a_second_service(tmp_path: Path, make_repo, capsys) -> None:
    shop = released(make_repo, "org/shop")
    shop.git("worktree", "add", "-q", str(tmp_path / "org" / "shop-hotfix"))
    assert main(["init", "org"]) == 0
    capsys.readouterr()
    cfg = config_module.load_file(tmp_path / "dora.toml")
    assert [(s.name, s.repo) for s in cfg.services] == [("shop", tmp_path / "org" / "shop")]  # its tags once


def test_a_folder_git_cannot_open_is_listed_and_the_rest_written(tmp_path: Path, make_repo, capsys) -> None:
    released(make_repo, "org/shop")
    (tmp_path / "org" / "empty" / ".git").mkdir(parents=True)
    (tmp_path / "org" / "stale").mkdir()
    (tmp_path / "org" / "stale" / ".git").write_text("gitdir: /nonexistent/worktrees/stale\n")
    assert main(["init", "org"]) == 0
    out = problems(capsys.readouterr().out)
    for name in ("empty", "stale"):
        assert (
            f"org/{name}: a .git that git cannot open (an empty folder, or a worktree whose repository is gone): "
            "not read"
        ) in out
    assert [s.name for s in config_module.load_file(tmp_path / "dora.toml").services] == ["shop"]


def test_update_knows_a_repository_the_config_names_by_its_git_folder(tmp_path: Path, make_repo, capsys) -> None:
    released(make_repo, "org/shop")
    config = tmp_path / "dora.toml"
    config.write_text('[[services]]\nname = "shop"\nrepo = "org/shop/.git"\n')
    assert main(["init", "--update", "org/shop"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "dora.toml: nothing new, not changed."
    assert config.read_text() == '[[services]]\nname = "shop"\nrepo = "org/shop/.git"\n'


def test_update_reads_an_empty_inline_array_it_adds_nothing_to(tmp_path: Path, make_repo, capsys) -> None:
    released(make_repo, "org/shop")
    config = tmp_path / "dora.toml"
    config.write_text('teams = []\n\n[[services]]\nname = "shop"\nrepo = "org/shop"\n')
    assert main(["init", "--update", "org/shop"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "dora.toml: nothing new, not changed."


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder: an unreadable one cannot be made")
def test_a_folder_init_may_not_read_is_passed_over(tmp_path: Path, make_repo, capsys) -> None:
    released(make_repo, "org/shop")
    locked = tmp_path / "org" / "locked"
    (locked / "inner").mkdir(parents=True)
    locked.chmod(0)
    try:
        assert main(["init", "org"]) == 0  # a PermissionError traceback before (a review's finding)
    finally:
        locked.chmod(0o755)
    assert "org/locked: cannot be read (Permission denied): not searched" in problems(capsys.readouterr().out)
    assert [s.name for s in config_module.load_file(tmp_path / "dora.toml").services] == ["shop"]
