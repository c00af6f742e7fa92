"""Fuzzing the way in and every way out (issue 11, item 7), with Hypothesis.

Spaces files (and events files) are generated from the schema: valid ones, and broken ones (values of the
wrong type, huge or odd text, any Unicode including lone surrogates and control characters, numbers JSON can
write and Python cannot hold, odd geometries). For each:

- `check_file`, `load_spaces` and `creative_map.load` (with the warnings about positions) either succeed or
  raise `DataError` naming the file: never another exception;
- when the data loads, every export (`export.export` on the whole selection) writes a file that a reader
  which did not write it accepts: `json` for GeoJSON (strict: no NaN), `xml.etree` for KML and the KMZ's
  ``doc.kml``, `zipfile` for the zips, `sqlite3` for the GeoPackage, `csv` for the CSV, `html.parser` for
  the HTML map (and no element made by the data), PIL for the PNG, the PDF's own structure for the PDF;
  and the texts come back as they went in.

Every example runs under a deadline (`DEADLINE`): a case that takes longer fails as a hang would. The default
profile ``ci`` is derandomized (the same examples on every run), does not shrink a failing example (shrinking
can take minutes) and is small enough for the suite. Two more profiles, chosen with ``CREATIVE_MAP_FUZZ``:
``ci-shrink``, the same examples with a failing one shrunk to its simplest form, and ``long``, random examples,
twenty times as many, shrunk (``CREATIVE_MAP_FUZZ=long pytest tests/test_fuzz.py``, a few minutes).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import os
import sqlite3
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, event, given, note, settings
from hypothesis import strategies as st
from PIL import Image

import creative_map
from creative_map import admin, export, schema
from creative_map.errors import DataError
from creative_map.export._common import LIST_SEPARATOR
from creative_map.io import check_file, load_spaces

from .conftest import ROOT

DEADLINE = dt.timedelta(seconds=30)
"""The longest one example may take (load, check and the exports of its test), on a loaded machine."""

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=DEADLINE,
    print_blob=True,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),  # a failing example is shown as found, not shrunk
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
settings.register_profile("long", settings.get_profile("ci"), derandomize=False, phases=tuple(Phase))
settings.register_profile("ci-shrink", settings.get_profile("ci"), phases=tuple(Phase))
PROFILE = settings.get_profile(os.environ.get("CREATIVE_MAP_FUZZ", "ci"))
LONG = os.environ.get("CREATIVE_MAP_FUZZ") == "long"


def examples(ci: int) -> int:
    """How many examples a test runs: `ci` in the ``ci`` profiles, twenty times as many in ``long``."""
    return ci * 20 if LONG else ci


# ------------------------------------------------------------------------------------------------ values

MARK = "fuzz-mark"
"""An attribute the hostile texts carry: an element holding it in an exported page was made by the data."""

HOSTILE = [
    f'<b class="{MARK}">b</b>',
    f'</script><img class="{MARK}" src=x onerror=alert(1)>',
    f'"><svg class="{MARK}" onload=alert(1)>',
    f"<!--<script class='{MARK}'>",
    "]]><![CDATA[",
    "&amp; &lt; &#0; &#x1F600;",
    "=1+1",
    "+84 24 3825 2222",
    "-2",
    "@SUM(A1)",
    "\t=cmd|' /C calc'!A0",
    "\r",
    "a\r\nb\nc",
    "\\",
    '{"a": [1, 2]}',
    "[1, 2]",
    "%s%n%x",
    "\u2028\u2029",
    "\ufeff",
    "\u200b",
    "😀",
    "e\u0301\u0308",
    "null",
    "NaN",
    "' OR 1=1 --",
    "${x} {{x}} {x}",
    "javascript:alert(1)",
    "   ",
    "Phố đi bộ Hoàn Kiếm – Đinh Tiên Hoàng",
    "汉字 한국어 العربية עברית",
]

any_character = st.characters(exclude_categories=())  # surrogates (Cs) and controls (Cc) included
printable = st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="\ufffe\uffff")

odd_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(any_character, max_size=30),
    st.text(printable, min_size=1, max_size=40),
    st.lists(st.sampled_from(HOSTILE), min_size=2, max_size=4).map(" ".join),
)
"""Texts from anywhere: markup, formulas, line breaks, any Unicode (lone surrogates and controls too)."""

clean_text = st.one_of(
    st.sampled_from([h for h in HOSTILE if h.strip() and "\r" not in h]),
    st.text(printable, min_size=1, max_size=40).filter(lambda s: s.strip()),
    st.lists(st.sampled_from(HOSTILE), min_size=2, max_size=3).map(" ".join).filter(lambda s: s.strip()),
)
"""Texts that validation accepts when the field is free text: markup, formulas, any printable Unicode."""


def long_text(limit: int) -> st.SearchStrategy[str]:
    """Texts around a length limit (just under, at, just over) and far over it."""
    return st.sampled_from([limit - 1, limit, limit + 1, 5 * limit]).map(lambda n: ("Hà Nội " * n)[:n])


wrong_type = st.one_of(
    st.integers(),
    st.integers(min_value=10**300, max_value=10**400),
    st.floats(),
    st.booleans(),
    st.just([]),
    st.just({}),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
)

PAIRS = sorted((d.name, w) for d in admin.districts() for w in admin.units_2025_of_district(d.name))
"""Every (district, 2025 unit) pair validation accepts."""

VALID: dict[str, st.SearchStrategy[Any]] = {
    schema.CATEGORY: st.sampled_from(list(schema.CATEGORIES)),
    schema.STATUS: st.sampled_from(list(schema.STATUSES)),
    schema.NETWORK_MEMBER_COL: st.sampled_from(list(schema.NETWORK_MEMBER)),
    schema.POSITION_PRECISION: st.sampled_from(list(schema.PRECISIONS)),
    schema.PLAN_ITEM: st.sampled_from(["", *schema.PLAN_ITEMS]),
    schema.LAST_VERIFIED: st.sampled_from(["2026-11-27", "2025-01-05", "2000-02-29"]),
    schema.WEBSITE: st.sampled_from(
        ["", "https://example.org/a?b=<x>&c='d'", 'http://a.vn/"onmouseover=alert(1)', "HTTPS://EXAMPLE.ORG/#=1"]
    ),
    schema.OPENING_HOURS: st.sampled_from(
        ["", "Mo-Su 08:00-17:00", 'Mo-Su 09:00-18:00 "<b>by appointment</b> & =1+1"', "24/7", "Jan-Mar Sa off"]
    ),
    schema.SOURCES: st.lists(
        st.sampled_from(["https://example.org/s", "Kế hoạch 161/KH-UBND ngày 31/5/2023", "http://a.vn/=1+1"]),
        min_size=1,
        max_size=3,
    ),
}
"""Valid values of the fields that are not free text (the ids, units and texts are drawn apart)."""


@st.composite
def properties(draw: st.DrawFn, index: int, *, broken: bool) -> dict[str, Any]:
    """The properties of space `index`: valid ones with free texts from `clean_text`, or (`broken`) with
    any field possibly missing, of the wrong type, too long, odd, or unknown."""
    district, ward = draw(st.sampled_from(PAIRS))
    props: dict[str, Any] = {
        schema.ID: f"s-{index}",
        schema.DISTRICT: district,
        schema.WARD_2025: ward,
        **{name: draw(strategy) for name, strategy in VALID.items()},
    }
    for f in schema.SPACE_FIELDS:
        if f.kind == "text":
            props[f.name] = draw(clean_text) if f.required or draw(st.booleans()) else ""
    if not broken:
        return props
    for f in draw(st.lists(st.sampled_from(schema.SPACE_FIELDS), max_size=3, unique=True)):
        props[f.name] = draw(
            st.one_of(
                odd_text,
                long_text(f.max_chars),
                wrong_type,
                st.none(),
                st.lists(odd_text, max_size=3),
                st.just("https://" + "a" * 3000),
            )
        )
    if draw(st.integers(0, 9)) == 0:
        del props[draw(st.sampled_from(sorted(props)))]
    if draw(st.integers(0, 9)) == 0:
        props[draw(st.one_of(odd_text, st.sampled_from(["categroy", "name"])))] = draw(odd_text)
    return props


def _coordinate(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


@st.composite
def position(draw: st.DrawFn, *, height: bool, broken: bool) -> list[Any]:
    """A position in Hoàn Kiếm (a little around it), with a height or not; broken: any numbers, or none."""
    pos: list[Any] = [draw(_coordinate(105.84, 105.86)), draw(_coordinate(21.02, 21.04))]
    if height:
        pos.append(draw(st.floats(-1e6, 1e6, allow_nan=False) if not broken else st.floats()))
    if broken and draw(st.booleans()):
        pos[draw(st.integers(0, len(pos) - 1))] = draw(
            st.one_of(
                st.floats(),
                st.integers(min_value=10**300, max_value=10**400),
                st.sampled_from([True, None, "105.85", [], 106, 21, -0.0]),
            )
        )
    if broken and draw(st.integers(0, 5)) == 0:
        pos = draw(st.sampled_from([pos[:1], [*pos, 1, 2], [], [pos]]))
    return pos


def _ring(draw: st.DrawFn, *, broken: bool) -> list[Any]:
    lon, lat = draw(_coordinate(105.84, 105.86)), draw(_coordinate(21.02, 21.04))
    size = draw(st.sampled_from([1e-9, 1e-4, 0.003]))
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    if broken:
        ring = draw(
            st.sampled_from(
                [
                    ring,
                    ring[:-1],  # not closed
                    ring[:2] + ring[:1],  # too short
                    [ring[0], ring[2], ring[1], ring[3], ring[0]],  # a bow tie
                    [ring[0], ring[0], ring[0], ring[0]],  # no area
                ]
            )
        )
    return ring


@st.composite
def geometry(draw: st.DrawFn, *, broken: bool) -> Any:
    """A Point, LineString, Polygon or MultiPolygon in Hoàn Kiếm; broken: open rings, wrong nesting, odd types."""
    kind = draw(st.sampled_from(["Point", "Point", "LineString", "Polygon", "MultiPolygon", "MultiPoint"]))
    height = draw(st.integers(0, 3)) == 0
    if kind == "Point":
        coordinates: Any = draw(position(height=height, broken=broken))
    elif kind in ("LineString", "MultiPoint"):
        each = position(height=height if not broken else draw(st.booleans()), broken=broken)
        coordinates = draw(st.lists(each, min_size=1 if broken else 2, max_size=5))
    elif kind == "Polygon":
        coordinates = [_ring(draw, broken=broken)]
    else:
        coordinates = [[_ring(draw, broken=broken)] for _ in range(draw(st.integers(1, 2)))]
    geom: Any = {"type": kind, "coordinates": coordinates}
    if broken and draw(st.integers(0, 5)) == 0:
        geom = draw(
            st.sampled_from(
                [
                    None,
                    {"type": "GeometryCollection", "geometries": []},
                    {"type": ["Point"], "coordinates": [105.85, 21.03]},
                    {"type": "Point"},
                    {"type": "Polygon", "coordinates": [[[[105.85, 21.03]]]]},
                    {"type": "Point", "coordinates": [105.85, 21.03], "crs": {"type": "name"}},
                    "POINT (105.85 21.03)",
                ]
            )
        )
    return geom


@st.composite
def spaces_document(draw: st.DrawFn, *, broken: bool) -> dict[str, Any]:
    """A spaces FeatureCollection of 1 to 4 features (a category fitting each geometry when not broken)."""
    features = []
    for i in range(draw(st.integers(1, 4))):
        props = draw(properties(i, broken=broken))
        geom = draw(geometry(broken=broken))
        if isinstance(geom, dict) and geom.get("type") not in ("Point", "MultiPoint") and not broken:
            props[schema.CATEGORY] = draw(st.sampled_from(["public_space", "heritage", "walking_street"]))
        if isinstance(geom, dict) and geom.get("type") == "MultiPoint" and not broken:
            geom = {"type": "Point", "coordinates": geom["coordinates"][0]}
        features.append({"type": "Feature", "geometry": geom, "properties": props})
    document: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if broken and draw(st.integers(0, 9)) == 0:
        document["crs"] = draw(st.sampled_from(["EPSG:3857", {"type": "name", "properties": {"name": "EPSG:4326"}}]))
    if broken and draw(st.integers(0, 19)) == 0:
        return draw(st.sampled_from([[], {"type": "Feature"}, {"features": features}, {"type": "FeatureCollection"}]))
    return document


@st.composite
def events_document(draw: st.DrawFn, n_spaces: int, *, broken: bool) -> dict[str, Any]:
    """An events FeatureCollection at the generated spaces, with free texts (odd ones when `broken`)."""
    text = odd_text if broken else clean_text
    features = []
    for i in range(draw(st.integers(0, 2))):
        start = draw(st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)))
        props = {
            "id": f"e-{i}",
            "name_vi": draw(text),
            "name_en": draw(text),
            "start": start.isoformat(),
            "end": (start + dt.timedelta(days=draw(st.integers(0, 30)))).isoformat(),
            "space_ids": [f"s-{draw(st.integers(0, n_spaces if broken else n_spaces - 1))}"],
            "description_vi": draw(text),
            "sources": ["https://example.org/e"],
        }
        features.append({"type": "Feature", "geometry": None, "properties": props})
    return {"type": "FeatureCollection", "features": features}


def _write(folder: Path, name: str, document: Any, *, ascii_only: bool) -> Path:
    """Write `document` as JSON (NaN and Infinity as JSON5-like tokens, which Python reads); lone surrogates
    as escapes when `ascii_only`, else as the bytes Python's surrogatepass gives (not UTF-8)."""
    path = folder / name
    text = json.dumps(document, ensure_ascii=ascii_only, allow_nan=True)
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    return path


# ---------------------------------------------------------------------------------------------- readers


class _Elements(HTMLParser):
    """Collects the start tags of a page and any element that carries the `MARK` (made by the data)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags = 0
        self.marked: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags += 1
        if any(MARK in (value or "") for _, value in attrs):
            self.marked.append(tag)


def _elements(page: str) -> _Elements:
    parser = _Elements()
    parser.feed(page)
    parser.close()
    return parser


def _xml_text(value: str) -> str:
    """`value` as an XML parser gives it back: line breaks normalised to ``\\n``."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _no_constants(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


def _check_geojson(path: Path, selection: creative_map.Selection) -> None:
    spaces = selection.spaces
    data = json.loads(path.read_text(encoding="utf-8"), parse_constant=_no_constants)
    assert [f["properties"][schema.NAME_VI] for f in data["features"]] == list(spaces[schema.NAME_VI])
    assert [f["properties"][schema.SOURCES] for f in data["features"]] == list(spaces[schema.SOURCES])


def _check_csv(path: Path, selection: creative_map.Selection) -> None:
    spaces = selection.spaces
    with path.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert len(rows) == len(spaces) + 1 and {len(r) for r in rows} == {len(rows[0])}
    names = [r[rows[0].index(schema.NAME_VI)] for r in rows[1:]]
    for cell, value in zip(names, spaces[schema.NAME_VI], strict=True):
        assert cell in (value, "'" + value), (cell, value)  # a formula-looking cell may get a leading '


def _check_kml_text(text: bytes, spaces: Any) -> None:
    root = ET.fromstring(text)
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    placemarks = root.findall(".//k:Placemark", ns)
    assert len(placemarks) == len(spaces)
    values = {
        p.get("id"): {d.get("name"): d.findtext("k:value", "", ns) for d in p.findall(".//k:Data", ns)}
        for p in placemarks
    }
    for sid, name in zip(spaces[schema.ID], spaces[schema.NAME_VI], strict=True):
        assert values[f"space-{sid}"][schema.NAME_VI] == _xml_text(name)


def _check_kml(path: Path, selection: creative_map.Selection) -> None:
    spaces = selection.spaces
    _check_kml_text(path.read_bytes(), spaces)


def _check_kmz(path: Path, selection: creative_map.Selection) -> None:
    spaces = selection.spaces
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        _check_kml_text(zf.read("doc.kml"), spaces)


def _check_gpkg(path: Path, selection: creative_map.Selection) -> None:
    spaces = selection.spaces
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = db.execute(f"SELECT {schema.ID}, {schema.NAME_VI}, {schema.SOURCES} FROM spaces").fetchall()
    assert sorted(rows) == sorted(
        zip(
            spaces[schema.ID],
            spaces[schema.NAME_VI],
            [LIST_SEPARATOR.join(s) for s in spaces[schema.SOURCES]],
            strict=True,
        )
    )


def _check_shp(path: Path, selection: creative_map.Selection) -> None:
    spaces = selection.spaces
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        names = zf.namelist()
        for stem in {n.rsplit(".", 1)[0] for n in names if n.endswith(".shp")}:
            assert {f"{stem}.dbf", f"{stem}.shx", f"{stem}.cpg", f"{stem}.prj"} <= set(names)
            dbf = zf.read(f"{stem}.dbf")
            records = int.from_bytes(dbf[4:8], "little")  # the dBASE header's record count
            assert dbf[-1:] == b"\x1a" and records <= len(spaces)


def _check_html(path: Path, selection: creative_map.Selection) -> None:
    spaces = selection.spaces
    page = path.read_text(encoding="utf-8")
    elements = _elements(page)
    assert not elements.marked, elements.marked  # no element made by a text of the data
    call = page.index("= creativeMap.spacesLayer(")  # var layer = creativeMap.spacesLayer(map_..., {payload});
    payload, _ = json.JSONDecoder().raw_decode(page, page.index(", ", call) + 2)
    rows = payload["f"]
    assert sorted(r[1] for r in rows) == sorted(spaces[schema.NAME_VI])
    for row in rows:
        details = _elements(row[10])  # the popup's HTML, built escaped by the library
        assert not details.marked, (row[10][:300], details.marked)


def _check_png(path: Path, selection: creative_map.Selection) -> None:
    with Image.open(path) as image:
        image.verify()


def _check_pdf(path: Path, selection: creative_map.Selection) -> None:
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF") and b"startxref" in data[-1024:]


BUNDLE_MEMBERS = {
    "spaces.geojson": "geojson",
    "spaces.csv": "csv",
    "spaces.kml": "kml",
    "spaces.kmz": "kmz",
    "creative_map.gpkg": "gpkg",
    "spaces_shp.zip": "shp",
    "map.html": "html",
    "map_A4.png": "png",
    "map_A4.pdf": "pdf",
}
"""Each member of the bundle (A4 paper) and the format its reader checks."""
if "ics" in export.FORMATS:
    BUNDLE_MEMBERS["events.ics"] = "ics"


def _check_bundle(path: Path, selection: creative_map.Selection) -> None:
    with zipfile.ZipFile(path) as zf, tempfile.TemporaryDirectory(prefix="creative_map_bundle_") as tmp:
        assert zf.testzip() is None
        names = {n.removeprefix("creative_map/") for n in zf.namelist()}
        assert set(BUNDLE_MEMBERS) <= names, names
        for name, fmt in BUNDLE_MEMBERS.items():
            member = Path(tmp) / name
            member.write_bytes(zf.read(f"creative_map/{name}"))
            CHECKS[fmt](member, selection)


def _unescape_ics(value: str) -> str:
    """A TEXT value of RFC 5545 as written: ``\\n`` a line break, ``\\,``, ``\\;`` and ``\\\\`` themselves."""
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            out.append("\n" if value[i + 1] in "nN" else value[i + 1])
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def _check_ics_bytes(data: bytes, events: Any) -> None:
    """An iCalendar file read by the rules of RFC 5545 (not by the library that wrote it): CRLF lines of at most
    75 octets, folded lines unfolded, ``NAME[;PARAM]:VALUE`` content lines, BEGIN/END balanced, no control
    character, one VEVENT per event, each SUMMARY an event's name."""
    text = data.decode("utf-8")
    assert text.endswith("\r\n") and "\r\n".join(text.split("\r\n")) == text
    physical = text.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in physical), max(physical, key=len)
    assert not any(ch in line for line in physical for ch in "\r\n\x00\x1b\x7f")
    lines: list[str] = []
    for line in physical:
        if line[:1] in (" ", "\t"):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    stack, summaries = [], []
    for line in lines:
        name, sep, value = line.partition(":")
        assert sep and name and all(c.isalnum() or c in '-;=",./_ ' for c in name), line
        name = name.split(";")[0].upper()
        if name == "BEGIN":
            stack.append(value)
        elif name == "END":
            assert stack.pop() == value
        elif name == "SUMMARY" and stack[-1:] == ["VEVENT"]:
            summaries.append(_unescape_ics(value))
    assert not stack and lines[0] == "BEGIN:VCALENDAR"
    names = [*events[schema.NAME_VI], *events[schema.NAME_EN]]
    assert len(summaries) == len(events) and all(s in names for s in summaries), (summaries, names)


def _check_ics(path: Path, selection: creative_map.Selection) -> None:
    _check_ics_bytes(path.read_bytes(), selection.events)


CHECKS = {
    "geojson": _check_geojson,
    "csv": _check_csv,
    "kml": _check_kml,
    "kmz": _check_kmz,
    "gpkg": _check_gpkg,
    "shp": _check_shp,
    "html": _check_html,
    "png": _check_png,
    "pdf": _check_pdf,
    "bundle": _check_bundle,
    "ics": _check_ics,  # the calendar of the events (issue 14), where the registry has it
}
SLOW = ("png", "pdf", "bundle")
FAST = tuple(f for f in export.FORMATS if f not in SLOW)
"""The formats every example writes; the print map (PNG, PDF: a second each) is checked inside the bundle."""


def test_every_format_has_a_reader_here():
    assert set(export.FORMATS) <= set(CHECKS)


# ------------------------------------------------------------------------------------------------ the tests


def _load(folder: Path, document: Any, events: Any, *, ascii_only: bool) -> creative_map.Dataset | None:
    """Check and load the files; return the dataset, or None when a `DataError` naming the file refused them."""
    spaces_path = _write(folder, "spaces.geojson", document, ascii_only=ascii_only)
    events_path = _write(folder, "events.geojson", events, ascii_only=ascii_only) if events is not None else None
    checked = check_file(spaces_path)  # never raises
    try:
        frame = load_spaces(spaces_path)
    except DataError as exc:
        assert checked.errors and str(spaces_path) in str(exc)
        note(f"refused: {str(exc)[:500]}")
        with pytest.raises(DataError):
            creative_map.load(spaces_path)
        return None
    assert not checked.errors and len(frame) == len(document["features"])
    if events_path is not None:
        check_file(events_path, kind="events")  # never raises either
    try:
        dataset = creative_map.load(spaces_path)
    except DataError as exc:
        assert events_path is not None and str(events_path) in str(exc)
        note(f"events refused: {str(exc)[:500]}")
        return None
    for warning in dataset.warnings:
        assert len(str(warning)) < 3_000
    return dataset


def _export(selection: creative_map.Selection, folder: Path, formats: tuple[str, ...]) -> None:
    for fmt in formats:
        path = folder / f"out{export.SUFFIXES[fmt]}"  # type: ignore[index]
        export.export(selection, fmt, path, force=True, date=dt.date(2026, 11, 27))  # type: ignore[arg-type]
        CHECKS[fmt](path, selection)


@given(document=spaces_document(broken=True), ascii_only=st.booleans(), data=st.data())
@settings(PROFILE, max_examples=examples(120))
def test_any_file_loads_or_is_refused_with_a_data_error(document, ascii_only, data):
    n = len(document.get("features", [])) if isinstance(document, dict) else 0
    events = data.draw(st.none() | events_document(max(n, 1), broken=True))
    with tempfile.TemporaryDirectory(prefix="creative_map_fuzz_") as tmp:
        dataset = _load(Path(tmp), document, events, ascii_only=ascii_only)
        if dataset is not None:
            event("loaded")
            _export(creative_map.select(dataset), Path(tmp), ("geojson", "kml", "csv"))
        else:
            event("refused")


@given(document=spaces_document(broken=False), data=st.data())
@settings(PROFILE, max_examples=examples(15))
def test_what_validation_accepts_every_export_writes_and_its_reader_reads(document, data):
    events = data.draw(st.none() | events_document(len(document["features"]), broken=False))
    with tempfile.TemporaryDirectory(prefix="creative_map_fuzz_") as tmp:
        dataset = _load(Path(tmp), document, events, ascii_only=data.draw(st.booleans()))
        assert dataset is not None  # valid input: every text here is one validation accepts
        _export(creative_map.select(dataset), Path(tmp), FAST)


PRINT_SAFE = st.text(printable, min_size=1, max_size=30).filter(str.strip)
"""Names for the print map (``$`` included: the print map does not read mathtext)."""


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font:UserWarning")  # DejaVu Sans lacks CJK, emoji...
@given(document=spaces_document(broken=False), name=st.tuples(PRINT_SAFE, st.sampled_from(HOSTILE[:6])).map(" ".join))
@settings(PROFILE, max_examples=examples(2))
def test_the_bundle_holds_every_format_and_each_reads(document, name):
    """The bundle (a second or more): every other format in it, the print map (PNG, PDF) included."""
    document["features"][0]["properties"][schema.NAME_VI] = name
    with tempfile.TemporaryDirectory(prefix="creative_map_fuzz_") as tmp:
        dataset = _load(Path(tmp), document, None, ascii_only=False)
        assert dataset is not None
        _export(creative_map.select(dataset), Path(tmp), ("bundle",))


@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_a_dollar_sign_in_a_name_reaches_the_print_map_as_text(tmp_path, fmt):
    from .conftest import collection, make_space

    path = tmp_path / "spaces.geojson"
    path.write_text(json.dumps(collection(make_space(name_vi="A $x^$ b", name_en="A $x^$ b"))), encoding="utf-8")
    selection = creative_map.select(creative_map.load(path))
    export.export(selection, fmt, tmp_path / f"map.{fmt}")  # type: ignore[arg-type]


def test_the_shipped_data_goes_through_every_fast_format(tmp_path):
    """The readers above accept the real data (so a failure in the fuzz is the input's doing)."""
    dataset = creative_map.load(ROOT / "data" / "spaces.geojson")
    selection = creative_map.select(dataset)
    spaces = selection.spaces
    keep = (spaces.index % 8 == 0) | (spaces.geometry.geom_type != "Point")  # a sample, every shape
    some = creative_map.Selection(spaces.loc[keep].reset_index(drop=True), total=dataset.total)
    assert len(some) > 15 and set(some.spaces.geometry.geom_type) >= {"Point", "LineString", "Polygon"}
    _export(some, tmp_path, FAST)


def test_a_reader_here_fails_on_a_broken_file(tmp_path):
    """The readers can fail: a KML with a control character, a GeoJSON with NaN, a page with a made element,
    a calendar with a long or broken line."""
    dataset = creative_map.load(ROOT / "data" / "spaces.geojson")
    one = creative_map.Selection(dataset.spaces.iloc[:1].reset_index(drop=True), total=dataset.total)
    (tmp_path / "a.kml").write_bytes(b"<kml><name>\x01</name></kml>")
    with pytest.raises(ET.ParseError):
        _check_kml(tmp_path / "a.kml", one)
    (tmp_path / "a.geojson").write_text('{"features": [], "x": NaN}', encoding="utf-8")
    with pytest.raises(ValueError, match="NaN is not JSON"):
        _check_geojson(tmp_path / "a.geojson", one)
    (tmp_path / "a.html").write_text(f'<p>x</p><script>var a = "</script><b class="{MARK}">";</script>', "utf-8")
    with pytest.raises(AssertionError):
        _check_html(tmp_path / "a.html", one)
    (tmp_path / "a.kmz").write_text("not a zip", encoding="utf-8")
    with pytest.raises(zipfile.BadZipFile):
        _check_kmz(tmp_path / "a.kmz", one)
    events = dataset.events.iloc[:1]
    summary = "SUMMARY:" + events[schema.NAME_VI].iloc[0].replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    folded = [""]
    for ch in summary:  # RFC 5545 folding: lines of at most 75 octets, continued after a space
        if len((folded[-1] + ch).encode()) > 74:
            folded.append("")
        folded[-1] += ch
    good = ["BEGIN:VCALENDAR", "BEGIN:VEVENT", folded[0], *(" " + f for f in folded[1:]), "END:VEVENT", "END:VCALENDAR"]
    _check_ics_bytes(("\r\n".join(good) + "\r\n").encode(), events)
    for broken in (["BEGIN:VCALENDAR", "SUMMARY:" + "x" * 80, "END:VCALENDAR"], [*good[:-1], "X:a\rb", good[-1]]):
        with pytest.raises(AssertionError):
            _check_ics_bytes(("\r\n".join(broken) + "\r\n").encode(), events)
