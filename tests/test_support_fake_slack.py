"""Self-tests for the Slack test-support package (``tests/support``)."""

from __future__ import annotations

import json
import time
import urllib.error
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs

import pytest
from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import builtin_handlers
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from tests.support import slack_spec
from tests.support.fake_slack import FakeSlack
from tests.support.signing import (
    block_action_body,
    bolt_request,
    sign,
    signed_headers,
    slash_command_body,
)

TOKEN = "xoxb-test"
SECRET = "test-signing-secret"
BLOCKS = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Next:* coffee"}}]


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    """A running fake Slack, stopped after the test."""
    with FakeSlack() as server:
        yield server


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    """A real WebClient pointed at the fake."""
    return WebClient(token=TOKEN, base_url=fake.url)


# ---------------------------------------------------------------- fake server


def test_url_is_loopback_api_base(fake: FakeSlack) -> None:
    assert fake.url.startswith("http://127.0.0.1:")
    assert fake.url.endswith("/api/")
    assert fake.response_url("r1") == f"http://127.0.0.1:{fake.port}/response/r1"


def test_post_message_with_blocks_is_recorded(fake: FakeSlack, client: WebClient) -> None:
    first = client.chat_postMessage(channel="C1", text="Next: coffee", blocks=BLOCKS)
    second = client.chat_postMessage(channel="C1", text="again", thread_ts=first["ts"])

    assert first["ok"] and first["channel"] == "C1"
    assert first["ts"] == "1700000000.000100"
    assert float(second["ts"]) > float(first["ts"])
    assert first["message"]["blocks"] == BLOCKS
    assert second["message"]["thread_ts"] == first["ts"]

    calls = fake.calls_to("chat.postMessage")
    assert len(calls) == 2
    call = calls[0]
    assert call.method == "chat.postMessage"
    assert call.token == TOKEN
    assert call.args == {"channel": "C1", "text": "Next: coffee", "blocks": BLOCKS}
    # slack_sdk sends chat.postMessage as a JSON body.
    assert call.content_type.startswith("application/json")
    assert call.status == 200
    assert call.response is not None and call.response["ts"] == first["ts"]


def test_form_encoded_json_fields_are_decoded_but_raw_kept(fake: FakeSlack, client: WebClient) -> None:
    client.api_call("chat.postMessage", params={"channel": "C1", "blocks": json.dumps(BLOCKS)})

    (call,) = fake.calls
    assert call.content_type == "application/x-www-form-urlencoded"
    assert call.args["blocks"] == BLOCKS
    assert call.raw_args["blocks"] == json.dumps(BLOCKS)


def test_default_answers(fake: FakeSlack, client: WebClient) -> None:
    auth = client.auth_test()
    assert (auth["user_id"], auth["bot_id"], auth["team_id"]) == ("UBOT", "BBOT", "T1")
    assert client.users_info(user="U42")["user"]["real_name"] == "User U42"
    assert client.conversations_join(channel="C9")["channel"]["id"] == "C9"
    assert client.chat_update(channel="C1", ts="1.2", text="x")["ok"]
    assert client.chat_postEphemeral(channel="C1", user="U1", text="psst")["message_ts"]
    assert client.views_open(trigger_id="T1.1", view={"type": "modal", "blocks": []})["ok"]
    assert client.reactions_add(channel="C1", timestamp="1.2", name="tada")["ok"]
    assert fake.methods == [
        "auth.test",
        "users.info",
        "conversations.join",
        "chat.update",
        "chat.postEphemeral",
        "views.open",
        "reactions.add",
    ]


def test_files_upload_v2_round_trip(fake: FakeSlack, client: WebClient) -> None:
    result = client.files_upload_v2(
        channel="C1", content="a,b\n1,2\n", filename="readings.csv", title="Readings"
    )

    assert result["file"]["title"] == "Readings"
    assert fake.methods == ["files.getUploadURLExternal", "files.completeUploadExternal"]
    (upload,) = fake.uploads
    assert upload.data == b"a,b\n1,2\n"
    assert upload.filename == "readings.csv"
    complete = fake.calls_to("files.completeUploadExternal")[0]
    assert complete.args["files"] == [{"id": upload.file_id, "title": "Readings"}]
    assert complete.args["channel_id"] == "C1"


def test_missing_token_is_not_authed(fake: FakeSlack) -> None:
    anonymous = WebClient(base_url=fake.url)
    with pytest.raises(SlackApiError) as raised:
        anonymous.chat_postMessage(channel="C1", text="hi")
    assert raised.value.response["error"] == "not_authed"
    assert anonymous.api_test()["ok"]
    assert fake.calls[0].token is None


def test_rate_limit_then_retry_succeeds(fake: FakeSlack, monkeypatch: pytest.MonkeyPatch) -> None:
    slept: list[float] = []
    # The handler sleeps Retry-After (+ jitter); record the wait instead of sleeping.
    monkeypatch.setattr(builtin_handlers, "time", SimpleNamespace(sleep=slept.append))
    fake.fail_next("chat.postMessage", status=429, headers={"Retry-After": "1"})
    retrying = WebClient(
        token=TOKEN,
        base_url=fake.url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )

    result = retrying.chat_postMessage(channel="C1", text="hi")

    assert result["ok"]
    assert [c.status for c in fake.calls_to("chat.postMessage")] == [429, 200]
    assert len(slept) == 1 and 1 <= slept[0] < 2


def test_rate_limit_without_retry_handler_raises(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage")
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C1", text="hi")
    assert raised.value.response.status_code == 429
    assert raised.value.response["error"] == "ratelimited"
    assert raised.value.response.headers["Retry-After"] == "1"


def test_scripted_slack_error_and_500(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage", body={"ok": False, "error": "not_in_channel"})
    fake.fail_next("chat.postMessage", status=500)

    with pytest.raises(SlackApiError) as first:
        client.chat_postMessage(channel="C1", text="hi")
    assert first.value.response.status_code == 200
    assert first.value.response["error"] == "not_in_channel"

    with pytest.raises(SlackApiError) as second:
        client.chat_postMessage(channel="C1", text="hi")
    assert second.value.response.status_code == 500

    assert client.chat_postMessage(channel="C1", text="hi")["ok"]


def test_fail_next_times(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("users.info", body={"ok": False, "error": "user_not_found"}, times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError):
            client.users_info(user="U1")
    assert client.users_info(user="U1")["ok"]


def test_scripted_delay_times_out_client(fake: FakeSlack) -> None:
    fake.delay_next("chat.postMessage", 5.0)
    impatient = WebClient(token=TOKEN, base_url=fake.url, timeout=0.2)  # type: ignore[arg-type]
    started = time.monotonic()
    with pytest.raises((TimeoutError, urllib.error.URLError)):
        impatient.chat_postMessage(channel="C1", text="hi")
    assert time.monotonic() - started < 4
    assert fake.methods == ["chat.postMessage"]


def test_set_response_and_reset(fake: FakeSlack, client: WebClient) -> None:
    fake.set_response("conversations.info", {"ok": True, "channel": {"id": "C1", "name": "x"}})
    fake.set_response(
        "users.info",
        lambda call: {"ok": True, "user": {"id": call.args["user"], "tz": "Asia/Tokyo"}},
    )
    assert client.conversations_info(channel="C1")["channel"]["name"] == "x"
    assert client.users_info(user="U7")["user"] == {"id": "U7", "tz": "Asia/Tokyo"}

    fake.fail_next("auth.test")
    fake.reset()
    assert fake.calls == []
    assert client.auth_test()["ok"]
    assert client.users_info(user="U7")["user"]["real_name"] == "User U7"
    assert client.chat_postMessage(channel="C1", text="x")["ts"] == "1700000000.000100"


def test_response_url_posts_are_recorded(fake: FakeSlack) -> None:
    webhook = WebhookClient(fake.response_url("cmd"))
    result = webhook.send(text="only you can see this", response_type="ephemeral")

    assert result.status_code == 200
    (response,) = fake.responses_to("cmd")
    assert response.body == {"text": "only you can see this", "response_type": "ephemeral"}
    assert fake.calls == []


def test_start_stop_explicitly() -> None:
    server = FakeSlack().start()
    try:
        assert WebClient(token=TOKEN, base_url=server.url).auth_test()["ok"]
    finally:
        server.stop()
    with pytest.raises(RuntimeError):
        _ = server.url


# ---------------------------------------------------------------- spec checks


@slack_spec.requires_spec
def test_spec_accepts_good_calls(fake: FakeSlack, client: WebClient) -> None:
    client.auth_test()
    client.chat_postMessage(channel="C1", text="hi", blocks=BLOCKS)
    client.chat_update(channel="C1", ts="1.2", text="x")
    client.chat_postEphemeral(channel="C1", user="U1", text="x")
    client.conversations_join(channel="C1")
    client.users_info(user="U1")
    client.files_upload_v2(channel="C1", content="x", filename="x.txt")

    slack_spec.assert_calls_match_spec(fake.calls)


@slack_spec.requires_spec
def test_spec_reports_missing_required_argument_and_unknown_method() -> None:
    assert slack_spec.check_call("chat.postMessage", {"channel": "C1", "text": "x"}) == []
    assert slack_spec.check_call("chat.postMessage", {"text": "x"}) == [
        "chat.postMessage: missing required argument 'channel'"
    ]
    assert slack_spec.check_call("chat.postEphemeral", {"channel": "", "text": "x"}) == [
        "chat.postEphemeral: missing required argument 'channel'",
        "chat.postEphemeral: missing required argument 'user'",
    ]
    (problem,) = slack_spec.check_call("chat.sendMessage", {"channel": "C1"})
    assert "unknown Web API method" in problem


@slack_spec.requires_spec
def test_spec_allow_lists_newer_methods() -> None:
    assert "files.getUploadURLExternal" not in slack_spec.known_methods()
    assert slack_spec.check_call("files.getUploadURLExternal", {"filename": "a", "length": 1}) == []
    assert slack_spec.check_call("files.completeUploadExternal", {}) == [
        "files.completeUploadExternal: missing required argument 'files'"
    ]


@slack_spec.requires_spec
def test_assert_calls_match_spec_lists_every_problem(fake: FakeSlack, client: WebClient) -> None:
    client.api_call("chat.postMessage", json={"text": "no channel"})
    client.api_call("chat.frobnicate", params={})

    with pytest.raises(AssertionError) as raised:
        slack_spec.assert_calls_match_spec(fake.calls)
    message = str(raised.value)
    assert "call #0: chat.postMessage: missing required argument 'channel'" in message
    assert "call #1: chat.frobnicate: unknown Web API method" in message


def test_spec_location_and_reason() -> None:
    assert slack_spec.SPEC_PATH.parts[-3:] == (
        "shared",
        "slack-web-api-spec",
        "slack_web_openapi_v2_without_examples.json",
    )
    assert str(slack_spec.SPEC_PATH) in slack_spec.SPEC_MISSING_REASON
    assert slack_spec.spec_available() == slack_spec.SPEC_PATH.is_file()


# ---------------------------------------------------------------- signing


def test_signature_matches_slack_documented_example() -> None:
    # The worked example from Slack's "Verifying requests from Slack" page.
    body = (
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
        "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner"
        "&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2F"
        "commands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
        "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
    )
    assert sign(body, "8f742231b10e8888abcd99yyyzzz85a5", 1531420618) == (
        "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    )


def test_signed_headers_verify_with_slack_sdk() -> None:
    body = slash_command_body("/next", "tomorrow please")
    headers = signed_headers(body, SECRET)

    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert SignatureVerifier(SECRET).is_valid_request(body, headers)
    assert not SignatureVerifier("other-secret").is_valid_request(body, headers)
    stale = signed_headers(body, SECRET, timestamp=int(time.time()) - 3600)
    assert not SignatureVerifier(SECRET).is_valid_request(body, stale)


def test_slash_command_body_fields() -> None:
    body = slash_command_body("/next", "a b&c", response_url="http://127.0.0.1:1/response/x")
    fields = {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}
    assert fields["command"] == "/next"
    assert fields["text"] == "a b&c"
    assert (fields["user_id"], fields["channel_id"], fields["team_id"]) == ("U123", "C123", "T1")
    assert fields["response_url"] == "http://127.0.0.1:1/response/x"
    assert fields["trigger_id"] == "T1.1"


def test_block_action_body_shape() -> None:
    body = block_action_body("rsvp", "yes", message_ts="1700000000.000100")
    (raw,) = parse_qs(body)["payload"]
    payload = json.loads(raw)
    assert payload["type"] == "block_actions"
    assert payload["actions"][0]["action_id"] == "rsvp"
    assert payload["actions"][0]["value"] == "yes"
    assert payload["actions"][0]["block_id"] == "b"
    assert payload["container"]["message_ts"] == "1700000000.000100"
    assert payload["channel"]["id"] == "C123"
    assert payload["user"]["id"] == "U123"

    in_modal = json.loads(
        parse_qs(block_action_body("pick", "x", container={"type": "view", "view_id": "V1"}))["payload"][0]
    )
    assert "channel" not in in_modal and in_modal["container"]["view_id"] == "V1"


def test_bolt_app_end_to_end(fake: FakeSlack, client: WebClient) -> None:
    app = App(client=client, signing_secret=SECRET, process_before_response=True)

    @app.command("/next")
    def next_command(ack, command, say, respond) -> None:  # type: ignore[no-untyped-def]
        ack()
        say(f"next for {command['text']}")
        respond("just for you")

    @app.action("rsvp")
    def rsvp(ack, body, client) -> None:  # type: ignore[no-untyped-def]
        ack()
        client.chat_update(channel=body["channel"]["id"], ts=body["container"]["message_ts"], text="thanks")

    command = slash_command_body("/next", "today", response_url=fake.response_url("cmd"))
    assert app.dispatch(bolt_request(command, SECRET)).status == 200
    action = block_action_body("rsvp", "yes", message_ts="1700000000.000100")
    assert app.dispatch(bolt_request(action, SECRET)).status == 200
    forged = bolt_request(command, "wrong-secret")
    assert app.dispatch(forged).status == 401

    assert fake.methods == ["auth.test", "chat.postMessage", "chat.update"]
    said = fake.calls_to("chat.postMessage")[0].args
    assert (said["channel"], said["text"]) == ("C123", "next for today")
    assert fake.calls_to("chat.update")[0].args["ts"] == "1700000000.000100"
    assert fake.responses_to("cmd")[0].body["text"] == "just for you"


def test_spec_helpers_fail_clearly_when_spec_is_absent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    caches = (slack_spec._spec, slack_spec.known_methods, slack_spec.required_args)
    monkeypatch.setattr(slack_spec, "SPEC_PATH", tmp_path / "absent.json")
    for cached in caches:
        cached.cache_clear()
    try:
        assert not slack_spec.spec_available()
        with pytest.raises(FileNotFoundError):
            slack_spec.check_call("chat.postMessage", {"channel": "C1"})
    finally:
        for cached in caches:
            cached.cache_clear()


def test_a_request_cut_off_mid_body_is_not_recorded(fake: FakeSlack) -> None:
    import socket

    host, port = "127.0.0.1", fake.port
    with socket.create_connection((host, port), timeout=5) as sock:
        sock.sendall(
            b"POST /api/chat.postMessage HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer xoxb-test-token\r\n"
            b'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"channel": "C1"'
        )
        sock.shutdown(socket.SHUT_WR)  # the client dies: the rest never comes
        assert sock.recv(100) == b""  # nothing answered
    assert fake.calls == []
