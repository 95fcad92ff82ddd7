"""JSON exports of tickets and incidents: boards, issue trackers and status pages.

One reader a tool (README, ``dora-tui import``), each yielding
:class:`collectors.records.Ticket` or :class:`collectors.records.Incident` and, per item it
could not take, why:

- :mod:`~collectors.trackers.trello`: a Trello board's "Export as JSON", one ticket a card;
- :mod:`~collectors.trackers.github_issues`: ``gh issue list --state all --json ...`` (or the
  REST API's issues), one ticket an issue, and one incident an issue with an incident label;
- :mod:`~collectors.trackers.statuspage`: a Statuspage ``/api/v2/incidents.json``, one
  incident an incident (per service it affects).

The way a file goes: :mod:`collectors.items.load` reads its bytes into items,
:mod:`~collectors.trackers.read` tells the format from them (or takes the one named) and
runs its reader over a :class:`~collectors.trackers.context.TrackerContext`, which maps
services and teams, applies the unplanned rule and keeps what was left out.
:mod:`~collectors.trackers.formats` holds only the format names, for checking a
configuration without loading the readers.

Importing this package loads none of its modules.
"""
