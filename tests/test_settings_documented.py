"""Every setting the bot reads is documented in .env.example and the README's settings table."""

from __future__ import annotations

import re

from tests.support.harness import REPO


def test_every_setting_read_is_documented():
    source = (REPO / "bot" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'(?:get|integer|instant|token)\(\s*"([A-Z][A-Z0-9_]+)"', source))
    assert {"SCHEDULE_TIMEZONE", "SCHEDULE_URL", "SCHEDULE_CACHE_PATH", "SCHEDULE_POLL_SECONDS"} <= names
    example = (REPO / ".env.example").read_text(encoding="utf-8")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert sorted(n for n in names if not re.search(rf"^{n}=", example, re.M)) == []
    assert sorted(n for n in names if f"| `{n}` |" not in readme) == []
