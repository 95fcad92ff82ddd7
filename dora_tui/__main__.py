"""``python -m dora_tui``: the same as the ``dora-tui`` command."""

import sys

from .cli import main

sys.exit(main())
