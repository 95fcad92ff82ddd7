"""Teams named in another case across repositories, and by the config `init --update` adds to:
one team, spelled as the config has it, else as a Group entity does, else as first found
(Backstage compares entity references without regard to case); and `--update` through a
config that is a link."""

from __future__ import annotations

from pathlib import Path

from dora_tui import config as config_module
from dora_tui.cli import main

WHEN = "2024-01-02T09:00:00"


def test_one_team_across_repositories_whatever_the_case(tmp_path: Path, make_repo, capsys) -> None:
    make_repo("src/cart").commit_files(WHEN, {"CODEOWNERS": "* @acme/Payments\n"})
    make_repo("src/shop").commit_files(
        WHEN,
        {
            "catalog-info.yaml": (
                "kind: Group\nmetadata: {name: payments}\n---\nkind: Component\nmetadata: {name: shop}\n"
            )
        },
    )
    assert main(["init", "src"]) == 0
    capsys.readouterr()
    cfg = config_module.load_file(tmp_path / "dora.toml")
    assert [t.name for t in cfg.teams] == ["payments"]  # the Group's spelling
    assert {s.name: s.team for s in cfg.services} == {"cart": "payments", "shop": None}


def test_update_takes_the_config_s_spelling_of_a_team(tmp_path: Path, make_repo, capsys) -> None:
    for name in ("shop", "cart"):
        make_repo(f"src/{name}").commit_files(WHEN, {"CODEOWNERS": "* @acme/WEB\n"})
    config = tmp_path / "dora.toml"
    config.write_text('[[teams]]\nname = "web"\n\n[[services]]\nname = "shop"\nrepo = "src/shop"\n')
    assert main(["init", "--update", "src"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "Updated dora.toml: 1 service added (cart); a team filled in for shop."
    )
    cfg = config_module.load_file(config)
    assert [t.name for t in cfg.teams] == ["web"]
    assert {s.name: s.team for s in cfg.services} == {"shop": "web", "cart": "web"}


def test_update_through_a_link_names_new_repositories_from_the_link_s_folder(tmp_path: Path, make_repo, capsys) -> None:
    for name in ("shop", "cart"):
        make_repo(f"src/{name}").commit_files(WHEN, {"README": name})
    (tmp_path / "configs").mkdir()
    (tmp_path / "configs" / "dora.toml").write_text('[[services]]\nname = "shop"\nrepo = "src/shop"\n')
    (tmp_path / "dora.toml").symlink_to("configs/dora.toml")
    assert main(["init", "--update", "src"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "Updated dora.toml: 1 service added (cart)."
    cfg = config_module.load_file(tmp_path / "dora.toml")
    assert {s.name: s.repo for s in cfg.services} == {"shop": tmp_path / "src/shop", "cart": tmp_path / "src/cart"}
