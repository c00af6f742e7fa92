"""The numbers planners ask for: spaces per unit, density, coverage, gaps, and the spaces near a point.

Every measure is taken in UTM zone 48N (EPSG:32648); the frames stay in EPSG:4326. Counts follow the
stated unit of each space (`district`, `ward_2025`: the same as the filter uses), unless ``by="join"``
counts by the boundary polygons instead.
"""

from __future__ import annotations

import logging
from typing import Final, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from creative_map import schema
from creative_map.boundaries import CODE, NAME, assign_units
from creative_map.dataset import Selection
from creative_map.i18n import t
from creative_map.types import LEVELS, Lang, Level

__all__ = [
    "AREA_KM2",
    "MEASURES",
    "NEAREST_ACTIVE_M",
    "SHARE_1KM",
    "SHARE_500M",
    "SPACES_PER_KM2",
    "TOTAL",
    "gaps",
    "measure_label",
    "spaces_near",
    "unit_statistics",
]

logger = logging.getLogger(__name__)

TOTAL = "total"
ACTIVE = "active"
AREA_KM2 = "area_km2"
SPACES_PER_KM2 = "spaces_per_km2"
SHARE_500M = "share_500m"
SHARE_1KM = "share_1km"
"""Share (0-1) of the unit's area within 500 m / 1 km of an active space."""
NEAREST_ACTIVE_M = "nearest_active_m"
"""Distance in metres from the unit's centroid to the nearest active space (NaN when there is none)."""
NEAREST_ACTIVE_ID = "nearest_active_id"
DISTANCE_M = "distance_m"

MEASURES: Final[tuple[str, ...]] = (SPACES_PER_KM2, SHARE_500M, SHARE_1KM)
"""The columns of `unit_statistics` a choropleth shows (named by `measure_label`; classed by
`creative_map.classes.scheme`)."""
SHARES: Final[tuple[str, ...]] = (SHARE_500M, SHARE_1KM)
"""The measures that are shares (0-1): a legend shows them as percentages."""

_STATED = {"district": schema.DISTRICT, "ward_2025": schema.WARD_2025}
_JOINED = {"district": "district_joined", "ward_2025": "ward_2025_joined"}


def _check(spaces: gpd.GeoDataFrame, units: gpd.GeoDataFrame, level: str) -> None:
    if level not in LEVELS:
        raise ValueError(f"`level` must be 'district' or 'ward_2025', not {level!r}")
    if units.crs is None or spaces.crs is None:
        raise ValueError("`spaces` and `units` must have a CRS")
    if NAME not in units.columns:
        raise ValueError("`units` must have a `name` column: load it with creative_map.boundaries.load_boundaries")


def _active_proj(spaces: gpd.GeoDataFrame) -> gpd.GeoSeries:
    active = spaces.loc[spaces[schema.STATUS] == "active"] if schema.STATUS in spaces.columns else spaces
    return active.geometry.to_crs(schema.CRS_PROJECTED)


def _coverage(active_proj: gpd.GeoSeries, units_proj: gpd.GeoSeries, radius_m: float) -> np.ndarray:
    """Share of each unit's area within `radius_m` of an active space's geometry."""
    if active_proj.empty:
        return np.zeros(len(units_proj))
    reach = shapely.union_all(shapely.buffer(active_proj.to_numpy(), radius_m, quad_segs=16))
    covered = shapely.area(shapely.intersection(units_proj.to_numpy(), reach))
    area = shapely.area(units_proj.to_numpy())
    share: np.ndarray = np.clip(np.divide(covered, area, out=np.zeros(len(area)), where=area > 0), 0.0, 1.0)
    return share  # clipped: overlay rounding can give 1 + 1e-12


def _nearest(active: gpd.GeoDataFrame, points_proj: gpd.GeoSeries) -> tuple[np.ndarray, list[str | None]]:
    """Distance (m) from each point to the nearest active geometry, and that space's id."""
    if active.empty:
        return np.full(len(points_proj), np.nan), [None] * len(points_proj)
    geoms = active.geometry.to_crs(schema.CRS_PROJECTED).to_numpy()
    tree = shapely.STRtree(geoms)
    idx, dist = tree.query_nearest(points_proj.to_numpy(), return_distance=True, all_matches=False)
    distance = np.full(len(points_proj), np.nan)
    ids: list[str | None] = [None] * len(points_proj)
    ids_all = active[schema.ID].to_numpy() if schema.ID in active.columns else np.arange(len(active)).astype(str)
    for (p, g), d in zip(idx.T, dist, strict=True):
        if np.isnan(distance[p]):
            distance[p] = d
            ids[p] = str(ids_all[g])
    return distance, ids


def unit_statistics(
    selection: Selection, units: gpd.GeoDataFrame, *, level: Level, by: Literal["attribute", "join"] = "attribute"
) -> pd.DataFrame:
    """Return one row of statistics per unit, every unit included (also those with no space).

    Parameters
    ----------
    selection
        The spaces to count: `creative_map.select`'s result.
    units
        The boundary layer of `level` (`creative_map.boundaries.load_boundaries`).
    level
        ``"district"`` or ``"ward_2025"``.
    by
        ``"attribute"`` counts each space in its stated unit (as the filter does); ``"join"`` in the unit
        whose polygon holds its point.

    Returns
    -------
    pandas.DataFrame
        In the order of `units`: `name`, `code`, one count column per category of `schema.CATEGORIES`,
        `total` (all statuses; the column sums to the number of spaces), `active`, `area_km2` (UTM 48N),
        `spaces_per_km2` (total / area), `share_500m` and `share_1km` (share of the area within that distance
        of an active space), `nearest_active_m` and `nearest_active_id` (from the unit's centroid).
    """
    spaces = selection.spaces
    _check(spaces, units, level)
    if by == "join":
        unit_of = assign_units(spaces, **{"districts" if level == "district" else "wards": units})[_JOINED[level]]
    elif by == "attribute":
        unit_of = spaces[_STATED[level]]
    else:
        raise ValueError(f"`by` must be 'attribute' or 'join', not {by!r}")
    names = list(units[NAME])
    outside = sorted(set(unit_of.dropna()) - set(names))
    if outside:
        raise ValueError(f"spaces name units that the layer lacks: {', '.join(outside[:5])}")
    table = pd.DataFrame({NAME: names, CODE: units[CODE].to_numpy() if CODE in units.columns else None})
    counts = pd.crosstab(unit_of, spaces[schema.CATEGORY]) if len(spaces) else pd.DataFrame()
    for category in schema.CATEGORIES:
        column = counts[category] if category in counts.columns else pd.Series(dtype=int)
        table[category] = column.reindex(names, fill_value=0).to_numpy().astype(int)
    table[TOTAL] = unit_of.value_counts().reindex(names, fill_value=0).to_numpy().astype(int)
    is_active = spaces[schema.STATUS] == "active"
    table[ACTIVE] = unit_of[is_active].value_counts().reindex(names, fill_value=0).to_numpy().astype(int)
    units_proj = units.geometry.to_crs(schema.CRS_PROJECTED)
    table[AREA_KM2] = units_proj.area.to_numpy() / 1e6
    table[SPACES_PER_KM2] = table[TOTAL] / table[AREA_KM2]
    active_proj = _active_proj(spaces)
    table[SHARE_500M] = _coverage(active_proj, units_proj, 500.0)
    table[SHARE_1KM] = _coverage(active_proj, units_proj, 1000.0)
    distance, ids = _nearest(spaces.loc[is_active], units_proj.centroid)
    table[NEAREST_ACTIVE_M] = distance
    table[NEAREST_ACTIVE_ID] = ids
    logger.info("statistics of %d %s units over %d spaces", len(table), level, len(spaces))
    return table


def gaps(
    selection: Selection,
    units: gpd.GeoDataFrame,
    *,
    level: Level,
    distance_m: float = 1000.0,
    statistics: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return the units whose centroid has no active space within `distance_m`, the farthest first.

    Parameters
    ----------
    selection, units, level
        As for `unit_statistics`.
    distance_m
        The distance a resident should have to go at most.
    statistics
        The `unit_statistics` of the same arguments, when already computed.

    Returns
    -------
    pandas.DataFrame
        `rank` (1 = farthest), `name`, `code`, `nearest_active_m` (NaN ranks first: no active space at all),
        `nearest_active_id`, `share_500m`, `share_1km`, `area_km2`, `total`.
    """
    if distance_m <= 0:
        raise ValueError(f"`distance_m` must be positive, not {distance_m}")
    stats = unit_statistics(selection, units, level=level) if statistics is None else statistics
    far = stats[~(stats[NEAREST_ACTIVE_M] <= distance_m)]
    order = far.assign(_d=far[NEAREST_ACTIVE_M].fillna(np.inf)).sort_values(
        ["_d", CODE], ascending=[False, True], kind="stable"
    )
    out = order[[NAME, CODE, NEAREST_ACTIVE_M, NEAREST_ACTIVE_ID, SHARE_500M, SHARE_1KM, AREA_KM2, TOTAL]]
    out = out.reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out


def spaces_near(selection: Selection, lon: float, lat: float, *, radius_m: float) -> gpd.GeoDataFrame:
    """Return the selected spaces within `radius_m` of (`lon`, `lat`), nearest first, with their `distance_m`.

    The distance is measured in UTM 48N to the space's geometry (its nearest edge for a street or an area).
    """
    if radius_m <= 0:
        raise ValueError(f"`radius_m` must be positive, not {radius_m}")
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValueError(f"({lon}, {lat}) is not a longitude and latitude")
    spaces = selection.spaces
    point = gpd.GeoSeries(gpd.points_from_xy([lon], [lat]), crs=schema.CRS).to_crs(schema.CRS_PROJECTED).iloc[0]
    distance = spaces.geometry.to_crs(schema.CRS_PROJECTED).distance(point)
    out = spaces.copy()
    out[DISTANCE_M] = distance.to_numpy()
    out = out.loc[out[DISTANCE_M] <= radius_m]
    return out.sort_values(DISTANCE_M, kind="stable")


def measure_label(column: str, lang: Lang = "vi") -> str:
    """Return the name of a measure of `MEASURES` in `lang` (a legend's or a chooser's title)."""
    if column not in MEASURES:
        raise ValueError(f"`column` must be one of {', '.join(MEASURES)}; got {column!r}")
    return t(f"measure_{column}", lang)
