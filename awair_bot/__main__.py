"""``python -m awair_bot``: the same as the ``awair-bot`` command."""

import sys

from awair_bot.cli import main

sys.exit(main())
