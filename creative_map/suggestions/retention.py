"""Keeping senders' contacts no longer than needed: `forget_contacts` blanks them once a suggestion is decided."""

from __future__ import annotations

import datetime as dt
import logging

from creative_map.suggestions.store import Store
from creative_map.suggestions.tables import suggestions

__all__ = ["forget_contacts"]

logger = logging.getLogger(__name__)


def forget_contacts(store: Store, *, decided_before: dt.datetime) -> int:
    """Blank the contact of every suggestion approved or rejected before `decided_before`; return how many.

    Pending suggestions keep theirs: reviewers may still need to ask the sender.
    """
    if decided_before.tzinfo is None:
        raise ValueError(f"`decided_before` {decided_before!r} has no time zone; expected an aware datetime")
    with store.writing() as conn:
        done = conn.execute(
            suggestions.update()
            .where(
                suggestions.c.status != "pending",
                suggestions.c.decided_at < decided_before,
                suggestions.c.contact != "",
            )
            .values(contact="")
        )
    count = int(done.rowcount)
    logger.info("forgot the contacts of %d decided suggestion(s)", count)
    return count
