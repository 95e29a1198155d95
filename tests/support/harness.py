"""A Slack app built by the real factory, a fake Slack, and signed requests through Bolt."""

from __future__ import annotations

import json
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from slack_bolt import App
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient

from bot.announcements.poster import Poster
from bot.announcements.scheduler import AnnouncementScheduler
from bot.clock import ManualClock
from bot.db.engine import make_engine, make_sessionmaker
from bot.platforms import Platform
from bot.schedule.current import CurrentSchedule
from bot.services import Services
from bot.settings import Settings
from handlers.slack.app import PLATFORM, create_app
from handlers.slack.pacing import SlackLimits, unpaced
from handlers.slack.request_check import bolt_readable
from handlers.slack.settings import SlackSettings
from tests.support.databases import migrated
from tests.support.fake_slack import FakeSlack
from tests.support.signing import block_action_body, bolt_request, signed_headers, slash_command_body

REPO = Path(__file__).resolve().parents[2]
SIGNING_SECRET = "8f742231b10e88880123456789abcdef"
BOT_TOKEN = "xoxb-test-token"
ORGANIZER = "UORGANIZER1"


def as_slack_sends(typed: str) -> str:
    """What Slack sends for text a person typed: ``&``, ``<`` and ``>`` escaped."""
    return typed.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class InlineExecutor(Executor):
    """Runs submitted work at once, on the caller's thread."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # noqa: BLE001 - handed to the future, as an executor would
            future.set_exception(exc)
        return future


@dataclass
class Reply:
    """What the user sees from Bolt's HTTP answer."""

    status: int
    body: dict[str, Any]

    @property
    def text(self) -> str:
        """The fallback text plus every text in the blocks, for assertions."""
        parts = [self.body.get("text", "")]
        parts += [json.dumps(b, ensure_ascii=False) for b in self.body.get("blocks", [])]
        return "\n".join(parts)


class SlackHarness:
    """The bot as Slack sees it: signed requests in through Bolt, Web API calls out to a fake."""

    def __init__(
        self,
        fake: FakeSlack,
        now: datetime,
        schedule_path: Path | None = None,
        db_url: str | None = None,
        limits: SlackLimits | None = None,
        **settings: Any,
    ):
        self.fake = fake
        self.clock = ManualClock(now)
        slack = {k: settings.pop(k) for k in list(settings) if k in SlackSettings.__dataclass_fields__}
        slack.setdefault("organizer_ids", frozenset({ORGANIZER}))
        self.slack_settings = SlackSettings(
            bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=fake.url, **slack
        )
        self.settings = Settings(schedule_path=schedule_path or REPO / "schedule_data", **settings)
        schedule = CurrentSchedule.load(self.settings.schedule_path)
        db = None
        if db_url is not None:
            migrated(db_url)
            self.engine = make_engine(db_url)
            db = make_sessionmaker(self.engine)
        # Follow-up work runs inline, so a test sees its effects when dispatch returns.
        self.services = Services(
            settings=self.settings, clock=self.clock, schedule=schedule, db=db, background=InlineExecutor()
        )
        # Unpaced unless a test of Slack's limits passes ``SlackLimits()``.
        self.limits = limits or unpaced()
        self.app: App = create_app(
            self.slack_settings,
            self.services,
            client=WebClient(token=BOT_TOKEN, base_url=fake.url),
            limits=self.limits,
        )

    @property
    def platform(self) -> Platform:
        """Slack as the core sees it."""
        return self.services.platforms[PLATFORM]

    @property
    def announcer(self) -> AnnouncementScheduler | None:
        """Slack's announcer, once announcements are started."""
        return self.platform.announcer

    def start_announcements(self, poster: Poster, **kwargs: Any) -> AnnouncementScheduler:
        """Announcements to the configured channel, as the process starts them."""
        from awair_bot.wiring import start_announcements

        announcer = start_announcements(self.services, self.platform, poster, **kwargs)
        assert announcer is not None, "set announce_channel first"
        return announcer

    def dispatch(self, request: BoltRequest) -> Reply:
        """Send one request through Bolt; parse its JSON answer when there is one."""
        response = self.app.dispatch(request)
        try:
            body = json.loads(response.body) if response.body else {}
        except json.JSONDecodeError:
            body = {"raw": response.body}
        return Reply(response.status, body)

    def command(self, name: str, text: str = "", user: str = "U123", **fields: str) -> Reply:
        """A signed slash command, as Slack sends it."""
        body = slash_command_body(
            name, text, user_id=user, response_url=self.fake.response_url("cmd"), **fields
        )
        # As the web process hands it to Bolt (handlers.slack.request_check).
        return self.dispatch(bolt_request(bolt_readable(body.encode()).decode(), SIGNING_SECRET))

    def click(self, action_id: str, value: str, user: str = "U123", **fields: Any) -> Reply:
        """A signed button click (block_actions payload)."""
        body = block_action_body(
            action_id, value, user_id=user, response_url=self.fake.response_url("action"), **fields
        )
        return self.dispatch(bolt_request(body, SIGNING_SECRET))

    def raw(self, body: str, headers: dict[str, str]) -> Reply:
        """A request with exactly these headers (forged, stale or unsigned ones)."""
        return self.dispatch(BoltRequest(body=body, headers={k.lower(): v for k, v in headers.items()}))

    def signed_headers(
        self, body: str, timestamp: int | None = None, secret: str = SIGNING_SECRET
    ) -> dict[str, str]:
        """Headers as Slack would sign ``body``."""
        return signed_headers(body, secret, timestamp)
