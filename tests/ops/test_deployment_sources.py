"""Imported deployments take part in the lineage, and a service counts one source of deployments.

A deployment imported from a pipeline's or a runtime's export that names a commit (a full sha,
a unique prefix of 7+ hex digits, or the name of a tag) gets its changes and lead times from
the service's git history by the rule tags follow; one that names none still counts, carries
no changes, and is reported. A service counts its imported deployments when it has any (or
what its ``deployments`` setting names), never a tag and its rollout twice.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from dora_tui.cli import main
from dora_tui.store.database import Store
from dora_tui.tui.facade.dashboard import Dashboard
from support.gitbuilder import GitBuilder, epoch

AS_OF = ["--as-of", "2024-03-31", "--months", "3"]


def workspace(root: Path, services: str) -> None:
    (root / "dora.toml").write_text(f'database = "dora.db"\ntimezone = "UTC"\n{services}')


def service(name: str, *, extra: str = "") -> str:
    return f'[[services]]\nname = "{name}"\nrepo = "shop"\n{extra}\n'


def report(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    capsys.readouterr()
    assert main(["report", *AS_OF, *args]) == 0
    return json.loads(capsys.readouterr().out)


def entity(doc: dict, name: str) -> dict:
    return next(e for e in doc["entities"] if e["name"] == name)


def history(root: Path) -> tuple[GitBuilder, list[str]]:
    """Commits over three months, a feature branch merged back; no tags."""
    repo = GitBuilder(root / "shop")
    shas = [repo.commit("2024-01-02T09:00:00", "first")]
    shas.append(repo.commit("2024-01-10T09:00:00", "second"))
    repo.branch("feature")
    shas.append(repo.commit("2024-02-01T09:00:00", "on the branch"))
    repo.checkout("main")
    shas.append(repo.commit("2024-02-03T09:00:00", "third"))
    shas.append(repo.merge("feature", "2024-02-05T09:00:00"))
    shas.append(repo.commit("2024-03-01T09:00:00", "fourth"))
    return repo, shas


def test_a_service_deployed_only_through_imports_has_changes_and_lead_times(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, shas = history(tmp_path)
    repo.tag("v9", "2024-03-02T09:00:00", ref=shas[5])  # a version the export names by its tag
    repo.tag("v1.4.2", "2024-02-06T08:00:00", ref=shas[4])  # a version the export writes without its "v"
    workspace(tmp_path, service("checkout", extra='tag_pattern = "nothing-matches-*"'))
    (tmp_path / "deploys.csv").write_text(
        "service,name,time,sha,message\n"
        f"checkout,deploy-1,2024-01-03T09:00:00Z,{shas[0]},baseline\n"  # a full sha
        f"checkout,deploy-2,2024-01-11T09:00:00Z,{shas[1][:7]},\n"  # a prefix of 7 hex digits
        "checkout,deploy-3,2024-02-06T09:00:00Z,1.4.2,\n"  # the merge, by a version (its tag is v1.4.2)
        "checkout,deploy-4,2024-03-04T09:00:00Z,v9,\n"  # a version naming a tag
    )
    assert main(["import", "deployments", "deploys.csv"]) == 0
    assert main(["collect"]) == 0
    checkout = entity(report(capsys), "checkout")
    months = {m["month"]: m for m in checkout["months"]}
    # January: deploy-2 (11th, 09:00) carries "second" (10th, 09:00): 24 h; the baseline's commit counts nowhere.
    assert months["2024-01"]["deployments"] == 2 and months["2024-01"]["changes"] == 1
    assert months["2024-01"]["lead_time_median_h"] == 24.0
    # February: deploy-3 carries "on the branch" (120 h) and "third" (72 h): median 96 h; the merge is no change.
    assert months["2024-02"]["changes"] == 2 and months["2024-02"]["lead_time_median_h"] == 96.0
    # March: deploy-4 (v9) carries "fourth": 72 h.
    assert months["2024-03"]["changes"] == 1 and months["2024-03"]["lead_time_median_h"] == 72.0
    store = Store.open(tmp_path / "dora.db", readonly=True)
    carried = {
        c.deployment: sorted(c.subject for c in store.changes(["checkout"], deployment=c.deployment))
        for c in store.changes(["checkout"])
    }
    store.close()
    assert carried == {"deploy-2": ["second"], "deploy-3": ["on the branch", "third"], "deploy-4": ["fourth"]}


def test_the_same_commits_deployed_by_tags_or_by_imports_give_the_same_changes_and_lead_times(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, shas = history(tmp_path)
    deploys = [
        (shas[0], "2024-01-03T09:00:00"),
        (shas[1], "2024-01-11T09:30:00"),
        (shas[4], "2024-02-06T10:00:00"),
        (shas[5], "2024-03-04T08:00:00"),
    ]
    for n, (sha, when) in enumerate(deploys, 1):
        repo.tag(f"v{n}", when, ref=sha)
    workspace(
        tmp_path,
        service("by-tags", extra='deployments = "tags"') + service("by-imports", extra='deployments = "imports"'),
    )
    (tmp_path / "deploys.csv").write_text(
        "service,name,time,sha\n"
        + "".join(f"by-imports,r{n},{when}Z,{sha}\n" for n, (sha, when) in enumerate(deploys, 1))
    )
    assert main(["import", "deployments", "deploys.csv"]) == 0
    assert main(["collect"]) == 0
    store = Store.open(tmp_path / "dora.db", readonly=True)
    by_tags = sorted((c.sha, c.commit_time, c.deploy_time, c.lead_time_s) for c in store.changes(["by-tags"]))
    by_imports = sorted((c.sha, c.commit_time, c.deploy_time, c.lead_time_s) for c in store.changes(["by-imports"]))
    store.close()
    assert by_tags == by_imports and len(by_tags) == 4
    doc = report(capsys)
    lineage = ("deployments", "deployment_days", "changes", "lead_time_median_h", "lead_time_p90_h")
    for block in ("months", "window"):
        tags, imports = entity(doc, "by-tags")[block], entity(doc, "by-imports")[block]
        rows = zip(tags, imports) if block == "months" else [(tags, imports)]
        assert all({k: a[k] for k in lineage} == {k: b[k] for k in lineage} for a, b in rows)
    # Only the runtime's deployments measure failures without incidents (they show rollbacks).
    assert entity(doc, "by-tags")["window"]["change_failure_rate"] is None
    assert entity(doc, "by-imports")["window"]["change_failure_rate"] == 0.0


def test_a_deployment_naming_no_commit_counts_with_no_changes_and_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, shas = history(tmp_path)
    workspace(tmp_path, service("checkout"))
    (tmp_path / "deploys.csv").write_text(
        "service,name,time,sha\n"
        f"checkout,deploy-1,2024-01-03T09:00:00Z,{shas[0]}\n"
        "checkout,deploy-2,2024-02-06T09:00:00Z,deadbeefcafe\n"  # a commit of no clone we have
        f"checkout,deploy-3,2024-03-04T09:00:00Z,{shas[5]}\n"
    )
    assert main(["import", "deployments", "deploys.csv"]) == 0
    capsys.readouterr()
    assert main(["collect"]) == 0
    assert "1 imported deployment names no commit" in capsys.readouterr().err
    doc = report(capsys)
    months = {m["month"]: m for m in entity(doc, "checkout")["months"]}
    assert months["2024-02"]["deployments"] == 1 and months["2024-02"]["changes"] == 0
    assert months["2024-03"]["changes"] == 4  # deploy-3 carries all but the baseline's commit and the merge
    assert doc["data_quality"]["unresolved_deployments"] == 1
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert "[unresolved] checkout: 1 imported deployment names no commit of its repository" in out
    assert "'deploy-2', 'deadbeefcafe'" in out and "fetch --tags" in out


def test_a_service_with_tags_and_imported_deployments_counts_one_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, shas = history(tmp_path)
    repo.tag("v1", "2024-01-03T09:00:00", ref=shas[0])
    repo.tag("v2", "2024-03-02T09:00:00", ref=shas[5])
    workspace(tmp_path, service("checkout"))
    assert main(["collect"]) == 0
    assert entity(report(capsys), "checkout")["window"]["deployments"] == 2  # its tags, before any import
    (tmp_path / "rollouts.csv").write_text(  # the rollouts of those releases, one more in between
        "service,name,time,sha\n"
        "checkout,rollout-1,2024-01-03T09:05:00Z,v1\n"
        f"checkout,rollout-2,2024-02-06T09:05:00Z,{shas[4]}\n"
        "checkout,rollout-3,2024-03-02T09:05:00Z,v2\n"
    )
    assert main(["import", "deployments", "rollouts.csv"]) == 0
    assert entity(report(capsys), "checkout")["window"]["deployments"] == 3  # at once: never 5
    assert main(["collect"]) == 0
    window = entity(report(capsys), "checkout")["window"]
    assert window["deployments"] == 3 and window["changes"] == 4
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert "[sources] checkout has deployments from two sources, 2 tags and 3 imported" in out
    assert "only its imported deployments count" in out
    # The config can name the tags instead.
    (tmp_path / "dora.toml").write_text((tmp_path / "dora.toml").read_text() + 'deployments = "tags"\n')
    assert main(["collect"]) == 0
    window = entity(report(capsys), "checkout")["window"]
    assert window["deployments"] == 2 and window["changes"] == 4
    assert main(["doctor"]) == 0
    assert 'only its tags count (deployments = "tags")' in capsys.readouterr().out


def test_an_imported_deployments_lead_time_is_to_its_own_time(tmp_path: Path) -> None:
    _, shas = history(tmp_path)
    workspace(tmp_path, service("checkout"))
    (tmp_path / "deploys.csv").write_text(
        "service,name,time,sha\n"
        f"checkout,d1,2024-01-02T10:00:00Z,{shas[0]}\n"
        f"checkout,d2,2024-01-10T21:00:00Z,{shas[1]}\n"
    )
    assert main(["import", "deployments", "deploys.csv"]) == 0
    assert main(["collect"]) == 0
    store = Store.open(tmp_path / "dora.db", readonly=True)
    (change,) = store.changes(["checkout"])
    store.close()
    assert (change.deployment, change.lead_time_s) == (
        "d2",
        epoch("2024-01-10T21:00:00") - epoch("2024-01-10T09:00:00"),
    )


def test_a_deployment_returning_to_a_commit_it_ran_before_is_a_rollback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, shas = history(tmp_path)
    workspace(tmp_path, service("checkout"))
    (tmp_path / "deploys.csv").write_text(
        "service,name,time,sha\n"
        f"checkout,d1,2024-01-03T09:00:00Z,{shas[1]}\n"
        f"checkout,d2,2024-02-06T09:00:00Z,{shas[4]}\n"  # the release that goes wrong
        f"checkout,d3,2024-02-06T11:30:00Z,{shas[1]}\n"  # back to d1's commit: a rollback of d2
        f"checkout,d4,2024-02-06T12:00:00Z,{shas[1]}\n"  # the same commit again (a restart): no rollback
        f"checkout,d5,2024-03-04T09:00:00Z,{shas[5]}\n"
    )
    assert main(["import", "deployments", "deploys.csv"]) == 0
    assert main(["collect"]) == 0
    doc = report(capsys)  # no incident imported: the rollback alone measures the failure
    feb = {m["month"]: m for m in entity(doc, "checkout")["months"]}["2024-02"]
    assert (feb["deployments"], feb["rollbacks"], feb["failed_deployments"]) == (3, 1, 1)
    assert feb["change_failure_rate"] == 0.333 and feb["recovery_time_median_h"] == 2.5
    assert feb["rework_deployments"] == 1 and feb["changes"] == 2  # d2 carries them; d3 and d4 none
    store = Store.open(tmp_path / "dora.db", readonly=True)
    carried = {c.deployment for c in store.changes(["checkout"])}
    rollback = next(d for d in store.deployments(["checkout"]) if d.name == "d3")
    store.close()
    assert carried == {"d2", "d5"} and rollback.rollback_of == "d2"
    assert entity(doc, "checkout")["window"]["rollbacks"] == 1
    # The dashboard's drill-down says which deployment the rollback undid, and the other way round.
    dashboard = Dashboard.from_config_path(tmp_path / "dora.toml", today=date(2024, 3, 31))
    rollback_row = dashboard.deployment("checkout", "d3")
    undone_row = dashboard.deployment("checkout", "d2")
    assert rollback_row is not None and undone_row is not None
    assert (rollback_row.deployment.rollback_of, rollback_row.deployment.rework) == ("d2", True)
    assert (undone_row.deployment.failed, undone_row.deployment.undone_by) == (True, "d3")
    assert undone_row.deployment.recovered_at == epoch("2024-02-06T11:30:00")
    assert dashboard.deployments_from("checkout") == "its imported deployments (deployments)"
    dashboard.close()


def test_a_deployment_naming_a_commit_fetched_later_is_found_by_the_next_collect(tmp_path: Path) -> None:
    repo, shas = history(tmp_path)
    repo.git("clone", "-q", str(repo.path), str(tmp_path / "upstream"))
    upstream = GitBuilder(tmp_path / "upstream")  # where the release was made, not fetched yet
    released = upstream.commit("2024-03-20T09:00:00", "fetched later")
    workspace(tmp_path, service("checkout"))
    (tmp_path / "deploys.csv").write_text(
        "service,name,time,sha\n"
        f"checkout,d1,2024-01-03T09:00:00Z,{shas[0]}\n"
        f"checkout,d2,2024-03-21T09:00:00Z,{released}\n"
    )
    assert main(["import", "deployments", "deploys.csv"]) == 0
    assert main(["collect"]) == 0
    store = Store.open(tmp_path / "dora.db", readonly=True)
    assert store.unresolved_deployments() == {"checkout": [("d2", released, "deployments")]}
    store.close()
    repo.git("fetch", "-q", str(upstream.path), "HEAD")  # new commits, no tag: the tags' listing is the same
    assert main(["collect"]) == 0
    store = Store.open(tmp_path / "dora.db", readonly=True)
    assert store.unresolved_deployments() == {}
    assert "fetched later" in [c.subject for c in store.changes(["checkout"], deployment="d2")]
    store.close()
