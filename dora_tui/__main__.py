"""``python -m dora_tui``: the same as the ``dora-tui`` command."""

import sys

from dora_tui.entry import main

sys.exit(main())
