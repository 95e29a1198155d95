"""The schedule as an RFC 5545 calendar, for ``awair-bot export ics`` and ``GET /schedule.ics``.

Every event carries the workshop's zone (with its VTIMEZONE), a UID made from the session id
and the workshop's name, so importing the file again updates events instead of adding copies,
and a description with the kind, speakers and readings. Readings are also ATTACH links (with
their titles as LABEL), which this bot's importer reads back as readings.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar, Event

from bot.schedule.model import Session, Workshop
from bot.schedule.slugs import slugify

PRODID = "-//awair-bot//schedule//EN"
DAY_CHANGE_PROPERTY = "X-AWAIR-DAY-CHANGE-HOUR"


def session_uid(workshop: Workshop, session: Session) -> str:
    """The session's calendar UID: the same for every export of the same workshop."""
    return f"{session.id}@{slugify(workshop.name, limit=60)}.awair-bot"


def workshop_to_ics(workshop: Workshop, now: datetime) -> bytes:
    """The whole schedule as iCalendar bytes; ``now`` is the DTSTAMP of every event."""
    calendar = Calendar.new(
        prodid=PRODID,
        name=workshop.name,
        uid=f"{slugify(workshop.name, limit=60)}.awair-bot",
        url=workshop.url,
        calscale="GREGORIAN",
    )
    # Google Calendar shows imported times in the calendar's zone named here.
    calendar.add("X-WR-TIMEZONE", workshop.timezone.key)
    if workshop.day_change_hour:
        # Calendars have no programme days; this keeps a 01:15 event on its night when the
        # bot imports the file again. Other clients ignore X- properties.
        calendar.add(DAY_CHANGE_PROPERTY, str(workshop.day_change_hour))
    for session in workshop.sessions:
        calendar.add_component(_event(workshop, session, now))
    if workshop.sessions:
        # VTIMEZONE rules only for the workshop's dates keep the file small.
        first, last = workshop.days[0], workshop.days[-1]
        calendar.add_missing_timezones(
            first_date=first - timedelta(days=1), last_date=last + timedelta(days=2)
        )
    return calendar.to_ical()


def _event(workshop: Workshop, session: Session, now: datetime) -> Event:
    zone = workshop.timezone
    event = Event.new(
        uid=session_uid(workshop, session),
        stamp=now,
        summary=session.title,
        start=session.start.astimezone(zone),
        # An open-ended session ("6:30 - later") has no DTEND: RFC 5545 reads that as starting
        # then, and an invented end would be read back as a fixed one.
        end=session.end.astimezone(zone) if session.end else None,
        location=session.room,
        description=_description(session),
        url=session.url,
        categories=[session.kind.value],
    )
    for reading in session.readings:
        event.add("ATTACH", reading.url, parameters={"LABEL": reading.title})
    return event


def _description(session: Session) -> str:
    """Kind and speakers first, as calendars show the start of a description; readings last."""
    details = [session.kind.label]
    if session.speakers:
        details.append(", ".join(str(p) for p in session.speakers))
    if session.track:
        details.append(session.track)
    if session.optional:
        details.append("optional")
    parts = [" · ".join(details)]
    if session.description:
        parts.append(session.description)
    if session.readings:
        parts.append("\n".join(["Readings:", *(f"- {r.title}: {r.url}" for r in session.readings)]))
    return "\n\n".join(parts)
