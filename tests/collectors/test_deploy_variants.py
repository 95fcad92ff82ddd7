"""The JSON deployments readers on hand-made exports: rollbacks, images that name a commit or
none, environments that are not production, redeploys that change nothing, and what real
output wraps its items in (pages, a BOM, UTF-16, one item alone)."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

import pytest

from collectors.deploys.read import DeploySettings, read_deployments
from collectors.errors import InputError
from support.deploys import (
    application,
    github_deployment,
    kubectl_list,
    release,
    replica_set,
    revision,
    synced,
)
from support.gitbuilder import epoch

SERVICES = {"checkout": None, "search": None}
SHA = "0123456789abcdef0123456789abcdef01234567"


def read(document: object, *, raw: bytes | None = None, **settings):
    settings.setdefault("services", SERVICES)
    data = raw if raw is not None else json.dumps(document).encode()
    return read_deployments(data, "export.json", DeploySettings(**settings))


def shas(result) -> dict[str, str]:
    return {d.name: d.sha for d in result.deployments}


@pytest.mark.parametrize(
    "image, sha",
    [
        ("ghcr.io/acme/checkout:sha-abc1234", "abc1234"),  # a short sha
        ("ghcr.io/acme/checkout:1.4.2-ABC1234", "abc1234"),
        ("ghcr.io/acme/checkout:v1.2.3-4-gabc1234", "abc1234"),  # git describe
        (f"ghcr.io/acme/checkout:{SHA}", SHA),  # a bare sha
        ("registry:5000/checkout:1.15.0", "1.15.0"),  # a version: a tag's name
        ("ghcr.io/acme/checkout:2.0.0-rc.1@sha256:" + "e" * 64, "2.0.0-rc.1"),
        ("ghcr.io/acme/checkout@sha256:" + "e" * 64, ""),  # by digest only: no commit
        ("ghcr.io/acme/checkout:latest", ""),  # names no commit
        ("ghcr.io/acme/checkout", ""),
    ],
)
def test_the_commit_an_image_tag_names(image: str, sha: str) -> None:
    result = read(kubectl_list(replica_set("1", image, "2025-01-06T10:00:00Z")))
    assert shas(result) == {"shop/checkout rev 1": sha}


def test_a_version_names_the_git_tag_the_entry_says_and_a_pattern_reads_other_tags() -> None:
    items = kubectl_list(
        replica_set("1", "ghcr.io/acme/checkout:1.15.0", "2025-01-06T10:00:00Z"),
        replica_set("2", "ghcr.io/acme/checkout:build-77-abc1234", "2025-01-07T10:00:00Z"),
    )
    got = shas(read(items, version_tag="{service}/v{version}"))
    assert got == {"shop/checkout rev 1": "checkout/v1.15.0", "shop/checkout rev 2": "abc1234"}
    got = shas(read(items, image_pattern=r"^build-\d+-(?P<commit>[0-9a-f]+)$"))
    assert got == {"shop/checkout rev 1": "", "shop/checkout rev 2": "abc1234"}


def test_the_services_container_not_a_sidecar_before_it() -> None:
    item = replica_set("1", "ghcr.io/acme/checkout:sha-abc1234", "2025-01-06T10:00:00Z", sidecar="istio/proxyv2:1.22.0")
    assert shas(read(kubectl_list(item))) == {"shop/checkout rev 1": "abc1234"}


def test_a_kubernetes_rollback_and_a_restart() -> None:
    old = replica_set("4", "c:sha-1111111", "2025-01-06T10:00:00Z", history="1")
    new = replica_set("3", "c:sha-2222222", "2025-01-08T10:00:00Z")
    restart = replica_set("5", "c:sha-1111111", "2025-01-09T10:00:00Z", restarted="2025-01-09T10:00:00Z")
    second = replica_set("2", "c:sha-3333333", "2025-01-07T10:00:00Z")
    result = read(kubectl_list(new, old, restart, second))  # etcd order: by name, not by revision
    got = {d.name: (d.time, d.sha) for d in result.deployments}
    assert got == {
        "shop/checkout rev 1": (epoch("2025-01-06T10:00:00"), "1111111"),
        "shop/checkout rev 2": (epoch("2025-01-07T10:00:00"), "3333333"),
        "shop/checkout rev 3": (epoch("2025-01-08T10:00:00"), "2222222"),
        "shop/checkout rev 4": (epoch("2025-01-08T10:00:01"), "1111111"),  # undated: after rev 3
    }
    assert result.notes == (
        "1 redeploy of the running version left out (a restart or a re-sync: nothing changed): "
        "'shop/checkout rev 5' (1)",
    )


def test_what_a_cluster_export_holds_besides_our_services() -> None:
    document = kubectl_list(
        replica_set("1", "c:sha-1111111", "2025-01-06T10:00:00Z"),
        replica_set("1", "c:sha-1111111", "2025-01-06T10:00:00Z", namespace="shop-staging"),
        replica_set("1", "c:sha-1111111", "2025-01-06T10:00:00Z", namespace="pr-1234"),
        replica_set("1", "coredns:1.11.1", "2025-01-06T10:00:00Z", app="coredns", namespace="kube-system"),
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "checkout"}},
    )
    orphan = replica_set("1", "c:sha-1111111", "2025-01-06T10:00:00Z", app="search")
    orphan["metadata"]["ownerReferences"] = None
    document["items"].append(orphan)
    result = read(document)
    assert [d.name for d in result.deployments] == ["shop/checkout rev 1"] and result.errors == ()
    assert result.notes == (
        "1 item of other kinds left out: 'Deployment' (1)",
        f"1 ReplicaSet of no Deployment left out: 'shop/{orphan['metadata']['name']}' (1)",
        "2 items not of production left out: 'shop-staging' (1), 'pr-1234' (1) (name the production "
        "environments with `production` in the [[imports]] entry)",
        "1 item of no configured service left out: 'coredns' (1) (map them with service_map in the [[imports]] entry)",
    )


def test_the_production_environments_named_instead() -> None:
    document = kubectl_list(
        *(replica_set("1", "c:sha-1111111", "2025-01-06T10:00:00Z", namespace=ns) for ns in ("prod-eu", "shop", "qa"))
    )
    result = read(document, production=("prod-eu", "Live"))
    assert [d.name for d in result.deployments] == ["prod-eu/checkout rev 1"]
    assert read(document, service_map={"checkout": "search"}).deployments[0].service == "search"


def test_argocd_rollback_resync_multi_source_and_an_image_set_by_the_source() -> None:
    app = application(
        "checkout-production",
        synced(3, "b" * 40, "2025-02-03T10:00:00Z"),
        synced(2, "a" * 40, "2025-02-02T10:00:00Z"),
        synced(4, "b" * 40, "2025-02-04T10:00:00Z"),  # a re-sync of the same revision
        synced(5, "a" * 40, "2025-02-05T10:00:00Z"),  # a rollback
        synced(6, "c" * 40, "2025-02-06T10:00:00Z", kustomize={"images": ["ghcr.io/acme/checkout:sha-abc1234"]}),
    )
    multi = {"deployedAt": "2025-02-07T10:00:00Z", "id": 7, "revisions": ["1.2.0", "d" * 40], "sources": []}
    app["status"]["history"].append(multi)
    result = read([app])
    assert shas(result) == {
        "checkout-production #2": "a" * 40,
        "checkout-production #3": "b" * 40,
        "checkout-production #5": "a" * 40,
        "checkout-production #6": "abc1234",
        "checkout-production #7": "d" * 40,
    }
    assert "'checkout-production #4' (1)" in result.notes[0]


def test_cloud_run_redeploy_of_the_same_image_and_a_commit_from_the_tag() -> None:
    items = [
        revision(
            "checkout-00002-b", "checkout", "eu.gcr.io/p/checkout:sha-abc1234", "2025-03-02T10:00:00.5Z", digest="d"
        ),
        revision(
            "checkout-00001-a", "checkout", "eu.gcr.io/p/checkout:sha-abc1234", "2025-03-01T10:00:00Z", digest="d"
        ),
        revision("checkout-00003-c", "checkout", "eu.gcr.io/p/checkout:latest", "2025-03-03T10:00:00Z", commit=SHA),
        revision("checkout-staging-00001-a", "checkout-staging", "eu.gcr.io/p/checkout:x", "2025-03-03T10:00:00Z"),
    ]
    result = read(items)
    assert shas(result) == {"checkout-00001-a": "abc1234", "checkout-00003-c": SHA}
    assert "'checkout-00002-b' (1)" in result.notes[1] and "'checkout-staging' (1)" in result.notes[0]


def test_github_deployments_payload_as_text_redeploys_and_named_production() -> None:
    items = [
        github_deployment(3, "production", "c" * 40, "2025-04-03T10:00:00Z", payload='{"service": "search"}'),
        github_deployment(2, "production", "c" * 40, "2025-04-02T10:00:00Z", payload={"service": "search"}),
        github_deployment(1, "prod-eu", "b" * 40, "2025-04-01T10:00:00Z", payload={"service": "search"}),
    ]
    assert shas(read(items)) == {"#2": "c" * 40}  # 3 redeploys it; prod-eu is not GitHub's production
    assert shas(read(items, production=("prod-eu",))) == {"#1": "b" * 40}
    unmapped = github_deployment(4, "production", "d" * 40, "2025-04-04T10:00:00Z")
    assert "'shop' (1)" in read([unmapped]).notes[0]  # no payload.service: the repository's name


def test_releases_prefixes_and_the_rest_apis_names() -> None:
    items = [
        release("search@2.0.0", "2025-05-01T10:00:00Z"),
        release("checkout-v3.1.0", "2025-05-02T10:00:00Z"),
        {"tag_name": "apps/checkout/v4", "published_at": "2025-05-03T10:00:00Z", "draft": False, "prerelease": False},
        release("v9.9.9", "2025-05-04T10:00:00Z"),
    ]
    result = read(items)
    assert {d.name: d.service for d in result.deployments} == {
        "search@2.0.0": "search",
        "checkout-v3.1.0": "checkout",
        "apps/checkout/v4": "checkout",
    }
    assert "'v9.9.9' (1)" in result.notes[0]
    assert len(read(items, service="search").deployments) == 4


PAGE_1 = [github_deployment(2, "production", "b" * 40, "2025-04-02T10:00:00Z", payload={"service": "search"})]
PAGE_2 = [github_deployment(1, "production", "a" * 40, "2025-04-01T10:00:00Z", payload={"service": "search"})]


@pytest.mark.parametrize(
    "raw",
    [
        (json.dumps(PAGE_1) + json.dumps(PAGE_2)).encode(),  # gh before 2.31: pages back to back
        (json.dumps(PAGE_1, indent=2) + "\n" + json.dumps(PAGE_2, indent=2) + "\n").encode(),
        json.dumps([PAGE_1, PAGE_2]).encode(),  # gh --slurp
        "\n".join(json.dumps(d) for d in PAGE_1 + PAGE_2).encode(),  # --jq '.[]': one a line
        b"\xef\xbb\xbf" + json.dumps(PAGE_1 + PAGE_2).encode(),  # a BOM
        json.dumps(PAGE_1 + PAGE_2, indent=2).encode("utf-16"),  # a shell redirecting in UTF-16
    ],
)
def test_pages_wrappers_and_encodings(raw: bytes) -> None:
    result = read(None, raw=raw)
    assert result.format == "github-deployments" and sorted(shas(result)) == ["#1", "#2"]


def test_a_single_object_and_an_api_list_whose_items_have_no_kind() -> None:
    item = replica_set("1", "c:sha-1111111", "2025-01-06T10:00:00Z")
    assert len(read(item).deployments) == 1
    del item["kind"]
    assert len(read({"kind": "ReplicaSetList", "items": [item]}).deployments) == 1


def test_bad_items_are_named_and_the_others_read() -> None:
    no_revision = replica_set("", "c:sha-1111111", "2025-01-06T10:00:00Z", app="checkout")
    bad_time = replica_set("2", "c:sha-2222222", "2025-13-06T10:00:00Z")
    no_image = replica_set("3", "c:sha-3333333", "2025-01-08T10:00:00Z")
    no_image["spec"]["template"]["spec"]["containers"] = None
    result = read(kubectl_list(no_revision, bad_time, no_image, replica_set(4, "c:sha-4", "2025-01-09T10:00:00Z")))
    assert [(e.item, e.name, e.reason) for e in result.errors] == [
        (1, no_revision["metadata"]["name"], "no annotation deployment.kubernetes.io/revision"),
        (2, bad_time["metadata"]["name"], "metadata.creationTimestamp '2025-13-06T10:00:00Z' is not a time"),
        (3, no_image["metadata"]["name"], "no spec.template.spec.containers"),
    ]
    assert [d.name for d in result.deployments] == ["shop/checkout rev 4"]
    assert result.errors[0].value == no_revision  # kept as read, for FILE.rejected.jsonl
    entry = application("checkout-prod", {"id": 1, "revision": "a" * 40})
    (error,) = read([entry]).errors
    assert (error.name, error.reason) == ("checkout-prod", "no deployedAt of status.history entry 1")


@pytest.mark.parametrize(
    "raw, message",
    [
        (b'[{"id": 1,\n "sha": }]', "export.json:2: not valid JSON (column 9: Expecting value)"),
        (b'"just text"', "export.json: not an export: the JSON holds a string, not items"),
        (b'[{"name": "board"}]', "export.json: item 1 (board): of no known format: not a Kubernetes ReplicaSet"),
        (b"[\xff]", "export.json:1: not UTF-8 text"),
    ],
)
def test_a_file_that_is_no_export_is_refused_in_one_line(raw: bytes, message: str) -> None:
    with pytest.raises(InputError) as refused:
        read(None, raw=raw)
    assert str(refused.value).startswith(message)


def test_a_named_format_reads_items_of_no_known_format_as_bad_and_refuses_another_format_s() -> None:
    result = read([{"id": 2, "sha": "abc"}], format="kubernetes")
    assert [(e.item, e.reason) for e in result.errors] == [(1, "not a Kubernetes ReplicaSet (no kind)")]
    with pytest.raises(InputError, match="this is a github-deployments export, not kubernetes"):
        read(PAGE_1, format="kubernetes")
    with pytest.raises(InputError, match="unknown format 'helm'"):
        read(PAGE_1, format="helm")


def test_a_time_without_an_offset_is_read_in_the_zone_given() -> None:
    item = replica_set("1", "c:sha-1111111", "2025-07-01T10:00:00")
    (deployment,) = read(kubectl_list(item), tz=ZoneInfo("Europe/London")).deployments
    assert deployment.time == epoch("2025-07-01T09:00:00")  # British Summer Time
