"""/propose, /proposals, the Vote button and /unconf as tables of callers and outcomes."""

from __future__ import annotations

import pytest

from bot.commands.base import NotAllowed, Notice, Usage
from bot.commands.proposals import MyProposals, OpenProposals
from bot.commands.propose import Duplicate, ProposalNotPosted, ProposalsClosed, Proposed, Withdrawn
from bot.commands.unconf import Draft, ExportSending, Merged, Published
from bot.commands.vote import Voted
from bot.ports import PortError
from bot.unconference import VoteOutcome, get_proposal
from tests.bot.commands.conftest import ADA, BOB, ORGANIZER


def test_a_proposal_is_stored_then_signed_with_the_platforms_name_and_posted(dbbot):
    answer = dbbot.ask("/propose Debate on a toy task -- in pairs", ADA)
    assert isinstance(answer, Proposed) and answer.channel == "#general"
    p = answer.result.proposal
    # Stored under the request's name; the platform's is looked up off the request (issue 13).
    assert (p.number, p.title, p.description, p.author_name, p.author_id) == (
        1,
        "Debate on a toy task",
        "in pairs",
        "ada",
        "test:ada",
    )
    with dbbot.services.db() as db:
        assert get_proposal(db, 1).author_name == "Ada Lovelace"
    assert dbbot.messages.posted == [("#general", 1)]


def test_a_failed_post_is_told_to_the_proposer(dbbot):
    def refuse(channel, proposal):
        raise PortError("not_in_channel")

    dbbot.messages.post_proposal = refuse
    dbbot.ask("/propose Something new", ADA)
    (told,) = dbbot.told
    assert told == ProposalNotPosted(1, "test", "not_in_channel")


@pytest.mark.parametrize("text", ["", "help", "withdraw", "ab"])
def test_malformed_proposals_get_the_usage(dbbot, text):
    assert isinstance(dbbot.ask(f"/propose {text}"), Usage)


def test_duplicates_point_to_the_first(dbbot):
    dbbot.ask("/propose Interpretability tools", ADA)
    answer = dbbot.ask("/propose  interpretability   TOOLS ", BOB)
    assert isinstance(answer, Duplicate) and answer.result.proposal.number == 1


def test_proposals_close_when_the_block_starts(dbbot):
    answer = dbbot.at("2023-08-06 16:00").ask("/propose Too late")
    assert isinstance(answer, ProposalsClosed)


def test_only_the_author_withdraws(dbbot):
    dbbot.ask("/propose Mine to keep", ADA)
    theirs = dbbot.ask("/propose withdraw 1", BOB)
    assert isinstance(theirs, Withdrawn) and not theirs.result.ok
    mine = dbbot.ask("/propose withdraw #1", ADA)
    assert isinstance(mine, Withdrawn) and mine.result.ok
    assert dbbot.messages.updated[-1][1] == 1  # the post says so


def test_votes_toggle_within_the_budget_and_update_the_post(dbbot):
    for title, author in (
        ("One topic", ADA),
        ("Two topic", ADA),
        ("Three topic", ADA),
        ("Four topic", ORGANIZER),
    ):
        dbbot.ask(f"/propose {title}", author)
    outcomes = [dbbot.click("vote", str(n), BOB).result.outcome for n in (1, 2, 3, 4, 1, 4)]
    assert outcomes == [
        VoteOutcome.VOTED,
        VoteOutcome.VOTED,
        VoteOutcome.VOTED,
        VoteOutcome.BUDGET_SPENT,
        VoteOutcome.UNVOTED,
        VoteOutcome.VOTED,
    ]
    assert dbbot.messages.updated[-1] == ("m4", 4, 1)
    spent = dbbot.click("vote", "1", BOB)
    assert isinstance(spent, Voted) and [p.number for p in spent.my_votes] == [2, 3, 4]


@pytest.mark.parametrize("value", ["", "0", "-1", "#1", "1 2", "9999999999", "abc"])
def test_a_tampered_vote_button_changes_nothing(dbbot, value):
    dbbot.ask("/propose A topic")
    answer = dbbot.click("vote", value, BOB)
    assert isinstance(answer, Notice) and "button didn't work" in answer.text
    assert dbbot.messages.updated == []


def test_proposals_lists_and_mine(dbbot):
    dbbot.ask("/propose One topic", ADA)
    dbbot.ask("/propose Two topic", BOB)
    dbbot.click("vote", "2", ADA)
    listed = dbbot.ask("/proposals", ADA)
    assert isinstance(listed, OpenProposals) and [p.number for p in listed.proposals] == [2, 1]
    assert listed.voted == {2} and listed.votes_used == 1 and listed.budget == 3
    mine = dbbot.ask("/proposals mine", ADA)
    assert isinstance(mine, MyProposals) and [p.number for p in mine.mine.proposed] == [1]
    assert isinstance(dbbot.ask("/proposals everything"), Usage)


def test_unconf_is_for_organizers(dbbot):
    answer = dbbot.ask("/unconf plan", ADA)
    assert isinstance(answer, NotAllowed) and "/propose" in answer.text
    assert isinstance(dbbot.click("publish", "1", ADA), NotAllowed)


def test_plan_publish_merge_export(dbbot):
    for title in ("One topic", "Two topic", "Duplicate of one"):
        dbbot.ask(f"/propose {title}", ADA)
    for n, voter in ((1, BOB), (2, ADA), (3, ADA)):
        dbbot.click("vote", str(n), voter)
    merged = dbbot.ask("/unconf merge 3 into 1", ORGANIZER)
    assert isinstance(merged, Merged) and merged.result.ok and merged.result.moved == 1
    draft = dbbot.ask("/unconf plan", ORGANIZER)
    assert isinstance(draft, Draft) and len(draft.plan.placements) == 2
    published = dbbot.click("publish", str(draft.draft.id), ORGANIZER)
    assert isinstance(published, Published) and published.result.ok
    assert any(s.id.startswith("unconf-") for s in dbbot.services.workshop.sessions)
    export = dbbot.ask("/unconf export", ORGANIZER)
    assert isinstance(export, ExportSending) and export.count == 3
    (user, file), *_ = dbbot.files.sent
    assert user == "boss" and file.content.startswith("\ufeff".encode())


@pytest.mark.parametrize("text", ["", "dance", "merge 1", "merge one two"])
def test_unconf_malformed(dbbot, text):
    assert isinstance(dbbot.ask(f"/unconf {text}", ORGANIZER), Usage)


def test_the_exported_csvs_logged_size_is_its_bytes(dbbot, caplog):
    import logging

    dbbot.ask("/propose Émigrés’ 🧠 interpretability", ADA)
    with caplog.at_level(logging.INFO, logger="bot.commands.unconf"):
        dbbot.ask("/unconf export", ORGANIZER)
    ((_, file),) = dbbot.files.sent
    (record,) = [r for r in caplog.records if "sent the unconference CSV" in r.getMessage()]
    assert f"{len(file.content)} bytes" in record.getMessage()
    assert len(file.content) > len(file.content.decode("utf-8"))  # bytes, not characters
