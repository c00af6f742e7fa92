"""Checks a parsed spaces or events collection against the schema and lists every problem.

Pure: nothing here reads files (that is `creative_map.io`), builds frames or looks at other records' positions
(the warnings about positions and look-alike names run on the loaded frame: `creative_map.spatial_checks`).
It takes what ``json.load`` gave and returns the cleaned records (NFC text, canonical unit names) with the
problems found.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from creative_map import admin, schema
from creative_map.errors import Problem
from creative_map.patterns import PLAN_ITEM, SLUG, is_http_url, is_iso_date, is_opening_hours
from creative_map.text import nfc

__all__ = ["Checked", "check_events", "check_spaces"]


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
        problems.append(Problem(file, f"'type' is {kind!r}; expected 'FeatureCollection'"))
        return []
    features = data.get("features")
    if not isinstance(features, list):
        problems.append(Problem(file, f"'features' is {type(features).__name__}; expected a list of Features"))
        return []
    return features


def _positions(coords: Any, depth: int) -> Iterator[Any]:
    """Yield every position in a GeoJSON coordinates array of nesting `depth` (0: one position)."""
    if depth == 0:
        yield coords
        return
    if not isinstance(coords, list) or not coords:
        raise ValueError("coordinates are not a non-empty array of the expected nesting")
    for item in coords:
        yield from _positions(item, depth - 1)


_DEPTH = {"Point": 0, "LineString": 1, "MultiPoint": 1, "Polygon": 2, "MultiLineString": 2, "MultiPolygon": 3}


def _check_geometry(geom: Any, category: Any, report: Any) -> BaseGeometry | None:
    if geom is None:
        report(
            "geometry",
            "the feature has no geometry; expected a Point (or a LineString or Polygon for "
            "walking streets, villages and areas)",
        )
        return None
    if not isinstance(geom, dict) or geom.get("type") not in _DEPTH:
        kind = geom.get("type") if isinstance(geom, dict) else type(geom).__name__
        report("geometry", f"geometry type {kind!r} is not a GeoJSON geometry this data uses")
        return None
    kind = geom["type"]
    cat = schema.CATEGORIES.get(category) if isinstance(category, str) else None
    if cat is not None and kind not in cat.shapes:
        report("geometry", f"a {kind} for category {category!r}; expected one of {', '.join(cat.shapes)}")
        return None
    try:
        positions = list(_positions(geom.get("coordinates"), _DEPTH[kind]))
    except ValueError as exc:
        report("geometry", f"{exc}: {str(geom.get('coordinates'))[:80]}")
        return None
    min_lon, min_lat, max_lon, max_lat = schema.HANOI_BBOX
    for pos in positions:
        if (
            not isinstance(pos, list)
            or len(pos) not in (2, 3)
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in pos)
        ):
            report("geometry", f"position {str(pos)[:60]} is not [longitude, latitude] numbers")
            return None
        lon, lat = pos[0], pos[1]
        if not (math.isfinite(lon) and math.isfinite(lat)):
            report("geometry", f"position {pos} is not finite (NaN or infinity); expected [longitude, latitude]")
            return None
        if not (min_lon <= lon <= max_lon and min_lat <= lat <= max_lat):
            if min_lon <= lat <= max_lon and min_lat <= lon <= max_lat:
                report(
                    "geometry",
                    f"position {pos} has latitude and longitude swapped; GeoJSON order is "
                    f"[longitude, latitude], e.g. [{lat}, {lon}]",
                )
            else:
                report(
                    "geometry",
                    f"position {pos} is outside Hanoi (longitude {min_lon}–{max_lon}, latitude {min_lat}–{max_lat})",
                )
            return None
    try:
        geometry = shape(geom)
    except (ValueError, TypeError, AttributeError, shapely.errors.ShapelyError) as exc:
        report("geometry", f"not a valid {kind}: {exc}")
        return None
    if not geometry.is_valid:
        report("geometry", f"not a valid {kind}: {shapely.is_valid_reason(geometry)}")
        return None
    return geometry


def _check_value(f: schema.Field, value: Any, report: Any, record: dict[str, Any]) -> Any:
    """Check one property against its field; return the cleaned value (or None when it is wrong)."""
    if f.kind.startswith("list of"):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            report(f.name, f"{value!r} is not a list of texts; expected {f.kind}")
            return None
        if f.required and not value:
            report(f.name, f"is empty; expected at least one of {f.kind}")
            return None
        cleaned = [nfc(v.strip()) for v in value]
        if f.kind == "list of sources":
            for v in cleaned:
                if not (is_http_url(v) or "161/KH-UBND" in v):
                    report(f.name, f"{v!r} is neither an http(s) address nor the plan 161/KH-UBND")
                    return None
        return cleaned
    if not isinstance(value, str):
        report(f.name, f"{value!r} is a {type(value).__name__}; expected text ({f.kind})")
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
            report(f.name, f"{exc}; expected one of Hanoi's 30 pre-2025 districts")
            return None
    elif f.kind == "ward_2025":
        try:
            value = admin.resolve_ward_2025(value).name
        except admin.UnknownUnitError as exc:
            report(f.name, f"{exc}; expected one of Hanoi's 126 wards and communes of 2025")
            return None
    for ok, expected in checks.values():
        if not ok:
            report(f.name, f"{value!r} is not valid; {expected}")
            return None
    return value


def _check_properties(fields: tuple[schema.Field, ...], props: Any, report: Any) -> dict[str, Any]:
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
            close = difflib.get_close_matches(name, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            report(name, f"unknown field{hint}; expected only: {', '.join(f.name for f in fields)}")
    record: dict[str, Any] = {}
    for f in fields:
        if f.name not in props or props[f.name] is None:
            if f.required:
                report(f.name, f"is missing; expected {f.kind}: {f.doc}")
            record[f.name] = [] if f.kind.startswith("list of") else ""
            continue
        record[f.name] = _check_value(f, props[f.name], report, record)
    return record


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
        fid = props.get("id") if isinstance(props, dict) and isinstance(props.get("id"), str) else None

        def report(
            fld: str | None, message: str, *, severity: str = "error", _i: int = index, _id: str | None = fid
        ) -> None:
            out.problems.append(Problem(file, message, _i, _id, fld, severity))  # type: ignore[arg-type]

        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            report(None, "is not a GeoJSON Feature object")
            out.records.append({})
            out.geometries.append(None)
            continue
        record = _check_properties(schema.SPACE_FIELDS, props, report)
        geometry = _check_geometry(feature.get("geometry"), record.get(schema.CATEGORY), report)
        if fid is not None:
            if fid in seen:
                report("id", f"{fid!r} is also the id of feature {seen[fid]}; ids must be unique")
            seen.setdefault(fid, index)
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
    for index, feature in enumerate(_features(data, file, out.problems)):
        props = feature.get("properties") if isinstance(feature, dict) else None
        fid = props.get("id") if isinstance(props, dict) and isinstance(props.get("id"), str) else None

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
                    close = difflib.get_close_matches(sid, space_ids, n=1)
                    hint = f" (did you mean {close[0]!r}?)" if close else ""
                    report(schema.SPACE_IDS, f"{sid!r} is the id of no space{hint}")
        if fid is not None:
            if fid in seen:
                report("id", f"{fid!r} is also the id of feature {seen[fid]}; ids must be unique")
            seen.setdefault(fid, index)
        out.records.append(record)
        out.geometries.append(None)
    return out
