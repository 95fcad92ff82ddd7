"""The times a time column holds: the years 1 to 9999 but their first and last day.

Every time zone's offset is under a day, so a time within these bounds can be shown as a date
anywhere (``datetime.fromtimestamp``); one outside them cannot, in some zone. An import keeps a
time outside them as a bad row (:mod:`collectors.exports.date_columns`), and the store says a
value outside them, put there by another program, is damaged (:mod:`dora_tui.store`).
"""

from __future__ import annotations

MIN_TIME = -62135510400
"""The earliest time kept: 0001-01-02 00:00:00 UTC (epoch seconds)."""
MAX_TIME = 253402214399
"""The latest time kept: 9999-12-30 23:59:59 UTC."""
