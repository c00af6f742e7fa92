"""Boundary layers of Hanoi's units: the 126 wards and communes of 2025 and the 30 pre-2025 districts.

The shipped layers (``creative_map/resources/boundaries/``):

- ``wards_2025.geojson``: the **real** boundaries of the 126 units of 2025, simplified for the web, from the
  public repository lamngockhuong/vietnam-3d-map (MIT licence, text in ``LICENSE-vietnam-3d-map.txt``
  beside the file); not approximate.
- ``districts.geojson``: the 30 districts, **derived** (approximate, not legal boundaries: no openly licensed
  layer of them exists here) from the real units and the old-to-new ward mapping of `vietnamadminunits`.
  Each old ward lies inside the 2025 units it went into, so a district is the union of its old wards'
  pieces of the real units:

  1. The units are made a coverage: a piece two units overlap on stays with the first by code, a sliver of
     gap between neighbours goes to the unit sharing most of its edge.
  2. A unit whose old wards all come from one district goes whole to that district. A unit that took in
     wards of several districts is shared among its old wards on a grid of ``GRID_DEG`` cells: each cell
     goes to the nearest old ward centroid, distances divided by the square root of the ward's bounding-box
     area, among the wards whose box holds the cell (a multiplicatively weighted Voronoi diagram kept inside
     the boxes and clipped to the unit); the cells of each district are simplified together and cut by the
     unit's polygon.
  3. Each district is the union of its pieces, written with coordinates on a 5-decimal grid, sorted keys,
     features ordered by code: `build_boundaries` run twice writes the same bytes.

`data/boundaries/README.md` gives the sources, the method's figures and the accuracy measured. A planner with
official boundaries loads them instead with `load_boundaries(level, path)`: any file GDAL reads, names matched
through `creative_map.admin`'s resolvers.
"""

from __future__ import annotations

import json
import logging
import math
import os
from collections import defaultdict
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Geod, Transformer
from shapely.geometry import Polygon, box, mapping

from creative_map import admin, schema
from creative_map.atomic import atomic_path, check_writable_dir
from creative_map.errors import DataError, Problem
from creative_map.types import LEVELS, Level

__all__ = [
    "APPROXIMATE_NOTE",
    "BOUNDARIES_DIR",
    "FILES",
    "WARDS_NOTE",
    "WARDS_SOURCE",
    "accuracy_table",
    "assign_units",
    "build_boundaries",
    "build_layers",
    "derive_districts",
    "district_accuracy_table",
    "geodesic_area_km2",
    "is_approximate",
    "is_shipped",
    "load_boundaries",
    "old_wards_by_unit",
    "read_ward_source",
    "stated_district_areas",
]

logger = logging.getLogger(__name__)

BOUNDARIES_DIR = Path(str(resources.files("creative_map") / "resources" / "boundaries"))
"""Where the shipped layers are: package data, so an installed wheel carries them."""
FILES: dict[str, str] = {"district": "districts.geojson", "ward_2025": "wards_2025.geojson"}
"""The shipped file of each level, in `BOUNDARIES_DIR`."""
WARDS_LICENCE = "LICENSE-vietnam-3d-map.txt"
"""The licence notice of the real ward layer, beside it in `BOUNDARIES_DIR`."""
DISTRICT_AREAS = "district_areas.csv"
"""The published areas of the 30 districts, with their sources, in `BOUNDARIES_DIR`."""

GRID_DEG = 0.00025
"""Side of a grid cell in degrees (about 26 m east-west, 28 m north-south at Hanoi), for sharing a unit."""
SIMPLIFY_DEG = 0.0003
"""Tolerance of the simplification of the cells' staircase edges, in degrees (about 30 m)."""
DECIMALS = 5
GRID_SIZE = 10.0**-DECIMALS
"""Every coordinate written lies on this grid (about 1 m)."""

WARDS_SOURCE: Final = {
    "repository": "https://github.com/lamngockhuong/vietnam-3d-map",
    "commit": "dc6095c45a49279d6c24f4de6cf00f4b2b04a90d",
    "file": "public/wards/01.json",
    "licence": f"MIT, Copyright (c) 2025 Lam Ngoc Khuong; full text in {WARDS_LICENCE}",
}
"""Where the real 2025 layer comes from."""
WARDS_NOTE = (
    "Real boundaries of Hanoi's 126 wards and communes of 2025, simplified for the web (neighbours overlap on "
    "0.1 % of the city); not a legal document. Ranh giới thực của 126 phường, xã năm 2025, đã đơn giản hóa."
)
APPROXIMATE_NOTE = (
    "Approximate pre-2025 districts derived from the real 2025 ward boundaries and the old-to-new ward mapping "
    "(vietnamadminunits); not legal boundaries. Đường ranh giới gần đúng, không phải địa giới hành chính chính thức."
)
_METADATA: Final[dict[str, dict[str, Any]]] = {
    "ward_2025": {
        "approximate": False,
        "note": WARDS_NOTE,
        "source": {
            **WARDS_SOURCE,
            "built_by_source_from": "the national administrative map (gis.vn) and the 2025 reorganisation "
            "look-up of the Department of Survey and Mapping (sapnhap.bando.com.vn), Douglas-Peucker "
            "simplified (0.0005 degree)",
        },
        "conversion": "the source's rings reassembled into (Multi)Polygons by the even-odd rule and made valid; "
        "names resolved to the canonical full names of vietnamadminunits; ordered by code; see "
        "data/boundaries/README.md",
        "licence": f"MIT (see {WARDS_LICENCE})",
    },
    "district": {
        "approximate": True,
        "note": APPROXIMATE_NOTE,
        "method": "each 2025 unit of wards_2025.geojson goes to the district of its old wards; a unit that took in "
        f"wards of several districts is shared on a {GRID_DEG} degree grid by weighted Voronoi cells of its old "
        "wards' centroids kept in their bounding boxes; see data/boundaries/README.md",
        "source": "wards_2025.geojson (lamngockhuong/vietnam-3d-map, MIT); vietnamadminunits 1.0.4 (MIT): "
        "dataset.db, converter_2025.json",
        "licence": "CC BY 4.0 (derived work); source data MIT",
    },
}

# Column names of a boundary frame.
NAME = "name"
CODE = "code"
APPROXIMATE = "approximate"
AREA_STATED = "area_km2_stated"
POPULATION = "population"

_LEVEL_LABEL = {"district": "pre-2025 districts", "ward_2025": "2025 wards and communes"}
_TO_UTM = Transformer.from_crs(schema.CRS, schema.CRS_PROJECTED, always_xy=True)


# --------------------------------------------------------------------------------------------------- loading


def _units(level: Level) -> list[tuple[str, str]]:
    """(code, canonical name) of every unit of `level`, ordered by code."""
    if level == "district":
        return [(d.code, d.name) for d in admin.districts()]
    if level == "ward_2025":
        return [(u.code, u.name) for u in admin.units_2025()]
    raise ValueError(f"`level` must be 'district' or 'ward_2025', not {level!r}")


def _resolve(level: Level, value: object) -> str:
    if not isinstance(value, str):
        raise admin.UnknownUnitError("district" if level == "district" else "ward or commune (2025)", str(value), [])
    return admin.resolve_district(value).name if level == "district" else admin.resolve_ward_2025(value).name


def _resolves(level: Level, value: object) -> bool:
    try:
        _resolve(level, value)
    except ValueError:
        return False
    return True


def _find_name_field(frame: pd.DataFrame, level: Level, file: str) -> str:
    """Return the text column whose values resolve best to units of `level`."""
    best: str | None = None
    best_hits = 0
    for column in frame.columns:
        if column == "geometry" or (frame[column].dtype.kind not in "OUT" and str(frame[column].dtype) != "str"):
            continue
        sample = frame[column].head(10)
        if sum(_resolves(level, v) for v in sample) * 2 < len(sample):  # skip codes and other fields quickly
            continue
        hits = sum(_resolves(level, v) for v in frame[column])
        if hits > best_hits:
            best, best_hits = str(column), hits
    if best is None or best_hits < max(1, len(frame) // 2):
        raise DataError(
            [
                Problem(
                    file,
                    f"no field holds the names of Hanoi's {_LEVEL_LABEL[level]} (looked at: "
                    f"{', '.join(c for c in frame.columns if c != 'geometry') or 'none'}); "
                    "name it with `name_field` (--boundaries-name-field)",
                )
            ]
        )
    logger.info("%s: names of the %s found in field %r", file, _LEVEL_LABEL[level], best)
    return best


def _read_frame(level: Level, path: Path, name_field: str | None) -> gpd.GeoDataFrame:
    file = str(path)
    if not path.exists():
        raise DataError([Problem(file, "does not exist; expected a boundary file (GeoJSON, Shapefile, GeoPackage)")])
    try:
        raw = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises its own error types for unreadable files
        raise DataError([Problem(file, f"cannot be read as a GIS file: {exc}")]) from exc
    if raw.empty:
        raise DataError([Problem(file, "holds no features")])
    if raw.crs is None:
        minx, miny, maxx, maxy = raw.total_bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            raise DataError(
                [
                    Problem(
                        file,
                        "has no coordinate reference system and its coordinates are not "
                        "longitude/latitude; save it with its CRS (.prj)",
                    )
                ]
            )
        raw = raw.set_crs(schema.CRS)
    raw = raw.to_crs(schema.CRS)
    problems: list[Problem] = []
    kinds = raw.geometry.geom_type
    bad = [(i, k) for i, k in enumerate(kinds) if k not in ("Polygon", "MultiPolygon")]
    if bad:
        shown = ", ".join(f"feature {i}: {k}" for i, k in bad[:5])
        problems.append(
            Problem(
                file,
                f"{len(bad)} feature(s) are not polygons ({shown}); expected the units' "
                "areas as Polygon or MultiPolygon",
            )
        )
        raise DataError(problems)
    field = name_field if name_field is not None else _find_name_field(raw, level, file)
    if field not in raw.columns:
        raise DataError(
            [
                Problem(
                    file,
                    f"has no field {field!r}; its fields are: {', '.join(c for c in raw.columns if c != 'geometry')}",
                )
            ]
        )
    names: list[str | None] = []
    for i, value in enumerate(raw[field]):
        try:
            names.append(_resolve(level, value))
        except admin.UnknownUnitError as exc:
            problems.append(Problem(file, str(exc), i, None, field))
            names.append(None)
    if problems:
        raise DataError(problems)
    frame = gpd.GeoDataFrame({NAME: names}, geometry=raw.geometry.make_valid().to_numpy(), crs=schema.CRS)
    units = _units(level)
    missing = [n for _, n in units if n not in set(names)]
    if missing:
        raise DataError(
            [
                Problem(
                    file,
                    f"misses {len(missing)} of the {len(units)} {_LEVEL_LABEL[level]}: "
                    f"{', '.join(missing[:10])}{' …' if len(missing) > 10 else ''}",
                )
            ]
        )
    if frame[NAME].duplicated().any():  # a unit drawn as several features: one row each, dissolved
        frame = frame.dissolve(by=NAME, as_index=False)
    code = {n: c for c, n in units}
    frame[CODE] = frame[NAME].map(code)
    # A file that says it is approximate (such as a copy of the shipped districts) stays approximate.
    frame[APPROXIMATE] = bool(APPROXIMATE in raw.columns and raw[APPROXIMATE].fillna(False).all())
    frame = frame.sort_values(CODE, kind="stable").reset_index(drop=True)
    return gpd.GeoDataFrame(frame[[NAME, CODE, APPROXIMATE, "geometry"]], geometry="geometry", crs=schema.CRS)


@cache
def _shipped(level: Level) -> gpd.GeoDataFrame:
    frame = _read_frame(level, BOUNDARIES_DIR / FILES[level], NAME)
    frame.attrs[SHIPPED] = level  # carried by copies: see `is_shipped`
    return frame


SHIPPED = "creative_map_shipped"
"""The `attrs` key that marks a frame as a shipped layer (its level as the value)."""


def is_shipped(units: gpd.GeoDataFrame) -> bool:
    """Return whether a boundary layer is one the package ships (not a planner's file): the outputs that show
    it carry its notice (the 2025 wards' MIT notice, the districts' "approximate")."""
    return units.attrs.get(SHIPPED) in LEVELS


def load_boundaries(
    level: Level, path: str | os.PathLike[str] | None = None, *, name_field: str | None = None
) -> gpd.GeoDataFrame:
    """Load the boundary polygons of one level of units.

    Parameters
    ----------
    level
        ``"district"`` (the 30 pre-2025 districts) or ``"ward_2025"`` (the 126 units of 2025).
    path
        Any file GDAL reads (GeoJSON, Shapefile, GeoPackage), in any CRS; None loads the shipped file (the
        real 2025 units; the derived, approximate districts).
    name_field
        The field holding the units' names (any spelling the resolvers accept); None finds it.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per unit ordered by code, in EPSG:4326, with `name` (canonical full name), `code`,
        `approximate` (True for the shipped derived districts and for any file whose features all say
        `approximate: true`) and the (Multi)Polygon geometry.

    Raises
    ------
    DataError
        When the file is unreadable, holds something else than polygons, misses units, has names that are
        no unit (with suggestions) or no field of names.
    """
    if level not in LEVELS:
        raise ValueError(f"`level` must be 'district' or 'ward_2025', not {level!r}")
    if path is None and name_field is None:
        return _shipped(level).copy()
    target = Path(path) if path is not None else BOUNDARIES_DIR / FILES[level]
    return _read_frame(level, target, name_field)


def is_approximate(units: gpd.GeoDataFrame) -> bool:
    """Return whether a boundary layer is approximate (derived): true for the shipped districts, false for the
    shipped 2025 units (real boundaries), true for any layer that does not say."""
    if APPROXIMATE not in units.columns:
        return True
    return bool(units[APPROXIMATE].fillna(True).astype(bool).any())


# ------------------------------------------------------------------------------------------------ assignment

DISTRICT_JOINED = "district_joined"
WARD_2025_JOINED = "ward_2025_joined"
DISTRICT_DISTANCE_M = "district_distance_m"
WARD_2025_DISTANCE_M = "ward_2025_distance_m"
"""Distance in metres from the space's point to its stated unit, where the join disagrees (NaN otherwise)."""


def _points(spaces: gpd.GeoDataFrame) -> gpd.GeoSeries:
    if schema.REP_LON in spaces.columns and schema.REP_LAT in spaces.columns:
        return gpd.GeoSeries(
            gpd.points_from_xy(spaces[schema.REP_LON], spaces[schema.REP_LAT]), index=spaces.index, crs=schema.CRS
        )
    return spaces.geometry.to_crs(schema.CRS).representative_point()


def _join(points: gpd.GeoSeries, units: gpd.GeoDataFrame) -> pd.Series:
    """Name of the unit holding each point; the nearest unit for a point in none."""
    pts = gpd.GeoDataFrame(geometry=points.reset_index(drop=True))
    hits = gpd.sjoin(pts, units[[NAME, "geometry"]], how="left", predicate="intersects")
    # A point on a shared edge touches two units: keep the one that comes first in `units` (by code).
    hits = hits.sort_values("index_right", kind="stable").sort_index(kind="stable")
    hits = hits[~hits.index.duplicated(keep="first")]
    names = hits[NAME].reindex(pts.index)
    missing = names.isna()
    if missing.any():
        pts_proj = pts.loc[missing].to_crs(schema.CRS_PROJECTED)
        near = gpd.sjoin_nearest(pts_proj, units[[NAME, "geometry"]].to_crs(schema.CRS_PROJECTED), how="left")
        near = near[~near.index.duplicated(keep="first")]
        names.loc[missing] = near[NAME].reindex(pts_proj.index).to_numpy()
    return pd.Series(names.to_numpy(), index=points.index, dtype=object)


def _distance_to_stated(
    points: gpd.GeoSeries, stated: pd.Series, joined: pd.Series, units: gpd.GeoDataFrame
) -> pd.Series:
    out = pd.Series(np.nan, index=points.index, dtype=float)
    differ = stated.notna() & (stated != "") & (stated != joined)
    if not differ.any():
        return out
    units_proj = units.set_index(NAME).geometry.to_crs(schema.CRS_PROJECTED)
    known = differ & stated.isin(units_proj.index)
    pts_proj = points.loc[known].to_crs(schema.CRS_PROJECTED)
    targets = units_proj.reindex(stated.loc[known]).to_numpy()
    out.loc[known] = shapely.distance(pts_proj.to_numpy(), targets)
    return out


def assign_units(
    spaces: gpd.GeoDataFrame, *, districts: gpd.GeoDataFrame | None = None, wards: gpd.GeoDataFrame | None = None
) -> gpd.GeoDataFrame:
    """Return a copy of `spaces` with the district and 2025 unit each space's point falls in.

    Parameters
    ----------
    spaces
        Spaces (as `creative_map.io.load_spaces` returns them); the point joined is the representative point
        (`rep_lon`, `rep_lat` when present).
    districts, wards
        Boundary layers from `load_boundaries` (None: the shipped ones).

    Returns
    -------
    geopandas.GeoDataFrame
        A copy with `district_joined` and `ward_2025_joined` (the unit holding the point; the nearest unit
        when it falls in none) and `district_distance_m` / `ward_2025_distance_m`: the distance in metres from
        the point to the stated unit (`district`, `ward_2025`) where the join disagrees with it, NaN where it
        agrees.
    """
    out = spaces.copy()
    districts = load_boundaries("district") if districts is None else districts
    wards = load_boundaries("ward_2025") if wards is None else wards
    points = _points(spaces)
    for layer, joined_col, stated_col, dist_col in (
        (districts, DISTRICT_JOINED, schema.DISTRICT, DISTRICT_DISTANCE_M),
        (wards, WARD_2025_JOINED, schema.WARD_2025, WARD_2025_DISTANCE_M),
    ):
        joined = _join(points, layer) if len(points) else pd.Series([], index=points.index, dtype=object)
        out[joined_col] = joined
        stated = spaces[stated_col] if stated_col in spaces.columns else pd.Series(None, index=spaces.index)
        out[dist_col] = _distance_to_stated(points, stated, joined, layer)
    return out


# -------------------------------------------------------------------------------------------------- building


def _polygons_only(geom: Any) -> Any:
    """The (Multi)Polygon part of `geom` (make_valid may leave lines or points beside the areas)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts, grid_size=GRID_SIZE) if parts else Polygon()


def _normalised(geom: Any) -> Any:
    """`geom` valid, on the 5-decimal grid, as polygons only, in a canonical order of parts and vertices (so that
    normalising twice changes nothing), exterior rings counter-clockwise (RFC 7946)."""
    valid = _polygons_only(shapely.make_valid(geom))
    return shapely.orient_polygons(shapely.normalize(shapely.set_precision(valid, GRID_SIZE)))


def read_ward_source(path: str | os.PathLike[str]) -> gpd.GeoDataFrame:
    """Read a layer of the 126 real 2025 units and convert it to the shipped layer's schema.

    The file needs one feature per unit with its official ``code``, a ``name`` that resolves to the unit of
    that code (a short name such as ``Ba Đình`` or the full ``Phường Ba Đình``), and may carry
    ``area_km2_stated`` and ``population``: the vietnam-3d-map conversion described in
    ``data/boundaries/README.md``, or the shipped ``wards_2025.geojson`` itself (converting it again gives
    the same layer).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per unit ordered by code: `name` (canonical full name), `code`, `approximate` (False),
        `area_km2_stated`, `population` and the geometry (valid, on the 5-decimal grid).

    Raises
    ------
    DataError
        When a unit is missing or doubled, a code is none of Hanoi's units, or a name contradicts its code.
    """
    file = str(path)
    raw = gpd.read_file(path)
    if raw.crs is not None:
        raw = raw.to_crs(schema.CRS)
    missing_fields = [f for f in (CODE, NAME) if f not in raw.columns]
    if missing_fields:
        raise DataError([Problem(file, f"has no field {', '.join(map(repr, missing_fields))}")])
    by_code = {u.code: u for u in admin.units_2025()}
    problems = []
    for i, (code, name) in enumerate(zip(raw[CODE], raw[NAME], strict=True)):
        unit = by_code.get(str(code))
        if unit is None:
            problems.append(Problem(file, f"code {code!r} is none of Hanoi's 126 units of 2025", i, None, CODE))
        elif not _resolves("ward_2025", name) or _resolve("ward_2025", name) != unit.name:
            problems.append(Problem(file, f"name {name!r} is not the unit of code {code} ({unit.name})", i, None, NAME))
    codes = [str(c) for c in raw[CODE]]
    doubled = sorted({c for c in codes if codes.count(c) > 1})
    absent = [u.name for u in admin.units_2025() if u.code not in codes]
    if doubled:
        problems.append(Problem(file, f"holds codes {', '.join(doubled)} more than once"))
    if absent:
        problems.append(Problem(file, f"misses {len(absent)} of the 126 units: {', '.join(absent[:10])}"))
    if problems:
        raise DataError(problems)
    frame = pd.DataFrame({CODE: codes, NAME: [by_code[c].name for c in codes]})
    frame[APPROXIMATE] = False
    frame[AREA_STATED] = raw[AREA_STATED].astype(float).to_numpy() if AREA_STATED in raw.columns else np.nan
    frame[POPULATION] = raw[POPULATION].astype("Int64").to_numpy() if POPULATION in raw.columns else pd.NA
    layer = gpd.GeoDataFrame(frame, geometry=[_normalised(g) for g in raw.geometry], crs=schema.CRS)
    layer = layer.sort_values(CODE, kind="stable").reset_index(drop=True)
    return layer[[NAME, CODE, APPROXIMATE, AREA_STATED, POPULATION, "geometry"]]


def _coverage(geoms: Sequence[Any]) -> list[Any]:
    """Make the units a coverage: no overlaps, no gaps inside the city.

    A piece claimed by several units stays with the first (by code, as the spatial join does); a hole of
    the union (a sliver the simplification left between neighbours) goes to the unit sharing most of its
    edge.
    """
    tree = shapely.STRtree(geoms)
    pieces = []
    for i, geom in enumerate(geoms):
        earlier = [j for j in tree.query(geom, predicate="intersects") if j < i]
        taken = shapely.union_all([geoms[j] for j in earlier], grid_size=GRID_SIZE) if earlier else None
        pieces.append(geom if taken is None else shapely.difference(geom, taken, grid_size=GRID_SIZE))
    union = shapely.union_all(pieces, grid_size=GRID_SIZE)
    holes = [Polygon(ring) for part in shapely.get_parts(union) for ring in part.interiors]
    tree = shapely.STRtree(pieces)
    extra: dict[int, list[Any]] = defaultdict(list)
    for hole in holes:
        near = sorted(tree.query(hole, predicate="intersects"))
        if not near:
            continue
        edge = hole.exterior
        shared = [shapely.intersection(edge, pieces[j], grid_size=GRID_SIZE).length for j in near]
        extra[int(near[int(np.argmax(shared))])].append(hole)
    return [shapely.union_all([p, *extra[i]], grid_size=GRID_SIZE) if extra.get(i) else p for i, p in enumerate(pieces)]


def old_wards_by_unit() -> dict[str, list[admin.OldWard]]:
    """The pre-2025 wards that went (wholly or in part) into each 2025 unit, by the unit's name, in code order."""
    into: dict[str, list[admin.OldWard]] = defaultdict(list)
    for ward in admin.old_wards():
        for unit in admin.units_2025_for_old_ward(ward):
            into[unit.name].append(ward)
    return dict(into)


def _split_unit(unit: Any, wards: Sequence[admin.OldWard], districts: Sequence[str]) -> dict[str, Any]:
    """Share the polygon `unit` among the `districts` its old `wards` came from.

    Grid cells over the unit go to the nearest old ward centroid, distances divided by the square root of
    the ward's bounding-box area, among the wards whose box holds the cell (any ward where none does); the
    cells of each district, simplified together, are cut by the unit's polygon.
    """
    minx, miny, maxx, maxy = unit.bounds
    lon_edges = np.arange(math.floor(minx / GRID_DEG) - 2, math.ceil(maxx / GRID_DEG) + 3) * GRID_DEG
    lat_edges = np.arange(math.floor(miny / GRID_DEG) - 2, math.ceil(maxy / GRID_DEG) + 3) * GRID_DEG
    lon_c, lat_c = (lon_edges[:-1] + lon_edges[1:]) / 2, (lat_edges[:-1] + lat_edges[1:]) / 2
    lon2, lat2 = np.meshgrid(lon_c, lat_c)
    x, y = _TO_UTM.transform(lon2, lat2)
    best = np.full(lon2.shape, np.inf)
    fallback = np.full(lon2.shape, np.inf)
    owner = np.full(lon2.shape, -1, dtype=np.int32)
    nearest = np.full(lon2.shape, -1, dtype=np.int32)
    for i, w in enumerate(wards):
        cx, cy = _TO_UTM.transform(w.lon, w.lat)
        bx0, by0 = _TO_UTM.transform(w.bbox[0], w.bbox[1])
        bx1, by1 = _TO_UTM.transform(w.bbox[2], w.bbox[3])
        d = np.hypot(x - cx, y - cy) / math.sqrt(abs((bx1 - bx0) * (by1 - by0)))
        inside = (w.bbox[0] <= lon2) & (lon2 <= w.bbox[2]) & (w.bbox[1] <= lat2) & (lat2 <= w.bbox[3])
        closer = inside & (d < best)
        best[closer], owner[closer] = d[closer], i
        closer = d < fallback
        fallback[closer], nearest[closer] = d[closer], i
    owner = np.where(owner >= 0, owner, nearest)
    index = {d: k for k, d in enumerate(districts)}
    labels = np.array([index[w.district] for w in wards], dtype=np.int32)[owner]
    cells = _polygonise(labels, len(districts), lon_edges, lat_edges)
    simplified = shapely.coverage_simplify(np.asarray(cells, dtype=object), SIMPLIFY_DEG)
    return {d: shapely.intersection(s, unit, grid_size=GRID_SIZE) for d, s in zip(districts, simplified, strict=True)}


def _polygonise(labels: np.ndarray, n: int, lon_edges: np.ndarray, lat_edges: np.ndarray) -> list[Any]:
    """One (Multi)Polygon per label 0..n-1: the union of its cells, built from runs along each row."""
    boxes: list[list[Any]] = [[] for _ in range(n)]
    for r in range(labels.shape[0]):
        row = labels[r]
        change = np.flatnonzero(np.diff(row)) + 1
        starts = np.concatenate(([0], change))
        ends = np.concatenate((change, [row.size]))
        for s, e in zip(starts, ends, strict=True):
            if row[s] >= 0:
                boxes[row[s]].append(box(lon_edges[s], lat_edges[r], lon_edges[e], lat_edges[r + 1]))
    return [shapely.union_all(b) if b else Polygon() for b in boxes]


def derive_districts(wards: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Derive the 30 pre-2025 districts from a layer of the real 2025 units (steps 1-3 of the README's method).

    Parameters
    ----------
    wards
        The 126 units (`load_boundaries("ward_2025")` or `read_ward_source`).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per district ordered by code: `name`, `code`, `approximate` (True) and the geometry: the union
        of its old wards' pieces of the units.
    """
    by_name = dict(zip(wards[NAME], _coverage(list(wards.geometry)), strict=True))
    into = old_wards_by_unit()
    order = {d.name: i for i, d in enumerate(admin.districts())}
    parts: dict[str, list[Any]] = defaultdict(list)
    for unit in admin.units_2025():
        old = into[unit.name]
        districts = sorted({w.district for w in old}, key=order.__getitem__)
        if len(districts) == 1:
            parts[districts[0]].append(by_name[unit.name])
            continue
        for district, piece in _split_unit(by_name[unit.name], old, districts).items():
            parts[district].append(piece)
    rows = admin.districts()
    geoms = [_normalised(shapely.union_all(parts[d.name], grid_size=GRID_SIZE)) for d in rows]
    frame = gpd.GeoDataFrame(
        {NAME: [d.name for d in rows], CODE: [d.code for d in rows]}, geometry=geoms, crs=schema.CRS
    )
    frame[APPROXIMATE] = True
    return frame[[NAME, CODE, APPROXIMATE, "geometry"]]


def _feature_collection(level: Level, frame: gpd.GeoDataFrame) -> str:
    columns = [c for c in frame.columns if c != "geometry"]
    features = []
    for row, geom in zip(frame[columns].itertuples(index=False), frame.geometry, strict=True):
        props = {c: _json_value(v) for c, v in zip(columns, row, strict=True)}
        geo = json.loads(json.dumps(mapping(geom)))  # tuples to lists
        features.append({"type": "Feature", "properties": props, "geometry": geo})
    collection = {
        "type": "FeatureCollection",
        "name": FILES[level].removesuffix(".geojson"),
        "metadata": {**_METADATA[level], "level": level, "units": len(frame), "crs": "EPSG:4326"},
        "features": features,
    }
    return json.dumps(collection, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def _json_value(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def build_layers(source: str | os.PathLike[str] | None = None) -> dict[Level, gpd.GeoDataFrame]:
    """Convert the real 2025 layer and derive the districts from it, without writing them.

    Parameters
    ----------
    source
        The real 2025 layer to convert (see `read_ward_source`); None: the shipped ``wards_2025.geojson``.
    """
    wards = read_ward_source(BOUNDARIES_DIR / FILES["ward_2025"] if source is None else source)
    return {"district": derive_districts(wards), "ward_2025": wards}


def build_boundaries(
    directory: str | os.PathLike[str] | None = None,
    *,
    source: str | os.PathLike[str] | None = None,
    force: bool = True,
) -> list[Path]:
    """Write both shipped layers: the real 2025 units converted, the districts derived; the same bytes on every run.

    Parameters
    ----------
    directory
        Where to write ``districts.geojson`` and ``wards_2025.geojson`` (default: `BOUNDARIES_DIR`).
    source
        The real 2025 layer to convert (default: the shipped ``wards_2025.geojson``, which converts to itself).
    force
        Replace existing files.

    Returns
    -------
    list of pathlib.Path
        The files written.

    Raises
    ------
    NotADirectoryError, PermissionError
        At once, before the layers are computed, when nothing can be written in `directory`.
    """
    target = check_writable_dir(Path(directory) if directory is not None else BOUNDARIES_DIR)
    written = []
    for level, frame in build_layers(source).items():
        text = _feature_collection(level, frame)
        path = target / FILES[level]
        with atomic_path(path, force=force) as tmp:
            tmp.write_text(text, encoding="utf-8")
        logger.info("wrote %s (%d units, %d bytes)", path, len(frame), len(text.encode()))
        written.append(path)
    _shipped.cache_clear()
    return written


# -------------------------------------------------------------------------------------------------- accuracy


def geodesic_area_km2(geom: Any) -> float:
    """Area of a lon/lat (Multi)Polygon on the WGS84 ellipsoid, in km²."""
    area, _ = Geod(ellps="WGS84").geometry_area_perimeter(geom)
    return abs(area) / 1e6


def accuracy_table(wards: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """Compare a 2025 layer's areas with the areas `vietnamadminunits` states for the 126 units.

    Returns
    -------
    pandas.DataFrame
        One row per unit: `name`, `stated_km2`, `area_km2` (UTM 48N), `error_pct` (signed, relative to the
        stated area), `centroid_inside` (whether the stated centroid falls in the unit's polygon).
    """
    wards = load_boundaries("ward_2025") if wards is None else wards
    stated = {u.name: u for u in admin.units_2025()}
    area = wards.to_crs(schema.CRS_PROJECTED).area.to_numpy() / 1e6
    table = pd.DataFrame(
        {NAME: wards[NAME].to_numpy(), "stated_km2": [stated[n].area_km2 for n in wards[NAME]], "area_km2": area}
    )
    table["error_pct"] = 100 * (table["area_km2"] - table["stated_km2"]) / table["stated_km2"]
    table["centroid_inside"] = [
        bool(shapely.contains_xy(g, stated[n].lon, stated[n].lat))
        for n, g in zip(wards[NAME], wards.geometry, strict=True)
    ]
    return table


def stated_district_areas() -> pd.DataFrame:
    """The areas published for the 30 pre-2025 districts (``district_areas.csv``: `name`, `stated_km2`, `source`)."""
    table = pd.read_csv(BOUNDARIES_DIR / DISTRICT_AREAS, dtype={"stated_km2": float}, keep_default_na=False)
    table[NAME] = [admin.resolve_district(n).name for n in table[NAME]]
    return table


def district_accuracy_table(districts: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """Compare a district layer's areas with the published ones (`stated_district_areas`).

    Returns
    -------
    pandas.DataFrame
        One row per district: `name`, `stated_km2`, `area_km2` (UTM 48N), `error_pct` (signed),
        `centroid_inside` (whether the district's stated centroid, from `vietnamadminunits`, falls in it).
    """
    districts = load_boundaries("district") if districts is None else districts
    stated = stated_district_areas().set_index(NAME)["stated_km2"]
    centre = {d.name: d for d in admin.districts()}
    area = districts.to_crs(schema.CRS_PROJECTED).area.to_numpy() / 1e6
    table = pd.DataFrame(
        {NAME: districts[NAME].to_numpy(), "stated_km2": stated.reindex(districts[NAME]).to_numpy(), "area_km2": area}
    )
    table["error_pct"] = 100 * (table["area_km2"] - table["stated_km2"]) / table["stated_km2"]
    table["centroid_inside"] = [
        bool(shapely.contains_xy(g, centre[n].lon, centre[n].lat))
        for n, g in zip(districts[NAME], districts.geometry, strict=True)
    ]
    return table
