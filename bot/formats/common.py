"""What every importer shares: kinds, plain text, ids, readings, lines, and the final checks."""

from __future__ import annotations

import html
import logging
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from bot.schedule.checks import check_workshop
from bot.schedule.errors import Problem, ScheduleError
from bot.schedule.model import Kind, Reading, Room, Session, Workshop
from bot.schedule.slugs import slugify

logger = logging.getLogger(__name__)

# The bot's own format lets a programme day run until noon the next day, no later.
MAX_DAY_CHANGE_HOUR = 12
NO_EVENTS = "no events to import (is the schedule published yet?)"
MAX_REASONS = 20  # an unusable file lists this many reasons, not a thousand


@dataclass(frozen=True)
class ImportOptions:
    """What the organizer tells every importer: the zone that overrides the file's."""

    timezone: ZoneInfo | None = None


# Words in a conference tool's event type, most specific first: "Reading & discussion" is a
# reading, "Panel discussion" a discussion, "Coffee break" a meal. Anything else is a talk,
# which is what most events of a conference are.
_KIND_WORDS: tuple[tuple[Kind, tuple[str, ...]], ...] = (
    (Kind.MEAL, ("meal", "break", "lunch", "dinner", "breakfast", "coffee", "snack", "tea")),
    (Kind.UNCONFERENCE, ("unconference", "open space", "self organized", "self organised", "barcamp")),
    (Kind.READING, ("reading", "journal club", "paper club")),
    (
        Kind.DISCUSSION,
        (
            "discussion",
            "workshop",
            "panel",
            "meeting",
            "hands on",
            "bof",
            "birds of a feather",
            "roundtable",
            "round table",
            "seminar",
            "tutorial",
        ),
    ),
    (Kind.LOGISTICS, ("logistics", "opening", "closing", "welcome", "registration", "ceremony")),
)


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9&+]+", " ", text.lower()).split())


_EXACT_KINDS = {**{k.value: k for k in Kind}, **{_normal(k.label): k for k in Kind}}
_ANYWHERE = [(kind, re.compile(rf"\b(?:{'|'.join(keys)})\b")) for kind, keys in _KIND_WORDS]
_LEADING = [(kind, re.compile(rf"^(?:{'|'.join(keys)})\b")) for kind, keys in _KIND_WORDS]


def kind_for(original: str | None, title: str = "") -> Kind:
    """The bot's kind for a tool's event type ("lecture", "Coffee break", "Panel").

    Without a type, a title that starts with such a word ("Lunch", "Opening remarks") decides;
    a title only hints, so a word later in it ("Why coffee matters") does not.
    """
    if original and original.strip():
        return _kind_of_type(original)
    words = _normal(title)
    return next((kind for kind, rx in _LEADING if rx.search(words)), Kind.TALK)


@lru_cache(maxsize=256)  # a schedule has a handful of types over hundreds of events
def _kind_of_type(original: str) -> Kind:
    words = _normal(original)
    if words in _EXACT_KINDS:
        return _EXACT_KINDS[words]
    return next((kind for kind, rx in _ANYWHERE if rx.search(words)), Kind.TALK)


_LINK = re.compile(r"<a\b[^>]*?\bhref\s*=\s*[\"']([^\"']+)[\"'][^>]*>(.*?)</a\s*>", re.I | re.S)
_BREAK = re.compile(r"<(?:br|/p|p|/div|/h[1-6]|/tr|/ul|/ol)\b[^>]*>", re.I)
_ITEM = re.compile(r"<li\b[^>]*>", re.I)
# A tag needs a letter (or /, !) after '<', so "a < b" in plain text survives.
_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z!][^>]*>", re.S)
_BLANK_LINES = re.compile(r"\n{3,}")


def html_to_text(text: str | None) -> str:
    """Plain text from a description that may hold HTML tags and entities."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "<" not in text and "&" not in text:
        return text.strip()  # most descriptions: plain text, as the organizer wrote it
    text = _LINK.sub(lambda m: _link_text(m[2], m[1]), text)
    text = html.unescape(_TAG.sub("", _ITEM.sub("\n- ", _BREAK.sub("\n", text))))
    # Tags removed leave the spaces and empty lines around them behind.
    lines = (line.rstrip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _link_text(label: str, url: str) -> str:
    label = _TAG.sub("", label).strip()
    return url if not label or label == url else f"{label} ({url})"


def safe_id(text: str) -> str:
    """An id the bot's own format accepts (letters, digits, ``_.:-``), made from any id."""
    cleaned = re.sub(r"[^A-Za-z0-9_.:-]+", "-", text.strip()).strip("-_.:")
    return cleaned or slugify(text)


_WEB_ADDRESS = re.compile(r"^https?://\S+$")  # what the bot's own format takes as a reading's url


class ReadingBook:
    """The readings of an import: one per URL, with ids the bot's own format accepts."""

    def __init__(self, base_url: str | None = None):
        self.base_url = base_url
        self._by_url: dict[str, Reading] = {}
        self._ids: set[str] = set()

    def add(self, session_id: str, url: str | None, title: str | None) -> Reading | None:
        """The reading for a link of a session, or None when the link is not a web address."""
        url = (url or "").strip()
        if self.base_url and url and "://" not in url:
            url = urljoin(self.base_url, url)  # frab writes attachments relative to base_url
        if not _WEB_ADDRESS.match(url):
            return None
        if url not in self._by_url:
            n, stem = 1, session_id.replace(":", "-")  # reading ids allow no ':'
            while f"{stem}-{n}" in self._ids:
                n += 1
            self._ids.add(f"{stem}-{n}")
            # A talk's links (slides, a wiki page, a video) are for whoever wants them: only
            # the bot's own readings.yaml marks anything required.
            self._by_url[url] = Reading(
                id=f"{stem}-{n}", title=(title or "").strip() or url, url=url, required=False
            )
        return self._by_url[url]

    @property
    def readings(self) -> tuple[Reading, ...]:
        """Every reading added, in the order first seen."""
        return tuple(self._by_url.values())


class NthLine:
    """The line of the n-th match of a pattern (an <event>, a BEGIN:VEVENT), found when asked.

    Parsers of XML and iCalendar keep no lines; events come in document order, so the n-th
    event is the n-th match. Scanning waits for the first message that needs a line.
    """

    def __init__(self, text: str, pattern: str):
        self._text, self._pattern = text, re.compile(pattern, re.M)
        self._starts: list[int] | None = None
        self._newlines: list[int] = []

    def line(self, n: int) -> int | None:
        """The 1-based line of the n-th (0-based) match, if there is one."""
        if self._starts is None:
            self._starts = [m.start() for m in self._pattern.finditer(self._text)]
            self._newlines = [m.start() for m in re.finditer("\n", self._text)]
        if n >= len(self._starts):
            return None
        return bisect_right(self._newlines, self._starts[n]) + 1


# Where a session came from: a line, or a way to find it that is only paid for in a message.
Line = int | None | Callable[[], int | None]


@dataclass
class Draft:
    """An import in progress: sessions with where each came from, problems and warnings."""

    file: str
    sessions: list[Session] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    _lines: dict[str, Line] = field(default_factory=dict, init=False, repr=False)
    _ids: set[str] = field(default_factory=set, init=False, repr=False)

    def problem(self, message: str, where: str | None = None, line: Line = None) -> None:
        """Note something that makes the file unusable."""
        self.problems.append(Problem(self.file, message, _resolve(line), where))

    def warn(self, message: str, where: str | None = None, line: Line = None) -> None:
        """Note something imported with a guess, worded like a located problem."""
        self.warnings.append(Problem(self.file, message, _resolve(line), where))

    def unique_id(self, wanted: str) -> str:
        """Claim ``wanted``, or ``wanted-2``, ``-3``... when another session already has it."""
        chosen, n = wanted, 1
        while chosen in self._ids:
            n += 1
            chosen = f"{wanted}-{n}"
        self._ids.add(chosen)
        return chosen

    def add(self, session: Session, line: Line) -> None:
        """Keep a session and where it came from."""
        self.sessions.append(session)
        self._lines[session.id] = line

    def line_of(self, session: Session) -> int | None:
        """The line a session came from, if the format tells."""
        return _resolve(self._lines.get(session.id))

    def finish(
        self,
        *,
        name: str,
        zone: ZoneInfo,
        rooms: list[Room],
        readings: tuple[Reading, ...],
        url: str | None,
        day_change_hour: int,
    ) -> Workshop:
        """The checked ``Workshop``, or ``ScheduleError`` with every problem found."""
        if not self.sessions and not self.problems and not self.warnings:
            self.problem(NO_EVENTS)
        if self.problems:
            raise ScheduleError(sorted(self.problems, key=lambda p: p.line or 0))  # in file order
        if not self.sessions:
            # Every event was left out: the reasons become the problems of an unusable file.
            reasons = sorted(self.warnings, key=lambda p: p.line or 0)[:MAX_REASONS]
            raise ScheduleError([Problem(self.file, "no event can be used; why, event by event:"), *reasons])
        self.sessions.sort(key=lambda s: s.start)  # stable: parallel events keep file order
        known = {r.name for r in rooms}
        rooms = rooms + [
            Room(n) for n in dict.fromkeys(s.room for s in self.sessions if s.room) if n not in known
        ]
        workshop = Workshop(
            name=name,
            timezone=zone,
            sessions=tuple(self.sessions),
            rooms=tuple(rooms),
            readings=readings,
            url=url,
            day_change_hour=day_change_hour,
        )
        problems = check_workshop(workshop, lambda s: (self.file, self.line_of(s)), self.file)
        # Conference tools publish rooms that double-book (a lightning-talk block and its talks,
        # a late change): the organizer cannot fix the tool's file from here, and the bot still
        # answers correctly with both listed, so overlaps are warnings for imports. The bot's own
        # files, which the organizer edits, keep them as errors.
        overlaps = [p for p in problems if p.message.startswith("overlaps ")]
        errors = [p for p in problems if p not in overlaps]
        if errors:
            raise ScheduleError(errors)
        workshop = replace(workshop, warnings=tuple(str(p) for p in (*self.warnings, *overlaps)))
        logger.info(
            "imported %s: %d sessions over %d days from %s",
            name,
            len(workshop.sessions),
            len(workshop.days),
            self.file,
        )
        return workshop


def _resolve(line: Line) -> int | None:
    return line() if callable(line) else line
