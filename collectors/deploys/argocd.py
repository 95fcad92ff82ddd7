"""Argo CD: ``kubectl get applications.argoproj.io -n argocd -o json``, one deployment a history entry.

Argo CD records each successful sync of an Application in ``status.history`` (the last
``revisionHistoryLimit``, 10 by default; failed syncs are not there). Each entry is a
deployment:

- the service: ``--service``, else the first of the Application's ``app.kubernetes.io/name``
  label, its name, and its name without a production word (``checkout-prod`` → ``checkout``)
  that maps to a configured service; an Application named like a non-production environment
  (``checkout-staging``) is left out;
- its name: ``APPLICATION #ID`` (the entry's ``id``, which only grows);
- its time: ``deployedAt``;
- the commit: the entry's ``revision`` (of a multi-source Application, the first of its
  ``revisions`` that is a full sha, else the first). That is a commit of the repository Argo
  CD syncs from: when that is a separate deploy repository, the deployment counts and stays
  unresolved. When the entry's source sets the image itself (kustomize ``images``, or a Helm
  parameter ``image.tag``), its tag names the commit instead (:mod:`collectors.deploys.images`).

An entry that syncs the same revision and source as the entry before it (a re-sync) changes
nothing: it is left out. A rollback (``argocd app rollback``) is a later entry whose revision
is an earlier one's.
"""

from __future__ import annotations

import re

from collectors.deploys.images import image_name, image_tag
from collectors.deploys.items import Context
from collectors.items.values import Bad, moment, name_of, obj, text, whole

NAME = "argocd"
_SHA = re.compile(r"[0-9a-f]{40}")
_PRODUCTION_WORD = re.compile(r"(?i)^(?:prod|production|prd|live)[-_.]|[-_.](?:prod|production|prd|live)$")


def claims(item: dict[str, object]) -> bool:
    """Whether ``item`` is an Argo CD Application (by its kind, or by its shape when the list
    left the kind out)."""
    kind = item.get("kind")
    if kind is not None:
        return kind == "Application" and str(item.get("apiVersion", "")).startswith("argoproj.io")
    status, spec = item.get("status"), item.get("spec")
    return isinstance(status, dict) and "history" in status and isinstance(spec, dict) and "destination" in spec


def read(items: list[object], ctx: Context) -> None:
    """Read the Applications of ``items`` into ``ctx`` (see the module docstring)."""
    for index, item in enumerate(items, 1):
        try:
            _application(item, ctx)
        except Bad as exc:
            ctx.fail(index, name_of(item, "metadata", "name"), str(exc), item)


def _application(item: object, ctx: Context) -> None:
    """Add the history of one Application to ``ctx``, all of it or (Bad) none."""
    fields = obj(item, "the item")
    kind = fields.get("kind")
    if kind not in (None, "Application"):
        ctx.leave_out("kind", str(kind))
        return
    meta = obj(fields.get("metadata"), "metadata")
    name = text(meta.get("name"), "metadata.name")
    if not ctx.production(name):
        ctx.leave_out("production", name)
        return
    label = obj(meta.get("labels"), "metadata.labels").get("app.kubernetes.io/name")
    candidates = [label] if isinstance(label, str) and label else []
    candidates += [name, _PRODUCTION_WORD.sub("", name)]
    service = ctx.service(*candidates)
    if service is None:
        ctx.leave_out("service", name)
        return
    history = obj(fields.get("status"), "status").get("history") or []
    if not isinstance(history, list):
        raise Bad("status.history is not a list")
    entries = []
    for entry in history:
        step = obj(entry, "a status.history entry")
        number = whole(step.get("id"), "id of a status.history entry")
        what = f"status.history entry {number}"
        time = moment(step.get("deployedAt"), f"deployedAt of {what}", ctx.settings.tz)
        revision, synced = _revision(step, what)
        source = step.get("source") or step.get("sources")
        tag = _image_tag(source, (service, name))
        sha = ctx.commits.of_tag(tag, service) if tag else revision
        entries.append((number, time, sha, (synced, source), _message(revision, source, step.get("initiatedBy"))))
    previous = None
    for number, time, sha, synced, message in sorted(entries, key=lambda e: e[0]):
        same, previous = synced == previous, synced
        if same:
            ctx.leave_out("redeploy", f"{name} #{number}")
        else:
            ctx.add(service, f"{name} #{number}", time, sha, message)


def _revision(entry: dict[str, object], what: str) -> tuple[str, object]:
    """The commit an entry synced (see the module docstring) and all it synced, for comparing."""
    revision = entry.get("revision")
    if isinstance(revision, str) and revision:
        return revision, revision
    revisions = entry.get("revisions")
    if isinstance(revisions, list) and revisions and all(isinstance(r, str) for r in revisions):
        return next((r for r in revisions if _SHA.fullmatch(r)), revisions[0]), revisions
    raise Bad(f"no revision in {what}")


def _image_tag(source: object, names: tuple[str, str]) -> str:
    """The image tag an entry's source sets ('' when it sets none): a kustomize image named like
    the service (or its only one), else a Helm parameter ``image.tag``."""
    sources = source if isinstance(source, list) else [source]
    for one in sources:
        if not isinstance(one, dict):
            continue
        kustomize = one.get("kustomize")
        images = kustomize.get("images") if isinstance(kustomize, dict) else None
        if isinstance(images, list) and images:
            refs = [str(i).split("=", 1)[-1] for i in images]  # kustomize writes NAME=NEW_NAME:TAG too
            ref = next((r for r in refs if image_name(r) in names), refs[0] if len(refs) == 1 else "")
            if tag := image_tag(ref):
                return tag
        helm = one.get("helm")
        parameters = helm.get("parameters") if isinstance(helm, dict) else None
        for parameter in parameters if isinstance(parameters, list) else []:
            if isinstance(parameter, dict) and parameter.get("name") == "image.tag":
                return str(parameter.get("value") or "")
    return ""


def _message(revision: str, source: object, initiated: object) -> str:
    """A line saying what was synced, from where, and by whom."""
    where = source[0] if isinstance(source, list) and source else source
    path = ""
    if isinstance(where, dict):
        path = str(where.get("path") or where.get("chart") or where.get("repoURL") or "")
    by = ""
    if isinstance(initiated, dict):
        by = f", by {initiated['username']}" if initiated.get("username") else ", automated"
    return f"sync of {revision[:12]}" + (f" from {path}" if path else "") + by
