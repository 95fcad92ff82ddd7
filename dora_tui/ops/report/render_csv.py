"""The report as CSV: one row per entity and month, with the figures of a month."""

from __future__ import annotations

import csv
import io

from dora_tui.core.catalog import KEYS
from dora_tui.core.inert import csv_cell
from dora_tui.ops.report.figures import Report


def to_csv(report: Report) -> str:
    """One row per entity and month, with the keys of a month.

    Text cells go through :func:`dora_tui.core.inert.csv_cell` (no cell runs as a spreadsheet
    formula); the figures are written as the numbers they are.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kind", "name", "team", "month", *KEYS])
    for e in report.entities:
        for key, values in zip(report.window.keys, e.figures.months):
            writer.writerow(
                [
                    e.kind,
                    csv_cell(e.name),
                    csv_cell(e.team or ""),
                    key,
                    *("" if values[k] is None else values[k] for k in KEYS),
                ]
            )
    return out.getvalue()
