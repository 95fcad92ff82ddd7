"""Hand-made items of the JSON deployment exports, in each tool's own shape, for the tests.

Each builder returns one item as the tool writes it (only the fields the readers look at,
plus a few they must pass over); :func:`kubectl_list` wraps ReplicaSets the way ``kubectl
get -o json`` does, and :func:`write` writes a document with kubectl's layout.
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path


def replica_set(
    revision: int | str,
    image: str,
    created: str,
    *,
    app: str = "checkout",
    namespace: str = "shop",
    history: str = "",
    restarted: str = "",
    cause: str = "",
    pod_hash: str = "",
    sidecar: str = "",
    owner_uid: str = "",
) -> dict:
    """A ReplicaSet of Deployment ``app`` at ``revision`` (a string as kubectl writes it, or
    an int to check that too is read), created at ``created``, running ``image`` (``owner_uid``:
    the Deployment's uid, left out when empty)."""
    pod_hash = pod_hash or f"{zlib.crc32(f'{app} {image} {created} {restarted}'.encode()):08x}"
    annotations = {"deployment.kubernetes.io/desired-replicas": "2", "deployment.kubernetes.io/revision": revision}
    if history:
        annotations["deployment.kubernetes.io/revision-history"] = history
    if cause:
        annotations["kubernetes.io/change-cause"] = cause
    labels = {"app.kubernetes.io/name": app, "pod-template-hash": pod_hash}
    template_meta: dict = {"creationTimestamp": None, "labels": labels}
    if restarted:
        template_meta["annotations"] = {"kubectl.kubernetes.io/restartedAt": restarted}
    containers = [{"image": image, "name": app, "ports": [{"containerPort": 8080}]}]
    if sidecar:
        containers.insert(0, {"image": sidecar, "name": "istio-proxy"})
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "annotations": annotations,
            "creationTimestamp": created,
            "labels": labels,
            "name": f"{app}-{pod_hash}",
            "namespace": namespace,
            "ownerReferences": [
                {"apiVersion": "apps/v1", "controller": True, "kind": "Deployment", "name": app}
                | ({"uid": owner_uid} if owner_uid else {})
            ],
        },
        "spec": {"replicas": 0, "template": {"metadata": template_meta, "spec": {"containers": containers}}},
        "status": {"replicas": 0},
    }


def kubectl_list(*items: dict) -> dict:
    """``items`` in the ``List`` kubectl prints."""
    return {"apiVersion": "v1", "items": list(items), "kind": "List", "metadata": {"resourceVersion": ""}}


def application(name: str, *history: dict, images: list[str] | None = None) -> dict:
    """An Argo CD Application ``name`` with ``history`` entries (:func:`synced`)."""
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {"name": name, "namespace": "argocd"},
        "spec": {"destination": {"namespace": "shop"}, "source": {"path": f"apps/{name}", "repoURL": "x"}},
        "status": {"history": list(history), "summary": {"images": images or []}, "sync": {"status": "Synced"}},
    }


def synced(number: int, revision: str, deployed: str, **source: object) -> dict:
    """A ``status.history`` entry: sync ``number`` of ``revision`` at ``deployed``."""
    return {
        "deployStartedAt": deployed,
        "deployedAt": deployed,
        "id": number,
        "initiatedBy": {"automated": True},
        "revision": revision,
        "source": {"path": "apps/x", "repoURL": "https://github.com/acme/deploy.git", **source},
    }


def revision(name: str, service: str, image: str, created: str, *, commit: str = "", digest: str = "") -> dict:
    """A Cloud Run revision ``name`` of ``service`` running ``image``."""
    labels = {"serving.knative.dev/service": service, "client.knative.dev/nonce": name}
    if commit:
        labels["commit-sha"] = commit
    return {
        "apiVersion": "serving.knative.dev/v1",
        "kind": "Revision",
        "metadata": {"creationTimestamp": created, "labels": labels, "name": name, "namespace": "4839"},
        "spec": {"containerConcurrency": 80, "containers": [{"image": image}]},
        "status": {"imageDigest": digest or f"{image.split(':')[0]}@sha256:{zlib.crc32(name.encode()):064x}"},
    }


def github_deployment(number: int, environment: str, sha: str, created: str, **fields: object) -> dict:
    """A GitHub deployment as the REST API returns it."""
    return {
        "url": f"https://api.github.com/repos/acme/shop/deployments/{number}",
        "id": number,
        "task": "deploy",
        "environment": environment,
        "description": None,
        "created_at": created,
        "statuses_url": f"https://api.github.com/repos/acme/shop/deployments/{number}/statuses",
        "repository_url": "https://api.github.com/repos/acme/shop",
        "sha": sha,
        "ref": "main",
        "payload": {},
        "transient_environment": False,
        "production_environment": environment == "production",
        **fields,
    }


def release(tag: str, published: str, *, draft: bool = False, prerelease: bool = False) -> dict:
    """A release as ``gh release list --json ...`` writes it."""
    return {
        "createdAt": published,
        "isDraft": draft,
        "isLatest": False,
        "isPrerelease": prerelease,
        "name": tag,
        "publishedAt": "0001-01-01T00:00:00Z" if draft else published,
        "tagName": tag,
    }


def write(path: Path, document: object) -> Path:
    """Write ``document`` as kubectl does (4-space indent, sorted keys, a final newline)."""
    path.write_text(json.dumps(document, indent=4, sort_keys=True) + "\n", encoding="utf-8")
    return path
