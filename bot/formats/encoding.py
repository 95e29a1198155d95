"""A schedule file's bytes as text: UTF-8, as every format asks, and what real files do instead.

- A byte order mark (UTF-8, UTF-16) is read and dropped.
- RFC 5545 (section 3.1) lets a calendar fold a long line inside a multi-byte UTF-8 sequence
  and asks readers to unfold before decoding. The bytes of a character split by a fold are
  put back together before the fold, so lines (and the line numbers in messages) stay.
- Text in another encoding is read with a warning when the file says which (an XML
  declaration, an iCalendar ``CHARSET=`` parameter, the server's ``Content-Type``), and
  refused with the line and byte when it does not.
"""

from __future__ import annotations

import codecs
import re

# A UTF-8 lead byte and what of its sequence came before a fold, then the rest after it.
_SPLIT_BY_FOLD = re.compile(rb"([\xc2-\xf4][\x80-\xbf]{0,2})(\r?\n[ \t])([\x80-\xbf]{1,3})")
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*\bencoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_ICS_CHARSET = re.compile(rb";CHARSET=\"?([A-Za-z0-9._-]+)", re.I)


class NotText(ValueError):
    """Bytes that cannot be read as text; the message says where and what would fix it."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def is_calendar(data: bytes) -> bool:
    """Whether the bytes look like an iCalendar file."""
    return data[:256].lstrip(b"\xef\xbb\xbf \t\r\n")[:15].upper() == b"BEGIN:VCALENDAR"


def decode(data: bytes, charset: str | None = None) -> tuple[str, list[str]]:
    """The text of a schedule file and warnings about how it was read; ``charset`` is what the
    server said, if it came from one. Raises ``NotText``."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            raise NotText("not UTF-16 text, though it starts with UTF-16's byte order mark") from None
    if is_calendar(data):
        data = _SPLIT_BY_FOLD.sub(rb"\1\3\2", data)
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        first_bad = exc
    said = _declared(data, charset)
    if said is not None:
        name, where = said
        try:
            text = data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
        else:
            if name.replace("_", "-").lower() in ("utf-8", "utf8"):
                pass  # said UTF-8 and is not: fall through to the refusal
            elif where == "the XML declaration":
                return text, []  # XML names its encoding: nothing was guessed
            else:
                return text, [f"not UTF-8; read as {name}, as {where} says"]
    line = data.count(b"\n", 0, first_bad.start) + 1
    column = first_bad.start - (data.rfind(b"\n", 0, first_bad.start) + 1) + 1
    raise NotText(
        f"not UTF-8 text (byte {first_bad.start}, column {column} of line {line}: "
        f"{data[first_bad.start : first_bad.start + 1].hex()}), and the file does not say its "
        "charset; save it as UTF-8",
        line,
    )


def _declared(data: bytes, charset: str | None) -> tuple[str, str] | None:
    if charset:
        return charset, "the server's Content-Type"
    match = _XML_ENCODING.match(data)
    if match:
        return match[1].decode("ascii"), "the XML declaration"
    if is_calendar(data):
        match = _ICS_CHARSET.search(data)
        if match:
            return match[1].decode("ascii"), "its CHARSET parameter"
    return None
