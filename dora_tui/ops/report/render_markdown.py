"""The report as Markdown: one section per entity, for pasting into a board report."""

from __future__ import annotations

from dora_tui.core.catalog import MARKDOWN_COLUMNS
from dora_tui.core.inert import markdown
from dora_tui.ops.report.figures import Report


def to_markdown(report: Report) -> str:
    """One section per entity, for pasting into a board report.

    Names, the time zone and paths go through :func:`dora_tui.core.inert.markdown`: each stays on
    its line and renders as its literal text.
    """
    w = report.window
    lines = [
        f"# DORA metrics, {w.keys[0]} to {w.keys[-1]}",
        "",
        f"As of {w.as_of.isoformat()} ({markdown(report.timezone)}); the last month is still in progress.",
        "",
    ]
    for e in report.entities:
        heading = f"## {e.kind.capitalize()}: {markdown(e.name)}"
        if e.kind == "service" and (e.team or e.system):
            parts = [f"team {markdown(e.team)}"] if e.team else []
            parts += [f"system {markdown(e.system)}"] if e.system else []
            heading += f" ({', '.join(parts)})"
        lines += [heading, ""]
        if e.kind == "team":
            lines += [f"Services: {', '.join(markdown(s) for s in e.services) or 'none'}", ""]
        tiers = ", ".join(f"{k.replace('_', ' ')} {v or 'n/a'}" for k, v in e.figures.tiers.items())
        trend = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in e.figures.trends.items())
        lines += [f"Tiers: {tiers}.", "", f"Trends: {trend}.", ""]
        if e.figures.needs_attention:
            lines += ["**Needs attention**: two or more metrics are worsening.", ""]
        lines.append("| Month | " + " | ".join(f.column for f in MARKDOWN_COLUMNS) + " |")
        lines.append("|---|" + "---:|" * len(MARKDOWN_COLUMNS))
        for key, values in zip(w.keys, e.figures.months):
            lines.append(f"| {key} | " + " | ".join(_cell(values[f.key]) for f in MARKDOWN_COLUMNS) + " |")
        lines.append("| **Window** | " + " | ".join(_cell(e.figures.window[f.key]) for f in MARKDOWN_COLUMNS) + " |")
        lines.append("")
    dq = report.data_quality
    lines += [
        "## Data quality",
        "",
        f"- Unmapped incidents: {dq['unmapped_incidents']}",
        f"- Unmapped tickets: {dq['unmapped_tickets']}",
        f"- Negative lead times (clamped to 0): {dq['negative_lead_times']}",
        f"- Shallow repositories: {', '.join(map(markdown, dq['shallow_repositories'])) or 'none'}",
        "",
    ]
    return "\n".join(lines)


def _cell(value: float | int | None) -> str:
    """A figure as a table cell: an en dash for none."""
    if value is None:
        return "–"
    return str(value)
