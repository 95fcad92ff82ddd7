"""Untrusted text in command output: what reaches a terminal, a Markdown or a CSV file is inert.

Values come from imported CSV files, folder names, tag names and the config; each test runs
the real ``dora-tui`` command in a subprocess and looks at the bytes a user's terminal or
spreadsheet would receive.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import pty
import random
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import tomli_w
from markdown_it import MarkdownIt

from dora_tui import inert

ESCAPES = "\x1b]0;pwned\x07\x1b[2J"          # set the window title, clear the screen
HOSTILE = f'evil{ESCAPES}"quote\\ \u202ex\u2066\x9b[31m\x7f\nsecond line'
# Anything a terminal acts on: C0 controls (the output's own newlines aside), DEL, C1, bidi.
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")

INCIDENT_HEADER = ["id", "incident_number", "description", "service_id", "service_name",
                   "escalation_policy_id", "escalation_policy_name", "created_on", "resolved_on",
                   "seconds_to_first_ack", "seconds_to_resolve", "urgency"]


def dora(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """Run the real command line in ``cwd``; stdout and stderr are the bytes a terminal gets."""
    return subprocess.run([sys.executable, "-m", "dora_tui", *args], cwd=cwd, capture_output=True)


def text_of(out: bytes) -> str:
    """The output, decoded (it must be valid UTF-8), with no raw control character in it."""
    text = out.decode("utf-8")
    assert RAW_CONTROL.search(text) is None, text
    return text


def toml(value: str) -> str:
    """``value`` as a TOML basic string (for writing test configs)."""
    return json.dumps(value)  # JSON string escapes are valid TOML basic-string escapes


def write_incidents(path: Path, *services: str) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(INCIDENT_HEADER)
    for n, service in enumerate(services, 1):
        writer.writerow([f"P{n}", str(n), "Down", "S1", service, "E1", "Main",
                         "2024-09-03T07:41:12-07:00", "2024-09-03T09:41:12-07:00", "", "", "high"])
    path.write_text(out.getvalue(), encoding="utf-8")


def released_repo(make_repo, name: str):
    repo = make_repo(name)
    for day in (2, 9, 16):
        repo.commit(f"2024-09-{day:02d}T09:00:00")
        repo.tag(f"v1.{day}.0", f"2024-09-{day:02d}T12:00:00")
    return repo


def workspace(tmp_path: Path, services: dict[str, str | None], teams: tuple[str, ...] = (),
              repo: str = "shop") -> Path:
    """A config naming ``services`` (name -> team), all on the repository folder ``repo``."""
    lines = ['database = "dora.db"', 'timezone = "Europe/London"']
    for team in teams:
        lines += ["[[teams]]", f"name = {toml(team)}"]
    for name, team in services.items():
        lines += ["[[services]]", f"name = {toml(name)}", f"repo = {toml(repo)}"]
        if team:
            lines.append(f"team = {toml(team)}")
    (tmp_path / "dora.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


# ---------------------------------------------------------------------------------------------
# The functions themselves (pure): the rule of each target


def test_terminal_escapes_controls_and_leaves_everything_else() -> None:
    assert inert.terminal("a\x1b[2Jb\n\tc\x7f\x9b\u202e\u2069") == "a\\x1b[2Jb\\n\\tc\\x7f\\x9b\\u202e\\u2069"
    assert inert.terminal("café → ⚑ \\x1b 日本 🚀") == "café → ⚑ \\x1b 日本 🚀"
    assert inert.terminal("broken \udcff name") == "broken \\udcff name"


def test_csv_cell_rule() -> None:
    for cell in ("=1+1", "+1+1", "-2+3", "@SUM(A1)", "-", "+", "=", "-1.5e", "+ 3", "-inf", "-nan"):
        assert inert.csv_cell(cell) == "'" + cell, cell
    for cell in ("-1.5", "+3", "-0", "3.", "-.5", "1e5", "-2.5E-3", "checkout", "", "a=b", "'=x"):
        assert inert.csv_cell(cell) == cell, cell
    assert inert.csv_cell("\t=1") == "'\\t=1" and inert.csv_cell("\r=1") == "'\\r=1"
    assert inert.csv_cell("a\nb") == "a\\nb"


def test_markdown_rule() -> None:
    assert inert.markdown("payment-gateway (v1.2)") == "payment-gateway (v1.2)"
    assert inert.markdown("a|b*c_d`e[f](g)<h>#i\\j") == "a\\|b\\*c\\_d\\`e\\[f\\](g)\\<h\\>\\#i\\\\j"
    assert inert.markdown("x\ny\x1b") == "x\\\\ny\\\\x1b"


def random_text(rng: random.Random) -> str:
    alphabet = ['"', "\\", "'", "\n", "\r", "\t", "\x00", "\x1b", "\x7f", "\x9b", "\u202e", "\u2028",
                "\ufeff", "a", "Z", " ", "=", "#", "[", "]", "{", "}", "é", "日", "🚀", "\U0010ffff", "\ue000"]
    picks = [rng.choice(alphabet) if rng.random() < 0.7 else chr(rng.choice(
        [rng.randrange(0, 0x80), rng.randrange(0x80, 0xD800), rng.randrange(0xE000, 0x110000)]))
        for _ in range(rng.randrange(0, 30))]
    return "".join(picks)


def test_toml_strings_round_trip_through_tomllib_and_are_inert() -> None:
    rng = random.Random(9)
    for _ in range(3000):
        value = random_text(rng)
        quoted = inert.toml_string(value)
        assert RAW_CONTROL.search(quoted) is None and "\n" not in quoted, repr(quoted)
        assert tomllib.loads(f"key = {quoted}")["key"] == value
        assert tomllib.loads(f"map = {{ {quoted} = {quoted} }}")["map"] == {value: value}
    with pytest.raises(ValueError):
        inert.toml_string("broken \udcff name")


def test_json_and_toml_documents_made_inert_read_back_the_same() -> None:
    rng = random.Random(15)
    for _ in range(500):
        data = {random_text(rng): random_text(rng) for _ in range(3)}
        data["nested"] = {"list": [random_text(rng), {random_text(rng): random_text(rng)}]}
        for text, load in ((tomli_w.dumps(data), tomllib.loads),
                           (json.dumps(data, ensure_ascii=False, indent=2), json.loads)):
            made_inert = inert.document(text)
            assert RAW_CONTROL.search(made_inert) is None, repr(made_inert)
            assert load(made_inert) == data
