"""The Vote button: the core toggles the clicker's vote; the answer goes to them privately."""

from __future__ import annotations

from slack_bolt import App

from bot.platforms import Platform
from bot.services import Services
from handlers.slack.caller import run_click
from handlers.slack.render import render
from handlers.slack.render.unconf import VOTE_ACTION
from handlers.slack.settings import SlackSettings


def register(app: App, services: Services, platform: Platform, settings: SlackSettings) -> None:
    @app.action(VOTE_ACTION)
    def handle_vote(ack, body, action, respond):
        answer = run_click(services, platform, settings, body, action, "vote")
        ack()
        # The answer goes out through response_url after the click's HTTP response: a round
        # trip to Slack must not hold up the acknowledgement.
        services.later(respond, {**render(answer.outcome), "replace_original": False})
        answer.start(services)
