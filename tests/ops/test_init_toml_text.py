"""init --update's TOML scanner on generated configs: whatever a person wrote (comments,
multi-line strings holding lines that look like headers or comments, arrays over lines,
inline tables, CRLF, CRLF mixed with LF), a [[services]] entry and a team put in by it read
back as exactly the old document plus them, and every line the person wrote is still there,
in order."""

from __future__ import annotations

import random
import tomllib

import pytest

from dora_tui.ops.init.toml_text import splice, tables

VALUES = [
    '"plain"',
    '"quote \\" and # and [[services]]"',
    "'literal # [x]'",
    '"""\nmulti\n[[services]]\n# not a comment\n"""',
    "'''\n[[imports]]\n'''",
    '"""ends with quotes"" """',
    '"back\\\\slash\\\\"',
    "[1, 2, 3]",
    '[\n  "a", # a comment\n  "b",\n]',
    '[\n  "a", # it\'s an [odd "comment\n  "b",\n]',
    "'''\nit's [[services]]\n'''",
    '"""\nsay "hi\n[[teams]]\n# no\n"""',
    '{ a = 1, b = "}" }',
    "2024-01-02T03:04:05Z",
    "true",
    "-1.5e3",
]


def a_config(rng: random.Random) -> str:
    """A valid config of random layout: services, imports, teams, a [git] table, and noise."""
    lines: list[str] = []
    key = 0

    def noise() -> None:
        for _ in range(rng.randint(0, 2)):
            lines.append(rng.choice(["", "# a note", "   # indented note", "#"]))

    def keys(required: dict[str, str]) -> None:
        nonlocal key
        for name, value in required.items():
            lines.append(f"{name} = {value}" + rng.choice(["", "  # why"]))
            noise()
        for _ in range(rng.randint(0, 3)):
            key += 1
            lines.append(f"k{key} = {rng.choice(VALUES)}")
            noise()

    noise()
    keys({})
    services = 0
    git = False
    for _ in range(rng.randint(0, 6)):
        kind = rng.choice(["services", "services", "imports", "teams", "git"])
        if kind == "git" and git:
            continue
        git = git or kind == "git"
        noise()
        header = "[git]" if kind == "git" else rng.choice([f"[[{kind}]]", f"[[ {kind} ]]"])
        lines.append(header + rng.choice(["", "  # entry"]))
        if kind == "services":
            services += 1
            keys({"name": f'"s{services}"'})
        else:
            keys({})
    noise()
    text = "\n".join(lines) + rng.choice(["\n", ""])
    form = rng.random()
    if form < 0.2:
        return text.replace("\n", "\r\n")
    if form < 0.3:  # mixed: each line break CRLF or LF
        return "".join(part + rng.choice(["\r\n", "\n"]) for part in text.split("\n")[:-1]) + text.split("\n")[-1]
    return text


@pytest.mark.parametrize("seed", range(300))
def test_an_entry_added_reads_back_as_the_old_document_plus_it(seed: int) -> None:
    rng = random.Random(seed)
    text = a_config(rng)
    old = tomllib.loads(text)
    written = tables(text)
    entries = [t for t in written if t.name == ("services",) and t.array]
    chunk = '[[services]]\nname = "added"\nrepo = "r"\n'
    expected = tomllib.loads(text)
    inserts = []
    if entries:  # a team filled in after the first entry's last key (first, as update.py gives them)
        inserts.append((entries[0].keys_end, 'team = "t"\n', False))
        expected["services"][0]["team"] = "t"
    inserts.append((entries[-1].end if entries else len(text), chunk, True))
    expected.setdefault("services", []).append({"name": "added", "repo": "r"})
    new = splice(text, inserts)
    assert tomllib.loads(new) == expected, (text, new)
    assert old != expected
    kept = iter(new.splitlines())
    assert all(line in kept for line in text.splitlines()), (text, new)  # every line, in order
