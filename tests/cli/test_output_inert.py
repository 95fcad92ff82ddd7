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

from dora_tui.core import inert

ESCAPES = "\x1b]0;pwned\x07\x1b[2J"  # set the window title, clear the screen
HOSTILE = f'evil{ESCAPES}"quote\\ \u202ex\u2066\x9b[31m\x7f\nsecond line'
# A service column cannot hold a line break (such a row is a bad row: a quote left open), so
# the value imported from a CSV file is HOSTILE with a vertical tab for its newline.
HOSTILE_CELL = HOSTILE.replace("\n", "\x0b")
# Anything a terminal acts on: C0 controls (the output's own newlines aside), DEL, C1, bidi.
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")

INCIDENT_HEADER = [
    "id",
    "incident_number",
    "description",
    "service_id",
    "service_name",
    "escalation_policy_id",
    "escalation_policy_name",
    "created_on",
    "resolved_on",
    "seconds_to_first_ack",
    "seconds_to_resolve",
    "urgency",
]


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
        writer.writerow(
            [
                f"P{n}",
                str(n),
                "Down",
                "S1",
                service,
                "E1",
                "Main",
                "2024-09-03T07:41:12-07:00",
                "2024-09-03T09:41:12-07:00",
                "",
                "",
                "high",
            ]
        )
    path.write_text(out.getvalue(), encoding="utf-8")


def released_repo(make_repo, name: str):
    repo = make_repo(name)
    for day in (2, 9, 16):
        repo.commit(f"2024-09-{day:02d}T09:00:00")
        repo.tag(f"v1.{day}.0", f"2024-09-{day:02d}T12:00:00")
    return repo


def workspace(tmp_path: Path, services: dict[str, str | None], teams: tuple[str, ...] = (), repo: str = "shop") -> Path:
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
# Item 15: doctor, init, markdown, and every other line the command prints


def test_doctor_shows_an_imported_value_escaped_and_suggests_a_valid_toml_line(tmp_path: Path) -> None:
    workspace(tmp_path, {"checkout": None})
    write_incidents(tmp_path / "pd.csv", HOSTILE_CELL)
    imported = dora(tmp_path, "import", "incidents", "pd.csv")
    assert imported.returncode == 0, imported.stderr
    text_of(imported.stdout)
    result = dora(tmp_path, "doctor")
    assert result.returncode == 0, result.stderr
    lines = text_of(result.stdout).splitlines()
    unmapped = [line for line in lines if line.startswith("- [unmapped]")]
    assert len(unmapped) == 1 and "\\x1b]0;pwned\\x07\\x1b[2J" in unmapped[0]
    hint = next(line for line in lines if "service_map" in line)
    suggested = hint[hint.index("add ") + 4 : hint.index(" to the [[imports]]")]
    assert tomllib.loads(suggested) == {"service_map": {HOSTILE_CELL: "SERVICE"}}


def test_doctor_quotes_a_guessed_service_name_and_shell_quotes_paths(tmp_path: Path, make_repo) -> None:
    released_repo(make_repo, "my shop")
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{tmp_path / 'my shop'}", "my shop;rm x"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    workspace(tmp_path, {'check"out': None}, repo="my shop;rm x")
    write_incidents(tmp_path / "pd.csv", 'check"outs')
    assert dora(tmp_path, "collect").returncode == 0
    assert dora(tmp_path, "import", "incidents", "pd.csv").returncode == 0
    lines = text_of(dora(tmp_path, "doctor").stdout).splitlines()
    hint = next(line for line in lines if "service_map" in line)
    suggested = hint[hint.index("add ") + 4 : hint.index(" to the [[imports]]")]
    assert tomllib.loads(suggested) == {"service_map": {'check"outs': 'check"out'}}
    shallow = next(line for line in lines if "fetch --unshallow" in line)
    assert f"git -C '{tmp_path / 'my shop;rm x'}' fetch --unshallow" in shallow


def test_init_prints_a_folder_name_with_escapes_and_a_newline_escaped(tmp_path: Path, make_repo) -> None:
    name = f"shop{ESCAPES}\nnext\u202e"
    repo = make_repo(f"src/{name}")
    repo.commit("2024-01-01T09:00:00")
    result = dora(tmp_path, "init", "src")
    assert result.returncode == 0, result.stderr
    lines = text_of(result.stdout).splitlines()
    assert lines[0] == "Wrote dora.toml with 1 service: shop\\x1b]0;pwned\\x07\\x1b[2J\\nnext\\u202e."
    assert len(lines) == 4  # the service with no owner is listed, its name escaped on its one line
    assert lines[2].startswith("  - service shop\\x1b]0;pwned\\x07\\x1b[2J\\nnext\\u202e: no owner")
    config = tomllib.loads(text_of((tmp_path / "dora.toml").read_bytes()))  # no raw \u202e either
    assert [s["name"] for s in config["services"]] == [name]


def test_init_refuses_a_folder_name_that_is_not_utf8(tmp_path: Path, make_repo) -> None:
    make_repo("src/ok").commit("2024-01-01T09:00:00")
    make_repo("src/sh\udcffop").commit("2024-01-01T09:00:00")  # the byte 0xff in its name
    result = dora(tmp_path, "init", "src")
    assert result.returncode == 2
    err = text_of(result.stderr).strip().splitlines()
    assert len(err) == 1 and "sh\\udcffop" in err[0] and "UTF-8" in err[0]
    assert not (tmp_path / "dora.toml").exists()


def test_markdown_report_keeps_a_hostile_name_on_one_line_and_unlinked(tmp_path: Path, make_repo) -> None:
    released_repo(make_repo, "shop")
    service = "evil\n# injected | [x](javascript:alert(1)) <img src=x onerror=alert(1)> *b* _i_ \x1b[31m"
    team = "t|e`a`m\\ ~~s~~ &amp; :rocket: #"
    workspace(tmp_path, {service: team}, teams=(team,))
    assert dora(tmp_path, "collect").returncode == 0
    result = dora(tmp_path, "report", "--format", "markdown", "--as-of", "2024-10-01")
    assert result.returncode == 0, result.stderr
    text = text_of(result.stdout)
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert len(headings) == 4  # title, the service, the team, data quality
    rendered = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text)
    assert "<a " not in rendered and "<img" not in rendered and "<em>" not in rendered
    assert "<s>" not in rendered and "<code>" not in rendered
    shown = [html.unescape(h) for h in re.findall(r"<h2>(.*?)</h2>", rendered)]
    assert shown[0] == f"Service: {inert.terminal(service)} (team {inert.terminal(team)})"
    assert shown[1] == f"Team: {inert.terminal(team)}"
    services = [html.unescape(p) for p in re.findall(r"<p>Services: (.*?)</p>", rendered)]
    assert services == [inert.terminal(service)]


def test_markdown_report_names_that_look_like_addresses_are_never_linked(tmp_path: Path, make_repo) -> None:
    # GitHub's renderer links a bare www. address and an e-mail address; linkify-it (markdown-it's
    # linkify, which a wiki may enable) links any name with a known top-level domain
    released_repo(make_repo, "shop")
    names = {"www.shop.io": "ops@acme.com", "billing.app": None, "shop.рф": None, "www.1und1.de": None}
    workspace(tmp_path, names, teams=("ops@acme.com",))
    assert dora(tmp_path, "collect").returncode == 0
    result = dora(tmp_path, "report", "--format", "markdown", "--as-of", "2024-10-01")
    assert result.returncode == 0, result.stderr
    rendered = MarkdownIt("gfm-like").render(text_of(result.stdout))
    assert "<a " not in rendered, rendered
    assert all(name in rendered for name in ("www.shop.io", "ops@acme.com", "billing.app", "shop.рф", "www.1und1.de"))


def test_collect_warnings_and_import_summaries_are_escaped(tmp_path: Path, make_repo) -> None:
    folder = f"e{ESCAPES}mpty"
    make_repo(folder)
    name = f"chk{ESCAPES}"
    workspace(tmp_path, {name: None}, repo=folder)
    collected = dora(tmp_path, "collect")
    assert collected.returncode == 0, collected.stderr
    assert "e\\x1b]0;pwned\\x07\\x1b[2Jmpty is an empty repository" in text_of(collected.stderr)
    write_incidents(tmp_path / f"pd{ESCAPES}.csv", "anything")
    imported = dora(tmp_path, "import", "incidents", f"pd{ESCAPES}.csv", "--service", name)
    assert imported.returncode == 0, imported.stderr
    lines = text_of(imported.stdout).splitlines()
    assert lines[0].startswith("Stored 1 incident from pd\\x1b]0;pwned\\x07\\x1b[2J.csv ")
    assert lines[1] == "  chk\\x1b]0;pwned\\x07\\x1b[2J: 1"


def test_the_progress_bar_shows_a_file_name_escaped(tmp_path: Path) -> None:
    workspace(tmp_path, {"checkout": None})
    write_incidents(tmp_path / f"pd{ESCAPES}.csv", "checkout")
    leader, follower = pty.openpty()  # the progress bar is drawn on a terminal only
    with os.fdopen(leader, "rb", buffering=0) as terminal_side:
        process = subprocess.Popen(
            [sys.executable, "-m", "dora_tui", "import", "incidents", f"pd{ESCAPES}.csv"],
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=follower,
        )
        os.close(follower)
        drawn = b""
        while chunk := _read(terminal_side):
            drawn += chunk
        assert process.wait() == 0
    text = drawn.decode("utf-8").replace("\x1b[K", "")  # the bar's own "erase to the end of line"
    assert "pd\\x1b]0;pwned\\x07\\x1b[2J.csv" in text
    assert RAW_CONTROL.search(text.replace("\r", "")) is None, text


def _read(stream) -> bytes:
    try:
        return stream.read(4096)
    except OSError:  # EIO: the command has closed the terminal
        return b""


def test_error_messages_are_escaped(tmp_path: Path) -> None:
    workspace(tmp_path, {"checkout": None})
    result = dora(tmp_path, "import", "incidents", f"missing{ESCAPES}\u202e.csv")
    assert result.returncode == 2
    err = text_of(result.stderr)
    assert "missing\\x1b]0;pwned\\x07\\x1b[2J\\u202e.csv" in err and len(err.splitlines()) == 1


def test_json_report_escapes_c1_and_bidi_controls_and_keeps_the_value(tmp_path: Path, make_repo) -> None:
    released_repo(make_repo, "shop")
    name = "a\u202eb\x9bc\x7fd\u2066e\x1bf"
    workspace(tmp_path, {name: None})
    assert dora(tmp_path, "collect").returncode == 0
    result = dora(tmp_path, "report", "--as-of", "2024-10-01")
    assert result.returncode == 0, result.stderr
    document = json.loads(text_of(result.stdout))
    assert [e["name"] for e in document["entities"]] == [name]


# ---------------------------------------------------------------------------------------------
# Item 16: formula injection in the CSV report


FORMULAS = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "=cmd|' /C calc'!A0",
    "\t=1+1",
    "-",
    "+",
]


def test_csv_report_neutralises_formulas_and_leaves_numbers_alone(tmp_path: Path, make_repo) -> None:
    released_repo(make_repo, "shop")
    services = dict.fromkeys(FORMULAS, "-1.5") | {"+3": None}
    workspace(tmp_path, services, teams=("-1.5",))
    assert dora(tmp_path, "collect").returncode == 0
    result = dora(tmp_path, "report", "--format", "csv", "--as-of", "2024-10-01")
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(text_of(result.stdout))))
    header, body = rows[0], rows[1:]
    names = {row[1] for row in body}
    expected = {"'" + inert.terminal(n) for n in FORMULAS} | {"+3", "-1.5"}
    assert names == expected
    assert {row[2] for row in body if row[0] == "service"} == {"-1.5", ""}
    # The figures are the JSON report's, unchanged.
    document = json.loads(dora(tmp_path, "report", "--as-of", "2024-10-01").stdout)
    figures = [
        ["" if month[k] is None else str(month[k]) for k in header[4:]]
        for entity in document["entities"]
        for month in entity["months"]
    ]
    assert [row[4:] for row in body] == figures
    assert any(cell not in ("", "0") for row in body for cell in row[4:])


# ---------------------------------------------------------------------------------------------
# The functions themselves (pure): the rule of each target


def test_terminal_escapes_controls_and_leaves_everything_else() -> None:
    assert inert.terminal("a\x1b[2Jb\n\tc\x7f\x9b\u202e\u2069") == "a\\x1b[2Jb\\n\\tc\\x7f\\x9b\\u202e\\u2069"
    assert inert.terminal("café → ⚑ \\x1b 日本 🚀") == "café → ⚑ \\x1b 日本 🚀"
    assert inert.terminal("broken \udcff name") == "broken \\udcff name"


def test_terminal_leaves_no_code_point_a_terminal_acts_on() -> None:
    # Every code point, alone and amid printable text (the common case, answered without a search).
    for code in range(0x110000):
        char = chr(code)
        for text in (char, f"name {char} tail"):
            shown = inert.terminal(text)
            assert not RAW_CONTROL.search(shown) and not any(0xD800 <= ord(c) <= 0xDFFF for c in shown), hex(code)


def test_csv_cell_rule() -> None:
    for cell in ("=1+1", "+1+1", "-2+3", "@SUM(A1)", "-", "+", "=", "-1.5e", "+ 3", "-inf", "-nan"):
        assert inert.csv_cell(cell) == "'" + cell, cell
    for cell in ("-1.5", "+3", "-0", "3.", "-.5", "1e5", "-2.5E-3", "checkout", "", "a=b", "'=x"):
        assert inert.csv_cell(cell) == cell, cell
    assert inert.csv_cell("\t=1") == "'\\t=1" and inert.csv_cell("\r=1") == "'\\r=1"
    assert inert.csv_cell("a\nb") == "a\\nb"


def test_markdown_rule() -> None:
    assert inert.markdown("payment-gateway (v1.2)") == "payment-gateway (v1.2)"
    assert inert.markdown("www.shop.io ops@acme.com v2.1") == "www\\.shop\\.io ops\\@acme\\.com v2.1"
    assert inert.markdown("a|b*c_d`e[f](g)<h>#i\\j") == "a\\|b\\*c\\_d\\`e\\[f\\](g)\\<h\\>\\#i\\\\j"
    assert inert.markdown("x\ny\x1b") == "x\\\\ny\\\\x1b"


def random_text(rng: random.Random) -> str:
    alphabet = [
        '"',
        "\\",
        "'",
        "\n",
        "\r",
        "\t",
        "\x00",
        "\x1b",
        "\x7f",
        "\x9b",
        "\u202e",
        "\u2028",
        "\ufeff",
        "a",
        "Z",
        " ",
        "=",
        "#",
        "[",
        "]",
        "{",
        "}",
        "é",
        "日",
        "🚀",
        "\U0010ffff",
        "\ue000",
    ]
    picks = [
        rng.choice(alphabet)
        if rng.random() < 0.7
        else chr(rng.choice([rng.randrange(0, 0x80), rng.randrange(0x80, 0xD800), rng.randrange(0xE000, 0x110000)]))
        for _ in range(rng.randrange(0, 30))
    ]
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
        for text, load in (
            (tomli_w.dumps(data), tomllib.loads),
            (json.dumps(data, ensure_ascii=False, indent=2), json.loads),
        ):
            made_inert = inert.document(text)
            assert RAW_CONTROL.search(made_inert) is None, repr(made_inert)
            assert load(made_inert) == data
