"""A small real repository deployed through each runtime's or pipeline's export, then `collect`
and `report`: the changes and lead times, worked out by hand, come from git as a tag's would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dora_tui.cli import main
from support.deploys import (
    application,
    github_deployment,
    kubectl_list,
    release,
    replica_set,
    revision,
    synced,
    write,
)
from support.gitbuilder import GitBuilder

CONFIG = """database = "dora.db"
timezone = "UTC"
[[services]]
name = "checkout"
repo = "shop"
tag_pattern = "checkout/v*"
[[imports]]
kind = "deployments"
file = "export.json"
version_tag = "checkout/v{version}"
"""
DEPLOYED = ["2024-01-03T09:00:00Z", "2024-01-11T09:00:00Z", "2024-02-04T09:00:00Z", "2024-03-02T09:00:00Z"]


def history(root: Path) -> list[str]:
    """Five commits over three months, released as checkout/v1.0.0..v4.0.0 (v1 on the first,
    v2 on the second, v3 on the fourth, v4 on the fifth)."""
    repo = GitBuilder(root / "shop")
    shas = [
        repo.commit("2024-01-02T09:00:00", "first"),
        repo.commit("2024-01-10T09:00:00", "second"),
        repo.commit("2024-02-01T09:00:00", "third"),
        repo.commit("2024-02-03T09:00:00", "fourth"),
        repo.commit("2024-03-01T09:00:00", "fifth"),
    ]
    for number, sha in enumerate((shas[0], shas[1], shas[3], shas[4]), 1):
        repo.tag(f"checkout/v{number}.0.0", DEPLOYED[number - 1].rstrip("Z"), ref=sha)
    return shas


def report(capsys: pytest.CaptureFixture[str]) -> dict:
    assert main(["collect"]) == 0
    capsys.readouterr()
    assert main(["report", "--format", "json", "--as-of", "2024-03-31", "--months", "3"]) == 0
    return json.loads(capsys.readouterr().out)


def figures(doc: dict) -> dict[str, tuple]:
    (checkout,) = (e for e in doc["entities"] if e["name"] == "checkout")
    return {m["month"]: (m["deployments"], m["changes"], m["lead_time_median_h"]) for m in checkout["months"]}


def kubernetes(shas: list[str]) -> object:
    images = [f"sha-{shas[0][:7]}", f"1.0.0-{shas[1][:7]}", "3.0.0", shas[4]]  # "3.0.0": the tag checkout/v3.0.0
    return kubectl_list(
        *(replica_set(str(n), f"ghcr.io/acme/checkout:{image}", DEPLOYED[n - 1]) for n, image in enumerate(images, 1))
    )


def argocd(shas: list[str]) -> object:
    carried = (shas[0], shas[1], shas[3], shas[4])
    return kubectl_list(
        application("checkout-prod", *(synced(n, c, d) for n, (c, d) in enumerate(zip(carried, DEPLOYED))))
    )


def cloud_run(shas: list[str]) -> object:
    carried = (shas[0], shas[1], shas[3], shas[4])
    return [
        revision(f"checkout-0000{n}-x", "checkout", "eu.gcr.io/p/checkout:latest", d, commit=c)
        for n, (c, d) in enumerate(zip(carried, DEPLOYED), 1)
    ]


def github_deployments(shas: list[str]) -> object:
    carried = (shas[0], shas[1], shas[3], shas[4])
    pages = [github_deployment(n, "production", c, d) for n, (c, d) in enumerate(zip(carried, DEPLOYED), 1)]
    return list(reversed(pages))  # newest first, as the API lists them


def github_releases(shas: list[str]) -> object:
    return [release(f"checkout/v{n}.0.0", d) for n, d in enumerate(DEPLOYED, 1)]


@pytest.mark.parametrize("export", [kubernetes, argocd, cloud_run, github_deployments, github_releases])
def test_each_reader_gives_the_lead_times_of_the_commits_it_deployed(tmp_path: Path, capsys, export) -> None:
    shas = history(tmp_path)
    (tmp_path / "dora.toml").write_text(CONFIG)
    write(tmp_path / "export.json", export(shas))
    assert main(["import", "deployments", "export.json", "--service", "checkout"]) == 0
    # January: the baseline (its commit counts nowhere), then "second" 24 h after it was made.
    # February: "third" (72 h) and "fourth" (24 h): median 48 h. March: "fifth", 24 h.
    assert figures(report(capsys)) == {
        "2024-01": (2, 1, 24.0),
        "2024-02": (1, 2, 48.0),
        "2024-03": (1, 1, 24.0),
    }


def test_a_kubectl_export_with_a_rollback_a_restart_and_an_image_by_digest(tmp_path: Path, capsys) -> None:
    shas = history(tmp_path)
    (tmp_path / "dora.toml").write_text(CONFIG)
    image = "ghcr.io/acme/checkout"
    second = replica_set("4", f"{image}:1.0.0-{shas[1][:7]}", DEPLOYED[1], history="2")  # rolled back to, as rev 4
    fifth = replica_set("5", f"{image}:sha-{shas[4][:7]}", DEPLOYED[3])
    write(
        tmp_path / "export.json",
        kubectl_list(
            replica_set("1", f"{image}:sha-{shas[0][:7]}", DEPLOYED[0]),
            second,
            replica_set("3", f"{image}:3.0.0", DEPLOYED[2]),
            fifth,
            replica_set("6", f"{image}:sha-{shas[4][:7]}", "2024-03-03T09:00:00Z", restarted="2024-03-03T09:00:00Z"),
            replica_set("7", f"{image}@sha256:{'e' * 64}", "2024-03-05T09:00:00Z"),
            replica_set("1", f"{image}:sha-{shas[2][:7]}", "2024-02-01T10:00:00Z", namespace="shop-staging"),
        ),
    )
    assert main(["import", "deployments", "export.json"]) == 0
    out = capsys.readouterr().out
    assert "Stored 6 deployments" in out and "1 redeploy of the running version left out" in out
    assert "1 item not of production left out: 'shop-staging' (1)" in out
    doc = report(capsys)
    # February: revision 3 (carries "third" and "fourth": 72 h and 24 h), then the rollback to
    # revision 2's image, placed 1 s after revision 3, which carries nothing new.
    # March: revision 5 carries "fifth" (24 h); revision 6 (a restart) is no deployment;
    # revision 7 (an image by digest alone) counts, carries nothing and is unresolved.
    assert figures(doc) == {"2024-01": (2, 1, 24.0), "2024-02": (2, 2, 48.0), "2024-03": (2, 1, 24.0)}
    assert doc["data_quality"]["unresolved_deployments"] == 1
    # The rollback undid revision 3, which failed; the export does not date the rollback, so no
    # recovery time is taken from its placement (1 s after revision 3 would read as 1 s).
    feb = next(
        m for m in next(e for e in doc["entities"] if e["name"] == "checkout")["months"] if m["month"] == "2024-02"
    )
    assert (feb["rollbacks"], feb["failed_deployments"], feb["recovery_time_median_h"]) == (1, 1, None)
