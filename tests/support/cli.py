"""Running the command line in the test's process, as a user's shell would see it."""

from __future__ import annotations

import pytest

from dora_tui.cli import main


def error_line(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    """The one line ``dora-tui ARGV`` prints on stderr when it refuses bad usage or input
    (exit status 2, no traceback)."""
    capsys.readouterr()
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err.strip()
