"""`dora-tui init` faults a review found: a corrupt repository among others, two config entries
of one repository and path under `--update`, and a file or folder where the other is wanted."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from dora_tui import config as config_module
from dora_tui.cli import main
from support.cli import error_line

NO_OBJECT = "e4676dea7a73221e0386996b8dedeef776a48449"
"""A sha no repository of these tests holds."""


def problems(out: str) -> list[str]:
    """The lines init lists under what could not be told."""
    return [line.removeprefix("  - ") for line in out.splitlines() if line.startswith("  - ")]


def released(make_repo, name: str, tag: str = "v1.0.0", files: dict[str, str] | None = None):
    """A repository with one commit (of ``files``, if given) and one tag."""
    repo = make_repo(name)
    if files:
        repo.commit_files("2024-01-01T09:00:00", files)
    else:
        repo.commit("2024-01-01T09:00:00")
    repo.tag(tag, "2024-01-01T10:00:00")
    return repo


def corrupt(repo) -> None:
    """Give ``repo`` a tag ref naming an object it does not hold: git cannot list its tags."""
    (repo.path / ".git" / "refs" / "tags" / "bad").write_text(NO_OBJECT + "\n")


CORRUPT_LINE = (
    f"org/broken: git for-each-ref failed: missing object {NO_OBJECT} for refs/tags/bad: not read, "
    "so none of its services is written"
)


# -- 1. one corrupt repository among others -------------------------------------------------


def test_a_repository_whose_tags_git_cannot_list_is_listed_and_the_others_written(
    tmp_path: Path, make_repo, capsys
) -> None:
    released(make_repo, "org/api")
    corrupt(released(make_repo, "org/broken"))
    released(make_repo, "org/shop", "release-7")
    assert main(["init", "org"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Wrote dora.toml with 2 services: api, shop."
    assert problems(out) == [
        CORRUPT_LINE,
        'service api: no owner in a catalog, and no CODEOWNERS file: add team = "TEAM" to its [[services]] entry '
        "(and the team under [[teams]])",
        'service shop: no owner in a catalog, and no CODEOWNERS file: add team = "TEAM" to its [[services]] entry '
        "(and the team under [[teams]])",
    ]
    cfg = config_module.load_file(tmp_path / "dora.toml")
    assert [(s.name, s.tag_pattern.text) for s in cfg.services] == [("api", "v*"), ("shop", "release-*")]


def test_a_lone_corrupt_repository_is_refused_in_one_line_and_nothing_written(
    tmp_path: Path, make_repo, capsys
) -> None:
    corrupt(released(make_repo, "org/broken"))
    line = error_line(capsys, ["init", "org"])
    assert line == (
        f"dora-tui: error: {tmp_path / 'org' / 'broken'}: git for-each-ref failed: missing object {NO_OBJECT} "
        "for refs/tags/bad"
    )
    assert not (tmp_path / "dora.toml").exists()
    corrupt(released(make_repo, "org/worse"))
    line = error_line(capsys, ["init", "org"])
    assert line == (
        f"dora-tui: error: none of the 2 repositories found could be read: {tmp_path / 'org' / 'broken'}: "
        f"git for-each-ref failed: missing object {NO_OBJECT} for refs/tags/bad (and the others)"
    )
    assert not (tmp_path / "dora.toml").exists()


def test_update_lists_a_corrupt_repository_keeps_its_entries_and_adds_the_others(
    tmp_path: Path, make_repo, capsys
) -> None:
    corrupt(released(make_repo, "org/broken"))
    released(make_repo, "org/api")
    config = tmp_path / "dora.toml"
    hand = '# ours\n[[services]]\nname = "broken"\nrepo = "org/broken"\n'
    config.write_text(hand)
    assert main(["init", "--update", "org"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == (
        "Updated dora.toml: 1 service added (api); 1 service kept, its repository not read (broken)."
    )
    assert problems(out) == [
        CORRUPT_LINE,
        'service api: no owner in a catalog, and no CODEOWNERS file: add team = "TEAM" to its [[services]] entry '
        "(and the team under [[teams]])",
        "service broken: its repository org/broken could not be read: kept as written",
    ]
    text = config.read_text()
    assert text.startswith(hand)
    assert [s.name for s in config_module.load_file(config).services] == ["broken", "api"]


# -- 2. --update with two entries of one repository and path --------------------------------

CHECKOUT = (
    "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: checkout\n"
    "spec:\n  owner: group:checkout-team\n"
)
"""A catalog file naming the component ``checkout`` and its team (in ``services/checkout``)."""


def shop_with_checkout(make_repo) -> None:
    """``src/shop``, whose catalog names ``checkout`` in ``services/checkout``, owned by a team."""
    released(make_repo, "src/shop", files={"services/checkout/catalog-info.yaml": CHECKOUT})


def two_entries(first: str, second: str) -> str:
    """A config of two entries without a team for ``src/shop``'s ``services/checkout``."""
    return "".join(
        f'[[services]]\nname = "{name}"\nrepo = "src/shop"\npath = "services/checkout"\n{pattern}\n'
        for name, pattern in ((first, ""), (second, 'tag_pattern = "dup-*"\n'))
    )


def test_update_fills_the_entry_named_as_the_service_found_among_two_of_one_path(
    tmp_path: Path, make_repo, capsys
) -> None:
    shop_with_checkout(make_repo)
    config = tmp_path / "dora.toml"
    config.write_text(two_entries("checkout", "checkout-dup"))
    assert main(["init", "--update", "src"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Updated dora.toml: 1 team added (checkout-team); a team filled in for checkout."
    assert problems(out) == []
    cfg = config_module.load_file(config)
    assert [(s.name, s.team) for s in cfg.services] == [("checkout", "checkout-team"), ("checkout-dup", None)]


def test_update_fills_none_of_two_entries_of_one_path_when_neither_is_named_as_the_service(
    tmp_path: Path, make_repo, capsys
) -> None:
    shop_with_checkout(make_repo)
    config = tmp_path / "dora.toml"
    hand = two_entries("cart", "cart-dup")
    config.write_text(hand)
    assert main(["init", "--update", "src"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "dora.toml: nothing new, not changed."
    assert problems(out) == [
        "service checkout (src/shop, path services/checkout): team checkout-team found (owner from "
        "services/checkout/catalog-info.yaml document 1), but the entries cart and cart-dup both name that "
        "repository and path, and neither is named checkout: which one it belongs to could not be told; add "
        'team = "checkout-team" to the right one by hand'
    ]
    assert config.read_text() == hand


# -- 3. a file where a folder is wanted, a folder where a file is ---------------------------


def test_a_file_given_as_a_folder_to_read_is_said_to_be_no_folder(tmp_path: Path, make_repo, capsys) -> None:
    released(make_repo, "org/shop")
    (tmp_path / "notes.txt").write_text("not a folder\n")
    assert error_line(capsys, ["init", "org", "notes.txt"]) == (
        "dora-tui: error: notes.txt: not a folder (give init the folders the repositories are in)"
    )
    assert error_line(capsys, ["init", "org", "missing"]) == "dora-tui: error: missing: no such folder"
    assert not (tmp_path / "dora.toml").exists()


def test_an_output_that_is_a_folder_is_refused_at_once_with_or_without_force(tmp_path: Path, make_repo, capsys) -> None:
    released(make_repo, "org/shop")
    (tmp_path / "conf").mkdir()
    said = "dora-tui: error: --output: conf is a folder: give the file to write in it (such as conf/dora.toml)"
    assert error_line(capsys, ["init", "org", "--output", "conf"]) == said
    assert error_line(capsys, ["init", "org", "--output", "conf", "--force"]) == said
    assert error_line(capsys, ["init", "--update", "org", "--output", "conf"]) == (
        "dora-tui: error: --output: conf is a folder: give the config file in it to update (such as conf/dora.toml)"
    )
    assert list((tmp_path / "conf").iterdir()) == []
    assert main(["init", "org", "--output", "conf/dora.toml"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "Wrote conf/dora.toml with 1 service: shop."


def test_a_partial_clone_is_read_offline_never_fetching_from_its_remote(tmp_path: Path, make_repo, capsys) -> None:
    # a clone made with --filter=blob:none holds no file contents: reading its CODEOWNERS made
    # git fetch it from the clone's remote (an offline tool on the network, an ssh prompt); and
    # then, with the remote out of reach, the whole repository was left out
    source = released(make_repo, "remote/shop", files={"CODEOWNERS": "* @acme/web\n"})
    source.git("config", "uploadpack.allowFilter", "true")
    clone = tmp_path / "org" / "shop"
    subprocess.run(
        [
            "git",
            "clone",
            "-q",
            "--no-checkout",
            "--filter=blob:none",
            (tmp_path / "remote" / "shop").as_uri(),
            str(clone),
        ],
        check=True,
    )
    released(make_repo, "org/api")
    packs = sorted((clone / ".git" / "objects" / "pack").iterdir())
    assert main(["init", "org"]) == 0
    out = capsys.readouterr().out
    assert sorted((clone / ".git" / "objects" / "pack").iterdir()) == packs  # nothing fetched
    # its tags were read: it is a service, and what could not be read is said
    assert out.splitlines()[0] == "Wrote dora.toml with 2 services: api, shop."
    said = [line for line in problems(out) if line.startswith("org/shop: ")]
    assert len(said) == 1 and said[0].startswith("org/shop: its catalog and CODEOWNERS files could not be read (")
    assert said[0].endswith("); its services come from its tags alone"), said
    # and not "no rule of its CODEOWNERS matches it", as if the file had been read empty
    assert (
        'service shop: its catalog and CODEOWNERS files could not be read: add team = "TEAM" to its [[services]] '
        "entry (and the team under [[teams]])"
    ) in problems(out), out


@pytest.mark.parametrize("output", ["loop-a", "loop-a/dora.toml"])
def test_an_output_through_a_loop_of_links_is_refused_in_one_line(
    tmp_path: Path, make_repo, capsys, output: str
) -> None:
    # init read every repository, then ended in "RuntimeError: Symlink loop from ..."
    released(make_repo, "org/api")
    (tmp_path / "loop-a").symlink_to("loop-b")
    (tmp_path / "loop-b").symlink_to("loop-a")
    for args in (["init", "org", "--output", output], ["init", "org", "--output", output, "--force"]):
        assert error_line(capsys, args) == (
            f"dora-tui: error: --output: {output} goes through links that never end (a loop, or too long a chain)"
        )
    said = error_line(capsys, ["report", "--config", "loop-a"])
    assert said == (
        "dora-tui: error: loop-a: is a link to loop-b, and its links never end in a file (a loop, or too long a chain)"
    )


def test_a_bare_repository_whose_head_names_no_commit_says_its_files_were_not_read(
    tmp_path: Path, make_repo, capsys
) -> None:
    # `git init --bare` (HEAD: master) with only main pushed: init said "no owner in a catalog,
    # and no CODEOWNERS file", false, and read neither
    work = released(make_repo, "work/shop", files={"CODEOWNERS": "* @acme/web\n"})
    bare = tmp_path / "org" / "shop.git"
    subprocess.run(["git", "-c", "init.defaultBranch=master", "init", "-q", "--bare", str(bare)], check=True)
    work.git("push", "-q", str(bare), "HEAD:refs/heads/main", "--tags")
    assert main(["init", "org"]) == 0
    said = problems(capsys.readouterr().out)
    assert said[0] == (
        "org/shop.git: HEAD names no commit, so no catalog or CODEOWNERS file of it was read (point HEAD at "
        "the branch its releases come from: `git symbolic-ref HEAD refs/heads/BRANCH` there)"
    ), said


def test_update_says_nothing_of_two_entries_of_one_path_when_one_has_the_team_found(
    tmp_path: Path, make_repo, capsys
) -> None:
    # the "could not be told" line was said again though a person had given one of them the team
    shop_with_checkout(make_repo)
    config = tmp_path / "dora.toml"
    hand = two_entries("cart", "cart-dup").replace('name = "cart"\n', 'name = "cart"\nteam = "checkout-team"\n', 1)
    hand += '\n[[teams]]\nname = "checkout-team"\n'
    config.write_text(hand)
    assert main(["init", "--update", "src"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "dora.toml: nothing new, not changed." and problems(out) == [], out


def test_a_chain_of_links_too_long_to_follow_is_not_called_a_loop(tmp_path: Path, make_repo, capsys) -> None:
    # 45 links in a row (the system follows 40) were said to lead back to themselves
    released(make_repo, "org/api")
    (tmp_path / "real.toml").write_text("")
    previous = "real.toml"
    for n in range(1, 46):
        (tmp_path / f"l{n}").symlink_to(previous)
        previous = f"l{n}"
    assert error_line(capsys, ["init", "org", "--output", "l45", "--force"]) == (
        "dora-tui: error: --output: l45 goes through links that never end (a loop, or too long a chain)"
    )
