"""The console for everything (issue 14, items 17 and 18): every command on the embedded
database, as an organizer or a participant, buttons as numbered choices, the channel printed
as posts fall due, and a word when the schedule is wholly past or ahead."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from awair_bot.console import PARTICIPANT, Console, console_platform, time_hint
from awair_bot.wiring import build_services, start_announcements
from bot.clock import ManualClock
from bot.settings import Settings
from handlers.console.poster import ConsolePoster
from tests.bot.announcements.fakes import Sleeps
from tests.bot.conftest import pt
from tests.support.harness import REPO, InlineExecutor
from tests.support.stepping import StepScheduler


@pytest.fixture
def services(tmp_path):
    settings = Settings(schedule_path=REPO / "schedule_data", database_url=f"sqlite:///{tmp_path}/c.sqlite3")
    made = build_services(settings, clock=ManualClock(pt("2023-08-05 10:54")))
    made.background = InlineExecutor()  # follow-ups at once, so the test sees them
    yield made
    for platform in made.platforms.values():
        if platform.announcer is not None:
            platform.announcer.shutdown(wait=False)


def test_every_command_answers_at_the_console(services):
    console = Console(services)
    for line in ("/next", "/schedule", "/readings", "/awair", "/propose Q&A on RLHF", "/proposals",
                 "/proposals mine", "/announce list", "/unconf plan", "/unconf export"):  # fmt: skip
        text = console.answer(line)
        assert "I don't know" not in text and "Sorry" not in text, (line, text)
    assert "Q&A on RLHF" in console.answer("/proposals")


def test_buttons_are_numbered_choices(services):
    console = Console(services)
    proposed = console.answer("/propose Evals that bite")
    assert proposed.endswith("Type a number: [1] Vote for #1")
    assert console.answer("1").startswith("Your vote for #1 is in.")
    listed = console.answer("/proposals")
    assert "[1] Take back your vote for #1" in listed
    assert console.answer("7") == "Type a number from 1 to 1, or a command."
    assert console.answer("1").startswith("Your vote for #1 is taken back.")
    services.clock.set(pt("2023-08-06 10:00"))
    plan = console.answer("/unconf plan")
    assert "(no votes yet)" in plan or "[1] Publish this plan" in plan


def test_a_participant_cannot_run_the_organizers_commands(services):
    console = Console(services, PARTICIPANT)
    assert "organizers" in console.answer("/unconf plan")
    assert "organizers" in console.answer("/announce Lunch")
    assert "Your proposal is in as #1." in console.answer("/propose A participant's topic")


def test_the_channel_is_printed_as_posts_fall_due(services):
    out = io.StringIO()
    steps = StepScheduler(services.clock)
    start_announcements(
        services, console_platform(services), ConsolePoster(out),
        scheduler=steps, wall=services.clock.now, sleep=Sleeps(),
    )  # fmt: skip
    Console(services).answer("/announce Lunch is on the roof")
    steps.advance(timedelta(seconds=5))
    assert "── #console ──\n📢 Lunch is on the roof\n— You" in out.getvalue()
    steps.advance_to(pt("2023-08-05 10:55"))
    assert "⏰ Starting at 11:00 PT (in 5 min):\n📕 Misalignment" in out.getvalue()


def test_a_schedule_wholly_past_or_ahead_says_how_to_visit_it(services):
    over = time_hint(services, pt("2026-12-02 09:00"), clock_set=False)
    assert "is over" in over and "AWAIR_NOW=2023-08-05T09:00:00-07:00 awair-bot run" in over
    ahead = time_hint(services, pt("2023-07-01 09:00"), clock_set=False)
    assert "starts Sat 5 Aug" in ahead and "AWAIR_NOW=" in ahead
    assert time_hint(services, pt("2023-08-05 12:00"), clock_set=False) is None
    assert time_hint(services, pt("2026-12-02 09:00"), clock_set=True) is None
