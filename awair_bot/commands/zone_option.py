"""``--timezone`` for the commands that read a schedule: the same as ``SCHEDULE_TIMEZONE``."""

from __future__ import annotations

import argparse
import sys
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.settings import SettingsError, load_settings


def add_timezone_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--timezone ZONE`` to a subcommand."""
    parser.add_argument(
        "--timezone",
        metavar="ZONE",
        help="the schedule's time zone, an IANA name such as Europe/Berlin: for files that name "
        "none, or name a wrong one (default: $SCHEDULE_TIMEZONE)",
    )


def timezone_of(args: argparse.Namespace) -> ZoneInfo | None:
    """The zone ``--timezone`` names, else ``SCHEDULE_TIMEZONE``; exits 2 on a name that is no zone."""
    if args.timezone:
        try:
            return ZoneInfo(args.timezone.strip())
        except (ZoneInfoNotFoundError, ValueError, OSError):  # "America" is a folder of zones
            print(
                f"awair-bot: --timezone '{args.timezone}' is not a time zone; use an IANA name such "
                "as Europe/Berlin or America/New_York.",
                file=sys.stderr,
            )
            raise SystemExit(2) from None
    try:
        return load_settings().schedule_timezone
    except SettingsError:
        # Checking a file needs no other setting to be right; `run` reports them all.
        return None
