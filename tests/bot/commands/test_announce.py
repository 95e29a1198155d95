"""/announce as a table: organizers store, list and cancel; one row for every platform that
announces; everyone else is told who can."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.commands.announce import AnnouncementsOff, Cancelled, Listing, Queued
from bot.commands.base import NotAllowed, Notice, Tone, Usage
from bot.platforms import Platform
from tests.bot.announcements.fakes import FakePoster
from tests.bot.commands.conftest import ADA, ORGANIZER


def test_only_organizers_may_announce(dbbot):
    dbbot.start_announcements()
    answer = dbbot.ask("/announce Lunch", ADA)
    assert isinstance(answer, NotAllowed) and answer.ask == ("boss",)
    assert dbbot.announcer.organizer_announcements() == []


def test_announcements_are_off_without_a_channel(dbbot):
    dbbot.platform.announce_channel = None
    assert isinstance(dbbot.ask("/announce Lunch", ORGANIZER), AnnouncementsOff)


def test_now_is_stored_signed_and_posted_once(dbbot):
    dbbot.start_announcements()
    answer = dbbot.ask("/announce Lunch is on the roof & <b>free</b>", ORGANIZER)
    assert isinstance(answer, Queued) and not answer.scheduled
    assert answer.announcement.text == "Lunch is on the roof & <b>free</b>"  # as typed
    (row,) = dbbot.announcer.organizer_announcements()
    assert row.author_name == "Olive Organizer" and row.author_id == "test:boss"
    dbbot.steps.advance(timedelta(seconds=2))
    (post,) = dbbot.poster.posts
    assert post.message.text == "Lunch is on the roof & <b>free</b>"
    dbbot.steps.advance(timedelta(minutes=5))
    assert len(dbbot.poster.posts) == 1


@pytest.mark.parametrize(
    ("text", "due"),
    [("at 13:15 Lunch", "13:15"), ("at sun 9:00 Coffee", "09:00"), ("at 2pm Talk", "14:00")],
)
def test_at_schedules_in_workshop_time(dbbot, text, due):
    dbbot.start_announcements()
    answer = dbbot.ask(f"/announce {text}", ORGANIZER)
    assert isinstance(answer, Queued) and answer.scheduled
    assert answer.announcement.due_at.astimezone(answer.zone).strftime("%H:%M") == due


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", None),
        ("help", None),
        ("at", "When?"),
        ("at noonish Lunch", "I couldn't read a time"),
        ("at 13:15", "What should the announcement say?"),
        ("now", "What should the announcement say?"),
        ("list everything", "To post text starting with “list”"),
        ("cancel soon", "Which one?"),
    ],
)
def test_malformed_requests_get_the_usage(dbbot, text, problem):
    dbbot.start_announcements()
    answer = dbbot.ask(f"/announce {text}", ORGANIZER)
    assert isinstance(answer, Usage) and (problem is None or answer.problem.startswith(problem))
    assert dbbot.announcer.organizer_announcements() == []


def test_the_past_and_oversized_texts_are_refused(dbbot):
    dbbot.start_announcements()
    past = dbbot.ask("/announce at 9:00 Too late", ORGANIZER)
    assert isinstance(past, Notice) and past.tone is Tone.REFUSED and "has already passed" in past.text
    big = dbbot.ask("/announce " + "x" * 2801, ORGANIZER)
    assert isinstance(big, Notice) and "2,801 characters" in big.text


def test_list_and_cancel(dbbot):
    dbbot.start_announcements()
    queued = dbbot.ask("/announce at 13:15 Lunch", ORGANIZER)
    listing = dbbot.ask("/announce list", ORGANIZER)
    assert isinstance(listing, Listing) and [a.id for a in listing.pending] == [queued.announcement.id]
    cancelled = dbbot.ask(f"/announce cancel #{queued.announcement.id}", ORGANIZER)
    assert isinstance(cancelled, Cancelled)
    again = dbbot.ask(f"/announce cancel {queued.announcement.id}", ORGANIZER)
    assert isinstance(again, Notice) and "was already cancelled" in again.text
    assert "There is no announcement #99" in dbbot.ask("/announce cancel 99", ORGANIZER).text


def test_every_platform_gets_the_announcement_once_and_cancel_takes_all(dbbot):
    from awair_bot.wiring import start_announcements

    dbbot.start_announcements()
    other = dbbot.services.add_platform(Platform("other", announce_channel="#town-square"))
    other_poster = FakePoster()
    other_poster.platform = "other"
    start_announcements(dbbot.services, other, other_poster)
    try:
        first = dbbot.ask("/announce at 13:15 Lunch", ORGANIZER)
        assert [a.text for a in other.announcer.organizer_announcements()] == ["Lunch"]
        dbbot.ask(f"/announce cancel {first.announcement.id}", ORGANIZER)
        assert other.announcer.organizer_announcements() == []
        # The other platform's list is its own; our list does not show its rows.
        dbbot.ask("/announce at 13:20 Coffee", ORGANIZER)
        assert [a.text for a in dbbot.ask("/announce list", ORGANIZER).pending] == ["Coffee"]
    finally:
        other.announcer.shutdown(wait=False)


# --- Times outside the workshop, and text that cannot be stored (issue 14) -------------------


@pytest.mark.parametrize(
    ("text", "question"),
    [
        # The programme writes 13:30 as "1:30": at night it is a question, not a 01:30 post.
        ("at sun 1:30 Posters", "Did you mean 13:30? Write `/announce at sun 13:30 …`"),
        ("at 2:00 Coffee", "Did you mean 14:00?"),
        # Friday is not a day of the workshop: never the Friday after it.
        ("at fri 10:00 Goodbye", "The workshop has no Friday ahead (its days: Sat 5 Aug, Sun 6 Aug)"),
    ],
)
def test_a_time_outside_the_workshop_is_asked_about_before_anything_is_stored(dbbot, text, question):
    dbbot.start_announcements()
    answer = dbbot.ask(f"/announce {text}", ORGANIZER)
    assert isinstance(answer, Notice) and answer.tone is Tone.REFUSED
    assert question in answer.text
    assert dbbot.announcer.organizer_announcements() == []


@pytest.mark.parametrize(
    ("text", "due", "note"),
    [
        ("at sun 1:30am Night owls", "Sun 6 Aug 01:30", "01:30 PT is outside the workshop's hours"),
        (
            "at 2030-01-01 10:00 Reunion",
            "Tue 1 Jan 2030 10:00",
            "Tue 1 Jan 2030 is not a day of the workshop",
        ),
        ("at sun 13:30 Posters", "Sun 6 Aug 13:30", None),
    ],
)
def test_an_explicit_time_is_stored_with_a_warning_and_its_year(dbbot, text, due, note):
    from handlers.console.render import render

    dbbot.start_announcements()
    answer = dbbot.ask(f"/announce {text}", ORGANIZER)
    assert isinstance(answer, Queued) and answer.scheduled
    assert answer.note == note or (note and note in answer.note)
    shown = render(answer)
    assert due in shown and (note is None or note in shown)


@pytest.mark.parametrize("text", ["Lunch\x00 now", "bell\x07", "at 13:15 esc\x1b[31m red"])
def test_control_characters_are_refused_with_a_clear_message(dbbot, text):
    dbbot.start_announcements()
    answer = dbbot.ask(f"/announce {text}", ORGANIZER)
    assert isinstance(answer, Notice) and "control characters such as NUL" in answer.text
    assert dbbot.announcer.organizer_announcements() == []
