"""GitHub: deployments (``gh api repos/OWNER/REPO/deployments --paginate``) and releases
(``gh release list --json name,tagName,publishedAt,createdAt,isDraft,isPrerelease``).

A GitHub deployment is a deployment when its environment is production: GitHub's own
``production_environment`` flag (true by default only for an environment named
``production``), or, when the ``[[imports]]`` entry names the production environments,
an environment named like one of them. Then:

- the service: ``--service``, else the first of ``payload.service`` (``payload`` may be an
  object or JSON text), the environment and the repository's name that maps to a configured
  service;
- its name: ``#ID`` (GitHub's id of the deployment);
- its time: ``created_at``; the commit: ``sha``; its message: ``description``, else the task
  and ref.

A deployment of the same commit as the one before it, of the same service and environment
(a redeploy), changes nothing and is left out.

A GitHub release is a deployment unless it is a draft or a prerelease (both left out):

- the service: ``--service``, else the tag's prefix (``checkout/v1.15.1``, ``checkout@1.15.1``,
  ``checkout-v1.15.1`` → ``checkout``; of ``apps/checkout/v1``, ``apps/checkout`` then ``checkout``);
- its name and the commit: the tag (``collect`` resolves it as a tag's name); its time:
  ``publishedAt``; its message: the release's name. The REST API's names (``tag_name``,
  ``published_at``, ``draft``, ``prerelease``) are read too.
"""

from __future__ import annotations

import json
import re

from collectors.deploys.items import Context
from collectors.items.values import Bad, flag, moment, name_of, obj, text

DEPLOYMENTS = "github-deployments"
RELEASES = "github-releases"
_VERSIONED = re.compile(r"^(.+?)[-_]v?\d")


def claims_deployment(item: dict[str, object]) -> bool:
    """Whether ``item`` is a GitHub deployment."""
    return "statuses_url" in item or ("sha" in item and "environment" in item and "task" in item)


def claims_release(item: dict[str, object]) -> bool:
    """Whether ``item`` is a GitHub release (gh's names, or the REST API's)."""
    return "tagName" in item or ("tag_name" in item and "prerelease" in item)


def read_deployments(items: list[object], ctx: Context) -> None:
    """Read the GitHub deployments of ``items`` into ``ctx`` (see the module docstring)."""
    streams: dict[tuple[str, str], list[tuple[int, int, str, str, str]]] = {}
    for index, item in enumerate(items, 1):
        try:
            found = _deployment(item, ctx)
        except Bad as exc:
            ctx.fail(index, _deployment_name(item), str(exc), item)
            continue
        if found is not None:
            streams.setdefault(found[0], []).append(found[1:])
    for (service, _), deployments in streams.items():
        previous = None
        for time, _, name, sha, message in sorted(deployments):  # by time, then id
            same, previous = sha == previous, sha
            if same:
                ctx.leave_out("redeploy", name)
            else:
                ctx.add(service, name, time, sha, message)


def _deployment_name(item: object) -> str:
    """``#ID`` of a GitHub deployment ('' when it has no id)."""
    number = name_of(item, "id")
    return f"#{number}" if number else ""


def _deployment(item: object, ctx: Context) -> tuple[tuple[str, str], int, int, str, str, str] | None:
    """One deployment: its service and environment, time, id (for order), name, commit and
    message; None when it is left out."""
    fields = obj(item, "the item")
    number = fields.get("id")
    if not isinstance(number, (int, str)) or isinstance(number, bool) or number == "":
        raise Bad("no id")
    environment = text(fields.get("environment"), "environment")
    if ctx.settings.production:
        production = ctx.production(environment)
    else:
        flag = fields.get("production_environment")
        production = flag is True if isinstance(flag, bool) else environment == "production"
    if not production:
        ctx.leave_out("production", environment)
        return None
    payload = fields.get("payload")
    if isinstance(payload, str):
        try:
            payload = json.loads(payload)
        except ValueError:
            payload = None
    named = payload.get("service") if isinstance(payload, dict) else None
    repository = str(fields.get("repository_url") or "").rstrip("/").rsplit("/", 1)[-1]
    candidates = [c for c in (named, environment, repository) if isinstance(c, str) and c]
    service = ctx.service(*candidates)
    if service is None:  # named by its payload's service, else by its repository
        ctx.leave_out("service", named if isinstance(named, str) and named else repository or environment)
        return None
    time = moment(fields.get("created_at"), "created_at", ctx.settings.tz)
    sha = text(fields.get("sha"), "sha")
    description = fields.get("description")
    if not isinstance(description, str) or not description:
        description = f"{fields.get('task') or 'deploy'} {fields.get('ref') or ''}".strip()
    order = int(number) if isinstance(number, int) or number.isdigit() else 0
    return (service, environment), time, order, f"#{number}", sha, description


def read_releases(items: list[object], ctx: Context) -> None:
    """Read the GitHub releases of ``items`` into ``ctx`` (see the module docstring)."""
    for index, item in enumerate(items, 1):
        try:
            _release(item, ctx)
        except Bad as exc:
            ctx.fail(index, name_of(item, "tagName") or name_of(item, "tag_name"), str(exc), item)


def _release(item: object, ctx: Context) -> None:
    """Add one release to ``ctx``, unless it is left out."""
    fields = obj(item, "the item")
    tag = text(fields.get("tagName", fields.get("tag_name")), "tagName")
    draft = "isDraft" if "isDraft" in fields else "draft"
    if flag(fields.get(draft), draft):  # a string "true" or a 1 is bad, never read as false
        ctx.leave_out("draft", tag)
        return
    prerelease = "isPrerelease" if "isPrerelease" in fields else "prerelease"
    if flag(fields.get(prerelease), prerelease):
        ctx.leave_out("prerelease", tag)
        return
    candidates = _prefixes(tag)
    service = ctx.service(*candidates)
    if service is None:
        ctx.leave_out("service", candidates[0] if candidates else tag)
        return
    time = moment(fields.get("publishedAt", fields.get("published_at")), "publishedAt", ctx.settings.tz)
    title = fields.get("name")
    ctx.add(service, tag, time, tag, title if isinstance(title, str) and title else tag)


def _prefixes(tag: str) -> tuple[str, ...]:
    """The service names a tag's prefix may be, best first (see the module docstring)."""
    for mark in "/@":
        head, found, _ = tag[1:].rpartition(mark)
        if found:
            head = tag[0] + head
            return tuple(dict.fromkeys((head, head.rsplit("/", 1)[-1].lstrip("@"))))
    versioned = _VERSIONED.match(tag)
    return (versioned.group(1),) if versioned else ()
