"""The configuration's public names under their former module name, for code that imports
``dora_tui.config.settings``; new code imports them from :mod:`dora_tui.config`."""

from dora_tui.config import (
    DEFAULT_REWORK_PATTERN,
    GIT_KEYS,
    IMPORT_KEYS,
    IMPORT_KINDS,
    MAX_MONTHS,
    SERVICE_KEYS,
    TOP_KEYS,
    Config,
    GitSettings,
    ImportSource,
    Pattern,
    Service,
    Team,
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
    "find_config_file",
    "load",
    "load_file",
    "parse",
    "zero_config",
]
