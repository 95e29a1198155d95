"""``awair-bot``: run the bot, check a schedule, and the tools around them."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from bot.schedule.errors import ScheduleError
from bot.schedule.loader import load_schedule
from bot.settings import Settings, SettingsError, load_settings

logger = logging.getLogger("awair_bot")


def _setup_logging(level: str) -> None:
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    # slack_sdk logs request bodies at DEBUG; keep it quieter than our own DEBUG.
    logging.getLogger("slack_sdk").setLevel(max(logging.INFO, logging.getLevelName(level)))


def _settings_or_exit() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        print("awair-bot: some settings need fixing (see .env.example):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        raise SystemExit(2) from None


def _print_schedule_problems(exc: ScheduleError, heading: str) -> None:
    print(heading, file=sys.stderr)
    for problem in exc.problems:
        print(f"  {problem}", file=sys.stderr)


def cmd_check(args: argparse.Namespace) -> int:
    """Validate a schedule; exit 1 with every located problem, no traceback."""
    path = Path(args.path) if args.path else _settings_or_exit().schedule_path
    try:
        workshop = load_schedule(path)
    except ScheduleError as exc:
        n = len(exc.problems)
        _print_schedule_problems(exc, f"{path}: {n} problem{'s' if n != 1 else ''}:")
        return 1
    for warning in workshop.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(
        f"{path}: OK: {workshop.name}, {len(workshop.sessions)} sessions over {len(workshop.days)} days, "
        f"{len(workshop.readings)} readings, time zone {workshop.timezone.key}."
    )
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """Run the bot: HTTP mode, Socket Mode, or the local console without Slack."""
    settings = _settings_or_exit()
    _setup_logging(settings.log_level)
    from awair_bot.wiring import build_services

    if args.http:
        missing = settings.missing_for_http()
    elif settings.has_any_slack:
        missing = settings.missing_for_socket_mode()
    else:
        missing = None  # no Slack at all: the console
    if missing:
        mode = "HTTP mode" if args.http else "Socket Mode"
        print(
            f"awair-bot: {mode} needs {' and '.join(missing)} (see .env.example and README 'Setting up Slack').",
            file=sys.stderr,
        )
        if not args.http:
            print(
                "  For HTTP mode instead, set SLACK_SIGNING_SECRET and run: awair-bot run --http",
                file=sys.stderr,
            )
        return 2
    try:
        services = build_services(settings)
    except ScheduleError as exc:
        _print_schedule_problems(
            exc, f"awair-bot: the schedule at {settings.schedule_path} is invalid, so the bot won't start:"
        )
        return 1
    if missing is None:
        from awair_bot.console import run_console

        print(
            "awair-bot: no Slack tokens set (SLACK_BOT_TOKEN with SLACK_APP_TOKEN for Socket Mode, or "
            "SLACK_SIGNING_SECRET for HTTP mode), so starting the local console instead.",
            file=sys.stderr,
        )
        return run_console(services)
    from handlers.app import create_app

    app = create_app(settings, services)
    if args.http:
        from awair_bot.http_server import make_wsgi_app, serve

        serve(make_wsgi_app(app, services), args.host, args.port or settings.port)
        return 0
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    logger.info("Socket Mode: connecting to Slack")
    SocketModeHandler(app, settings.slack_app_token).start()
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command line's grammar."""
    parser = argparse.ArgumentParser(prog="awair-bot", description="A Slack bot for a small workshop.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = sub.add_parser("run", help="run the bot (Socket Mode, --http, or the local console without Slack)")
    run.add_argument("--http", action="store_true", help="serve Slack's HTTP requests at /slack/events")
    run.add_argument("--port", type=int, help="HTTP port (default: $PORT or 3000)")
    run.add_argument("--host", default="0.0.0.0", help="HTTP address to bind (default: 0.0.0.0)")
    run.set_defaults(func=cmd_run)
    check = sub.add_parser("check", help="validate a schedule folder or file")
    check.add_argument(
        "path", nargs="?", help="schedule folder or file (default: $SCHEDULE_PATH or schedule_data)"
    )
    check.set_defaults(func=cmd_check)
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
