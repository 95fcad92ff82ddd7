"""Each JSON deployments reader on its sample (tests/support/fixtures/deploys/, the layout each
tool writes): what it takes, what it leaves out, and the names, times and commits it stores."""

from __future__ import annotations

import json

import pytest

from collectors.deploys.read import DeploySettings, read_deployments
from support import FIXTURES
from support.gitbuilder import epoch

SAMPLES = FIXTURES / "deploys"
SERVICES = {"checkout": "payments", "payments-api": "payments", "search": "storefront"}


def read(name: str, **settings):
    settings.setdefault("services", SERVICES)
    return read_deployments((SAMPLES / name).read_bytes(), name, DeploySettings(**settings))


def by_name(result) -> dict:
    return {d.name: d for d in result.deployments}


@pytest.mark.parametrize(
    "name, format, counts",
    [
        ("kubernetes_replicasets.json", "kubernetes", {"checkout": 7, "payments-api": 5, "search": 4}),
        ("argocd_applications.json", "argocd", {"checkout": 10, "payments-api": 6, "search": 4}),
        ("cloudrun_revisions.json", "cloud-run", {"checkout": 5, "payments-api": 4, "search": 3}),
        ("github_deployments.json", "github-deployments", {"checkout": 5, "payments-api": 3, "search": 2}),
        ("github_releases.json", "github-releases", {"checkout": 6, "search": 4}),
    ],
)
def test_every_sample_is_told_by_its_content_and_read_whole(name: str, format: str, counts: dict) -> None:
    result = read(name)
    assert (result.format, result.source, result.errors) == (format, format, ())
    found: dict[str, int] = {}
    for deployment in result.deployments:
        found[deployment.service] = found.get(deployment.service, 0) + 1
    assert found == counts


def test_kubernetes_one_deployment_a_revision_and_the_rollback_placed_after_the_revision_it_undid() -> None:
    result = read("kubernetes_replicasets.json", version_tag="{service}/v{version}")
    got = by_name(result)
    checkout = sorted((d for d in result.deployments if d.service == "checkout"), key=lambda d: d.time)
    assert [d.name for d in checkout] == [f"shop/checkout rev {n} (953a7f85)" for n in range(1, 8)]
    # Revision 4 is the hotfix, dated by its ReplicaSet; revision 6 is that ReplicaSet again.
    assert got["shop/checkout rev 4 (953a7f85)"].time == epoch("2025-10-20T15:30:12")
    assert got["shop/checkout rev 4 (953a7f85)"].sha == got["shop/checkout rev 6 (953a7f85)"].sha == "checkout/v1.14.1"
    assert got["shop/checkout rev 6 (953a7f85)"].time == epoch("2025-11-03T11:02:44") + 1  # rev 5's creation + 1 s
    assert got["shop/checkout rev 6 (953a7f85)"].message.startswith("rollback to revision 4: hotfix 1.14.1")
    assert "does not date it" in got["shop/checkout rev 6 (953a7f85)"].message
    # The commit from the image tag: sha-5b0e1a9 and 2.5.0-d08e6b4; the change cause as the message.
    assert got["shop/payments-api rev 1 (8e19befa)"].sha == "5b0e1a9"
    assert got["shop/search rev 4 (14d2ab38)"].sha == "d08e6b4"
    assert got["shop/checkout rev 5 (953a7f85)"].message == "release 1.15.0 (commit 8a41f0c)"
    assert got["shop/search rev 4 (14d2ab38)"].message == "search:2.5.0-d08e6b4"  # no change cause: the image


def test_argocd_one_deployment_a_history_entry_and_staging_left_out() -> None:
    result = read("argocd_applications.json")
    got = by_name(result)
    assert "checkout-prod #21" in got and not any(d.name.startswith("checkout-staging") for d in result.deployments)
    assert got["checkout-prod #21"].time == epoch("2025-11-10T16:48:36")
    assert got["checkout-prod #21"].sha == "453a3e139cdb92c2c7a06b4ebe245001e405d01d"
    # payments-api's entry 4 returns to entry 2's revision (an `argocd app rollback`).
    assert got["payments-api-prod #4"].sha == got["payments-api-prod #2"].sha
    assert "by tomasz.nowak@acme.example" in got["payments-api-prod #4"].message
    assert result.notes == (
        "1 item not of production left out: 'checkout-staging' (1) (name the production environments with "
        "`production` in the [[imports]] entry)",
    )


def test_cloud_run_one_deployment_a_revision_the_commit_from_its_label() -> None:
    got = by_name(read("cloudrun_revisions.json"))
    assert got["checkout-00012-cti"].time == epoch("2025-11-10T16:47:55")  # microseconds dropped
    assert got["checkout-00012-cti"].sha == "bcc3611450adf4b3cb1f838ed8251bf1e512ceb7"
    # checkout-00011 redeploys the image of checkout-00009: a deployment, of an earlier commit.
    assert got["checkout-00011-01q"].sha == got["checkout-00009-dqo"].sha
    assert got["payments-api-00017-5ct"].message == "payments-api:cf271af4efb5fd0a952cea8029669a5ca3f50b90"


def test_github_deployments_production_only_named_by_id() -> None:
    result = read("github_deployments.json")
    got = by_name(result)
    assert got["#3800060929"].service == "search" and got["#3800060929"].time == epoch("2025-11-17T09:19:58")
    assert got["#3800060929"].sha == "127071951072ca5335a460dab5ef17d2f6e0dcb7"
    assert got["#3744550611"].message == "Rollback checkout to 1.14.1 (INC-1187)"
    assert got["#3744550611"].sha == got["#3681646352"].sha  # back to 1.14.1
    assert "#3799726948" not in got  # the same release to staging
    (note,) = result.notes
    assert note.startswith("16 items not of production left out: 'staging' (9), 'pr-1415' (2), 'github-pages' (2)")


def test_github_releases_tag_names_the_commit_drafts_and_prereleases_left_out() -> None:
    result = read("github_releases.json")
    got = by_name(result)
    assert got["checkout/v1.15.1"].sha == "checkout/v1.15.1" and got["checkout/v1.15.1"].service == "checkout"
    assert got["checkout/v1.15.1"].time == epoch("2025-11-10T16:44:58")  # published, not created
    assert got["checkout/v1.15.1"].message == "checkout 1.15.1"
    assert not {"checkout/v1.16.0", "search/v2.5.0-rc.1", "checkout/v1.15.0-rc.1"} & set(got)
    assert result.notes == (
        "1 draft left out: 'checkout/v1.16.0' (1)",
        "2 prereleases left out: 'search/v2.5.0-rc.1' (1), 'checkout/v1.15.0-rc.1' (1)",
    )


def test_the_named_format_and_the_service_given_win() -> None:
    result = read("github_releases.json", format="github_releases", service="search")
    assert result.format == "github-releases" and {d.service for d in result.deployments} == {"search"}
    assert len(result.deployments) == 10


def _releases_edited(edit) -> bytes:
    """The github-releases sample with ``edit`` applied to its list of items."""
    items = json.loads((SAMPLES / "github_releases.json").read_text(encoding="utf-8"))
    edit(items)
    return json.dumps(items).encode()


def test_a_deployment_named_twice_with_other_values_is_counted_not_lost_unsaid() -> None:
    # two releases with one tag: one was dropped without a word (a review's finding)
    def twice(items: list) -> None:
        first = next(i for i in items if i["tagName"] == "checkout/v1.15.1")
        again = next(i for i in items if not i["isDraft"] and not i["isPrerelease"] and i is not first)
        again["tagName"] = "checkout/v1.15.1"

    result = read_deployments(_releases_edited(twice), "x.json", DeploySettings(services=SERVICES))
    assert len(result.deployments) == 9
    assert "1 deployment named twice in the file with other values, the last kept: 'checkout/v1.15.1' (1)" in (
        result.notes
    )


@pytest.mark.parametrize("value", ["true", 1, "false"])
def test_a_prerelease_flag_of_another_type_is_a_bad_item(value: object) -> None:
    # "true" was read as false: a prerelease counted as a deployment (a review's finding)
    def flagged(items: list) -> None:
        next(i for i in items if not i["isDraft"] and not i["isPrerelease"])["isPrerelease"] = value

    result = read_deployments(_releases_edited(flagged), "x.json", DeploySettings(services=SERVICES))
    assert [e.reason for e in result.errors] == ["isPrerelease is not true or false"]
