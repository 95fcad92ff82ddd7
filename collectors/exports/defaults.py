"""What counts as unplanned work unless an ``[[imports]]`` entry says otherwise.

A module of its own, importing nothing, so that reading a configuration does not load the
export readers.
"""

DEFAULT_UNPLANNED_TYPES = ("Bug", "Incident", "Defect", "Problem")
"""Ticket types that are unplanned work unless an ``[[imports]]`` entry's ``unplanned.types`` says otherwise."""
DEFAULT_UNPLANNED_LABELS = ("unplanned", "hotfix", "incident", "support")
"""Labels that make a ticket unplanned work unless ``unplanned.labels`` says otherwise."""
