"""House rules: the command line's core loads no UI, and the README is true to the CLI.

Which layer may import which is written once, as import-linter contracts in pyproject.toml
(``make test`` runs them); this checks what a command really loads at run time.
"""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dora_tui.cli import COMMANDS, build_parser

ROOT = Path(__file__).resolve().parent.parent
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z-]*")


def test_importing_the_core_loads_no_textual_or_rich() -> None:
    code = (
        "import sys, collectors.git, dora_tui.ops.collect, dora_tui.ops.report, dora_tui.store.database;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')];"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def help_text(*argv: str) -> str:
    """What ``dora-tui ARGV --help`` prints."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as exited:
        build_parser().parse_args([*argv, "--help"])
    assert exited.value.code == 0
    return out.getvalue()


def readme_sections() -> dict[str, str]:
    """The README's sections by heading line (the heading's text and the lines up to the next
    heading), headings inside fenced code aside."""
    sections: dict[str, str] = {}
    heading, lines, fenced = "", [], False
    for line in (ROOT / "README.md").read_text().splitlines():
        if line.startswith("```"):
            fenced = not fenced
        if line.startswith("#") and not fenced:
            sections[heading] = "\n".join(lines)
            heading, lines = line, []
        lines.append(line)
    sections[heading] = "\n".join(lines)
    return sections


def test_every_command_and_option_is_in_the_readme_under_its_own_command() -> None:
    top = help_text()
    commands = re.search(r"\{([a-z,]+)\}", top)
    assert commands is not None, top
    names = commands.group(1).split(",")
    assert set(names) | {"dashboard"} == set(COMMANDS)

    options = {name: set(OPTION.findall(help_text(name))) - {"--help"} for name in names}
    every_command = set.intersection(*options.values())  # --config: written once, for them all
    assert "--config" in every_command

    sections = readme_sections()
    intro = sections["## Commands"]
    for option in (set(OPTION.findall(top)) - {"--help"}) | every_command:
        assert option in intro, f"{option} is not in the README's Commands section"
    for name in names:
        heading = next((h for h in sections if h.startswith(f"### `dora-tui {name}")), None)
        assert heading is not None, f"no README section for dora-tui {name}"
        for option in sorted(options[name] - every_command):
            assert option in sections[heading], f"{name} {option} is not in the README under {heading}"


def test_commands_that_read_no_export_load_no_export_reader() -> None:
    # The CSV readers are a tenth of a second to load: collect, report and doctor never need them.
    code = (
        "import sys, dora_tui.cli, dora_tui.cli.commands, dora_tui.ops.collect, dora_tui.ops.report, dora_tui.config;"
        "print(','.join(m for m in sys.modules if m.startswith('collectors.exports.') and not m.endswith('.defaults')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_import_loads_the_ticket_and_incident_json_readers_only_for_such_an_export() -> None:
    # Every CSV import loads the import operation: the JSON readers of tickets and incidents wait for a JSON export.
    code = (
        "import sys, dora_tui.cli.commands, dora_tui.ops.imports;"
        "print(','.join(m for m in sys.modules if m.startswith('collectors.trackers.') and not m.endswith('.formats')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
