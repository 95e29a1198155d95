"""The core's commands with no platform at all (errbot's test backend): a caller types a
line at an instant, the test reads the outcome value."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytest

from bot.announcements.scheduler import AnnouncementScheduler
from bot.clock import ManualClock
from bot.commands.base import Arguments, Caller, Capability
from bot.commands.runner import Answer, run_button, run_command
from bot.db.engine import make_engine, make_sessionmaker
from bot.people import Names
from bot.platforms import Platform
from bot.ports import PortError, PrivateFile
from bot.schedule.current import CurrentSchedule
from bot.services import Services
from bot.settings import Settings
from bot.unconference.views import ProposalView
from tests.bot.announcements.fakes import FakePoster, Sleeps
from tests.bot.conftest import REPO, pt
from tests.support.databases import migrated
from tests.support.stepping import StepScheduler

ORGANIZER = Caller("test", "boss", "Olive Organizer", is_organizer=True)
ADA = Caller("test", "ada", "ada")
BOB = Caller("test", "bob", "bob")
CHANNEL = "#general"


class TableNames:
    """Names the fake platform knows; anyone else has none."""

    known = {"ada": "Ada Lovelace", "bob": "Bob Babbage", "boss": "Olive Organizer"}

    def display_name(self, user_id: str) -> str | None:
        return self.known.get(user_id)


@dataclass
class FakeFiles:
    """Files sent, or a refusal to raise."""

    sent: list[tuple[str, PrivateFile]] = field(default_factory=list)
    refuse: PortError | None = None

    def send_file(self, user_id: str, file: PrivateFile) -> None:
        if self.refuse is not None:
            raise self.refuse
        self.sent.append((user_id, file))


@dataclass
class FakeMessages:
    """Proposal messages posted and updated."""

    posted: list[tuple[str, int]] = field(default_factory=list)
    updated: list[tuple[str, int, int]] = field(default_factory=list)

    def post_proposal(self, channel: str, proposal: ProposalView) -> tuple[str, str]:
        self.posted.append((channel, proposal.number))
        return channel, f"m{proposal.number}"

    def update_proposal(self, channel: str, message_id: str, proposal: ProposalView) -> None:
        self.updated.append((message_id, proposal.number, proposal.votes))


class Bot:
    """The core with a fake platform: ``ask`` a command, ``click`` a button, read outcomes."""

    def __init__(self, now: datetime, db_url: str | None = None, **settings: Any):
        self.clock = ManualClock(now)
        settings.setdefault("schedule_path", REPO / "schedule_data")
        self.settings = Settings(**settings)
        db = None
        if db_url is not None:
            migrated(db_url)
            self.engine = make_engine(db_url)
            db = make_sessionmaker(self.engine)
        self.services = Services(
            self.settings, self.clock, CurrentSchedule.load(self.settings.schedule_path), db
        )
        self.files, self.messages, self.told = FakeFiles(), FakeMessages(), []
        self.platform = self.services.add_platform(
            Platform(
                "test",
                frozenset(Capability),
                names=Names(TableNames()),
                files=self.files,
                proposal_messages=self.messages,
                announce_channel=CHANNEL,
                organizers=("boss",),
            )
        )
        self.poster = FakePoster()
        self.steps = StepScheduler(self.clock)
        self.announcer: AnnouncementScheduler | None = None

    def start_announcements(self) -> AnnouncementScheduler:
        """Announcements to the platform's channel, stepped by ``self.steps``."""
        from awair_bot.wiring import announcement_policy

        assert self.services.db is not None
        self.poster.platform = "test"
        self.announcer = AnnouncementScheduler(
            self.services.db,
            self.poster,
            CHANNEL,
            policy=announcement_policy(self.settings),
            clock=self.clock,
            sleep=Sleeps(),
            scheduler=self.steps,
            wall=self.clock.now,
        )
        self.announcer.start(self.services.workshop)
        self.services.schedule.subscribe(lambda _old, new: self.announcer.replan(new))
        self.platform.announcer = self.announcer
        return self.announcer

    def answer(self, line: str, caller: Caller = ADA) -> Answer:
        """The answer to a typed line, follow-ups started (inline: there is no executor)."""
        name, _, text = line.partition(" ")
        answer = run_command(
            self.services, self.platform, caller, name.removeprefix("/"), text, self.told.append
        )
        answer.start(self.services)
        return answer

    def ask(self, line: str, caller: Caller = ADA) -> Any:
        """The outcome of a typed line."""
        return self.answer(line, caller).outcome

    def given(self, name: str, args: Arguments, caller: Caller = ADA) -> Any:
        """The outcome of ``/name`` given its arguments as fields, as typed options give them."""
        answer = run_command(self.services, self.platform, caller, name, args, self.told.append)
        answer.start(self.services)
        return answer.outcome

    def click(self, button: str, value: str, caller: Caller = ADA) -> Any:
        """The outcome of a click."""
        answer = run_button(self.services, self.platform, caller, button, value, self.told.append)
        answer.start(self.services)
        return answer.outcome

    def at(self, text: str) -> Bot:
        """Set the clock to '2023-08-05 10:45' (workshop time)."""
        self.clock.set(pt(text))
        return self


@pytest.fixture
def bot() -> Bot:
    """The core on the AWAIR weekend, Saturday 10:45, without a database."""
    return Bot(pt("2023-08-05 10:45"))


@pytest.fixture
def dbbot(db_url) -> Iterator[Bot]:
    """The same with a database (SQLite; PostgreSQL too when configured)."""
    made = Bot(pt("2023-08-05 10:45"), db_url=db_url)
    yield made
    if made.announcer is not None:
        made.announcer.shutdown(wait=False)
    made.engine.dispose()
