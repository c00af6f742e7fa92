"""Issue 11, the input side: no input hangs the checks, crashes them, or passes them and then breaks an export.

- The two richer shapes (opening hours, http(s) addresses) are read in linear time: the parser counts the
  characters it looks at (at most `STEPS_PER_CHAR` per character, plus a constant), and the time of one 1 MB
  value is compared with the time of a thousand 1 kB values in the same test (a linear check takes about the
  same; the patterns they replace took minutes). Both accept exactly what those patterns accepted (compared on
  generated texts).
- Every broken file gets a message naming the file, feature, field; the command line exits 1 without a
  traceback; each check takes less time than checking the shipped data (161 spaces) in the same run.
- Only regular files are read; the size limit holds while reading.
- A message never quotes more than `QUOTE_CHARS` characters of a value.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from creative_map import DataError, load, load_events, load_spaces, schema
from creative_map.errors import QUOTE_CHARS, Problem, quote
from creative_map.io import check_file, read_bytes, read_json
from creative_map.patterns import OpeningHoursParser, is_http_url, is_opening_hours
from creative_map.spatial_checks import MAX_LISTED
from creative_map.validation import text_problem

from .conftest import ROOT, collection, make_event, make_space

# ----------------------------------------------------------------------------------- the patterns replaced

# The patterns of creative_map.patterns before issue 11, kept here as the reference the new readers must agree
# with (on short texts, where their backtracking costs nothing). ASCII digits: the new readers refuse the
# other Unicode digits that `\d` let through ("١٢:٠٠").
_WD = r"(?:Mo|Tu|We|Th|Fr|Sa|Su)"
_WD_SEL = rf"(?:{_WD}(?:-{_WD})?|PH|SH)(?:,(?:{_WD}(?:-{_WD})?|PH|SH))*"
_MON = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
_MON_SEL = rf"{_MON}(?: ?\d{{1,2}})?(?:-{_MON}?(?: ?\d{{1,2}})?)?(?:,{_MON}(?:-{_MON})?)*"
_TIME = r"(?:[01]\d|2[0-4]):[0-5]\d"
_SPAN = rf"{_TIME}(?:-{_TIME}|\+)"
_TIMES = rf"{_SPAN}(?:,{_SPAN})*"
_STATE = r"(?:off|closed|open|unknown)"
_COMMENT = r'"[^"]*"'
_RULE = (
    rf"(?:24/7|(?:{_MON_SEL}:? )?(?:{_WD_SEL} )?(?:{_TIMES}|{_STATE})(?: {_STATE})?(?: {_COMMENT})?"
    rf"|(?:{_MON_SEL}:? )?{_WD_SEL}(?: {_STATE})?(?: {_COMMENT})?|{_COMMENT})"
)
OLD_OPENING_HOURS = re.compile(rf"^{_RULE}(?: ?(?:;|\|\|) ?{_RULE})*$", re.ASCII)
OLD_HTTP_URL = re.compile(r"^https?://[^\s/?#:]+\.[^\s/?#]+(?:[/?#]\S*)?$", re.IGNORECASE)

HOURS_TOKENS = [
    *["Mo", "Tu", "Su", "PH", "SH", "Jan", "Mar", "Dec", "Mon"],
    *["-", ",", ":", " ", ";", "||", "|", "+", "/", "a", '"', '"x"', '"a b"'],
    *["10:00", "24:00", "25:00", "09:60", "5", "1", "12", "0", "00", ":0", "2", "7", "24/7"],
    *["off", "closed", "open", "unknown"],
]
URL_TOKENS = ["http://", "https://", "HTTPS://", "ftp://", "a", "b", ".", ":", "/", "?", "#", "@", " ", "\u00a0"]
URL_TOKENS += ["\n", "\t", "é", "x.y", "1"]

STEPS_PER_CHAR = 8
"""`OpeningHoursParser` looks at most this many times at each character of its text (plus `STEPS_CONSTANT`).

Each rule costs a bounded look-ahead (the keywords tried at its start: about 20 characters' worth) and holds at
least two characters and a separator; the densest case found, ``Mo;`` repeated, costs 7 per character."""
STEPS_CONSTANT = 32


def _texts(tokens: list[str], count: int, most: int, seed: int) -> list[str]:
    """`count` texts of 1 to `most` tokens, drawn with a fixed seed (the same texts on every run)."""
    rng = random.Random(seed)
    return ["".join(rng.choices(tokens, k=rng.randint(1, most))) for _ in range(count)]


def test_opening_hours_parser_accepts_what_the_pattern_accepted():
    texts = _texts(HOURS_TOKENS, 30_000, 12, seed=11)
    assert sum(map(is_opening_hours, texts)) > 500  # the comparison covers accepted texts too
    for text in texts:
        assert is_opening_hours(text) == bool(OLD_OPENING_HOURS.match(text.strip())), text


def test_url_scanner_accepts_what_the_pattern_accepted():
    texts = _texts(URL_TOKENS, 20_000, 10, seed=11)
    assert sum(map(is_http_url, texts)) > 100
    for text in texts:
        assert is_http_url(text) == bool(OLD_HTTP_URL.match(text.strip())), text


@pytest.mark.parametrize(
    "text",
    [
        "Jan 10: Mo 10:00-12:00",
        "Jan 10 10:00-12:00",
        "Jan 10:00-12:00",
        "Jan-Mar 10:00-12:00",
        "Jan- 10:00-12:00",
        'Jan 5-Feb 3,Apr-May: Mo,We-Fr,PH 08:00-12:00,13:00+ open "call first" || Su off',
        'Mo-Su "by appointment"',
        '"closed for works"',
        "Mo closed closed",
        "Mo ; Tu off",
    ],
)
def test_opening_hours_forms_where_the_grammar_looks_ahead(text):
    assert is_opening_hours(text) and OLD_OPENING_HOURS.match(text)


@pytest.mark.parametrize(
    "text", ["Jan 10:00", "Jan10:00-12:00", "Jan 1:00-2:00", "24/7 off", "Jan 24/7", "Mo-", "Mo;", "١٠:٠٠-١٢:٠٠"]
)
def test_opening_hours_refused_where_the_grammar_looks_ahead(text):
    assert not is_opening_hours(text)


def _worst_hours(size: int) -> list[str]:
    """Texts of about `size` characters built to make a backtracking reader try every split."""

    def fill(unit: str, tail: str = "!") -> str:
        return unit * max(1, (size - len(tail)) // len(unit)) + tail

    return [
        fill("Mo off;"),  # the pattern's exponential case: 24 repetitions took 38 s
        fill("Mo;"),
        fill("PH;"),
        fill('"";'),
        fill("Mo off;", ""),
        fill("Mo,"),
        fill("Jan 1,"),
        fill("Jan,"),
        fill("Mo-Su 08:00-17:00; "),
        fill("10:00-12:00,"),
        fill('Jan 1-Feb 2: Mo-Fr 10:00-12:00,13:00+ off "x"; '),
        '"' + "a" * (size - 1),
        fill(" "),
        fill(";"),
    ]


@pytest.mark.parametrize("size", [1_000, 100_000])
def test_opening_hours_parser_looks_at_each_character_a_bounded_number_of_times(size):
    for text in _worst_hours(size):
        parser = OpeningHoursParser(text)
        parser.parse()
        assert parser.steps <= STEPS_PER_CHAR * len(text) + STEPS_CONSTANT, (text[:40], len(text), parser.steps)


@pytest.mark.parametrize("unit", ["Mo off;", "Mo;"])
def test_a_one_megabyte_opening_hours_value_is_read_in_linear_steps(unit):
    text = unit * (1_000_000 // len(unit)) + "!"
    parser = OpeningHoursParser(text)
    assert not parser.parse()
    assert parser.steps <= STEPS_PER_CHAR * len(text) + STEPS_CONSTANT


def _timed(check, texts, repeat: int = 2) -> float:
    best = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        for text in texts:
            check(text)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize(
    ("check", "unit"),
    [
        (is_opening_hours, "Mo off;"),
        (is_opening_hours, "Mo,"),
        (is_http_url, "a"),  # a host with no dot: the pattern's quadratic case (40,000 characters: 20 s)
        (is_http_url, "a."),
        (is_http_url, "a:"),
    ],
)
def test_a_long_value_costs_what_as_many_short_values_cost(check, unit):
    """Linear: one 200 kB text takes at most 10 times as long as 200 texts of 1 kB (a quadratic reader: 200 times).

    The URL scanner is timed on 1 MB too, as a whole (it has no step counter)."""
    prefix = "https://" if check is is_http_url else ""

    def text(size: int) -> str:
        return prefix + unit * (size // len(unit)) + "!"

    small, large = [text(1_000)] * 200, [text(200_000)]
    assert _timed(check, large) <= 10 * _timed(check, small) + 0.05
    if check is is_http_url:
        assert _timed(check, [text(1_000_000)]) <= 10 * _timed(check, small * 5) + 0.05


def test_the_issue_inputs_are_answered_at_once():
    hours = "Mo off;" * 24 + "!"
    parser = OpeningHoursParser(hours)
    assert not parser.parse()
    assert parser.steps <= STEPS_PER_CHAR * len(hours) + STEPS_CONSTANT
    host = "https://" + "a" * 40_000
    assert not is_http_url(host)
    assert _timed(is_http_url, [host]) <= 10 * _timed(is_http_url, ["https://" + "a" * 40] * 1_000) + 0.05


# ------------------------------------------------------------------------------------------------ quoting


def test_quote_cuts_a_long_text_and_says_how_long_it_is():
    text = quote("x" * 5_000_000)
    assert text.startswith("'" + "x" * QUOTE_CHARS + "'…") and "5,000,000 characters" in text
    assert quote("abc") == "'abc'"
    assert quote("\x1b[31m") == "'\\x1b[31m'"  # a terminal escape is shown, not sent
    assert "digits" in quote(10**400)
    assert quote([105.85, 21.02, math.nan]) == "[105.85, 21.02, nan]"
    assert len(quote(list(range(1_000_000)))) < 2 * QUOTE_CHARS
    assert len(quote({"k" * 10_000: ["v" * 10_000]})) < 3 * QUOTE_CHARS


def test_problem_quotes_its_feature_id_and_field():
    line = str(Problem("f.geojson", "bad", 3, "i" * 10_000, "k" * 10_000))
    assert len(line) < 4 * QUOTE_CHARS + 40
    assert "i" * (QUOTE_CHARS + 1) not in line and "k" * (QUOTE_CHARS + 1) not in line


BIG = "x" * 5_000_000


def _big_cases():
    """(case id, collection) with a 5 MB value in every place a file can hold one."""
    cases = [(f"field-{f.name}", collection(make_space(**{f.name: BIG}))) for f in schema.SPACE_FIELDS]
    cases += [
        ("sources-item", collection(make_space(sources=[BIG]))),
        ("unknown-key", collection(make_space(**{BIG: "x"}))),
        ("geometry-type", collection(dict(make_space(), geometry={"type": BIG, "coordinates": [105.85, 21.02]}))),
        ("coordinates", collection(dict(make_space(), geometry={"type": "Point", "coordinates": [BIG, 21.02]}))),
        (
            "coordinates-list",
            collection(dict(make_space(), geometry={"type": "Point", "coordinates": [1.5] * 500_000})),
        ),
        ("collection-type", {"type": BIG, "features": []}),
        ("crs", {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": BIG}}, "features": []}),
    ]
    return cases


@pytest.mark.parametrize(("content",), [c[1:] for c in _big_cases()], ids=[c[0] for c in _big_cases()])
def test_no_message_repeats_a_long_value(write_json, content):
    path = write_json(content)
    checked = check_file(path)
    assert checked.errors
    for problem in checked.problems:
        line = str(problem)
        assert str(path) in line
        assert "x" * (QUOTE_CHARS + 1) not in line and "1.5, " * 40 not in line, line[:300]
        assert len(line) < 2_000
    with pytest.raises(DataError) as info:
        load_spaces(path)
    assert "x" * (QUOTE_CHARS + 1) not in str(info.value)


# ------------------------------------------------------------------------------------------- text values

TEXT_FIELDS = [f for f in schema.SPACE_FIELDS if not f.kind.startswith("list")]
BAD_CHARACTERS = {
    "nul": "\x00",
    "escape": "\x1b",
    "vertical-tab": "\x0b",
    "del": "\x7f",
    "c1": "\x85",
    "lone-high-surrogate": "\ud800",
    "lone-low-surrogate": "\udfff",
    "fffe": "\ufffe",
    "ffff": "\uffff",
    "plane-16-noncharacter": "\U0010ffff",
    "fdd0": "\ufdd0",
    "right-to-left-override": "\u202e",
}


@pytest.mark.parametrize("field", TEXT_FIELDS, ids=[f.name for f in TEXT_FIELDS])
@pytest.mark.parametrize("char", BAD_CHARACTERS.values(), ids=list(BAD_CHARACTERS))
def test_a_character_no_export_can_hold_is_refused_naming_the_field(write_json, field, char):
    good = make_space()["properties"].get(field.name) or "xxxx"
    path = write_json(json.dumps(collection(make_space(**{field.name: good[:3] + char + good[3:]}))))  # escaped
    errors = check_file(path).errors
    assert [(e.index, e.field) for e in errors] == [(0, field.name)], errors
    assert f"U+{ord(char):04X}" in errors[0].message


@pytest.mark.parametrize("field", ["sources", "space_ids"])
def test_a_bad_character_in_a_list_item_is_refused(write_json, three_spaces, field):
    spaces = load_spaces(write_json(three_spaces))
    if field == "sources":
        path = write_json(json.dumps(collection(make_space(sources=["https://a.vn/\ud800"]))))
        errors = check_file(path).errors
    else:
        path = write_json(json.dumps(collection(make_event(space_ids=["ho-hoan-kiem\x00"]))), "events.geojson")
        with pytest.raises(DataError) as info:
            load_events(path, spaces=spaces)
        errors = info.value.problems
    assert [(e.index, e.field) for e in errors] == [(0, field)]
    assert "item 0" in errors[0].message


def test_tabs_and_line_breaks_are_plain_text():
    assert text_problem("Dòng một\nDòng hai\r\n\tthụt lề") is None
    assert text_problem("😀 emoji, 中文, Tiếng Việt, العربية") is None


@pytest.mark.parametrize("field", [f for f in schema.SPACE_FIELDS], ids=[f.name for f in schema.SPACE_FIELDS])
def test_every_field_has_a_length_limit(write_json, field):
    too_long = "a" * (field.max_chars + 1)
    value = [too_long] if field.kind.startswith("list") else too_long
    errors = check_file(write_json(collection(make_space(**{field.name: value})))).errors
    assert [(e.index, e.field) for e in errors] == [(0, field.name)]
    assert f"more than the {field.max_chars:,} accepted" in errors[0].message


def test_the_limits_leave_room_for_the_shipped_data():
    data = json.loads((ROOT / "data" / "spaces.geojson").read_text(encoding="utf-8"))
    longest = {f.name: 0 for f in schema.SPACE_FIELDS}
    for feature in data["features"]:
        for name, value in feature["properties"].items():
            for item in value if isinstance(value, list) else [value]:
                longest[name] = max(longest[name], len(item))
    for f in schema.SPACE_FIELDS:
        assert longest[f.name] * 2 <= f.max_chars, (f.name, longest[f.name], f.max_chars)


def test_too_many_list_items_are_refused(write_json):
    sources = [f"https://a.vn/{i}" for i in range(schema.MAX_LIST_ITEMS + 1)]
    errors = check_file(write_json(collection(make_space(sources=sources)))).errors
    assert [(e.field, "more than the 1,000 accepted" in e.message) for e in errors] == [("sources", True)]


# ---------------------------------------------------------------------------------------------- geometry


def _geometry(geom):
    return collection(dict(make_space(category="public_space"), geometry=geom))


SQUARE = [[105.85, 21.02], [105.86, 21.02], [105.86, 21.03], [105.85, 21.03], [105.85, 21.02]]

_POINT = json.dumps(collection(make_space(105.8523, 21.0288)))

# (case id, file content as JSON text (it writes numbers Python would not), fragments of the message)
BROKEN_GEOMETRY = [
    (
        "integer-400-digits",
        _POINT.replace("105.8523", "1" + "0" * 399),
        ["feature 0", "'geometry'", "integer too large", "about 400 digits"],
    ),
    ("nan-height", _POINT.replace("21.0288]", "21.0288, NaN]"), ["not finite", "'geometry'"]),
    ("infinite-height", _POINT.replace("21.0288]", "21.0288, -Infinity]"), ["not finite", "'geometry'"]),
    ("unclosed-ring", json.dumps(_geometry({"type": "Polygon", "coordinates": [SQUARE[:-1]]})), ["not closed"]),
    (
        "unclosed-hole-of-multipolygon",
        json.dumps(
            _geometry(
                {
                    "type": "MultiPolygon",
                    "coordinates": [[SQUARE, [[105.852, 21.022], [105.853, 21.022], [105.853, 21.023]]]],
                }
            )
        ),
        ["hole 1 of polygon 0", "has 3 positions"],
    ),
    ("ring-of-3", json.dumps(_geometry({"type": "Polygon", "coordinates": [SQUARE[:2] + SQUARE[:1]]})), ["at least 4"]),
    (
        "mixed-dimensions",
        json.dumps(_geometry({"type": "LineString", "coordinates": [[105.85, 21.02], [105.86, 21.03, 5]]})),
        ["mixes positions"],
    ),
    ("line-of-1", json.dumps(_geometry({"type": "LineString", "coordinates": [[105.85, 21.02]]})), ["at least 2"]),
    (
        "four-numbers",
        json.dumps(_geometry({"type": "Point", "coordinates": [105.85, 21.02, 0, 0]})),
        ["is not [longitude, latitude]"],
    ),
    ("type-is-a-list", json.dumps(_geometry({"type": ["Point"], "coordinates": [105.85, 21.02]})), ["geometry type"]),
    (
        "geometry-crs",
        json.dumps(
            _geometry(
                {
                    "type": "Point",
                    "coordinates": [105.85, 21.02],
                    "crs": {"type": "name", "properties": {"name": "EPSG:3857"}},
                }
            )
        ),
        ["'crs'", "EPSG:3857", "WGS 84"],
    ),
]


@pytest.mark.parametrize(
    ("content", "fragments"), [c[1:] for c in BROKEN_GEOMETRY], ids=[c[0] for c in BROKEN_GEOMETRY]
)
def test_geometry_that_an_export_would_break_on_is_refused(write_json, content, fragments):
    path = write_json(content)
    with pytest.raises(DataError) as info:
        load_spaces(path)
    message = str(info.value)
    for fragment in [str(path), "feature 0 (id 'ho-hoan-kiem')", *fragments]:
        assert fragment in message, (fragment, message)


def test_a_closed_ring_is_kept_as_written(write_json):
    gdf = load_spaces(write_json(_geometry({"type": "Polygon", "coordinates": [SQUARE]})))
    assert list(gdf.geometry.iloc[0].exterior.coords) == [tuple(p) for p in SQUARE]


@pytest.mark.parametrize(
    "crs",
    [
        None,
        {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
        {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC::CRS84"}},
        {"type": "name", "properties": {"name": "EPSG:4326"}},
        {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4326"}},
        {"type": "name", "properties": {"name": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}},
        {"type": "EPSG", "properties": {"code": 4326}},
    ],
)
def test_a_crs_naming_wgs84_is_accepted(write_json, crs):
    data = collection(make_space()) | {"crs": crs}
    assert not check_file(write_json(data)).errors


@pytest.mark.parametrize(
    "crs",
    [
        {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3405"}},  # VN-2000 / UTM 48N
        {"type": "name", "properties": {"name": "EPSG:3857"}},
        {"type": "link", "properties": {"href": "http://example.org/crs"}},
        "EPSG:4326",
        {"type": "name"},
    ],
)
def test_another_crs_is_refused_naming_the_file(write_json, crs):
    path = write_json(collection(make_space()) | {"crs": crs})
    errors = check_file(path).errors
    assert [(e.file, e.field, e.index) for e in errors] == [(str(path), "crs", None)]
    assert "WGS 84" in errors[0].message


def test_a_feature_crs_is_refused_naming_the_feature(write_json):
    feature = make_space() | {"crs": {"type": "name", "properties": {"name": "EPSG:32648"}}}
    errors = check_file(write_json(collection(feature))).errors
    assert [(e.index, e.field) for e in errors] == [(0, "crs")]


# ------------------------------------------------------------------------------------------ special files


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _loop(path: Path) -> Path:
    other = path.with_name(path.name + ".loop")
    path.symlink_to(other)
    other.symlink_to(path)
    return path


def _socket(path: Path) -> Path:
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    sock.close()
    return path


SPECIAL = {
    "fifo": (_fifo, "named pipe (FIFO)"),
    "symlink-loop": (_loop, "symbolic link that leads back to itself"),
    "socket": (_socket, "is a socket"),
    "directory": (lambda p: p.mkdir() or p, "is a directory"),
}


@pytest.mark.parametrize("kind", SPECIAL)
def test_only_regular_files_are_read(tmp_path, kind):
    make, fragment = SPECIAL[kind]
    path = make(tmp_path / "spaces.geojson")
    data, problems = read_json(path)
    assert data is None and [p.file for p in problems] == [str(path)]
    assert fragment in problems[0].message


def test_dev_zero_is_refused_without_reading():
    data, problems = read_bytes("/dev/zero")
    assert data is None and [(p.file, "character device" in p.message) for p in problems] == [("/dev/zero", True)]


def test_the_size_limit_holds_while_reading_a_file_that_says_it_is_empty():
    status = Path("/proc/self/status")  # a regular file whose size says 0 bytes
    if not status.is_file() or status.stat().st_size != 0:
        pytest.skip("needs Linux's /proc")
    data, problems = read_bytes(status, max_bytes=64)
    assert data is None and "is more than 64 bytes, above the limit of 64 bytes" in problems[0].message
    data, problems = read_bytes(status, max_bytes=1_000_000)
    assert data and not problems


@pytest.mark.parametrize("kind", ["fifo", "symlink-loop"])
def test_an_events_file_that_cannot_be_read_is_reported(tmp_path, three_spaces, kind):
    spaces = tmp_path / "spaces.geojson"
    spaces.write_text(json.dumps(three_spaces), encoding="utf-8")
    events = SPECIAL[kind][0](tmp_path / "events.geojson")
    with pytest.raises(DataError, match=re.escape(str(events))) as info:
        load(spaces)  # the events file beside the spaces file
    assert SPECIAL[kind][1] in str(info.value)
    with pytest.raises(DataError, match=re.escape(SPECIAL[kind][1])):
        load(spaces, events_path=events)


# ------------------------------------------------------------------------------------ warnings stay bounded


def test_three_thousand_look_alikes_give_one_warning(write_json):
    features = [make_space(id=f"s-{i}") for i in range(3_000)]  # one name, one position
    path = write_json(collection(*features))
    dataset = load(path)
    warnings = dataset.warnings
    duplicates = [w for w in warnings if "duplicate" in w.message]
    assert len(duplicates) == 1 and "2,999 other features" in duplicates[0].message
    assert len(warnings) <= 3 * (MAX_LISTED + 1)
    assert all(len(str(w)) < 1_000 for w in warnings)


def test_three_thousand_unknown_space_ids_stay_fast(write_json, three_spaces):
    """A "did you mean" compares with every space id: only the first ones get it, so this stays linear."""
    spaces = load_spaces(write_json(three_spaces))
    events = collection(*[make_event(id=f"e-{i}", space_ids=[f"ho-hoan-kiem-{i}"]) for i in range(3_000)])
    with pytest.raises(DataError) as info:
        load_events(write_json(events, "events.geojson"), spaces=spaces)
    hints = [p for p in info.value.problems if "did you mean" in p.message]
    assert len(info.value.problems) == 3_000 and 0 < len(hints) <= 20


# ------------------------------------------------------------------------------- every broken file, by the CLI


def _broken_files(folder: Path) -> list[tuple[Path, list[str]]]:
    """Write every broken file of this module into `folder`; return (spaces file, message fragments)."""
    cases: list[tuple[str, object, list[str]]] = [
        ("opening-hours-24-rules", collection(make_space(opening_hours="Mo off;" * 24 + "!")), ["'opening_hours'"]),
        ("host-40000", collection(make_space(website="https://" + "a" * 40_000)), ["'website'", "40,008 characters"]),
        ("name-5mb", collection(make_space(name_vi=BIG)), ["'name_vi'", "5,000,000 characters"]),
        ("surrogate", json.dumps(collection(make_space(name_en="A\ud800"))), ["'name_en'", "U+D800"]),
        ("control", json.dumps(collection(make_space(name_vi="A\x01"))), ["'name_vi'", "U+0001"]),
        ("crs", collection(make_space()) | {"crs": "EPSG:3857"}, ["'crs'", "WGS 84"]),
        *[(c[0], c[1], c[2]) for c in BROKEN_GEOMETRY],
        ("integer-5000-digits", _POINT.replace("105.8523", "1" * 5000), ["not usable JSON"]),
    ]
    out = []
    for name, content, fragments in cases:
        sub = folder / name
        sub.mkdir()
        path = sub / "spaces.geojson"
        path.write_text(content if isinstance(content, str) else json.dumps(content, ensure_ascii=False), "utf-8")
        out.append((path, fragments))
    for name, (make, fragment) in SPECIAL.items():
        sub = folder / name
        sub.mkdir()
        out.append((make(sub / "spaces.geojson"), [fragment]))
        sub = folder / f"events-{name}"
        sub.mkdir()
        (sub / "spaces.geojson").write_text(json.dumps(collection(make_space())), "utf-8")
        if name != "symlink-loop":  # the command looks for the events file with Path.exists (see below)
            out.append((sub / "spaces.geojson", [str(make(sub / "events.geojson")), fragment]))
    out.append((Path("/dev/zero"), ["character device"]))
    return out


def _fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() and not path.is_symlink() else "-"


def test_cli_validate_answers_every_broken_file_with_exit_1_and_no_traceback(tmp_path):
    cases = _broken_files(tmp_path)
    before = {p: _fingerprint(p) for p, _ in cases}
    run = subprocess.run(
        [sys.executable, "-m", "creative_map", "validate", *(str(p) for p, _ in cases)],
        capture_output=True,
        text=True,
        timeout=120,  # a FIFO read, or /dev/zero read to the end, would hang here
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
    )
    assert run.returncode == 1, run.stderr[-2000:]
    output = run.stdout + run.stderr
    assert "Traceback" not in output, output[-3000:]
    assert len(output) < 100 * len(cases) * QUOTE_CHARS  # no 5 MB value printed
    for path, fragments in cases:
        lines = [line for line in run.stdout.splitlines() if line.startswith("error: ") and str(path.parent) in line]
        assert lines, (path, run.stdout[-3000:])
        for fragment in fragments:
            assert any(fragment in line for line in lines), (path, fragment, lines)
    assert before == {p: _fingerprint(p) for p, _ in cases}  # no file changed


def test_each_broken_file_is_checked_faster_than_the_shipped_data(tmp_path):
    shipped = ROOT / "data" / "spaces.geojson"
    check_file(shipped)  # warm the caches (units, boundaries)
    baseline = min(_timed(check_file, [shipped]) for _ in range(2))
    for path, _ in _broken_files(tmp_path):
        if path == Path("/dev/zero") or (path.parent.name.startswith("events-")):
            continue
        assert _timed(check_file, [path]) < 2 * baseline + 0.05, path.parent.name


def test_cli_validate_reports_an_events_file_that_is_a_symlink_loop(tmp_path):
    (tmp_path / "spaces.geojson").write_text(json.dumps(collection(make_space())), "utf-8")
    events = _loop(tmp_path / "events.geojson")
    run = subprocess.run(
        [sys.executable, "-m", "creative_map", "validate", str(tmp_path / "spaces.geojson")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
    )
    assert run.returncode == 1 and f"error: {events}" in run.stdout and "leads back to itself" in run.stdout


# --------------------------------------------------------------------------- texts reaching the map's template


@pytest.mark.parametrize(
    "name",
    [
        "{{ lipsum.__globals__.os.getcwd() }}",  # ran Python in the app and in the HTML export: printed the folder
        "{{ 7*7 }} {% if 1 %}IF{% endif %} {# c #}",  # gave "49 IF"
        "a {{ b",  # stopped the HTML export with a jinja2 TemplateSyntaxError
        "{{{% {#",
    ],
)
def test_a_name_is_never_run_as_template_code(write_json, tmp_path, name):
    """branca renders each element's script again as a Jinja template: the data in it must not open a tag."""
    from creative_map import export, select

    path = write_json(collection(make_space(name_vi=name, description_vi=name)))
    page = tmp_path / "map.html"
    export.export(select(load(path)), "html", page)
    text = page.read_text(encoding="utf-8")
    call = text.index("= creativeMap.spacesLayer(")
    payload, _ = json.JSONDecoder().raw_decode(text, text.index(", ", call) + 2)
    row = payload["f"][0]
    assert row[1] == name  # the name as written, in the map's data
    assert str(Path.cwd()) not in text and "49 IF" not in text


# ------------------------------------------------------------------------------- look-alikes, found on a grid


def _components_by_brute_force(names, x, y, metres):
    """The groups of look-alikes by comparing every pair (what the grid must find, on small inputs)."""
    import itertools

    parent = list(range(len(names)))

    def find(i):
        while parent[i] != i:
            i = parent[i]
        return i

    for a, b in itertools.combinations(range(len(names)), 2):
        if names[a] & names[b] and math.hypot(x[a] - x[b], y[a] - y[b]) <= metres:
            parent[max(find(a), find(b))] = min(find(a), find(b))
    return sorted(sorted(i for i in range(len(names)) if find(i) == root) for root in set(map(find, range(len(names)))))


@pytest.mark.parametrize("layout", ["scattered", "clustered", "street", "stacked"])
def test_the_grid_finds_the_same_look_alikes_as_comparing_every_pair(layout):
    import numpy as np

    from creative_map.spatial_checks import _close_pairs, _Groups

    rng = np.random.default_rng(7)
    n = 400
    if layout == "scattered":
        x, y = rng.uniform(0, 2_000, n), rng.uniform(0, 2_000, n)
    elif layout == "clustered":  # cells of more than eight features: the nearest-neighbour path
        centres = rng.uniform(0, 1_000, (6, 2))
        x, y = (centres[rng.integers(0, 6, n)] + rng.normal(0, 25, (n, 2))).T
    elif layout == "street":  # a chain: joined only through its links
        x, y = np.cumsum(rng.uniform(20, 60, n)), rng.normal(0, 5, n)
    else:
        x, y = np.full(n, 500.0), np.full(n, 500.0)
    names = [{f"n{rng.integers(0, 4)}", f"m{rng.integers(0, 40)}"} for _ in range(n)]
    vocabulary = {name: k for k, name in enumerate(sorted(set().union(*names)))}
    point = np.array([i for i, ns in enumerate(names) for _ in ns])
    group = np.array([vocabulary[name] for ns in names for name in ns], dtype=np.int64)
    groups = _Groups(n)
    for a, b in zip(*_close_pairs(point, group, x, y, 50.0), strict=True):
        groups.union(int(a), int(b))
    found = sorted(sorted(i for i in range(n) if groups.find(i) == root) for root in {groups.find(i) for i in range(n)})
    assert found == _components_by_brute_force(names, x, y, 50.0)
