"""Which ``[[imports]]`` entry's settings read an export (README, ``dora-tui import``: Settings).

A file named by an entry is read with that entry's settings. Any other file (next month's
export under a new name) takes every setting of the one entry of the same kind whose file is
in the same format (its ``format``, else its file's header or, for JSON, its items); with no
such entry, or several, the maps of every entry of that kind, and the format's own name as
the source (:func:`settings_for`).
"""

from __future__ import annotations

from pathlib import Path

from collectors.exports.read import CsvSource
from dora_tui.config import Config, ImportSource
from dora_tui.ops import deploy_exports


def settings_for(
    config: Config,
    kind: str,
    file: Path,
    format: str | None = None,
    *,
    export: CsvSource | None = None,
    formats: EntryFormats | None = None,
) -> ImportSource:
    """The settings for importing ``file`` as ``kind`` (see the module docstring).

    The ``[[imports]]`` entry for ``file``; else, with ``file`` in the same format as the
    file of exactly one entry of ``kind``, that entry (whose ``file`` then differs); else
    one merging the maps of every entry of ``kind``. ``format``: the format named on the
    command line (default: detected from the header). ``export``: ``file`` as the import
    reads it, so that a pipe's header is read from the bytes read once, not from the pipe.
    ``formats``: the entries' formats, each read once for the whole import.
    """
    own = entry_of(config, kind, file)
    if own is not None:
        return own
    formats = formats or EntryFormats()
    resolved = file.resolve()
    entries = [source for source in config.imports if source.kind == kind]
    # This file's format, per entry's `columns` (its header read once each).
    mine: dict[tuple[tuple[str, str], ...], str | None] = {}

    def format_with(columns: dict[str, str]) -> str | None:
        key = tuple(sorted(columns.items()))
        if key not in mine:
            mine[key] = deploy_exports.export_format(export or resolved, kind, format or "auto", columns)
        return mine[key]

    same = [source for source in entries if (fmt := formats(source)) is not None and fmt == format_with(source.columns)]
    if len(same) == 1:
        return same[0]
    service_map: dict[str, str] = {}
    team_map: dict[str, str] = {}
    for source in entries:
        service_map.update(source.service_map)
        team_map.update(source.team_map)
    return ImportSource(kind=kind, file=resolved, service_map=service_map, team_map=team_map)


def entry_of(config: Config, kind: str, file: Path) -> ImportSource | None:
    """The ``[[imports]]`` entry of ``kind`` whose ``file`` is ``file``, or None: its settings,
    its ``format`` first, read the file however it is imported (alone, or with ``--all``)."""
    resolved = file.resolve()
    return next((s for s in config.imports if s.kind == kind and s.file == resolved), None)


class EntryFormats:
    """The format of each ``[[imports]]`` entry: its ``format``, else its file's header (None:
    unknown), each read once for one import."""

    def __init__(self) -> None:
        self.known: dict[int, str | None] = {}

    def __call__(self, source: ImportSource) -> str | None:
        """The format of ``source``."""
        if source.index not in self.known:
            self.known[source.index] = deploy_exports.export_format(
                source.file, source.kind, source.format, source.columns
            )
        return self.known[source.index]


def unmatched(config: Config, kind: str, settings: ImportSource, formats: EntryFormats) -> tuple[Path, ...]:
    """Entries of ``kind`` that an export read without any entry's settings could not be
    compared with: no ``format`` named, and a file that cannot be read."""
    if settings in config.imports:
        return ()
    return tuple(s.file for s in config.imports if s.kind == kind and formats(s) is None)
