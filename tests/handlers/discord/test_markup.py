"""Discord markdown made inert, links kept, and embeds cut to Discord's limits."""

from __future__ import annotations

import pytest

from handlers.discord.markup import code_marked, cut, embed_size, escape, fit_embed


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("**bold** _it_ ~~s~~ ||spoiler||", "\\*\\*bold\\*\\* \\_it\\_ \\~\\~s\\~\\~ \\|\\|spoiler\\|\\|"),
        ("@everyone @here <@123> <@&45> <#67>", "\\@everyone \\@here \\<\\@123\\> \\<\\@&45\\> \\<\\#67\\>"),
        ("[click](https://evil.example)", "\\[click\\](<https://evil.example>)"),
        ("# Heading\n> quote\n- bullet\n1. numbered", "\\# Heading\n\\> quote\n\\- bullet\n1\\. numbered"),
        ("paper: https://arxiv.org/abs/2206.05802", "paper: <https://arxiv.org/abs/2206.05802>"),
        ("11:00 PT, 2.5 h, -1", "11:00 PT, 2.5 h, -1"),
        ("bell\x07 and NUL\x00", "bell  and NUL "),
    ],
)
def test_user_text_shows_as_typed(typed, shown):
    assert escape(typed) == shown


def test_the_bot_s_own_backticks_stay_code():
    assert code_marked("Try `/next 3` *now*") == "Try `/next 3` \\*now\\*"
    assert code_marked("one ` tick") == "one \\` tick"


def test_cut_never_leaves_a_dangling_escape():
    assert cut("ab\\*cd", 4) == "ab…"
    assert len(cut("x" * 5000, 4096)) == 4096


def test_embeds_fit_discord_s_limits():
    embed = fit_embed(
        {
            "title": "t" * 300,
            "description": "d" * 5000,
            "fields": [{"name": "n" * 300, "value": "v" * 2000} for _ in range(40)],
        }
    )
    assert len(embed["title"]) <= 256 and len(embed["description"]) <= 4096
    assert len(embed["fields"]) <= 25 and all(len(f["value"]) <= 1024 for f in embed["fields"])
    assert embed_size(embed) <= 6000
    assert "more not shown" in embed["footer"]["text"]
