"""Rows of the store as the package's dataclasses, and the look-ups shared by its modules."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from creative_map.suggestions.errors import NotFoundError
from creative_map.suggestions.model import Revision, Suggestion
from creative_map.suggestions.references import normalise_reference
from creative_map.suggestions.tables import revisions, suggestions

__all__ = ["fetch_revision", "fetch_suggestion", "revision_query", "to_revision", "to_suggestion"]


def to_suggestion(row: sa.Row[Any]) -> Suggestion:
    m = row._mapping
    return Suggestion(
        id=m["id"],
        reference=m["reference"],
        kind=m["kind"],
        space_id=m["space_id"],
        event_id=m["event_id"],
        changes=dict(m["changes"] or {}),
        source=m["source"],
        note=m["note"],
        contact=m["contact"],
        status=m["status"],
        reason=m["reason"],
        created_at=m["created_at"],
        decided_at=m["decided_at"],
        decided_by=m["decided_by"],
        base_fingerprint=m["base_fingerprint"],
        base_record=m["base_record"],
    )


def fetch_suggestion(conn: sa.Connection, key: int | str) -> Suggestion:
    """Return the suggestion with number `key` (reviewers' numbering) or reference `key`.

    Raises
    ------
    NotFoundError
        When there is none.
    """
    query = sa.select(suggestions)
    if isinstance(key, int) or (isinstance(key, str) and key.strip().isdigit()):
        query = query.where(suggestions.c.id == int(key))
    else:
        reference = normalise_reference(key)
        if reference is None:
            raise NotFoundError(f"{key!r} is neither a suggestion number nor a reference such as CM-7KQ4-M2XD-9PTA")
        query = query.where(suggestions.c.reference == reference)
    row = conn.execute(query).first()
    if row is None:
        raise NotFoundError(f"no suggestion {key!r}", key=str(key))
    return to_suggestion(row)


def revision_query() -> sa.Select[Any]:
    """Select revisions with the reference of the suggestion each one applied."""
    return sa.select(revisions, suggestions.c.reference.label("suggestion_reference")).select_from(
        revisions.outerjoin(suggestions, revisions.c.suggestion_id == suggestions.c.id)
    )


def to_revision(row: sa.Row[Any]) -> Revision:
    m = row._mapping
    return Revision(
        id=m["id"],
        record_kind=m["record_kind"],
        record_id=m["record_id"],
        suggestion_id=m["suggestion_id"],
        suggestion_reference=m["suggestion_reference"],
        reverts=m["reverts_id"],
        reviewer=m["reviewer"],
        at=m["at"],
        before=m["before"],
        after=m["after"],
    )


def fetch_revision(conn: sa.Connection, number: int) -> Revision:
    """Return revision `number`.

    Raises
    ------
    NotFoundError
        When there is none.
    """
    row = conn.execute(revision_query().where(revisions.c.id == number)).first()
    if row is None:
        raise NotFoundError(f"no revision {number}", revision=number)
    return to_revision(row)
