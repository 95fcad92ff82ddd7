"""``report``: figures for every service and team (README, Report schema), and their renderings.

:mod:`~dora_tui.ops.report.figures` computes them (:func:`compute`, for the dashboard too);
:func:`to_json` (:func:`to_dict` is its document), :func:`to_csv` and :func:`to_markdown`
render the same figures.

Names, paths and the time zone come from the config (and so from folder names): every
rendering makes them inert (:mod:`dora_tui.core.inert`): the JSON escapes control and
bidirectional characters, the CSV neutralises formulas, the Markdown escapes its own syntax.
"""

from dora_tui.ops.report.figures import (
    EntityReport,
    Report,
    attributable_incidents,
    compute,
    outcomes_for,
    trend_span,
    windows,
)
from dora_tui.ops.report.render_csv import to_csv
from dora_tui.ops.report.render_json import SCHEMA, to_dict, to_json
from dora_tui.ops.report.render_markdown import to_markdown

__all__ = [
    "SCHEMA",
    "EntityReport",
    "Report",
    "attributable_incidents",
    "compute",
    "outcomes_for",
    "to_csv",
    "to_dict",
    "to_json",
    "to_markdown",
    "trend_span",
    "windows",
]
