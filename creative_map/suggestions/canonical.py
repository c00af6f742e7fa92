"""The canonical text of the data files, so that a program writes them exactly as people keep them.

The shape (what ``data/README.md`` asks of hand edits): UTF-8, Unicode NFC, a FeatureCollection with one
Feature per line, each Feature as ``{"type", "geometry", "properties"}`` with every field of the schema in the
schema's order (optional fields present as ``""``), spaces sorted by `id`, events by `start` then `id`.
Numbers are written as Python writes floats (coordinates as given: a suggested position is rounded to
`COORDINATE_DECIMALS` before it gets here). Reading a canonical file and writing it back gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any, Final, Literal

from creative_map import schema

__all__ = [
    "COORDINATE_DECIMALS",
    "RecordKind",
    "canonical_feature",
    "dumps",
    "feature_line",
    "fingerprint",
    "round_coordinates",
    "sort_key",
]

RecordKind = Literal["space", "event"]
"""Which file a record lives in: ``space`` (spaces.geojson) or ``event`` (events.geojson)."""

COORDINATE_DECIMALS: Final = 7
"""Decimals kept in a suggested position (as the data's most precise ones): 1e-7 degree is about 1 cm."""

_HEADER: Final = '{"type": "FeatureCollection", "features": [\n'
_FOOTER: Final = "\n]}\n"
_COLUMNS: Final[dict[str, tuple[str, ...]]] = {"space": schema.SPACE_COLUMNS, "event": schema.EVENT_COLUMNS}
_LIST_FIELDS: Final = frozenset(
    f.name for f in (*schema.SPACE_FIELDS, *schema.EVENT_FIELDS) if f.kind.startswith("list")
)


def _nfc(value: Any) -> Any:
    """Return `value` with every text in it (keys included) in NFC."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    if isinstance(value, dict):
        return {_nfc(k): _nfc(v) for k, v in value.items()}
    return value


def round_coordinates(coords: Any, decimals: int = COORDINATE_DECIMALS) -> Any:
    """Return GeoJSON `coordinates` with every float rounded to `decimals` (for positions clicked on a map)."""
    if isinstance(coords, list):
        return [round_coordinates(c, decimals) for c in coords]
    if isinstance(coords, float):
        return round(coords, decimals)
    return coords


def _geometry(geometry: Any) -> Any:
    if not isinstance(geometry, dict):
        return geometry
    out = {"type": geometry.get("type"), "coordinates": geometry.get("coordinates")}
    out.update({k: v for k, v in geometry.items() if k not in out})
    return out


def canonical_feature(feature: Mapping[str, Any], *, kind: RecordKind) -> dict[str, Any]:
    """Return `feature` in the canonical form: keys in order, every schema field present, texts in NFC.

    Parameters
    ----------
    feature
        A GeoJSON Feature of a space or an event.
    kind
        ``space`` or ``event``: which schema orders its properties.

    Returns
    -------
    dict
        A new Feature (`type`, `geometry` with its `type` first, `properties`). Properties the schema does not
        know are kept after the known ones (the validator then names them); nothing is dropped silently.
    """
    props = feature.get("properties")
    props = props if isinstance(props, Mapping) else {}
    ordered: dict[str, Any] = {}
    for name in _COLUMNS[kind]:
        value = props.get(name)
        ordered[name] = value if value is not None else ([] if name in _LIST_FIELDS else "")
    ordered.update({k: v for k, v in props.items() if k not in ordered})
    geometry = None if kind == "event" and feature.get("geometry") is None else _geometry(feature.get("geometry"))
    return _nfc({"type": "Feature", "geometry": geometry, "properties": ordered})  # type: ignore[no-any-return]


def feature_line(feature: Mapping[str, Any]) -> str:
    """Return the one line a canonical Feature takes in the file."""
    return json.dumps(feature, ensure_ascii=False, allow_nan=False)


def sort_key(feature: Mapping[str, Any], *, kind: RecordKind) -> tuple[str, ...]:
    """Return the file order of a Feature: spaces by id, events by start then id."""
    props = feature.get("properties") or {}
    if kind == "event":
        return (str(props.get(schema.START, "")), str(props.get(schema.ID, "")))
    return (str(props.get(schema.ID, "")),)


def dumps(features: Iterable[Mapping[str, Any]], *, kind: RecordKind) -> str:
    """Return the whole canonical text of a spaces (`kind` ``space``) or events (``event``) file.

    Parameters
    ----------
    features
        The Features, in any order.
    kind
        ``space`` or ``event``.

    Returns
    -------
    str
        The file's text: sorted, one Feature per line, ending with a newline.
    """
    ordered = sorted((canonical_feature(f, kind=kind) for f in features), key=lambda f: sort_key(f, kind=kind))
    return _HEADER + ",\n".join(feature_line(f) for f in ordered) + _FOOTER


def fingerprint(feature: Mapping[str, Any] | None, *, kind: RecordKind) -> str | None:
    """Return a short, stable digest of a record as the file holds it (None for no record).

    Two records have the same fingerprint exactly when their canonical lines are the same: what a
    suggestion was based on can be compared with what the file holds now.
    """
    if feature is None:
        return None
    line = feature_line(canonical_feature(feature, kind=kind))
    return hashlib.sha256(line.encode("utf-8")).hexdigest()[:32]
