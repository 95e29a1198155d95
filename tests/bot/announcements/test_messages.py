"""Plain-text announcements: what people read in the channel (and Slack's fallback text)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from bot.announcements.messages import OrganizerPost, SessionStart, render_text
from bot.schedule.model import Kind, Reading
from tests.bot.announcements.fakes import PT, READING, SPEAKER, session

T = datetime(2023, 8, 5, 11, 0, tzinfo=PT)
MIN = timedelta(minutes=1)


def test_one_session_with_speaker_room_times_and_reading_links():
    s = session(
        "mis",
        T,
        70,
        kind=Kind.READING,
        room="Main room",
        title="Misalignment",
        speakers=(SPEAKER,),
        readings=(READING,),
    )
    text = render_text(SessionStart(T, PT, (s,), T - 5 * MIN))
    assert text.splitlines() == [
        "⏰ Starting at 11:00 PT (in 5 min):",
        "📕 Misalignment  (11:00-12:10 PT)",
        "    reading & discussion · Evan Hubinger (Anthropic) · Main room",
        "    • Concrete Problems (Dario Amodei et al., 2016) · 40 min · required · "
        "https://arxiv.org/abs/1606.06565",
    ]


def test_parallel_sessions_are_listed_together():
    sessions = tuple(
        session(f"d{i}", T, kind=Kind.DISCUSSION, room=r)
        for i, r in enumerate(["Main room", "Library", "Garden"])
    )
    text = render_text(SessionStart(T, PT, sessions, T - 5 * MIN))
    assert text.startswith("⏰ Starting at 11:00 PT (in 5 min), 3 in parallel:")
    assert [line for line in text.splitlines() if line.startswith("💬")] == [
        "💬 D0  (11:00-11:30 PT)",
        "💬 D1  (11:00-11:30 PT)",
        "💬 D2  (11:00-11:30 PT)",
    ]


def test_late_announcement_says_it_started_and_is_late():
    text = render_text(SessionStart(T, PT, (session("t", T),), T + 3 * MIN, late=True))
    assert text.splitlines()[0] == "⏰ Started at 11:00 PT (started 3 min ago):"
    assert text.splitlines()[-1] == "(Posted late: the bot was catching up.)"


def test_organizer_post_keeps_text_and_names_the_author():
    post = OrganizerPost(7, "<!here> lunch is on the roof", "U1", "Ada", T, PT)
    assert render_text(post) == "📢 <!here> lunch is on the roof\n— Ada"
    assert post.keys == ("organizer:7",)
    late = render_text(OrganizerPost(7, "x", "U1", "Ada", T, PT, late=True))
    assert late.endswith("(Scheduled for 11:00 PT; posted late.)")


def test_a_talk_with_many_imported_links_shows_a_few_and_says_where_the_rest_are():
    links = tuple(Reading(f"l{i}", f"Link {i}", f"https://ex.org/{i}", required=False) for i in range(10))
    talks = (
        replace(session("t1", T, readings=links), url="https://fahrplan.example.org/talk/1"),
        session("t2", T, readings=links[:2]),
        session("t3", T, readings=links),
    )
    lines = render_text(SessionStart(T, PT, talks, T - 5 * MIN)).splitlines()
    assert sum(line.startswith("    • ") for line in lines) == 3 + 2 + 3  # at most three each
    assert "    +7 more links on https://fahrplan.example.org/talk/1" in lines
    assert "    +7 more links with /readings all" in lines
    assert not any("required" in line for line in lines)  # imported links are optional


def test_required_readings_are_all_announced():
    papers = tuple(Reading(f"r{i}", f"Paper {i}", f"https://arxiv.org/abs/{i}", minutes=10) for i in range(5))
    text = render_text(SessionStart(T, PT, (session("r", T, kind=Kind.READING, readings=papers),), T))
    assert text.count("· required ·") == 5 and "more link" not in text
