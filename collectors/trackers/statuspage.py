"""Atlassian Statuspage: the public ``GET https://PAGE/api/v2/incidents.json`` (a ``page`` and its
``incidents``, the 50 most recent), or the incidents alone as a list (the manage API's
``/v1/pages/ID/incidents``), one incident an incident.

- From ``started_at`` (else ``created_at``) to ``resolved_at``; an incident still open
  (``investigating``, ``identified``, ``monitoring``) is not resolved, as an open incident
  of a CSV export. A resolved one without ``resolved_at`` ends at its first update whose
  status is ``resolved``.
- The service: its affected ``components`` (their names) through ``service_map``, else
  naming a configured service (``Payments API`` also as ``payments-api``). An incident of
  components that map to several services is an incident of each of them, never two of
  one service (two components of one service are one incident): the first service keeps the
  incident's id, each other one gets ``ID:SERVICE`` (stable on the next import while the
  components stay). Its team is the team of its service (or ``--team``). An incident of
  no component that maps is kept unmapped, its first component's name as its value.
- The severity: its ``impact`` (``none``, ``minor``, ``major``, ``critical``).
- Scheduled maintenances (impact ``maintenance``, or ``scheduled_for`` set) are no
  incidents: left out, counted.
- A bad item: one that is not an object, a field of the wrong type (``impact is not a
  string``), or an incident whose id is already on an earlier item (the two would store
  as one).
"""

from __future__ import annotations

from datetime import tzinfo

from collectors.items.values import Bad, moment, name_of, obj, optional_text, text
from collectors.records import Incident
from collectors.trackers.context import TrackerContext

NAME = "statuspage"

LEFT_OUT = {
    "kind": "{n} item{s} that are no Statuspage incident left out: {values}",
    "maintenance": "{n} scheduled maintenance{s} left out: {values}",
}
"""Why items are left out (see :class:`~collectors.items.context.ItemTally`)."""

OPEN = frozenset({"investigating", "identified", "monitoring"})
"""Statuses of an incident not resolved yet."""


def claims(item: dict[str, object]) -> bool:
    """Whether ``item`` is a Statuspage incident, or the page's ``incidents.json`` holding them."""
    if isinstance(item.get("incidents"), list) and isinstance(item.get("page"), dict):
        return True
    return "impact" in item and "incident_updates" in item


def incidents_of(items: list[object]) -> list[object]:
    """The incidents of ``items``: those of each ``incidents.json`` body, and those given alone."""
    found: list[object] = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("incidents"), list) and isinstance(item.get("page"), dict):
            found.extend(item["incidents"])
        elif isinstance(item, dict) and isinstance(item.get("incident"), dict):
            found.append(item["incident"])
        else:
            found.append(item)
    return found


def read(items: list[object], ctx: TrackerContext) -> None:
    """Read every incident of ``items`` (see the module docstring)."""
    several = 0
    for number, item in ctx.claimed(incidents_of(items), claims, "name"):
        name = name_of(item, "name")
        if item.get("impact") == "maintenance" or item.get("scheduled_for"):
            ctx.leave_out("maintenance", name)
            continue
        try:
            rows = _incidents(item, ctx)
        except Bad as exc:
            ctx.fail(number, name, str(exc), item)
            continue
        if ctx.keep(number, name, rows, item):
            several += len(rows) > 1
    if several:
        ctx.say(
            f"{several} incident{'s' if several != 1 else ''} of components of several services "
            "stored once for each service (ID, then ID:SERVICE)"
        )


def _incidents(item: dict[str, object], ctx: TrackerContext) -> list[Incident]:
    """The incident, one per service its components map to (see the module docstring)."""
    incident_id = text(item.get("id"), "id")
    tz = ctx.settings.tz
    start = item.get("started_at") or item.get("created_at")
    opened = moment(start, "started_at" if item.get("started_at") else "created_at", tz)
    status = optional_text(item.get("status"), "status")
    resolved = None
    if item.get("resolved_at"):
        resolved = moment(item.get("resolved_at"), "resolved_at", tz)
    elif status and status not in OPEN:
        resolved = _resolved_update(item, tz)
    if resolved is not None and resolved < opened:
        raise Bad(f"resolved_at is before {'started_at' if item.get('started_at') else 'created_at'}")
    components = item.get("components") or []
    if not isinstance(components, list):
        raise Bad("components is not a list")
    names = [optional_text(obj(c, "a component").get("name"), "a component's name") for c in components]
    names = [n for n in names if n.strip()]
    services: list[str] = []
    if ctx.settings.service is not None:
        services = [ctx.settings.service]
    else:
        for component in names:
            service = ctx.map_service(component.strip())
            if service is not None and service not in services:
                services.append(service)
    severity = optional_text(item.get("impact"), "impact")
    title = optional_text(item.get("name"), "name")
    if not services:
        raw = names[0] if names else ""
        return [Incident(ctx.source, incident_id, opened, resolved, None, raw, ctx.team("", None), severity, title)]
    rows = []
    for i, service in enumerate(services):
        raw = next((n for n in names if ctx.map_service(n.strip()) == service), names[0] if names else "")
        key = incident_id if i == 0 else f"{incident_id}:{service}"
        rows.append(Incident(ctx.source, key, opened, resolved, service, raw, ctx.team("", service), severity, title))
    return rows


def _resolved_update(item: dict[str, object], tz: tzinfo) -> int:
    """The time of a resolved incident's first update with status ``resolved``."""
    updates = item.get("incident_updates") or []
    dated = []
    for update in updates if isinstance(updates, list) else []:
        if isinstance(update, dict) and update.get("status") == "resolved":
            dated.append(moment(update.get("created_at"), "incident_updates[].created_at", tz))
    if not dated:
        raise Bad(f"status {item.get('status')!r} without resolved_at or a resolved update")
    return min(dated)
