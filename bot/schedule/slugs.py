"""Ids made from titles: the one slug rule every schedule format shares."""

from __future__ import annotations

import re


def slugify(text: str, limit: int = 40) -> str:
    """Lower-case ASCII words joined by hyphens, for ids made from titles."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "session"
