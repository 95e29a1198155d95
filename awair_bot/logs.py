"""Log lines that cannot be forged, as text or as JSON (``LOG_FORMAT=json``).

Anything logged may carry a user's text (a path, a title, a reason); a newline in it would
start what looks like a log record of its own (``... CRITICAL ...``). Both formats escape
line breaks and other control characters in the message, and in a traceback every line
is indented, so no line of it reads as a record.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime

from handlers.web.guard import REQUEST_ID

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\u0085]")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"
# Attributes a record may carry (``extra=``) that JSON logs keep as fields: the event's ids.
ID_FIELDS = ("command", "platform", "proposal", "announcement", "channel", "user", "outcome")


def escape_control(text: str) -> str:
    """``text`` on one line: line breaks and control characters as visible escapes."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class RequestIdFilter(logging.Filter):
    """Adds the id of the web request being served (``-`` outside one) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


class SafeFormatter(logging.Formatter):
    """The text format, with the message escaped and tracebacks indented."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = escape_control(record.message)
        return super().formatMessage(record)

    def formatException(self, ei) -> str:
        return _indented(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return _indented(stack_info)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request id and event ids."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for name in ID_FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        # json.dumps escapes every control character, so a record is always one line.
        return json.dumps(entry, ensure_ascii=False, default=str)


def make_handler(stream, fmt: str = "text") -> logging.Handler:
    """A stream handler in ``fmt`` (``text`` or ``json``)."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if fmt == "json" else SafeFormatter(TEXT_FORMAT))
    handler.addFilter(RequestIdFilter())
    return handler


def _indented(text: str) -> str:
    return "\n".join("    | " + escape_control(line) for line in text.split("\n"))
