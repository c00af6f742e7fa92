"""What the suggestion box holds: the kinds of suggestion, a draft as sent, a stored suggestion, a revision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal, get_args

from creative_map import schema
from creative_map.errors import Problem
from creative_map.patterns import is_http_url
from creative_map.suggestions.canonical import RecordKind
from creative_map.suggestions.errors import InvalidSuggestionError

__all__ = [
    "KINDS",
    "SOURCE_OPERATOR",
    "STATUSES",
    "SUGGESTION_FILE",
    "Draft",
    "Kind",
    "PublicStatus",
    "Revision",
    "Status",
    "Suggestion",
]

Kind = Literal["correction", "new_space", "new_event", "closed", "member"]
"""``correction`` (any field of a space, its position included), ``new_space``, ``new_event``, ``closed`` (the
space has closed), ``member`` (the space is a member of the Hanoi Creative Space Network)."""
KINDS: Final[tuple[Kind, ...]] = get_args(Kind)
TARGETED: Final[frozenset[str]] = frozenset({"correction", "closed", "member"})
"""The kinds that name an existing space in `space_id`."""

Status = Literal["pending", "approved", "rejected"]
STATUSES: Final[tuple[Status, ...]] = get_args(Status)

SOURCE_OPERATOR: Final = "operator"
"""The `source` of a suggestion from the people who run the space ("I run this space"): a contact is then
required, and only reviewers see it."""
SUGGESTION_FILE: Final = "suggestion"
"""What problems found in a suggestion name as their file."""

_DRAFT_KEYS: Final = ("kind", "space_id", "changes", "source", "note", "contact")


def _problem(message: str, fld: str | None = None) -> Problem:
    return Problem(SUGGESTION_FILE, message, field=fld)


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None


@dataclass(frozen=True)
class Draft:
    """A suggestion as the public sends it, before it is checked and stored."""

    kind: Kind
    changes: Mapping[str, Any]
    """The fields to set, as the data files hold them; ``geometry`` as a GeoJSON geometry."""
    source: str
    """A public ``http(s)`` address that supports the change, or `SOURCE_OPERATOR`."""
    space_id: str | None = None
    """The space concerned, for ``correction``, ``closed`` and ``member``."""
    note: str = ""
    contact: str = ""
    """How reviewers can reach the sender (required with `SOURCE_OPERATOR`); never shown to the public."""
    honeypot: str = field(default="", repr=False)
    """The form's hidden field: people leave it empty, bots fill it. A filled one is dropped silently."""

    @property
    def from_operator(self) -> bool:
        """Whether the sender says they run the space."""
        return self.source.strip() == SOURCE_OPERATOR

    def problems(self) -> list[Problem]:
        """Return what is wrong with the draft's shape (kind, space, source, contact), before any data is read."""
        out: list[Problem] = []
        if self.kind not in KINDS:
            out.append(
                _problem(f"{self.kind!r} is not a kind of suggestion; expected one of: {', '.join(KINDS)}", "kind")
            )
        if self.kind in TARGETED and not self.space_id:
            out.append(_problem(f"is missing; a {self.kind} suggestion names the space it is about", "space_id"))
        if self.kind in ("new_space", "new_event") and self.space_id:
            out.append(
                _problem(f"a {self.kind} suggestion names no existing space; put the new id in changes", "space_id")
            )
        if not isinstance(self.changes, Mapping):
            out.append(_problem(f"is a {type(self.changes).__name__}; expected an object of fields", "changes"))
        source = self.source.strip()
        if not source:
            out.append(
                _problem("is missing; give a public http(s) address, or 'operator' if you run the space", "source")
            )
        elif source != SOURCE_OPERATOR and not is_http_url(source):
            out.append(
                _problem(f"{source!r} is not an http(s) address; expected a public page, or 'operator'", "source")
            )
        if self.from_operator and not self.contact.strip():
            out.append(_problem("is missing; reviewers need a way to reach the people who run the space", "contact"))
        return out

    @classmethod
    def from_json(cls, data: object) -> Draft:
        """Return the draft a JSON object describes (what ``creative-map suggest --file`` reads).

        The object has `kind`, `space_id` (for a correction, closed or member), `changes`, `source`, and
        optionally `note` and `contact`.

        Raises
        ------
        InvalidSuggestionError
            Naming each key that is missing, unknown or of the wrong type.
        """
        if not isinstance(data, dict):
            raise InvalidSuggestionError([_problem(f"is a JSON {type(data).__name__}; expected an object")])
        problems = [
            _problem(f"unknown key; expected only: {', '.join(_DRAFT_KEYS)}", str(k))
            for k in data
            if k not in _DRAFT_KEYS
        ]
        for key in ("kind", "source"):
            if not isinstance(data.get(key), str):
                problems.append(_problem(f"is {'missing' if key not in data else 'not a text'}", key))
        for key in ("space_id", "note", "contact"):
            if data.get(key) is not None and not isinstance(data.get(key), str):
                problems.append(_problem("is not a text", key))
        changes = data.get("changes", {})
        if not isinstance(changes, dict):
            problems.append(_problem(f"is a {type(changes).__name__}; expected an object of fields", "changes"))
        if problems:
            raise InvalidSuggestionError(problems)
        return cls(
            kind=data["kind"],
            changes=changes,
            source=data["source"],
            space_id=data.get("space_id") or None,
            note=data.get("note") or "",
            contact=data.get("contact") or "",
        )


@dataclass(frozen=True)
class PublicStatus:
    """What anyone holding a reference number may see: never the contact, the note or the sender."""

    reference: str
    kind: Kind
    status: Status
    reason: str
    """Why it was rejected (empty otherwise)."""
    created_at: dt.datetime
    decided_at: dt.datetime | None

    def as_dict(self) -> dict[str, Any]:
        """Return the status as JSON-ready values."""
        return {
            "reference": self.reference,
            "kind": self.kind,
            "status": self.status,
            "reason": self.reason,
            "created_at": _iso(self.created_at),
            "decided_at": _iso(self.decided_at),
        }


@dataclass(frozen=True)
class Suggestion:
    """A stored suggestion as reviewers see it (its `contact` included: never show it to the public)."""

    id: int
    reference: str
    kind: Kind
    space_id: str | None
    event_id: str | None
    changes: dict[str, Any]
    source: str
    note: str
    contact: str
    status: Status
    reason: str
    created_at: dt.datetime
    decided_at: dt.datetime | None
    decided_by: str | None
    base_fingerprint: str | None
    """The fingerprint of the record when the suggestion was made (None: a new record)."""
    base_record: dict[str, Any] | None

    @property
    def record_kind(self) -> RecordKind:
        """Which file the suggestion changes."""
        return "event" if self.kind == "new_event" else "space"

    @property
    def record_id(self) -> str:
        """The id of the record it changes or adds."""
        return str(self.event_id if self.kind == "new_event" else self.space_id)

    @property
    def from_operator(self) -> bool:
        """Whether the sender says they run the space."""
        return self.source == SOURCE_OPERATOR

    def public(self) -> PublicStatus:
        """Return what the sender (or anyone with the reference) may see."""
        reason = self.reason if self.status == "rejected" else ""
        return PublicStatus(self.reference, self.kind, self.status, reason, self.created_at, self.decided_at)

    def as_dict(self) -> dict[str, Any]:
        """Return the suggestion as JSON-ready values, for reviewers (the contact is included)."""
        return {
            "id": self.id,
            "reference": self.reference,
            "kind": self.kind,
            "space_id": self.space_id,
            "event_id": self.event_id,
            "changes": self.changes,
            "source": self.source,
            "note": self.note,
            "contact": self.contact,
            "status": self.status,
            "reason": self.reason,
            "created_at": _iso(self.created_at),
            "decided_at": _iso(self.decided_at),
            "decided_by": self.decided_by,
        }


@dataclass(frozen=True)
class Revision:
    """One change applied to the data: who, when, why (a suggestion, or undoing a revision), before and after."""

    id: int
    record_kind: RecordKind
    record_id: str
    suggestion_id: int | None
    suggestion_reference: str | None
    reverts: int | None
    """The revision this one undid (None: it applied a suggestion)."""
    reviewer: str
    at: dt.datetime
    before: dict[str, Any] | None
    """The record before (None: it did not exist)."""
    after: dict[str, Any] | None
    """The record after (None: it was removed, which only undoing the revision that added it does)."""

    @property
    def changed_fields(self) -> list[str]:
        """The fields that differ between before and after (``geometry`` included), in the schema's order."""
        before = _fields(self.before)
        after = _fields(self.after)
        names = list(dict.fromkeys([*after, *before]))
        return [n for n in names if before.get(n) != after.get(n)]

    def as_dict(self) -> dict[str, Any]:
        """Return the revision as JSON-ready values."""
        return {
            "revision": self.id,
            "record_kind": self.record_kind,
            "record_id": self.record_id,
            "suggestion": self.suggestion_reference,
            "reverts": self.reverts,
            "reviewer": self.reviewer,
            "at": _iso(self.at),
            "changed_fields": self.changed_fields,
            "before": self.before,
            "after": self.after,
        }


def _fields(feature: Mapping[str, Any] | None) -> dict[str, Any]:
    """Return a Feature's properties and geometry as one mapping (empty for None)."""
    if feature is None:
        return {}
    out = dict(feature.get("properties") or {})
    out[schema.GEOMETRY] = feature.get("geometry")
    return out
