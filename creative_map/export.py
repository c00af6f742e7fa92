"""Exports: the filtered spaces in the formats GIS tools, Google Earth, spreadsheets and slides take.

`export` is the one entry point (the CLI's ``creative-map export`` and the app's download buttons call it):
it selects the spaces with `creative_map.query.filter_spaces` (the same filter as the map), orders them by
id, and writes one format through `creative_map.io.atomic_path`, so a failure never leaves a file behind.
Each format has one small writer, ``write_<format>(spaces, path, options)``, that writes the already
selected spaces to `path`; the writers never filter and never write anywhere else.

Nothing in the content depends on the clock except the export date, which `ExportOptions.date` carries
(tests fix it): the same data and filter give the same bytes.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import html
import io as _io
import json
import logging
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal, NamedTuple
from xml.sax.saxutils import XMLGenerator

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from creative_map import admin, io, schema
from creative_map.query import Filter, filter_spaces

__all__ = [
    "FORMATS",
    "MIME_TYPES",
    "SUFFIXES",
    "Download",
    "ExportOptions",
    "describe_filter",
    "download",
    "export",
    "export_bytes",
    "file_name",
    "select_events",
    "select_spaces",
    "shapefile_field_names",
]

logger = logging.getLogger(__name__)

Format = Literal["geojson", "csv", "kml", "kmz", "gpkg", "shp", "html", "png", "pdf", "bundle"]
Page = Literal["A4", "A3"]
Lang = Literal["vi", "en"]
Level = Literal["district", "ward_2025"]

FORMATS: Final[tuple[str, ...]] = ("geojson", "csv", "kml", "kmz", "gpkg", "shp", "html", "png", "pdf", "bundle")
SUFFIXES: Final[dict[str, str]] = {
    "geojson": ".geojson",
    "csv": ".csv",
    "kml": ".kml",
    "kmz": ".kmz",
    "gpkg": ".gpkg",
    "shp": ".zip",
    "html": ".html",
    "png": ".png",
    "pdf": ".pdf",
    "bundle": ".zip",
}
"""The file suffix each format is written with (``shp`` and ``bundle`` are zip files)."""
MIME_TYPES: Final[dict[str, str]] = {
    "geojson": "application/geo+json",
    "csv": "text/csv",
    "kml": "application/vnd.google-earth.kml+xml",
    "kmz": "application/vnd.google-earth.kmz",
    "gpkg": "application/geopackage+sqlite3",
    "shp": "application/zip",
    "html": "text/html",
    "png": "image/png",
    "pdf": "application/pdf",
    "bundle": "application/zip",
}
"""The media type of each format (for download buttons)."""

LICENCE: Final = "CC BY 4.0"
SOURCE: Final = "creative_map — Bản đồ mạng lưới không gian sáng tạo Hà Nội / Hanoi creative-space network map"
LIST_SEPARATOR: Final = "; "
"""How list fields (`sources`, `space_ids`) are joined in the flat formats (CSV, GPKG, Shapefile, KML data)."""
DBF_MAX_BYTES: Final = 254
"""A dBASE text field holds at most 254 bytes: longer texts are cut (on a character boundary) in the shp."""

LEVELS: Final[tuple[Level, ...]] = ("district", "ward_2025")
LAYER_OF_LEVEL: Final[dict[str, str]] = {"district": "districts", "ward_2025": "wards_2025"}

TITLE: Final = schema.Label("Mạng lưới không gian sáng tạo Hà Nội", "Hanoi creative-space network")


@dataclass(frozen=True)
class ExportOptions:
    """What an export needs besides the spaces: everything a writer may read, nothing it may not."""

    lang: Lang = "vi"
    """Language of names, labels, legends and the print map (the other language is kept where there is room)."""
    events: gpd.GeoDataFrame | None = None
    """The events of the selected spaces (already selected: see `select_events`)."""
    boundaries: Mapping[str, gpd.GeoDataFrame] | None = None
    """Unit polygons by level (``district``, ``ward_2025``); None loads the shipped (approximate) ones."""
    flt: Filter | None = None
    """The filter the spaces were selected with: only described (README, print map), never applied again."""
    page: Page = "A4"
    """Paper size of the print map (landscape)."""
    date: dt.date = field(default_factory=lambda: dt.datetime.now(dt.UTC).date())
    """The export date, written where a format carries a date (README, print map, zip entries)."""
    total: int | None = None
    """How many spaces the unfiltered data holds (for "N of M" in texts); None when unknown."""


# --- selection ----------------------------------------------------------------------------------------------


def select_spaces(
    spaces: gpd.GeoDataFrame, flt: Filter | None = None, *, events: gpd.GeoDataFrame | None = None
) -> gpd.GeoDataFrame:
    """Return the spaces `flt` selects (the app's filter), ordered by id, with a fresh index.

    Parameters
    ----------
    spaces
        The frame `creative_map.io.load_spaces` returned.
    flt
        The filter; None selects everything.
    events
        The events, needed when `flt` has an event window.

    Returns
    -------
    geopandas.GeoDataFrame
        A new frame: what `creative_map.query.filter_spaces` selects, sorted by `id`.
    """
    selected = filter_spaces(spaces, flt, events=events)
    return selected.sort_values(schema.ID, kind="stable").reset_index(drop=True)


def select_events(
    events: gpd.GeoDataFrame | None, spaces: gpd.GeoDataFrame, flt: Filter | None = None
) -> gpd.GeoDataFrame | None:
    """Return the events held at one of `spaces` (and in the filter's event window), ordered by start and id."""
    if events is None:
        return None
    ids = set(spaces[schema.ID])
    keep = [bool(ids.intersection(space_ids)) for space_ids in events[schema.SPACE_IDS]]
    selected = events.loc[keep]
    if flt is not None and flt.event_start:
        selected = selected.loc[selected[schema.END] >= flt.event_start]
    if flt is not None and flt.event_end:
        selected = selected.loc[selected[schema.START] <= flt.event_end]
    return selected.sort_values([schema.START, schema.ID], kind="stable").reset_index(drop=True)


# --- shared helpers -----------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    """Return a cell as text: lists joined, missing values empty."""
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)


def _flat(frame: gpd.GeoDataFrame, columns: tuple[str, ...]) -> gpd.GeoDataFrame:
    """Return `columns` of `frame` as text (lists joined) with its geometry, for the flat formats."""
    data = {c: [_text(v) for v in frame[c]] for c in columns}
    return gpd.GeoDataFrame(data, geometry=frame.geometry.to_numpy(), crs=schema.CRS)


def _label(vocabulary: Mapping[str, schema.Label], key: str, lang: Lang) -> str:
    label = vocabulary.get(key)
    return label.get(lang) if label is not None else key


def _category_label(category: str, lang: Lang) -> str:
    c = schema.CATEGORIES.get(category)
    return c.label.get(lang) if c is not None else category


def _other(lang: Lang) -> Lang:
    return "en" if lang == "vi" else "vi"


def _name(row: Mapping[str, Any], lang: Lang) -> str:
    """Return the space's name in `lang`, falling back to the other language."""
    return schema.Label(_text(row[schema.NAME_VI]), _text(row[schema.NAME_EN])).get(lang)


_FILTER_LABELS: Final[dict[str, schema.Label]] = {
    "districts": schema.Label("Quận/huyện (trước 2025)", "District (pre-2025)"),
    "wards_2025": schema.Label("Phường/xã (từ 2025)", "Ward or commune (2025)"),
    "categories": schema.Label("Loại không gian", "Category"),
    "statuses": schema.Label("Tình trạng", "Status"),
    "network_members": schema.Label("Thành viên mạng lưới", "Network membership"),
    "plan_items": schema.Label("Mục Kế hoạch 161", "Plan 161 item"),
    "search": schema.Label("Tìm theo tên", "Name search"),
    "events": schema.Label("Có sự kiện trong khoảng", "Hosting an event between"),
}


def describe_filter(flt: Filter | None, lang: Lang) -> str:
    """Return the filter in words, in `lang` (``"tất cả"``/``"all spaces"`` when it selects everything)."""
    if flt is None:
        return "tất cả không gian" if lang == "vi" else "all spaces"
    parts = []
    values: dict[str, tuple[str, ...]] = {
        "districts": tuple(admin.resolve_district(d).name for d in flt.districts),
        "wards_2025": tuple(admin.resolve_ward_2025(w).name for w in flt.wards_2025),
        "categories": tuple(_category_label(c, lang) for c in flt.categories),
        "statuses": tuple(_label(schema.STATUSES, s, lang) for s in flt.statuses),
        "network_members": tuple(_label(schema.NETWORK_MEMBER, m, lang) for m in flt.network_members),
        "plan_items": flt.plan_items,
        "search": (flt.search.strip(),) if flt.search.strip() else (),
        "events": (f"{flt.event_start or '…'} – {flt.event_end or '…'}",) if flt.event_start or flt.event_end else (),
    }
    for key, vals in values.items():
        if vals:
            parts.append(f"{_FILTER_LABELS[key].get(lang)}: {', '.join(vals)}")
    if not parts:
        return "tất cả không gian" if lang == "vi" else "all spaces"
    return "; ".join(parts)


def _zip_info(name: str, date: dt.date) -> zipfile.ZipInfo:
    """Return a zip entry dated `date` at noon (not the clock), so the same export gives the same bytes."""
    info = zipfile.ZipInfo(name, date_time=(max(date.year, 1980), date.month, date.day, 12, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def _write_zip(path: Path, members: Mapping[str, bytes], date: dt.date) -> None:
    """Write `members` (name -> bytes) to the zip `path`, in name order."""
    with zipfile.ZipFile(path, "w") as zf:
        for name in sorted(members):
            zf.writestr(_zip_info(name, date), members[name])


@contextlib.contextmanager
def _gdal_config(options: Mapping[str, str]) -> Iterator[None]:
    """Set GDAL configuration options for the duration of the block, then restore them."""
    previous = {k: pyogrio.get_gdal_config_option(k) for k in options}
    pyogrio.set_gdal_config_options(dict(options))
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options(previous)


# --- GeoJSON ------------------------------------------------------------------------------------------------


def _rfc7946_geometry(geom: BaseGeometry | None) -> dict[str, Any] | None:
    """Return `geom` as a GeoJSON geometry with polygon rings wound as RFC 7946 says (exterior CCW)."""
    if geom is None or geom.is_empty:
        return None
    oriented = shapely.orient_polygons(geom, exterior_cw=False)
    result: dict[str, Any] = json.loads(json.dumps(mapping(oriented)))  # tuples -> lists
    return result


def _json_value(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return value


def write_geojson(spaces: gpd.GeoDataFrame, path: Path, options: ExportOptions) -> None:
    """Write an RFC 7946 FeatureCollection: WGS84, no ``crs`` member, every schema field, UTF-8."""
    features = [
        {
            "type": "Feature",
            "id": row[schema.ID],
            "geometry": _rfc7946_geometry(row[schema.GEOMETRY]),
            "properties": {c: _json_value(row[c]) for c in schema.SPACE_COLUMNS},
        }
        for row in spaces.to_dict("records")
    ]
    text = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1)
    path.write_text(text + "\n", encoding="utf-8")


# --- CSV ----------------------------------------------------------------------------------------------------

CSV_EXTRA: Final = ("lat", "lon", "wkt")


def write_csv(spaces: gpd.GeoDataFrame, path: Path, options: ExportOptions) -> None:
    """Write one row per space: the schema fields, `lat`/`lon` (a point inside the geometry) and its WKT.

    UTF-8 with a byte-order mark and CRLF line ends, so Excel opens it with the accents intact.
    """
    points = spaces.geometry.representative_point()
    frame = pd.DataFrame({c: [_text(v) for v in spaces[c]] for c in schema.SPACE_COLUMNS})
    frame["lat"] = points.y.round(7).to_numpy()
    frame["lon"] = points.x.round(7).to_numpy()
    frame["wkt"] = shapely.to_wkt(spaces.geometry.to_numpy(), rounding_precision=-1)
    frame.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)


# --- KML and KMZ --------------------------------------------------------------------------------------------

KML_NS: Final = "http://www.opengis.net/kml/2.2"
KML_ICON: Final = "https://maps.google.com/mapfiles/kml/shapes/placemark_circle.png"
"""Google Earth's own white circle, tinted per category by the style's colour."""


def _kml_colour(hex_colour: str, alpha: int = 255) -> str:
    """Return ``#rrggbb`` as KML's ``aabbggrr``."""
    rgb = hex_colour.lstrip("#")
    return f"{alpha:02x}{rgb[4:6]}{rgb[2:4]}{rgb[0:2]}"


def _kml_description(row: Mapping[str, Any], lang: Lang) -> str:
    """Return the bilingual HTML description of a placemark; every value from the data is escaped."""
    other = _other(lang)
    e = html.escape
    desc = {"vi": _text(row[schema.DESCRIPTION_VI]), "en": _text(row[schema.DESCRIPTION_EN])}
    lines = [
        f"<b>{e(_name(row, lang))}</b><br/><i>{e(_name(row, other))}</i>",
        f"<p>{e(_category_label(row[schema.CATEGORY], lang))} / {e(_category_label(row[schema.CATEGORY], other))}"
        f"<br/>{e(_text(row[schema.ADDRESS]))}<br/>{e(_text(row[schema.DISTRICT]))} · {e(_text(row[schema.WARD_2025]))}"
        f"<br/>{e(_label(schema.STATUSES, row[schema.STATUS], lang))}</p>",
        f"<p>{e(desc[lang])}</p>" if desc[lang] else "",
        f"<p><i>{e(desc[other])}</i></p>" if desc[other] else "",
    ]
    website = _text(row[schema.WEBSITE])
    if website.startswith(("http://", "https://")):
        lines.append(f'<p><a href="{e(website, quote=True)}">{e(website)}</a></p>')
    precision = _text(row[schema.POSITION_PRECISION])
    if precision and precision != "exact":
        lines.append(f"<p><small>{e(_label(schema.PRECISIONS, precision, lang))}</small></p>")
    return "".join(lines)


_KML_BREAK_AFTER: Final = frozenset({"name", "description", "Style", "Placemark", "Folder", "Document", "Data"})


class _Kml:
    """A small streaming KML writer (SAX): text is escaped by the XML generator, never by hand."""

    def __init__(self, stream: _io.TextIOBase) -> None:
        self.out = XMLGenerator(stream, encoding="utf-8", short_empty_elements=True)

    def start(self, tag: str, attrs: Mapping[str, str] | None = None) -> None:
        self.out.startElement(tag, dict(attrs or {}))  # type: ignore[arg-type]

    def end(self, tag: str) -> None:
        self.out.endElement(tag)
        if tag in _KML_BREAK_AFTER:
            self.out.ignorableWhitespace("\n")

    def leaf(self, tag: str, text: str, attrs: Mapping[str, str] | None = None) -> None:
        self.start(tag, attrs)
        self.out.characters(text)
        self.end(tag)

    def geometry(self, geom: BaseGeometry) -> None:
        kind = geom.geom_type
        if kind.startswith("Multi") or kind == "GeometryCollection":
            self.start("MultiGeometry")
            for part in geom.geoms:
                self.geometry(part)
            self.end("MultiGeometry")
        elif kind == "Point":
            self.start("Point")
            self.leaf("coordinates", _coords([geom.coords[0]]))
            self.end("Point")
        elif kind == "LineString":
            self.start("LineString")
            self.leaf("tessellate", "1")
            self.leaf("coordinates", _coords(geom.coords))
            self.end("LineString")
        elif kind == "Polygon":
            poly = shapely.orient_polygons(geom, exterior_cw=False)
            self.start("Polygon")
            self.leaf("tessellate", "1")
            for tag, ring in [("outerBoundaryIs", poly.exterior)] + [("innerBoundaryIs", r) for r in poly.interiors]:
                self.start(tag)
                self.start("LinearRing")
                self.leaf("coordinates", _coords(ring.coords))
                self.end("LinearRing")
                self.end(tag)
            self.end("Polygon")
        else:
            raise ValueError(f"cannot write a {kind} geometry to KML")


def _coords(coords: Any) -> str:
    return " ".join(f"{c[0]!r},{c[1]!r}" for c in coords)


def kml_text(spaces: gpd.GeoDataFrame, options: ExportOptions, *, icon: str = KML_ICON) -> str:
    """Return the KML document: a style and a folder per category, a placemark per space.

    Each placemark has the name in `options.lang`, a bilingual HTML description and every field as
    ``ExtendedData``. Folders follow the schema's category order; placemarks are in the frame's order.
    """
    lang = options.lang
    buffer = _io.StringIO()
    k = _Kml(buffer)
    k.out.startDocument()
    k.start("kml", {"xmlns": KML_NS})
    k.start("Document")
    k.leaf("name", TITLE.get(lang))
    k.leaf(
        "description",
        f"{describe_filter(options.flt, lang)} — {len(spaces)} · {SOURCE} · {LICENCE} · {options.date.isoformat()}",
    )
    for cat in schema.CATEGORIES.values():
        k.start("Style", {"id": f"category-{cat.id}"})
        k.start("IconStyle")
        k.leaf("color", _kml_colour(cat.colour))
        k.start("Icon")
        k.leaf("href", icon)
        k.end("Icon")
        k.end("IconStyle")
        k.start("LineStyle")
        k.leaf("color", _kml_colour(cat.colour))
        k.leaf("width", "4")
        k.end("LineStyle")
        k.start("PolyStyle")
        k.leaf("color", _kml_colour(cat.colour, 0x66))
        k.end("PolyStyle")
        k.end("Style")
    for cat in schema.CATEGORIES.values():
        rows = spaces.loc[spaces[schema.CATEGORY] == cat.id]
        if rows.empty:
            continue
        k.start("Folder", {"id": f"folder-{cat.id}"})
        k.leaf("name", cat.label.get(lang))
        for row in rows.to_dict("records"):
            k.start("Placemark", {"id": f"space-{row[schema.ID]}"})  # an XML id cannot start with a digit
            k.leaf("name", _name(row, lang))
            k.leaf("description", _kml_description(row, lang))
            k.leaf("styleUrl", f"#category-{cat.id}")
            k.start("ExtendedData")
            for column in schema.SPACE_COLUMNS:
                k.start("Data", {"name": column})
                k.leaf("value", _text(row[column]))
                k.end("Data")
            k.end("ExtendedData")
            k.geometry(row[schema.GEOMETRY])
            k.end("Placemark")
        k.end("Folder")
    k.end("Document")
    k.end("kml")
    k.out.endDocument()
    return buffer.getvalue() + "\n"


def write_kml(spaces: gpd.GeoDataFrame, path: Path, options: ExportOptions) -> None:
    """Write the KML document (Google Earth, QGIS): see `kml_text`."""
    path.write_text(kml_text(spaces, options), encoding="utf-8")


KMZ_ICON: Final = "files/circle.png"


def _circle_png(size: int = 64) -> bytes:
    """Return a white, black-edged circle as PNG: the KMZ's own icon, tinted per category like Google's."""
    from PIL import Image, ImageDraw  # Pillow comes with matplotlib

    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse(
        (4, 4, size - 5, size - 5), fill=(255, 255, 255, 255), outline=(0, 0, 0, 255), width=3
    )
    out = _io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def write_kmz(spaces: gpd.GeoDataFrame, path: Path, options: ExportOptions) -> None:
    """Write the KMZ: a zip holding the KML as ``doc.kml`` and its icon, so it needs no network at all."""
    doc = kml_text(spaces, options, icon=KMZ_ICON).encode("utf-8")
    _write_zip(path, {"doc.kml": doc, KMZ_ICON: _circle_png()}, options.date)


# --- boundaries and statistics (issue 4's modules) ----------------------------------------------------------


def _boundaries(options: ExportOptions) -> dict[str, gpd.GeoDataFrame]:
    """Return the unit polygons by level: those in `options`, else the shipped ones."""
    given = dict(options.boundaries or {})
    missing = [level for level in LEVELS if level not in given]
    if missing:
        from creative_map.boundaries import load_boundaries

        for level in missing:
            given[level] = load_boundaries(level)
    return given


def _statistics(spaces: gpd.GeoDataFrame, units: gpd.GeoDataFrame, level: Level) -> pd.DataFrame:
    from creative_map.analysis import unit_statistics

    return unit_statistics(spaces, units, level=level)


# --- GeoPackage ---------------------------------------------------------------------------------------------


def _events_layer(events: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    """Return the events as a flat layer (lists joined; geometry: the MultiPoint of their spaces)."""
    if events is None:
        events = gpd.GeoDataFrame(
            pd.DataFrame(columns=list(schema.EVENT_COLUMNS)), geometry=gpd.GeoSeries([], crs=schema.CRS)
        )
    flat = _flat(events, schema.EVENT_COLUMNS)
    flat.geometry = gpd.GeoSeries(
        [None if g is None else shapely.MultiPoint(list(_points(g))) for g in flat.geometry], crs=schema.CRS
    )
    return flat


def _points(geom: BaseGeometry) -> Iterator[BaseGeometry]:
    yield from (geom.geoms if hasattr(geom, "geoms") else [geom])


def _unit_layer(units: gpd.GeoDataFrame, stats: pd.DataFrame | None) -> gpd.GeoDataFrame:
    """Return the unit polygons (MultiPolygon), sorted by name, with the statistics columns joined by name."""
    layer = units.to_crs(schema.CRS).sort_values("name", kind="stable").reset_index(drop=True)
    layer = layer.set_geometry(
        gpd.GeoSeries(
            [shapely.MultiPolygon([g]) if g.geom_type == "Polygon" else g for g in layer.geometry], crs=schema.CRS
        )
    )
    if stats is not None and not stats.empty:
        extra = stats.drop(columns=[c for c in stats.columns if c in layer.columns and c != "name"], errors="ignore")
        if "name" in extra.columns:
            layer = layer.merge(extra, on="name", how="left")
    return layer


def write_gpkg(spaces: gpd.GeoDataFrame, path: Path, options: ExportOptions) -> None:
    """Write a GeoPackage with layers ``spaces``, ``events``, ``districts`` and ``wards_2025``.

    The unit layers carry the statistics of the selected spaces per unit (`unit_statistics`), and each has
    an ``approximate`` column. GeoPackage timestamps are set to the export date, so the content is stable.
    """
    boundaries = _boundaries(options)
    layers: list[tuple[str, gpd.GeoDataFrame]] = [
        ("spaces", _flat(spaces, schema.SPACE_COLUMNS)),
        ("events", _events_layer(options.events)),
    ]
    for level in LEVELS:
        units = boundaries[level]
        layers.append((LAYER_OF_LEVEL[level], _unit_layer(units, _statistics(spaces, units, level))))
    stamp = f"{options.date.isoformat()}T00:00:00Z"
    with _gdal_config({"OGR_CURRENT_DATE": stamp}):
        for name, layer in layers:
            geometry_type = "Unknown" if name == "spaces" else None
            pyogrio.write_dataframe(
                layer,
                path,
                layer=name,
                driver="GPKG",
                geometry_type=geometry_type,
                layer_options={"IDENTIFIER": name},
                append=path.exists(),
            )


# --- Shapefile zip ------------------------------------------------------------------------------------------

_SHAPE_FAMILIES: Final[dict[str, tuple[str, str]]] = {
    "Point": ("points", "Point"),
    "MultiPoint": ("points", "MultiPoint"),
    "LineString": ("lines", "MultiLineString"),
    "MultiLineString": ("lines", "MultiLineString"),
    "Polygon": ("polygons", "MultiPolygon"),
    "MultiPolygon": ("polygons", "MultiPolygon"),
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
    out = _io.StringIO()
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


def shapefile_members(spaces: gpd.GeoDataFrame, options: ExportOptions) -> dict[str, bytes]:
    """Return the files of the shapefile zip: one shapefile per geometry type, and ``fields.csv``.

    Points go to ``spaces_points`` (MultiPoint only if one is), lines to ``spaces_lines`` (MultiLineString),
    areas to ``spaces_polygons`` (MultiPolygon); each shapefile is UTF-8 with a ``.cpg``. Texts are cut to the
    254 bytes dBASE holds. With no space at all, an empty ``spaces_points`` is written so the zip holds a layer.
    """
    names = shapefile_field_names()
    flat = _flat(spaces, schema.SPACE_COLUMNS)
    for column in schema.SPACE_COLUMNS:
        flat[column] = [_cut_utf8(v) for v in flat[column]]
    flat = flat.rename(columns=names)
    family = [_SHAPE_FAMILIES[g.geom_type][0] for g in flat.geometry]
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


def write_shp(spaces: gpd.GeoDataFrame, path: Path, options: ExportOptions) -> None:
    """Write the zip of shapefiles (see `shapefile_members`)."""
    _write_zip(path, shapefile_members(spaces, options), options.date)


# --- HTML, PNG, PDF (the map and the print map) -------------------------------------------------------------


def _html_level(options: ExportOptions) -> Level:
    """Return the unit layer the HTML map draws: 2025 wards when the filter picks wards, else the districts."""
    flt = options.flt
    return "ward_2025" if flt is not None and flt.wards_2025 and not flt.districts else "district"


_FOLIUM_ID: Final = re.compile(r"\b([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*?)_([0-9a-f]{32})(?![0-9a-f])")


def _stable_ids(page: str) -> str:
    """Return `page` with folium's random element ids (``map_<32 hex>``) renumbered in order of appearance.

    folium names every element with 16 random bytes, so two renders of the same map differ; renaming them
    consistently (``map_0001``, ``marker_cluster_0002``, ...) keeps the page working and makes it deterministic.
    """
    seen: dict[str, str] = {}

    def rename(match: re.Match[str]) -> str:
        key = match.group(2)
        if key not in seen:
            seen[key] = f"{len(seen) + 1:032d}"
        return f"{match.group(1)}_{seen[key]}"

    return _FOLIUM_ID.sub(rename, page)


def html_text(spaces: gpd.GeoDataFrame, options: ExportOptions) -> str:
    """Return the map as one self-contained HTML page (Leaflet and plugins inlined: no network needed)."""
    from creative_map.mapping import build_map

    units = _boundaries(options)[_html_level(options)]
    m = build_map(spaces, lang=options.lang, events=options.events, boundaries=units, assets="inline")
    return _stable_ids(str(m.get_root().render()))


def write_html(spaces: gpd.GeoDataFrame, path: Path, options: ExportOptions) -> None:
    """Write the self-contained HTML map (see `html_text`)."""
    path.write_text(html_text(spaces, options), encoding="utf-8")


def _print(fmt: Literal["png", "pdf"]) -> Callable[[gpd.GeoDataFrame, Path, ExportOptions], None]:
    def write(spaces: gpd.GeoDataFrame, path: Path, options: ExportOptions) -> None:
        from creative_map.printmap import render_print_map

        render_print_map(
            spaces,
            path,
            fmt=fmt,
            page=options.page,
            lang=options.lang,
            boundaries=_boundaries(options),
            subtitle=describe_filter(options.flt, options.lang),
            date=options.date,
        )

    write.__name__ = f"write_{fmt}"
    write.__doc__ = f"Write the print map as {fmt.upper()} (see `creative_map.printmap.render_print_map`)."
    return write


write_png = _print("png")
write_pdf = _print("pdf")


# --- bundle -------------------------------------------------------------------------------------------------

BUNDLE_STEM: Final = "creative_map"
BUNDLE_FILES: Final[tuple[tuple[str, str, schema.Label], ...]] = (
    ("geojson", "spaces.geojson", schema.Label("các không gian, GeoJSON (RFC 7946)", "the spaces, GeoJSON (RFC 7946)")),
    (
        "csv",
        "spaces.csv",
        schema.Label(
            "bảng tính: một dòng mỗi không gian, lat/lon và WKT", "spreadsheet: one row per space, lat/lon and WKT"
        ),
    ),
    (
        "kml",
        "spaces.kml",
        schema.Label("Google Earth: thư mục và kiểu theo loại", "Google Earth: a folder and style per category"),
    ),
    ("kmz", "spaces.kmz", schema.Label("như trên, nén (KMZ)", "the same, zipped (KMZ)")),
    (
        "gpkg",
        "creative_map.gpkg",
        schema.Label(
            "GeoPackage: lớp spaces, events, districts, wards_2025 (kèm thống kê theo đơn vị)",
            "GeoPackage: layers spaces, events, districts, wards_2025 (with statistics per unit)",
        ),
    ),
    (
        "shp",
        "spaces_shp.zip",
        schema.Label(
            "Shapefile: một tệp mỗi loại hình học, UTF-8 (.cpg); fields.csv giải nghĩa tên trường rút gọn",
            "Shapefile: one per geometry type, UTF-8 (.cpg); fields.csv explains the shortened field names",
        ),
    ),
    (
        "html",
        "map.html",
        schema.Label(
            "bản đồ mở được không cần mạng (mở bằng trình duyệt)",
            "a map that opens with no network (open it in a browser)",
        ),
    ),
    ("png", "map_{page}.png", schema.Label("bản đồ in, PNG", "print map, PNG")),
    ("pdf", "map_{page}.pdf", schema.Label("bản đồ in, PDF", "print map, PDF")),
)


def _approximate(options: ExportOptions) -> bool:
    """Return whether any unit boundary used is approximate (the shipped ones are)."""
    for units in _boundaries(options).values():
        if "approximate" in units.columns and bool(units["approximate"].fillna(True).astype(bool).any()):
            return True
    return False


_BOUNDARY_NOTE: Final[dict[bool, schema.Label]] = {
    True: schema.Label(
        "ranh giới quận/huyện và phường/xã là GẦN ĐÚNG, suy ra từ tâm và khung bao của các phường/xã;\n"
        "không phải ranh giới pháp lý.",
        "the district and ward boundaries are APPROXIMATE, derived from the wards' centres and bounding\n"
        "boxes; they are not legal boundaries.",
    ),
    False: schema.Label("ranh giới do người dùng cung cấp.", "unit boundaries supplied by the user."),
}


def readme_text(spaces: gpd.GeoDataFrame, options: ExportOptions) -> str:
    """Return the bundle's README: what, when, which filter, source, licence, CRS, boundaries; in vi and en."""
    n = len(spaces)
    n_events = 0 if options.events is None else len(options.events)
    approximate = _approximate(options)
    files = {
        lang: "\n".join(f"  {name.format(page=options.page)}: {label.get(lang)}" for _, name, label in BUNDLE_FILES)
        for lang in ("vi", "en")
    }
    of_total = {
        "vi": f" trên tổng số {options.total}" if options.total is not None else "",
        "en": f" of {options.total}" if options.total is not None else "",
    }
    dates = sorted(d for d in spaces[schema.LAST_VERIFIED].map(_text) if d)
    verified = {"vi": "", "en": ""}
    if dates:
        span = {"vi": f"từ {dates[0]} đến {dates[-1]}", "en": f"between {dates[0]} and {dates[-1]}"}
        if dates[0] == dates[-1]:
            span = {"vi": f"ngày {dates[0]}", "en": f"on {dates[0]}"}
        verified = {"vi": f" (dữ liệu kiểm tra lần cuối {span['vi']})", "en": f" (entries last checked {span['en']})"}
    vi = f"""\
{TITLE.vi.upper()}
{"=" * len(TITLE.vi)}

Nội dung: {n} không gian sáng tạo{of_total["vi"]} và {n_events} sự kiện của mạng lưới không gian sáng tạo Hà Nội
(Hà Nội – Thành phố Sáng tạo UNESCO lĩnh vực Thiết kế), theo mục 3.1.2.e Kế hoạch 161/KH-UBND ngày 31/5/2023.
Ngày xuất: {options.date.isoformat()}{verified["vi"]}
Bộ lọc: {describe_filter(options.flt, "vi")}
Nguồn: {SOURCE}; nguồn của từng không gian ở trường `sources`.
Giấy phép: dữ liệu {LICENCE} (https://creativecommons.org/licenses/by/4.0/) — ghi nguồn khi dùng lại.
Hệ tọa độ: WGS 84 (EPSG:4326), kinh độ/vĩ độ; diện tích và khoảng cách trong thống kê đo theo UTM 48N
(EPSG:32648).
Ranh giới: {_BOUNDARY_NOTE[approximate].vi}
Vị trí: trường `position_precision` cho biết độ chính xác (exact ~50 m, street ~300 m, ward: chỉ tâm phường/xã).

Các tệp:
{files["vi"]}
"""
    en = f"""\
{TITLE.en.upper()}
{"=" * len(TITLE.en)}

What: {n} creative spaces{of_total["en"]} and {n_events} events of Hanoi's creative-space network (Hanoi is a UNESCO
Creative City of Design), for item 3.1.2.e of the city's plan 161/KH-UBND of 31 May 2023.
Exported: {options.date.isoformat()}{verified["en"]}
Filter: {describe_filter(options.flt, "en")}
Source: {SOURCE}; each space's own sources are in its `sources` field.
Licence: data {LICENCE} (https://creativecommons.org/licenses/by/4.0/) — credit the source when reusing.
CRS: WGS 84 (EPSG:4326), longitude/latitude; areas and distances in the statistics are measured in UTM 48N
(EPSG:32648).
Boundaries: {_BOUNDARY_NOTE[approximate].en}
Positions: the `position_precision` field says how precise each is (exact ~50 m, street ~300 m,
ward: the ward's centre only).

Files:
{files["en"]}
"""
    return vi + "\n" + en


def bundle_members(spaces: gpd.GeoDataFrame, options: ExportOptions) -> dict[str, bytes]:
    """Return the bundle's files (name -> bytes): every format and README.txt."""
    members: dict[str, bytes] = {"README.txt": readme_text(spaces, options).encode("utf-8")}
    with tempfile.TemporaryDirectory(prefix="creative_map_bundle_") as tmp:
        for fmt, name, _ in BUNDLE_FILES:
            target = Path(tmp) / name.format(page=options.page)
            WRITERS[fmt](spaces, target, options)
            members[target.name] = target.read_bytes()
    return members


def write_bundle(spaces: gpd.GeoDataFrame, path: Path, options: ExportOptions) -> None:
    """Write the bundle: a zip of every format plus a bilingual README.txt, all under ``creative_map/``."""
    members = bundle_members(spaces, options)
    _write_zip(path, {f"{BUNDLE_STEM}/{name}": data for name, data in members.items()}, options.date)


# --- the entry point ----------------------------------------------------------------------------------------

Writer = Callable[[gpd.GeoDataFrame, Path, ExportOptions], None]
WRITERS: Final[dict[str, Writer]] = {
    "geojson": write_geojson,
    "csv": write_csv,
    "kml": write_kml,
    "kmz": write_kmz,
    "gpkg": write_gpkg,
    "shp": write_shp,
    "html": write_html,
    "png": write_png,
    "pdf": write_pdf,
    "bundle": write_bundle,
}


def export(
    spaces: gpd.GeoDataFrame,
    fmt: str,
    path: str | os.PathLike[str],
    *,
    events: gpd.GeoDataFrame | None = None,
    boundaries: Mapping[str, gpd.GeoDataFrame] | None = None,
    flt: Filter | None = None,
    lang: Lang = "vi",
    page: Page = "A4",
    date: dt.date | None = None,
    force: bool = False,
) -> Path:
    """Write the spaces `flt` selects to `path` in format `fmt`, atomically.

    Parameters
    ----------
    spaces
        All spaces, as `creative_map.io.load_spaces` returned them (not changed).
    fmt
        One of `FORMATS`.
    path
        The output file; its folder is created if needed.
    events
        All events (`creative_map.io.load_events`): needed for an event-window filter; the events held at the
        selected spaces go into the GeoPackage, the HTML map and the bundle.
    boundaries
        Unit polygons by level (``district``, ``ward_2025``), e.g. official ones a planner has; the levels not
        given come from `creative_map.boundaries.load_boundaries` (approximate).
    flt
        The filter (the app's and the CLI's); None exports everything.
    lang
        ``vi`` or ``en``: names, labels, legend and print map.
    page
        ``A4`` or ``A3``: the print map's paper (landscape).
    date
        The export date written into the content (default: today, UTC).
    force
        Replace an existing `path`.

    Returns
    -------
    pathlib.Path
        `path`.

    Raises
    ------
    ValueError
        On an unknown `fmt`, `lang` or `page`, or a filter naming a unit that does not exist.
    FileExistsError
        When `path` exists and `force` is false. Nothing is written.
    """
    if fmt not in WRITERS:
        raise ValueError(f"`fmt` must be one of {', '.join(FORMATS)}; got {fmt!r}")
    if lang not in ("vi", "en"):
        raise ValueError(f"`lang` must be 'vi' or 'en'; got {lang!r}")
    if page not in ("A4", "A3"):
        raise ValueError(f"`page` must be 'A4' or 'A3'; got {page!r}")
    target = Path(path)
    if target.exists() and not force:
        raise FileExistsError(f"{target} exists; pass --force (force=True) to replace it")
    selected = select_spaces(spaces, flt, events=events)
    options = ExportOptions(
        lang=lang,
        events=select_events(events, selected, flt),
        boundaries=boundaries,
        flt=flt,
        page=page,
        date=date or dt.datetime.now(dt.UTC).date(),
        total=len(spaces),
    )
    if selected.empty:
        logger.warning("the filter selects no space: %s", describe_filter(flt, "en"))
    with io.atomic_path(target, force=force) as tmp:
        WRITERS[fmt](selected, tmp, options)
    logger.info("wrote %d spaces as %s to %s", len(selected), fmt, target)
    return target


def file_name(fmt: str, *, page: Page = "A4", stem: str = "creative_map") -> str:
    """Return the file name a download of `fmt` should get, e.g. ``creative_map_A3.pdf``, ``creative_map_shp.zip``."""
    if fmt not in SUFFIXES:
        raise ValueError(f"`fmt` must be one of {', '.join(FORMATS)}; got {fmt!r}")
    infix = {"shp": "_shp", "bundle": "_bundle", "png": f"_{page}", "pdf": f"_{page}"}.get(fmt, "")
    return f"{stem}{infix}{SUFFIXES[fmt]}"


def export_bytes(spaces: gpd.GeoDataFrame, fmt: str, **kwargs: Any) -> bytes:
    """Return what `export` would write, as bytes (for the app's download buttons).

    Takes the same keyword arguments as `export` except `path` and `force`.
    """
    with tempfile.TemporaryDirectory(prefix="creative_map_export_") as tmp:
        path = Path(tmp) / f"export{SUFFIXES.get(fmt, '')}"
        export(spaces, fmt, path, **kwargs)
        return path.read_bytes()


class Download(NamedTuple):
    """What a download button needs: ``st.download_button(label, **download(...)._asdict())``."""

    data: bytes
    file_name: str
    mime: str


def download(spaces: gpd.GeoDataFrame, fmt: str, **kwargs: Any) -> Download:
    """Return the export of `fmt` with its file name and media type (the app's download buttons).

    Takes the same keyword arguments as `export` except `path` and `force`; the app passes its current
    filter, events and language, so the file holds exactly what the map shows.
    """
    data = export_bytes(spaces, fmt, **kwargs)
    return Download(data, file_name(fmt, page=kwargs.get("page", "A4")), MIME_TYPES[fmt])
