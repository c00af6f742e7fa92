"""The registry of export formats: for each, its writer, file suffix, media type, place in the bundle and the
README line that describes it there.

Adding a format is adding an entry here (and its name to `creative_map.types.Format`); the entry point, the
download names and the bundle all read this table.
"""

from __future__ import annotations

import functools
from typing import Final

from creative_map.export import bundle, calendar, kml, printmap, table, vector, webmap
from creative_map.export._common import BundleMember, ExportFormat
from creative_map.types import Format

__all__ = ["REGISTRY"]

REGISTRY: Final[dict[Format, ExportFormat]] = {
    "geojson": ExportFormat(
        "geojson",
        vector.write_geojson,
        ".geojson",
        "application/geo+json",
        BundleMember("spaces.geojson", "readme_file_geojson"),
    ),
    "csv": ExportFormat("csv", table.write_csv, ".csv", "text/csv", BundleMember("spaces.csv", "readme_file_csv")),
    "kml": ExportFormat(
        "kml",
        kml.write_kml,
        ".kml",
        "application/vnd.google-earth.kml+xml",
        BundleMember("spaces.kml", "readme_file_kml"),
    ),
    "kmz": ExportFormat(
        "kmz",
        kml.write_kmz,
        ".kmz",
        "application/vnd.google-earth.kmz",
        BundleMember("spaces.kmz", "readme_file_kmz"),
    ),
    "gpkg": ExportFormat(
        "gpkg",
        vector.write_gpkg,
        ".gpkg",
        "application/geopackage+sqlite3",
        BundleMember("creative_map.gpkg", "readme_file_gpkg"),
    ),
    "shp": ExportFormat(
        "shp",
        vector.write_shp,
        ".zip",
        "application/zip",
        BundleMember("spaces_shp.zip", "readme_file_shp"),
        infix="_shp",
    ),
    "html": ExportFormat("html", webmap.write_html, ".html", "text/html", BundleMember("map.html", "readme_file_html")),
    "png": ExportFormat(
        "png",
        printmap.write_png,
        ".png",
        "image/png",
        BundleMember("map_{page}.png", "readme_file_png"),
        infix="_{page}",
    ),
    "pdf": ExportFormat(
        "pdf",
        printmap.write_pdf,
        ".pdf",
        "application/pdf",
        BundleMember("map_{page}.pdf", "readme_file_pdf"),
        infix="_{page}",
    ),
    "ics": ExportFormat(
        "ics", calendar.write_ics, ".ics", "text/calendar", BundleMember("events.ics", "readme_file_ics")
    ),
}
"""Every format, in the order of `creative_map.types.FORMATS` (the bundle's README lists its files so)."""

# The bundle writes every other entry of this same table (so a writer replaced here is the one it uses).
REGISTRY["bundle"] = ExportFormat(
    "bundle",
    functools.partial(bundle.write_bundle, formats=REGISTRY),
    ".zip",
    "application/zip",
    infix="_bundle",
)
