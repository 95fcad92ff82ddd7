"""The names of the JSON ticket and incident formats and the kinds each holds, and nothing
else: a configuration checks a ``format`` against them without loading a reader."""

from __future__ import annotations

FORMATS: dict[str, tuple[str, ...]] = {
    "trello": ("tickets",),
    "github-issues": ("tickets", "incidents"),
    "statuspage": ("incidents",),
}
"""Each format's name and the kinds it holds (the commands that write them: README, ``dora-tui import``)."""

ALIASES = {
    "gh-issues": "github-issues",
    "github-issue": "github-issues",
    "issues": "github-issues",
    "status-page": "statuspage",
    "atlassian-statuspage": "statuspage",
    "trello-board": "trello",
}
"""Other names a person may write for a format."""

DEFAULT_DONE_LISTS = ("Done", "Complete", "Completed", "Shipped", "Released")
"""Trello lists a card is resolved in, unless an ``[[imports]]`` entry's ``done_lists`` names them."""

DEFAULT_INCIDENT_LABELS = ("incident",)
"""GitHub issue labels that make an issue an incident, unless ``incident_labels`` names them."""


def tracker_format(name: str | None) -> str | None:
    """The format called ``name`` (any case, ``_`` or a space for ``-``, or an alias), or None."""
    if not name:
        return None
    key = name.strip().lower().replace("_", "-").replace(" ", "-")
    key = ALIASES.get(key, key)
    return key if key in FORMATS else None
