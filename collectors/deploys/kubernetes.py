"""Kubernetes: ``kubectl get replicasets -o json`` (EKS, GKE, AKS, any cluster), one deployment a revision.

A Deployment's every rollout makes (or reuses) a ReplicaSet and gives it the next revision
number, in its annotation ``deployment.kubernetes.io/revision``. So each revision of each
Deployment in the export is a deployment of a service:

- the service: ``--service``, else the first of the ReplicaSet's ``app.kubernetes.io/name``
  label and its owning Deployment's name that maps to a configured service; a ReplicaSet of
  no Deployment is left out, and so is one in a namespace that is not production;
- its name: ``NAMESPACE/DEPLOYMENT rev N (UID)``, UID the first 8 hex digits of the owning
  Deployment's uid: stable across exports of one Deployment (revision numbers only grow),
  and another for a Deployment deleted and made again (its revisions start again at 1) or
  the same Deployment in another cluster, so that neither writes over the other's history;
- its time: the ReplicaSet's ``creationTimestamp``;
- the commit: from the image tag of the service's container (:mod:`collectors.deploys.images`);
- its message: the ``kubernetes.io/change-cause`` annotation, else the image.

A rollback (``kubectl rollout undo``, or applying an earlier template again) reuses the old
ReplicaSet: its revision is raised and the numbers it had are listed in
``deployment.kubernetes.io/revision-history``. Such a ReplicaSet is the deployment of each of
its revisions. The export dates only the first (the ReplicaSet's creation): a later one, a
return to that template, is placed one second after the revision before it, the earliest it
can have happened, and marked undated (no recovery time is taken from it); its message says
so. A revision whose pod template is the one before it but for the
``kubectl.kubernetes.io/restartedAt`` annotation (``kubectl rollout restart``) changes
nothing: it is left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from collectors.deploys.images import pick_image
from collectors.deploys.items import Context
from collectors.items.values import Bad, moment, name_of, obj, text, whole

NAME = "kubernetes"
REVISION = "deployment.kubernetes.io/revision"
HISTORY = "deployment.kubernetes.io/revision-history"
RESTARTED = "kubectl.kubernetes.io/restartedAt"
HEX = frozenset("0123456789abcdefABCDEF")


def claims(item: dict[str, object]) -> bool:
    """Whether ``item`` is a ReplicaSet."""
    return item.get("kind") == "ReplicaSet"


@dataclass(frozen=True, slots=True)
class _Revision:
    """One revision of a Deployment, as one ReplicaSet shows it."""

    number: int
    first: int  # the revision the ReplicaSet was made for: dated by its creation
    created: int
    service: str
    sha: str
    cause: str
    template: dict[str, object]


def read(items: list[object], ctx: Context) -> None:
    """Read the ReplicaSets of ``items`` into ``ctx`` (see the module docstring)."""
    deployments: dict[tuple[str, str, str], dict[int, _Revision]] = {}
    for index, item in enumerate(items, 1):
        try:
            found = _replica_set(item, ctx)
        except Bad as exc:
            ctx.fail(index, name_of(item, "metadata", "name"), str(exc), item)
            continue
        if found is not None:
            key, revisions = found
            revisions_of = deployments.setdefault(key, {})
            for revision in revisions:
                revisions_of[revision.number] = revision
    for (namespace, owner, uid), revisions_of in deployments.items():
        name = f"{namespace}/{owner}" if namespace else owner
        _add(ctx, name, f" ({uid})" if uid else "", [revisions_of[n] for n in sorted(revisions_of)])


def _replica_set(item: object, ctx: Context) -> tuple[tuple[str, str, str], list[_Revision]] | None:
    """The Deployment of ReplicaSet ``item`` and the revisions it is, or None when it is left out."""
    found = ctx.of_kind(item, "ReplicaSet", "a Kubernetes ReplicaSet")
    if found is None:
        return None
    fields, meta = found
    name = text(meta.get("name"), "metadata.name")
    namespace = meta.get("namespace") or ""
    if not isinstance(namespace, str):
        raise Bad("metadata.namespace is not a string")
    owner, uid = _owner(meta.get("ownerReferences"))
    if owner is None:
        ctx.leave_out("owner", f"{namespace}/{name}")
        return None
    if not ctx.production(namespace):
        ctx.leave_out("production", namespace)
        return None
    label = obj(meta.get("labels"), "metadata.labels").get("app.kubernetes.io/name")
    candidates = (label, owner) if isinstance(label, str) and label else (owner,)
    service = ctx.service(*candidates)
    if service is None:
        ctx.leave_out("service", candidates[0])
        return None
    annotations = obj(meta.get("annotations"), "metadata.annotations")
    number = whole(annotations.get(REVISION), f"annotation {REVISION}")
    history = annotations.get(HISTORY) or ""
    if not isinstance(history, str):
        raise Bad(f"annotation {HISTORY} is not a string")
    numbers = {number, *(whole(n.strip(), f"annotation {HISTORY}") for n in history.split(",") if n.strip())}
    created = moment(meta.get("creationTimestamp"), "metadata.creationTimestamp", ctx.settings.tz)
    template = obj(obj(fields.get("spec"), "spec").get("template"), "spec.template")
    image = pick_image(obj(template.get("spec"), "spec.template.spec").get("containers"), (service, owner))
    sha = ctx.commits.of_image(image, service)
    cause = annotations.get("kubernetes.io/change-cause")
    message = cause if isinstance(cause, str) and cause else image.rsplit("/", 1)[-1]
    first = min(numbers)
    revisions = [_Revision(n, first, created, service, sha, message, template) for n in sorted(numbers)]
    return (namespace, owner, uid), revisions


def _owner(references: object) -> tuple[str | None, str]:
    """The name of the Deployment that owns a ReplicaSet, from its ``ownerReferences``, and the
    first 8 hex digits of its uid ('' when the export leaves it out)."""
    if not isinstance(references, list):
        return None, ""
    for reference in references:
        if isinstance(reference, dict) and reference.get("kind") == "Deployment":
            name = reference.get("name")
            if isinstance(name, str) and name:
                uid = reference.get("uid")
                digits = "".join(ch for ch in uid if ch in HEX)[:8] if isinstance(uid, str) else ""
                return name, digits
    return None, ""


def _add(ctx: Context, deployment: str, suffix: str, revisions: list[_Revision]) -> None:
    """Add the revisions of one Deployment, oldest first, to ``ctx``; leave out those that change nothing."""
    previous: _Revision | None = None
    time, runs = 0, None
    for revision in revisions:
        name = f"{deployment} rev {revision.number}{suffix}"
        essence = _essence(revision.template)
        same, runs = previous is not None and essence == runs, essence
        dated = previous is None or revision.number == revision.first
        if previous is None or dated:
            time, message = revision.created, revision.cause
        else:  # a return to an earlier template: the export does not say when
            time += 1
            message = (
                f"rollback to revision {revision.first}: {revision.cause} (the export does not date it: "
                f"placed 1 s after revision {previous.number})"
            )
        previous = revision
        if same:
            ctx.leave_out("redeploy", name)
            continue
        ctx.add(revision.service, name, time, revision.sha, message, dated=dated)


def _essence(template: dict[str, object]) -> tuple[object, ...]:
    """What a pod template runs: its spec, labels and annotations, without the marks of a restart
    (``restartedAt``) and of the ReplicaSet (``pod-template-hash``)."""
    meta = template.get("metadata")
    meta = meta if isinstance(meta, dict) else {}
    labels = meta.get("labels")
    annotations = meta.get("annotations")
    return (
        template.get("spec"),
        {k: v for k, v in labels.items() if k != "pod-template-hash"} if isinstance(labels, dict) else {},
        {k: v for k, v in annotations.items() if k != RESTARTED} if isinstance(annotations, dict) else {},
    )
