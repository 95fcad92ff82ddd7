"""A fuzz test of CSV imports: random exports, cut, given stray quotes and NULs, in nine encodings.

The promise under test (as in ``test_csv_hostile``): an import either stores every record of
the file, or it stops with exit status 2 and a line naming a line of the file, leaving the
database as it was.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import datetime, timezone

from dora_tui.config import load_file
from dora_tui.errors import ImportRejected, UsageError
from dora_tui.ops.imports import ImportRequest, import_file
from dora_tui.store.database import Store
from support import FIXTURES

FUZZ_HEADER = (FIXTURES / "csv" / "pagerduty.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
TITLES = [
    "Checkout down",
    "Disk full on db-7, again",
    'The "pay" button fails',
    "two\nlines",
    "crlf\r\nlines",
    "café ünïcode",
    "trailing space ",
    "a;b;c",
    "",
    "x" * 300,
]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be", "cp1252"]


def fuzz_export(rng: random.Random, case: int) -> tuple[str, list[tuple[str, int, int, int]]]:
    """A valid PagerDuty export, and each row's (id, opened_at, start, end) in the text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=rng.choice(["\n", "\r\n"]))
    writer.writerow(FUZZ_HEADER)
    spans = []
    for i in range(rng.randint(1, 25)):
        opened = 1_700_000_000 + rng.randrange(10**7)
        resolved = opened + rng.randrange(10**5) if rng.random() < 0.7 else None
        row = {name: str(rng.randrange(100)) for name in FUZZ_HEADER}
        row.update(
            id=f"c{case}-{i}",
            incident_number=str(i),
            description=rng.choice(TITLES),
            service_name=rng.choice(["checkout-api", "database", "search-svc"]),
            created_on=iso(opened),
            resolved_on=iso(resolved) if resolved else "",
            urgency=rng.choice(["high", "low"]),
        )
        start = out.tell()
        writer.writerow([row[name] for name in FUZZ_HEADER])
        spans.append((row["id"], opened, start, out.tell()))
    return out.getvalue(), spans


def iso(t: int) -> str:
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def mutate(rng: random.Random, content: str, spans: list) -> tuple[bytes, set[str], str]:
    """Damage the export after its header: (bytes, ids of the rows left whole, what was done)."""
    body = spans[0][2]
    p = rng.randrange(body, len(content) + 1)
    kind = rng.choice(["none", "truncate", "quote", "quote", "nul", "bytes"])
    encoding = rng.choice(ENCODINGS)
    before = {i for i, _, s, e in spans if e <= p}  # the row holding p is damaged; those around it not
    after = {i for i, _, s, e in spans if s > p}
    if kind == "none":
        whole = {i for i, _, _, _ in spans}
    elif kind == "truncate":
        content, whole = content[:p], before
    elif kind in ("quote", "nul"):
        content, whole = content[:p] + ('"' if kind == "quote" else "\x00") + content[p:], before | after
    try:
        data = content.encode(encoding)
    except UnicodeEncodeError:
        data, encoding = content.encode("utf-8"), "utf-8"
    if kind == "bytes":  # cut the bytes anywhere, even inside a character
        cut = rng.randrange(len(content[:body].encode(encoding)), len(data) + 1)
        data = data[:cut]
        whole = {i for i, _, s, e in spans if len(content[:e].encode(encoding)) <= cut}
    return data, whole, f"{kind} at {p} in {encoding}"


def test_fuzz_every_record_stored_or_refused_with_a_line(tmp_path, write_config, dora):
    """Seeded: random exports, cut, given stray quotes and NULs, in nine encodings. Either
    every record left whole is stored, as written, or the import stops naming a line and the
    database is unchanged."""
    rng = random.Random(9)
    write_config(tmp_path)
    config = load_file(tmp_path / "dora.toml")
    store = Store.open(tmp_path / "dora.db")
    cli_cases = []
    outcomes = {"stored": 0, "refused": 0}
    try:
        for case in range(300):
            content, spans = fuzz_export(rng, case)
            data, whole, what = mutate(rng, content, spans)
            path = tmp_path / f"export-{case}.csv"
            path.write_bytes(data)
            before = store_rows(store)
            try:
                import_file(config, store, ImportRequest("incidents", path, format="pagerduty"))
            except (ImportRejected, UsageError) as exc:
                lines = [*getattr(exc, "details", ()), str(exc)]
                assert any(
                    line.startswith(f"{path}:") and line[len(str(path)) + 1 :].split(":")[0].isdigit() for line in lines
                ), (what, lines)
                assert store_rows(store) == before, what
                outcomes["refused"] += 1
                verdict = 2
            else:
                got = {r[1]: r[2] for r in store_rows(store) if r[1].startswith(f"c{case}-")}
                want = {i: opened for i, opened, _, _ in spans if i in whole}
                assert {i: got.get(i) for i in want} == want, (what, sorted(set(want) - set(got)))
                assert len(set(got) - set(want)) <= 1, what  # at most the damaged row, as it reads now
                outcomes["stored"] += 1
                verdict = 0
            if case % 60 == 7:
                cli_cases.append((path, verdict, what))
    finally:
        store.close()
    assert outcomes["stored"] > 50 and outcomes["refused"] > 50, outcomes
    for path, verdict, what in cli_cases:  # the same verdict from the command line
        write_config(tmp_path / "cli")
        done = dora(tmp_path / "cli", "import", "incidents", str(path), "--format", "pagerduty")
        assert done.returncode == verdict, (what, done.stderr.decode())
        if verdict == 2:
            assert f"{path}:" in done.stderr.decode()


def store_rows(store: Store) -> list[tuple]:
    return [(i.source, i.id, i.opened_at, i.resolved_at, i.title, i.severity) for i in store.incidents()]
