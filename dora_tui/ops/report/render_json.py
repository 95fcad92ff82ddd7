"""The report as JSON: the schema ``dora-tui/report/v1`` (README, Report schema).

Names, paths and the time zone come from the config (and so from folder names): the JSON
escapes their control and bidirectional characters (:func:`dora_tui.core.inert.document`).
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from dora_tui.core.inert import document
from dora_tui.ops.report.figures import Report

SCHEMA = "dora-tui/report/v1"


def to_dict(report: Report) -> dict[str, Any]:
    """The JSON document of the schema ``dora-tui/report/v1`` (README, Report schema)."""
    entities = []
    for e in report.entities:
        item: dict[str, Any] = {"kind": e.kind, "name": e.name}
        if e.kind == "service":
            item["team"] = e.team
            if e.system is not None:  # only where the config names one: other documents are as they were
                item["system"] = e.system
        else:
            item["services"] = list(e.services)
        item["months"] = [{"month": key, **values} for key, values in zip(report.window.keys, e.figures.months)]
        item["window"] = dict(e.figures.window)
        item["tiers"] = dict(e.figures.tiers)
        item["trends"] = dict(e.figures.trends)
        item["needs_attention"] = e.figures.needs_attention
        entities.append(item)
    return {
        "schema": SCHEMA,
        "generated_at": report.generated_at,
        "as_of": report.window.as_of.isoformat(),
        "timezone": report.timezone,
        "months": report.window.keys,
        "entities": entities,
        "data_quality": report.data_quality,
    }


def to_json(report: Report) -> str:
    """The report as JSON: one key per line, one line per month row.

    Written by hand around ``json.dumps`` of the small parts, because an indented dump of the
    whole document goes through Python's pure-Python encoder, slow on a big report; the
    result is still valid JSON with the schema's key order.
    """
    doc = to_dict(report)
    dump = partial(json.dumps, ensure_ascii=False)
    entities = []
    for entity in doc["entities"]:
        fields = []
        for key, value in entity.items():
            if key == "months":
                rows = ",\n        ".join(dump(row) for row in value)
                fields.append(f'"months": [\n        {rows}\n      ]' if value else '"months": []')
            else:
                fields.append(f"{dump(key)}: {dump(value)}")
        entities.append("    {\n      " + ",\n      ".join(fields) + "\n    }")
    top = []
    for key, value in doc.items():
        if key == "entities":
            top.append('"entities": [\n' + ",\n".join(entities) + "\n  ]" if entities else '"entities": []')
        else:
            top.append(f"{dump(key)}: {dump(value)}")
    return document("{\n  " + ",\n  ".join(top) + "\n}\n")
