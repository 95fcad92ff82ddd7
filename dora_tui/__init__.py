"""dora-tui: the DORA metrics per service and per team, offline, in a terminal.

The version is written once, in ``pyproject.toml``; :func:`installed_version` (and
``dora_tui.__version__``) read it from the installed package's metadata, when asked for.
"""


def installed_version() -> str:
    """The version of the installed ``dora-tui`` package, as its metadata gives it."""
    from importlib.metadata import version  # here: reading metadata costs every other command nothing

    return version("dora-tui")


def __getattr__(name: str) -> str:
    """``__version__``, read when it is asked for (:func:`installed_version`)."""
    if name == "__version__":
        return installed_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
