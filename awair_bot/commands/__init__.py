"""One module per ``awair-bot`` subcommand, each with ``add_parser(subparsers)``."""
