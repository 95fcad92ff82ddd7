"""`dora-tui init` on tags and owners a review found mistaken: a CODEOWNERS team with no name,
a byte-order mark before CODEOWNERS' first rule, hotfix/rollback and rebuild-counter tags taken
for pre-releases, a release-word tag prefix taken for a module, a repository's own tags left
to no service unsaid, and a repository given by its ``.git`` folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from dora_tui import config as config_module
from dora_tui.cli import main
from support.init_runs import init_out, problems, report, tagged, written

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


# 3. Hotfix, rollback and revert tags, and rebuild counters, are releases.


def test_a_hotfix_beside_a_release_candidate_is_a_deployment_and_rework(tmp_path: Path, make_repo, capsys) -> None:
    tagged(make_repo, "src/svc", ["v1.0.0", "v1.1.0-rc.1", "v1.1.0", "v1.1.0-hotfix.1"])
    init_out(capsys)
    service = config_module.load_file(tmp_path / "dora.toml").services[0]
    assert service.exclude_pattern.text  # the release candidate is a pre-release
    row = report(capsys)["svc"]
    assert (row["deployments"], row["rework_deployments"]) == ("3", "1")


def test_a_module_folder_named_rollback_does_not_keep_its_release_candidates(tmp_path: Path, make_repo, capsys) -> None:
    # the exclude looked for hotfix/rollback/revert anywhere in the tag: a module folder named
    # services/rollback-controller kept its release candidates as deployments
    files = {"services/rollback-controller/main.go": "a\n", "services/web/main.go": "b\n"}
    tags = [f"services/{m}/{v}" for v in ("v1.0.0", "v1.1.0-rc.1", "v1.1.0") for m in ("rollback-controller", "web")]
    tagged(make_repo, "src/mono", tags, files)
    init_out(capsys)
    rows = report(capsys)
    assert rows["rollback-controller"]["deployments"] == rows["web"]["deployments"] == "2", rows


@pytest.mark.parametrize(
    "tags",
    [
        ["v1.0.0", "v1.0.1-hotfix"],
        ["v1.2.2", "v1.2.3-rollback"],
        ["v1.2.3", "v1.2.3-1"],
        ["2024.01.15", "2024.01.15-2"],
        ["v1.0.0", "v1.0.1-Revert.2"],
    ],
)
def test_hotfix_rollback_and_rebuild_tags_alone_write_no_exclude(
    tmp_path: Path, make_repo, capsys, tags: list[str]
) -> None:
    tagged(make_repo, "src/svc", tags)
    init_out(capsys)
    assert "exclude_pattern" not in written(tmp_path)["services"][0]
    row = report(capsys)["svc"]
    assert row["deployments"] == "2"
    assert row["rework_deployments"] == ("0" if tags[1][-2:] in ("-1", "-2") else "1")


REWORK = ["v1.1.0-hotfix.1", "v1.2.3-rollback", "v1.2.3-1", "2024.01.15-2", "v2.0.0-REVERT", "v1.0.0-rc.1-hotfix"]
STILL_PRE = ["v1.1.0-rc.1", "v1.0.0-0.3.7", "v7.1.0.rc1", "v1.0.0-beta.2", "2.0rc1", "v1.2.3-1.beta"]


def test_the_exclude_written_never_drops_rework_or_rebuild_tags(tmp_path: Path, make_repo, capsys) -> None:
    tagged(make_repo, "src/svc", ["v1.0.0", "v1.1.0-rc.1"])
    init_out(capsys)
    service = config_module.load_file(tmp_path / "dora.toml").services[0]
    assert [t for t in REWORK if service.exclude_pattern.matches(t)] == []
    assert [t for t in STILL_PRE if not service.exclude_pattern.matches(t)] == []


# 4. A release word as a tag prefix.


def test_release_tags_with_a_folder_ending_in_release_are_the_repositorys_own(
    tmp_path: Path, make_repo, capsys
) -> None:
    tagged(
        make_repo,
        "src/app",
        ["release/1.0.0", "release/1.1.0"],
        {"src/main.c": "int main;\n", "scripts/release/run.sh": "echo\n"},
    )
    out = init_out(capsys)
    assert out.splitlines()[0] == "Wrote dora.toml with 1 service: app."
    assert [(s["name"], s.get("path"), s["tag_pattern"]) for s in written(tmp_path)["services"]] == [
        ("app", None, "release/*")
    ]
    row = report(capsys)["app"]
    assert (row["deployments"], row["changes"]) == ("2", "1")  # the first release is the baseline


@pytest.mark.parametrize("prefix", ["deploy", "release"])
def test_release_tags_beside_a_top_level_folder_of_that_name_are_the_repositorys_own(
    tmp_path: Path, make_repo, capsys, prefix: str
) -> None:
    # a deploy/ folder of manifests (or release/ of notes) made the repository one service of
    # that folder alone: its releases carried no change
    repo = tagged(make_repo, "src/app", [f"{prefix}/v1.0.0"], {f"{prefix}/app.yaml": "k8s\n", "src/main.go": "a\n"})
    repo.commit_files("2024-01-20T09:00:00", {"src/main.go": "b\n"})
    repo.tag(f"{prefix}/v1.1.0", "2024-01-21T12:00:00")
    init_out(capsys)
    assert [(s["name"], s.get("path"), s["tag_pattern"]) for s in written(tmp_path)["services"]] == [
        ("app", None, f"{prefix}/v*")
    ]
    row = report(capsys)["app"]
    assert (row["deployments"], row["changes"]) == ("2", "1")


@pytest.mark.parametrize("prefix", ["releases", "deploy", "Prod"])
def test_a_release_word_prefix_names_a_module_only_by_its_full_path(
    tmp_path: Path, make_repo, capsys, prefix: str
) -> None:
    tagged(make_repo, "src/app", [f"{prefix}/v1.0.0"], {f"ops/{prefix}/x.sh": "echo\n", "api/go.mod": "m\n"})
    init_out(capsys)
    assert [(s["name"], s.get("path"), s["tag_pattern"]) for s in written(tmp_path)["services"]] == [
        ("app", None, f"{prefix}/v*")
    ]


def test_release_tags_beside_modules_are_the_repositorys_own_service(tmp_path: Path, make_repo, capsys) -> None:
    tagged(
        make_repo,
        "src/app",
        ["api/v1.0.0", "release/1.0.0", "release/1.1.0"],
        {"api/go.mod": "m\n", "scripts/release/run.sh": "echo\n"},
    )
    out = init_out(capsys)
    assert out.splitlines()[0] == "Wrote dora.toml with 2 services: api, app."
    assert not [line for line in problems(out) if "of no service found" in line]
    assert [(s["name"], s.get("path"), s["tag_pattern"]) for s in written(tmp_path)["services"]] == [
        ("api", "api", "api/v*"),
        ("app", None, "re:release/[0-9][^/]*"),
    ]
    rows = report(capsys)
    assert (rows["api"]["deployments"], rows["app"]["deployments"]) == ("1", "2")


def test_a_module_named_by_a_folders_end_is_still_a_module(tmp_path: Path, make_repo, capsys) -> None:
    tagged(make_repo, "src/shop", ["checkout/v1.0.0"], {"services/checkout/main.go": "package main\n"})
    init_out(capsys)
    assert [(s["name"], s.get("path")) for s in written(tmp_path)["services"]] == [("checkout", "services/checkout")]


# 5. The repository's own tags, once an unreleased component is left out.


def test_own_tags_left_to_no_service_once_an_unreleased_component_is_dropped_are_said(
    tmp_path: Path, make_repo, capsys
) -> None:
    repo = tagged(
        make_repo,
        "src/gomono",
        ["v1.0.0", "otelhttp/v0.1.0", "v1.1.0"],
        {
            "go.mod": "module m\n",
            "otelhttp/go.mod": "module o\n",
            "otelhttp/catalog-info.yaml": "kind: Component\nmetadata: {name: otelhttp}\nspec: {owner: group:web}\n",
        },
    )
    repo.commit_files(
        "2024-01-20T09:00:00",
        {"newthing/catalog-info.yaml": "kind: Component\nmetadata: {name: newthing}\nspec: {owner: group:web}\n"},
    )
    out = init_out(capsys)
    assert out.splitlines()[0] == "Wrote dora.toml with 1 service: otelhttp."
    assert problems(out) == [
        "src/gomono: service newthing (newthing/catalog-info.yaml document 1) is in newthing, which its latest "
        "release v1.1.0 does not hold yet: left out, as collect would stop at it; once a release holds it, run "
        '`dora-tui init --update` (or add a [[services]] with name = "newthing", repo, path = "newthing" and '
        'tag_pattern = "re:v[0-9][^/]*")',
        "src/gomono: 2 tags (v1.0.0, v1.1.0) are of no service found: if they are deployments, add a [[services]] "
        'with repo and tag_pattern = "re:v[0-9][^/]*"',
    ]


# 6. A repository given by its .git folder.


def test_a_repository_given_by_its_git_folder_is_named_after_its_folder(tmp_path: Path, make_repo, capsys) -> None:
    tagged(make_repo, "src/shop", ["v1.0.0"], {"CODEOWNERS": "* @acme/web\n"})
    out = init_out(capsys, "src/shop/.git")
    assert out.splitlines()[0] == "Wrote dora.toml with 1 service: shop."
    assert [(s["name"], s["repo"]) for s in written(tmp_path)["services"]] == [("shop", "src/shop/.git")]
    assert "# owner from CODEOWNERS line 1 in shop" in (tmp_path / "dora.toml").read_text()
    assert report(capsys)["shop"]["deployments"] == "1"


def test_a_bare_repository_named_dot_git_takes_its_name_without_it(tmp_path: Path, make_repo, capsys) -> None:
    work = tagged(make_repo, "work/shop", ["v1.0.0"])
    make_repo("src/shop.git", bare=True)
    work.git("push", "-q", str(tmp_path / "src/shop.git"), "main", "--tags")
    out = init_out(capsys)
    assert out.splitlines()[0] == "Wrote dora.toml with 1 service: shop."
    assert report(capsys)["shop"]["deployments"] == "1"


def test_update_names_a_repository_given_by_its_git_folder_after_its_folder(tmp_path: Path, make_repo, capsys) -> None:
    # the comment beside a team --update fills in named the repository ".git"
    tagged(make_repo, "src/shop", ["v1.0.0"], {"CODEOWNERS": "* @acme/web\n"})
    (tmp_path / "dora.toml").write_text('[[services]]\nname = "shop"\nrepo = "src/shop/.git"\n')
    capsys.readouterr()
    assert main(["init", "--update", "src/shop/.git"]) == 0
    text = (tmp_path / "dora.toml").read_text()
    assert "in shop" in text and "in .git" not in text, text
