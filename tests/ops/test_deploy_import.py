"""`dora-tui import deployments` of a JSON export: told from its content, all or nothing, never
duplicated, with the ``[[imports]]`` keys of runtime exports."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from dora_tui.cli import main
from support import CHECKOUT, FIXTURES
from support.cli import error_line
from support.deploys import kubectl_list, replica_set, write

SAMPLES = FIXTURES / "deploys"
CONFIG = (
    CHECKOUT
    + """[[services]]
name = "payments-api"
team = "payments"
repo = "shop"
[[services]]
name = "search"
repo = "shop"
"""
)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "dora.toml").write_text(CONFIG)
    return tmp_path


def rows(workspace: Path) -> list[tuple]:
    with sqlite3.connect(workspace / "dora.db") as db:
        return db.execute("SELECT service, name, time, sha, source FROM deployments ORDER BY service, time").fetchall()


@pytest.mark.parametrize(
    "sample, format, stored",
    [
        ("kubernetes_replicasets.json", "kubernetes", 16),
        ("argocd_applications.json", "argocd", 20),
        ("cloudrun_revisions.json", "cloud-run", 12),
        ("github_deployments.json", "github-deployments", 10),
        ("github_releases.json", "github-releases", 10),
    ],
)
def test_every_sample_imports_with_format_auto(workspace: Path, capsys, sample: str, format: str, stored: int) -> None:
    assert main(["import", "deployments", str(SAMPLES / sample), "--format", "auto"]) == 0
    out = capsys.readouterr().out
    assert f"Stored {stored} deployments from {SAMPLES / sample} (format {format}, source {format})." in out
    assert len(rows(workspace)) == stored


def test_the_summary_says_what_was_left_out(workspace: Path, capsys) -> None:
    assert main(["import", "deployments", str(SAMPLES / "github_deployments.json")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1:] == [
        "  checkout: 5",
        "  payments-api: 3",
        "  search: 2",
        "  note: 16 items not of production left out: 'staging' (9), 'pr-1415' (2), 'github-pages' (2), "
        "'pr-1411' (1), 'pr-1402' (1) and 1 more (name the production environments with `production` in the "
        "[[imports]] entry)",
        "  Their changes and lead times come from git with the next `dora-tui collect`.",
    ]


def test_a_deployment_another_source_stored_is_replaced_and_said(workspace: Path, capsys) -> None:
    # a CSV of one release's name wrote over the release's time and commit without a word (a review's finding)
    assert main(["import", "deployments", str(SAMPLES / "github_releases.json")]) == 0
    (workspace / "ov.csv").write_text(
        "service,name,time,sha,message\ncheckout,checkout/v1.15.1,2025-11-11T00:00:00Z,,x\n"
    )
    capsys.readouterr()
    assert main(["import", "deployments", "ov.csv"]) == 0
    assert (
        "  note: replaces 1 deployment of the same name stored from another source (github-releases: 1): "
        "checkout 'checkout/v1.15.1'"
    ) in capsys.readouterr().out.splitlines()
    assert main(["import", "deployments", "ov.csv"]) == 0  # its own rows again: nothing said
    assert "another source" not in capsys.readouterr().out


def test_two_overlapping_exports_store_each_deployment_once(workspace: Path) -> None:
    first = replica_set("1", "c:sha-1111111", "2025-01-06T10:00:00Z")
    second = replica_set("2", "c:sha-2222222", "2025-01-07T10:00:00Z")
    write(workspace / "monday.json", kubectl_list(first, second))
    assert main(["import", "deployments", "monday.json"]) == 0
    # A week later: revision 1's ReplicaSet is gone, revision 1's came back as revision 4.
    back = replica_set("4", "c:sha-2222222", "2025-01-07T10:00:00Z", history="2", pod_hash=second["metadata"]["name"])
    third = replica_set("3", "c:sha-3333333", "2025-01-08T10:00:00Z")
    write(workspace / "tuesday.json", kubectl_list(third, back))
    assert main(["import", "deployments", "tuesday.json"]) == 0
    assert [(r[1], r[3]) for r in rows(workspace)] == [
        ("shop/checkout rev 1", "1111111"),
        ("shop/checkout rev 2", "2222222"),
        ("shop/checkout rev 3", "3333333"),
        ("shop/checkout rev 4", "2222222"),
    ]


def test_a_deployment_made_again_or_in_another_cluster_writes_over_no_history(workspace: Path) -> None:
    eu = "953a7f85-f5b1-4be8-8e65-7843e6946539"
    write(workspace / "eu.json", kubectl_list(replica_set("1", "c:sha-1111111", "2025-01-06T10:00:00Z", owner_uid=eu)))
    assert main(["import", "deployments", "eu.json"]) == 0
    # The same namespace and Deployment in the US cluster, and the EU one deleted and applied
    # again: each has its own revision 1, and none is written over.
    us = replica_set("1", "c:sha-2222222", "2025-01-07T10:00:00Z", owner_uid="14d2ab38-0000-4000-8000-000000000001")
    again = replica_set("1", "c:sha-3333333", "2025-01-08T10:00:00Z", owner_uid="8e19befa-0000-4000-8000-000000000002")
    write(workspace / "us.json", kubectl_list(us))
    write(workspace / "eu-again.json", kubectl_list(again))
    assert main(["import", "deployments", "us.json"]) == 0
    assert main(["import", "deployments", "eu-again.json"]) == 0
    assert main(["import", "deployments", "eu.json"]) == 0  # the first export again: still once
    assert [(r[1], r[3]) for r in rows(workspace)] == [
        ("shop/checkout rev 1 (953a7f85)", "1111111"),
        ("shop/checkout rev 1 (14d2ab38)", "2222222"),
        ("shop/checkout rev 1 (8e19befa)", "3333333"),
    ]


def bad_export(workspace: Path) -> tuple[Path, str]:
    """An export whose second ReplicaSet has no creation time; (its path, that ReplicaSet's name)."""
    good = replica_set("1", "c:sha-1111111", "2025-01-06T10:00:00Z")
    no_time = replica_set("2", "c:sha-2222222", "")
    return write(workspace / "rs.json", kubectl_list(good, no_time)), no_time["metadata"]["name"]


def test_a_bad_item_is_named_and_nothing_is_stored(workspace: Path, capsys) -> None:
    _, name = bad_export(workspace)
    capsys.readouterr()
    assert main(["import", "deployments", "rs.json"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"rs.json: item 2 ({name}): no metadata.creationTimestamp",
        "dora-tui: error: rs.json: 1 bad item, nothing was imported and the database is unchanged "
        "(fix it, or use --skip-invalid to store the valid rows)",
    ]
    assert not (workspace / "dora.db").exists()  # a first import that is refused makes no database


def test_skip_invalid_stores_the_rest_and_writes_the_rejected_items_as_json_lines(workspace: Path, capsys) -> None:
    path, name = bad_export(workspace)
    assert main(["import", "deployments", "rs.json", "--skip-invalid"]) == 0
    assert "1 bad item written to rs.json.rejected.jsonl." in capsys.readouterr().out
    assert [r[1] for r in rows(workspace)] == ["shop/checkout rev 1"]
    (line,) = (workspace / "rs.json.rejected.jsonl").read_text(encoding="utf-8").splitlines()
    rejected = json.loads(line)
    assert (rejected["item"], rejected["name"], rejected["reason"]) == (2, name, "no metadata.creationTimestamp")
    assert rejected["value"] == json.loads(path.read_text())["items"][1]  # the item as read


def test_dry_run_stores_nothing_and_writes_nothing(workspace: Path, capsys) -> None:
    bad_export(workspace)
    assert main(["import", "deployments", "rs.json", "--skip-invalid", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Would store 1 deployment " in out and "1 bad item not stored." in out
    assert not (workspace / "dora.db").exists() and not (workspace / "rs.json.rejected.jsonl").exists()


def test_an_imports_entry_names_production_the_image_pattern_and_the_version_tag(workspace: Path) -> None:
    (workspace / "dora.toml").write_text(
        CONFIG + '[[imports]]\nkind = "deployments"\nfile = "rs.json"\nname = "eks-eu"\nproduction = ["live"]\n'
        'image_pattern = "^(?:b(?P<commit>[0-9a-f]{7,40})|r(?P<version>[0-9.]+))$"\n'
        'version_tag = "{service}/v{version}"\nservice_map = { "web" = "checkout" }\n'
    )
    write(
        workspace / "rs.json",
        kubectl_list(
            replica_set("1", "c:babc1234", "2025-01-06T10:00:00Z", namespace="shop-live", app="web"),
            replica_set("2", "c:r1.2.0", "2025-01-07T10:00:00Z", namespace="shop-live", app="web"),
            replica_set("1", "c:b7777777", "2025-01-06T10:00:00Z", namespace="shop", app="web"),
        ),
    )
    assert main(["import", "--all"]) == 0
    assert [r[1:] for r in rows(workspace)] == [
        ("shop-live/web rev 1", 1736157600, "abc1234", "eks-eu"),
        ("shop-live/web rev 2", 1736244000, "checkout/v1.2.0", "eks-eu"),
    ]
    # Next week's export under a new name takes the entry's settings (its name): the same rows.
    shutil.copy(workspace / "rs.json", workspace / "rs-week-2.json")
    assert main(["import", "deployments", "rs-week-2.json"]) == 0
    assert len(rows(workspace)) == 2


@pytest.mark.parametrize(
    "entry, message",
    [
        ('image_pattern = "sha-([0-9a-f]+)"', "imports[0].image_pattern: 'sha-([0-9a-f]+)' has no group named commit"),
        ('image_pattern = "(?P<commit>"', "imports[0].image_pattern: bad regular expression"),
        ('version_tag = "v{tag}"', "imports[0].version_tag: 'v{tag}' must hold {version}"),
        ("production = [42]", "imports[0].production: expected a list of strings"),
        ('format = "helm"', "imports[0].format: unknown format 'helm' (known: auto, jira,"),
    ],
)
def test_the_new_keys_are_checked_where_they_are_given(workspace: Path, capsys, entry: str, message: str) -> None:
    (workspace / "dora.toml").write_text(CONFIG + f'[[imports]]\nkind = "deployments"\nfile = "x.json"\n{entry}\n')
    assert message in error_line(capsys, ["report"])


def test_json_formats_and_keys_hold_deployments_only(workspace: Path, capsys) -> None:
    (workspace / "dora.toml").write_text(
        CONFIG + '[[imports]]\nkind = "incidents"\nfile = "x.json"\nformat = "argocd"\n'
    )
    assert "imports[0].format: the argocd format holds deployments, not incidents" in error_line(capsys, ["report"])
    (workspace / "dora.toml").write_text(CONFIG + '[[imports]]\nkind = "tickets"\nfile = "x.json"\nproduction = []\n')
    assert "imports[0].production: is for deployments, not tickets" in error_line(capsys, ["report"])
    (workspace / "dora.toml").write_text(CONFIG)
    shutil.copy(SAMPLES / "github_releases.json", workspace / "gh.json")
    line = error_line(capsys, ["import", "incidents", "gh.json"])
    # Issue 14: JSON exports of incidents are read too; one of deployments is named as such.
    assert line == (
        "dora-tui: error: gh.json: the github-releases format holds deployments, not incidents "
        "(use `dora-tui import deployments`)"
    )


@pytest.mark.parametrize(
    "text, message",
    [
        ('[{"tagName": "v1",', "gh.json:1: not valid JSON (column 19: Expecting property name enclosed"),
        ('[{"login": "ada"}]', "gh.json: item 1: of no known format: not a Kubernetes ReplicaSet, an Argo CD"),
    ],
)
def test_a_file_that_is_no_known_export_is_refused_in_one_line(workspace: Path, capsys, text: str, message: str):
    (workspace / "gh.json").write_text(text)
    assert error_line(capsys, ["import", "deployments", "gh.json"]).startswith(f"dora-tui: error: {message}")
    assert not (workspace / "dora.db").exists()


def test_an_export_piped_in_is_read_once(workspace: Path) -> None:
    data = (SAMPLES / "cloudrun_revisions.json").read_bytes()
    done = subprocess.run(
        [sys.executable, "-m", "dora_tui", "import", "deployments", "/dev/stdin"],
        cwd=workspace,
        input=data,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert b"Stored 12 deployments from /dev/stdin (format cloud-run, source cloud-run)." in done.stdout
