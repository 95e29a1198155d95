"""A fake chat platform for announcement tests: records posts, fails on request."""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.announcements.messages import Message, render_text
from bot.announcements.poster import PostError, PostResult
from bot.schedule.model import Kind, Reading, Session, Speaker, Workshop


@dataclass
class Post:
    """One message the fake accepted."""

    channel: str
    message: Message
    ts: str
    at: float  # time.monotonic() when posted

    @property
    def text(self) -> str:
        return render_text(self.message)

    @property
    def keys(self) -> tuple[str, ...]:
        return self.message.keys


NOT_IN_CHANNEL = "not in the channel: join it first"
CANNOT_JOIN = "cannot join: invite the bot"


@dataclass
class FakePoster:
    """Posts succeed unless failures are queued with ``fail_next``; thread-safe."""

    platform = "fake"

    members: set[str] | None = None  # channels the bot is in; None: every channel
    joinable: bool = True
    posts: list[Post] = field(default_factory=list)
    joins: list[str] = field(default_factory=list)
    calls: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._failures: deque[tuple[PostError, bool]] = deque()
        self._counter = 0

    def fail_next(self, *errors: PostError, after_posting: bool = False) -> None:
        """Raise these errors, one per call, before posting again; ``after_posting``: the post
        goes through first (a time-out on the way back)."""
        self._failures.extend((error, after_posting) for error in errors)

    def post(self, channel: str, message: Message) -> PostResult:
        with self._lock:
            self.calls += 1
            if self._failures:
                error, after_posting = self._failures.popleft()
                if after_posting:
                    self._record(channel, message)
                raise error
            if self.members is not None and channel not in self.members:
                raise PostError("not_in_channel", not_joined=True, hint=NOT_IN_CHANNEL)
            return PostResult(self._record(channel, message).ts)

    def _record(self, channel: str, message: Message) -> Post:
        self._counter += 1
        post = Post(channel, message, f"1700000000.{self._counter:06d}", time.monotonic())
        self.posts.append(post)
        return post

    def join(self, channel: str) -> None:
        self.joins.append(channel)
        if not self.joinable:
            raise PostError("cannot_join", hint=CANNOT_JOIN)
        if self.members is not None:
            self.members.add(channel)

    def texts(self) -> list[str]:
        with self._lock:
            return [p.text for p in self.posts]

    def posted_keys(self) -> list[str]:
        with self._lock:
            return [k for p in self.posts for k in p.keys]

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Post]:
        """Wait (really) until ``count`` posts were made; returns the posts."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.posts) >= count:
                    return list(self.posts)
            time.sleep(0.02)
        return list(self.posts)


class FindingFakePoster(FakePoster):
    """A fake that can also search its channel for a post by ledger key."""

    def find(self, channel: str, key: str, since: datetime) -> str | None:
        with self._lock:
            return next((p.ts for p in self.posts if p.channel == channel and key in p.keys), None)


class Sleeps(list):
    """An injectable sleep that records instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


PT = ZoneInfo("America/Los_Angeles")


def session(
    sid: str,
    start: datetime,
    minutes: int = 30,
    kind: Kind = Kind.TALK,
    room: str | None = None,
    **extra: object,
) -> Session:
    """A session starting at ``start`` (aware) lasting ``minutes``."""
    local = start.astimezone(start.tzinfo)
    return Session(
        id=sid,
        title=extra.pop("title", sid.replace("-", " ").title()),  # type: ignore[arg-type]
        kind=kind,
        day=local.date(),
        start=start,
        end=start + timedelta(minutes=minutes),
        room=room,
        **extra,  # type: ignore[arg-type]
    )


def workshop(*sessions: Session, zone: ZoneInfo = PT) -> Workshop:
    """A workshop of these sessions, sorted by start as the loader sorts them."""
    ordered = tuple(sorted(sessions, key=lambda s: (s.start.astimezone(UTC), s.id)))
    return Workshop(name="Test workshop", timezone=zone, sessions=ordered)


READING = Reading(
    id="r1",
    title="Concrete Problems",
    url="https://arxiv.org/abs/1606.06565",
    authors=("Dario Amodei", "Chris Olah", "Jacob Steinhardt"),
    year=2016,
    minutes=40,
)
SPEAKER = Speaker("Evan Hubinger", "Anthropic")
