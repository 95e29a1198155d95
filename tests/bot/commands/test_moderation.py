"""Moderation of the unconference (issue 14, items 5 and 6): a limit of open proposals per
person, organizers remove a proposal, look-alike letters are duplicates, counts are final
once the block starts, and a published session whose proposal goes away is cancelled."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.announcements.messages import ScheduleChange
from bot.commands.base import NotAllowed, Notice, Tone
from bot.commands.propose import Duplicate, Proposed, Withdrawn
from bot.commands.unconf import Merged, Removed
from bot.commands.vote import Voted
from bot.db.tables_unconf import Proposal
from bot.unconference import VoteOutcome
from bot.whats_next import whats_next
from tests.bot.commands.conftest import ADA, BOB, ORGANIZER, Caller
from tests.bot.conftest import pt

CAT = Caller("test", "cat", "cat")


def stored(dbbot) -> list[tuple[int, str]]:
    with dbbot.services.db() as db:
        return [(p.id, p.status) for p in db.scalars(select(Proposal).order_by(Proposal.id))]


def test_one_person_has_at_most_three_open_proposals(dbbot):
    for title in ("First topic", "Second topic", "Third topic"):
        assert isinstance(dbbot.ask(f"/propose {title}", ADA), Proposed)
    fourth = dbbot.ask("/propose Fourth topic", ADA)
    assert isinstance(fourth, Notice) and fourth.tone is Tone.REFUSED
    assert "3 open proposals, as many as one person may have" in fourth.text
    assert len(stored(dbbot)) == 3 and dbbot.messages.posted == [("#general", n) for n in (1, 2, 3)]
    dbbot.ask("/propose withdraw 1", ADA)
    assert isinstance(dbbot.ask("/propose Fourth topic", ADA), Proposed)  # room again
    for n in range(5):  # organizers seed topics without a limit
        assert isinstance(dbbot.ask(f"/propose Seeded topic {n}", ORGANIZER), Proposed)


def test_the_limit_is_a_setting(db_url):
    from tests.bot.commands.conftest import Bot

    bot = Bot(pt("2023-08-05 10:45"), db_url=db_url, proposals_per_person=1)
    try:
        bot.ask("/propose Only one", ADA)
        assert "1 open proposal, as many" in bot.ask("/propose Another one", ADA).text
    finally:
        bot.engine.dispose()


def test_look_alike_letters_are_a_duplicate(dbbot):
    dbbot.ask("/propose Interpretability tools", ADA)
    for spoof in (
        "Іntеrрrеtаbіlіtу tооls",
        "ＩＮＴＥＲＰＲＥＴＡＢＩＬＩＴＹ TOOLS",
        "Ιnterpretabilitу tοols",
    ):
        answer = dbbot.ask(f"/propose {spoof}", BOB)
        assert isinstance(answer, Duplicate) and answer.result.proposal.number == 1, spoof
    assert len(stored(dbbot)) == 1


def test_organizers_remove_a_proposal_and_its_votes_go_back(dbbot):
    dbbot.ask("/propose Something abusive", ADA)
    dbbot.click("vote", "1", BOB)
    assert isinstance(dbbot.ask("/unconf remove 1 spam", BOB), NotAllowed)
    removed = dbbot.ask("/unconf remove #1 off-topic and rude", ORGANIZER)
    assert isinstance(removed, Removed) and removed.result.ok and removed.cancelled is None
    assert removed.result.returned_to == ("test:bob",)
    assert stored(dbbot) == [(1, "removed")]
    with dbbot.services.db() as db:
        assert db.get(Proposal, 1).removed_reason == "off-topic and rude"
    assert dbbot.messages.updated[-1] == ("m1", 1, 0)  # the post says so, votes gone
    again = dbbot.click("vote", "1", BOB)
    assert (
        again.result.outcome is VoteOutcome.NOT_OPEN and "removed by the organizers" in again.result.message
    )
    assert "already removed" in dbbot.ask("/unconf remove 1", ORGANIZER).result.message


@pytest.mark.parametrize("text", ["remove", "remove x", "remove 0 because", "remove 1 bad\x00reason"])
def test_a_malformed_removal_gets_the_usage(dbbot, text):
    dbbot.ask("/propose Keep me", ADA)
    assert "Usage (organizers)" in dbbot.ask(f"/unconf {text}", ORGANIZER).usage
    assert stored(dbbot) == [(1, "open")]


def test_votes_and_withdrawals_are_final_once_the_block_starts(dbbot):
    dbbot.ask("/propose Counted topic", ADA)
    dbbot.click("vote", "1", BOB)
    dbbot.at("2023-08-06 16:00")
    vote = dbbot.click("vote", "1", CAT)
    unvote = dbbot.click("vote", "1", BOB)
    withdraw = dbbot.ask("/propose withdraw 1", ADA)
    for answer in (vote, unvote, withdraw):
        assert isinstance(answer, Notice) and answer.tone is Tone.REFUSED
        assert "closed when the unconference block started at 16:00 PT" in answer.text
    dbbot.at("2023-08-06 15:59")
    with dbbot.services.db() as db:
        assert db.get(Proposal, 1).status == "open"
    assert dbbot.click("vote", "1", BOB).result.outcome is VoteOutcome.UNVOTED  # before: fine


def published(dbbot) -> None:
    """Three topics with votes, planned and published on Sunday morning."""
    dbbot.at("2023-08-06 09:00")
    for title, author in (("Debate in practice", ADA), ("Evals that bite", BOB), ("Model organisms", CAT)):
        dbbot.ask(f"/propose {title}", author)
    for n in (1, 2, 3):
        dbbot.click("vote", str(n), ORGANIZER)
    dbbot.ask("/unconf plan", ORGANIZER)
    dbbot.ask("/unconf publish", ORGANIZER)
    assert "Debate in practice" in titles_on(dbbot, "2023-08-06 16:05")


def titles_on(dbbot, when: str) -> list[str]:
    answer = whats_next(dbbot.services.workshop, pt(when), 1)
    return [s.title for s in (*answer.current, *(s for slot in answer.upcoming for s in slot.sessions))]


@pytest.mark.parametrize("how", ["withdraw", "merge", "remove"])
def test_a_published_session_whose_proposal_goes_away_is_cancelled_with_a_notice(dbbot, how):
    dbbot.start_announcements()
    published(dbbot)
    dbbot.steps.advance(timedelta(seconds=1))
    before = len(dbbot.poster.posts)
    answer = {
        "withdraw": lambda: dbbot.ask("/propose withdraw 1", ADA),
        "merge": lambda: dbbot.ask("/unconf merge 1 2", ORGANIZER),
        "remove": lambda: dbbot.ask("/unconf remove 1 duplicate", ORGANIZER),
    }[how]()
    assert isinstance(answer, Withdrawn | Merged | Removed) and answer.result.ok
    if not isinstance(answer, Withdrawn):
        assert answer.cancelled is not None and answer.cancelled.title == "Debate in practice"
    assert "Debate in practice" not in titles_on(dbbot, "2023-08-06 16:05")  # /next follows
    assert "Evals that bite" in titles_on(dbbot, "2023-08-06 16:05") + titles_on(dbbot, "2023-08-06 17:05")
    dbbot.steps.advance(timedelta(seconds=1))
    (notice,) = [p.message for p in dbbot.poster.posts[before:] if isinstance(p.message, ScheduleChange)]
    (change,) = notice.changes
    assert change.kind.value == "cancelled" and change.session.title == "Debate in practice"


def test_voted_is_still_the_answer_before_the_block(dbbot):
    dbbot.ask("/propose Plain topic", ADA)
    assert isinstance(dbbot.click("vote", "1", BOB), Voted)


def test_the_block_is_not_counted_beside_its_own_sessions(dbbot):
    from bot.text import render_next

    published(dbbot)
    answer = dbbot.at("2023-08-06 15:50").ask("/next")
    (slot,) = answer.upcoming
    planned = [s for s in slot.sessions if s.id != "sun-unconference"]
    assert len(slot.sessions) == len(planned) + 1  # the block and its sessions start together
    assert len(planned) == 2  # the planner keeps the top two apart: two of three at 16:00
    assert "(2 in parallel)" in render_next(answer)
