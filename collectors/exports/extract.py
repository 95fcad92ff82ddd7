"""The loop over an export's records: each record's needed values, with the line it starts on.

:func:`extract` is the one pass over the file that reading an export makes (a second pass,
for the fields of bad rows only, is :meth:`collectors.exports.reader.CsvFile.rows_at`). It
keeps, for each record to import, the values the :class:`~collectors.exports.plan.Plan`
pulls out and the line the record starts on (two lists side by side: a tuple per record
holding both would cost a step per row); records that a CSV reader lets through but that
cannot be right are bad rows, kept with their fields as read (:mod:`collectors.exports.check`).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import NamedTuple

from collectors.exports import check
from collectors.exports import presets as _presets
from collectors.exports.check import Early, Records
from collectors.exports.plan import Plan
from collectors.exports.reader import CsvFile

PROGRESS_EVERY = 8192
"""Records read between two calls of the progress callback."""


class Extracted(NamedTuple):
    """What the pass over an export found.

    ``records[i]`` holds the values the plan pulls out of the i-th record to import, which
    starts on line ``lines[i]``; ``early`` the bad rows found while reading (line, reason, the
    row as read or None); ``others`` the records of other types than the kind read (formats
    that mix incidents with other work), whose dates still tell day/month order.
    """

    lines: list[int]
    records: Records
    early: Early
    others: Records


def extract(f: CsvFile, plan: Plan, progress: Callable[[int, int], None] | None) -> Extracted:
    """Read every record of ``f`` (see the module docstring).

    This is the loop over the file: it stays lean (no per-row dict, one itemgetter). An early
    error carries its row; a record whose quoting broke the reader has none (``None``), and
    its reason names the column once its fields are read again (``check.row_errors``).
    Only a record over several lines has its fields that hold no line break looked at (one
    join, in C): a line break in one is a quote left open (``check.runs_on``).
    ``progress(bytes_read, total_bytes)`` is called now and then.
    """
    width, getter, key_pos, filt, pad = f.width, plan.getter, plan.key_pos, plan.filter_pos, plan.pad
    single, single_columns, header = plan.single, plan.single_columns, f.header
    starts: list[int] = []
    recs: Records = []
    early: Early = []
    others: Records = []
    add_start, add_rec = starts.append, recs.append
    types = _presets.INCIDENT_TYPES
    total = f.size if progress else 0
    report = PROGRESS_EVERY if progress else -1  # when len(recs) reaches it, report progress
    tell = progress or _unreported
    reader, skip, last = f.reader, f.skip, f.header_end
    is_end = f.is_end
    while True:
        try:
            for row in reader:
                start = last + 1
                last = skip + reader.line_num
                if len(row) != width:
                    n = len(row)
                    if n < width:
                        if not n:
                            continue  # a blank line
                        row.extend([""] * (width - n))
                    elif n == width + 1 and is_end(row):
                        break  # the line fed after the file's last: every record was whole
                    elif any(x.strip() for x in row[width:]):
                        early.append((start, f"{n} fields, the header has {width}", row))
                        continue
                    else:
                        del row[width:]
                if pad:
                    row.append("")
                vals = getter(row)
                if last != start:  # over several lines: only free text may hold a line break
                    text = "".join(single(vals))
                    if "\n" in text or "\r" in text:
                        early.append((start, check.runs_on(header, row, start, single_columns), row[:width]))
                        continue
                if not vals[key_pos] and not any(x.strip() for x in row):
                    continue  # a record of empty fields (",,,,")
                if filt >= 0 and vals[filt].strip().casefold() not in types:
                    others.append(vals)  # not imported, but its dates tell day/month order
                    continue
                add_start(start)
                add_rec(vals)
                if len(recs) == report:
                    tell(f.tell(), total)
                    report += PROGRESS_EVERY
            else:  # the last record swallowed the line fed after the file: a quote never closed
                check.unclosed(f, row, start, (starts, recs), early, others)
            break
        except csv.Error:  # a closing quote followed by other text; read on from the next line
            start, last = last + 1, skip + reader.line_num
            early.append((start, check.broken(start, last), None))
        except UnicodeDecodeError as exc:
            raise f.error(exc, last + 1) from None
    if progress is not None:
        progress(total, total)
    return Extracted(starts, recs, early, others)


def _unreported(done: int, total: int) -> None:
    """Stands in for no progress callback (never called: see ``report``)."""
