"""The floor for the load test: a bare Bolt app whose commands and Vote button only
acknowledge, under the same production server (waitress, same threads) as the bot.

    python bench/bare_server.py --port 3001     (SLACK_SIGNING_SECRET, SLACK_API_URL from the environment)
"""

from __future__ import annotations

import argparse
import os

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from waitress import serve


def make_app() -> App:
    """Bolt with the same commands as the bot, each only acknowledging."""
    app = App(
        client=WebClient(token=os.environ.get("SLACK_BOT_TOKEN"), base_url=os.environ["SLACK_API_URL"]),
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        token_verification_enabled=False,
        process_before_response=True,  # as the bot (handlers/app.py)
    )
    for command in ("/next", "/readings", "/propose", "/schedule"):
        app.command(command)(lambda ack: ack())
    app.action("unconf_vote")(lambda ack: ack())
    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    slack = SlackRequestHandler(make_app())

    def wsgi(environ, start_response):
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "application/json")])
            return [b'{"ok": true}']
        return slack(environ, start_response)

    serve(wsgi, host="127.0.0.1", port=args.port, threads=args.threads, ident="bare")


if __name__ == "__main__":
    main()
