"""Checks a parsed spaces or events collection against the schema and lists every problem.

Pure: nothing here reads files (that is `creative_map.io`), builds frames or looks at other records' positions
(the warnings about positions and look-alike names run on the loaded frame: `creative_map.spatial_checks`).
It takes what ``json.load`` gave and returns the cleaned records (NFC text, canonical unit names) with the
problems found.

What passes here can be written by every export: a text is refused when it is longer than its field's limit
(`creative_map.schema.Field.max_chars`) or holds a character that UTF-8 or XML 1.0 cannot carry (`text_problem`);
a geometry is refused unless every number is finite and every ring closed. Every message names the file, the
feature (index and id) and the field, and quotes at most `creative_map.errors.QUOTE_CHARS` characters of a value.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from creative_map import admin, schema
from creative_map.errors import Problem, quote
from creative_map.patterns import PLAN_ITEM, SLUG, is_http_url, is_iso_date, is_opening_hours
from creative_map.text import nfc

__all__ = ["Checked", "check_events", "check_spaces", "crs_problem", "text_problem"]

Report = Callable[[str | None, str], None]
"""How a check reports a problem of the feature it looks at: (field, or None for the feature; message)."""

_NONCHARACTERS: Final = "".join(
    chr(c)
    for c in (
        *range(0xFDD0, 0xFDF0),
        *(plane + low for plane in range(0, 0x110000, 0x10000) for low in (0xFFFE, 0xFFFF)),
    )
)
_FORBIDDEN: Final = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069" + _NONCHARACTERS + "]"
)
"""The characters no text may hold, as one character class: a search looks at each character once."""
_HINT_MAX_CHARS: Final = 100
"""Longer unknown names get no "did you mean" (difflib's cost grows with the length of both texts)."""
_MAX_HINTS: Final = 20
"""Unknown space ids past this many in a file get no "did you mean" (each is compared with every space id)."""
_CRS84: Final = frozenset({("ogc", "crs84"), ("epsg", "4326")})


@dataclass
class Checked:
    """What a check returns: the cleaned records and every problem found (errors and warnings)."""

    records: list[dict[str, Any]] = field(default_factory=list)
    geometries: list[BaseGeometry | None] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """The problems that make the data unusable."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems worth a look that do not stop loading."""
        return [p for p in self.problems if p.severity == "warning"]


# ---------------------------------------------------------------------------------------------------- text


def text_problem(text: str, *, max_chars: int = schema.MAX_TEXT_CHARS) -> str | None:
    """Return why `text` cannot be a value of the data, or None when it can.

    Refused: more than `max_chars` characters; a control character other than tab, line feed and carriage
    return (C0, DEL, C1: XML 1.0 cannot hold most of them, and none belongs in a name); a lone surrogate (an
    escape such as ``\\ud800`` that encodes no character: UTF-8 cannot write it); a noncharacter (U+FFFE,
    U+FFFF and the 64 others; XML cannot hold the first two); a bidirectional embedding, override or isolate
    (U+202A–U+202E, U+2066–U+2069), which make a text display other than it reads, in a review too.
    Linear in the text: one search for one character class.
    """
    if len(text) > max_chars:
        return f"is {len(text):,} characters long, more than the {max_chars:,} accepted: {quote(text)}"
    if text.isprintable():  # the common case, at C speed: every refused character is unprintable
        return None
    bad = _FORBIDDEN.search(text)
    if bad is None:
        return None
    ch = bad.group()
    code = ord(ch)
    if 0xD800 <= code <= 0xDFFF:
        what = "a lone surrogate (an escape such as \\ud800 that encodes no character; UTF-8 cannot write it)"
    elif ch in _NONCHARACTERS:
        what = "a noncharacter (not for interchange; XML cannot hold U+FFFE and U+FFFF)"
    elif 0x202A <= code <= 0x2069:
        what = "an invisible bidirectional control (it makes the text display other than it reads)"
    else:
        what = "a control character (only tab and line breaks are accepted)"
    return f"holds U+{code:04X}, {what}, at character {bad.start():,}: {quote(text)}; expected plain text"


# ---------------------------------------------------------------------------------------------- collection


def crs_problem(crs: object) -> str | None:
    """Return why a GeoJSON ``crs`` member is refused, or None for none (null) or a name of WGS 84 lon/lat.

    RFC 7946 GeoJSON has no ``crs``: positions are WGS 84 longitude, latitude. A file in the older format may
    name that system (``urn:ogc:def:crs:OGC:1.3:CRS84``, ``EPSG:4326`` and their other spellings); any other
    system is refused rather than read as if it were WGS 84.
    """
    if crs is None:
        return None
    name: object = None
    if isinstance(crs, dict) and isinstance(crs.get("properties"), dict):
        props = crs["properties"]
        name = props.get("name") if crs.get("type") == "name" else None
        if crs.get("type") == "EPSG" and props.get("code") in (4326, "4326"):
            return None
    if isinstance(name, str) and _is_crs84(name):
        return None
    return (
        f"names the coordinate system {quote(crs)}; positions here are WGS 84 longitude, latitude (GeoJSON, "
        "RFC 7946, has no 'crs' member): reproject the file to WGS 84 (EPSG:4326) and remove the member"
    )


def _is_crs84(name: str) -> bool:
    """Return whether `name` is a name of WGS 84 in longitude, latitude order (CRS84, or EPSG:4326 as GeoJSON)."""
    n = name.strip().lower()
    if n in ("crs84", "ogc:crs84", "epsg:4326", "ogc:1.3:crs84"):
        return True
    parts = n.split(":")
    if n.startswith("urn:ogc:def:crs:") and len(parts) == 7:
        return (parts[4], parts[6]) in _CRS84
    for prefix in ("http://www.opengis.net/def/crs/", "https://www.opengis.net/def/crs/"):
        if n.startswith(prefix):
            segments = n[len(prefix) :].strip("/").split("/")
            return len(segments) == 3 and (segments[0], segments[2]) in _CRS84
    return False


def _features(data: object, file: str, problems: list[Problem]) -> list[Any]:
    if not isinstance(data, dict):
        problems.append(
            Problem(file, f"the file holds a JSON {type(data).__name__}; expected a GeoJSON FeatureCollection object")
        )
        return []
    kind = data.get("type")
    if kind == "Feature":
        problems.append(
            Problem(
                file,
                "the file holds a single Feature; expected a FeatureCollection "
                '(wrap it: {"type": "FeatureCollection", "features": [ ... ]})',
            )
        )
        return []
    if kind != "FeatureCollection":
        problems.append(Problem(file, f"'type' is {quote(kind)}; expected 'FeatureCollection'"))
        return []
    crs = crs_problem(data.get("crs"))
    if crs is not None:
        problems.append(Problem(file, crs, field="crs"))
        return []
    features = data.get("features")
    if not isinstance(features, list):
        problems.append(Problem(file, f"'features' is {type(features).__name__}; expected a list of Features"))
        return []
    return features


# ------------------------------------------------------------------------------------------------ geometry


def _positions(coords: Any, depth: int) -> Iterator[Any]:
    """Yield every position in a GeoJSON coordinates array of nesting `depth` (0: one position)."""
    if depth == 0:
        yield coords
        return
    if not isinstance(coords, list) or not coords:
        raise ValueError(f"coordinates are not a non-empty array of the expected nesting: {quote(coords)}")
    for item in coords:
        yield from _positions(item, depth - 1)


def _rings(coords: list[Any], kind: str) -> Iterator[tuple[str, list[Any]]]:
    """Yield (where, ring) for every linear ring of a Polygon's or MultiPolygon's checked coordinates."""
    polygons = [coords] if kind == "Polygon" else coords
    for p, rings in enumerate(polygons):
        for r, ring in enumerate(rings):
            name = "the outer ring" if r == 0 else f"hole {r}"
            yield (name if kind == "Polygon" else f"{name} of polygon {p}"), ring


_DEPTH: Final = {"Point": 0, "LineString": 1, "MultiPoint": 1, "Polygon": 2, "MultiLineString": 2, "MultiPolygon": 3}


def _number(value: Any) -> float | None:
    """Return a JSON number as a float; None for anything else, or an integer too large for a float."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return float(value)
    except OverflowError:
        return None


def _check_position(pos: Any, report: Report) -> bool:
    """Check one position (2 or 3 finite numbers, in Hanoi); report and return False when it is not one."""
    min_lon, min_lat, max_lon, max_lat = schema.HANOI_BBOX
    numbers = [_number(v) for v in pos] if isinstance(pos, list) and len(pos) in (2, 3) else None
    if numbers is None or any(v is None for v in numbers):
        too_large = isinstance(pos, list) and any(isinstance(v, int) and _number(v) is None for v in pos)
        why = " (an integer too large for a coordinate)" if too_large else ""
        report("geometry", f"position {quote(pos)} is not [longitude, latitude] or [longitude, latitude, height]{why}")
        return False
    if not all(math.isfinite(v) for v in numbers if v is not None):
        report("geometry", f"position {quote(pos)} is not finite (NaN or infinity); expected numbers")
        return False
    lon, lat = pos[0], pos[1]  # numbers within a float's range, as the file wrote them
    if not (min_lon <= lon <= max_lon and min_lat <= lat <= max_lat):
        if min_lon <= lat <= max_lon and min_lat <= lon <= max_lat:
            report(
                "geometry",
                f"position {quote(pos)} has latitude and longitude swapped; GeoJSON order is "
                f"[longitude, latitude], e.g. [{quote(lat)}, {quote(lon)}]",
            )
        else:
            report(
                "geometry",
                f"position {quote(pos)} is outside Hanoi (longitude {min_lon}–{max_lon}, latitude {min_lat}–{max_lat})",
            )
        return False
    return True


def _check_geometry(geom: Any, category: Any, report: Report) -> BaseGeometry | None:
    if geom is None:
        report(
            "geometry",
            "the feature has no geometry; expected a Point (or a LineString or Polygon for "
            "walking streets, villages and areas)",
        )
        return None
    kind = geom.get("type") if isinstance(geom, dict) else None
    if not isinstance(kind, str) or kind not in _DEPTH:
        what = quote(kind) if isinstance(geom, dict) else f"a JSON {type(geom).__name__}"
        report("geometry", f"geometry type {what} is not a GeoJSON geometry this data uses")
        return None
    assert isinstance(geom, dict)
    crs = crs_problem(geom.get("crs"))
    if crs is not None:
        report("geometry", f"'crs' {crs}")
        return None
    cat = schema.CATEGORIES.get(category) if isinstance(category, str) else None
    if cat is not None and kind not in cat.shapes:
        report("geometry", f"a {kind} for category {quote(category)}; expected one of {', '.join(cat.shapes)}")
        return None
    coords: Any = geom.get("coordinates")
    try:
        positions = list(_positions(coords, _DEPTH[kind]))
    except ValueError as exc:
        report("geometry", str(exc))
        return None
    if not all(_check_position(pos, report) for pos in positions):
        return None
    if len({len(pos) for pos in positions}) > 1:
        report("geometry", "mixes positions of 2 and 3 numbers; expected all with a height or none")
        return None
    if kind == "LineString" and len(positions) < 2:
        report("geometry", "a LineString needs at least 2 positions")
        return None
    if kind == "MultiLineString" and any(len(line) < 2 for line in coords):
        report("geometry", "each line of a MultiLineString needs at least 2 positions")
        return None
    if kind in ("Polygon", "MultiPolygon"):
        for where, ring in _rings(coords, kind):
            if len(ring) < 4:
                report(
                    "geometry",
                    f"{where} has {len(ring)} positions; a ring needs at least 4 (the last repeats the first)",
                )
                return None
            if ring[0] != ring[-1]:
                report(
                    "geometry",
                    f"{where} is not closed: it starts at {quote(ring[0])} and ends at {quote(ring[-1])}; "
                    "a GeoJSON ring ends with its first position repeated",
                )
                return None
    try:
        geometry = shape(geom)
    except (ValueError, TypeError, AttributeError, shapely.errors.ShapelyError) as exc:
        report("geometry", f"not a valid {kind}: {quote(str(exc))}")
        return None
    if not geometry.is_valid:
        report("geometry", f"not a valid {kind}: {shapely.is_valid_reason(geometry)}")
        return None
    return geometry


# -------------------------------------------------------------------------------------------------- values


def _unknown_unit(exc: admin.UnknownUnitError, value: str) -> str:
    hint = f"; did you mean {', '.join(repr(s) for s in exc.suggestions)}?" if exc.suggestions else ""
    return f"unknown {exc.kind} {quote(value)}{hint}"


def _check_value(f: schema.Field, value: Any, report: Report) -> Any:
    """Check one property against its field; return the cleaned value (or None when it is wrong)."""
    if f.kind.startswith("list of"):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            report(f.name, f"{quote(value)} is not a list of texts; expected {f.kind}")
            return None
        if f.required and not value:
            report(f.name, f"is empty; expected at least one of {f.kind}")
            return None
        if len(value) > schema.MAX_LIST_ITEMS:
            report(f.name, f"holds {len(value):,} items, more than the {schema.MAX_LIST_ITEMS:,} accepted")
            return None
        for i, v in enumerate(value):
            problem = text_problem(v, max_chars=f.max_chars)
            if problem is not None:
                report(f.name, f"item {i} {problem}")
                return None
        cleaned = [nfc(v.strip()) for v in value]
        if f.kind == "list of sources":
            for v in cleaned:
                if not (is_http_url(v) or "161/KH-UBND" in v):
                    report(f.name, f"{quote(v)} is neither an http(s) address nor the plan 161/KH-UBND")
                    return None
        return cleaned
    if not isinstance(value, str):
        report(f.name, f"{quote(value)} is a {type(value).__name__}; expected text ({f.kind})")
        return None
    problem = text_problem(value, max_chars=f.max_chars)
    if problem is not None:
        report(f.name, problem)
        return None
    value = nfc(value.strip())
    if not value:
        if f.required:
            report(f.name, f"is empty; expected {f.kind}: {f.doc}")
            return None
        return ""
    checks: dict[str, tuple[bool, str]] = {}
    if f.kind == "slug":
        checks["slug"] = (bool(SLUG.match(value)), "expected lowercase ASCII letters, digits and single hyphens")
    elif f.kind == "url":
        checks["url"] = (is_http_url(value), "expected an http:// or https:// address")
    elif f.kind == "date":
        ok = is_iso_date(value) and dt.date.fromisoformat(value) <= dt.date.today() + dt.timedelta(days=3650)
        checks["date"] = (ok, "expected a real date as YYYY-MM-DD")
    elif f.kind == "category":
        checks[f.kind] = (value in schema.CATEGORIES, f"expected one of: {', '.join(schema.CATEGORIES)}")
    elif f.kind == "status":
        checks[f.kind] = (value in schema.STATUSES, f"expected one of: {', '.join(schema.STATUSES)}")
    elif f.kind == "network_member":
        checks[f.kind] = (value in schema.NETWORK_MEMBER, f"expected one of: {', '.join(schema.NETWORK_MEMBER)}")
    elif f.kind == "precision":
        checks[f.kind] = (value in schema.PRECISIONS, f"expected one of: {', '.join(schema.PRECISIONS)}")
    elif f.kind == "plan_item":
        checks[f.kind] = (bool(PLAN_ITEM.match(value)), "expected an item number of plan 161 such as 3.1.2.a")
    elif f.kind == "opening_hours":
        checks[f.kind] = (
            is_opening_hours(value),
            "expected OpenStreetMap opening_hours syntax, e.g. 'Tu-Su 08:00-17:00'",
        )
    elif f.kind == "district":
        try:
            value = admin.resolve_district(value).name
        except admin.UnknownUnitError as exc:
            report(f.name, f"{_unknown_unit(exc, value)}; expected one of Hanoi's 30 pre-2025 districts")
            return None
    elif f.kind == "ward_2025":
        try:
            value = admin.resolve_ward_2025(value).name
        except admin.UnknownUnitError as exc:
            report(f.name, f"{_unknown_unit(exc, value)}; expected one of Hanoi's 126 wards and communes of 2025")
            return None
    for ok, expected in checks.values():
        if not ok:
            report(f.name, f"{quote(value)} is not valid; {expected}")
            return None
    return value


def _check_properties(fields: tuple[schema.Field, ...], props: Any, report: Report) -> dict[str, Any]:
    if not isinstance(props, dict):
        report(
            None,
            f"'properties' is {type(props).__name__}; expected an object with the fields "
            f"{', '.join(f.name for f in fields if f.required)}",
        )
        return {}
    known = {f.name for f in fields}
    for name in props:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1) if len(name) <= _HINT_MAX_CHARS else []
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            report(name, f"unknown field{hint}; expected only: {', '.join(f.name for f in fields)}")
    record: dict[str, Any] = {}
    for f in fields:
        if f.name not in props or props[f.name] is None:
            if f.required:
                report(f.name, f"is missing; expected {f.kind}: {f.doc}")
            record[f.name] = [] if f.kind.startswith("list of") else ""
            continue
        record[f.name] = _check_value(f, props[f.name], report)
    return record


def _feature_id(props: Any) -> str | None:
    """Return the id a feature's messages name: its `id` property when that is text (cut when very long)."""
    fid = props.get("id") if isinstance(props, dict) else None
    if not isinstance(fid, str):
        return None
    return fid if len(fid) <= schema.MAX_ID_CHARS else fid[: schema.MAX_ID_CHARS] + "…"


# -------------------------------------------------------------------------------------------------- files


def check_spaces(data: object, *, file: str) -> Checked:
    """Check a parsed spaces FeatureCollection against the schema.

    Parameters
    ----------
    data
        What ``json.load`` returned for the file.
    file
        The file's name, for the messages.

    Returns
    -------
    Checked
        The cleaned records and geometries (one per feature, in order) and every problem, each naming the
        file, the feature's index and id, the field, the value and what was expected.
    """
    out = Checked()
    seen: dict[str, int] = {}
    for index, feature in enumerate(_features(data, file, out.problems)):
        props = feature.get("properties") if isinstance(feature, dict) else None
        fid = _feature_id(props)

        def report(fld: str | None, message: str, _i: int = index, _id: str | None = fid) -> None:
            out.problems.append(Problem(file, message, _i, _id, fld))

        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            report(None, "is not a GeoJSON Feature object")
            out.records.append({})
            out.geometries.append(None)
            continue
        crs = crs_problem(feature.get("crs"))
        if crs is not None:
            report("crs", crs)
        record = _check_properties(schema.SPACE_FIELDS, props, report)
        geometry = _check_geometry(feature.get("geometry"), record.get(schema.CATEGORY), report)
        clean_id = record.get(schema.ID)
        if clean_id:
            if clean_id in seen:
                report("id", f"{quote(clean_id)} is also the id of feature {seen[clean_id]}; ids must be unique")
            seen.setdefault(clean_id, index)
        district, ward = record.get(schema.DISTRICT), record.get(schema.WARD_2025)
        if district and ward and ward not in admin.units_2025_of_district(district):
            report(
                schema.WARD_2025,
                f"{ward!r} took in none of the wards of {district!r}; expected one of: "
                f"{', '.join(sorted(admin.units_2025_of_district(district)))}",
            )
        out.records.append(record)
        out.geometries.append(geometry)
    return out


def check_events(data: object, *, file: str, space_ids: set[str] | None = None) -> Checked:
    """Check a parsed events FeatureCollection (geometry null: an event takes its places from `space_ids`).

    Parameters
    ----------
    data
        What ``json.load`` returned for the file.
    file
        The file's name, for the messages.
    space_ids
        The ids of the known spaces; each event's `space_ids` must be among them (None: not checked).

    Returns
    -------
    Checked
        The cleaned records and every problem.
    """
    out = Checked()
    seen: dict[str, int] = {}
    hints_left = _MAX_HINTS
    for index, feature in enumerate(_features(data, file, out.problems)):
        props = feature.get("properties") if isinstance(feature, dict) else None
        fid = _feature_id(props)

        def report(fld: str | None, message: str, _i: int = index, _id: str | None = fid) -> None:
            out.problems.append(Problem(file, message, _i, _id, fld))

        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            report(None, "is not a GeoJSON Feature object")
            out.records.append({})
            continue
        if feature.get("geometry") is not None:
            report("geometry", "events carry no geometry (null): they take their places from 'space_ids'")
        record = _check_properties(schema.EVENT_FIELDS, props, report)
        start, end = record.get(schema.START), record.get(schema.END)
        if start and end and end < start:
            report(schema.END, f"{end!r} is before start {start!r}")
        ids = record.get(schema.SPACE_IDS) or []
        if props and schema.SPACE_IDS in props and not ids and record.get(schema.SPACE_IDS) is not None:
            report(schema.SPACE_IDS, "is empty; expected the id of at least one space")
        if space_ids is not None:
            for sid in ids:
                if sid not in space_ids:
                    close = difflib.get_close_matches(sid, space_ids, n=1) if hints_left > 0 else []
                    hints_left -= 1
                    hint = f" (did you mean {close[0]!r}?)" if close else ""
                    report(schema.SPACE_IDS, f"{quote(sid)} is the id of no space{hint}")
        clean_id = record.get(schema.ID)
        if clean_id:
            if clean_id in seen:
                report("id", f"{quote(clean_id)} is also the id of feature {seen[clean_id]}; ids must be unique")
            seen.setdefault(clean_id, index)
        out.records.append(record)
        out.geometries.append(None)
    return out
