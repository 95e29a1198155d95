"""/schedule's marks and /readings' choice of session."""

from __future__ import annotations

from datetime import date

from bot.agenda import Status, day_agenda
from bot.reading_list import all_readings, readings_for_now
from bot.text import render_agenda, render_readings
from tests.bot.conftest import pt


def marks(agenda):
    return {item.session.title: item.status for item in agenda.items}


def test_agenda_marks_past_now_next(awair):
    agenda = day_agenda(awair, date(2023, 8, 6), pt("2023-08-06 13:45"))
    status = marks(agenda)
    assert status["Lunch"] is Status.PAST
    assert status["AI Takeover"] is Status.NOW and status["Forecasting AI misbehavior"] is Status.NOW
    assert status["My approach to scalable oversight"] is Status.NEXT
    assert status["Closing"] is Status.LATER


def test_agenda_of_another_day_is_all_past_or_later(awair):
    agenda = day_agenda(awair, date(2023, 8, 6), pt("2023-08-05 12:00"))
    assert set(marks(agenda).values()) == {Status.LATER}


def test_agenda_filter(awair):
    agenda = day_agenda(awair, date(2023, 8, 5), pt("2023-08-05 08:00"), "perez")
    assert [i.session.title for i in agenda.items] == ["Red Teaming LMs with LMs"]
    assert agenda.hidden == 12
    assert "matching 'perez'" in render_agenda(agenda)


def test_readings_for_now_is_the_current_then_next_reading_session(awair):
    assert readings_for_now(awair, pt("2023-08-05 08:00")).sections[0].session.title == "Misalignment"
    current = readings_for_now(awair, pt("2023-08-05 11:30")).sections[0]
    assert current.session.title == "Misalignment" and current.is_current
    assert readings_for_now(awair, pt("2023-08-05 12:30")).sections[0].session.title == "Scalable oversight"
    assert (
        readings_for_now(awair, pt("2023-08-06 09:00")).sections[0].session.title
        == "Model internals and interpretability"
    )
    # A reading session comes first even when a talk with related papers starts earlier.
    assert (
        readings_for_now(awair, pt("2023-08-05 15:10")).sections[0].session.title
        == "Model internals and interpretability"
    )


def test_a_talk_with_related_papers_counts_while_it_is_on_and_once_no_reading_session_is_left(awair):
    on_now = readings_for_now(awair, pt("2023-08-06 11:45")).sections[0]
    assert on_now.session.title == "ARC's current theory research" and on_now.is_current
    assert [r.title for r in on_now.readings] == ["Formalizing the presumption of independence"]
    later = readings_for_now(awair, pt("2023-08-06 12:40")).sections[0]
    assert later.session.title == "My approach to scalable oversight" and not later.is_current
    assert readings_for_now(awair, pt("2023-08-06 16:05")).sections == ()


def test_readings_text_has_each_item_in_full(awair):
    text = render_readings(readings_for_now(awair, pt("2023-08-05 12:30")))
    assert "📕 Scalable oversight: Sat 5 Aug 14:00-15:00 PT (in 1 h 30 min)" in text
    assert (
        "AI safety via debate (Geoffrey Irving et al., 2018) · 40 min · required · https://arxiv.org/abs/1805.00899"
        in text
    )
    assert "optional" in text


def test_all_readings_includes_talks(awair):
    titles = [s.session.title for s in all_readings(awair, pt("2023-08-05 08:00")).sections]
    assert titles[:3] == ["Misalignment", "Scalable oversight", "How likely is deceptive alignment?"]
    assert "Red Teaming LMs with LMs" in titles
