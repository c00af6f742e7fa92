"""Warnings about positions, on the loaded spaces frame: look-alike duplicates and points outside their unit.

These look at several records at once (or at boundary layers), so they are not part of the record checks of
`creative_map.validation`; they never fail a file. Each kind of warning is bounded: duplicates come as one
warning per group of look-alikes (found with a grid, not by comparing all pairs), and a kind that concerns
many features lists the first `MAX_LISTED` and sums up the rest in one line.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from typing import Final

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Transformer

from creative_map import admin, schema
from creative_map.boundaries import (
    DISTRICT_DISTANCE_M,
    DISTRICT_JOINED,
    WARD_2025_DISTANCE_M,
    WARD_2025_JOINED,
    assign_units,
    is_approximate,
    load_boundaries,
)
from creative_map.errors import DataError, Problem, quote
from creative_map.text import fold

__all__ = [
    "DUPLICATE_NAME_METRES",
    "JOIN_WARNING_METRES",
    "MAX_LISTED",
    "bbox_problems",
    "duplicate_problems",
    "join_problems",
    "space_warnings",
]

logger = logging.getLogger(__name__)

DUPLICATE_NAME_METRES = 50.0
"""Two spaces of the same name (accents and case aside) closer than this are reported as a possible duplicate."""
JOIN_WARNING_METRES = 300.0
"""`join_problems` warns only beyond this distance: the shipped district layer is derived, the 2025 units' real
edges are simplified by about 50 m and a street position is good to about 300 m (data/boundaries/README.md), so
a point a little over an edge is no evidence of a wrong position or unit."""
BBOX_TOLERANCE_DEG = 0.001
MAX_LISTED = 20
"""A kind of warning lists at most this many features one by one; the rest are summed up in one line."""

_TO_UTM = Transformer.from_crs(schema.CRS, schema.CRS_PROJECTED, always_xy=True)


def space_warnings(
    spaces: gpd.GeoDataFrame,
    *,
    file: str,
    districts: gpd.GeoDataFrame | None = None,
    wards: gpd.GeoDataFrame | None = None,
) -> list[Problem]:
    """Return every warning about the loaded spaces: duplicates, points outside their district or unit.

    Parameters
    ----------
    spaces
        The frame `creative_map.io.load_spaces` returned (file order; `rep_lon`/`rep_lat` present).
    file
        The file's name, for the messages.
    districts, wards
        Boundary layers for the join check (None: the shipped ones).

    Returns
    -------
    list of Problem
        Warnings, each naming the file, the feature's index and id, and the field.
    """
    return [
        *duplicate_problems(spaces, file=file),
        *bbox_problems(spaces, file=file),
        *join_problems(spaces, file=file, districts=districts, wards=wards),
    ]


def _bounded(problems: list[Problem], *, file: str, what: str) -> list[Problem]:
    """Return `problems` with those past `MAX_LISTED` replaced by one summary warning."""
    if len(problems) <= MAX_LISTED:
        return problems
    rest = problems[MAX_LISTED:]
    ids = ", ".join(quote(p.feature_id) for p in rest[:5])
    summary = Problem(
        file,
        f"… and {len(rest):,} more feature(s) {what} (ids {ids}{', …' if len(rest) > 5 else ''})",
        severity="warning",
    )
    return [*problems[:MAX_LISTED], summary]


# --------------------------------------------------------------------------------------------- duplicates


class _Groups:
    """Union-find over feature positions."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


_SMALL_CELL: Final = 8
"""Cells holding at most this many features are compared pair by pair, all at once (numpy); larger ones, which
only dense clusters have, through a spatial index that returns one nearest feature per feature."""
_FORWARD: Final = tuple((dx, dy) for dx in range(-2, 3) for dy in range(-2, 3) if (dx, dy) > (0, 0))
"""The neighbouring cells compared with each cell (the other half compare with it)."""


def _close_pairs(
    point: np.ndarray, group: np.ndarray, x: np.ndarray, y: np.ndarray, metres: float
) -> tuple[np.ndarray, np.ndarray]:
    """Return pairs of points that share a group and lie within `metres`: enough of them to join every such
    set of points into one component (not all pairs: a dense cluster would have too many).

    `point` and `group` list memberships (a point is in the group of each of its folded names). Memberships
    are binned by group and by square cell of side ``metres / √2``: two points in one cell are always within
    `metres`, so each is paired with the cell's first point; cells up to two apart are then compared, the
    small ones all at once (every pair of their points), the large ones by nearest neighbour. Linear in the
    memberships, with numpy doing the work (100,000 spaces of one name: about a second).
    """
    finite = np.isfinite(x[point]) & np.isfinite(y[point])
    point, group = point[finite], group[finite]
    if not len(point):
        return point, point
    side = metres / math.sqrt(2)
    cx, cy = np.floor(x[point] / side).astype(np.int64), np.floor(y[point] / side).astype(np.int64)
    width, height = int(cx.max() - cx.min()) + 5, int(cy.max() - cy.min()) + 5
    key = (group * width + (cx - cx.min() + 2)) * height + (cy - cy.min() + 2)
    order = np.argsort(key, kind="stable")
    key, point = key[order], point[order]
    cells, start, count = np.unique(key, return_index=True, return_counts=True)
    firsts, seconds = [np.repeat(point[start], count)], [point]  # each point with its cell's first
    for dx, dy in _FORWARD:
        found = np.searchsorted(cells, cells + dx * height + dy)
        found = np.minimum(found, len(cells) - 1)
        a = np.flatnonzero(cells[found] == cells + dx * height + dy)
        b = found[a]
        small = (count[a] <= _SMALL_CELL) & (count[b] <= _SMALL_CELL)
        for i in range(_SMALL_CELL):
            for j in range(_SMALL_CELL):
                take = small & (i < count[a]) & (j < count[b])
                pa, pb = point[start[a[take]] + i], point[start[b[take]] + j]
                near = np.hypot(x[pa] - x[pb], y[pa] - y[pb]) <= metres
                firsts.append(pa[near])
                seconds.append(pb[near])
        for ca, cb in zip(a[~small], b[~small], strict=True):
            pa, pb = point[start[ca] : start[ca] + count[ca]], point[start[cb] : start[cb] + count[cb]]
            tree = shapely.STRtree(shapely.points(x[pb], y[pb]))
            hits = tree.query_nearest(shapely.points(x[pa], y[pa]), max_distance=metres, all_matches=False)
            firsts.append(pa[hits[0]])
            seconds.append(pb[hits[1]])
    return np.concatenate(firsts), np.concatenate(seconds)


def duplicate_problems(spaces: gpd.GeoDataFrame, *, file: str, metres: float = DUPLICATE_NAME_METRES) -> list[Problem]:
    """Warn about spaces of the same name (either language, accents aside) within `metres` of each other.

    One warning per group of look-alikes, on its first feature, naming the others (the first five).
    """
    n = len(spaces)
    if n < 2:
        return []
    x, y = _TO_UTM.transform(spaces[schema.REP_LON].to_numpy(float), spaces[schema.REP_LAT].to_numpy(float))
    names: dict[str, int] = {}
    point, group = [], []
    for i, (vi, en) in enumerate(zip(spaces[schema.NAME_VI], spaces[schema.NAME_EN], strict=True)):
        for name in {fold(str(vi)), fold(str(en))}:
            point.append(i)
            group.append(names.setdefault(name, len(names)))
    groups = _Groups(n)
    if len(names) < len(point):  # some name is shared
        for a, b in zip(*_close_pairs(np.array(point), np.array(group, dtype=np.int64), x, y, metres), strict=True):
            groups.union(int(a), int(b))
    members_of: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        members_of[groups.find(i)].append(i)
    ids = spaces[schema.ID].tolist()
    problems = []
    for root, members in sorted(members_of.items()):
        if len(members) < 2:
            continue
        others = members[1:]
        if len(others) == 1:
            b = others[0]
            apart = math.hypot(x[b] - x[root], y[b] - y[root])
            message = f"has the same name as feature {b} (id {quote(ids[b])}) {apart:.0f} m away: a duplicate?"
        else:
            listed = ", ".join(f"feature {b} (id {quote(ids[b])})" for b in others[:5])
            more = f" and {len(others) - 5:,} more" if len(others) > 5 else ""
            message = (
                f"has the same name as {len(others):,} other features within {metres:.0f} m of each other "
                f"({listed}{more}): a duplicate?"
            )
        problems.append(Problem(file, message, root, ids[root], schema.NAME_VI, "warning"))
    return _bounded(problems, file=file, what="with look-alikes")


# ----------------------------------------------------------------------------------------- bounding boxes


def bbox_problems(spaces: gpd.GeoDataFrame, *, file: str) -> list[Problem]:
    """Warn about spaces whose point lies outside the bounding box of their stated district."""
    boxes = {d.name: d.bbox for d in admin.districts()}
    problems = []
    lon, lat = spaces[schema.REP_LON].to_numpy(float), spaces[schema.REP_LAT].to_numpy(float)
    bounds = np.array([boxes[d] for d in spaces[schema.DISTRICT]], dtype=float).reshape(-1, 4)
    tol = BBOX_TOLERANCE_DEG
    outside = ~(
        (bounds[:, 0] - tol <= lon)
        & (lon <= bounds[:, 2] + tol)
        & (bounds[:, 1] - tol <= lat)
        & (lat <= bounds[:, 3] + tol)
    )
    ids, district_of = spaces[schema.ID].tolist(), spaces[schema.DISTRICT].tolist()
    for i in np.flatnonzero(outside):
        min_lon, min_lat, max_lon, max_lat = boxes[district_of[i]]
        problems.append(
            Problem(
                file,
                f"point ({lon[i]:.5f}, {lat[i]:.5f}) lies outside the bounding box of {district_of[i]} "
                f"({min_lon}–{max_lon}, {min_lat}–{max_lat}): check the position or the district",
                int(i),
                ids[i],
                schema.GEOMETRY,
                "warning",
            )
        )
    return _bounded(problems, file=file, what="outside their district's bounding box")


# ---------------------------------------------------------------------------------------------- the join


def join_problems(
    spaces: gpd.GeoDataFrame,
    *,
    file: str,
    districts: gpd.GeoDataFrame | None = None,
    wards: gpd.GeoDataFrame | None = None,
    tolerance_m: float = JOIN_WARNING_METRES,
) -> list[Problem]:
    """Warn where a space's point lies more than `tolerance_m` outside its stated district or 2025 unit.

    Parameters
    ----------
    spaces
        The loaded spaces: their `district` and `ward_2025` are compared with the units holding their
        representative points.
    file
        The file's name, for the messages.
    districts, wards
        Boundary layers (None: the shipped ones).
    tolerance_m
        Distances to the stated unit up to this are not reported.

    Returns
    -------
    list of Problem
        One warning per disagreement, naming the unit the point falls in and the distance to the stated one.
    """
    if len(spaces) == 0:
        return []
    try:
        districts = load_boundaries("district") if districts is None else districts
        wards = load_boundaries("ward_2025") if wards is None else wards
    except (DataError, OSError) as exc:
        logger.warning("boundary layers unavailable, positions not checked against units: %s", exc)
        return []
    joined = assign_units(spaces, districts=districts, wards=wards)
    problems = []
    for field, layer, joined_col, dist_col in (
        (schema.DISTRICT, districts, DISTRICT_JOINED, DISTRICT_DISTANCE_M),
        (schema.WARD_2025, wards, WARD_2025_JOINED, WARD_2025_DISTANCE_M),
    ):
        approx = "approximate " if is_approximate(layer) else ""
        metres = joined[dist_col].to_numpy(dtype=float)
        far = np.flatnonzero(metres > tolerance_m)
        # columns read once (a row at a time through pandas costs about half a millisecond each)
        lon, lat = joined[schema.REP_LON].to_numpy(float)[far], joined[schema.REP_LAT].to_numpy(float)[far]
        lies_in, stated = joined[joined_col].to_numpy()[far], joined[field].to_numpy()[far]
        ids = joined[schema.ID].to_numpy()[far]
        found = [
            Problem(
                file,
                f"point ({lon[k]:.5f}, {lat[k]:.5f}) lies in {lies_in[k]} by the {approx}boundaries, "
                f"{metres[i]:,.0f} m from {stated[k]}: check the position or the {field}",
                int(i),
                str(ids[k]),
                field,
                "warning",
            )
            for k, i in enumerate(far)
        ]
        problems += _bounded(found, file=file, what=f"outside their stated {field}")
    return problems
