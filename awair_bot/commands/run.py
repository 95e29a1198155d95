"""``awair-bot run``: the bot in Socket Mode, HTTP mode, or the local console."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from dataclasses import replace
from pathlib import Path

from awair_bot.output import all_settings_or_exit, database_or_exit, print_schedule_failure, setup_logging
from bot.db.engine import describe_url
from bot.db.migrate import DatabaseBehind
from bot.schedule.errors import ScheduleError
from bot.services import Services
from bot.settings import Settings, parse_settings
from handlers.discord.settings import DiscordSettings, parse_discord_settings
from handlers.slack.settings import SlackSettings, parse_slack_settings

logger = logging.getLogger("awair_bot")


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "run", help="run the bot (Socket Mode, --http, or the local console without Slack)"
    )
    parser.add_argument(
        "--http",
        action="store_true",
        help="serve Slack's HTTP requests at /slack/events and Discord's at /discord/interactions",
    )
    parser.add_argument("--port", type=int, help="HTTP port (default: $PORT or 3000)")
    parser.add_argument("--host", default="0.0.0.0", help="HTTP address to bind (default: 0.0.0.0)")
    parser.add_argument(
        "--board-port",
        type=_port,
        metavar="N",
        help="serve the lobby board (/board, /day) on port N in Socket Mode or the console "
        "(HTTP mode serves it on its own port)",
    )
    parser.add_argument(
        "--participant",
        action="store_true",
        help="in the local console, act as a participant instead of an organizer",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the bot: HTTP mode, Socket Mode, or the local console without Slack."""
    settings, slack, discord = all_settings_or_exit(
        parse_settings, parse_slack_settings, parse_discord_settings
    )
    console = not args.http and not slack.configured and not discord.configured
    # The console is for people reading answers: only warnings interrupt them (unless
    # LOG_LEVEL=DEBUG asks for everything).
    setup_logging(
        "WARNING" if console and settings.log_level != "DEBUG" else settings.log_level, settings.log_format
    )
    from awair_bot.wiring import build_services

    if discord.configured and discord.missing(args.http):
        mode = "HTTP interactions" if args.http else "the Gateway"
        print(
            f"awair-bot: Discord via {mode} needs {' and '.join(discord.missing(args.http))} "
            "(see .env.example and README 'Setting up Discord').",
            file=sys.stderr,
        )
        return 2
    if args.http and (slack.configured or not discord.configured):
        missing = slack.missing_for_http()
    elif slack.configured:
        missing = slack.missing_for_socket_mode()
    elif discord.configured:
        missing = []  # Discord alone
    else:
        missing = None  # no platform at all: the console
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
        with database_or_exit(settings.database_url):
            services = build_services(settings)
    except ScheduleError as exc:
        print_schedule_failure(
            exc,
            f"awair-bot: the schedule at {settings.schedule_url or settings.schedule_path} is invalid, "
            "so the bot won't start:",
        )
        return 1
    except DatabaseBehind as exc:
        print(f"awair-bot: {exc}", file=sys.stderr)
        return 1
    board = _start_board(args, services)
    try:
        return _run_mode(args, settings, slack, discord, services, missing)
    finally:
        if board:
            board.close()


def _start_board(args: argparse.Namespace, services):
    """The board on ``--board-port``, when asked for and not in HTTP mode (which serves it)."""
    if not args.board_port:
        return None
    if args.http:
        logger.warning("--board-port is ignored in HTTP mode: the board is at /board on the HTTP port")
        return None
    from awair_bot.board_server import BoardServer

    try:
        board = BoardServer(services, args.host, args.board_port).start()
    except OSError as exc:
        print(
            f"awair-bot: cannot serve the board on port {args.board_port}: {exc.strerror or exc}",
            file=sys.stderr,
        )
        raise SystemExit(1) from None
    print(f"awair-bot: the board is at http://{args.host}:{board.port}/board", file=sys.stderr)
    return board


def _run_mode(
    args: argparse.Namespace,
    settings: Settings,
    slack: SlackSettings,
    discord: DiscordSettings,
    services: Services,
    missing,
) -> int:
    if missing is None:
        print(
            "awair-bot: no Slack tokens set (SLACK_BOT_TOKEN with SLACK_APP_TOKEN for Socket Mode, or "
            "SLACK_SIGNING_SECRET for HTTP mode) and no DISCORD_BOT_TOKEN, so starting the local console "
            f"on {describe_url(settings.database_url)}.",
            file=sys.stderr,
        )
        return _run_console(args, settings, services)
    return _run_platforms(args, settings, slack, discord, services)


def _run_console(args: argparse.Namespace, settings: Settings, services: Services) -> int:
    """The console, with its channel printed as announcements fall due on the bot's clock
    (real time, or AWAIR_NOW's running forward)."""
    import threading

    from awair_bot.console import LOCAL_USER, PARTICIPANT, console_platform, run_console, time_hint
    from awair_bot.wiring import start_announcements
    from handlers.console.files import ConsoleFiles
    from handlers.console.poster import ConsolePoster

    if settings.log_level != "DEBUG":
        # Sessions already past at the console's first start are skipped, as they should be;
        # a line for each would bury the answers.
        logging.getLogger("bot.announcements").setLevel(logging.ERROR)
    hint = time_hint(services, services.clock.now(), settings.awair_now is not None)
    if hint:
        print(f"awair-bot: {hint}", file=sys.stderr)
    lock = threading.Lock()
    platform = console_platform(services, ConsoleFiles(Path.cwd(), sys.stdout, lock))
    announcer = start_announcements(services, platform, ConsolePoster(sys.stdout, lock))
    try:
        return run_console(services, caller=PARTICIPANT if args.participant else LOCAL_USER, lock=lock)
    finally:
        if announcer:
            announcer.shutdown(wait=False)


def _run_platforms(
    args: argparse.Namespace,
    settings: Settings,
    slack: SlackSettings,
    discord: DiscordSettings,
    services: Services,
) -> int:
    """Every configured platform on one database: Slack, Discord, or both."""
    from awair_bot.discord_run import start_discord, stop_discord
    from awair_bot.wiring import start_announcements, start_reminders, start_schedule_updates
    from handlers.slack.app import create_app
    from handlers.slack.errors import startup_failure
    from handlers.slack.pacing import SlackLimits
    from handlers.slack.poster import DM_RATE, DM_REFUSED, SlackPoster, posting_client

    if settings.public_base_url and not args.http:
        # Nothing serves /schedule.ics in Socket Mode: a link would lead nowhere.
        logger.warning(
            "PUBLIC_BASE_URL is ignored in Socket Mode: /schedule ics sends the calendar as a file"
        )
        settings = replace(settings, public_base_url=None)
        services.settings = settings
    app = announcer = reminders = None
    limits = SlackLimits()  # one share of Slack's limits for every caller in the process
    if slack.configured:
        try:
            app = create_app(slack, services, limits=limits)
        except Exception as exc:
            said = startup_failure(exc, slack.api_url)
            if said is None:
                raise
            print(f"awair-bot: {said}", file=sys.stderr)
            return 1
        announcer = start_announcements(
            services,
            services.platforms["slack"],
            SlackPoster(posting_client(slack.bot_token, slack.api_url), limits),
        )
        # Personal reminders: DMs straight to each member's id (no conversations.open first).
        reminders = start_reminders(
            services,
            services.platforms["slack"],
            SlackPoster(posting_client(slack.bot_token, slack.api_url), limits),
            DM_REFUSED,
            rate=DM_RATE,
        )
    discord_app = start_discord(services, discord) if discord.configured else None
    updates = start_schedule_updates(services)  # SCHEDULE_URL polled, or the files watched
    # A platform's restart sends SIGTERM: leave through the finally below, letting a post in
    # progress finish, rather than dying mid-post.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        if args.http:
            from awair_bot.http_server import EVENTS_PATH, make_wsgi_app, serve
            from handlers.discord.endpoint import INTERACTIONS_PATH
            from handlers.slack.request_check import SlackRequestCheck, is_write
            from handlers.web import web_routes

            port = args.port or settings.port
            checks = {EVENTS_PATH: SlackRequestCheck(slack.signing_secret or "")} if app is not None else {}
            try:
                endpoints = {INTERACTIONS_PATH: discord_app.endpoint()} if discord_app else None
                wsgi = make_wsgi_app(app, services, web_routes(services), endpoints, checks)
                serve(wsgi, args.host, port, classify=is_write)
            except OSError as exc:
                print(
                    f"awair-bot: cannot listen on {args.host}:{port}: {exc.strerror or exc} "
                    "(another program, or another bot, may have that port). Choose one with --port or PORT.",
                    file=sys.stderr,
                )
                return 1
        else:
            _connect(app, slack, discord_app)
    finally:
        if updates:
            updates.stop()
        if announcer:
            announcer.shutdown(wait=True)
        if reminders:
            reminders.shutdown(wait=True)
        stop_discord(discord_app)
    return 0


def _connect(app, slack: SlackSettings, discord_app) -> None:
    """Slack's Socket Mode and Discord's Gateway, each configured one; both block, so with
    both Discord's runs on a thread of its own."""
    import threading

    gateway = None
    if discord_app is not None:
        from handlers.discord.gateway import Gateway

        logger.info("Gateway: connecting to Discord")
        gateway = Gateway(discord_app)
        if app is None:
            gateway.run()
            return
        threading.Thread(target=gateway.run, name="discord-gateway", daemon=True).start()
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    logger.info("Socket Mode: connecting to Slack")
    SocketModeHandler(app, slack.app_token).start()


def _port(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(f"'{value}' is not a port: give a number from 1 to 65535")
    return int(value)


def _exit_on_sigterm(signum, frame) -> None:
    logger.info("SIGTERM: shutting down")
    raise SystemExit(0)
