"""The AWAIR August 2023 schedule, transcribed exactly from the workshop's public page."""

from __future__ import annotations

from datetime import date

from bot.schedule.model import Kind

# (day, start, end or None, title, kind, speakers "Name (Affiliation)", optional)
EXPECTED = [
    ("2023-08-05", "09:00", "09:30", "Arrival + light breakfast", Kind.MEAL, [], False),
    ("2023-08-05", "09:30", "09:50", "Opening", Kind.LOGISTICS, [], False),
    ("2023-08-05", "09:50", "10:40", "Decomposing AI Safety", Kind.TALK, [], False),
    ("2023-08-05", "11:00", "12:10", "Misalignment", Kind.READING, [], False),
    ("2023-08-05", "12:10", "13:30", "Lunch", Kind.MEAL, [], False),
    ("2023-08-05", "13:30", "14:00", "Directions in scalable oversight", Kind.TALK, [], False),
    ("2023-08-05", "14:00", "15:00", "Scalable oversight", Kind.READING, [], False),
    ("2023-08-05", "15:20", "16:30", "How likely is deceptive alignment?", Kind.TALK, ["Evan Hubinger (Anthropic)"], False),
    ("2023-08-05", "16:30", "17:10", "Walk", Kind.MEAL, [], False),
    ("2023-08-05", "17:10", "18:00", "Red Teaming LMs with LMs", Kind.TALK, ["Ethan Perez (Anthropic)"], False),
    (
        "2023-08-05", "18:00", "18:30", "Lightning Talks", Kind.TALK,
        ["Tristan Hume (Anthropic)", "Fabian Roger (Redwood)", "Adam Gleave (FAR)", "Alexis Carlier (RAND)"], False,
    ),
    ("2023-08-05", "18:30", None, "Dinner, happy hour, and socializing", Kind.MEAL, [], False),
    ("2023-08-05", "19:30", "20:30", "The Plan for AI alignment", Kind.TALK, ["Buck Shlegeris"], True),
    ("2023-08-06", "09:00", "09:30", "Light breakfast", Kind.MEAL, [], False),
    ("2023-08-06", "09:30", "10:00", "Survey of model internals work", Kind.TALK, [], False),
    ("2023-08-06", "10:00", "11:20", "Model internals and interpretability", Kind.READING, [], False),
    ("2023-08-06", "11:40", "12:30", "ARC's current theory research", Kind.TALK, ["Paul Christiano (ARC)"], False),
    ("2023-08-06", "12:30", "13:30", "Lunch", Kind.MEAL, [], False),
    ("2023-08-06", "13:30", "14:30", "Impact stories for model internals research", Kind.DISCUSSION, [], False),
    ("2023-08-06", "13:30", "14:30", "Forecasting AI misbehavior", Kind.DISCUSSION, [], False),
    ("2023-08-06", "13:30", "14:30", "AI Takeover", Kind.DISCUSSION, [], False),
    ("2023-08-06", "14:40", "15:30", "My approach to scalable oversight", Kind.TALK, ["Jeff Wu (OpenAI)"], False),
    ("2023-08-06", "15:40", "16:00", "ARC's current evals work", Kind.TALK, ["Beth Barnes (ARC)"], False),
    ("2023-08-06", "16:00", "18:00", "Unconference block", Kind.UNCONFERENCE, [], False),
    ("2023-08-06", "18:00", "18:30", "Closing", Kind.LOGISTICS, [], False),
    ("2023-08-06", "18:30", None, "Dinner and happy hour", Kind.MEAL, [], False),
]  # fmt: skip


def test_every_session_as_on_the_page(awair):
    tz = awair.timezone
    actual = [
        (
            s.day.isoformat(),
            f"{s.start.astimezone(tz):%H:%M}",
            f"{s.end.astimezone(tz):%H:%M}" if s.end else None,
            s.title,
            s.kind,
            [str(p) for p in s.speakers],
            s.optional,
        )
        for s in awair.sessions
    ]
    assert actual == EXPECTED


def test_workshop_facts(awair):
    assert awair.timezone.key == "America/Los_Angeles"
    assert awair.days == (date(2023, 8, 5), date(2023, 8, 6))
    assert "Constellation" in awair.venue and "Berkeley" in awair.venue
    # Pacific Daylight Time in August.
    assert awair.sessions[0].start.utcoffset().total_seconds() == -7 * 3600


def test_reading_sessions_have_three_to_six_real_papers(awair):
    reading_sessions = [s for s in awair.sessions if s.kind is Kind.READING]
    assert [s.title for s in reading_sessions] == [
        "Misalignment",
        "Scalable oversight",
        "Model internals and interpretability",
    ]
    for session in reading_sessions:
        assert 3 <= len(session.readings) <= 6
        assert any(r.required for r in session.readings)
        for r in session.readings:
            assert r.url.startswith("https://") and r.authors and r.year and r.minutes


def test_scalable_oversight_covers_the_topics_the_page_names(awair):
    session = awair.session("sat-scalable-oversight")
    topics = {t for r in session.readings for t in r.topics}
    assert {"debate", "self-critique", "constitutional AI", "eliciting latent knowledge"} <= topics


def test_arxiv_links_are_abstract_pages(awair):
    for r in awair.readings:
        if "arxiv.org" in r.url:
            assert r.url.startswith("https://arxiv.org/abs/"), r.url


def test_red_teaming_talk_lists_its_paper(awair):
    talk = awair.session("sat-red-teaming")
    assert "Red Teaming Language Models with Language Models" in [r.title for r in talk.readings]
