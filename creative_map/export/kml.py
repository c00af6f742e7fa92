"""KML and KMZ for Google Earth: a folder and a style per category, a placemark per space.

Why this is written here and not by GDAL: GDAL's LIBKML driver (3.12, through pyogrio) was tried, and per
write, with no process-wide option, it cannot give what this export gives and its tests check:

- one shared ``<Style>`` per category: LIBKML writes document styles only from the dataset's style table,
  which pyogrio cannot set; a feature's style (an ``OGR_STYLE`` field) becomes an inline style in every
  placemark, or a ``styleUrl`` to a style nobody defines, and the ``OGR_STYLE`` text is copied into the data;
- a placemark ``id`` beside the ``id`` field: LIBKML takes a field named ``id`` as the placemark's XML id and
  drops it from ``ExtendedData``; and a space id may start with a digit, which an XML id may not;
- every field as ``<Data>``: LIBKML writes a typed ``<Schema>`` with ``<SimpleData>`` and leaves empty fields
  out; plain ``<Data>`` needs the process-wide ``LIBKML_USE_SIMPLEFIELD=NO``;
- a KMZ that needs no network: LIBKML's KMZ is a ``doc.kml`` of network links to one file per layer (a single
  document needs the process-wide ``LIBKML_USE_DOC.KML``), with no icon, and appending a second layer put the
  first under ``layers/layers/`` while its link points at ``layers/`` (GDAL 3.12.4).

GDAL's older KML driver has the same limits for styles and data. So the document is written with a SAX
generator (`xml.sax.saxutils.XMLGenerator`, which escapes every text), and read back by GDAL in the tests.
"""

from __future__ import annotations

import html
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final
from xml.sax.saxutils import XMLGenerator

import geopandas as gpd
import shapely
from PIL import Image, ImageDraw
from shapely.geometry.base import BaseGeometry

from creative_map import schema
from creative_map.dataset import Selection
from creative_map.export._common import (
    LICENCE,
    ExportOptions,
    cell_text,
    source_citation,
    space_name,
    write_zip,
)
from creative_map.i18n import describe_filter, other_lang, t, vocab_label
from creative_map.patterns import is_http_url
from creative_map.types import Lang

__all__ = ["KML_ICON", "KMZ_ICON", "kml_text", "write_kml", "write_kmz"]

KML_NS: Final = "http://www.opengis.net/kml/2.2"
KML_ICON: Final = "https://maps.google.com/mapfiles/kml/shapes/placemark_circle.png"
"""Google Earth's own white circle, tinted per category by the style's colour."""
KMZ_ICON: Final = "files/circle.png"
"""The KMZ's own copy of such a circle, so that it needs no network."""


def _kml_colour(hex_colour: str, alpha: int = 255) -> str:
    """Return ``#rrggbb`` as KML's ``aabbggrr``."""
    rgb = hex_colour.lstrip("#")
    return f"{alpha:02x}{rgb[4:6]}{rgb[2:4]}{rgb[0:2]}"


def _description(row: Mapping[str, Any], lang: Lang) -> str:
    """Return the bilingual HTML description of a placemark; every value from the data is escaped."""
    other = other_lang(lang)
    e = html.escape
    category = row[schema.CATEGORY]
    desc = {"vi": cell_text(row[schema.DESCRIPTION_VI]), "en": cell_text(row[schema.DESCRIPTION_EN])}
    lines = [
        f"<b>{e(space_name(row, lang))}</b><br/><i>{e(space_name(row, other))}</i>",
        f"<p>{e(vocab_label(schema.CATEGORIES, category, lang))} / {e(vocab_label(schema.CATEGORIES, category, other))}"
        f"<br/>{e(cell_text(row[schema.ADDRESS]))}"
        f"<br/>{e(cell_text(row[schema.DISTRICT]))} · {e(cell_text(row[schema.WARD_2025]))}"
        f"<br/>{e(vocab_label(schema.STATUSES, row[schema.STATUS], lang))}</p>",
        f"<p>{e(desc[lang])}</p>" if desc[lang] else "",
        f"<p><i>{e(desc[other])}</i></p>" if desc[other] else "",
    ]
    website = cell_text(row[schema.WEBSITE])
    if is_http_url(website):
        lines.append(f'<p><a href="{e(website, quote=True)}">{e(website)}</a></p>')
    precision = cell_text(row[schema.POSITION_PRECISION])
    if precision and precision != "exact":
        lines.append(f"<p><small>{e(vocab_label(schema.PRECISIONS, precision, lang))}</small></p>")
    return "".join(lines)


_BREAK_AFTER: Final = frozenset({"name", "description", "Style", "Placemark", "Folder", "Document", "Data"})


class _Kml:
    """A small streaming KML writer (SAX): text is escaped by the XML generator, never by hand."""

    def __init__(self, stream: io.StringIO) -> None:
        self.out = XMLGenerator(stream, encoding="utf-8", short_empty_elements=True)

    def start(self, tag: str, attrs: Mapping[str, str] | None = None) -> None:
        self.out.startElement(tag, dict(attrs or {}))  # type: ignore[arg-type]

    def end(self, tag: str) -> None:
        self.out.endElement(tag)
        if tag in _BREAK_AFTER:
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


def _styles(k: _Kml, icon: str) -> None:
    """Write one style per category (all of them, so a style exists for any placemark)."""
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


def _placemark(k: _Kml, row: Mapping[str, Any], lang: Lang) -> None:
    k.start("Placemark", {"id": f"space-{row[schema.ID]}"})  # an XML id cannot start with a digit
    k.leaf("name", space_name(row, lang))
    k.leaf("description", _description(row, lang))
    k.leaf("styleUrl", f"#category-{row[schema.CATEGORY]}")
    k.start("ExtendedData")
    for column in schema.SPACE_COLUMNS:
        k.start("Data", {"name": column})
        k.leaf("value", cell_text(row[column]))
        k.end("Data")
    k.end("ExtendedData")
    k.geometry(row[schema.GEOMETRY])
    k.end("Placemark")


def kml_text(selection: Selection, options: ExportOptions, *, icon: str = KML_ICON) -> str:
    """Return the KML document: a style and a folder per category, a placemark per space.

    Each placemark has the name in `options.lang`, a bilingual HTML description and every field as
    ``ExtendedData``. Folders follow the schema's category order; placemarks are in the selection's order.
    """
    lang = options.lang
    spaces: gpd.GeoDataFrame = selection.spaces
    buffer = io.StringIO()
    k = _Kml(buffer)
    k.out.startDocument()
    k.start("kml", {"xmlns": KML_NS})
    k.start("Document")
    k.leaf("name", t("export_title", lang))
    k.leaf(
        "description",
        f"{describe_filter(selection.filter, lang)} — {len(spaces)} · {source_citation()} · {LICENCE}"
        f" · {options.date.isoformat()}",
    )
    _styles(k, icon)
    for cat in schema.CATEGORIES.values():
        rows = spaces.loc[spaces[schema.CATEGORY] == cat.id]
        if rows.empty:
            continue
        k.start("Folder", {"id": f"folder-{cat.id}"})
        k.leaf("name", cat.label.get(lang))
        for row in rows.to_dict("records"):
            _placemark(k, row, lang)
        k.end("Folder")
    k.end("Document")
    k.end("kml")
    k.out.endDocument()
    return buffer.getvalue() + "\n"


def write_kml(selection: Selection, path: Path, options: ExportOptions) -> None:
    """Write the KML document (Google Earth, QGIS): see `kml_text`."""
    path.write_text(kml_text(selection, options), encoding="utf-8")


def _circle_png(size: int = 64) -> bytes:
    """Return a white, black-edged circle as PNG: the KMZ's own icon, tinted per category like Google's."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse(
        (4, 4, size - 5, size - 5), fill=(255, 255, 255, 255), outline=(0, 0, 0, 255), width=3
    )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def write_kmz(selection: Selection, path: Path, options: ExportOptions) -> None:
    """Write the KMZ: a zip holding the KML as ``doc.kml`` and its icon, so it needs no network at all."""
    doc = kml_text(selection, options, icon=KMZ_ICON).encode("utf-8")
    write_zip(path, {"doc.kml": doc, KMZ_ICON: _circle_png()}, options.date)
