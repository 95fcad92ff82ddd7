"""Reading a JSON deployments export: :func:`read_deployments`, and telling its format (:func:`detect`).

The format is named (``kubernetes``, ``argocd``, ``cloud-run``, ``github-deployments``,
``github-releases``) or told from the items: the first item that is a ReplicaSet, an Argo
CD Application, a Cloud Run revision, a GitHub deployment or a GitHub release decides (items
of other kinds before it, such as the Deployments of ``kubectl get rs,deploy``, are left out
by the reader). A file whose items are none of these is refused naming its first item. A
format named for a file of which no item is of it, and whose items are of another format, is
refused naming that one (read with the wrong reader, each item would be a bad item, and
``--skip-invalid`` would store none), as :mod:`collectors.trackers.read` does.

An export that holds no items (``[]``, or kubectl's ``List`` of a namespace with no
ReplicaSets) with no format named is nothing to import, not a mistake: it reads as no
deployments of format :data:`~collectors.formats.UNTOLD`, with a note saying so (refusing
it would stop ``import --all`` and the dashboard's re-import over an export that is right).

Bad items are never raised: the result lists them, and the caller decides between all or
nothing and storing the rest. No SQL here: ``dora_tui.ops`` stores the deployments.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from collectors.deploys import argocd, cloudrun, github, kubernetes
from collectors.deploys.formats import FORMATS, json_format
from collectors.deploys.items import Context, DeploySettings
from collectors.errors import InputError
from collectors.formats import EMPTY, UNTOLD, of_format, telling
from collectors.items.context import ItemError
from collectors.items.load import load_items
from collectors.items.values import name_of
from collectors.records import Deployment

__all__ = ["DeployRead", "DeploySettings", "ItemError", "detect", "read_deployments", "read_items"]

Reader = Callable[[list[object], Context], None]
READERS: dict[str, tuple[Callable[[dict[str, object]], bool], Reader]] = {
    kubernetes.NAME: (kubernetes.claims, kubernetes.read),
    argocd.NAME: (argocd.claims, argocd.read),
    cloudrun.NAME: (cloudrun.claims, cloudrun.read),
    github.DEPLOYMENTS: (github.claims_deployment, github.read_deployments),
    github.RELEASES: (github.claims_release, github.read_releases),
}
"""Each format's name, how one of its items is recognised, and its reader."""


@dataclass(frozen=True)
class DeployRead:
    """What one export holds: its format, the source name its deployments carry, the
    deployments (one per service and name: the last when the file repeats one), the bad
    items and, in ``notes``, what was left out and why (a repeat with other values too)."""

    format: str
    source: str
    deployments: tuple[Deployment, ...]
    errors: tuple[ItemError, ...]
    notes: tuple[str, ...]
    items: int


def detect(items: list[object]) -> str | None:
    """The format of the first item any reader recognises, or None."""
    for item in items:
        if isinstance(item, dict):
            for name, (claims, _) in READERS.items():
                if claims(item):
                    return name
    return None


def read_deployments(data: bytes, label: str, settings: DeploySettings) -> DeployRead:
    """Read the export ``data`` (shown as ``label``) with ``settings``: :func:`read_items` of
    its items (:func:`~collectors.items.load.load_items`)."""
    items = load_items(data, label, format=settings.format, kind="deployments", entry=settings.from_entry)
    return read_items(items, label, settings)


def read_items(items: list[object], label: str, settings: DeploySettings) -> DeployRead:
    """Read the items of an export (shown as ``label``) with ``settings``.

    Raises InputError (``FILE: reason``, or ``FILE: item N (NAME): reason``) for an unknown
    format name, an export whose items are of no known format (one of no items reads as
    none: the module docstring), or one whose items are of another format than the one named.
    """
    name = json_format(settings.format)
    if name is None and settings.format.strip().lower() not in ("", "auto"):
        raise InputError(f"{label}: unknown format {settings.format!r} (known JSON formats: {', '.join(FORMATS)})")
    if name is not None:  # items of another format: refused naming it (a file of none is read, each item bad)
        of_format(items, label, name, READERS[name][0], detect, entry=settings.from_entry)
    if name is None:
        name = detect(items)
    if name is None:
        if not items:
            return DeployRead(UNTOLD, settings.source or UNTOLD, (), (), (EMPTY,), 0)
        first = name_of(items[0], "metadata", "name") or name_of(items[0], "name") or name_of(items[0], "id")
        kinds = list(FORMATS.values())
        raise InputError(
            f"{label}: item 1{f' ({first})' if first else ''}: of no known format: not "
            f"{', '.join(kinds[:-1])} or {kinds[-1]} ({telling(list(FORMATS), entry=settings.from_entry)})"
        )
    ctx = Context(settings, name)
    READERS[name][1](items, ctx)
    unique = {(d.service, d.name): d for d in ctx.deployments}
    return DeployRead(
        format=name,
        source=ctx.source,
        deployments=tuple(unique.values()),
        errors=tuple(sorted(ctx.errors, key=lambda e: e.item)),
        notes=tuple(ctx.notes()),
        items=len(items),
    )
