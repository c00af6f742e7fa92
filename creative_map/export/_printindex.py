"""The print map's index: every space numbered, by district then by place, its full name wrapped to a column.

The numbers do not depend on the language or the paper: districts in the order of their folded names (spaces of
no district last), and within a district along a Hilbert curve through the spaces' positions (ties by id), so
spaces at one place get consecutive numbers ("12–14" beside one marker) and nearby numbers are near each other.

Names are never cut: a long name wraps over lines, and two spaces of the same name get their ward (or, failing
that, their id) after it, so no two entries read the same.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import numpy as np
from numpy.typing import NDArray

from creative_map import admin, schema
from creative_map.text import fold
from creative_map.types import Lang

__all__ = ["Block", "Entry", "blocks", "flow", "hilbert_keys", "number_ranges", "numbered", "wrap"]

HILBERT_ORDER = 16
"""The curve runs through a 2^16 x 2^16 grid over the spaces' extent (under a metre across Hanoi)."""


@dataclass(frozen=True)
class Entry:
    """One line of the index: a space, its number and the name printed."""

    number: int
    id: str
    name: str
    """The space's full name in the page's language (its ward or id added when two names are the same)."""
    district: str
    """The district it is listed under (its full name; empty: none)."""
    category: str
    status: str
    precision: str


def hilbert_keys(x: NDArray[np.float64], y: NDArray[np.float64], order: int = HILBERT_ORDER) -> list[int]:
    """Return each point's position along a Hilbert curve through the points' bounding box."""
    if not len(x):
        return []
    n = 1 << order
    span = max(float(np.ptp(x)), float(np.ptp(y)), 1e-9)
    xi = np.minimum(((x - x.min()) / span * (n - 1)).round().astype(np.int64), n - 1)
    yi = np.minimum(((y - y.min()) / span * (n - 1)).round().astype(np.int64), n - 1)
    keys = []
    for px, py in zip(xi.tolist(), yi.tolist(), strict=True):
        d = 0
        s = n >> 1
        while s > 0:
            rx = 1 if px & s else 0
            ry = 1 if py & s else 0
            d += s * s * ((3 * rx) ^ ry)
            if ry == 0:  # rotate the quadrant
                if rx == 1:
                    px, py = s - 1 - px, s - 1 - py
                px, py = py, px
            s >>= 1
        keys.append(d)
    return keys


def _district_key(name: str) -> tuple[int, str]:
    return (1, "") if not name else (0, fold(admin.short_name(name)))


def numbered(spaces: gpd.GeoDataFrame, x: NDArray[np.float64], y: NDArray[np.float64], lang: Lang) -> list[Entry]:
    """Return the index of `spaces`, numbered from 1 (see the module's docstring for the order).

    Parameters
    ----------
    spaces
        The selected spaces.
    x, y
        Each space's marker position in a projected CRS (metres), in the order of `spaces`.
    lang
        The language of the names.
    """
    districts = ["" if not isinstance(d, str) else d for d in spaces[schema.DISTRICT]]
    ids = [str(i) for i in spaces[schema.ID]]
    curve = hilbert_keys(x, y)
    order = sorted(range(len(ids)), key=lambda i: (_district_key(districts[i]), curve[i], ids[i]))
    names = [
        " ".join(schema.Label(str(vi or ""), str(en or "")).get(lang).split())
        for vi, en in zip(spaces[schema.NAME_VI], spaces[schema.NAME_EN], strict=True)
    ]
    names = _distinct(names, list(spaces[schema.WARD_2025]), ids)
    columns = (spaces[schema.CATEGORY], spaces[schema.STATUS], spaces[schema.POSITION_PRECISION])
    category, status, precision = (list(c) for c in columns)
    return [
        Entry(n, ids[i], names[i], districts[i], str(category[i]), str(status[i]), str(precision[i]))
        for n, i in enumerate(order, start=1)
    ]


def _distinct(names: list[str], wards: list[object], ids: list[str]) -> list[str]:
    """Return `names` with the ward (then the id) added to each name that another space also has."""

    def clashing(values: list[str]) -> list[bool]:
        folded = [fold(v) for v in values]
        counts = Counter(folded)
        return [counts[f] > 1 for f in folded]

    out = list(names)
    for i, same in enumerate(clashing(out)):
        if same and isinstance(wards[i], str) and wards[i]:
            out[i] = f"{names[i]} ({admin.short_name(str(wards[i]))})"
    return [
        f"{name} ({ids[i]})" if same else name for i, (name, same) in enumerate(zip(out, clashing(out), strict=True))
    ]


def number_ranges(numbers: Sequence[int]) -> str:
    """Return sorted numbers as text with runs joined: ``[3, 4, 5, 9]`` -> ``"3–5, 9"``."""
    values = sorted(numbers)
    parts = []
    start = prev = values[0] if values else 0
    for v in [*values[1:], None]:
        if v is not None and v == prev + 1:
            prev = v
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}" if prev > start + 1 else f"{start}, {prev}")
        if v is not None:
            start = prev = v
    return ", ".join(parts) if values else ""


def wrap(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Return `text` broken at spaces into lines no wider than `width`; a word wider than a line is broken
    between characters (the only case where joining the lines with spaces differs from `text`).

    A line's width is taken as the sum of its words' and spaces' widths (`measure` of each), as a font's
    advances add up.
    """
    space = measure(" ")
    lines: list[str] = []
    current, used = "", 0.0
    for word in text.split():
        size = measure(word)
        if current and used + space + size <= width:
            current, used = f"{current} {word}", used + space + size
            continue
        if current:
            lines.append(current)
        while size > width and len(word) > 1:
            cut = max([1, *(k for k in range(1, len(word)) if measure(word[:k]) <= width)])
            lines.append(word[:cut])
            word = word[cut:]
            size = measure(word)
        current, used = word, size
    if current or not lines:
        lines.append(current)
    return lines


@dataclass(frozen=True)
class Block:
    """A run of index lines that stays in one column: a district's heading, or one entry's wrapped name."""

    kind: Literal["heading", "entry"]
    lines: tuple[str, ...]
    entry: Entry | None = None


def blocks(
    entries: Sequence[Entry],
    heading: Callable[[str, int], str],
    width: float,
    measure: Callable[[str], float],
    heading_measure: Callable[[str], float],
) -> list[Block]:
    """Return the index as blocks: each district's heading, then its entries' names wrapped to `width`."""
    counts: dict[str, int] = {}
    for e in entries:
        counts[e.district] = counts.get(e.district, 0) + 1
    out: list[Block] = []
    previous: str | None = None
    for e in entries:
        if e.district != previous:
            out.append(Block("heading", tuple(wrap(heading(e.district, counts[e.district]), width, heading_measure))))
            previous = e.district
        out.append(Block("entry", tuple(wrap(e.name, width, measure)), e))
    return out


def flow(blocks_: Sequence[Block], capacity: Callable[[int], int], max_columns: int) -> list[list[Block]] | None:
    """Return the blocks poured into columns top to bottom, or None when `max_columns` do not hold them.

    A block never splits; a heading never ends a column (it moves on with the entry below it). `capacity` gives
    the number of lines of each column; a column too short for the next block stays empty (the list keeps the
    columns' places).
    """
    columns: list[list[Block]] = [[]]
    used = 0
    for k, block in enumerate(blocks_):
        need = len(block.lines)
        if block.kind == "heading" and k + 1 < len(blocks_):
            need += len(blocks_[k + 1].lines)
        if used + need > capacity(len(columns) - 1):
            # Taller than an empty column: only a later, taller column may hold it.
            taller = not columns[-1] and need > capacity(len(columns) - 1)
            if taller and all(need > capacity(c) for c in range(len(columns) - 1, max_columns)):
                return None
            columns.append([])
            used = 0
            if len(columns) > max_columns:
                return None
            while need > capacity(len(columns) - 1):
                columns.append([])
                if len(columns) > max_columns:
                    return None
        columns[-1].append(block)
        used += len(block.lines)
    while columns and not columns[-1]:
        columns.pop()
    return columns
