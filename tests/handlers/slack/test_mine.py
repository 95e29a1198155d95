"""My agenda through Bolt: Add/Remove under /next and /schedule, /mine, Share, the App Home
tab (views.publish), times in the reader's zone; every call checked against Slack's spec."""

from __future__ import annotations

import json
import time

import pytest

from tests.bot.conftest import pt
from tests.support.harness import SIGNING_SECRET, SlackHarness
from tests.support.signing import bolt_request

PICK = "pick_session"


@pytest.fixture
def slack(fake_slack, db_url) -> SlackHarness:
    """Saturday 10:45 with a database: Misalignment is next."""
    return SlackHarness(fake_slack, pt("2023-08-05 10:45"), db_url=db_url)


def pick_buttons(blocks: list[dict]) -> dict[str, str]:
    """value -> label of every Add/Remove button in ``blocks``."""
    return {
        b["accessory"]["value"]: b["accessory"]["text"]["text"]
        for b in blocks
        if (b.get("accessory") or {}).get("action_id") == PICK
    }


def told(slack: SlackHarness) -> str:
    """The last private answer to a click."""
    return json.dumps(slack.fake.responses_to("action")[-1].body, ensure_ascii=False)


def test_next_has_add_buttons_and_a_pick_turns_yours_to_remove(slack):
    before = pick_buttons(slack.command("/next", user="UADA").body["blocks"])
    assert before == {"+sat-misalignment": "Add to my agenda"}
    slack.click(PICK, "+sat-misalignment", user="UADA")
    assert "Added *Misalignment* to your agenda" in told(slack)
    assert pick_buttons(slack.command("/next", user="UADA").body["blocks"]) == {"-sat-misalignment": "Remove"}
    # Someone else's /next (the same answer, served from memory) still says Add.
    assert pick_buttons(slack.command("/next", user="UBOB").body["blocks"]) == before


def test_a_stale_second_click_says_what_is_so(slack):
    slack.click(PICK, "+sat-misalignment", user="UADA")
    slack.click(PICK, "+sat-misalignment", user="UADA")
    assert "is already in your agenda" in told(slack)
    slack.click(PICK, "-sat-misalignment", user="UADA")
    slack.click(PICK, "-sat-misalignment", user="UADA")
    assert "was not in your agenda" in told(slack)


def test_mine_lists_picks_with_remove_buttons_and_clashes(slack):
    slack.clock.set(pt("2023-08-06 09:00"))
    for sid in ("sun-impact-stories", "sun-arc-evals", "sun-ai-takeover"):
        slack.click(PICK, f"+{sid}", user="UADA")
    assert "It clashes with Impact stories" in told(slack)
    reply = slack.command("/mine", user="UADA")
    assert pick_buttons(reply.body["blocks"]) == {
        "-sun-impact-stories": "Remove",
        "-sun-ai-takeover": "Remove",
        "-sun-arc-evals": "Remove",
    }
    assert reply.text.count("Clashes with") == 2
    assert "Your agenda: Sun 6 Aug" in reply.text
    assert slack.command("/schedule", "mine", user="UADA").body["blocks"] == reply.body["blocks"]


def test_share_posts_no_ones_personal_buttons(slack):
    reply = slack.command("/next", user="UADA")
    share = next(b for b in reply.body["blocks"] if b.get("type") == "actions")["elements"][0]
    slack.click("share_answer", share["value"], user="UADA")
    shared = slack.fake.responses_to("action")[-1].body
    assert shared["response_type"] == "in_channel"
    assert pick_buttons(shared["blocks"]) == {} and "accessory" not in json.dumps(shared["blocks"])


def test_the_schedule_menu_picks_a_session(slack):
    reply = slack.command("/schedule", user="UADA")
    menu = next(e for b in reply.body["blocks"] if b.get("type") == "actions" for e in b["elements"])
    assert menu["type"] == "static_select" and menu["action_id"] == PICK
    assert {o["value"] for o in menu["options"]} >= {"+sat-misalignment", "+sat-the-plan"}
    slack.click(PICK, "+sat-the-plan", user="UADA", action_type="static_select")
    assert "Added *The Plan for AI alignment*" in told(slack)
    again = slack.command("/schedule", user="UADA")
    menu = next(e for b in again.body["blocks"] if b.get("type") == "actions" for e in b["elements"])
    assert "-sat-the-plan" in {o["value"] for o in menu["options"]}


def home_event(user: str = "UADA") -> str:
    return json.dumps(
        {
            "token": "verification-token",
            "team_id": "T1",
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": "Ev1",
            "event_time": int(time.time()),
            "event": {
                "type": "app_home_opened",
                "user": user,
                "channel": "D1",
                "tab": "home",
                "event_ts": "1.2",
            },
        }
    )


def test_opening_the_home_tab_publishes_your_agenda_and_the_programme(slack):
    slack.click(PICK, "+sat-misalignment", user="UADA")
    slack.fake.reset()
    assert slack.dispatch(bolt_request(home_event(), SIGNING_SECRET)).status == 200
    (call,) = slack.fake.calls_to("views.publish")
    view = call.args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert call.args["user_id"] == "UADA" and view["type"] == "home"
    buttons = pick_buttons(view["blocks"])
    assert buttons["-sat-misalignment"] == "Remove" and buttons["+sat-red-teaming"] == "Add to my agenda"
    assert "Your agenda" in json.dumps(view) and "The programme" in json.dumps(view)


def test_a_click_in_the_home_tab_publishes_it_again(slack):
    slack.click(PICK, "+sat-red-teaming", user="UADA", container={"type": "view", "view_id": "V1"})
    (call,) = slack.fake.calls_to("views.publish")
    view = call.args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert pick_buttons(view["blocks"])["-sat-red-teaming"] == "Remove"
    assert slack.fake.responses_to("action") == []  # nothing to answer in a tab


def test_times_show_in_the_readers_zone_when_it_differs(slack):
    slack.click(PICK, "+sat-misalignment", user="UADA")
    # The fake Slack's members are in UTC, not the workshop's Pacific time.
    assert "<!date^" in slack.command("/mine", user="UADA").text
    assert "<!date^" not in slack.command("/next", user="UADA").text  # the same for everyone


def test_times_stay_the_workshops_when_the_reader_is_there(slack):
    def pacific(call):
        return {"ok": True, "user": {"id": call.args["user"], "name": "x", "tz": "America/Vancouver"}}

    slack.fake.set_response("users.info", pacific)
    slack.click(PICK, "+sat-misalignment", user="UADA")
    assert "<!date^" not in slack.command("/mine", user="UADA").text


@pytest.mark.parametrize("value", ["", "sat-misalignment", "+<!channel>", "+" + "x" * 3000, "-\u202e"])
def test_tampered_buttons_change_nothing_and_answer_kindly(slack, value):
    assert slack.click(PICK, value, user="UADA").status == 200
    assert "didn't work" in told(slack) or "no longer in the schedule" in told(slack)
    assert "<!channel>" not in told(slack)
    assert "Your agenda is empty" in slack.command("/mine", "all", user="UADA").text
