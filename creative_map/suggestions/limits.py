"""The abuse limits applied to each suggestion: its size, the texts in it, and how many arrive per hour.

`check_size` runs first and reads nothing; `check_rate` counts what the store holds for the last hour (one
indexed query each), before the data files are read, so a burst from one sender is refused cheaply.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Iterator
from typing import Any, Final

import sqlalchemy as sa

from creative_map.errors import Problem
from creative_map.suggestions.errors import InvalidSuggestionError, LimitExceededError
from creative_map.suggestions.model import SUGGESTION_FILE, Draft
from creative_map.suggestions.settings import Limits
from creative_map.suggestions.tables import suggestions

__all__ = ["HOUR", "check_rate", "check_size"]

HOUR: Final = dt.timedelta(hours=1)
_ALLOWED_CONTROLS: Final = frozenset("\n\t\r")


def _texts(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Yield (where, text) for every text inside a JSON value (the coordinates of a geometry hold none)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield path, str(k)
            yield from _texts(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, list):
        for v in value:
            yield from _texts(v, path)


def check_size(draft: Draft, limits: Limits) -> None:
    """Refuse a draft larger than the limits, or holding control characters in its texts.

    Raises
    ------
    LimitExceededError
        When the whole draft or one of its texts is too long.
    InvalidSuggestionError
        When a text holds control characters (other than line breaks and tabs).
    """
    whole = {
        "kind": draft.kind,
        "space_id": draft.space_id,
        "changes": draft.changes,
        "source": draft.source,
        "note": draft.note,
        "contact": draft.contact,
    }
    try:
        size = len(json.dumps(whole, ensure_ascii=False, allow_nan=False).encode("utf-8"))
    except (TypeError, ValueError) as exc:
        raise InvalidSuggestionError([Problem(SUGGESTION_FILE, f"is not plain JSON: {exc}")]) from None
    if size > limits.max_suggestion_bytes:
        raise LimitExceededError(
            f"the suggestion is {size:,} bytes, more than the {limits.max_suggestion_bytes:,} accepted; shorten it",
            limit="max_suggestion_bytes",
            size=size,
            maximum=limits.max_suggestion_bytes,
        )
    problems = []
    for where, text in _texts(whole, ""):
        if len(text) > limits.max_text_chars:
            raise LimitExceededError(
                f"{where}: {len(text):,} characters, more than the {limits.max_text_chars:,} accepted; shorten it",
                limit="max_text_chars",
                field=where,
                size=len(text),
                maximum=limits.max_text_chars,
            )
        if any(unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS for ch in text):
            problems.append(Problem(SUGGESTION_FILE, "holds control characters; expected plain text", field=where))
    if problems:
        raise InvalidSuggestionError(problems)


def check_rate(conn: sa.Connection, *, sender_key: str, now: dt.datetime, limits: Limits) -> None:
    """Refuse a suggestion when the sender, or everyone together, reached the hourly limit, or the queue is full.

    Raises
    ------
    LimitExceededError
        Saying which limit was reached and when to try again.
    """
    since = now - HOUR
    from_sender = conn.execute(
        sa.select(sa.func.count())
        .select_from(suggestions)
        .where(suggestions.c.sender_key == sender_key, suggestions.c.created_at > since)
    ).scalar_one()
    if from_sender >= limits.per_sender_per_hour:
        raise LimitExceededError(
            f"you have sent {limits.per_sender_per_hour} suggestions in the last hour, the most accepted; "
            "thank you: please send more later",
            limit="per_sender_per_hour",
            maximum=limits.per_sender_per_hour,
        )
    in_total = conn.execute(
        sa.select(sa.func.count()).select_from(suggestions).where(suggestions.c.created_at > since)
    ).scalar_one()
    if in_total >= limits.per_hour:
        raise LimitExceededError(
            "the map has received as many suggestions in the last hour as it accepts; please try again later",
            limit="per_hour",
            maximum=limits.per_hour,
        )
    pending = conn.execute(
        sa.select(sa.func.count()).select_from(suggestions).where(suggestions.c.status == "pending")
    ).scalar_one()
    if pending >= limits.max_pending:
        raise LimitExceededError(
            f"{pending:,} suggestions are waiting for review, the most accepted; please try again in a few days",
            limit="max_pending",
            maximum=limits.max_pending,
        )
