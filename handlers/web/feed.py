"""``GET /cal/<token>.ics``: one person's agenda as a calendar their app subscribes to.

The token is the only key: 32 random bytes' worth of URL-safe text, stored as its SHA-256,
so neither the database nor a log holds a working link. Anything that is not a live token
(a wrong one, an old one after ``/mine calendar reset``, a malformed path) gets the same
404 as any missing page, so a guesser learns nothing about which tokens exist.
"""

from __future__ import annotations

import hashlib
import logging
import re
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from bot.commands.mine import personal_ics
from bot.my_agenda.store import person_of_token, picks_of
from bot.services import NoDatabase, Services
from handlers.web.routes import Response, etag_matches

logger = logging.getLogger(__name__)

FEED_PREFIX = "/cal/"
_PATH = re.compile(r"/cal/([A-Za-z0-9_-]{16,64})\.ics")
NOT_FOUND: Response = ("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")], b"Not Found")


class FeedRoute:
    """The personal feeds, read from the picks at each request (they change as people pick)."""

    def __init__(self, services: Services):
        self._services = services

    def __call__(self, environ: dict[str, Any]) -> Response:
        found = _PATH.fullmatch(environ.get("PATH_INFO", ""))
        if found is None:
            return NOT_FOUND
        try:
            with self._services.session() as db:
                person = person_of_token(db, found.group(1))
                if person is None:
                    return NOT_FOUND
                picks = picks_of(db, person)
        except NoDatabase:
            return NOT_FOUND
        except SQLAlchemyError:
            logger.warning("a calendar feed could not be read: database unavailable")
            return (
                "503 Service Unavailable",
                [("Content-Type", "text/plain; charset=utf-8"), ("Retry-After", "30")],
                b"Try again soon",
            )
        body = personal_ics(self._services.workshop, picks, self._services.clock.now())
        etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
        # Private: a shared cache must never hand one person's feed to another.
        headers = [("ETag", etag), ("Cache-Control", "private, max-age=300")]
        if etag_matches(environ.get("HTTP_IF_NONE_MATCH", ""), etag):
            return "304 Not Modified", headers, b""
        logger.info("served the calendar feed of %s (%d sessions)", person, len(picks))
        return "200 OK", [("Content-Type", "text/calendar; charset=utf-8"), *headers], body
