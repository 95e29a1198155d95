"""A Discord app built by the real factory, the fake Discord, and interactions signed with a
test Ed25519 key exactly as Discord signs them, sent through the HTTP endpoint."""

from __future__ import annotations

import io
import itertools
import json
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from nacl.signing import SigningKey

from bot.clock import ManualClock
from bot.db.engine import make_engine, make_sessionmaker
from bot.schedule.current import CurrentSchedule
from bot.services import Services
from bot.settings import Settings
from handlers.discord.app import DiscordApp, create_app
from handlers.discord.rest import DiscordRest
from handlers.discord.settings import DiscordSettings
from tests.support.databases import migrated
from tests.support.discord_spec import SPEC_PATH, check_callback
from tests.support.fake_discord import APPLICATION_ID, FakeDiscord
from tests.support.harness import REPO, InlineExecutor

SIGNING_KEY = SigningKey(bytes(range(32)))
PUBLIC_KEY = SIGNING_KEY.verify_key.encode().hex()
GUILD = "100000000000000001"
ORGANIZER = "200000000000000001"
ORGANIZER_ROLE = "100000000000000077"
MEMBER = "200000000000000002"
ANNOUNCE = "110000000000000001"
_IDS = itertools.count(500_000_000_000_000_001)


def sign(body: bytes, stamp: str | None = None, key: SigningKey = SIGNING_KEY) -> dict[str, str]:
    """The headers Discord sends with ``body``."""
    stamp = stamp or str(int(time.time()))
    return {
        "X-Signature-Ed25519": key.sign(stamp.encode() + body).signature.hex(),
        "X-Signature-Timestamp": stamp,
    }


def member(user: str = MEMBER, roles: tuple[str, ...] = (), name: str = "ada") -> dict[str, Any]:
    """A guild member as an interaction carries it."""
    return {
        "user": {"id": user, "username": name, "global_name": name.title()},
        "roles": list(roles),
        "nick": None,
    }


def option(name: str, value: Any, kind: int = 3, focused: bool = False) -> dict[str, Any]:
    """One typed option."""
    found = {"name": name, "type": kind, "value": value}
    return {**found, "focused": True} if focused else found


def sub(name: str, *options: dict[str, Any]) -> dict[str, Any]:
    """A subcommand with its options."""
    return {"name": name, "type": 1, "options": list(options)}


@dataclass
class Answer:
    """What Discord got back from the endpoint."""

    status: int
    body: dict[str, Any]

    @property
    def data(self) -> dict[str, Any]:
        """The message (or choices) of the interaction response."""
        return self.body.get("data") or {}

    @property
    def text(self) -> str:
        """Content, embeds and button labels, for assertions."""
        d = self.data
        parts = [d.get("content", "")]
        for e in d.get("embeds", []):
            parts += [e.get("title", ""), e.get("description", ""), (e.get("footer") or {}).get("text", "")]
            parts += [f"{f['name']}\n{f['value']}" for f in e.get("fields", [])]
        parts += [b.get("label", "") for row in d.get("components", []) for b in row["components"]]
        return "\n".join(p for p in parts if p)

    @property
    def ephemeral(self) -> bool:
        """Whether only the caller sees it."""
        return bool(int(self.data.get("flags") or 0) & 64)

    def custom_ids(self) -> list[str]:
        """Every button's custom_id."""
        return [b["custom_id"] for row in self.data.get("components", []) for b in row["components"]]


class DiscordHarness:
    """The bot as Discord sees it: signed interactions in, REST calls out to the fake."""

    def __init__(
        self,
        fake: FakeDiscord,
        now: datetime,
        db_url: str | None = None,
        schedule_path: Path | None = None,
        **settings: Any,
    ):
        self.fake = fake
        self.clock = ManualClock(now)
        discord = {k: settings.pop(k) for k in list(settings) if k in DiscordSettings.__dataclass_fields__}
        discord.setdefault("organizer_role", ORGANIZER_ROLE)
        discord.setdefault("organizer_ids", frozenset({ORGANIZER}))
        self.discord_settings = DiscordSettings(
            bot_token=fake.token,
            guild_id=GUILD,
            application_id=APPLICATION_ID,
            public_key=PUBLIC_KEY,
            api_url=fake.url,
            **discord,
        )
        self.settings = Settings(schedule_path=schedule_path or REPO / "schedule_data", **settings)
        db = None
        if db_url is not None:
            migrated(db_url)
            db = make_sessionmaker(make_engine(db_url))
        self.services = Services(
            settings=self.settings,
            clock=self.clock,
            schedule=CurrentSchedule.load(self.settings.schedule_path),
            db=db,
            background=InlineExecutor(),
        )
        self.app: DiscordApp = create_app(
            self.discord_settings, self.services, DiscordRest(fake.token, fake.url)
        )
        self.endpoint = self.app.endpoint()

    @property
    def platform(self):
        """Discord as the core sees it."""
        return self.services.platforms["discord"]

    def start_announcements(self):
        """Announcements to the configured channel through the real poster, the scheduler
        stepped by the test."""
        from awair_bot.wiring import start_announcements
        from handlers.discord.poster import DiscordPoster
        from tests.support.stepping import StepScheduler

        poster = DiscordPoster(DiscordRest(self.fake.token, self.fake.url))
        announcer = start_announcements(
            self.services, self.platform, poster, scheduler=StepScheduler(self.clock), wall=self.clock.now
        )
        assert announcer is not None, "set announce_channel first"
        return announcer

    def raw(self, body: bytes, headers: dict[str, str], method: str = "POST") -> Answer:
        """One HTTP request to the endpoint, with exactly these headers."""
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": "/discord/interactions",
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": "application/json",
            "wsgi.input": io.BytesIO(body),
            **{"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()},
        }
        got: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]]) -> None:
            got["status"] = int(status.split()[0])

        out = b"".join(self.endpoint(environ, start_response))
        body_json = json.loads(out) if out.startswith(b"{") else {"raw": out.decode()}
        if got["status"] == 200 and SPEC_PATH.is_file():
            assert check_callback(body_json) == [], check_callback(body_json)
        return Answer(got["status"], body_json)

    def send(self, interaction: dict[str, Any]) -> Answer:
        """An interaction, signed as Discord signs it."""
        body = json.dumps(interaction).encode()
        return self.raw(body, {**sign(body), "Content-Type": "application/json"})

    def _base(self, kind: int, who: dict[str, Any], data: dict[str, Any], **more: Any) -> dict[str, Any]:
        return {
            "id": str(next(_IDS)),
            "application_id": APPLICATION_ID,
            "type": kind,
            "token": f"token{next(_IDS)}",
            "version": 1,
            "guild_id": GUILD,
            "channel_id": ANNOUNCE,
            "member": who,
            "data": data,
            **more,
        }

    def command(self, name: str, *options: dict[str, Any], who: dict[str, Any] | None = None) -> Answer:
        """A slash command with typed options."""
        data = {"id": "1", "name": name, "type": 1, "options": list(options)}
        return self.send(self._base(2, who or member(), data))

    def organizer(self, name: str, *options: dict[str, Any]) -> Answer:
        """A slash command from a member with the organizer role."""
        return self.command(name, *options, who=member("200000000000000009", (ORGANIZER_ROLE,), "grace"))

    def click(self, custom_id: str, who: dict[str, Any] | None = None, flags: int = 64) -> Answer:
        """A button click on a message with ``flags`` (64: an ephemeral one)."""
        message = {"id": "600000000000000001", "channel_id": ANNOUNCE, "flags": flags}
        data = {"custom_id": custom_id, "component_type": 2}
        return self.send(self._base(3, who or member(), data, message=message))

    def autocomplete(self, name: str, *options: dict[str, Any]) -> Answer:
        """An autocomplete request, the focused option marked."""
        data = {"id": "1", "name": name, "type": 1, "options": list(options)}
        return self.send(self._base(4, member(), data))
