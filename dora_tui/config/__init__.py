"""The configuration: the settings (:mod:`~dora_tui.config.model`) and how a file becomes them
(:mod:`~dora_tui.config.parse`), with the checks of its values (:mod:`~dora_tui.config.checks`)
and where things are on this machine (:mod:`~dora_tui.config.paths`).

Callers import from here: ``from dora_tui.config import Config, load``.
"""

from dora_tui.config.checks import config_folder, path_text
from dora_tui.config.model import (
    DEFAULT_REWORK_PATTERN,
    IMPORT_KINDS,
    MAX_MONTHS,
    Config,
    GitSettings,
    ImportSource,
    Pattern,
    Service,
    Team,
)
from dora_tui.config.parse import (
    GIT_KEYS,
    IMPORT_KEYS,
    SERVICE_KEYS,
    TOP_KEYS,
    find_config_file,
    load,
    load_file,
    parse,
    zero_config,
)

__all__ = [
    "DEFAULT_REWORK_PATTERN",
    "GIT_KEYS",
    "IMPORT_KEYS",
    "IMPORT_KINDS",
    "MAX_MONTHS",
    "SERVICE_KEYS",
    "TOP_KEYS",
    "Config",
    "GitSettings",
    "ImportSource",
    "Pattern",
    "Service",
    "Team",
    "config_folder",
    "find_config_file",
    "load",
    "load_file",
    "parse",
    "path_text",
    "zero_config",
]
