"""Bidi controls in other people's text: balanced, so no right-to-left override or isolate
in a title or a name can leak out over the bot's own words on the same line."""

from __future__ import annotations

import re

# Explicit bidi controls: embeddings and overrides end with PDF, isolates with PDI.
_EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")  # LRE, RLE, LRO, RLO
_ISOLATES = frozenset("\u2066\u2067\u2068")  # LRI, RLI, FSI
_PDF, _PDI, _FSI = "\u202c", "\u2069", "\u2068"
_ANY_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def balanced_bidi(text: str) -> str:
    """``text`` with its bidi controls balanced: a closer with nothing open is dropped, and
    whatever is left open is closed at the end, so no override or isolate leaks out of it."""
    if _ANY_BIDI.search(text) is None:  # nearly every title: no loop, no copy
        return text
    out: list[str] = []
    open_: list[str] = []  # "E" for an embedding or override, "I" for an isolate
    for ch in text:
        if ch in _EMBEDDINGS:
            open_.append("E")
        elif ch in _ISOLATES:
            open_.append("I")
        elif ch == _PDF:
            # A PDF closes an embedding opened inside the current isolate, never the isolate.
            if not open_ or open_[-1] != "E":
                continue
            open_.pop()
        elif ch == _PDI:
            if "I" not in open_:
                continue
            # A PDI closes its isolate and every embedding still open inside it (UAX #9).
            while open_.pop() != "I":
                pass
        out.append(ch)
    out.extend(_PDF if kind == "E" else _PDI for kind in reversed(open_))
    return "".join(out)


def isolate(text: str) -> str:
    """``text`` as a bidi island inside our own left-to-right line: wrapped in an isolate,
    with its own controls balanced so it can neither close the island early nor leave a
    right-to-left override open over the rest of the line."""
    return f"{_FSI}{balanced_bidi(text)}{_PDI}"
