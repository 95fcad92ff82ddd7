"""`dora-tui import` of a JSON document holding no items (`null`, a number, a string, `true`)
names what it holds in JSON's words, not Python's (`NoneType`, `int`, `str`, `bool`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.cli import error_line


@pytest.mark.parametrize(
    "text, holds",
    [("null\n", "null"), ("1\n2\n", "a number"), ("2.5", "a number"), ('"a string"\n', "a string"), ("true", "true")],
)
@pytest.mark.parametrize("kind, format", [("tickets", "trello"), ("deployments", "kubernetes")])
def test_a_json_document_of_no_items_says_what_it_holds_in_json_s_words(
    tmp_path: Path, capsys, text: str, holds: str, kind: str, format: str
) -> None:
    (tmp_path / "dora.toml").write_text('database = "dora.db"\ntimezone = "UTC"\n')
    (tmp_path / "x.json").write_text(text)
    assert error_line(capsys, ["import", kind, "x.json", "--format", format]) == (
        f"dora-tui: error: x.json: not an export: the JSON holds {holds}, not items"
    )
    assert not (tmp_path / "dora.db").exists()
