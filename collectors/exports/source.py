"""Where an export's bytes come from, and what text encoding they are in.

- A regular file is opened by its path for each pass over it; a pipe, ``/dev/stdin``, a
  FIFO or ``<(command)`` can be read only once, so :class:`CsvSource` reads its bytes into
  memory when it is made and every pass reads them from there.
- UTF-8 with or without a byte order mark (Excel, Azure DevOps, Jira); UTF-16 and UTF-32
  with a BOM, and without one when the header starts in ASCII (told from the NULs of its
  first bytes: :func:`encoding_of`); anything else that is not UTF-8 stops the import with
  the line it fails on (:func:`undecodable_line`).
- A zip archive (an Excel workbook saved as .xlsx) or a gzip file is no text at all: said
  so before any reading (:func:`not_text`).

:mod:`collectors.exports.reader` reads the records of a source.
"""

from __future__ import annotations

import codecs
import io
import os
import stat
from pathlib import Path

from collectors.errors import InputError


class CsvSource:
    """An export to read: the name it is shown by, and where its bytes come from.

    A regular file is opened by its path for each pass over it. Anything else (a pipe,
    ``/dev/stdin``, ``<(command)``, a FIFO) can be read only once: its bytes are read into
    memory when the source is made, and every pass reads them from there.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.label = str(path)
        self.data: bytes | None = None
        try:
            mode = os.stat(self.path).st_mode
            if stat.S_ISDIR(mode):
                raise InputError(f"{self.label}: is a folder, not a CSV file")
            if not stat.S_ISREG(mode):
                with self.path.open("rb") as f:
                    self.data = f.read()
        except OSError as exc:
            raise InputError(f"{self.label}: cannot read: {exc.strerror or exc}") from None

    @classmethod
    def of(cls, path: str | Path | CsvSource) -> CsvSource:
        """``path`` itself when it is a source already, else the source for that path."""
        return path if isinstance(path, CsvSource) else cls(path)

    def open(self) -> io.FileIO | io.BytesIO:
        """A new unbuffered binary handle on the bytes, at their start."""
        if self.data is not None:
            return io.BytesIO(self.data)
        try:
            return io.FileIO(self.path, "r")
        except OSError as exc:
            raise InputError(f"{self.label}: cannot read: {exc.strerror or exc}") from None

    @property
    def size(self) -> int:
        """The size in bytes (0 when unknown)."""
        if self.data is not None:
            return len(self.data)
        try:
            return self.path.stat().st_size
        except OSError:
            return 0


class WrongFile(InputError):
    """A file refused for what it is (an archive, not text; another format's export than the one
    named), whatever settings read it: its line says nothing of them (an import that read it
    with another file's ``[[imports]]`` entry adds no word on that entry)."""


ARCHIVES = {
    b"PK\x03\x04": "a zip archive, such as an .xlsx workbook? Save it as CSV",
    b"\x1f\x8b": "a gzip file? Decompress it first",
}
"""The first bytes of files that are not text, and what each is likely to be."""


def not_text(label: str, start: bytes) -> WrongFile | None:
    """The error for the file ``label`` beginning with ``start`` when it is an archive
    (:data:`ARCHIVES`), not text; None otherwise."""
    for magic, what in ARCHIVES.items():
        if start.startswith(magic):
            return WrongFile(f"{label}: this is not a text file ({what})")
    return None


def encoding_of(start: bytes) -> str:
    """The encoding of a file beginning with ``start`` (its first 4 bytes)."""
    if start.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(start) == 4 and b"\0" in start:
        # No byte order mark: an ASCII header leaves its NULs where the encoding puts them.
        nul = tuple(b == 0 for b in start)
        wide = {
            (False, True, True, True): "utf-32-le",
            (True, True, True, False): "utf-32-be",
            (False, True, False, True): "utf-16-le",
            (True, False, True, False): "utf-16-be",
        }
        if nul in wide:
            return wide[nul]
    return "utf-8-sig"


def undecodable_line(source: CsvSource, encoding: str) -> int | None:
    """The line (1-based) holding the first bytes of ``source`` that do not decode, or None."""
    decoder = codecs.getincrementaldecoder(encoding)()
    lines = 1
    try:
        with source.open() as f:
            while chunk := f.read(1 << 16):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    return lines + chunk.count(b"\n", 0, max(exc.start, 0))
                lines += chunk.count(b"\n")
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return lines
    except (OSError, InputError):
        return None
    return None
