"""Where an event is in a JSON export: JSON parsers keep no line numbers, so problems are
located by searching the text for the event's guid, id or title."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from contextlib import suppress
from typing import Any


def line_of(text: str, event: Any) -> int | None:
    """Where an event is in the text: JSON parsers keep no lines, so look for its guid, id or title."""
    if not isinstance(event, Mapping):
        return None
    guid, raw_id, title = event.get("guid"), event.get("id"), event.get("title")
    needles = []
    if isinstance(guid, str) and guid:
        needles.append(re.compile(re.escape(json.dumps(guid))))
    if raw_id is not None:
        with suppress(TypeError, ValueError):  # an id no JSON can hold is found by its title
            needles.append(re.compile(rf'"id"\s*:\s*{re.escape(json.dumps(raw_id))}'))
    if isinstance(title, str) and title:
        needles += [re.compile(re.escape(json.dumps(title, ensure_ascii=a))) for a in (False, True)]
    for needle in needles:
        match = needle.search(text)
        if match:
            return text.count("\n", 0, match.start()) + 1
    return None
