"""The bot's own schedule format, as pydantic models (the schema of the YAML files).

A schedule is a folder with ``workshop.yaml``, an optional ``readings.yaml`` and one file a
day (any other ``*.yaml``), or the same content in one file with ``days:`` inline.
See README.md ("The schedule format") for a worked example.
"""

from __future__ import annotations

import re
from datetime import date, time
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from bot.schedule.model import Kind

WORKSHOP_FILE = "workshop.yaml"
READINGS_FILE = "readings.yaml"

_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")


def _parse_clock(value: Any) -> Any:
    """Accept 'H:MM' / 'HH:MM' (24-hour). Anything else is left for pydantic to refuse."""
    if isinstance(value, str):
        match = _TIME.match(value)
        if not match:
            raise ValueError(f"'{value}' is not a time; write it as HH:MM, 24-hour (e.g. 13:30)")
        hour, minute = int(match[1]), int(match[2])
        if hour > 23 or minute > 59:
            raise ValueError(f"'{value}' is not a time of day (00:00 to 23:59)")
        return time(hour, minute)
    return value


ClockTime = Annotated[time, BeforeValidator(_parse_clock)]


class _Strict(BaseModel):
    # Unknown keys are typos far more often than intentions: refuse them.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    line: int | None = Field(default=None, alias="__line__", exclude=True)


class SpeakerIn(_Strict):
    """A speaker: name and, optionally, affiliation."""

    name: str = Field(min_length=1)
    affiliation: str | None = None


class ReadingIn(_Strict):
    """An entry of the readings list; sessions refer to it by ``id``."""

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    title: str = Field(min_length=1)
    url: str = Field(pattern=r"^https?://\S+$")
    authors: list[str] = []
    year: int | None = Field(default=None, ge=1900, le=2100)
    minutes: int | None = Field(default=None, ge=1, le=600)
    required: bool = True
    topics: list[str] = []


class SessionIn(_Strict):
    """One session of a day file. No ``end`` means open-ended ("6:30 - later")."""

    id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
    title: str = Field(min_length=1)
    start: ClockTime
    # No end means open-ended ("6:30 - later"): on until the programme day ends.
    end: ClockTime | None = None
    kind: Kind
    speaker: str | None = None
    affiliation: str | None = None
    speakers: list[SpeakerIn] = []
    room: str | None = None
    optional: bool = False
    readings: list[str] = []
    description: str = ""
    track: str | None = None
    url: str | None = None

    @model_validator(mode="after")
    def _one_way_to_name_speakers(self) -> SessionIn:
        if self.speaker and self.speakers:
            raise ValueError("use either 'speaker' or 'speakers', not both")
        if self.affiliation and not self.speaker:
            raise ValueError("'affiliation' needs a 'speaker'")
        return self

    def speaker_list(self) -> list[SpeakerIn]:
        """Speakers whichever way the file named them."""
        if self.speaker:
            return [SpeakerIn(name=self.speaker, affiliation=self.affiliation)]
        return list(self.speakers)


class DayIn(_Strict):
    """A day file: its date and its sessions (times are local to the workshop)."""

    date: date
    title: str | None = None
    sessions: list[SessionIn] = []


class RoomIn(_Strict):
    """A room of the venue; capacity orders rooms for unconference planning."""

    name: str = Field(min_length=1)
    capacity: int | None = Field(default=None, ge=1)


class UnconferenceIn(_Strict):
    """The unconference block: its session's id, the rooms it uses, the slot length."""

    session: str = Field(min_length=1, description="id of the unconference block's session")
    rooms: list[str] = Field(min_length=1)
    slot_minutes: int = Field(default=60, ge=10, le=480)


class WorkshopIn(_Strict):
    """``workshop.yaml``: name, time zone, venue, rooms; in a one-file schedule also ``days``."""

    name: str = Field(min_length=1)
    timezone: str
    venue: str | None = None
    url: str | None = None
    day_change_hour: int = Field(default=0, ge=0, le=12)
    rooms: list[RoomIn] = []
    unconference: UnconferenceIn | None = None
    readings: list[ReadingIn] = []
    days: list[DayIn] = []

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # "America" is a folder of zones
            raise ValueError(
                f"unknown time zone '{value}'; use an IANA name such as America/Los_Angeles"
            ) from None
        return value


class ReadingsFileIn(_Strict):
    """``readings.yaml``: the readings list."""

    readings: list[ReadingIn] = []
