"""What a suggestion would make of the data: the record before and after, checked by the data's own schema.

`propose` applies a suggestion's changes to the record the files hold now and checks the result with
`creative_map.validation` (the same rules and messages as the data files). It is used when a suggestion is
sent (to refuse what could never be approved), when a reviewer looks at it and when it is approved (on the
record as it is then). `proposal_warnings` adds the warnings about positions (look-alike duplicates nearby,
a point outside its district) that `creative_map.spatial_checks` gives for the whole file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import shapely
from shapely.geometry import shape

from creative_map import io, schema
from creative_map.errors import Problem
from creative_map.patterns import is_http_url
from creative_map.spatial_checks import space_warnings
from creative_map.suggestions import precision as precision_rule
from creative_map.suggestions.canonical import RecordKind, canonical_feature, round_coordinates
from creative_map.suggestions.datafile import DataFiles
from creative_map.suggestions.model import SUGGESTION_FILE, TARGETED, Kind
from creative_map.text import slugify
from creative_map.validation import check_events, check_spaces

__all__ = ["SUGGESTIBLE_FIELDS", "Proposal", "hanoi_today", "new_record_id", "proposal_warnings", "propose"]

HANOI: Final = dt.timezone(dt.timedelta(hours=7), "ICT")
"""Hanoi's time (UTC+7 all year): `last_verified` is the date in Hanoi."""
SYSTEM_FIELDS: Final = (schema.LAST_VERIFIED,)
"""Fields set by the approval, never by a suggestion."""
SUGGESTIBLE_FIELDS: Final[dict[RecordKind, tuple[str, ...]]] = {
    "space": (*(c for c in schema.SPACE_COLUMNS if c not in (schema.ID, *SYSTEM_FIELDS)), schema.GEOMETRY),
    "event": tuple(schema.EVENT_COLUMNS),
}
"""What a suggestion may set: every field but the id and `last_verified` of a space (its id for a new one),
and the geometry; every field of a new event. The forms offer these."""


def hanoi_today() -> dt.date:
    """Return today's date in Hanoi."""
    return dt.datetime.now(HANOI).date()


@dataclass(frozen=True)
class Proposal:
    """The record a suggestion would make, and what is wrong with it."""

    record_kind: RecordKind
    record_id: str
    before: dict[str, Any] | None
    """The record as the files hold it now (None: a new record)."""
    after: dict[str, Any] | None
    """The record the suggestion makes, canonical (None when it could not be built at all)."""
    problems: tuple[Problem, ...]
    precision: str | None = None
    """The position precision the rule gave (None: the position did not change)."""
    precision_reason: str = ""

    @property
    def errors(self) -> list[Problem]:
        """The problems that forbid storing or approving it."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems worth the reviewer's look."""
        return [p for p in self.problems if p.severity == "warning"]


def _problem(message: str, fld: str | None, *, severity: str = "error") -> Problem:
    return Problem(SUGGESTION_FILE, message, field=fld, severity=severity)  # type: ignore[arg-type]


def _no_such(kind: RecordKind, record_id: object, known: Mapping[str, Any], fld: str) -> Problem:
    close = difflib.get_close_matches(str(record_id), list(known), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return _problem(f"{record_id!r} is the id of no {kind}{hint}", fld)


def new_record_id(changes: Mapping[str, Any], files: DataFiles, *, kind: RecordKind) -> str:
    """Return the id a new record takes: the one given, else a free slug of its name (events: with the year)."""
    given = changes.get(schema.ID)
    if isinstance(given, str) and given.strip():
        return given.strip()
    name = next((v for k in (schema.NAME_VI, schema.NAME_EN) if isinstance(v := changes.get(k), str) and v), "")
    base = slugify(name)[:80].strip("-")
    if not base:
        return ""
    start = changes.get(schema.START)
    if kind == "event" and isinstance(start, str) and start[:4].isdigit() and not base.endswith(start[:4]):
        base = f"{base}-{start[:4]}"
    taken = files.records(kind)
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _sources(value: object) -> list[str]:
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, list):
        return [v.strip() for v in value if isinstance(v, str) and v.strip()]
    return []


def _position(geometry: object) -> tuple[float, float] | None:
    """Return a point of a GeoJSON geometry (its representative point), or None when it is not usable."""
    try:
        geom = shape(geometry)
        point = geom.representative_point()
    except (ValueError, TypeError, AttributeError, KeyError, IndexError, shapely.errors.ShapelyError):
        return None
    return (point.x, point.y) if not point.is_empty else None


def propose(
    kind: Kind,
    changes: Mapping[str, Any],
    *,
    source: str,
    files: DataFiles,
    space_id: str | None = None,
    event_id: str | None = None,
    today: dt.date | None = None,
    precision: str | None = None,
) -> Proposal:
    """Apply a suggestion to the record the files hold now and check the result against the schema.

    Parameters
    ----------
    kind
        The kind of suggestion.
    changes
        The fields to set, as the data files hold them, ``geometry`` as GeoJSON. ``sources`` given here are
        added to the record's (never removed); ``position_precision`` is a claim the rule may only lower;
        ``last_verified`` is set by the approval and refused here; an existing record's ``id`` never changes.
    source
        The suggestion's source: a public ``http(s)`` address, or ``operator``.
    files
        The data files as they are now.
    space_id
        The space concerned (correction, closed, member) or the id given to a new space.
    event_id
        The id given to a new event.
    today
        The date to set as `last_verified` (default: today in Hanoi).
    precision
        The reviewer's choice of `position_precision`, which overrides the rule.

    Returns
    -------
    Proposal
        The record before and after, and every problem (naming the field) with the schema's own messages.
    """
    today = today or hanoi_today()
    record_kind: RecordKind = "event" if kind == "new_event" else "space"
    changes = dict(changes)
    problems: list[Problem] = []
    operator = source.strip() == "operator"
    public = source.strip() if is_http_url(source) else None

    geometry_given = schema.GEOMETRY in changes
    new_geometry = changes.pop(schema.GEOMETRY, None)
    if isinstance(new_geometry, dict) and "coordinates" in new_geometry:
        new_geometry = {**new_geometry, "coordinates": round_coordinates(new_geometry["coordinates"])}
    extra_sources = _sources(changes.pop(schema.SOURCES, None))
    claimed = changes.pop(schema.POSITION_PRECISION, None)
    for name in SYSTEM_FIELDS:
        if changes.pop(name, None) is not None:
            problems.append(_problem("is set when a reviewer approves the suggestion; leave it out", name))

    before: dict[str, Any] | None
    if kind in TARGETED:
        record_id = space_id or ""
        before = files.get("space", record_id)
        if before is None:
            return Proposal(
                "space", record_id, None, None, (*problems, _no_such("space", space_id, files.spaces, "space_id"))
            )
        given_id = changes.pop(schema.ID, record_id)
        if given_id != record_id:
            problems.append(_problem(f"{given_id!r}: the id of a space never changes; suggest other fields", "id"))
    else:
        explicit = changes.get(schema.ID)
        given = event_id if kind == "new_event" else space_id
        if isinstance(explicit, str) and explicit.strip():
            record_id = explicit.strip()
        else:
            record_id = given or new_record_id(changes, files, kind=record_kind)
        changes[schema.ID] = record_id
        before = None
        if record_id and record_id in files.records(record_kind):
            problems.append(_problem(f"{record_id!r} is already the id of a {record_kind}; choose another id", "id"))

    base_props: dict[str, Any] = dict(before["properties"]) if before else {}
    base_geometry = before.get("geometry") if before else None
    props = base_props | changes
    if kind == "closed":
        if base_props.get(schema.STATUS) == "closed":
            problems.append(_problem("the space is marked closed already", schema.STATUS))
        if changes.get(schema.STATUS, "closed") != "closed":
            problems.append(_problem(f"{changes[schema.STATUS]!r}: a closed suggestion sets 'closed'", schema.STATUS))
        props[schema.STATUS] = "closed"
    elif kind == "member":
        if base_props.get(schema.NETWORK_MEMBER_COL) == "yes":
            problems.append(_problem("the space is marked a network member already", schema.NETWORK_MEMBER_COL))
        props[schema.NETWORK_MEMBER_COL] = "yes"
    elif kind == "new_space":
        props.setdefault(schema.STATUS, "active")
        props.setdefault(schema.NETWORK_MEMBER_COL, "unknown")

    geometry = new_geometry if geometry_given else base_geometry
    if record_kind == "event":
        geometry = None
        if geometry_given:
            problems.append(_problem("events carry no geometry: they take their places from 'space_ids'", "geometry"))
    moved = record_kind == "space" and (
        before is None or canonical_feature({"geometry": geometry}, kind="space")["geometry"] != base_geometry
    )

    # sources: the suggestion's public source first when it gave the position or the address, else last
    existing = _sources(base_props.get(schema.SOURCES))
    website = props.get(schema.WEBSITE)
    added = [s for s in (public, *extra_sources) if s]
    if operator and before is None and isinstance(website, str) and is_http_url(website):
        added.append(website.strip())
    if before is None and not added:
        problems.append(
            _problem(f"a new {record_kind} needs a public source: a page about it, or its website", schema.SOURCES)
        )
    leading = moved or changes.get(schema.ADDRESS, base_props.get(schema.ADDRESS)) != base_props.get(schema.ADDRESS)
    ordered = [public, *existing, *added] if leading and public else [*existing, *added]
    props[schema.SOURCES] = [s for s in dict.fromkeys(ordered) if s]

    rule_precision, reason = None, ""
    if record_kind == "space":
        props[schema.LAST_VERIFIED] = today.isoformat()
        current = base_props.get(schema.POSITION_PRECISION)
        if precision is not None:
            props[schema.POSITION_PRECISION] = precision
            reason = "set by the reviewer"
        elif moved:
            supported, reason = precision_rule.supported_precision(
                source, from_operator=operator, position=_position(geometry)
            )
            rule_precision = precision_rule.clamp(supported, claimed)
            if rule_precision != supported:
                reason = f"{reason}; the sender claimed only {rule_precision!r}"
            props[schema.POSITION_PRECISION] = rule_precision
            if schema.POSITION_NOTE not in changes:
                origin = "the people who run the space" if operator else public
                props[schema.POSITION_NOTE] = f"Position from {origin} (suggestion reviewed {today.isoformat()})."
        elif claimed is not None:
            props[schema.POSITION_PRECISION] = precision_rule.clamp(str(current or "exact"), claimed)
        if isinstance(rule_precision, str) and "more than" in reason:
            problems.append(_problem(reason, schema.GEOMETRY, severity="warning"))
        if kind == "correction" and before is not None:
            unchanged = {k: v for k, v in props.items() if k != schema.LAST_VERIFIED} == {
                k: v for k, v in base_props.items() if k != schema.LAST_VERIFIED
            }
            if unchanged and not moved:
                problems.append(_problem("changes nothing: every field given already has that value", "changes"))

    feature = {"type": "Feature", "geometry": geometry, "properties": props}
    collection = {"type": "FeatureCollection", "features": [feature]}
    if record_kind == "event":
        checked = check_events(collection, file=SUGGESTION_FILE, space_ids=set(files.spaces))
    else:
        checked = check_spaces(collection, file=SUGGESTION_FILE)
    ours = {p.field for p in problems}  # a field already explained above is not explained twice
    problems += [dataclasses.replace(p, index=None) for p in checked.problems if p.field not in ours]
    if not checked.errors and checked.records:
        feature["properties"] = checked.records[0]
    after = canonical_feature(feature, kind=record_kind)
    return Proposal(record_kind, record_id, before, after, tuple(problems), rule_precision, reason)


def proposal_warnings(files: DataFiles, proposal: Proposal) -> list[Problem]:
    """Return the warnings about positions that concern the proposed record, with the rest of the spaces.

    Look-alike duplicates nearby, a point outside its district or its 2025 unit: what
    `creative_map.spatial_checks.space_warnings` finds in the whole file once the proposal is applied.
    """
    if proposal.record_kind != "space" or proposal.after is None or proposal.errors:
        return []
    features = {**files.spaces, proposal.record_id: proposal.after}
    checked = check_spaces({"type": "FeatureCollection", "features": list(features.values())}, file=SUGGESTION_FILE)
    if checked.errors:
        return []
    warnings = space_warnings(io.spaces_frame(checked), file=SUGGESTION_FILE)
    quoted = repr(proposal.record_id)
    return [
        dataclasses.replace(p, index=None)
        for p in warnings
        if p.feature_id == proposal.record_id or quoted in p.message
    ]
