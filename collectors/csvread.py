"""Low-level reading of CSV exports: encoding, delimiter, header, records and their line numbers.

What the tools' exports do, and what is done about it:

- UTF-8 with or without a byte order mark (Excel, Azure DevOps, Jira); UTF-16 with a BOM;
  anything else that is not UTF-8 stops the import with the line it fails on;
- CRLF, LF or CR line ends; fields quoted over several lines;
- a comma, semicolon or tab delimiter (whichever the header line has most of, comma on a
  tie), and Excel's ``sep=;`` first line;
- repeated column names (Jira repeats ``Labels``, ``Sprint``, ``Components``): every
  position is kept, :class:`Header` maps a name to all of its positions;
- rows shorter than the header are padded with empty fields; blank lines are skipped.

Line numbers are physical lines of the file, the header being line 1 (or 2 after a
``sep=`` line): a record reports the line it *starts* on, however many lines its quoted
fields span.
"""

from __future__ import annotations

import codecs
import csv
import itertools
import sys
from pathlib import Path
from typing import IO, Iterator

from dora_tui.errors import InputError

_FIELD_LIMIT = min(sys.maxsize, 2**31 - 1)


def _raise_field_limit() -> None:
    # Jira descriptions and comments easily pass csv's default 128 KiB field limit.
    if csv.field_size_limit() < _FIELD_LIMIT:
        csv.field_size_limit(_FIELD_LIMIT)


def norm(name: str) -> str:
    """A column name as compared: stripped, case-folded, inner spaces collapsed."""
    return " ".join(name.replace("\ufeff", "").split()).casefold()


class Header:
    """A header row: the names as read, and each (normalised) name's positions."""

    def __init__(self, names: list[str]) -> None:
        if names:
            names[0] = names[0].lstrip("\ufeff")
        self.names = tuple(names)
        self.positions: dict[str, list[int]] = {}
        for i, name in enumerate(names):
            self.positions.setdefault(norm(name), []).append(i)

    def find(self, name: str) -> list[int]:
        """The positions of column ``name`` (compared with :func:`norm`); empty when absent."""
        return self.positions.get(norm(name), [])

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and norm(name) in self.positions

    def label(self, position: int) -> str:
        """The name of the column at ``position``, as written in the file."""
        return self.names[position].strip()


def _encoding(path: Path) -> str:
    with path.open("rb") as f:
        start = f.read(4)
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8-sig"


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


class CsvFile:
    """An open CSV export. Use as a context manager; iterate :meth:`records` once."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.label = str(path)
        _raise_field_limit()
        try:
            if self.path.is_dir():
                raise InputError(f"{self.label}: is a folder, not a CSV file")
            self.encoding = _encoding(self.path)
            self._file: IO[str] = self.path.open("r", encoding=self.encoding, newline="")
        except InputError:
            raise
        except OSError as exc:
            raise InputError(f"{self.label}: cannot read: {exc.strerror or exc}") from None
        try:
            self._open_header()
        except BaseException:
            self._file.close()
            raise

    def _open_header(self) -> None:
        f = self._file
        skip = 0
        try:
            first = f.readline()
            while first and not first.strip():
                skip += 1
                first = f.readline()
            if first.lstrip("\ufeff").lower().startswith("sep=") and len(first.strip()) == 5:
                self.delimiter = first.strip()[4]
                skip += 1
                first = ""
            else:
                self.delimiter = _delimiter(first)
        except UnicodeDecodeError as exc:
            raise self.error(exc, 0) from None
        except OSError as exc:
            raise InputError(f"{self.label}: cannot read: {exc.strerror or exc}") from None
        # Feed the line already read back in front of the rest of the file.
        lines = itertools.chain((first,), f) if first else iter(f)
        self.reader = csv.reader(lines, delimiter=self.delimiter)
        self.skip = skip
        try:
            names = next(self.reader, None)
        except UnicodeDecodeError as exc:
            raise self.error(exc, 0) from None
        except csv.Error as exc:
            raise InputError(f"{self.label}:{skip + 1}: cannot read the header: {exc}") from None
        if not names or not any(n.strip() for n in names):
            raise InputError(f"{self.label}: empty file, no header row")
        self.header = Header(names)
        self.header_line = skip + 1
        self.header_end = skip + self.reader.line_num

    @property
    def width(self) -> int:
        """The number of columns in the header."""
        return len(self.header.names)

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """(start line, fields) for each record, padded to the header's width; blank lines skipped.

        Raises InputError naming the line for text that is not UTF-8 or a CSV syntax error.
        (A hot loop may iterate :attr:`reader` itself the same way: the record starts on the
        line after the previous one ended, ``skip + reader.line_num``.)
        """
        reader = self.reader
        width = self.width
        skip = self.skip
        last = self.header_end
        pad = [""] * width
        try:
            for row in reader:
                start = last + 1
                last = skip + reader.line_num
                if len(row) != width:
                    if not row:
                        continue
                    if len(row) < width:
                        row.extend(pad[len(row):])
                yield start, row
        except (UnicodeDecodeError, csv.Error) as exc:
            raise self.error(exc, last + 1) from None

    def error(self, exc: Exception, line: int) -> InputError:
        """The InputError for a decoding or CSV syntax error met on ``line``.

        Text is decoded ahead of the CSV reader, so for a decoding error the line is found
        again from the bytes.
        """
        if isinstance(exc, UnicodeDecodeError):
            line = _undecodable_line(self.path, self.encoding) or line
            return InputError(f"{self.label}:{line}: not {self.encoding.split('-sig')[0].upper()} "
                              "text (save the export as UTF-8 CSV)")
        return InputError(f"{self.label}:{line}: cannot read CSV: {exc}")

    def tell(self) -> int:
        """Bytes of the file read so far (for a progress bar; runs ahead by a buffer)."""
        try:
            return self._file.buffer.tell()
        except (OSError, ValueError, AttributeError):
            return 0

    @property
    def size(self) -> int:
        """The file's size in bytes."""
        try:
            return self.path.stat().st_size
        except OSError:
            return 0

    def close(self) -> None:
        """Close the file."""
        self._file.close()

    def __enter__(self) -> "CsvFile":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _undecodable_line(path: Path, encoding: str) -> int | None:
    """The line (1-based) holding the first bytes that do not decode, or None."""
    decoder = codecs.getincrementaldecoder(encoding)()
    lines = 1
    try:
        with path.open("rb") as f:
            while chunk := f.read(1 << 16):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    return lines + chunk.count(b"\n", 0, max(exc.start, 0))
                lines += chunk.count(b"\n")
    except OSError:
        return None
    return None


def rows_at(path: str | Path, lines: set[int]) -> dict[int, list[str]]:
    """The fields of the records starting on ``lines`` (re-reads the file; for error reports)."""
    found: dict[int, list[str]] = {}
    if not lines:
        return found
    stop = max(lines)
    with CsvFile(path) as f:
        for start, row in f.records():
            if start in lines:
                found[start] = row
            if start >= stop:
                break
    return found
