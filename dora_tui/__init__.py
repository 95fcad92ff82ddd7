"""dora-tui: the DORA metrics per service and per team, offline, in a terminal."""

__version__ = "0.1.0"
