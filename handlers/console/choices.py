"""Buttons as numbered choices: the console offers what Slack shows as buttons under an
answer (Vote, Publish), and a reply of the choice's number clicks it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.commands.proposals import MyProposals, OpenProposals
from bot.commands.propose import Proposed
from bot.commands.unconf import Draft
from bot.commands.vote import Voted
from bot.my_agenda.view import MyDay
from bot.whats_next import NextAnswer

MAX_CHOICES = 9


@dataclass(frozen=True)
class Choice:
    """One button: what it says, the core's button it clicks, and the value it carries."""

    label: str
    button: str
    value: str


def choices_for(outcome: Any) -> tuple[Choice, ...]:
    """The buttons Slack would show under ``outcome``, in order."""
    found: list[Choice] = []
    match outcome:
        case OpenProposals() if outcome.closed is None:
            for p in outcome.proposals:
                verb = "Take back your vote for" if p.number in outcome.voted else "Vote for"
                found.append(Choice(f"{verb} #{p.number}", "vote", str(p.number)))
        case MyProposals() if outcome.closed is None:
            found += [
                Choice(f"Take back your vote for #{p.number}", "vote", str(p.number))
                for p in outcome.mine.voted_for
            ]
        case Voted() if outcome.my_votes:
            found += [
                Choice(f"Take back your vote for #{p.number}", "vote", str(p.number))
                for p in outcome.my_votes
            ]
        case Proposed() if outcome.result.proposal is not None:
            found.append(
                Choice(
                    f"Vote for #{outcome.result.proposal.number}", "vote", str(outcome.result.proposal.number)
                )
            )
        case Draft() if outcome.plan.placements and outcome.can_publish_by_button:
            found.append(Choice("Publish this plan", "publish", str(outcome.draft.id)))
        case NextAnswer():
            sessions = [*outcome.current, *(s for slot in outcome.upcoming for s in slot.sessions)]
            found += [Choice(f"Add {s.title[:60]} to my agenda", "pick", f"+{s.id}") for s in sessions]
        case MyDay():
            found += [
                Choice(f"Remove {i.session.title[:60]}", "pick", f"-{i.session.id}")
                for i in outcome.items
                if i.session.start > outcome.now
            ]
    return tuple(found[:MAX_CHOICES])


def choices_text(choices: tuple[Choice, ...]) -> str:
    """'Type a number: [1] Vote for #3 · [2] Vote for #1', or '' when there are none."""
    if not choices:
        return ""
    return "Type a number: " + " · ".join(f"[{i}] {c.label}" for i, c in enumerate(choices, 1))
