"""Sending a suggestion (`submit`) and following it by its reference number (`public_status`)."""

from __future__ import annotations

import datetime as dt
import logging
import os

import sqlalchemy as sa

from creative_map.suggestions import datafile
from creative_map.suggestions.canonical import fingerprint
from creative_map.suggestions.errors import InvalidSuggestionError
from creative_map.suggestions.limits import check_rate, check_size
from creative_map.suggestions.model import KINDS, Draft, PublicStatus
from creative_map.suggestions.proposals import propose
from creative_map.suggestions.references import new_reference, normalise_reference
from creative_map.suggestions.senders import sender_key
from creative_map.suggestions.store import Store
from creative_map.suggestions.tables import suggestions
from creative_map.text import nfc

__all__ = ["public_status", "submit"]

logger = logging.getLogger(__name__)


def submit(
    store: Store,
    draft: Draft,
    *,
    sender: str,
    data: str | os.PathLike[str] | None = None,
    now: dt.datetime | None = None,
) -> PublicStatus:
    """Check a suggestion and store it for review; return its reference number and status.

    In order: a filled honeypot is dropped (nothing stored, and the answer looks like any other); the size
    limits; the shape of the draft; the hourly limits (one indexed count, before any data is read); the
    record the suggestion would make, checked against the schema like the data files themselves.

    Parameters
    ----------
    store
        The store (`open_store`).
    draft
        What was sent.
    sender
        Who sent it, for the hourly limit: the client's IP address in the app, a name on the command line.
        Only a salted hash of it is kept.
    data
        The spaces file (default: `creative_map.io.data_path`); the events file is the one beside it.
    now
        The time of sending (default: now).

    Returns
    -------
    PublicStatus
        The reference number (to give the sender), status ``pending`` and the time.

    Raises
    ------
    LimitExceededError
        When too large, too many from this sender or in total in the last hour, or the queue is full.
    InvalidSuggestionError
        Listing every problem, with the schema's messages.
    DataError
        When the data files cannot be read.
    """
    now = now or dt.datetime.now(dt.UTC)
    if draft.honeypot.strip():
        logger.info("dropped a suggestion whose honeypot field was filled (a bot)")
        kind = draft.kind if draft.kind in KINDS else "correction"
        return PublicStatus(new_reference(), kind, "pending", "", now, None)
    check_size(draft, store.limits)
    problems = draft.problems()
    if problems:
        raise InvalidSuggestionError(problems)
    key = sender_key(sender, salt=store.sender_salt)
    with store.reading() as conn:
        check_rate(conn, sender_key=key, now=now, limits=store.limits)

    files = datafile.read(data)
    space_id = draft.space_id.strip() if draft.space_id else None
    proposal = propose(draft.kind, draft.changes, source=draft.source, files=files, space_id=space_id)
    if proposal.errors:
        raise InvalidSuggestionError(proposal.errors)

    with store.writing(lock="submit") as conn:
        check_rate(conn, sender_key=key, now=now, limits=store.limits)
        reference = new_reference()
        while conn.execute(sa.select(suggestions.c.id).where(suggestions.c.reference == reference)).first():
            reference = new_reference()  # 60 random bits: practically never
        conn.execute(
            suggestions.insert().values(
                reference=reference,
                kind=draft.kind,
                space_id=proposal.record_id if proposal.record_kind == "space" else None,
                event_id=proposal.record_id if proposal.record_kind == "event" else None,
                changes=dict(draft.changes),
                source=nfc(draft.source.strip()),
                note=nfc(draft.note.strip()),
                contact=nfc(draft.contact.strip()),
                sender_key=key,
                status="pending",
                reason="",
                base_fingerprint=fingerprint(proposal.before, kind=proposal.record_kind),
                base_record=proposal.before,
                created_at=now,
            )
        )
    logger.info("stored suggestion %s (%s of %s)", reference, draft.kind, proposal.record_id)
    return PublicStatus(reference, draft.kind, "pending", "", now, None)


def public_status(store: Store, reference: str) -> PublicStatus | None:
    """Return what the public may see of the suggestion with `reference`, or None when there is none.

    Only the status, the reason of a rejection and the dates: never the contact, the note or the sender.
    """
    canonical = normalise_reference(reference)
    if canonical is None:
        return None
    columns = (
        suggestions.c.reference,
        suggestions.c.kind,
        suggestions.c.status,
        suggestions.c.reason,
        suggestions.c.created_at,
        suggestions.c.decided_at,
    )
    with store.reading() as conn:
        row = conn.execute(sa.select(*columns).where(suggestions.c.reference == canonical)).first()
    if row is None:
        return None
    reason = row.reason if row.status == "rejected" else ""
    return PublicStatus(row.reference, row.kind, row.status, reason, row.created_at, row.decided_at)
