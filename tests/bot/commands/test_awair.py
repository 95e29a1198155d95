"""/awair help and reload: help from the command table, filtered by platform and caller."""

from __future__ import annotations

import shutil

from bot.commands.awair import Help, Reloaded, ReloadRefused
from bot.commands.base import Capability, NotAllowed, Usage
from tests.bot.commands.conftest import ORGANIZER, Bot
from tests.bot.conftest import REPO, pt


def syntaxes(answer: Help) -> list[str]:
    return [e.syntax for e in answer.entries]


def test_help_lists_what_the_platform_can_do(bot):
    everything = syntaxes(bot.ask("/awair"))
    assert everything[:3] == ["/next [N]", "/schedule [day] [words]", "/schedule ics"]
    assert "/propose <title> [-- text]" in everything and "/awair help" in everything
    bot.platform.capabilities = frozenset({Capability.BUTTONS})
    assert "/schedule ics" not in syntaxes(bot.ask("/awair help"))


def test_organizers_see_their_commands_and_no_one_else_does(bot):
    assert bot.ask("/awair").organizer_entries == ()
    theirs = [e.syntax for e in bot.ask("/awair", ORGANIZER).organizer_entries]
    assert theirs[0] == "/awair reload" and "/unconf export" in theirs and "/announce <text>" in theirs


def test_unknown_words_get_the_usage(bot):
    answer = bot.ask("/awair dance")
    assert isinstance(answer, Usage) and answer.problem == "I don't know `dance`."


def test_reload_is_for_organizers(bot):
    answer = bot.ask("/awair reload")
    assert isinstance(answer, NotAllowed) and "reload the schedule" in answer.text and answer.ask == ("boss",)


def test_reload_reports_changes_and_refuses_a_broken_edit(tmp_path):
    folder = tmp_path / "s"
    shutil.copytree(REPO / "schedule_data", folder)
    bot = Bot(pt("2023-08-05 10:45"), schedule_path=folder)
    day = folder / "2023-08-05.yaml"
    day.write_text(
        day.read_text().replace('start: "11:00"', 'start: "11:30"').replace('end: "12:10"', 'end: "12:40"')
    )
    answer = bot.ask("/awair reload", ORGANIZER)
    assert isinstance(answer, Reloaded) and [c.kind.value for c in answer.changes] == ["moved"]
    assert answer.notices_channel is None  # no announcer: no notice goes anywhere
    day.write_text("date: [not a date")
    refused = bot.ask("/awair reload", ORGANIZER)
    assert isinstance(refused, ReloadRefused) and refused.kept == len(bot.services.workshop.sessions)
