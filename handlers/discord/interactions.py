"""What an interaction gets: a command run and rendered, a button clicked, autocomplete
choices. The same for both ways of connecting (the Gateway hands its interactions here too):
``handle(interaction)`` returns the interaction response Discord expects.

Anything that may take longer than Discord's 3 seconds (planning, a reload) is deferred,
then its answer edits the "thinking…" message.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from bot.commands.base import SORRY, Access, Arguments, NotAllowed, Notice, Tone, Usage, word_of
from bot.commands.runner import COMMANDS, Answer, answered_already, run_button, run_command
from bot.commands.vote import BUTTON_PROBLEM
from bot.platforms import Platform
from bot.services import Services
from handlers.discord import commands
from handlers.discord.caller import caller_of
from handlers.discord.markup import NOTHING_MENTIONED, escape
from handlers.discord.render import BUTTON_PREFIXES, EPHEMERAL, SHARE_PREFIX, render, share_row
from handlers.discord.rest import DiscordError, DiscordRest
from handlers.discord.settings import SNOWFLAKE, DiscordSettings
from handlers.rendered import RenderedReplies

logger = logging.getLogger(__name__)

PING, COMMAND, COMPONENT, AUTOCOMPLETE = 1, 2, 3, 4
PONG, MESSAGE, DEFERRED, UPDATE, CHOICES = 1, 4, 5, 7, 8
ONLY_IN_SERVER = "The bot's commands work in the workshop's server."
NOT_SHARED = "Sorry, I couldn't share that answer."
# Commands and first words whose work may outlast Discord's 3 seconds.
SLOW = {("unconf", "plan"), ("unconf", "publish"), ("unconf", "export"), ("awair", "reload")}
SLOW_COMMANDS = {name for name, _ in SLOW}


class Malformed(ValueError):
    """A signed interaction that is not one Discord sends."""


class Interactions:
    """Answers Discord's interactions for one server."""

    def __init__(self, services: Services, platform: Platform, settings: DiscordSettings, rest: DiscordRest):
        self.services = services
        self.platform = platform
        self.settings = settings
        self.rest = rest
        self.rendered = RenderedReplies()

    def handle(self, interaction: Any) -> dict[str, Any] | str:
        """The interaction response for ``interaction`` (a dict, or as JSON text made before);
        ``Malformed`` for a payload Discord would never send."""
        if not isinstance(interaction, dict) or not isinstance(interaction.get("type"), int):
            raise Malformed("no interaction type")
        kind = interaction["type"]
        if kind == PING:
            return {"type": PONG}
        data = interaction.get("data")
        if kind not in (COMMAND, COMPONENT, AUTOCOMPLETE) or not isinstance(data, dict):
            raise Malformed(f"interaction type {kind}")
        caller = caller_of(interaction, self.settings)
        if kind == AUTOCOMPLETE:
            return {"type": CHOICES, "data": {"choices": self._choices(data) if caller else []}}
        if caller is None:
            logger.info("interaction from outside the server or without a member")
            return _private(Notice(ONLY_IN_SERVER, Tone.REFUSED))
        if kind == COMMAND:
            return self._command(interaction, data, caller)
        return self._component(interaction, data, caller)

    # -- commands -------------------------------------------------------------------------

    def _command(self, interaction: dict[str, Any], data: dict[str, Any], caller) -> dict[str, Any] | str:
        name = str(data.get("name") or "")
        command = COMMANDS.get(name)
        if command is None:
            return _private(Notice(f"I don't know `/{escape(name[:40])}`.", Tone.REFUSED))
        text = commands.command_arguments(name, data.get("options"))
        if command.same_for_everyone:
            # The same for everyone this half minute, and nothing told later: its JSON is
            # made once (see handlers/rendered).
            answer = answered_already(self.services, name, text) or run_command(
                self.services, self.platform, caller, name, text
            )
            made = self.rendered.json(
                answer.outcome,
                (name, text),
                lambda: {"type": MESSAGE, "data": self._reply(answer, name, text)},
            )
            answer.start(self.services)
            return made
        if name in SLOW_COMMANDS and self._defer(interaction, name, text, caller):
            return {"type": DEFERRED, "data": {"flags": EPHEMERAL}}
        answer = run_command(self.services, self.platform, caller, name, text, self._teller(interaction))
        response = {"type": MESSAGE, "data": self._reply(answer, name, text)}
        answer.start(self.services)
        return response

    def _defer(self, interaction: dict[str, Any], name: str, text: str | Arguments, caller) -> bool:
        """Start slow work off the request, for a caller who may run it; its answer will edit
        the "thinking…" message."""
        first = word_of(text)
        access, _ = COMMANDS[name].access_for(text)
        may = access is not Access.ORGANIZER or caller.is_organizer
        if (name, first) not in SLOW or not may or _webhook_path(interaction) is None:
            return False
        self.services.later(self._finish, interaction, name, text, caller)
        return True

    def _finish(self, interaction: dict[str, Any], name: str, text: str | Arguments, caller) -> None:
        answer = run_command(self.services, self.platform, caller, name, text, self._teller(interaction))
        self._webhook("PATCH", interaction, "/messages/@original", self._reply(answer, name, text))
        answer.start(self.services)

    def _reply(self, answer: Answer, name: str, text: str | Arguments) -> dict[str, Any]:
        try:
            message = render(answer.outcome)
        except Exception:
            logger.exception("rendering /%s failed", name)
            return render(Notice(SORRY, Tone.PROBLEM))
        shareable = COMMANDS[name].shareable and not isinstance(answer.outcome, (Notice, Usage, NotAllowed))
        # A Share button carries the command's text; the shareable commands take text.
        if shareable and isinstance(text, str):
            message["components"] = [*message.get("components", [])[:4], share_row(name, text)]
        return message

    def _teller(self, interaction: dict[str, Any]):
        def tell(outcome: Any) -> None:
            self._webhook("POST", interaction, "", render(outcome))

        return tell

    def _webhook(self, method: str, interaction: dict[str, Any], tail: str, body: dict[str, Any]) -> None:
        token = str(interaction.get("token") or "")
        if not self.settings.application_id or not token:
            return
        try:
            self.rest.request(
                method, f"webhooks/{self.settings.application_id}/{token}{tail}", body, auth=False
            )
        except DiscordError as exc:
            logger.warning("answering interaction %s failed: %s", str(interaction.get("id"))[:25], exc)

    # -- buttons --------------------------------------------------------------------------

    def _component(self, interaction: dict[str, Any], data: dict[str, Any], caller) -> dict[str, Any]:
        custom_id = str(data.get("custom_id") or "")[:100]
        if custom_id.startswith(SHARE_PREFIX):
            return self._share(custom_id[len(SHARE_PREFIX) :], caller)
        for button, prefix in BUTTON_PREFIXES.items():
            if custom_id.startswith(prefix):
                answer = run_button(
                    self.services,
                    self.platform,
                    caller,
                    button,
                    custom_id[len(prefix) :],
                    self._teller(interaction),
                )
                response = _private(answer.outcome)
                message = interaction.get("message")
                if (
                    button == "vote"
                    and isinstance(message, dict)
                    and int(message.get("flags") or 0) & EPHEMERAL
                ):
                    # A vote from one's own list updates that list in place.
                    response["type"] = UPDATE
                answer.start(self.services)
                return response
        logger.warning("a button with an unknown custom_id from %s", caller.key)
        return _private(Notice(BUTTON_PROBLEM, Tone.PROBLEM))

    def _share(self, value: str, caller) -> dict[str, Any]:
        name, _, args = value.partition(":")
        command = COMMANDS.get(name)
        if command is None or not command.shareable:
            logger.warning("share button with an unusable value from %s", caller.key)
            return _private(Notice(NOT_SHARED, Tone.PROBLEM))
        outcome = run_command(self.services, self.platform, caller, name, args).outcome
        if isinstance(outcome, (Usage, Notice, NotAllowed)):
            return _private(Notice(NOT_SHARED, Tone.PROBLEM))
        shared = render(outcome)
        shared.pop("flags", None)
        shared.pop("components", None)
        # Names the sharer; allowed_mentions keeps the mention from pinging them.
        shared["content"] = f"Shared by <@{caller.user_id}>"
        shared["allowed_mentions"] = NOTHING_MENTIONED
        return {"type": MESSAGE, "data": shared}

    # -- autocomplete ---------------------------------------------------------------------

    def _choices(self, data: dict[str, Any]) -> list[dict[str, Any]]:
        asked = commands.focused(data.get("options"))
        if asked is None:
            return []
        option, typed = asked
        workshop = self.services.workshop
        try:
            if option == "day":
                return commands.day_choices(workshop, typed)
            if option == "words":
                return commands.room_choices(workshop, typed)
            if option in ("proposal", "from", "into"):
                with self.services.session() as db:
                    return commands.proposal_choices(db, typed)
        except Exception:
            logger.warning("autocomplete for %s failed", option, exc_info=True)
        return []


def _webhook_path(interaction: dict[str, Any]) -> str | None:
    """The interaction's webhook (its follow-ups and the edit of a deferred answer)."""
    app_id, token = str(interaction.get("application_id") or ""), str(interaction.get("token") or "")
    if not SNOWFLAKE.fullmatch(app_id) or not re.fullmatch(r"[A-Za-z0-9_.\-]{1,500}", token):
        return None
    return f"webhooks/{app_id}/{token}"


def _private(outcome: Any) -> dict[str, Any]:
    return {"type": MESSAGE, "data": render(outcome)}
