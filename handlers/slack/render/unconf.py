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

from bot.bidi import isolate
from bot.commands.proposals import MyProposals, OpenProposals
from bot.commands.propose import Duplicate, ProposalNotPosted, ProposalsClosed, Proposed, Withdrawn
from bot.commands.vote import Voted
from bot.db.tables_unconf import ProposalStatus
from bot.unconference import Mine, ProposalView, VoteOutcome, VoteResult
from bot.unconference.text import budget_line, mine_text, proposal_line, status_text, votes_label
from handlers.slack.markup import (
    MAX_SECTION_TEXT,
    Blocks,
    context,
    escape,
    fit,
    header,
    inert,
    pack,
    plain,
    plain_context,
    plain_section,
    section,
    with_button,
)
from handlers.slack.render.reply import Reply, reply

VOTE_ACTION = "unconf_vote"
# Proposals shown one a block, each with its own Vote button; the rest as plain lines.
MAX_WITH_BUTTONS = 40
LINES_PER_SECTION = 15
# Slack refuses a message past about 12,000 characters of text; the items get most of it.
LIST_TEXT_BUDGET = 9_000
_CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,}$")


def plain_lines(lines: Iterable[str]) -> Blocks:
    """Lines of people's text packed into plain-text sections within Slack's limits."""
    return pack(lines, plain_section, room=MAX_SECTION_TEXT - 50, max_lines=LINES_PER_SECTION)


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
    if p.status is ProposalStatus.REMOVED:
        return "🧹 *Removed* by the organizers; its votes went back to the voters"
    return f"🗳 *{votes_label(p.votes)}*"


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
    return inert(f"Unconference proposal #{p.number}: {p.title} ({status_text(p)})")


def proposal_message(p: ProposalView) -> dict[str, Any]:
    """``text`` and ``blocks`` for chat.postMessage / chat.update."""
    return {"text": proposal_fallback(p), "blocks": proposal_card(p)}


def _item(p: ProposalView, voted: bool, author: bool = True) -> dict[str, Any]:
    mark = " · ✓ your vote" if voted else ""
    by = f"\nby {isolate(p.author_name)} · " if author else "\n"
    text = f"#{p.number}  {isolate(p.title)}{by}{status_text(p)}{mark}"
    if not p.is_open:
        return plain_section(text)
    label, primary = ("✓ Voted", True) if voted else ("👍 Vote", False)
    return with_button(plain_section(text), vote_button(p.number, label, primary))


def _listed(
    proposals: tuple[ProposalView, ...], voted: set[int], author: bool = True, voting: bool = True
) -> Blocks:
    """The first proposals with buttons (none once voting has closed), then plain lines while
    the message has room."""
    with_buttons = MAX_WITH_BUTTONS if voting else 0
    blocks = [_item(p, p.number in voted, author) for p in proposals[:with_buttons]]
    room = LIST_TEXT_BUDGET - sum(len(b["text"]["text"]) for b in blocks)
    lines: list[str] = []
    for p in proposals[with_buttons:]:
        line = proposal_line(p, author=author)
        room -= len(line) + 1
        if room < 0:
            break
        lines.append(line)
    rest = len(proposals) - min(len(proposals), with_buttons)
    if lines:
        if blocks:
            blocks.append(context(f"…and {rest} more:"))
        blocks += plain_lines(lines)
    if rest > len(lines):
        where = ": their posts in the channel have Vote buttons" if voting else ""
        blocks.append(context(f"{rest - len(lines)} more don't fit here{where}."))
    return blocks


def open_list_blocks(
    proposals: tuple[ProposalView, ...],
    voted: set[int],
    used: int,
    budget: int,
    channel: str | None,
    closed: str | None = None,
) -> Blocks:
    """``/proposals``: open proposals by votes, ties by age, each with its Vote button (or,
    once ``closed`` says voting has closed, the final counts without buttons)."""
    if not proposals:
        return [
            section("No proposals yet."),
            context("Propose a session with `/propose &lt;title&gt; [-- &lt;description&gt;]`."),
        ]
    where = f" · also in {channel_ref(channel)}" if channel else ""
    how = escape(closed) if closed else f"{budget_line(used, budget)} Click again to take a vote back."
    blocks: Blocks = [
        header(f"🗳 Unconference proposals: {len(proposals)} open"),
        context(f"Most votes first, ties by age{where} · {how}"),
    ]
    blocks += _listed(proposals, voted, voting=closed is None)
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


# -- the answers -------------------------------------------------------------------------


def render_proposed(outcome: Proposed) -> Reply:
    """A new proposal stored: where it goes for votes, and how to take it back."""
    result, p = outcome.result, outcome.result.proposal
    assert p is not None
    if outcome.channel:
        where = f"It's going up in {channel_ref(outcome.channel)} for votes; you can vote for it too."
    else:
        where = (
            "No unconference channel is set, so it isn't posted anywhere; people can see it and "
            "vote with `/proposals`. (Organizers: set UNCONFERENCE_CHANNEL or ANNOUNCE_CHANNEL.)"
        )
    blocks = [
        section(f"✅ {escape(result.message)} {where}"),
        *proposal_card(p),
        context(f"Changed your mind? `/propose withdraw {p.number}`"),
    ]
    return reply(blocks, f"{result.message} {proposal_line(p)}", theirs=True)


def render_duplicate(outcome: Duplicate) -> Reply:
    """Already proposed: the existing one, to vote for instead."""
    result = outcome.result
    blocks = [section("ℹ️ " + escape(result.message))]
    if result.proposal is not None:
        blocks += proposal_card(result.proposal)
    return reply(blocks, result.message)


def render_closed(outcome: ProposalsClosed) -> Reply:
    """Proposals are closed."""
    blocks = [section("🔒 " + escape(outcome.message)), context("`/proposals` lists what was proposed.")]
    return reply(blocks, outcome.message)


def render_withdrawn(outcome: Withdrawn) -> Reply:
    """Withdrawn, or why not."""
    result = outcome.result
    blocks = [section(("✅ " if result.ok else "") + escape(result.message))]
    if result.proposal is not None and result.ok:
        blocks.append(plain_context(proposal_line(result.proposal)))
    return reply(blocks, result.message)


def render_not_posted(outcome: ProposalNotPosted) -> Reply:
    """Told later: stored, but not in the channel."""
    text = (
        f"#{outcome.number} is stored, but I couldn't post it in the channel (Slack said `{outcome.reason}`). "
        "People can still vote for it with `/proposals`."
    )
    return reply([section(escape(text))], text)


def render_open(outcome: OpenProposals) -> Reply:
    """``/proposals``."""
    proposals = outcome.proposals
    blocks = open_list_blocks(
        proposals, set(outcome.voted), outcome.votes_used, outcome.budget, outcome.channel, outcome.closed
    )
    how = outcome.closed or budget_line(outcome.votes_used, outcome.budget)
    text = "\n".join([f"Open proposals: {len(proposals)}. {how}"] + [proposal_line(p) for p in proposals])
    return reply(blocks, text)


def render_mine(outcome: MyProposals) -> Reply:
    """``/proposals mine``."""
    return reply(mine_blocks(outcome.mine, outcome.budget), mine_text(outcome.mine, outcome.budget))


def render_voted(outcome: Voted) -> Reply:
    """The clicker's private answer to a vote."""
    answer = vote_reply(outcome.result, outcome.my_votes)
    return {"response_type": "ephemeral", **answer}


RENDERERS = {
    Proposed: render_proposed,
    Duplicate: render_duplicate,
    ProposalsClosed: render_closed,
    Withdrawn: render_withdrawn,
    ProposalNotPosted: render_not_posted,
    OpenProposals: render_open,
    MyProposals: render_mine,
    Voted: render_voted,
}
