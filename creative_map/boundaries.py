"""Boundary layers of Hanoi's units: the 30 pre-2025 districts and the 126 wards and communes of 2025.

No package carries Hanoi's boundary polygons, so the shipped layers (``creative_map/resources/boundaries/``)
are *derived*: approximate, not legal boundaries. `build_boundaries` makes them from what
`vietnamadminunits` carries (centroid and bounding box of each of the 526 pre-2025 wards, the old-to-new
mapping of 2025):

1. Hanoi's outline is the union of the old wards' bounding boxes, holes filled (each bounding box holds
   its ward, so the outline holds the city; it overshoots where boxes stick out past the border).
2. A grid of ``GRID_DEG`` cells covers the outline. Each cell goes to the old ward whose centroid is
   nearest, among the wards whose bounding box holds the cell (a Voronoi diagram kept inside each ward's
   box); distances are divided by the square root of the ward's box area, so a large rural commune
   reaches further than a small inner-city ward (a multiplicatively weighted Voronoi diagram). Cells that
   no box holds (filled holes) go to the nearest centroid.
3. Old wards are dissolved into their district; for 2025 each cell goes to the nearest centroid among the
   2025 units its old ward went into (this splits the old wards that were divided).
4. The cells are polygonised, simplified as a coverage (neighbours keep shared edges) and written with
   coordinates rounded to 5 decimals, sorted keys and features ordered by code: `build_boundaries` run
   twice writes the same bytes.

A planner with official boundaries loads them instead with `load_boundaries(level, path)`: any file GDAL
reads, names matched through `creative_map.admin`'s resolvers.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Geod, Transformer
from shapely.geometry import MultiPolygon, Polygon, box, mapping

from creative_map import admin, schema
from creative_map.atomic import atomic_path
from creative_map.errors import DataError, Problem
from creative_map.types import LEVELS, Level

__all__ = [
    "APPROXIMATE_NOTE",
    "BOUNDARIES_DIR",
    "FILES",
    "accuracy_table",
    "allocate_cells",
    "assign_units",
    "build_boundaries",
    "build_layers",
    "geodesic_area_km2",
    "is_approximate",
    "load_boundaries",
]

logger = logging.getLogger(__name__)

BOUNDARIES_DIR = Path(str(resources.files("creative_map") / "resources" / "boundaries"))
"""Where the shipped layers are: package data, so an installed wheel carries them."""
FILES: dict[str, str] = {"district": "districts.geojson", "ward_2025": "wards_2025.geojson"}
"""The shipped file of each level, in `BOUNDARIES_DIR`."""

GRID_DEG = 0.0005
"""Side of a grid cell in degrees (about 52 m east-west, 55 m north-south at Hanoi)."""
SIMPLIFY_DEG = 0.0004
"""Tolerance of the coverage simplification, in degrees (about 40 m)."""
DECIMALS = 5

APPROXIMATE_NOTE = (
    "Approximate boundaries derived from ward centroids and bounding boxes (vietnamadminunits); "
    "not legal boundaries. Đường ranh giới gần đúng, không phải địa giới hành chính chính thức."
)

# Column names of a boundary frame.
NAME = "name"
CODE = "code"
APPROXIMATE = "approximate"

_LEVEL_LABEL = {"district": "pre-2025 districts", "ward_2025": "2025 wards and communes"}


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


def _read_frame(level: Level, path: Path, name_field: str | None, *, approximate: bool) -> gpd.GeoDataFrame:
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
    # A file that says it is approximate (such as a copy of the shipped ones) stays approximate.
    frame[APPROXIMATE] = approximate or bool(APPROXIMATE in raw.columns and raw[APPROXIMATE].fillna(False).all())
    frame = frame.sort_values(CODE, kind="stable").reset_index(drop=True)
    return gpd.GeoDataFrame(frame[[NAME, CODE, APPROXIMATE, "geometry"]], geometry="geometry", crs=schema.CRS)


@cache
def _shipped(level: Level) -> gpd.GeoDataFrame:
    return _read_frame(level, BOUNDARIES_DIR / FILES[level], NAME, approximate=True)


def load_boundaries(
    level: Level, path: str | os.PathLike[str] | None = None, *, name_field: str | None = None
) -> gpd.GeoDataFrame:
    """Load the boundary polygons of one level of units.

    Parameters
    ----------
    level
        ``"district"`` (the 30 pre-2025 districts) or ``"ward_2025"`` (the 126 units of 2025).
    path
        Any file GDAL reads (GeoJSON, Shapefile, GeoPackage), in any CRS; None loads the shipped,
        approximate file.
    name_field
        The field holding the units' names (any spelling the resolvers accept); None finds it.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per unit ordered by code, in EPSG:4326, with `name` (canonical full name), `code`,
        `approximate` (True for the shipped derived layers) and the (Multi)Polygon geometry.

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
    return _read_frame(level, target, name_field, approximate=path is None)


def is_approximate(units: gpd.GeoDataFrame) -> bool:
    """Return whether a boundary layer is approximate (derived): true for the shipped layers, and for any layer
    that does not say otherwise."""
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
        Boundary layers from `load_boundaries` (None: the shipped approximate ones).

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


def _grid() -> tuple[np.ndarray, np.ndarray]:
    """Edges (lon, lat) of the grid covering every old ward's bounding box, on multiples of `GRID_DEG`."""
    boxes = np.array([w.bbox for w in admin.old_wards()])
    lo = np.floor(boxes[:, :2].min(axis=0) / GRID_DEG).astype(int) - 1
    hi = np.ceil(boxes[:, 2:].max(axis=0) / GRID_DEG).astype(int) + 1
    return (np.arange(lo[0], hi[0] + 1) * GRID_DEG, np.arange(lo[1], hi[1] + 1) * GRID_DEG)


def _outline() -> Polygon | MultiPolygon:
    union = shapely.union_all([box(*w.bbox) for w in admin.old_wards()])
    parts = [Polygon(p.exterior) for p in getattr(union, "geoms", [union])]
    return shapely.union_all(parts)


def allocate_cells(*, weighted: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Give each grid cell an old ward: step 2 of the method (see the module's docstring).

    Returns
    -------
    tuple
        The grid's lon edges, lat edges, and an int array (rows: lat, columns: lon) of indices into
        `admin.old_wards()`, -1 outside Hanoi's outline.
    """
    lon_edges, lat_edges = _grid()
    lon_c, lat_c = (lon_edges[:-1] + lon_edges[1:]) / 2, (lat_edges[:-1] + lat_edges[1:]) / 2
    lon2, lat2 = np.meshgrid(lon_c, lat_c)
    to_utm = Transformer.from_crs(schema.CRS, schema.CRS_PROJECTED, always_xy=True)
    x, y = to_utm.transform(lon2, lat2)
    inside = shapely.contains_xy(_outline(), lon2, lat2)
    wards = admin.old_wards()
    cx, cy = to_utm.transform([w.lon for w in wards], [w.lat for w in wards])
    bx0, by0 = to_utm.transform([w.bbox[0] for w in wards], [w.bbox[1] for w in wards])
    bx1, by1 = to_utm.transform([w.bbox[2] for w in wards], [w.bbox[3] for w in wards])
    scale = np.sqrt(np.abs((np.array(bx1) - bx0) * (np.array(by1) - by0))) if weighted else np.ones(len(wards))
    best = np.full(lon2.shape, np.inf)
    owner = np.full(lon2.shape, -1, dtype=np.int32)
    for i, w in enumerate(wards):
        c0, c1 = np.searchsorted(lon_c, w.bbox[0]), np.searchsorted(lon_c, w.bbox[2], side="right")
        r0, r1 = np.searchsorted(lat_c, w.bbox[1]), np.searchsorted(lat_c, w.bbox[3], side="right")
        d = np.hypot(x[r0:r1, c0:c1] - cx[i], y[r0:r1, c0:c1] - cy[i]) / scale[i]
        sub_best, sub_owner = best[r0:r1, c0:c1], owner[r0:r1, c0:c1]
        closer = d < sub_best
        sub_best[closer] = d[closer]
        sub_owner[closer] = i
    holes = inside & (owner < 0)
    if holes.any():  # inside the outline but in no box: the nearest centroid
        hx, hy = x[holes], y[holes]
        d = np.hypot(hx[:, None] - np.asarray(cx)[None, :], hy[:, None] - np.asarray(cy)[None, :]) / scale[None, :]
        owner[holes] = np.argmin(d, axis=1)
    owner[~inside] = -1
    return lon_edges, lat_edges, owner


def _labels_2025(owner: np.ndarray, lon_edges: np.ndarray, lat_edges: np.ndarray) -> np.ndarray:
    """Index into `admin.units_2025()` of each cell: its old ward's unit, the nearest one if it was divided."""
    units = admin.units_2025()
    index = {u.name: i for i, u in enumerate(units)}
    wards = admin.old_wards()
    lon_c, lat_c = (lon_edges[:-1] + lon_edges[1:]) / 2, (lat_edges[:-1] + lat_edges[1:]) / 2
    to_utm = Transformer.from_crs(schema.CRS, schema.CRS_PROJECTED, always_xy=True)
    ux, uy = to_utm.transform([u.lon for u in units], [u.lat for u in units])
    out = np.full(owner.shape, -1, dtype=np.int32)
    for i, w in enumerate(wards):
        rows, cols = np.nonzero(owner == i)
        parts = [index[u.name] for u in admin.units_2025_for_old_ward(w)]
        if not parts:
            raise ValueError(f"old ward {w.name} ({w.district}) has no 2025 unit in the converter")
        if len(parts) == 1 or rows.size == 0:
            out[rows, cols] = parts[0]
            continue
        x, y = to_utm.transform(lon_c[cols], lat_c[rows])
        d = np.hypot(x[:, None] - np.asarray(ux)[parts][None, :], y[:, None] - np.asarray(uy)[parts][None, :])
        out[rows, cols] = np.asarray(parts)[np.argmin(d, axis=1)]
    return out


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


def _rounded(geom: Any) -> Any:
    return shapely.set_precision(geom, 10.0**-DECIMALS)


def _feature_collection(level: Level, rows: list[dict[str, Any]], geoms: Sequence[Any]) -> str:
    features = []
    for props, geom in zip(rows, geoms, strict=True):
        geo = json.loads(json.dumps(mapping(geom)))  # tuples to lists
        features.append({"type": "Feature", "properties": props, "geometry": geo})
    collection = {
        "type": "FeatureCollection",
        "name": FILES[level].removesuffix(".geojson"),
        "metadata": {
            "approximate": True,
            "note": APPROXIMATE_NOTE,
            "level": level,
            "units": len(rows),
            "method": "weighted Voronoi cells of the 526 pre-2025 wards' centroids kept inside their bounding "
            f"boxes, on a {GRID_DEG} degree grid, dissolved; see data/boundaries/README.md",
            "source": "vietnamadminunits 1.0.4 (MIT): dataset.db, converter_2025.json",
            "licence": "CC BY 4.0 (derived work); source data MIT",
            "crs": "EPSG:4326",
        },
        "features": features,
    }
    return json.dumps(collection, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def build_layers(*, weighted: bool = True) -> dict[Level, gpd.GeoDataFrame]:
    """Derive both layers (steps 1-4 of the method) without writing them."""
    lon_edges, lat_edges, owner = allocate_cells(weighted=weighted)
    wards = admin.old_wards()
    districts = admin.districts()
    d_index = {d.name: i for i, d in enumerate(districts)}
    ward_to_district = np.array([d_index[w.district] for w in wards], dtype=np.int32)
    d_labels = np.where(owner >= 0, ward_to_district[np.maximum(owner, 0)], -1)
    u_labels = _labels_2025(owner, lon_edges, lat_edges)
    units = admin.units_2025()
    layers: dict[Level, gpd.GeoDataFrame] = {}
    levels: tuple[tuple[Level, np.ndarray, list[tuple[str, str]]], ...] = (
        ("district", d_labels, [(d.code, d.name) for d in districts]),
        ("ward_2025", u_labels, [(u.code, u.name) for u in units]),
    )
    for level, labels, rows in levels:
        geoms = _polygonise(labels, len(rows), lon_edges, lat_edges)
        simplified = shapely.coverage_simplify(np.asarray(geoms, dtype=object), SIMPLIFY_DEG)
        rounded = [_rounded(shapely.make_valid(g)) for g in simplified]
        frame = gpd.GeoDataFrame(
            {CODE: [c for c, _ in rows], NAME: [n for _, n in rows]}, geometry=rounded, crs=schema.CRS
        )
        frame[APPROXIMATE] = True
        layers[level] = frame[[NAME, CODE, APPROXIMATE, "geometry"]]
    return layers


def build_boundaries(directory: str | os.PathLike[str] | None = None, *, force: bool = True) -> list[Path]:
    """Derive and write both shipped layers; the same bytes on every run.

    Parameters
    ----------
    directory
        Where to write ``districts.geojson`` and ``wards_2025.geojson`` (default: `BOUNDARIES_DIR`).
    force
        Replace existing files.

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    target = Path(directory) if directory is not None else BOUNDARIES_DIR
    written = []
    for level, frame in build_layers().items():
        rows = [{NAME: n, CODE: c, APPROXIMATE: True} for n, c in zip(frame[NAME], frame[CODE], strict=True)]
        text = _feature_collection(level, rows, list(frame.geometry))
        path = target / FILES[level]
        with atomic_path(path, force=force) as tmp:
            tmp.write_text(text, encoding="utf-8")
        logger.info("wrote %s (%d units, %d bytes)", path, len(rows), len(text.encode()))
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
