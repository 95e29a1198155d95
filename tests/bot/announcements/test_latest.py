"""The latest organizer announcement that went out (what the board shows)."""

from __future__ import annotations

from bot.announcements import organizer
from bot.announcements.latest import latest_sent
from bot.db.tables_announce import OrganizerStatus
from tests.bot.conftest import pt


def test_the_latest_sent_one_at_or_before_now(db_sessions):
    with db_sessions() as db:
        assert latest_sent(db, pt("2023-08-05 12:00")) is None
        first = organizer.schedule(
            db,
            "Coffee & cake",
            "slack:U1",
            "Alice",
            "slack",
            "C1",
            pt("2023-08-05 10:00"),
            pt("2023-08-05 09:00"),
        )
        second = organizer.schedule(
            db,
            "<!here> Lunch",
            "slack:U2",
            "Bob",
            "slack",
            "C1",
            pt("2023-08-05 12:00"),
            pt("2023-08-05 09:00"),
        )
        pending = organizer.schedule(
            db, "Later", "slack:U1", "Alice", "slack", "C1", pt("2023-08-05 11:00"), pt("2023-08-05 09:00")
        )
        failed = organizer.schedule(
            db, "Broken", "slack:U1", "Alice", "slack", "C1", pt("2023-08-05 11:30"), pt("2023-08-05 09:00")
        )
        for row, at in ((first, "2023-08-05 10:00"), (second, "2023-08-05 12:00")):
            assert organizer.claim(db, row.id, pt(at))
            organizer.mark_sent(db, row.id, f"{row.id}.0001", pt(at), 1)
        assert organizer.claim(db, failed.id, pt("2023-08-05 11:30"))
        organizer.mark_failed(db, failed.id, "channel_not_found")
        assert pending.status == OrganizerStatus.PENDING
    with db_sessions() as db:
        assert latest_sent(db, pt("2023-08-05 09:59")) is None
        assert latest_sent(db, pt("2023-08-05 11:45")).text == "Coffee & cake"
        latest = latest_sent(db, pt("2023-08-05 12:00"))
        assert (latest.text, latest.author_name, latest.sent_at) == (
            "<!here> Lunch",
            "Bob",
            pt("2023-08-05 12:00"),
        )
