"""Every change applied to the data files is a revision: `history` lists a record's, `revert` undoes one.

`record_change` is the one way the package changes the data: with the files held by `datafile.locked`, it
writes the record, validates the whole files, replaces them atomically and stores the revision in the same
database transaction (when that transaction fails after the files were written, they are put back).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from creative_map.suggestions import datafile
from creative_map.suggestions._rows import fetch_revision, revision_query, to_revision
from creative_map.suggestions.canonical import RecordKind, fingerprint
from creative_map.suggestions.datafile import DataFiles
from creative_map.suggestions.errors import ConflictError
from creative_map.suggestions.model import Revision
from creative_map.suggestions.reviewers import require_reviewer
from creative_map.suggestions.store import Store
from creative_map.suggestions.tables import revisions

__all__ = ["get_revision", "history", "record_change", "revert"]

logger = logging.getLogger(__name__)


def record_change(
    store: Store,
    files: DataFiles,
    *,
    kind: RecordKind,
    record_id: str,
    after: dict[str, Any] | None,
    reviewer: str,
    now: dt.datetime,
    suggestion_id: int | None = None,
    reverts: int | None = None,
    in_transaction: Callable[[sa.Connection], None] | None = None,
) -> Revision:
    """Set one record in the (locked) files, write them, and keep the change as a revision.

    Parameters
    ----------
    store
        The store.
    files
        The data files, held by `datafile.locked`.
    kind, record_id
        The record changed.
    after
        What it becomes (None: removed).
    reviewer
        Who made the change (an existing reviewer's stored name).
    now
        When.
    suggestion_id
        The suggestion applied, if any.
    reverts
        The revision undone, if any.
    in_transaction
        Called with the connection inside the transaction, before the files are written (to mark the
        suggestion approved: if it raises, nothing is written).

    Raises
    ------
    DataError
        When the files would not be valid as a whole: nothing is written or stored.
    """
    before = files.get(kind, record_id)
    files.put(kind, after, record_id=record_id)
    after = files.get(kind, record_id)
    written = False
    try:
        with store.writing() as conn:
            if in_transaction is not None:
                in_transaction(conn)
            number = conn.execute(
                revisions.insert()
                .values(
                    record_kind=kind,
                    record_id=record_id,
                    suggestion_id=suggestion_id,
                    reverts_id=reverts,
                    reviewer=reviewer,
                    at=now,
                    before=before,
                    after=after,
                )
                .returning(revisions.c.id)
            ).scalar_one()
            written = bool(files.save())
            revision = fetch_revision(conn, number)
    except BaseException:
        if written:
            files.restore()
        raise
    logger.info("revision %d: %s %s by %s", revision.id, kind, record_id, reviewer)
    return revision


def history(store: Store, record_id: str, *, kind: RecordKind | None = None) -> list[Revision]:
    """Return the revisions of the record `record_id` (a space's or an event's; `kind` to say which), oldest first."""
    query = revision_query().where(revisions.c.record_id == record_id)
    if kind is not None:
        query = query.where(revisions.c.record_kind == kind)
    with store.reading() as conn:
        return [to_revision(row) for row in conn.execute(query.order_by(revisions.c.id))]


def get_revision(store: Store, number: int) -> Revision:
    """Return revision `number`.

    Raises
    ------
    NotFoundError
        When there is none.
    """
    with store.reading() as conn:
        return fetch_revision(conn, number)


def revert(
    store: Store,
    number: int,
    *,
    reviewer: str,
    data: str | os.PathLike[str] | None = None,
    now: dt.datetime | None = None,
) -> Revision:
    """Undo revision `number`: put its record back as it was before, as a new revision.

    Parameters
    ----------
    store
        The store.
    number
        The revision to undo.
    reviewer
        Who undoes it.
    data
        The spaces file (default: `creative_map.io.data_path`); the events file is the one beside it.
    now
        When (default: now).

    Returns
    -------
    Revision
        The new revision (its `reverts` is `number`).

    Raises
    ------
    NotFoundError
        When there is no such revision or reviewer.
    ConflictError
        When the record changed after that revision: undo the later revisions first.
    DataError
        When the files would not be valid without it (say, an event held at a space the revision added).
    """
    now = now or dt.datetime.now(dt.UTC)
    with datafile.locked(data) as files:
        with store.reading() as conn:
            reviewer = require_reviewer(conn, reviewer)
            target = fetch_revision(conn, number)
            later = conn.execute(
                sa.select(revisions.c.id)
                .where(
                    revisions.c.record_kind == target.record_kind,
                    revisions.c.record_id == target.record_id,
                    revisions.c.id > number,
                )
                .order_by(revisions.c.id)
            ).scalars()
            later_numbers = [int(n) for n in later]
        current = files.get(target.record_kind, target.record_id)
        if fingerprint(current, kind=target.record_kind) != fingerprint(target.after, kind=target.record_kind):
            since = f" (revisions {', '.join(map(str, later_numbers))})" if later_numbers else ""
            raise ConflictError(
                f"{target.record_kind} {target.record_id!r} changed after revision {number}{since}; "
                "revert the later revisions first, newest first"
            )
        return record_change(
            store,
            files,
            kind=target.record_kind,
            record_id=target.record_id,
            after=target.before,
            reviewer=reviewer,
            now=now,
            reverts=number,
        )
