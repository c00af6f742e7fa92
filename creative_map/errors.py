"""The one error type for bad data, the problems it carries, and how a message quotes a value."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Final, Literal

__all__ = ["QUOTE_CHARS", "DataError", "Problem", "quote"]

QUOTE_CHARS: Final = 80
"""A message quotes at most this many characters of a value from the data (then says how long it is)."""


def _numeral(value: int | float) -> str:
    """Return a number as a message shows it (a huge integer by its size: its digits may not even print)."""
    if isinstance(value, float) or abs(value) < 10**40:
        return repr(value)
    return f"an integer of about {math.floor(value.bit_length() * math.log10(2)) + 1:,} digits"


def _short(value: object, budget: int, depth: int = 0) -> str:
    """Return a repr of `value` of about `budget` characters at most, built without a full repr of it."""
    budget = max(budget, 8)
    if isinstance(value, str):
        if len(value) <= budget:
            return repr(value)
        return f"{value[:budget]!r}… ({len(value):,} characters)"
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int | float):
        return _numeral(value)
    if isinstance(value, list | tuple | dict):
        if depth >= 3:
            return "[…]" if isinstance(value, list | tuple) else "{…}"
        items = list(itertools.islice(value.items() if isinstance(value, dict) else value, budget // 2 + 1))
        parts: list[str] = []
        used = 0
        for item in items:
            if isinstance(item, tuple) and isinstance(value, dict):
                text = f"{_short(item[0], budget - used, depth + 1)}: {_short(item[1], budget - used, depth + 1)}"
            else:
                text = _short(item, budget - used, depth + 1)
            if used + len(text) > budget and parts:
                parts.append("…")
                break
            parts.append(text)
            used += len(text) + 2
        open_, close = ("{", "}") if isinstance(value, dict) else ("[", "]")
        return f"{open_}{', '.join(parts)}{close}"
    return f"<{type(value).__name__}>"


def quote(value: object, limit: int = QUOTE_CHARS) -> str:
    """Return `value` as a message quotes it: its repr (control characters escaped), cut to `limit` characters.

    A text longer than `limit` is cut there and followed by its length (``'abc…'… (5,000,000 characters)``);
    a list or object shows its first items; an integer too long to print shows its number of digits. Built
    from at most about `limit` characters of the value, so quoting a 5 MB value costs no more than a short one.
    """
    text = _short(value, limit)
    if len(text) > limit + 40:  # a nested structure of long items: cut what is shown
        text = text[:limit] + "…"
    return text


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a look) in a data file: where it is and what was expected."""

    file: str
    message: str
    index: int | None = None
    """Position of the feature in the file's ``features`` list, from 0."""
    feature_id: str | None = None
    field: str | None = None
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = [self.file]
        if self.index is not None:
            where.append(f"feature {self.index}" + (f" (id {quote(self.feature_id)})" if self.feature_id else ""))
        if self.field is not None:
            where.append(f"field {quote(self.field)}")
        return f"{': '.join(where)}: {self.message}"


class DataError(ValueError):
    """Bad data: the message lists every problem found (file, feature index and id, field, value, expected)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        shown = "\n".join(f"  {p}" for p in errors[:50])
        more = f"\n  … and {len(errors) - 50} more" if len(errors) > 50 else ""
        super().__init__(f"{len(errors)} problem(s) in the data:\n{shown}{more}")
