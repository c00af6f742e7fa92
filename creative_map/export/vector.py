"""The GIS formats, all written by GDAL through pyogrio: GeoJSON (RFC 7946), GeoPackage, a zip of Shapefiles.

Every GDAL option is passed with the write it applies to (``layer_options``); none is set process-wide
(`pyogrio.set_gdal_config_options`), because the app writes exports from several threads at once.
"""

from __future__ import annotations

import contextlib
import csv
import io
import sqlite3
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyogrio
import shapely
from shapely.geometry.base import BaseGeometry

from creative_map import analysis, schema
from creative_map.dataset import Selection
from creative_map.export._common import LAYER_OF_LEVEL, ExportOptions, cell_text, flat_frame, write_zip
from creative_map.types import LEVELS

__all__ = [
    "DBF_MAX_BYTES",
    "GEOJSON_LAYER_OPTIONS",
    "shapefile_field_names",
    "shapefile_members",
    "write_geojson",
    "write_gpkg",
    "write_shp",
]

# --- GeoJSON ------------------------------------------------------------------------------------------------

_ID_MEMBER: Final = "_feature_id"
"""A copy of `id` that GDAL writes as each Feature's ``id`` member (ID_FIELD takes the field out of the
properties, and the properties keep every schema field, `id` included)."""

GEOJSON_LAYER_OPTIONS: Final[dict[str, str]] = {
    "RFC7946": "YES",  # WGS 84 lon/lat, exterior rings counter-clockwise, no `crs` member, 7 decimals (~1 cm)
    "WRITE_NAME": "NO",  # no foreign `name` member at the top
    "ID_FIELD": _ID_MEMBER,
    # GDAL would otherwise write any text that looks like a JSON array or object ("[1, 2]") as JSON.
    "AUTODETECT_JSON_STRINGS": "NO",
}
"""How GDAL writes the GeoJSON export (GDAL >= 3.8)."""

_LIST_FIELDS: Final = frozenset(f.name for f in schema.SPACE_FIELDS if f.kind.startswith("list of"))
_TEXT: Final = pd.ArrowDtype(pa.string())
_TEXT_LIST: Final = pd.ArrowDtype(pa.list_(pa.string()))


def _json_list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list | tuple) else []


def write_geojson(selection: Selection, path: Path, options: ExportOptions) -> None:
    """Write an RFC 7946 FeatureCollection: WGS 84, no ``crs`` member, every schema field, UTF-8.

    List fields (`sources`) are JSON arrays of strings, missing texts are ``""``, and each Feature's ``id`` is the
    space's id. Written by GDAL's GeoJSON driver (`GEOJSON_LAYER_OPTIONS`) from Arrow columns: the arrays need
    GDAL's string-list type, which pyogrio only writes from a typed Arrow column.
    """
    spaces = selection.spaces
    columns: dict[str, pd.Series] = {}
    for c in schema.SPACE_COLUMNS:
        if c in _LIST_FIELDS:
            columns[c] = pd.Series([_json_list(v) for v in spaces[c]], dtype=_TEXT_LIST)
        else:
            columns[c] = pd.Series([cell_text(v) for v in spaces[c]], dtype=_TEXT)
    columns[_ID_MEMBER] = columns[schema.ID]
    frame = gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries(spaces.geometry.to_numpy(), crs=schema.CRS))
    pyogrio.write_dataframe(
        frame, path, driver="GeoJSON", layer="spaces", use_arrow=True, layer_options=GEOJSON_LAYER_OPTIONS
    )


# --- GeoPackage ---------------------------------------------------------------------------------------------


def _points(geom: BaseGeometry) -> Iterator[BaseGeometry]:
    yield from (geom.geoms if hasattr(geom, "geoms") else [geom])


def _events_layer(events: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the events as a flat layer (lists joined; geometry: the MultiPoint of their spaces)."""
    flat = flat_frame(events, schema.EVENT_COLUMNS)
    flat.geometry = gpd.GeoSeries(
        [None if g is None else shapely.MultiPoint(list(_points(g))) for g in flat.geometry], crs=schema.CRS
    )
    return flat


def _unit_layer(units: gpd.GeoDataFrame, stats: pd.DataFrame) -> gpd.GeoDataFrame:
    """Return the unit polygons (MultiPolygon), sorted by name, with the statistics columns joined by name."""
    layer = units.to_crs(schema.CRS).sort_values("name", kind="stable").reset_index(drop=True)
    layer = layer.set_geometry(
        gpd.GeoSeries(
            [shapely.MultiPolygon([g]) if g.geom_type == "Polygon" else g for g in layer.geometry], crs=schema.CRS
        )
    )
    if not stats.empty:
        extra = stats.drop(columns=[c for c in stats.columns if c in layer.columns and c != "name"], errors="ignore")
        if "name" in extra.columns:
            layer = layer.merge(extra, on="name", how="left")
    return layer


def _stamp_contents(path: Path, stamp: str) -> None:
    """Set the GeoPackage's ``gpkg_contents.last_change`` of every layer to `stamp`.

    GDAL takes that timestamp from the clock, or from the ``OGR_CURRENT_DATE`` configuration option, which
    exists only process-wide (no creation option carries it) and must not be set in a multi-threaded server.
    So the file GDAL closed is stamped here, in one SQL update; ``secure_delete`` zeroes the bytes of the old
    timestamps, so the file holds nothing of the clock.
    """
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA secure_delete = ON")
        with db:
            db.execute("UPDATE gpkg_contents SET last_change = ?", (stamp,))


def write_gpkg(selection: Selection, path: Path, options: ExportOptions) -> None:
    """Write a GeoPackage with layers ``spaces``, ``events``, ``districts`` and ``wards_2025``.

    The unit layers carry the statistics of the selected spaces per unit (`analysis.unit_statistics`), and
    each has an ``approximate`` column. The layers' timestamps are the export date, so the content is stable.
    """
    layers: list[tuple[str, gpd.GeoDataFrame, str]] = [
        ("spaces", flat_frame(selection.spaces, schema.SPACE_COLUMNS), ""),
        ("events", _events_layer(selection.events), ""),
    ]
    notes = dict(zip(LEVELS, options.boundary_notes("en"), strict=True))
    for level in LEVELS:
        units = options.units[level]
        stats = analysis.unit_statistics(selection, units, level=level)
        layers.append((LAYER_OF_LEVEL[level], _unit_layer(units, stats), notes[level]))
    for name, layer, description in layers:
        pyogrio.write_dataframe(
            layer,
            path,
            layer=name,
            driver="GPKG",
            geometry_type="Unknown" if name == "spaces" else None,
            # the unit layers say where their polygons come from (the 2025 wards' MIT notice among them)
            layer_options={"IDENTIFIER": name} | ({"DESCRIPTION": description} if description else {}),
            append=path.exists(),
        )
    _stamp_contents(path, f"{options.date.isoformat()}T00:00:00Z")


# --- Shapefile zip ------------------------------------------------------------------------------------------

DBF_MAX_BYTES: Final = 254
"""A dBASE text field holds at most 254 bytes: longer texts are cut (on a character boundary) in the shp."""

_SHAPE_FAMILIES: Final[dict[str, str]] = {
    "Point": "points",
    "MultiPoint": "points",
    "LineString": "lines",
    "MultiLineString": "lines",
    "Polygon": "polygons",
    "MultiPolygon": "polygons",
}
_SHORT_NAMES: Final[dict[str, str]] = {
    schema.DESCRIPTION_VI: "desc_vi",
    schema.DESCRIPTION_EN: "desc_en",
    schema.OPENING_HOURS: "open_hours",
    schema.LEAD_AGENCY: "lead_agenc",
    schema.NETWORK_MEMBER_COL: "net_member",
    schema.LAST_VERIFIED: "verified",
    schema.POSITION_PRECISION: "precision",
    schema.POSITION_NOTE: "pos_note",
}


def shapefile_field_names(columns: tuple[str, ...] = schema.SPACE_COLUMNS) -> dict[str, str]:
    """Return the dBASE field name (10 characters at most, unique) of each column.

    Known long names get a readable short form (``description_vi`` -> ``desc_vi``); any other long name is
    cut to 10 characters, and a clash is resolved with a digit suffix.
    """
    names: dict[str, str] = {}
    for column in columns:
        short = _SHORT_NAMES.get(column, column)[:10]
        n = 1
        while short in names.values():
            suffix = str(n)
            short = column[: 10 - len(suffix)] + suffix
            n += 1
        names[column] = short
    return names


def _cut_utf8(text: str, limit: int = DBF_MAX_BYTES) -> str:
    """Return `text` cut to at most `limit` UTF-8 bytes, on a character boundary."""
    raw = text.encode("utf-8")
    return text if len(raw) <= limit else raw[:limit].decode("utf-8", errors="ignore")


def _field_table(names: Mapping[str, str]) -> bytes:
    """Return the field-name table of the shapefiles, as CSV (UTF-8 with BOM)."""
    docs = {f.name: f.doc for f in schema.SPACE_FIELDS}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["shapefile_field", "full_name", "meaning"])
    for full, short in names.items():
        writer.writerow([short, full, docs.get(full, "")])
    note = (
        f"Text longer than {DBF_MAX_BYTES} bytes is cut in the shapefiles (a dBASE limit); "
        "the GeoJSON, CSV and GeoPackage exports hold it whole."
    )
    writer.writerow(["", "", note])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _promote(geom: BaseGeometry, multi: bool) -> BaseGeometry:
    """Return `geom` as its Multi* type when `multi` (a shapefile layer holds one geometry type)."""
    if not multi or geom.geom_type.startswith("Multi"):
        return geom
    make = {"Point": shapely.MultiPoint, "LineString": shapely.MultiLineString, "Polygon": shapely.MultiPolygon}
    return make[geom.geom_type]([geom])


def shapefile_members(selection: Selection, options: ExportOptions) -> dict[str, bytes]:
    """Return the files of the shapefile zip: one shapefile per geometry type, and ``fields.csv``.

    Points go to ``spaces_points`` (MultiPoint only if one is), lines to ``spaces_lines`` (MultiLineString),
    areas to ``spaces_polygons`` (MultiPolygon); each shapefile is UTF-8 with a ``.cpg``. Texts are cut to the
    254 bytes dBASE holds. With no space at all, an empty ``spaces_points`` is written so the zip holds a layer.
    """
    names = shapefile_field_names()
    flat = flat_frame(selection.spaces, schema.SPACE_COLUMNS)
    for column in schema.SPACE_COLUMNS:
        flat[column] = [_cut_utf8(v) for v in flat[column]]
    flat = flat.rename(columns=names)
    family = [_SHAPE_FAMILIES[g.geom_type] for g in flat.geometry]
    members: dict[str, bytes] = {"fields.csv": _field_table(names)}
    with tempfile.TemporaryDirectory(prefix="creative_map_shp_") as tmp:
        for group in sorted(set(family)) or ["points"]:
            layer = flat.loc[[f == group for f in family]].reset_index(drop=True)
            multi = group != "points" or any(g.geom_type == "MultiPoint" for g in layer.geometry)
            layer = layer.set_geometry(gpd.GeoSeries([_promote(g, multi) for g in layer.geometry], crs=schema.CRS))
            target = {"points": "Point", "lines": "LineString", "polygons": "Polygon"}[group]
            stem = f"spaces_{group}"
            pyogrio.write_dataframe(
                layer,
                Path(tmp) / f"{stem}.shp",
                driver="ESRI Shapefile",
                encoding="UTF-8",
                geometry_type=f"Multi{target}" if multi else target,
                layer_options={"DBF_DATE_LAST_UPDATE": options.date.isoformat()},
            )
            for file in sorted(Path(tmp).glob(f"{stem}.*")):
                members[file.name] = file.read_bytes()
    return members


def write_shp(selection: Selection, path: Path, options: ExportOptions) -> None:
    """Write the zip of shapefiles (see `shapefile_members`)."""
    write_zip(path, shapefile_members(selection, options), options.date)
