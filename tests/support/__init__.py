"""What the tests share: real git repositories built with fixed dates, the app under Pilot, the fixtures.

- :mod:`support.gitbuilder`: :class:`~support.gitbuilder.GitBuilder` and :func:`~support.gitbuilder.epoch`;
- :mod:`support.cli`: the command line run in the test's process (:func:`~support.cli.error_line`);
- :mod:`support.processes`: the installed ``dora-tui`` run as real processes (to the end, or
  interrupted by Ctrl-C), and the small workspace and PagerDuty export those tests share;
- :mod:`support.app`: a shared demo-like workspace, the app run under Textual's Pilot with a
  fixed clock, and helpers that wait for it (failing on timeout);
- :data:`FIXTURES`: the exports in each tool's own format (``fixtures/csv``; ``fixtures/deploys``:
  the JSON deployment exports of kubectl, Argo CD, gcloud and gh, invented data in each tool's layout;
  ``fixtures/trackers``: a Trello board, ``gh issue list --json`` and a Statuspage ``incidents.json``);
- :mod:`support.trackers`: hand-made Trello cards and actions, GitHub issues, Statuspage incidents.
"""

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
"""The folder of the fixture files."""

CHECKOUT = """database = "dora.db"
timezone = "UTC"
[[teams]]
name = "payments"
[[services]]
name = "checkout"
team = "payments"
repo = "shop"
"""
"""The smallest workspace config the import tests start from: team ``payments`` and its
service ``checkout`` in the repository ``shop``, times in UTC (a test adds what it is about)."""
