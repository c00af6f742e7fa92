"""The shapes of short values: ids, dates, plan items, web addresses and opening hours.

One definition each, shared by the validator, the address parser and the command line.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

__all__ = ["DATE", "PLAN_ITEM", "SLUG", "is_http_url", "is_iso_date", "is_opening_hours", "is_slug"]

SLUG: Final = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
"""An id: lowercase ASCII letters and digits in words joined by single hyphens."""
DATE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")
"""A date as ``YYYY-MM-DD`` (the shape only: see `is_iso_date`)."""
PLAN_ITEM: Final = re.compile(r"^\d+(?:\.\d+)*(?:\.[a-z])?$")
"""An item number of plan 161/KH-UBND, such as ``3.1.2.a``."""
HTTP_URL: Final = re.compile(r"^https?://[^\s/?#:]+\.[^\s/?#]+(?:[/?#]\S*)?$", re.IGNORECASE)

_WD = r"(?:Mo|Tu|We|Th|Fr|Sa|Su)"
_WD_SEL = rf"(?:{_WD}(?:-{_WD})?|PH|SH)(?:,(?:{_WD}(?:-{_WD})?|PH|SH))*"
_MON = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
_MON_SEL = rf"{_MON}(?: ?\d{{1,2}})?(?:-{_MON}?(?: ?\d{{1,2}})?)?(?:,{_MON}(?:-{_MON})?)*"
_TIME = r"(?:[01]\d|2[0-4]):[0-5]\d"
_SPAN = rf"{_TIME}(?:-{_TIME}|\+)"
_TIMES = rf"{_SPAN}(?:,{_SPAN})*"
_STATE = r"(?:off|closed|open|unknown)"
_COMMENT = r'"[^"]*"'
_RULE = (
    rf"(?:24/7|(?:{_MON_SEL}:? )?(?:{_WD_SEL} )?(?:{_TIMES}|{_STATE})(?: {_STATE})?(?: {_COMMENT})?"
    rf"|(?:{_MON_SEL}:? )?{_WD_SEL}(?: {_STATE})?(?: {_COMMENT})?|{_COMMENT})"
)
OPENING_HOURS: Final = re.compile(rf"^{_RULE}(?: ?(?:;|\|\|) ?{_RULE})*$")


def is_slug(text: str) -> bool:
    """Return whether `text` is an id (see `SLUG`)."""
    return bool(SLUG.match(text))


def is_iso_date(text: str) -> bool:
    """Return whether `text` is a real date written ``YYYY-MM-DD`` (``2025-1-5`` is not)."""
    if not DATE.match(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def is_opening_hours(text: str) -> bool:
    """Return whether `text` is in the OpenStreetMap opening_hours syntax (the common forms of it)."""
    return bool(OPENING_HOURS.match(text.strip()))


def is_http_url(text: str) -> bool:
    """Return whether `text` is an absolute ``http://`` or ``https://`` address with a host."""
    return bool(HTTP_URL.match(text.strip()))
