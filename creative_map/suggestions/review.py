"""Reviewing suggestions: the queue (`list_suggestions`), one beside its record (`show`), `approve`, `reject`."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from creative_map import schema
from creative_map.errors import Problem
from creative_map.suggestions import datafile
from creative_map.suggestions._rows import fetch_suggestion, revision_query, to_revision, to_suggestion
from creative_map.suggestions.canonical import fingerprint
from creative_map.suggestions.datafile import DataFiles
from creative_map.suggestions.errors import (
    AlreadyDecidedError,
    ConflictError,
    InvalidSuggestionError,
    SuggestionError,
)
from creative_map.suggestions.model import KINDS, STATUSES, TARGETED, Kind, Revision, Status, Suggestion
from creative_map.suggestions.proposals import Proposal, hanoi_today, proposal_warnings, propose
from creative_map.suggestions.reviewers import require_reviewer
from creative_map.suggestions.revisions import record_change
from creative_map.suggestions.store import Store
from creative_map.suggestions.tables import revisions, suggestions

__all__ = ["FieldChange", "Review", "approve", "get_suggestion", "list_suggestions", "reject", "show"]


@dataclass(frozen=True)
class FieldChange:
    """One field of the record: as the files hold it now, as the suggestion makes it, as it was when sent."""

    field: str
    current: Any
    proposed: Any
    base: Any
    """The value when the suggestion was sent (differs from `current` only when the record changed since)."""

    @property
    def changed(self) -> bool:
        """Whether approving changes this field."""
        return bool(self.current != self.proposed)

    @property
    def changed_meanwhile(self) -> bool:
        """Whether the record's field changed after the suggestion was sent."""
        return bool(self.base != self.current)


@dataclass(frozen=True)
class Review:
    """A suggestion beside the record it changes, with the validation result: what a reviewer decides on."""

    suggestion: Suggestion
    current: dict[str, Any] | None
    """The record as the files hold it now (None: a new record, or one that no longer exists)."""
    proposed: dict[str, Any] | None
    """The record approving it would write (None when it cannot be built at all)."""
    fields: tuple[FieldChange, ...]
    """Every field (``geometry`` last), in the schema's order."""
    problems: tuple[Problem, ...]
    """The schema's errors and warnings about the proposed record, and the warnings about its position."""
    conflict: bool
    """Whether the record changed since the suggestion was sent (approving then needs ``rebase=True``)."""
    precision: str | None
    """The position precision the rule gives (None: the position does not change)."""
    precision_reason: str
    revision: Revision | None = None
    """The change made when it was approved (None: not approved)."""

    @property
    def errors(self) -> list[Problem]:
        """The problems that forbid approving."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems worth a look."""
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def changed(self) -> list[FieldChange]:
        """The fields approving would change."""
        return [f for f in self.fields if f.changed]

    @property
    def conflict_fields(self) -> list[str]:
        """The fields that changed since the suggestion was sent."""
        return [f.field for f in self.fields if f.changed_meanwhile]

    def as_dict(self) -> dict[str, Any]:
        """Return the review as JSON-ready values (for reviewers: the contact is included)."""
        return {
            "suggestion": self.suggestion.as_dict(),
            "conflict": self.conflict,
            "conflict_fields": self.conflict_fields,
            "precision": self.precision,
            "precision_reason": self.precision_reason,
            "fields": [
                {"field": f.field, "current": f.current, "proposed": f.proposed, "changed": f.changed}
                for f in self.fields
            ],
            "problems": [{"field": p.field, "message": p.message, "severity": p.severity} for p in self.problems],
        }


def _values(feature: dict[str, Any] | None) -> dict[str, Any]:
    if feature is None:
        return {}
    return {**(feature.get("properties") or {}), schema.GEOMETRY: feature.get("geometry")}


def _field_changes(
    base: dict[str, Any] | None, current: dict[str, Any] | None, proposed: dict[str, Any] | None
) -> tuple[FieldChange, ...]:
    b, c, p = _values(base), _values(current), _values(proposed)
    names = list(dict.fromkeys([*p, *c, *b]))
    names = [n for n in names if n != schema.GEOMETRY] + [schema.GEOMETRY]
    return tuple(FieldChange(n, c.get(n), p.get(n), b.get(n)) for n in names)


def _conflict(suggestion: Suggestion, current: dict[str, Any] | None) -> str | None:
    """Return why the suggestion's base no longer holds, or None.

    Only a suggestion about an existing space has a base. A new record whose id was taken meanwhile is no
    conflict but an error of the proposal ("choose another id"), which the reviewer fixes by editing the id.
    """
    if suggestion.kind not in TARGETED:
        return None
    if current is None:
        return f"space {suggestion.record_id!r} no longer exists"
    if fingerprint(current, kind="space") != suggestion.base_fingerprint:
        return f"space {suggestion.record_id!r} changed after the suggestion was sent"
    return None


def _propose(
    suggestion: Suggestion,
    files: DataFiles,
    *,
    changes: dict[str, Any] | None,
    precision: str | None,
    today: dt.date | None,
) -> Proposal:
    return propose(
        suggestion.kind,
        suggestion.changes if changes is None else changes,
        source=suggestion.source,
        files=files,
        space_id=suggestion.space_id,
        event_id=suggestion.event_id,
        today=today,
        precision=precision,
    )


def list_suggestions(
    store: Store,
    *,
    status: Status | None = "pending",
    kind: Kind | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[Suggestion]:
    """Return the suggestions, oldest first.

    Parameters
    ----------
    store
        The store.
    status
        Only those with this status (None: all).
    kind
        Only those of this kind (None: all).
    limit, offset
        A page of the list.
    """
    if status is not None and status not in STATUSES:
        raise ValueError(f"`status` {status!r} is not one of {', '.join(STATUSES)}")
    if kind is not None and kind not in KINDS:
        raise ValueError(f"`kind` {kind!r} is not one of {', '.join(KINDS)}")
    query = sa.select(suggestions).order_by(suggestions.c.created_at, suggestions.c.id)
    if status is not None:
        query = query.where(suggestions.c.status == status)
    if kind is not None:
        query = query.where(suggestions.c.kind == kind)
    query = query.limit(limit).offset(offset) if limit is not None else query.offset(offset)
    with store.reading() as conn:
        return [to_suggestion(row) for row in conn.execute(query)]


def get_suggestion(store: Store, key: int | str) -> Suggestion:
    """Return the suggestion numbered `key` or with reference `key` (reviewers' view: the contact included).

    Raises
    ------
    NotFoundError
        When there is none.
    """
    with store.reading() as conn:
        return fetch_suggestion(conn, key)


def show(
    store: Store,
    key: int | str,
    *,
    data: str | os.PathLike[str] | None = None,
    changes: dict[str, Any] | None = None,
    precision: str | None = None,
) -> Review:
    """Return a suggestion beside the record it changes, field by field, with the validation result.

    Parameters
    ----------
    store
        The store.
    key
        The suggestion's number or reference.
    data
        The spaces file (default: `creative_map.io.data_path`); the events file is the one beside it.
    changes, precision
        A reviewer's edit, to see it before approving it (as `approve` takes them).

    Returns
    -------
    Review
        The record now and as approving would write it, and the problems of the latter; for a suggestion
        approved already, `Review.revision` is the change that was made.
    """
    with store.reading() as conn:
        suggestion = fetch_suggestion(conn, key)
        row = conn.execute(revision_query().where(revisions.c.suggestion_id == suggestion.id)).first()
        revision = to_revision(row) if row is not None else None
    files = datafile.read(data)
    current = files.get(suggestion.record_kind, suggestion.record_id)
    proposal = _propose(suggestion, files, changes=changes, precision=precision, today=None)
    base = suggestion.base_record if suggestion.kind in TARGETED else None
    return Review(
        suggestion=suggestion,
        current=current,
        proposed=proposal.after,
        fields=_field_changes(base if base is not None else current, current, proposal.after),
        problems=(*proposal.problems, *proposal_warnings(files, proposal)),
        conflict=suggestion.status == "pending" and _conflict(suggestion, current) is not None,
        precision=proposal.precision,
        precision_reason=proposal.precision_reason,
        revision=revision,
    )


def approve(
    store: Store,
    key: int | str,
    *,
    reviewer: str,
    data: str | os.PathLike[str] | None = None,
    changes: dict[str, Any] | None = None,
    precision: str | None = None,
    rebase: bool = False,
    now: dt.datetime | None = None,
    today: dt.date | None = None,
) -> Revision:
    """Apply a suggestion to the data files and keep the change as a revision.

    The files are held under the lock and read inside it; the record is rebuilt from what they hold then,
    with `last_verified` set to today, the suggestion's public source added to `sources` and
    `position_precision` set by the rule (or `precision`); both files are validated as a whole before they
    are replaced atomically.

    Parameters
    ----------
    store
        The store.
    key
        The suggestion's number or reference.
    reviewer
        Who approves (an existing reviewer).
    data
        The spaces file (default: `creative_map.io.data_path`); the events file is the one beside it.
    changes
        The reviewer's edited version of the suggestion's changes (None: as sent).
    precision
        The `position_precision` to set, overriding the rule.
    rebase
        Apply it although the record changed after the suggestion was sent (the reviewer has looked at
        `show`'s `conflict_fields`); without it that is a `ConflictError`.
    now, today
        The time of approval and the `last_verified` date (defaults: now, today in Hanoi).

    Returns
    -------
    Revision
        The change made.

    Raises
    ------
    NotFoundError
        No such suggestion or reviewer.
    AlreadyDecidedError
        It was approved or rejected already.
    ConflictError
        The record changed since the suggestion was sent, and `rebase` is False.
    InvalidSuggestionError
        The record it makes breaks the schema.
    DataError
        The files as a whole would not be valid. Nothing is written in any of these cases.
    """
    now = now or dt.datetime.now(dt.UTC)
    today = today or hanoi_today()
    with datafile.locked(data) as files:
        with store.reading() as conn:
            reviewer = require_reviewer(conn, reviewer)
            suggestion = fetch_suggestion(conn, key)
        if suggestion.status != "pending":
            raise AlreadyDecidedError(
                f"suggestion {suggestion.reference} was {suggestion.status} already", status=suggestion.status
            )
        current = files.get(suggestion.record_kind, suggestion.record_id)
        why = _conflict(suggestion, current)
        if why is not None and not rebase:
            base = suggestion.base_record if suggestion.kind in TARGETED else None
            changed = [f.field for f in _field_changes(base, current, current) if f.changed_meanwhile]
            raise ConflictError(f"{why}: look at it again, then approve with re-basing or reject", fields=changed)
        proposal = _propose(suggestion, files, changes=changes, precision=precision, today=today)
        if proposal.errors:
            raise InvalidSuggestionError(proposal.errors)

        def mark_approved(conn: sa.Connection) -> None:
            ids = (
                {"space_id": proposal.record_id}
                if proposal.record_kind == "space"
                else {"event_id": proposal.record_id}
            )
            done = conn.execute(
                suggestions.update()
                .where(suggestions.c.id == suggestion.id, suggestions.c.status == "pending")
                .values(status="approved", decided_at=now, decided_by=reviewer, **ids)
            )
            if done.rowcount != 1:
                raise AlreadyDecidedError(f"suggestion {suggestion.reference} was decided by someone else just now")

        return record_change(
            store,
            files,
            kind=proposal.record_kind,
            record_id=proposal.record_id,
            after=proposal.after,
            reviewer=reviewer,
            now=now,
            suggestion_id=suggestion.id,
            in_transaction=mark_approved,
        )


def reject(store: Store, key: int | str, *, reviewer: str, reason: str, now: dt.datetime | None = None) -> Suggestion:
    """Reject a suggestion with a reason that its sender can read by reference number.

    Raises
    ------
    NotFoundError
        No such suggestion or reviewer.
    AlreadyDecidedError
        It was approved or rejected already.
    SuggestionError
        When the reason is empty or too long.
    """
    reason = reason.strip()
    if not reason:
        raise SuggestionError("give a reason: the sender reads it with their reference number")
    if len(reason) > store.limits.max_text_chars:
        raise SuggestionError(f"the reason is longer than {store.limits.max_text_chars:,} characters; shorten it")
    now = now or dt.datetime.now(dt.UTC)
    with store.writing() as conn:
        reviewer = require_reviewer(conn, reviewer)
        suggestion = fetch_suggestion(conn, key)
        done = conn.execute(
            suggestions.update()
            .where(suggestions.c.id == suggestion.id, suggestions.c.status == "pending")
            .values(status="rejected", reason=reason, decided_at=now, decided_by=reviewer)
        )
        if done.rowcount != 1:
            raise AlreadyDecidedError(
                f"suggestion {suggestion.reference} was {suggestion.status} already", status=suggestion.status
            )
        return fetch_suggestion(conn, suggestion.id)
