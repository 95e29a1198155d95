"""Every importer fed random and mutated files: a ``Workshop`` or a ``ScheduleError`` that
names the file, never any other exception (the bot would show a traceback)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bot.schedule.errors import ScheduleError
from bot.schedule.loader import load_schedule_data
from bot.schedule.model import Workshop

HERE = Path(__file__).parent
SEEDS = {
    "frab-xml": (HERE / "fixtures" / "nights.xml").read_bytes(),
    "frab-json": (HERE / "fixtures" / "offsets.json").read_bytes(),
    "schedule-2": (HERE / "corpus" / "voc-hub-schedule2.json").read_bytes(),
    "sessionize": (HERE / "corpus" / "sessionize-sample-all.json").read_bytes(),
    "ics": (HERE / "fixtures" / "weekend.ics").read_bytes(),
    "ics-utc": (HERE / "corpus" / "bristol-data-week-2026.ics").read_bytes(),
    "own-yaml": (HERE.parents[2] / "schedule_data" / "2023-08-05.yaml").read_bytes(),
}
NAME = Path("/schedules/under-test")
ZONES = st.sampled_from([None, ZoneInfo("Europe/Berlin"), ZoneInfo("Asia/Kolkata")])


def only_typed_errors(data: bytes, zone: ZoneInfo | None = None) -> None:
    try:
        result = load_schedule_data(NAME, data, zone)
    except ScheduleError as exc:
        assert exc.problems and all(p.file == str(NAME) for p in exc.problems)
        assert all(isinstance(p.message, str) and p.message for p in exc.problems)
    else:
        assert isinstance(result, Workshop)
        assert all(result.day_of(s.start) == s.day for s in result.sessions)


@st.composite
def mutated(draw, seed: bytes) -> bytes:
    """The seed with a few byte-level edits: cuts, copies, flips, insertions, truncation."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        edit = draw(st.sampled_from(["cut", "copy", "flip", "insert", "truncate"]))
        if edit == "cut":
            del data[at : at + draw(st.integers(1, 200))]
        elif edit == "copy":
            data[at:at] = data[at : at + draw(st.integers(1, 400))]
        elif edit == "flip":
            data[at] = draw(st.integers(0, 255))
        elif edit == "insert":
            data[at:at] = draw(
                st.sampled_from([b"<", b"&", b'"', b"\\", b"\r\n ", b"\xc3", b"{", b"]", b":", b"\x00"])
            )
        else:
            del data[at:]
    return bytes(data)


@given(data=st.binary(max_size=400), zone=ZONES)
def test_random_bytes(data, zone):
    only_typed_errors(data, zone)


@given(
    text=st.text(max_size=300), head=st.sampled_from(["", "<", "{", "[", "BEGIN:VCALENDAR\r\n", "<schedule>"])
)
def test_random_text_behind_each_format_s_first_characters(text, head):
    only_typed_errors((head + text).encode("utf-8", errors="surrogatepass"))


@given(st.sampled_from(sorted(SEEDS)).flatmap(lambda k: mutated(SEEDS[k])), ZONES)
def test_mutated_real_files(data, zone):
    only_typed_errors(data, zone)


# Values that look like what the formats hold, so mutations reach past the first type check.
LIKELY = st.sampled_from(
    ["2024-08-01T10:00", "2024-08-01T10:00:00Z", "2024-08-02T04:00:00+02:00", "2024-08-01", "25:99",
     "00:00", "1:00:00", "-01:00", "", "Europe/Berlin", "UTC", "Mars/Olympus", "https://x.org/a", "<b>x</b>"]
)  # fmt: skip
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30) | LIKELY,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*prefix, i))


@st.composite
def json_with_a_value_replaced(draw, seed: bytes) -> bytes:
    """A JSON seed with one value anywhere in it replaced by a value of any shape."""
    doc = json.loads(seed.decode("utf-8-sig"))
    paths = list(_paths(doc))[1:]
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths))
        node = doc
        try:
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = draw(JSON_VALUES)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier replacement removed this path
    return json.dumps(doc).encode()


@given(
    st.sampled_from(["frab-json", "schedule-2", "sessionize"]).flatmap(
        lambda k: json_with_a_value_replaced(SEEDS[k])
    )
)
def test_json_with_values_of_any_shape(data):
    only_typed_errors(data, ZoneInfo("Europe/Berlin"))


@st.composite
def xml_with_an_element_changed(draw) -> bytes:
    """nights.xml with elements' text or attributes replaced, or elements removed."""
    root = ET.fromstring(SEEDS["frab-xml"])
    elements = list(root.iter())
    for _ in range(draw(st.integers(1, 4))):
        el = draw(st.sampled_from(elements))
        change = draw(st.sampled_from(["text", "attribute", "remove"]))
        if change == "text":
            el.text = draw(st.text(max_size=20) | LIKELY)
        elif change == "attribute" and el.attrib:
            el.set(draw(st.sampled_from(sorted(el.attrib))), draw(st.text(max_size=20) | LIKELY))
        elif change == "remove":
            for parent in root.iter():
                if el in list(parent):
                    parent.remove(el)
                    break
    return ET.tostring(root, encoding="utf-8")


@given(xml_with_an_element_changed())
def test_xml_with_elements_changed(data):
    only_typed_errors(data)
