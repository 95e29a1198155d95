"""Reads never queue behind writes: writes get at most their share of waitress's threads."""

from __future__ import annotations

import io
import threading
from urllib.parse import urlencode

import pytest

from awair_bot.dispatcher import ReadsFirstDispatcher
from handlers.slack.request_check import is_write
from tests.support.signing import block_action_body, slash_command_body


class Request:
    def __init__(self, body: bytes, path: str = "/slack/events"):
        self.path, self.command, self.error = path, "POST", None
        self._body = io.BytesIO(body)

    def get_body_stream(self):
        return self._body


class Task:
    """A channel with one request; ``service`` waits for ``release`` when asked to."""

    def __init__(self, body: bytes, release: threading.Event | None = None):
        self.requests = [Request(body)]
        self.release = release
        self.started = threading.Event()

    def service(self):
        self.started.set()
        if self.release is not None:
            assert self.release.wait(10)


def vote() -> bytes:
    return block_action_body("unconf_vote", "1").encode()


def command(name: str, text: str = "") -> bytes:
    return slash_command_body(name, text).encode()


@pytest.fixture
def dispatcher():
    d = ReadsFirstDispatcher(is_write, max_writers=2)
    d.set_thread_count(4)
    yield d
    d.shutdown(timeout=2)


def test_a_read_is_served_while_writes_fill_their_share_and_queue(dispatcher):
    release = threading.Event()
    writes = [Task(vote(), release) for _ in range(6)]
    for task in writes:
        dispatcher.add_task(task)
    assert writes[0].started.wait(5) and writes[1].started.wait(5)
    read = Task(command("/next"))
    dispatcher.add_task(read)
    assert read.started.wait(5)  # while six writes wait: two running, four queued
    assert sum(t.started.is_set() for t in writes) == 2
    release.set()
    assert all(t.started.wait(5) for t in writes)


def test_the_body_is_left_for_the_application_to_read(dispatcher):
    task = Task(command("/propose", "Debate"))
    dispatcher.add_task(task)
    assert task.started.wait(5)
    assert task.requests[0].get_body_stream().read() == command("/propose", "Debate")


@pytest.mark.parametrize(
    ("body", "path", "write"),
    [
        (command("/next"), "/slack/events", False),
        (command("/schedule", "sunday"), "/slack/events", False),
        (command("/readings"), "/slack/events", False),
        (command("/proposals"), "/slack/events", False),
        (command("/propose", "Debate"), "/slack/events", True),
        (command("/next", "payload"), "/slack/events", False),
        (command("/announce", "now Lunch"), "/slack/events", True),
        (vote(), "/slack/events", True),
        (urlencode({"payload": "{not json"}).encode(), "/slack/events", True),
        (b"\xff\xfe", "/slack/events", False),
        (command("/propose", "x"), "/board", False),
    ],
)
def test_what_counts_as_a_write(body, path, write):
    assert is_write(path, body) is write
