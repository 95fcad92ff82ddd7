"""Configs a user can get wrong without meaning to: numbers out of range, a BOM, a folder,
text that is not UTF-8. Each is read, or refused in one line naming the file (exit status 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dora_tui.cli import main
from support.cli import error_line

BASE = (
    'database = "dora.db"\n[[teams]]\nname = "payments"\n[[services]]\nname = "checkout"\n'
    'team = "payments"\nrepo = "shop"\n'
)
IMPORTS = '[[imports]]\nkind = "incidents"\nfile = "pd.csv"\nservice_map = { "checkout-api" = "checkout" }\n'
PD = (
    "id,incident_number,description,service_id,service_name,escalation_policy_id,escalation_policy_name,"
    "created_on,resolved_on,seconds_to_first_ack,seconds_to_resolve,urgency\n"
    "P1,1,Down,S1,checkout-api,E1,Main,2024-09-03T07:41:12-07:00,,,,high\n"
)


# -- numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["nan", "+nan", "-nan", "inf", "-inf", "-1", "0", "0.0", "-0.5"])
def test_window_hours_must_be_a_finite_number_above_zero(tmp_path: Path, capsys, value: str) -> None:
    (tmp_path / "dora.toml").write_text(BASE + f"[attribution]\nwindow_hours = {value}\n")
    got = "nan" if "nan" in value else value.lstrip("+")
    assert error_line(capsys, ["report"]) == (
        f"dora-tui: error: {tmp_path / 'dora.toml'}: attribution.window_hours: "
        f"must be a finite number above 0, got {got}"
    )


@pytest.mark.parametrize(
    "line, key, words",
    [
        ("months = 0", "months", "must be from 1 to 1200, got 0"),
        ("months = -3", "months", "must be from 1 to 1200, got -3"),
        ("months = 99999999999999999999999", "months", "must be from 1 to 1200, got 99999999999999999999999"),
        ("months = nan", "months", "expected a whole number, got nan"),
        ("months = 12.5", "months", "expected a whole number, got 12.5"),
        ("trend_months = inf", "trend_months", "expected a whole number, got inf"),
        ("trend_months = 3", "trend_months", "must be from 4 to 1200, got 3 (a trend needs 4 months)"),
        ("trend_months = 1201", "trend_months", "must be from 4 to 1200, got 1201"),
        ("[attribution]\nwindow_hours = true", "attribution.window_hours", "expected a number, got True"),
        ("[attribution]\nwindow_hours = 1e400", "attribution.window_hours", "must be a finite number above 0, got inf"),
        (
            "[attribution]\nwindow_hours = 1" + "0" * 400,
            "attribution.window_hours",
            "must be a finite number above 0, got 1" + "0" * 400,
        ),
    ],
)
def test_every_number_of_the_config_is_checked(tmp_path: Path, capsys, line: str, key: str, words: str) -> None:
    (tmp_path / "dora.toml").write_text(line + "\n" + BASE if not line.startswith("[") else BASE + line + "\n")
    assert error_line(capsys, ["report"]) == f"dora-tui: error: {tmp_path / 'dora.toml'}: {key}: {words}"


def test_a_fraction_of_an_hour_is_a_window(tmp_path: Path, capsys) -> None:
    (tmp_path / "dora.toml").write_text(BASE + IMPORTS + "[attribution]\nwindow_hours = 0.5\n")
    (tmp_path / "pd.csv").write_text(PD)
    assert main(["import", "incidents", "pd.csv", "--dry-run"]) == 0


# -- reading the file ------------------------------------------------------------------------------


def test_a_config_saved_with_a_utf8_bom_is_read(tmp_path: Path, capsys) -> None:
    (tmp_path / "dora.toml").write_bytes(b"\xef\xbb\xbf" + (BASE + IMPORTS).encode())
    (tmp_path / "pd.csv").write_text(PD)
    assert main(["import", "incidents", "pd.csv", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Would store 1 incident " in out and "checkout: 1" in out  # its service_map applied


@pytest.mark.parametrize(
    "data, words",
    [
        ((BASE + "# café\n").encode("latin-1"), "is not UTF-8 text (line 8: byte 0xe9); save it as UTF-8"),
        (b"\xff\xfe" + BASE.encode("utf-16-le"), "is UTF-16 text; save it as UTF-8"),
        (b"\xfe\xff" + BASE.encode("utf-16-be"), "is UTF-16 text; save it as UTF-8"),
        (b"\xff\xfe\x00\x00" + BASE.encode("utf-32-le"), "is UTF-32 text; save it as UTF-8"),
        (b"months = " + b"[" * 5000 + b"]" * 5000 + b"\n", "nested too deeply"),
        (b"months = 12\x00\n", "not valid TOML"),
        (b"months = " + b"9" * 5000 + b"\n", "not valid TOML: a whole number with too many digits"),
    ],
    ids=["latin-1", "utf-16-le", "utf-16-be", "utf-32-le", "deep", "nul", "digits"],
)
def test_text_that_is_not_a_config_is_one_line_naming_the_file(tmp_path: Path, capsys, data: bytes, words: str) -> None:
    (tmp_path / "dora.toml").write_bytes(data)
    line = error_line(capsys, ["report"])
    assert line.startswith(f"dora-tui: error: {tmp_path / 'dora.toml'}: ") and words in line


def test_a_config_that_is_a_folder_is_named(tmp_path: Path, capsys, monkeypatch) -> None:
    (tmp_path / "conf").mkdir()
    line = error_line(capsys, ["report", "--config", "conf"])
    assert line == "dora-tui: error: conf: is a folder, not a config file"
    monkeypatch.setenv("DORA_TUI_CONFIG", str(tmp_path / "conf"))
    line = error_line(capsys, ["report"])
    assert line == f"dora-tui: error: {tmp_path / 'conf'}: is a folder, not a config file (named by $DORA_TUI_CONFIG)"
    monkeypatch.delenv("DORA_TUI_CONFIG")
    (tmp_path / "dora.toml").mkdir()  # ./dora.toml, looked up by default: not silently skipped
    line = error_line(capsys, ["report"])
    assert line == f"dora-tui: error: {tmp_path / 'dora.toml'}: is a folder, not a config file"


def test_a_config_that_is_not_a_regular_file_is_named(tmp_path: Path, capsys) -> None:
    (tmp_path / "dora.toml").symlink_to(tmp_path / "gone.toml")
    assert error_line(capsys, ["report"]) == (
        f"dora-tui: error: {tmp_path / 'dora.toml'}: is a link to {tmp_path / 'gone.toml'}, which does not exist"
    )
    line = error_line(capsys, ["report", "--config", "/dev/null"])
    assert line == "dora-tui: error: /dev/null: is not a regular file"


@pytest.mark.parametrize(
    "value, words",
    [
        ("~nosuchuser/x", "no home folder for '~nosuchuser'"),
        ("a\\u0000b", "'a\\x00b': a path cannot hold a NUL character"),
        ("loop/a/x", "'loop/a/x': a loop of symbolic links"),
    ],
)
@pytest.mark.parametrize("key", ["database", "services[0].repo", "imports[0].file"])
def test_a_path_that_cannot_be_resolved_names_its_key(tmp_path: Path, capsys, value: str, words: str, key: str) -> None:
    (tmp_path / "loop").mkdir()
    (tmp_path / "loop" / "a").symlink_to("b")
    (tmp_path / "loop" / "b").symlink_to("a")
    body = {
        "database": f'database = "{value}"\n' + BASE.replace('database = "dora.db"\n', ""),
        "services[0].repo": BASE.replace('"shop"', f'"{value}"'),
        "imports[0].file": BASE + IMPORTS.replace('"pd.csv"', f'"{value}"'),
    }[key]
    (tmp_path / "dora.toml").write_text(body)
    assert error_line(capsys, ["report"]) == f"dora-tui: error: {tmp_path / 'dora.toml'}: {key}: {words}"


def test_a_config_path_with_an_unknown_user_is_one_line(tmp_path: Path, capsys, monkeypatch) -> None:
    assert error_line(capsys, ["report", "--config", "~nosuchuser/dora.toml"]) == (
        "dora-tui: error: ~nosuchuser/dora.toml: no home folder for '~nosuchuser'"
    )
    monkeypatch.setenv("DORA_TUI_CONFIG", "~nosuchuser/dora.toml")
    assert error_line(capsys, ["report"]) == (
        "dora-tui: error: ~nosuchuser/dora.toml: $DORA_TUI_CONFIG: no home folder for '~nosuchuser'"
    )


def test_a_file_far_bigger_than_a_config_is_not_read(tmp_path: Path, capsys) -> None:
    with (tmp_path / "dora.toml").open("wb") as handle:
        handle.write(b"# " + b"x" * (16 * 1024 * 1024) + b"\n")
    assert error_line(capsys, ["report"]) == (
        f"dora-tui: error: {tmp_path / 'dora.toml'}: is over 16 MB: not a config file"
    )
