"""Readers of the outside world: git history and CSV exports.

Collectors yield plain frozen dataclasses (:mod:`dora_tui.models`); they know no SQL and
import no Textual or Rich.
"""
