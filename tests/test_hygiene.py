"""House rules that keep the core apart from the UI, and the README true to the CLI."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from dora_tui.cli import COMMANDS, build_parser

ROOT = Path(__file__).resolve().parent.parent
CORE = sorted(
    [
        *ROOT.glob("collectors/**/*.py"),
        *(
            p
            for layer in ("core", "config", "store", "ops", "tui/facade")
            for p in (ROOT / "dora_tui" / layer).glob("*.py")
        ),
        ROOT / "dora_tui" / "errors.py",
    ]
)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_modules_import_no_textual_or_rich() -> None:
    for path in CORE:
        assert path.exists(), path
        assert not imported_modules(path) & {"textual", "rich", "textual_plotext", "plotext"}, path


def test_importing_the_core_loads_no_textual_or_rich() -> None:
    code = (
        "import sys, collectors.git, dora_tui.ops.collect, dora_tui.ops.report, dora_tui.store.database;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')];"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_every_command_and_option_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, command in sub.choices.items():
        assert f"dora-tui {name}" in readme, name
        for action in command._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help":
                    assert option in readme, f"{name} {option}"
    assert set(sub.choices) | {"dashboard"} == set(COMMANDS)
