"""``awair-bot rehearse --board``: the lobby board at every moment it changes, no Slack."""

from __future__ import annotations

import re

from awair_bot.cli import main
from tests.support.harness import REPO

HEADING = re.compile(r"^── (.+) ─+$", re.MULTILINE)


def test_the_board_through_saturday_morning(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SCHEDULE_PATH", str(REPO / "schedule_data"))
    assert main(["rehearse", "--board", "--from", "sat 10:30", "--to", "sat 12:30"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert HEADING.findall(out) == [
        "Sat 5 Aug 10:30 PT",
        "Sat 5 Aug 10:40 PT",
        "Sat 5 Aug 11:00 PT",
        "Sat 5 Aug 12:10 PT",
    ]
    assert "\n  Break: nothing on until 11:00 PT (in 20 min).\n" in out
    assert "    Now: 📕 Misalignment · reading & discussion (11:00-12:10 PT, ends in 1 h 10 min)" in out
    assert out.endswith("\n4 board states from Sat 5 Aug 10:30 PT until Sat 5 Aug 12:30 PT.\n")
