"""CSV exports of incidents, tickets and deployments: read into rows, bad rows named by line.

The public names, for ``dora_tui`` and the tests (everything else is this package's own):

- :mod:`collectors.exports.read`: :func:`~collectors.exports.read.read_export` (its
  docstring lists the stages a read goes through), :class:`~collectors.exports.read.ImportResult`,
  :class:`~collectors.exports.read.RowError`, :func:`~collectors.exports.read.file_format`,
  :func:`~collectors.exports.read.gc_paused`, ``PRESETS``, ``KINDS``, and, from the modules
  below, ``ReadSettings`` and ``CsvSource``;
- :mod:`collectors.exports.settings`: :class:`~collectors.exports.settings.ReadSettings`,
  every setting of one read;
- :mod:`collectors.exports.source`: :class:`~collectors.exports.source.CsvSource`, a file or
  a pipe read once;
- :mod:`collectors.exports.presets`: the formats (``PRESETS``, ``GENERIC_KEYS``, ``lookup``,
  ``detect`` a header's format, ``severity_level``,
  ``DEFAULT_UNPLANNED_TYPES``, ``DEFAULT_UNPLANNED_LABELS``), for checking a configuration;
- :mod:`collectors.exports.date_formats`: ``format_problem``, for checking a ``date_format``
  where it is given;
- :mod:`collectors.exports.dates`: ``read_one``, ``parse_offset``, ``Localizer``,
  ``suggest_format``: single values.

Importing this package loads none of its modules: a configuration that checks a format
name does not load the readers.
"""
