"""``awair-bot``: run the bot, check a schedule, and the tools around them."""

from __future__ import annotations

import argparse
import sys

from awair_bot.commands import check, db, discord_setup, export, import_schedule, rehearse, run

SUBCOMMANDS = (run, check, db, rehearse, import_schedule, export, discord_setup)


def build_parser() -> argparse.ArgumentParser:
    """The command line's grammar: one subparser per module in ``awair_bot.commands``."""
    parser = argparse.ArgumentParser(
        prog="awair-bot", description="A Slack and Discord bot for a workshop or conference."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in SUBCOMMANDS:
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``awair-bot`` console script."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
