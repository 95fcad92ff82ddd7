"""The records of a CSV export: delimiter, header, records and the lines they start on.

What the tools' exports do, and what is done about it (the bytes and their encoding:
:mod:`collectors.exports.source`):

- text that is not UTF-8 (nor UTF-16/32 with a BOM) is read again as Windows-1252
  (:class:`NotUtf8`; Excel's "CSV" on a Western Windows), which the import says; bytes
  that are not Windows-1252 either stop it, naming the line;
- CRLF, LF or CR line ends; fields quoted over several lines; quoting is read strictly: a
  quote that opens a field and is never closed (the field would run to the end of the file),
  and a closing quote followed by other text (an unclosed or undoubled quote), are each a bad
  row with its line, never a field that silently swallows the records after it;
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

import csv
import io
import itertools
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from collectors.errors import InputError
from collectors.exports.source import CsvSource, encoding_of, not_text, undecodable_line

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


# What the reader is fed after the file's last line. After a whole record it reads as a row
# of its own, ending [..., _END_QUOTED, _END]; inside a quoted field that was never closed,
# its quote closes the field (which then ends with the line's text up to _END_TEXT) and
# _END follows as one more field. Either way no error, and the last row tells which. Its text
# is of private-use characters alone: no delimiter Excel's `sep=` line may name (a space, a
# colon) splits it.
_END_TEXT = "\ue000\ue002\ue003"
_END_QUOTED = _END_TEXT + '"'
_END = "\ue001"


def unclosed_reason(column: str, end: int) -> str:
    """Why a record whose quote opened in ``column`` and ran to the end of the file is bad."""
    return f"a quote opened in {column} is never closed (the field runs to the end of the file, line {end})"


def delimiter_of(first_line: str) -> str:
    """The delimiter of a header line: the comma, semicolon or tab it has most of, comma on a
    tie (and with none)."""
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def excel_delimiter(line: str) -> str | None:
    """The delimiter Excel's first line ``sep=X`` names (``sep=;``, ``SEP=|``: any one
    character, a tab or a space too: only the line's end is dropped before it, and spaces or
    tabs after another character), or None when ``line`` is not such a line."""
    text = line.lstrip("\ufeff").rstrip("\r\n")
    if text[:4].lower() != "sep=":
        return None
    named = text[4:] if len(text) == 5 else text[4:].rstrip(" \t")
    return named if len(named) == 1 else None


class CsvFile:
    """An open CSV export. Use as a context manager; iterate :attr:`reader` (or
    :meth:`records`) once; :meth:`rows_at` goes over it again."""

    header: Header
    """The header row (read when the file is opened)."""

    def __init__(self, source: str | Path | CsvSource, encoding: str = "") -> None:
        self.source = CsvSource.of(source)
        self.path = self.source.path
        self.label = self.source.label
        _raise_field_limit()
        raw = self.source.open()
        try:
            start = raw.read(4)
            self.encoding = encoding or encoding_of(start)
            raw.seek(0)
        except OSError as exc:
            raw.close()
            raise InputError(f"{self.label}: cannot read: {exc.strerror or exc}") from None
        archive = not_text(self.label, start)
        if archive is not None:
            raw.close()
            raise archive
        self._bytes = _Watched(raw)
        self._file = io.TextIOWrapper(self._bytes, encoding=self.encoding, newline="")
        # Fewer, larger reads. (A CPython attribute that typeshed does not declare.)
        self._file._CHUNK_SIZE = 1 << 16  # type: ignore[attr-defined]
        self._end_width = 1  # the end line's width: the header's, once it is read
        self._captured: list[str] | None = None
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
            excel = excel_delimiter(first)
            if excel is not None:
                self.delimiter = excel
                skip += 1
                first = ""
            else:
                self.delimiter = delimiter_of(first)
        except UnicodeDecodeError as exc:
            raise self.error(exc, 0) from None
        except OSError as exc:
            raise InputError(f"{self.label}: cannot read: {exc.strerror or exc}") from None
        if "\0" in first:
            raise InputError(
                f"{self.label}:{skip + 1}: the header holds NUL bytes: not UTF-8 text, "
                "likely UTF-16 or UTF-32 without a byte order mark (save the export "
                "as UTF-8 CSV)"
            )
        # Feed the line already read back in front of the rest of the file, and the end line after it.
        lines: Iterable[str] = itertools.chain((first,) if first else (), f, self._end())
        if self._captured is not None:
            lines = _captured(lines, self._captured)
        self._end_width = 1
        self.reader = csv.reader(lines, delimiter=self.delimiter, strict=True)
        self.skip = skip
        try:
            names = next(self.reader, None)
        except UnicodeDecodeError as exc:
            raise self.error(exc, 0) from None
        except csv.Error as exc:
            raise InputError(f"{self.label}:{skip + 1}: cannot read the header: {_why(exc)}") from None
        if names and names[-1] == _END:
            if names[-2:-1] != [_END_QUOTED]:
                end = skip + self.reader.line_num - 1
                raise InputError(
                    f"{self.label}:{skip + 1}: cannot read the header: "
                    + unclosed_reason(f"column {len(names) - 1}", end)
                )
            names = None  # only the end line: an empty file
        if not names or not any(n.strip() for n in names):
            raise InputError(f"{self.label}: empty file, no header row")
        self.header = Header(names)
        self._end_width = len(self.header.names)
        self.header_end = skip + self.reader.line_num

    @property
    def nul_possible(self) -> bool:
        """Whether a NUL byte may be in the text read so far: one was read (UTF-8), or the
        encoding is one whose every ASCII character holds some (UTF-16, UTF-32)."""
        return self._bytes.nul or not self.encoding.startswith("utf-8")

    def _end(self) -> Iterator[str]:
        """The end line (see ``_END``), as wide as the header (read by then, unless the header
        itself holds the quote that is never closed)."""
        width = self._end_width
        yield self.delimiter * (width - 1) + _END_QUOTED + self.delimiter + _END + "\n"

    def is_end(self, row: list[str]) -> bool:
        """Whether ``row`` is the end line: the file's last record was whole."""
        return row[-1] == _END and row[-2] == _END_QUOTED

    def unclosed(self, row: list[str]) -> tuple[int, int]:
        """For a last record that swallowed the end line (a quote never closed): strip what the
        end line added to ``row`` (padding it to the header's width again) and return the
        position of the column whose quote is open and the file's last line."""
        j = len(row) - 1 - row[::-1].index(_END)
        del row[j:]
        row[-1] = row[-1][: -len(self.delimiter * (self.width - 1) + _END_TEXT)]
        if len(row) < self.width:
            row.extend([""] * (self.width - len(row)))
        return j - 1, self.skip + self.reader.line_num - 1

    @property
    def width(self) -> int:
        """The number of columns in the header."""
        return len(self.header.names)

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """(start line, fields) for each record, padded to the header's width; blank lines skipped.

        Records as the import reads them: a record whose quoting breaks (a closing quote
        followed by other text) comes with the fields a lenient reader makes of its lines
        (when :meth:`rows_at` keeps them); a last record whose quote is never closed, without
        what the reader appended to it. Raises InputError naming the line for text that is
        not UTF-8. (A hot loop may iterate :attr:`reader` itself: a record starts on the line
        after the previous one ended, ``skip + reader.line_num``; see
        :func:`collectors.exports.extract.extract`.)
        """
        reader = self.reader
        width = self.width
        skip = self.skip
        last = self.header_end
        captured = self._captured
        if captured is not None:
            del captured[:]
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError as exc:
                raise self.error(exc, last + 1) from None
            except csv.Error:
                row = next(csv.reader(captured or (), delimiter=self.delimiter), [])
            start = last + 1
            last = skip + reader.line_num
            if captured is not None:
                del captured[:]
            if not row:
                continue
            if row[-1] == _END:
                if len(row) > 1 and self.is_end(row):
                    return
                self.unclosed(row)
            if len(row) < width:
                row.extend([""] * (width - len(row)))
            yield start, row

    def rows_at(self, lines: set[int]) -> dict[int, list[str]]:
        """The fields of the records starting on ``lines`` (for bad rows' reports), from a
        second pass over the same open file (or the bytes of a pipe)."""
        found: dict[int, list[str]] = {}
        if not lines:
            return found
        stop = max(lines)
        self._file.seek(0)
        self._captured = []
        self._open_header()
        for start, row in self.records():
            if start in lines:
                found[start] = row
            if start >= stop:
                break
        return found

    def error(self, exc: Exception, line: int) -> InputError:
        """The InputError for a decoding or CSV syntax error met on ``line``.

        Text is decoded ahead of the CSV reader, so for a decoding error the line is found
        again from the bytes.
        """
        if isinstance(exc, UnicodeDecodeError):
            line = undecodable_line(self.source, self.encoding) or line
            name = self.encoding.split("-sig")[0].upper()
            if self.encoding == "utf-8-sig":
                return NotUtf8(f"{self.label}:{line}: not {name} text (save the export as UTF-8 CSV)", line)
            if self.encoding == WINDOWS_1252:
                name = "UTF-8 or Windows-1252"
            return InputError(f"{self.label}:{line}: not {name} text (save the export as UTF-8 CSV)")
        return InputError(f"{self.label}:{line}: cannot read CSV: {_why(exc)}")

    def tell(self) -> int:
        """Bytes of the file read so far (for a progress bar; runs ahead by a buffer)."""
        try:
            return self._file.buffer.tell()
        except (OSError, ValueError, AttributeError):
            return 0

    @property
    def size(self) -> int:
        """The file's size in bytes."""
        return self.source.size

    def close(self) -> None:
        """Close the file."""
        self._file.close()

    def __enter__(self) -> CsvFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


WINDOWS_1252 = "cp1252"
"""The encoding a CSV export that is not UTF-8 is read in: Excel's "CSV" on a Western Windows."""


class NotUtf8(InputError):
    """A CSV export whose bytes are not UTF-8 (``line``: the first line that is not): the
    reader tries it again as Windows-1252 (:func:`collectors.exports.read.read_export`)."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class _Watched(io.BufferedReader):
    """A buffered binary file that notes whether any NUL byte went through it (one test per
    chunk read, in C: checking every field for one would cost a pass over all of them)."""

    nul = False

    def read1(self, size: int = -1) -> bytes:
        """As :meth:`io.BufferedReader.read1`, noting a NUL byte."""
        chunk = super().read1(size)
        if not self.nul and b"\0" in chunk:
            self.nul = True
        return chunk

    def read(self, size: int | None = -1) -> bytes:
        """As :meth:`io.BufferedReader.read`, noting a NUL byte."""
        chunk = super().read(size)
        if not self.nul and b"\0" in chunk:
            self.nul = True
        return chunk


def _captured(lines: Iterable[str], into: list[str]) -> Iterator[str]:
    """``lines``, each also appended to ``into`` (which the caller empties after each record)."""
    for line in lines:
        into.append(line)
        yield line


def _why(exc: Exception) -> str:
    """A csv module error in words."""
    text = str(exc)
    if "expected after" in text:
        return "a quote inside a quoted field is not doubled (a closing quote is followed by other text)"
    return text
