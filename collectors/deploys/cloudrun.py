"""Cloud Run: ``gcloud run revisions list --format=json``, one deployment a revision.

Every deploy of a Cloud Run service makes a revision (moving traffic back to an older one
makes none). Each revision is a deployment:

- the service: ``--service``, else its ``serving.knative.dev/service`` label (else its
  configuration's name) when that maps to a configured service; a Cloud Run service named
  like a non-production environment (``checkout-staging``) is left out;
- its name: the revision's name (``checkout-00012-cti``);
- its time: its ``creationTimestamp``;
- the commit: its ``commit-sha`` label (Cloud Build writes it), else the tag of the service's
  container image (:mod:`collectors.deploys.images`);
- its message: the image.

A revision that runs the same spec, image digest and commit as the revision before it of the
same Cloud Run service (a deploy that changed nothing) is left out.
"""

from __future__ import annotations

from collectors.deploys.images import pick_image
from collectors.deploys.items import Context
from collectors.items.values import Bad, moment, name_of, obj, text

NAME = "cloud-run"


def claims(item: dict[str, object]) -> bool:
    """Whether ``item`` is a Knative (Cloud Run) revision."""
    return item.get("kind") == "Revision" and str(item.get("apiVersion", "")).startswith("serving.knative.dev")


def read(items: list[object], ctx: Context) -> None:
    """Read the revisions of ``items`` into ``ctx`` (see the module docstring)."""
    services: dict[str, list[tuple[int, str, str, str, str, object]]] = {}
    for index, item in enumerate(items, 1):
        try:
            found = _revision(item, ctx)
        except Bad as exc:
            ctx.fail(index, name_of(item, "metadata", "name"), str(exc), item)
            continue
        if found is not None:
            services.setdefault(found[0], []).append(found[1:])
    for revisions in services.values():
        runs = None
        for time, name, service, sha, message, essence in sorted(revisions, key=lambda r: (r[0], r[1])):
            same, runs = essence == runs, essence
            if same:
                ctx.leave_out("redeploy", name)
            else:
                ctx.add(service, name, time, sha, message)


def _revision(item: object, ctx: Context) -> tuple[str, int, str, str, str, str, object] | None:
    """One revision: its Cloud Run service, time, name, service, commit, message and what it
    runs; None when it is left out."""
    found = ctx.of_kind(item, "Revision", "a Cloud Run revision")
    if found is None:
        return None
    fields, meta = found
    name = text(meta.get("name"), "metadata.name")
    labels = obj(meta.get("labels"), "metadata.labels")
    run = labels.get("serving.knative.dev/service") or labels.get("serving.knative.dev/configuration")
    run = ctx.settings.service if not run and ctx.settings.service else text(run, "serving.knative.dev/service label")
    if not ctx.production(run):
        ctx.leave_out("production", run)
        return None
    service = ctx.service(run)
    if service is None:
        ctx.leave_out("service", run)
        return None
    time = moment(meta.get("creationTimestamp"), "metadata.creationTimestamp", ctx.settings.tz)
    spec = obj(fields.get("spec"), "spec")
    image = pick_image(spec.get("containers"), (service, run), "spec.containers")
    commit = labels.get("commit-sha")
    sha = commit.lower() if isinstance(commit, str) and commit else ctx.commits.of_image(image, service)
    digest = obj(fields.get("status"), "status").get("imageDigest")
    return run, time, name, service, sha, image.rsplit("/", 1)[-1], (spec, digest, sha)
