"""The planner's rules, as a pure function: votes to room size, authors, determinism."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from bot.db.tables_unconf import ProposalStatus
from bot.schedule.model import Room, UnconferenceBlock
from bot.unconference.planner import LeftOut, block_window, plan, rooms_by_size
from bot.unconference.views import ProposalView
from tests.bot.conftest import pt

T0 = datetime(2023, 8, 5, 9, tzinfo=UTC)
START, END = pt("2023-08-06 16:00"), pt("2023-08-06 18:00")
ROOMS = (Room("Main room", 30), Room("Library", 12), Room("Garden room", 8))
BLOCK = UnconferenceBlock("sun-unconference", ROOMS, 60)


def proposal(
    number: int,
    votes: int,
    author: str | None = None,
    *,
    age: int | None = None,
    status: ProposalStatus = ProposalStatus.OPEN,
) -> ProposalView:
    """Proposal ``number`` with ``votes``; created ``age`` minutes after T0 (default: number)."""
    return ProposalView(
        number=number,
        title=f"Topic {number}",
        description="",
        author_id=author or f"U{number}",
        author_name=f"Author {author or number}",
        created_at=T0 + timedelta(minutes=number if age is None else age),
        status=status,
        votes=votes,
    )


def test_slots_come_from_block_length_and_slot_minutes():
    assert len(plan([], BLOCK, START, END).slots) == 2
    ninety = UnconferenceBlock("b", ROOMS, 90)
    # 120 minutes hold one 90-minute slot; the remaining half hour is left unused.
    assert plan([], ninety, START, END).slots == ((START, START + timedelta(minutes=90)),)
    assert plan([], BLOCK, START, START + timedelta(minutes=59)).slots == ()


def test_most_voted_topics_get_the_largest_rooms_then_the_earliest_slots():
    result = plan([proposal(n, votes=10 - n) for n in range(1, 7)], BLOCK, START, END)
    where = {p.proposal.number: (p.room.name, p.start) for p in result.placements}
    assert where == {
        1: ("Main room", START),
        2: ("Main room", START + timedelta(hours=1)),
        3: ("Library", START),
        4: ("Library", START + timedelta(hours=1)),
        5: ("Garden room", START),
        6: ("Garden room", START + timedelta(hours=1)),
    }
    assert all(p.end - p.start == timedelta(hours=1) for p in result.placements)
    assert result.unplaced == ()


def test_placements_are_listed_by_start_then_room_size():
    result = plan([proposal(n, votes=10 - n) for n in range(1, 7)], BLOCK, START, END)
    assert [p.proposal.number for p in result.placements] == [1, 3, 5, 2, 4, 6]
    assert [p.proposal.number for p in result.at(1)] == [2, 4, 6]
    assert result.placements[0].session_id == "unconf-1"


def test_votes_never_put_a_lesser_topic_in_a_larger_room_without_author_clashes():
    rng = random.Random(7)
    for _ in range(50):
        proposals = [proposal(n, rng.randint(1, 9)) for n in range(1, rng.randint(2, 12))]
        result = plan(proposals, BLOCK, START, END)
        for a in result.placements:
            for b in result.placements:
                if (a.room.capacity or 0) > (b.room.capacity or 0):
                    assert a.proposal.votes >= b.proposal.votes


def test_ties_go_to_the_older_proposal_then_the_lower_number():
    older = proposal(5, votes=3, age=1)
    newer = proposal(2, votes=3, age=9)
    same_age_high = proposal(9, votes=3, age=4)
    same_age_low = proposal(8, votes=3, age=4)
    result = plan([newer, same_age_high, older, same_age_low], BLOCK, START, END)
    order = [p.proposal.number for p in sorted(result.placements, key=_position(result))]
    assert order == [5, 8, 9, 2]


def _position(result):
    rooms = list(result.rooms)
    return lambda p: (rooms.index(p.room), p.slot)


def test_more_topics_than_places_leaves_the_least_voted_out():
    result = plan([proposal(n, votes=20 - n) for n in range(1, 9)], BLOCK, START, END)
    assert len(result.placements) == 6
    assert [(u.proposal.number, u.reason) for u in result.unplaced] == [
        (7, LeftOut.NO_ROOM),
        (8, LeftOut.NO_ROOM),
    ]


def test_unvoted_proposals_are_left_out_unless_asked_for():
    proposals = [proposal(1, 2), proposal(2, 0)]
    result = plan(proposals, BLOCK, START, END)
    assert [p.proposal.number for p in result.placements] == [1]
    assert [(u.proposal.number, u.reason) for u in result.unplaced] == [(2, LeftOut.NO_VOTES)]
    filled = plan(proposals, BLOCK, START, END, include_unvoted=True)
    assert [p.proposal.number for p in filled.placements] == [1, 2]


def test_withdrawn_and_merged_proposals_are_never_planned():
    proposals = [
        proposal(1, 5, status=ProposalStatus.WITHDRAWN),
        proposal(2, 5, status=ProposalStatus.MERGED),
        proposal(3, 1),
    ]
    result = plan(proposals, BLOCK, START, END)
    assert [p.proposal.number for p in result.placements] == [3]
    assert result.unplaced == ()


def test_an_author_is_never_in_two_parallel_sessions():
    # Ann's two topics are the top two; the room-by-room order already separates them.
    # Her third cannot fit: both slots already have one of hers.
    proposals = [proposal(1, 9, "ann"), proposal(2, 8, "ann"), proposal(3, 7, "ann")]
    proposals += [proposal(4, 6, "bob"), proposal(5, 5, "cy")]
    result = plan(proposals, BLOCK, START, END)
    assert _slots_of(result, "ann") == [0, 1]
    assert [(u.proposal.number, u.reason) for u in result.unplaced] == [(3, LeftOut.AUTHOR_BUSY)]
    assert {p.proposal.number for p in result.placements} == {1, 2, 4, 5}


def test_an_author_clash_is_resolved_by_a_swap_when_one_exists():
    # Two rooms, two slots. Greedy: ann@R1s0, bob@R1s1, cy@R2s0; bob's second topic then
    # finds only R2s1, in the slot of his first. Swapping it with cy places everyone.
    block = UnconferenceBlock("b", ROOMS[:2], 60)
    proposals = [
        proposal(1, 9, "ann"),
        proposal(2, 8, "bob"),
        proposal(3, 7, "cy"),
        proposal(4, 6, "bob"),
    ]
    result = plan(proposals, block, START, END)
    assert result.unplaced == ()
    assert len(result.placements) == 4
    _assert_no_parallel_author(result)
    # The best-voted topics keep their places.
    first = {p.proposal.number: (p.room.name, p.slot) for p in result.placements}
    assert first[1] == ("Main room", 0)
    assert first[2] == ("Main room", 1)


def test_random_plans_keep_every_author_out_of_parallel_sessions():
    rng = random.Random(2023)
    for _ in range(300):
        rooms = tuple(Room(f"R{i}", rng.choice([None, 5, 10, 20])) for i in range(rng.randint(1, 4)))
        block = UnconferenceBlock("b", rooms, rng.choice([30, 45, 60]))
        authors = [f"A{i}" for i in range(rng.randint(1, 5))]
        proposals = [
            proposal(n, rng.randint(0, 6), rng.choice(authors), age=rng.randint(0, 3))
            for n in range(1, rng.randint(1, 20))
        ]
        result = plan(proposals, block, START, END)
        _assert_no_parallel_author(result)
        positions = [(p.room.name, p.slot) for p in result.placements]
        assert len(positions) == len(set(positions))
        placed = {p.proposal.number for p in result.placements}
        left = {u.proposal.number for u in result.unplaced}
        assert placed | left == {p.number for p in proposals} and not placed & left


def test_the_same_proposals_in_any_order_give_the_same_plan():
    rng = random.Random(1)
    proposals = [proposal(n, rng.randint(0, 4), f"A{n % 3}", age=n % 4) for n in range(1, 15)]
    expected = plan(proposals, BLOCK, START, END)
    for _ in range(20):
        rng.shuffle(proposals)
        assert plan(proposals, BLOCK, START, END) == expected


def test_rooms_are_ordered_by_capacity_with_unknown_capacities_last():
    rooms = (Room("a"), Room("b", 5), Room("c", 50), Room("d", 5))
    assert [r.name for r in rooms_by_size(rooms)] == ["c", "b", "d", "a"]


def test_block_window_of_the_awair_schedule(awair):
    block, start, end = block_window(awair)
    assert block.session_id == "sun-unconference"
    assert (start, end) == (START, END)
    assert [r.name for r in rooms_by_size(block.rooms)] == ["Main room", "Library", "Garden room"]


@pytest.mark.parametrize("minutes", [0, -30])
def test_a_block_without_positive_slot_length_has_no_slots(minutes):
    block = UnconferenceBlock("b", ROOMS, minutes)
    assert plan([proposal(1, 3)], block, START, END).slots == ()


def _slots_of(result, author):
    return sorted(p.slot for p in result.placements if p.proposal.author_id == author)


def _assert_no_parallel_author(result):
    seen = set()
    for p in result.placements:
        key = (p.slot, p.proposal.author_id)
        assert key not in seen, f"{p.proposal.author_id} twice in slot {p.slot}"
        seen.add(key)
