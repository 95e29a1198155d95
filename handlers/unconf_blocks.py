"""Block Kit for the unconference: a proposal's card, the lists, and the answers to votes.

People's text (titles, descriptions, names) only ever goes into ``plain_text`` objects,
where Slack parses neither mentions nor markdown, so ``<!channel>``, ``*bold*`` or an
unclosed ```` ``` ```` in a title shows as typed and can't reach past its own field. Our own
words around it are mrkdwn. Fallback texts (notifications) are escaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from bot.db.tables_unconf import ProposalStatus
from bot.unconference import Mine, ProposalView, VoteOutcome, VoteResult
from handlers.blocks import (
    MAX_SECTION_TEXT,
    Blocks,
    context,
    escape,
    fit,
    header,
    plain_context,
    plain_section,
    section,
)

VOTE_ACTION = "unconf_vote"
# Proposals shown one a block, each with its own Vote button; the rest as plain lines.
MAX_WITH_BUTTONS = 40
LINES_PER_SECTION = 15
# Slack refuses a message past about 12,000 characters of text; the items get most of it.
LIST_TEXT_BUDGET = 9_000
_CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,}$")

# Unicode isolates keep a right-to-left title from reordering the numbers and dots around it.
_FSI, _PDI = "\u2068", "\u2069"


def isolate(text: str) -> str:
    """``text`` as a bidi island inside our own left-to-right line."""
    return f"{_FSI}{text}{_PDI}"


def votes_label(n: int) -> str:
    """'1 vote', '3 votes'."""
    return f"{n} vote" if n == 1 else f"{n} votes"


def plain(text: str) -> dict[str, Any]:
    """A plain_text object: shown exactly as given (``:emoji:`` codes aside)."""
    return {"type": "plain_text", "text": text[:MAX_SECTION_TEXT] or " ", "emoji": True}


def with_button(block: dict[str, Any], button: dict[str, Any]) -> dict[str, Any]:
    """``block`` (a section) with ``button`` beside it."""
    return {**block, "accessory": button}


def plain_lines(lines: Iterable[str]) -> Blocks:
    """Lines packed into plain-text sections within Slack's per-section limit."""
    blocks: Blocks = []
    chunk: list[str] = []
    for line in lines:
        size = sum(len(x) + 1 for x in chunk) + len(line)
        if chunk and (size > MAX_SECTION_TEXT - 50 or len(chunk) >= LINES_PER_SECTION):
            blocks.append(plain_section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    if chunk:
        blocks.append(plain_section("\n".join(chunk)))
    return blocks


def vote_button(number: int, label: str = "👍 Vote", primary: bool = False) -> dict[str, Any]:
    """The Vote button of proposal ``number``; a click toggles the clicker's vote."""
    button: dict[str, Any] = {
        "type": "button",
        "action_id": VOTE_ACTION,
        "text": {"type": "plain_text", "text": label, "emoji": True},
        "value": str(number),
    }
    if primary:
        button["style"] = "primary"
    return button


def channel_ref(channel: str) -> str:
    """A channel as mrkdwn: a link for an id, the escaped name otherwise."""
    return f"<#{channel}>" if _CHANNEL_ID.match(channel) else escape("#" + channel.lstrip("#"))


def status_mrkdwn(p: ProposalView) -> str:
    """'🗳 *3 votes*', or what became of a withdrawn or merged proposal."""
    if p.status is ProposalStatus.WITHDRAWN:
        return "🚫 *Withdrawn* by its author; its votes went back to the voters"
    if p.status is ProposalStatus.MERGED:
        return f"🔀 *Merged into #{p.merged_into}*: its votes count there now"
    return f"🗳 *{votes_label(p.votes)}*"


def status_text(p: ProposalView) -> str:
    """The same as plain words, for lists."""
    if p.status is ProposalStatus.WITHDRAWN:
        return "withdrawn"
    if p.status is ProposalStatus.MERGED:
        return f"merged into #{p.merged_into}"
    return votes_label(p.votes)


def proposal_card(p: ProposalView, *, button: bool = True) -> Blocks:
    """A proposal as posted in the channel: title, description, author, count, Vote."""
    blocks: Blocks = [header(p.title)]
    if p.description:
        blocks.append(plain_section(p.description))
    blocks.append(
        {
            "type": "context",
            "elements": [
                {"type": "mrkdwn", "text": f"*#{p.number}*"},
                plain(f"by {p.author_name}"),
                {"type": "mrkdwn", "text": status_mrkdwn(p)},
            ],
        }
    )
    if button and p.is_open:
        blocks.append({"type": "actions", "elements": [vote_button(p.number)]})
    return blocks


def proposal_fallback(p: ProposalView) -> str:
    """The notification text of a proposal's message (escaped)."""
    return escape(f"Unconference proposal #{p.number}: {p.title} ({status_text(p)})")


def proposal_message(p: ProposalView) -> dict[str, Any]:
    """``text`` and ``blocks`` for chat.postMessage / chat.update."""
    return {"text": proposal_fallback(p), "blocks": proposal_card(p)}


def proposal_line(p: ProposalView, *, author: bool = True) -> str:
    """'#7  Title · by Jane Doe · 3 votes' as plain text."""
    by = f" · by {isolate(p.author_name)}" if author else ""
    return f"#{p.number}  {isolate(p.title)}{by} · {status_text(p)}"


def _item(p: ProposalView, voted: bool, author: bool = True) -> dict[str, Any]:
    mark = " · ✓ your vote" if voted else ""
    by = f"\nby {isolate(p.author_name)} · " if author else "\n"
    text = f"#{p.number}  {isolate(p.title)}{by}{status_text(p)}{mark}"
    if not p.is_open:
        return plain_section(text)
    label, primary = ("✓ Voted", True) if voted else ("👍 Vote", False)
    return with_button(plain_section(text), vote_button(p.number, label, primary))


def _listed(proposals: tuple[ProposalView, ...], voted: set[int], author: bool = True) -> Blocks:
    """The first proposals with buttons, then plain lines while the message has room."""
    blocks = [_item(p, p.number in voted, author) for p in proposals[:MAX_WITH_BUTTONS]]
    room = LIST_TEXT_BUDGET - sum(len(b["text"]["text"]) for b in blocks)
    lines: list[str] = []
    for p in proposals[MAX_WITH_BUTTONS:]:
        line = proposal_line(p, author=author)
        room -= len(line) + 1
        if room < 0:
            break
        lines.append(line)
    rest = len(proposals) - min(len(proposals), MAX_WITH_BUTTONS)
    if lines:
        blocks.append(context(f"…and {rest} more:"))
        blocks += plain_lines(lines)
    if rest > len(lines):
        blocks.append(
            context(f"{rest - len(lines)} more don't fit here: their posts in the channel have Vote buttons.")
        )
    return blocks


def budget_line(used: int, budget: int) -> str:
    """'You have 2 of 3 votes left.'"""
    left = max(budget - used, 0)
    return (
        f"You have {left} of {budget} votes left." if left else f"You have used all {budget} of your votes."
    )


def open_list_blocks(
    proposals: tuple[ProposalView, ...], voted: set[int], used: int, budget: int, channel: str | None
) -> Blocks:
    """``/proposals``: open proposals by votes, ties by age, each with its Vote button."""
    if not proposals:
        return [
            section("No proposals yet."),
            context("Propose a session with `/propose &lt;title&gt; [-- &lt;description&gt;]`."),
        ]
    where = f" · also in {channel_ref(channel)}" if channel else ""
    blocks: Blocks = [
        header(f"🗳 Unconference proposals: {len(proposals)} open"),
        context(
            f"Most votes first, ties by age{where} · {budget_line(used, budget)} Click again to take a vote back."
        ),
    ]
    blocks += _listed(proposals, voted)
    blocks.append(context("`/proposals mine`: your proposals and votes · `/propose &lt;title&gt;`: add one"))
    return fit(blocks, "More proposals than fit here: vote on their posts in the channel.")


def mine_blocks(mine: Mine, budget: int) -> Blocks:
    """``/proposals mine``: the caller's proposals (any status) and votes."""
    blocks: Blocks = [header("🗳 Your proposals and votes"), section("*Your proposals*")]
    if mine.proposed:
        blocks += _listed(mine.proposed, {p.number for p in mine.voted_for}, author=False)
        blocks.append(context("Withdraw one with `/propose withdraw &lt;n&gt;`."))
    else:
        blocks.append(context("None yet: `/propose &lt;title&gt; [-- &lt;description&gt;]` adds one."))
    blocks.append(section(f"*Your votes* · {budget_line(mine.votes_used, budget)}"))
    if mine.voted_for:
        blocks += _listed(mine.voted_for, {p.number for p in mine.voted_for})
        blocks.append(context("Click ✓ Voted to take a vote back and use it elsewhere."))
    else:
        blocks.append(context("You haven't voted yet: `/proposals` lists what is open."))
    return fit(blocks, "More than fits here: `/proposals` lists the open proposals.")


def mine_text(mine: Mine, budget: int) -> str:
    """The plain fallback of ``/proposals mine``."""
    lines = ["Your proposals:", *(proposal_line(p, author=False) for p in mine.proposed)]
    if not mine.proposed:
        lines.append("none yet")
    lines.append(f"Your votes: {budget_line(mine.votes_used, budget)}")
    lines += [proposal_line(p) for p in mine.voted_for] or ["none yet"]
    return "\n".join(lines)


def vote_reply(result: VoteResult, my_votes: tuple[ProposalView, ...] = ()) -> dict[str, Any]:
    """The clicker's private answer: what happened, and the votes they have left."""
    icon = {VoteOutcome.VOTED: "✅ ", VoteOutcome.UNVOTED: "↩️ "}.get(result.outcome, "")
    blocks: Blocks = [section(icon + escape(result.message))]
    p = result.proposal
    if p is not None:
        blocks.append(plain_context(proposal_line(p)))
    if result.outcome is VoteOutcome.BUDGET_SPENT and my_votes:
        blocks.append(context("Your votes now; click one to take it back:"))
        blocks += [_item(v, True) for v in my_votes[:MAX_WITH_BUTTONS]]
    return {"text": escape(result.message), "blocks": blocks}
