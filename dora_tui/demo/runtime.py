"""The demo's service deployed through a runtime: its releases as Kubernetes reports them.

``notifications`` is not deployed by tagging: after its repository is built, its release
tags are turned into the ReplicaSets ``kubectl get replicasets -n platform -o json`` lists
(one revision per release, the image tagged ``sha-<commit>``) and removed from the
repository. Two things a runtime export holds join them:

- a rollback: after the release :data:`ROLLBACK_AFTER` releases from the end, the one
  before it is deployed again, so Kubernetes reuses that release's ReplicaSet (its revision
  raised, the earlier number in ``revision-history``; the export does not date it);
- an image by digest only, for the second-to-last release: it names no commit.

Everything is derived from the built repository's tags, in a fixed order: no randomness.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
from pathlib import Path

SERVICE = "notifications"
"""The demo service deployed through Kubernetes."""
NAMESPACE = "platform"
IMAGE = "registry.larkspur.example/platform/notifications"
ROLLBACK_AFTER = 6
"""The release (counted from the end) that is rolled back."""


def runtime_export(repo: Path, export: Path, env: dict[str, str]) -> None:
    """Write the ReplicaSets of ``repo``'s release tags to ``export``, then delete those tags."""
    out = subprocess.run(
        [
            "git",
            "-C",
            str(repo),
            "for-each-ref",
            "refs/tags",
            "--sort=creatordate",
            "--format=%(refname:strip=2)%00%(objectname)%00%(*objectname)%00%(creatordate:iso-strict)%00%(subject)",
        ],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    releases = []
    for line in out.splitlines():
        name, oid, peeled, when, subject = line.split("\0")
        utc = dt.datetime.fromisoformat(when).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        releases.append((name, peeled or oid, utc, subject))
    export.write_text(json.dumps(replica_sets(releases), indent=4, sort_keys=True) + "\n", encoding="utf-8")
    if releases:
        subprocess.run(
            ["git", "-C", str(repo), "tag", "-d", *(r[0] for r in releases)], capture_output=True, check=True, env=env
        )


def replica_sets(releases: list[tuple[str, str, str, str]]) -> dict[str, object]:
    """The kubectl ``List`` of ReplicaSets for ``releases`` (name, commit, UTC time, subject), oldest first."""
    sets: dict[str, dict[str, object]] = {}  # by image: a rollback reuses the release's ReplicaSet
    annotations: dict[str, dict[str, str]] = {}
    revision = 0
    rolled_back = len(releases) - ROLLBACK_AFTER
    for index, (name, sha, when, subject) in enumerate(releases):
        image = f"{IMAGE}:sha-{sha[:7]}"
        if index == len(releases) - 2:
            image = f"{IMAGE}@sha256:{hashlib.sha256(sha.encode()).hexdigest()}"
        revision += 1
        annotations[image] = {
            "deployment.kubernetes.io/desired-replicas": "2",
            "deployment.kubernetes.io/max-replicas": "3",
            "deployment.kubernetes.io/revision": str(revision),
            "kubernetes.io/change-cause": f"release {name}: {subject}",
        }
        sets[image] = _replica_set(image, annotations[image], when)
        if index == rolled_back and index > 0:  # the release before it, again: its ReplicaSet, reused
            again = annotations[f"{IMAGE}:sha-{releases[index - 1][1][:7]}"]
            revision += 1
            earlier = [n for n in again.get("deployment.kubernetes.io/revision-history", "").split(",") if n]
            again["deployment.kubernetes.io/revision-history"] = ",".join([*earlier, again[REVISION]])
            again[REVISION] = str(revision)
    return {"apiVersion": "v1", "items": list(sets.values()), "kind": "List", "metadata": {"resourceVersion": ""}}


REVISION = "deployment.kubernetes.io/revision"


def _replica_set(image: str, annotations: dict[str, str], when: str) -> dict[str, object]:
    """One ReplicaSet of the ``notifications`` Deployment, as kubectl prints it (the parts read)."""
    template_hash = hashlib.sha256(image.encode()).hexdigest()[:10]
    labels = {"app.kubernetes.io/name": SERVICE, "pod-template-hash": template_hash}
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "annotations": annotations,
            "creationTimestamp": when,
            "labels": labels,
            "name": f"{SERVICE}-{template_hash}",
            "namespace": NAMESPACE,
            "ownerReferences": [
                {
                    "apiVersion": "apps/v1",
                    "blockOwnerDeletion": True,
                    "controller": True,
                    "kind": "Deployment",
                    "name": SERVICE,
                    "uid": "5f0c2c3e-1f7a-4c1b-9d6e-2a41c0de7e55",
                }
            ],
        },
        "spec": {
            "replicas": 0,
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": {"containers": [{"image": image, "name": SERVICE}]}},
        },
        "status": {"observedGeneration": 1, "replicas": 0},
    }
