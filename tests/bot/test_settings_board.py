"""BOARD_TOKEN: optional; when set, a token fit for a URL, never shown back."""

from __future__ import annotations

import pytest

from bot.settings import SettingsError, load_settings


def test_unset_means_an_open_board():
    assert load_settings({}, env_file=None).board_token is None


def test_a_good_token_is_kept_and_never_in_the_repr():
    settings = load_settings({"BOARD_TOKEN": "lobby-screens_2023.aug~x"}, env_file=None)
    assert settings.board_token == "lobby-screens_2023.aug~x"
    assert "lobby-screens" not in repr(settings)


@pytest.mark.parametrize(
    "bad", ["short", "has spaces in it, sadly", "ünïcode-token-ünïcode", "a&b=c-and-more-chars"]
)
def test_a_bad_token_says_how_to_make_one(bad):
    with pytest.raises(SettingsError) as caught:
        load_settings({"BOARD_TOKEN": bad}, env_file=None)
    (problem,) = caught.value.problems
    assert problem.startswith("BOARD_TOKEN should be 16 to 200 letters, digits or - _ . ~")
    assert "secrets.token_urlsafe" in problem and bad not in problem
