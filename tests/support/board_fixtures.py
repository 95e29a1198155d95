"""A published unconference plan for the AWAIR Sunday block, made the way the bot makes it."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.schedule.model import Session, Workshop
from bot.unconference.plans import PlannedSession, PlanStatus, StoredPlan, to_sessions

ROOMS = ("Main room", "Library", "Garden room")


def published_plan(workshop: Workshop, titles: list[str] | None = None) -> tuple[Session, ...]:
    """Six sessions, two slots of an hour in the three rooms from Sunday 16:00, as the
    published plan puts them into the schedule; ``titles`` replaces the first titles."""
    block = workshop.session("sun-unconference")
    assert block is not None and block.end is not None
    names = list(titles or []) + [
        "Evals for deception",
        "Interpretability tooling",
        "Governance and compute",
        "Debate in practice",
        "Reward hacking stories",
        "Careers in alignment",
    ]
    items = []
    for n in range(6):
        start = block.start + timedelta(hours=n // 3)
        items.append(
            PlannedSession(
                session_id=f"unconf-{n + 1}",
                proposal_number=n + 1,
                title=names[n],
                description="",
                speaker_id=f"U0PROP{n}",
                speaker_name=f"Proposer {n + 1}",
                room=ROOMS[n % 3],
                start=start,
                end=start + timedelta(hours=1),
            )
        )
    stored = StoredPlan(
        id=1,
        status=PlanStatus.PUBLISHED,
        block_session_id=block.id,
        created_at=datetime(2023, 8, 6, 15, 0, tzinfo=block.start.tzinfo),
        created_by="UORGANIZER1",
        published_at=None,
        items=tuple(items),
    )
    return to_sessions(stored, workshop)
