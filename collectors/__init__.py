"""Readers of the outside world: git history and CSV exports.

Collectors yield plain frozen dataclasses (:mod:`collectors.records`); they know no SQL and
import no Textual or Rich.
"""
