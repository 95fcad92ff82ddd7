"""`dora-tui init --update`: what is new merged into an existing config, nothing a person wrote
lost, what vanished reported and kept, a bad config refused and left as it is."""

from __future__ import annotations

import shutil
from pathlib import Path

from dora_tui import config as config_module
from dora_tui.cli import main
from support.cli import error_line

HAND_WRITTEN = """\
# Our services. Ask #platform before renaming one.
database = "dora.db"
timezone = "Europe/London"

[[teams]]
name = "rails-core"   # set by hand

[[services]]
name = "rails"
team = "rails-core"
repo = "src/rails"
commit_time = "committer"  # an override

[[services]]
name = "old"
repo = "src/old"

[[imports]]
kind = "incidents"
file = "incidents.csv"
"""


def test_update_keeps_a_comment_and_a_hand_set_team_while_adding_a_repository(
    tmp_path: Path, make_repo, capsys
) -> None:
    for name in ("rails", "old"):
        make_repo(f"src/{name}").commit("2024-01-02T09:00:00")
    config = tmp_path / "dora.toml"
    config.write_text(HAND_WRITTEN)
    config.chmod(0o600)  # kept private by its owner: it stays so
    api = make_repo("src/api")
    api.commit_files("2024-01-02T09:00:00", {"CODEOWNERS": "# owners\n* @acme/backend\n"})
    rails_owners = make_repo("src/rails")  # the hand-set team wins over what CODEOWNERS would say
    rails_owners.commit_files("2024-01-03T09:00:00", {"CODEOWNERS": "* @acme/somebody-else\n"})
    shutil.rmtree(tmp_path / "src" / "old")
    assert main(["init", "--update", "src"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        "Updated dora.toml: 1 service added (api); 1 team added (backend); 1 service no longer found, kept (old)."
    )
    assert (
        "  - service old: no longer found under the folders read: kept, and `collect` stops at it until "
        "its repository is back or its entry is deleted by hand"
    ) in out
    assert config.stat().st_mode & 0o777 == 0o600
    text = config.read_text()
    team = '[[teams]]\n# owner from CODEOWNERS line 2 in api\nname = "backend"\n\n'
    service = (
        '[[services]]\nname = "api"\nteam = "backend" # owner from CODEOWNERS line 2\n'
        'repo = "src/api"\ntag_pattern = "v*"\n\n'
    )
    assert team in text and service in text
    assert text.replace(team, "").replace(service, "") == HAND_WRITTEN  # every line a person wrote, as written
    cfg = config_module.load_file(config)
    assert [(s.name, s.team, s.commit_time) for s in cfg.services] == [
        ("rails", "rails-core", "committer"),
        ("old", None, "author"),
        ("api", "backend", "author"),
    ]
    assert [i.kind for i in cfg.imports] == ["incidents"]
    before = config.read_bytes()
    assert main(["init", "--update", "src"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "dora.toml: nothing new, not changed; 1 service no longer found, kept (old)."
    )
    assert config.read_bytes() == before


def test_update_refuses_a_config_that_does_not_load_and_leaves_it(tmp_path: Path, make_repo, capsys) -> None:
    make_repo("src/shop").commit("2024-01-02T09:00:00")
    config = tmp_path / "dora.toml"
    config.write_text('# mine\nmonths = 0\n[[services]]\nname = "shop"\nrepo = "src/shop"\n')
    line = error_line(capsys, ["init", "--update", "src"])
    assert line.startswith("dora-tui: error: ") and "dora.toml: months: " in line
    assert config.read_text() == '# mine\nmonths = 0\n[[services]]\nname = "shop"\nrepo = "src/shop"\n'
    config.unlink()
    assert "no config to update" in error_line(capsys, ["init", "--update", "src"])
    assert not config.exists()


def test_update_fills_in_a_team_only_where_there_was_none(tmp_path: Path, make_repo, capsys) -> None:
    for name in ("shop", "cart"):
        make_repo(f"src/{name}").commit_files("2024-01-02T09:00:00", {"CODEOWNERS": "* @acme/web\n"})
    config = tmp_path / "dora.toml"
    hand = '[[teams]]\nname = "mine"\n\n[[services]]\nname = "shop"\nrepo = "src/shop"\n\n'
    hand += '[[services]]\nname = "cart"\nteam = "mine"\nrepo = "src/cart"\n'
    config.write_text(hand)
    assert main(["init", "--update", "src"]) == 0
    assert (
        capsys.readouterr().out.splitlines()[0] == "Updated dora.toml: 1 team added (web); a team filled in for shop."
    )
    cfg = config_module.load_file(config)
    assert [(s.name, s.team) for s in cfg.services] == [("shop", "web"), ("cart", "mine")]
    assert '# owner from CODEOWNERS line 1 in shop\nname = "web"' in config.read_text()


INLINE = 'services = [{ name = "shop", repo = "src/shop" }]  # ours\r\n'
"""A config whose services are written inline (a line of its own ending in CRLF, kept so)."""

UNCHANGED = "dora.toml: nothing new, not changed.\nCheck it, then run `dora-tui collect`.\n"
"""What `init --update` prints for a config it has nothing to add to (and does not write)."""


def test_update_reads_services_written_inline_when_nothing_changes(tmp_path: Path, make_repo, capsys) -> None:
    make_repo("src/shop").commit("2024-01-02T09:00:00")
    config = tmp_path / "dora.toml"
    config.write_bytes(INLINE.encode())
    assert main(["init", "--update", "src"]) == 0
    assert capsys.readouterr().out == UNCHANGED
    assert config.read_bytes() == INLINE.encode()
    two = 'services = [\n  { name = "shop", repo = "src/shop" },\n  { name = "old", repo = "src/old" },\n]\n'
    config.write_text(two)  # over lines, an entry whose repository is gone: said, and kept as written
    assert main(["init", "--update", "src"]) == 0
    assert capsys.readouterr().out.splitlines()[:3] == [
        "dora.toml: nothing new, not changed; 1 service no longer found, kept (old).",
        "Could not be told (1); fill these in by hand:",
        "  - service old: no longer found under the folders read: kept, and `collect` stops at it until "
        "its repository is back or its entry is deleted by hand",
    ]
    assert config.read_text() == two


def test_update_refuses_to_add_a_service_to_services_written_inline(tmp_path: Path, make_repo, capsys) -> None:
    for name in ("shop", "cart"):
        make_repo(f"src/{name}").commit("2024-01-02T09:00:00")
    config = tmp_path / "dora.toml"
    config.write_bytes(INLINE.encode())
    line = error_line(capsys, ["init", "--update", "src"])
    assert line == (
        "dora-tui: error: dora.toml: services: is written inline; init --update adds [[services]] tables: "
        "write its entries as [[services]]"
    )
    assert config.read_bytes() == INLINE.encode()


def test_update_refuses_to_fill_in_a_team_in_services_written_inline(tmp_path: Path, make_repo, capsys) -> None:
    make_repo("src/shop").commit_files("2024-01-02T09:00:00", {"CODEOWNERS": "* @acme/web\n"})
    config = tmp_path / "dora.toml"
    config.write_bytes(INLINE.encode())
    line = error_line(capsys, ["init", "--update", "src"])
    assert line == (
        "dora-tui: error: dora.toml: services: is written inline, and init --update would fill in a team there "
        "(web for shop): write its entries as [[services]], or give shop its team by hand"
    )
    assert config.read_bytes() == INLINE.encode()
    given = 'services = [{ name = "shop", repo = "src/shop", team = "web" }]\n[[teams]]\nname = "web"\n'
    config.write_text(given)  # its team given by hand: nothing left to change
    assert main(["init", "--update", "src"]) == 0
    assert capsys.readouterr().out == UNCHANGED
    assert config.read_text() == given


def test_update_reads_teams_written_inline_while_adding_none(tmp_path: Path, make_repo, capsys) -> None:
    make_repo("src/shop").commit_files("2024-01-02T09:00:00", {"CODEOWNERS": "* @acme/web\n"})
    config = tmp_path / "dora.toml"
    written = 'teams = [{ name = "web" }]\n\n[[services]]\nname = "shop"\nteam = "web"\nrepo = "src/shop"\n'
    config.write_text(written)
    assert main(["init", "--update", "src"]) == 0
    assert capsys.readouterr().out == UNCHANGED
    assert config.read_text() == written
    make_repo("src/cart").commit_files("2024-01-02T09:00:00", {"CODEOWNERS": "* @acme/payments\n"})
    line = error_line(capsys, ["init", "--update", "src"])  # a team to add: refused, nothing written
    assert line == (
        "dora-tui: error: dora.toml: teams: is written inline; init --update adds [[teams]] tables: "
        "write its entries as [[teams]]"
    )
    assert config.read_text() == written


def test_update_says_a_whole_repository_service_is_kept_beside_the_services_now_found_in_it(
    tmp_path: Path, make_repo, capsys
) -> None:
    repo = make_repo("src/r")
    repo.commit("2024-01-02T09:00:00")
    repo.tag("v1.0.0", "2024-01-03T09:00:00")
    config = tmp_path / "dora.toml"
    written = '# the monolith\n[[services]]\nname = "r"\nrepo = "src/r"   # all of it\n'
    config.write_text(written)
    component = "kind: Component\nmetadata: {name: app}\nspec: {owner: group:web}\n"
    repo.commit_files("2024-01-04T09:00:00", {"app/catalog-info.yaml": component})
    repo.tag("v1.1.0", "2024-01-05T09:00:00")
    assert main(["init", "src", "--update"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        "Updated dora.toml: 1 service added (app); 1 team added (web); "
        "1 service kept beside the services now found in its repository (r)."
    )
    assert out[1:3] == [
        "Could not be told (1); fill these in by hand:",
        "  - service r: its repository src/r is still there, but init now finds other services in it (app): "
        "r is kept as written, and `collect` still counts its tags; if they replace it, delete its "
        "[[services]] entry by hand",
    ]
    assert "no longer found" not in "\n".join(out)
    assert config.read_text().startswith(written)  # r as written
    cfg = config_module.load_file(config)
    assert [(s.name, s.path) for s in cfg.services] == [("r", ""), ("app", "app")]
    assert main(["collect"]) == 0  # the repository is there: collect reads it
    capsys.readouterr()
    assert main(["init", "src", "--update"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "dora.toml: nothing new, not changed; 1 service kept beside the services now found in its repository (r)."
    )


def test_update_says_when_a_folder_is_no_longer_a_git_repository(tmp_path: Path, make_repo, capsys) -> None:
    for name in ("shop", "cart"):
        make_repo(f"src/{name}").commit("2024-01-02T09:00:00")
    config = tmp_path / "dora.toml"
    written = '[[services]]\nname = "shop"\nrepo = "src/shop"\n\n[[services]]\nname = "cart"\nrepo = "src/cart"\n'
    config.write_text(written)
    shutil.rmtree(tmp_path / "src" / "cart" / ".git")
    assert main(["init", "src", "--update"]) == 0
    assert capsys.readouterr().out.splitlines()[:3] == [
        "dora.toml: nothing new, not changed; 1 service no longer found, kept (cart).",
        "Could not be told (1); fill these in by hand:",
        "  - service cart: init found no git repository at src/cart: kept as written",
    ]
    assert config.read_text() == written
