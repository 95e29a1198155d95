"""Any signed body at Discord's interactions endpoint: an interaction response, or 400 for
what Discord would never send; never a 500, never a mention let through."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.bot.conftest import pt
from tests.support.discord_harness import GUILD, DiscordHarness, member
from tests.support.fake_discord import FakeDiscord

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63)
    | st.floats(allow_nan=False)
    | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
NAMES = st.sampled_from(
    ["next", "schedule", "readings", "propose", "proposals", "awair", "announce", "unconf", "mine", "x"]
)
OPTION = st.fixed_dictionaries(
    {"name": st.sampled_from(["count", "day", "words", "search", "title", "description", "show", "topic",
                              "text", "when", "id", "minutes", "proposal"]),
     "type": st.sampled_from([1, 3, 4, 99]), "value": JSON},
    optional={"focused": st.booleans(), "options": st.lists(JSON, max_size=3)},
)  # fmt: skip
# A subcommand with typed options inside, as /propose new, /mine remind or /announce at come.
SUBCOMMAND = st.fixed_dictionaries(
    {
        "name": st.sampled_from(
            ["new", "withdraw", "show", "remind", "calendar", "now", "at", "cancel", "x"]
        ),
        "type": st.just(1),
        "options": st.lists(OPTION, max_size=3),
    }
)
INTERACTION = st.fixed_dictionaries(
    {
        "type": st.sampled_from([1, 2, 3, 4, 5]) | st.integers(),
        "id": st.text(max_size=20),
        "token": st.text(max_size=20),
        "guild_id": st.just(GUILD) | st.text(max_size=20),
        "member": st.just(member()) | JSON,
        "data": st.fixed_dictionaries(
            {
                "name": NAMES,
                "options": st.lists(OPTION | SUBCOMMAND, max_size=3),
                "custom_id": st.text(max_size=110),
            }
        )
        | JSON,
    }
)


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    with FakeDiscord() as fake:
        path = tmp_path_factory.mktemp("props")
        yield DiscordHarness(fake, pt("2023-08-06 13:00"), db_url=f"sqlite:///{path}/p.sqlite3")


@given(INTERACTION)
def test_any_signed_interaction_is_answered_or_refused_never_broken(bot, interaction):
    answer = bot.send(interaction)  # the harness checks every 200 against Discord's schema
    assert answer.status in (200, 400)
    if answer.status == 200 and answer.body.get("type") in (4, 7):
        data = answer.data
        assert data.get("allowed_mentions") == {"parse": []}
        assert "@everyone" not in json.dumps(data).replace("\\\\@everyone", "")
