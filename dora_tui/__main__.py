"""``python -m dora_tui``: the same as the ``dora-tui`` command."""

import sys

from .entry import main

sys.exit(main())
