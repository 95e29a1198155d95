"""``awair-bot run``: the bot in Socket Mode, HTTP mode, or the local console."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from dataclasses import replace

from awair_bot.output import print_schedule_problems, settings_or_exit, setup_logging
from bot.db.migrate import DatabaseBehind
from bot.schedule.errors import ScheduleError

logger = logging.getLogger("awair_bot")


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "run", help="run the bot (Socket Mode, --http, or the local console without Slack)"
    )
    parser.add_argument("--http", action="store_true", help="serve Slack's HTTP requests at /slack/events")
    parser.add_argument("--port", type=int, help="HTTP port (default: $PORT or 3000)")
    parser.add_argument("--host", default="0.0.0.0", help="HTTP address to bind (default: 0.0.0.0)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the bot: HTTP mode, Socket Mode, or the local console without Slack."""
    settings = settings_or_exit()
    console = not args.http and not settings.has_any_slack
    # The console is for people reading answers: only warnings interrupt them (unless
    # LOG_LEVEL=DEBUG asks for everything).
    setup_logging("WARNING" if console and settings.log_level != "DEBUG" else settings.log_level)
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
        print_schedule_problems(
            exc,
            f"awair-bot: the schedule at {settings.schedule_url or settings.schedule_path} is invalid, "
            "so the bot won't start:",
        )
        return 1
    except DatabaseBehind as exc:
        print(f"awair-bot: {exc}", file=sys.stderr)
        return 1
    if missing is None:
        from awair_bot.console import run_console

        print(
            "awair-bot: no Slack tokens set (SLACK_BOT_TOKEN with SLACK_APP_TOKEN for Socket Mode, or "
            f"SLACK_SIGNING_SECRET for HTTP mode), so starting the local console on {_where(settings.database_url)}.",
            file=sys.stderr,
        )
        return run_console(services)
    return _run_slack(args, settings, services)


def _run_slack(args: argparse.Namespace, settings, services) -> int:
    from awair_bot.wiring import start_announcements, start_schedule_updates
    from handlers.app import create_app
    from handlers.slack_poster import SlackPoster, posting_client

    if settings.public_base_url and not args.http:
        # Nothing serves /schedule.ics in Socket Mode: a link would lead nowhere.
        logger.warning(
            "PUBLIC_BASE_URL is ignored in Socket Mode: /schedule ics sends the calendar as a file"
        )
        settings = replace(settings, public_base_url=None)
        services.settings = settings
    app = create_app(settings, services)
    announcer = start_announcements(
        services, SlackPoster(posting_client(settings.slack_bot_token, settings.slack_api_url))
    )
    updates = start_schedule_updates(services)  # SCHEDULE_URL polled, or the files watched
    # A platform's restart sends SIGTERM: leave through the finally below, letting a post in
    # progress finish, rather than dying mid-post.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        if args.http:
            from awair_bot.http_server import make_wsgi_app, serve

            serve(make_wsgi_app(app, services), args.host, args.port or settings.port)
        else:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            logger.info("Socket Mode: connecting to Slack")
            SocketModeHandler(app, settings.slack_app_token).start()
    finally:
        if updates:
            updates.stop()
        if announcer:
            announcer.shutdown(wait=True)
    return 0


def _exit_on_sigterm(signum, frame) -> None:
    logger.info("SIGTERM: shutting down")
    raise SystemExit(0)


def _where(url: str) -> str:
    """The database's location without credentials, for messages."""
    if url.startswith("sqlite"):
        return "the embedded SQLite database " + url.split(":///", 1)[-1]
    return "PostgreSQL at " + url.rsplit("@", 1)[-1]
