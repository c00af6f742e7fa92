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
from collections.abc import Sequence

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


def _group_close(members: Sequence[int], x: np.ndarray, y: np.ndarray, groups: _Groups, metres: float) -> None:
    """Join into one group the `members` that lie within `metres` of each other (near-linear).

    Points are binned in square cells of side ``metres / √2``: two points in one cell are always within
    `metres`, so a cell is joined at once; cells up to two apart are compared through a spatial index.
    """
    side = metres / math.sqrt(2)
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i in members:
        cells[(math.floor(x[i] / side), math.floor(y[i] / side))].append(i)
    trees: dict[tuple[int, int], shapely.STRtree] = {}
    for (cx, cy), inside in cells.items():
        for i in inside[1:]:
            groups.union(inside[0], i)
        for dx in range(-2, 3):
            for dy in range(-2, 3):
                other = cells.get((cx + dx, cy + dy))
                if other is None or (dx, dy) <= (0, 0) or groups.find(other[0]) == groups.find(inside[0]):
                    continue
                key = (cx + dx, cy + dy)
                if key not in trees:
                    trees[key] = shapely.STRtree(shapely.points(x[other], y[other]))
                hits = trees[key].query(shapely.points(x[inside], y[inside]), predicate="dwithin", distance=metres)
                if hits.size:
                    groups.union(inside[int(hits[0][0])], other[int(hits[1][0])])


def duplicate_problems(spaces: gpd.GeoDataFrame, *, file: str, metres: float = DUPLICATE_NAME_METRES) -> list[Problem]:
    """Warn about spaces of the same name (either language, accents aside) within `metres` of each other.

    One warning per group of look-alikes, on its first feature, naming the others (the first five).
    """
    n = len(spaces)
    if n < 2:
        return []
    x, y = _TO_UTM.transform(spaces[schema.REP_LON].to_numpy(float), spaces[schema.REP_LAT].to_numpy(float))
    by_name: dict[str, list[int]] = defaultdict(list)
    for i, (vi, en) in enumerate(zip(spaces[schema.NAME_VI], spaces[schema.NAME_EN], strict=True)):
        for name in {fold(str(vi)), fold(str(en))}:
            by_name[name].append(i)
    groups = _Groups(n)
    for members in by_name.values():
        if len(members) > 1:
            _group_close(members, x, y, groups, metres)
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
        found = []
        for i in np.flatnonzero(metres > tolerance_m):
            row = joined.iloc[i]
            found.append(
                Problem(
                    file,
                    f"point ({row[schema.REP_LON]:.5f}, {row[schema.REP_LAT]:.5f}) lies in {row[joined_col]} by the "
                    f"{approx}boundaries, {metres[i]:,.0f} m from {row[field]}: check the position or the {field}",
                    int(i),
                    row[schema.ID],
                    field,
                    "warning",
                )
            )
        problems += _bounded(found, file=file, what=f"outside their stated {field}")
    return problems
