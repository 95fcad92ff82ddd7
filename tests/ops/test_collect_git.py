"""Collecting deployments and changes from real git repositories."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

from collectors.records import Change
from dora_tui import config as config_module
from dora_tui.cli import main
from dora_tui.config.model import MINED_RULES
from dora_tui.ops.collect import collect
from dora_tui.store.database import Store
from support.gitbuilder import epoch


def write_config(path: Path, body: str) -> Path:
    config = path / "dora.toml"
    config.write_text(body)
    return config


def load(tmp_path: Path, services: str, extra: str = "") -> config_module.Config:
    body = f'database = "dora.db"\ntimezone = "UTC"\n{extra}\n[[teams]]\nname = "payments"\n{services}'
    return config_module.load_file(write_config(tmp_path, body))


def run(cfg, **kwargs):
    store = Store.open(cfg.database)
    summary = collect(cfg, store, **kwargs)
    return store, summary


def names(store: Store, service: str) -> list[str]:
    return [d.name for d in store.deployments([service])]


def changes_of(store: Store, service: str) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for c in store.changes([service]):
        result.setdefault(c.deployment, []).append(c.subject)
    return result


TEAM = '[[teams]]\nname = "payments"\n'
SHOP = '[[services]]\nname = "shop"\nteam = "payments"\nrepo = "shop"\n'


def test_annotated_and_lightweight_tags_with_rc_excluded(tmp_path, make_repo):
    repo = make_repo("shop")
    repo.commit("2024-01-01T09:00:00", "first")
    repo.tag("v1.0.0", "2024-01-01T12:00:00")
    repo.commit("2024-01-02T09:00:00", "second")
    repo.tag("v1.1.0-rc1", "2024-01-02T10:00:00")
    repo.commit("2024-01-03T09:00:00", "third", committer="2024-01-03T10:00:00")
    repo.tag("v1.1.0", "2024-01-05T09:00:00", lightweight=True)
    cfg = load(tmp_path, SHOP, '[git]\nexclude_pattern = "*-rc*"')
    store, _ = run(cfg)
    deployments = store.deployments(["shop"])
    assert [d.name for d in deployments] == ["v1.0.0", "v1.1.0"]
    # Annotated: tagger date. Lightweight: the tagged commit's committer date.
    assert deployments[0].time == epoch("2024-01-01T12:00:00")
    assert deployments[1].time == epoch("2024-01-03T10:00:00")
    assert deployments[0].baseline and not deployments[1].baseline
    changes = store.changes(["shop"])
    assert sorted(c.subject for c in changes) == ["second", "third"]
    lead = {c.subject: c.lead_time_s for c in changes}
    assert lead["third"] == 3600  # author 09:00, deployed at the committer date 10:00
    assert lead["second"] == 25 * 3600
    # The same changes as rows (the site reads tens of thousands at once).
    rows = store.change_rows(["shop"], since=0, until=epoch("2025-01-01T00:00:00"))
    assert [Change(*r[:8], negative=bool(r.negative)) for r in rows] == changes


def test_baseline_commits_count_nowhere(tmp_path, make_repo):
    repo = make_repo("shop")
    for day in range(1, 4):
        repo.commit(f"2024-01-0{day}T09:00:00", f"old {day}")
    repo.tag("v1.0.0", "2024-01-04T09:00:00")
    store, _ = run(load(tmp_path, SHOP))
    assert names(store, "shop") == ["v1.0.0"]
    assert store.changes(["shop"]) == []


def test_merge_commits_are_not_changes_unless_asked(tmp_path, make_repo):
    repo = make_repo("shop")
    repo.commit("2024-01-01T09:00:00", "base")
    repo.tag("v1", "2024-01-01T10:00:00")
    repo.branch("feature")
    repo.commit("2024-01-02T09:00:00", "feature work")
    repo.checkout("main")
    repo.commit("2024-01-02T10:00:00", "main work")
    repo.merge("feature", "2024-01-03T09:00:00")
    repo.tag("v2", "2024-01-03T12:00:00")
    store, _ = run(load(tmp_path, SHOP))
    assert sorted(changes_of(store, "shop")["v2"]) == ["feature work", "main work"]
    cfg = load(tmp_path, SHOP, "[git]\ninclude_merges = true")
    store, _ = run(cfg)
    assert sorted(changes_of(store, "shop")["v2"]) == ["Merge feature", "feature work", "main work"]


def test_monorepo_services_split_by_path_and_tag_prefix(tmp_path, make_repo):
    repo = make_repo("mono")
    repo.commit("2024-01-01T09:00:00", "ledger base", path="services/ledger/a.py")
    repo.commit("2024-01-01T09:30:00", "billing base", path="services/billing/a.py")
    repo.tag("ledger/v1", "2024-01-01T10:00:00")
    repo.tag("billing/v1", "2024-01-01T10:00:00")
    repo.commit("2024-01-02T09:00:00", "ledger fix", path="services/ledger/b.py")
    repo.commit("2024-01-02T09:10:00", "docs only", path="docs/readme.md")
    repo.commit("2024-01-02T09:20:00", "billing feature", path="services/billing/b.py")
    repo.tag("ledger/v2", "2024-01-03T10:00:00")
    repo.commit("2024-01-04T09:00:00", "billing more", path="services/billing/c.py")
    repo.tag("billing/v2", "2024-01-05T10:00:00")
    services = (
        '[[services]]\nname = "ledger"\nteam = "payments"\nrepo = "mono"\npath = "services/ledger"\n'
        'tag_pattern = "ledger/v*"\n'
        '[[services]]\nname = "billing"\nteam = "payments"\nrepo = "mono"\npath = "services/billing"\n'
        'tag_pattern = "billing/v*"\n'
    )
    store, _ = run(load(tmp_path, services))
    assert changes_of(store, "ledger") == {"ledger/v2": ["ledger fix"]}
    assert {k: sorted(v) for k, v in changes_of(store, "billing").items()} == {
        "billing/v2": ["billing feature", "billing more"]
    }


def test_a_backport_belongs_to_the_first_deployment_that_carried_it(tmp_path, make_repo):
    repo = make_repo("shop")
    repo.commit("2024-01-01T09:00:00", "base")
    repo.tag("v1.0.0", "2024-01-01T10:00:00")
    repo.branch("maint")
    repo.commit("2024-01-02T09:00:00", "backported fix")
    repo.tag("v1.0.1", "2024-01-02T12:00:00")
    repo.checkout("main")
    repo.commit("2024-01-02T10:00:00", "new feature")
    repo.merge("maint", "2024-01-03T09:00:00")
    repo.tag("v1.1.0", "2024-01-04T12:00:00")
    store, _ = run(load(tmp_path, SHOP))
    assert changes_of(store, "shop") == {"v1.0.1": ["backported fix"], "v1.1.0": ["new feature"]}


def test_moved_and_deleted_tags_are_reflected_on_the_next_collect(tmp_path, make_repo):
    repo = make_repo("shop")
    repo.commit("2024-01-01T09:00:00", "a")
    repo.tag("v1", "2024-01-01T10:00:00")
    repo.commit("2024-01-02T09:00:00", "b")
    repo.tag("v2", "2024-01-02T10:00:00")
    repo.commit("2024-01-03T09:00:00", "c")
    repo.tag("v3", "2024-01-03T10:00:00")
    cfg = load(tmp_path, SHOP)
    store, _ = run(cfg)
    assert changes_of(store, "shop") == {"v2": ["b"], "v3": ["c"]}
    repo.commit("2024-01-04T09:00:00", "d")
    repo.git("tag", "-d", "v2")
    repo.git("tag", "-f", "-a", "v3", "-m", "moved", when="2024-01-04T10:00:00")
    store, summary = run(cfg)
    assert names(store, "shop") == ["v1", "v3"]
    assert changes_of(store, "shop") == {"v3": ["b", "c", "d"]}
    assert summary.commits_read == 1
    _, summary = run(cfg)
    assert summary.unchanged == 1 and summary.commits_read == 0


def test_full_rereads_and_gives_the_same_rows(tmp_path, make_repo):
    repo = make_repo("shop")
    repo.commit("2024-01-01T09:00:00", "a")
    repo.tag("v1", "2024-01-01T10:00:00")
    repo.commit("2024-01-02T09:00:00", "b")
    repo.tag("v2", "2024-01-02T10:00:00")
    cfg = load(tmp_path, SHOP)
    store, _ = run(cfg)
    before = store.changes(["shop"])
    store, summary = run(cfg, full=True)
    assert summary.commits_read == 2
    assert store.changes(["shop"]) == before


def test_bare_clone_and_shallow_clone_warning(tmp_path, make_repo):
    repo = make_repo("origin")
    for day in range(1, 8):
        repo.commit(f"2024-01-0{day}T09:00:00", f"c{day}")
        if day >= 4:
            repo.tag(f"v{day}", f"2024-01-0{day}T10:00:00")
    subprocess.run(["git", "clone", "-q", "--bare", str(repo.path), str(tmp_path / "bare.git")], check=True)
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{repo.path}", str(tmp_path / "shallow")], check=True)
    services = (
        '[[services]]\nname = "bare"\nteam = "payments"\nrepo = "bare.git"\n'
        '[[services]]\nname = "shallow"\nteam = "payments"\nrepo = "shallow"\n'
    )
    store, summary = run(load(tmp_path, services))
    assert names(store, "bare") == ["v4", "v5", "v6", "v7"]
    assert len(store.changes(["bare"])) == 3
    assert any("shallow clone" in w for w in summary.warnings)
    assert store.shallow_repositories() == [str((tmp_path / "shallow").resolve())]


def test_a_deployment_month_follows_the_configured_time_zone(tmp_path, make_repo):
    repo = make_repo("shop")
    repo.commit("2024-01-01T09:00:00", "a")
    repo.tag("v1", "2024-01-01T10:00:00")
    repo.commit("2024-01-31T20:00:00", "b")
    # 23:30 UTC on 31 January is 08:30 on 1 February in Tokyo.
    repo.tag("v2", "2024-01-31T23:30:00")
    write_config(tmp_path, f'database = "dora.db"\ntimezone = "Asia/Tokyo"\n{TEAM}{SHOP}')
    assert main(["collect"]) == 0
    expected = {"Asia/Tokyo": {"2024-01": 1, "2024-02": 1}, "UTC": {"2024-01": 2, "2024-02": 0}}
    for zone, months in expected.items():
        write_config(tmp_path, f'database = "dora.db"\ntimezone = "{zone}"\n{TEAM}{SHOP}')
        out = tmp_path / f"{zone.replace('/', '-')}.json"
        assert main(["report", "--as-of", "2024-02-10", "--months", "2", "--output", str(out)]) == 0
        service = json.loads(out.read_text())["entities"][0]
        by_month = {m["month"]: m["deployments"] for m in service["months"]}
        assert by_month == months


def test_tags_of_trees_blobs_and_tags_and_clock_skew(tmp_path, make_repo, capsys):
    repo = make_repo("shop")
    repo.commit("2024-01-01T09:00:00", "a")
    repo.tag("v1", "2024-01-01T10:00:00")
    repo.commit("2024-01-03T09:00:00", "from the future")  # authored after its deployment
    repo.tag("v2", "2024-01-02T10:00:00")
    repo.git("tag", "v-tree", "HEAD^{tree}")
    repo.git("tag", "-a", "v3", "-m", "tag of a tag", "v2", when="2024-01-04T10:00:00")
    write_config(tmp_path, f'database = "dora.db"\ntimezone = "UTC"\n{TEAM}{SHOP}')
    assert main(["collect"]) == 0
    store = Store.open(tmp_path / "dora.db")
    assert names(store, "shop") == ["v1", "v2", "v3"]
    (change,) = store.changes(["shop"])
    assert change.lead_time_s == 0 and change.negative
    capsys.readouterr()
    assert main(["report", "--as-of", "2024-01-31", "--months", "1"]) == 0
    quality = json.loads(capsys.readouterr().out)["data_quality"]
    assert quality["negative_lead_times"] == 1
    assert any("1 tag points at a tree or a blob" in w and "v-tree" in w for w in quality["warnings"])
    assert any("shop: 1 commit is dated after" in w for w in quality["warnings"])


def test_control_bytes_in_messages_are_data_not_separators(tmp_path, make_repo):
    repo = make_repo("shop")
    repo.commit("2024-01-01T09:00:00", "a")
    repo.tag("v1", "2024-01-01T10:00:00", message="first\x1esecond\x1fthird")
    repo.commit("2024-01-02T09:00:00", "evil\x1esubject\x1fwith\x07bytes")
    repo.tag("v2", "2024-01-02T10:00:00")
    store, _ = run(load(tmp_path, SHOP))
    assert [d.message for d in store.deployments(["shop"])] == ["first\x1esecond\x1fthird", "Release v2"]
    assert [c.subject for c in store.changes(["shop"])] == ["evil\x1esubject\x1fwith\x07bytes"]


def test_an_unshallowed_clone_is_read_again(tmp_path, make_repo):
    repo = make_repo("origin")
    for day in range(1, 8):
        repo.commit(f"2024-01-0{day}T09:00:00", f"c{day}")
    repo.tag("v1", "2024-01-05T10:00:00", ref="HEAD~2")
    repo.tag("v2", "2024-01-07T10:00:00")
    subprocess.run(["git", "clone", "-q", "--depth", "3", f"file://{repo.path}", str(tmp_path / "shop")], check=True)
    cfg = load(tmp_path, SHOP)
    store, summary = run(cfg)
    assert store.shallow_repositories() and any("shallow clone" in w for w in summary.warnings)
    subprocess.run(["git", "-C", str(tmp_path / "shop"), "fetch", "-q", "--unshallow"], check=True)
    store, summary = run(cfg)
    assert store.shallow_repositories() == [] and summary.commits_read == 7
    assert sorted(c.subject for c in store.changes(["shop"])) == ["c6", "c7"]


def test_monorepo_paths_are_normalised_and_checked(tmp_path, make_repo, capsys):
    repo = make_repo("mono")
    repo.commit("2024-01-01T09:00:00", "base", path="services/a/x.py")
    repo.tag("v1", "2024-01-01T10:00:00")
    repo.commit("2024-01-02T09:00:00", "work", path="services/a/y.py")
    repo.tag("v2", "2024-01-02T10:00:00")
    base = '[[services]]\nname = "a"\nteam = "payments"\nrepo = "mono"\npath = "{}"\n'
    store, _ = run(load(tmp_path, base.format("./services//a/")))
    assert [c.subject for c in store.changes(["a"])] == ["work"]
    for bad, words in (("../a", "may not leave the repository"), ("/services/a", "must be relative")):
        write_config(tmp_path, f'database = "dora.db"\n{TEAM}' + base.format(bad))
        assert main(["collect"]) == 2
        assert words in capsys.readouterr().err


def test_zero_config_in_a_bare_repository(tmp_path, make_repo, monkeypatch):
    repo = make_repo("shop")
    repo.commit("2024-01-01T09:00:00", "a")
    repo.tag("v1", "2024-01-01T10:00:00")
    subprocess.run(["git", "clone", "-q", "--bare", str(repo.path), str(tmp_path / "shop.git")], check=True)
    monkeypatch.chdir(tmp_path / "shop.git")
    assert main(["collect"]) == 0
    assert main(["report", "--as-of", "2024-01-31", "--months", "1"]) == 0


def test_empty_repository_no_matching_tag_and_missing_path_are_explained(tmp_path, make_repo, capsys):
    make_repo("empty")
    other = make_repo("other")
    other.commit("2024-01-01T09:00:00", "a", path="services/a/x.py")
    other.tag("release-1", "2024-01-01T10:00:00")
    services = (
        '[[services]]\nname = "e"\nteam = "payments"\nrepo = "empty"\n'
        '[[services]]\nname = "o"\nteam = "payments"\nrepo = "other"\n'
    )
    write_config(tmp_path, f'database = "dora.db"\n[git]\nexclude_pattern = "*-rc*"\n{TEAM}{services}')
    assert main(["collect"]) == 0
    err = capsys.readouterr().err
    assert f"e: {tmp_path / 'empty'} is an empty repository (no commits yet)" in err
    assert f"o: no tag in {tmp_path / 'other'} matches 'v*' (excluding '*-rc*'); 1 other tags exist" in err
    write_config(tmp_path, f'database = "dora.db"\n{TEAM}{services}path = "services/b"\ntag_pattern = "release-*"\n')
    assert main(["collect"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "services[1].path: 'services/b' does not exist in" in err and "release-1" in err


def test_collect_only_the_services_named(tmp_path, make_repo, capsys):
    for name in ("shop", "ledger", "search"):
        repo = make_repo(name)
        repo.commit("2024-01-01T09:00:00", "a")
        repo.tag("v1", "2024-01-01T10:00:00")
    services = "".join(
        f'[[services]]\nname = "{n}"\nteam = "payments"\nrepo = "{n}"\n' for n in ("shop", "ledger", "search")
    )
    write_config(tmp_path, f'database = "dora.db"\n{TEAM}{services}')
    assert main(["collect", "--service", "shop", "ledger"]) == 0
    assert main(["collect", "--service", "nope"]) == 2
    assert "unknown service 'nope'" in capsys.readouterr().err
    store = Store.open(tmp_path / "dora.db")
    assert [names(store, n) for n in ("shop", "ledger", "search")] == [["v1"], ["v1"], []]
    assert main(["collect", "--service", "shop", "--service", "search"]) == 0
    assert names(store, "search") == ["v1"]


def day_by_day(repo, tags: list[tuple[str, str | None]], *, prefix: str = "", folder: str = "") -> None:
    """A commit and a tag ``prefix + name`` a day from January 1st 2024, annotated with its
    message (lightweight for None); each commit's file in ``folder`` when given."""
    for day, (name, message) in enumerate(tags, start=1):
        path = f"{folder}/f{day}" if folder else None
        repo.commit(f"2024-01-0{day}T09:00:00", f"change {day}", path=path)
        repo.tag(prefix + name, f"2024-01-0{day}T10:00:00", message=message, lightweight=message is None)


def rework_of(tmp_path: Path, service: str, name: str) -> list[tuple[str, bool]]:
    """Collect the one ``service`` entry (TOML) and return its deployments' last name part and
    whether each is rework."""
    write_config(tmp_path, f'database = "dora.db"\ntimezone = "UTC"\n{TEAM}{service}')
    assert main(["collect"]) == 0
    deployments = Store.open(tmp_path / "dora.db").deployments([name])
    return [(d.name.rsplit("/", 1)[-1], d.rework) for d in deployments]


def test_rework_pattern_reads_tag_names_and_whole_tag_messages(tmp_path, make_repo):
    tags = [
        ("v1", "Release 1.0"),
        ("v2", "Release 1.1\n\nThis is a rollback of 1.0 after the outage.\nSee INC-42."),
        ("v3-hotfix", None),
        ("v4", "Routine release\n\nNothing to undo here."),
    ]
    day_by_day(make_repo("shop"), tags)
    assert rework_of(tmp_path, SHOP, "shop") == [("v1", False), ("v2", True), ("v3-hotfix", True), ("v4", False)]
    messages = [d.message for d in Store.open(tmp_path / "dora.db").deployments(["shop"])]
    assert messages == ["Release 1.0", "Release 1.1", "", "Routine release"]


def test_the_words_that_name_a_service_never_make_its_deployments_rework(tmp_path, make_repo):
    # A module whose folder is named for what it does (a rollback controller) deploys releases
    # like any other: the default rework_pattern finds 'rollback' in the tag name that names the
    # module, and in a message that names it, but that is not news of a failure.
    tags = [
        ("v1.0.0", "services/rollback-controller/v1.0.0"),
        ("v1.1.0", "Release Rollback-Controller 1.1.0"),
        ("v1.1.1-hotfix", None),
        ("v1.2.0", "rollback-controller 1.2.0\n\nRevert the cache change of 1.1.0."),
        ("v1.3.0", "Release rollback-controller 1.3.0"),
    ]
    folder = "services/rollback-controller"
    day_by_day(make_repo("mono"), tags, prefix=f"{folder}/", folder=folder)
    service = (
        '[[services]]\nname = "rollback-controller"\nteam = "payments"\nrepo = "mono"\n'
        f'path = "{folder}"\ntag_pattern = "{folder}/v*"\n'
    )
    expected = [("v1.0.0", False), ("v1.1.0", False), ("v1.1.1-hotfix", True), ("v1.2.0", True), ("v1.3.0", False)]
    assert rework_of(tmp_path, service, "rollback-controller") == expected
    # A database collected under the earlier rule (every one rework, its settings without the
    # rules' version) is recomputed by the next collect, though no tag changed.
    with sqlite3.connect(tmp_path / "dora.db") as db:
        db.execute("UPDATE deployments SET rework = 1")
        db.execute("UPDATE repos SET settings = replace(settings, ? || char(31), '')", (MINED_RULES,))
    db.close()
    assert rework_of(tmp_path, service, "rollback-controller") == expected


def test_a_service_named_for_a_rework_word_keeps_its_real_rework(tmp_path, make_repo):
    # A module named 'rollback' (init names a module after its folder): its tags' common start
    # is read around, but not the word itself elsewhere: its real rollbacks are rework still.
    tags = [
        ("v1.0.0", "Release rollback 1.0.0"),
        ("v1.1.0", "Release 1.1.0"),
        ("v1.1.1-rollback", "Back to 1.0.0"),
        ("v1.2.0", "Rollback of v1.1.1: it broke logins"),
    ]
    day_by_day(make_repo("mono"), tags, prefix="services/rollback/", folder="services/rollback")
    service = (
        '[[services]]\nname = "rollback"\nteam = "payments"\nrepo = "mono"\n'
        'path = "services/rollback"\ntag_pattern = "re:services/rollback/v[0-9][^/]*"\n'
    )
    assert rework_of(tmp_path, service, "rollback") == [
        ("v1.0.0", True),  # its message names the service by a rework word: not told from a rollback
        ("v1.1.0", False),
        ("v1.1.1-rollback", True),
        ("v1.2.0", True),
    ]


def test_a_regular_expression_s_fixed_start_is_read_around_as_a_glob_s_is(tmp_path, make_repo):
    # init writes a monorepo's own series as a regular expression; the repository is named
    # otherwise than its tags, so only the pattern tells that 'rollback-controller-' names it
    tags = [(name, None) for name in ("1.0.0", "1.1.0", "1.2.0", "1.2.1-hotfix")]
    day_by_day(make_repo("platform"), tags, prefix="rollback-controller-")
    service = (
        '[[services]]\nname = "platform"\nteam = "payments"\nrepo = "platform"\n'
        "tag_pattern = 're:rollback\\-controller\\-[0-9][^/]*'\n"
    )
    assert rework_of(tmp_path, service, "platform") == [
        ("rollback-controller-1.0.0", False),
        ("rollback-controller-1.1.0", False),
        ("rollback-controller-1.2.0", False),
        ("rollback-controller-1.2.1-hotfix", True),
    ]


def test_a_pattern_with_two_beginnings_cuts_neither_and_keeps_its_hotfixes(tmp_path, make_repo):
    tags = [("release-1.0.0", "Release"), ("release-1.1.0", "Release"), ("hotfix-1.1.2", "Emergency patch")]
    day_by_day(make_repo("shop"), tags)
    service = f'{SHOP}tag_pattern = "re:hotfix-[0-9].*|release-[0-9].*"\n'
    assert rework_of(tmp_path, service, "shop") == [
        ("release-1.0.0", False),
        ("release-1.1.0", False),
        ("hotfix-1.1.2", True),
    ]
