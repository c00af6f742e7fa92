"""A suggestion from the Suggest form's values: which fields changed, the position, where each problem goes.

No Streamlit here: the page hands in plain values (what its widgets hold), and the tests call these directly.
The record is then checked by the library (`creative_map.suggestions.submit`), with the data's own messages.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from creative_map import schema
from creative_map.errors import Problem
from creative_map.suggestions import Kind
from creative_map.suggestions.canonical import COORDINATE_DECIMALS

LatLon = tuple[float, float]

SPACE_FORM: Final = (
    schema.NAME_VI,
    schema.NAME_EN,
    schema.CATEGORY,
    schema.ADDRESS,
    schema.DISTRICT,
    schema.WARD_2025,
    schema.STATUS,
    schema.DESCRIPTION_VI,
    schema.DESCRIPTION_EN,
    schema.WEBSITE,
    schema.OPENING_HOURS,
    schema.PLAN_ITEM,
    schema.LEAD_AGENCY,
    schema.NETWORK_MEMBER_COL,
    schema.POSITION_NOTE,
)
"""The fields of a space the form offers, in the schema's order (the id and `last_verified` are never
suggested; `sources` gets the suggestion's own source and the extra pages given; the position is picked on the
map; `position_precision` follows from the source, see `PRECISION_CLAIM`)."""
EVENT_FORM: Final = (
    schema.NAME_VI,
    schema.NAME_EN,
    schema.START,
    schema.END,
    schema.SPACE_IDS,
    schema.PLAN_ITEM,
    schema.DESCRIPTION_VI,
    schema.DESCRIPTION_EN,
    schema.WEBSITE,
)
"""The fields of a new event the form offers (its id is made from its name and year)."""
FORM_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    "correction": SPACE_FORM,
    "new_space": SPACE_FORM,
    "new_event": EVENT_FORM,
    "closed": (),
    "member": (),
}
POSITIONED: Final = frozenset({"correction", "new_space"})
"""The kinds whose form has a map to place the space."""
PRECISION_CLAIM: Final = "position_precision"
"""What the sender may say of the position they give: ``street`` or ``ward`` (less than the source supports);
nothing means "as precise as my source"."""
EXTRA_SOURCES: Final = "extra_sources"
"""Other public pages about the space (one per line): added to its `sources`."""
MOVE_TOLERANCE_M: Final = 0.5
"""A position closer than this to the current one is no move (a click on the marker itself)."""
_NUMBER = r"[-+]?\d{1,3}(?:[.,]\d+)?"
_POSITION = re.compile(rf"^\s*\(?\s*({_NUMBER})\s*[,;\s]\s*({_NUMBER})\s*\)?\s*$")


def parse_position(text: str) -> LatLon | None:
    """Return (lat, lon) from ``"21.0285, 105.8542"`` (as map sites copy them), None for an empty text.

    Raises
    ------
    ValueError
        When the text is not two numbers, or they are no latitude and longitude.
    """
    if not text.strip():
        return None
    match = _POSITION.match(text.replace("°", " "))
    if not match:
        raise ValueError(f"{text.strip()[:60]!r} is not two numbers: latitude, longitude")
    lat, lon = (float(v.replace(",", ".")) for v in match.groups())
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"{text.strip()[:60]!r}: expected a latitude (-90 to 90), then a longitude")
    return round(lat, COORDINATE_DECIMALS), round(lon, COORDINATE_DECIMALS)


def format_position(position: LatLon) -> str:
    """Return ``"21.028500, 105.854200"`` (what `parse_position` reads back)."""
    return f"{position[0]:.6f}, {position[1]:.6f}"


def point(position: LatLon) -> dict[str, Any]:
    """Return a GeoJSON Point at (lat, lon)."""
    return {
        "type": "Point",
        "coordinates": [round(position[1], COORDINATE_DECIMALS), round(position[0], COORDINATE_DECIMALS)],
    }


def distance_m(a: LatLon, b: LatLon) -> float:
    """Return the great-circle distance in metres between two (lat, lon)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


def _value(value: Any) -> Any:
    """What a widget holds, as the data files hold it: stripped text, ISO dates, lists of texts."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return value


def _same(old: Any, new: Any) -> bool:
    empty: tuple[Any, ...] = (None, "", [])
    if old in empty and new in empty:
        return True
    return bool(old == new)


def sources_from(text: str) -> list[str]:
    """The pages given one per line (or separated by spaces), in order, without repeats."""
    return list(dict.fromkeys(part for part in re.split(r"\s+", text.strip()) if part))


def changes_for(
    kind: Kind,
    values: Mapping[str, Any],
    *,
    current: Mapping[str, Any] | None = None,
    current_position: LatLon | None = None,
    position: LatLon | None = None,
    extra_sources: str = "",
    precision_claim: str = "",
) -> dict[str, Any]:
    """Return the `changes` of a suggestion from the form's values.

    Parameters
    ----------
    kind
        The kind of suggestion.
    values
        The form's field values by field name (texts, dates, lists).
    current
        The record's properties now (a correction): only the fields that differ are changes.
    current_position, position
        (lat, lon) of the space now and as picked on the map (None: not picked). A position that moved less
        than `MOVE_TOLERANCE_M` is no change.
    extra_sources
        Other public pages, one per line: added to the record's sources.
    precision_claim
        ``street`` or ``ward`` when the sender says the position is only that precise ("" otherwise).
    """
    fields = FORM_FIELDS.get(kind, ())
    changes: dict[str, Any] = {}
    for name in fields:
        new = _value(values.get(name))
        if current is not None and _same(current.get(name), new):
            continue
        changes[name] = new
    moved = position is not None and (
        current_position is None or distance_m(current_position, position) >= MOVE_TOLERANCE_M
    )
    if kind in POSITIONED and position is not None and moved:
        changes[schema.GEOMETRY] = point(position)
        if precision_claim in schema.PRECISIONS:
            changes[schema.POSITION_PRECISION] = precision_claim
    extra = sources_from(extra_sources)
    if extra:
        changes[schema.SOURCES] = extra
    return changes


def problems_by_field(problems: Iterable[Problem], shown: Sequence[str]) -> tuple[dict[str, list[str]], list[Problem]]:
    """Split problems into the messages of each field the form shows, and the others (shown at the top).

    A problem of ``changes.name_vi`` (a too long text) belongs to ``name_vi``.
    """
    by_field: dict[str, list[str]] = {}
    others: list[Problem] = []
    for problem in problems:
        name = (problem.field or "").removeprefix("changes.")
        if name in shown:
            by_field.setdefault(name, []).append(problem.message)
        else:
            others.append(problem)
    return by_field, others
