"""A proposal's message in the Discord channel: posted with its Vote button, edited in place."""

from __future__ import annotations

from typing import Any

from bot.commands.base import Tone
from bot.ports import PortError
from bot.unconference.text import status_text
from bot.unconference.views import ProposalView
from handlers.discord.markup import NOTHING_MENTIONED, cut, escape, fit_embed
from handlers.discord.render import BUTTON_PREFIXES, COLOURS
from handlers.discord.rest import DiscordError, DiscordRest


def proposal_message(p: ProposalView) -> dict[str, Any]:
    """The card: title, description, author and count, and Vote while it is open."""
    embed = {
        "title": cut(f"#{p.number} {escape(p.title)}", 256),
        "description": escape(p.description) if p.description else "",
        "color": COLOURS[Tone.INFO] if p.is_open else 0x99AAB5,
        "footer": {"text": f"by {p.author_name} · {status_text(p)}"},
    }
    if not embed["description"]:
        del embed["description"]
    message: dict[str, Any] = {"embeds": [fit_embed(embed)], "allowed_mentions": NOTHING_MENTIONED}
    button = {"type": 2, "style": 1, "label": "👍 Vote", "custom_id": f"{BUTTON_PREFIXES['vote']}{p.number}"}
    message["components"] = [{"type": 1, "components": [button]}] if p.is_open else []
    return message


class DiscordProposalMessages:
    """``POST /channels/{id}/messages`` and ``PATCH`` of the same message."""

    def __init__(self, rest: DiscordRest):
        self._rest = rest

    def post_proposal(self, channel: str, proposal: ProposalView) -> tuple[str, str]:
        """Post the proposal's card; returns (channel id, message id)."""
        try:
            posted = self._rest.request("POST", f"channels/{channel}/messages", proposal_message(proposal))
        except DiscordError as exc:
            raise PortError(f"discord_{exc.code or exc.status}") from None
        return channel, str(posted["id"])

    def update_proposal(self, channel: str, message_id: str, proposal: ProposalView) -> None:
        """Show the proposal as it stands now in its message."""
        try:
            self._rest.request(
                "PATCH", f"channels/{channel}/messages/{message_id}", proposal_message(proposal)
            )
        except DiscordError as exc:
            raise PortError(f"discord_{exc.code or exc.status}") from None
