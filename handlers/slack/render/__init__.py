"""Every outcome of the core as a Slack reply: Block Kit with its plain-text fallback.

``render(outcome)`` picks the renderer by the outcome's type; each module here owns one
family of answers and lists its renderers in its ``RENDERERS``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from handlers.slack.render import announce, answers, mine, plans, reload, reply, unconf
from handlers.slack.render.reply import Reply

_BY_TYPE: dict[type, Callable[[Any], Reply]] = {
    **reply.RENDERERS,
    **answers.RENDERERS,
    **announce.RENDERERS,
    **reload.RENDERERS,
    **unconf.RENDERERS,
    **plans.RENDERERS,
    **mine.RENDERERS,
}


def render(outcome: Any) -> Reply:
    """The Slack reply for any outcome the core returns."""
    renderer = _BY_TYPE.get(type(outcome))
    if renderer is None:
        raise TypeError(f"no Slack renderer for {type(outcome).__name__}")
    return renderer(outcome)
