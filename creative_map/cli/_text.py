"""Text for the terminal, for the commands of the suggestion box: values made safe and short, tables that fit
`WIDTH` columns, long values wrapped beside each other, times in Hanoi.

What the public sent is shown to staff here, so every text goes through `plain` first: control characters
(a terminal's escape sequences) and the characters that reverse the direction of text are shown as
``\\uXXXX`` escapes, never sent to the terminal.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
import unicodedata
from collections.abc import Sequence
from typing import Any, Final

from creative_map import schema
from creative_map.suggestions import Revision
from creative_map.suggestions.proposals import HANOI

__all__ = [
    "MAX_CELL_LINES",
    "WIDTH",
    "block",
    "cell",
    "field_table",
    "fit",
    "labelled",
    "plain",
    "revision_table",
    "side_by_side",
    "table",
    "when",
]

WIDTH: Final = 100
"""The widest line the commands print (a table's last column is cut to fit, long values are wrapped)."""
MAX_CELL_LINES: Final = 12
"""Lines of a wrapped value shown at most (``--format json`` gives it whole)."""

FIELD_WIDTH: Final = 20
VALUE_WIDTH: Final = (WIDTH - 1 - FIELD_WIDTH - 3 * 2) // 2
"""Each of the two values beside a field: a mark, the field and the two values fit `WIDTH` columns."""

_BIDI: Final = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def plain(text: str) -> str:
    """Return `text` with control characters (but line breaks and tabs) and direction controls escaped."""
    return "".join(
        f"\\u{ord(ch):04x}" if ch in _BIDI or (unicodedata.category(ch) == "Cc" and ch not in "\n\t") else ch
        for ch in text
    )


def _geometry(value: dict[str, Any]) -> str:
    coords = value.get("coordinates")
    kind = str(value.get("type"))
    if kind == "Point" and isinstance(coords, list) and len(coords) >= 2:
        try:
            return f"point {float(coords[0]):.5f}, {float(coords[1]):.5f}"
        except (TypeError, ValueError):
            pass
    return f"{kind.lower()} of {_positions(coords)} positions"


def _positions(coords: Any) -> int:
    if not isinstance(coords, list) or not coords:
        return 0
    if not isinstance(coords[0], list):
        return 1
    return sum(_positions(c) for c in coords)


def cell(value: Any) -> str:
    """Return a field's value on one line: ``-`` for nothing, lists joined by commas, a point as lon, lat."""
    if value is None or value == "" or value == []:
        return "-"
    if isinstance(value, str):
        return " ".join(plain(value).split())
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return ", ".join(cell(v) for v in value)
    if isinstance(value, dict) and "type" in value and "coordinates" in value:
        return _geometry(value)
    return " ".join(plain(json.dumps(value, ensure_ascii=False, sort_keys=True)).split())


def fit(text: str, width: int) -> str:
    """Return `text` cut to `width` characters, ending with ``…`` when cut."""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def when(moment: dt.datetime | None) -> str:
    """Return a time as Hanoi's clock shows it, to the minute (``-`` for none)."""
    if moment is None:
        return "-"
    return moment.astimezone(HANOI).strftime("%Y-%m-%d %H:%M")


def table(header: Sequence[str], rows: Sequence[Sequence[str]], *, width: int = WIDTH) -> list[str]:
    """Return the lines of a table whose columns fit their values; the last column is cut to fit `width`."""
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(header)]
    widths[-1] = max(len(header[-1]), min(widths[-1], width - sum(w + 2 for w in widths[:-1])))
    lines = []
    for row in [header, *rows]:
        parts = [fit(text, w).ljust(w) for text, w in zip(row, widths, strict=True)]
        lines.append("  ".join(parts).rstrip())
    return lines


def block(value: Any) -> str:
    """Return a field's value for a wrapped column: as `cell`, but each item of a list on a line of its own."""
    if isinstance(value, list) and value:
        return "\n".join(cell(v) for v in value)
    return cell(value)


def _wrap(text: str, width: int) -> list[str]:
    lines = [
        line
        for part in text.split("\n")
        for line in textwrap.wrap(part, width, break_long_words=True, break_on_hyphens=False) or [""]
    ]
    if len(lines) > MAX_CELL_LINES:
        lines = [*lines[: MAX_CELL_LINES - 1], fit(lines[MAX_CELL_LINES - 1] + " …", width)]
    return lines


def side_by_side(rows: Sequence[Sequence[str]], widths: Sequence[int], *, indent: int = 0) -> list[str]:
    """Return rows of values wrapped in columns of `widths`, each row as tall as its longest value."""
    lines = []
    for row in rows:
        wrapped = [_wrap(text, w) for text, w in zip(row, widths, strict=True)]
        for i in range(max(len(w) for w in wrapped)):
            parts = [(w[i] if i < len(w) else "").ljust(width) for w, width in zip(wrapped, widths, strict=True)]
            lines.append((" " * indent + "  ".join(parts)).rstrip())
    return lines


def labelled(label: str, text: str, *, width: int = WIDTH, label_width: int = 12) -> list[str]:
    """Return `text` after `label`, wrapped under itself (its own line breaks kept)."""
    pad = " " * label_width
    lines: list[str] = []
    for i, paragraph in enumerate(plain(text).splitlines() or [""]):
        lead = label.ljust(label_width) if i == 0 else pad
        wrapped = textwrap.wrap(
            " ".join(paragraph.split()) or "-",
            width,
            initial_indent=lead,
            subsequent_indent=pad,
            break_long_words=True,
            break_on_hyphens=False,
        )
        lines += wrapped or [lead.rstrip()]
    return lines


def field_table(
    fields: Sequence[tuple[str, Any, Any]], titles: tuple[str, str], *, all_fields: bool = False
) -> list[str]:
    """Return the fields' two values side by side under `titles`, the changed ones marked ``*``.

    Parameters
    ----------
    fields
        Each field's name and its two values (now and proposed, or before and after).
    titles
        The titles of the two values.
    all_fields
        List the unchanged fields too (otherwise a line says how many are left out).
    """
    widths = (1, FIELD_WIDTH, VALUE_WIDTH, VALUE_WIDTH)
    rows = [
        ("*" if old != new else " ", name, block(old), block(new))
        for name, old, new in fields
        if all_fields or old != new
    ]
    lines = side_by_side([(" ", "field", *titles)], widths)
    lines += side_by_side(rows, widths) if rows else ["  (no field changes)"]
    hidden = 0 if all_fields else sum(old == new for _, old, new in fields)
    if hidden:
        lines.append(f"  ({hidden} field(s) unchanged; --all-fields lists them)")
    return lines


def _values(feature: dict[str, Any] | None) -> dict[str, Any]:
    if feature is None:
        return {}
    return {**(feature.get("properties") or {}), schema.GEOMETRY: feature.get("geometry")}


def revision_table(revision: Revision, *, all_fields: bool = False) -> list[str]:
    """Return what a revision changed: each field before and after (``geometry`` last)."""
    before, after = _values(revision.before), _values(revision.after)
    names = [n for n in dict.fromkeys([*after, *before]) if n != schema.GEOMETRY] + [schema.GEOMETRY]
    return field_table([(n, before.get(n), after.get(n)) for n in names], ("before", "after"), all_fields=all_fields)
