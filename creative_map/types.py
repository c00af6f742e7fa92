"""The shared vocabulary of the package's arguments: languages, unit levels, formats, pages, basemaps.

Each is a `Literal` type for the type checker and a tuple of its values for the code that checks or lists
them; nothing else in the package defines them again.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

__all__ = [
    "BASEMAPS",
    "BOUNDARY_LAYERS",
    "DEFAULT_LANG",
    "FORMATS",
    "LANGS",
    "LEVELS",
    "PAGES",
    "Basemap",
    "BoundaryLayer",
    "Format",
    "Lang",
    "Level",
    "Page",
]

Lang = Literal["vi", "en"]
"""Vietnamese (the default) or English."""
LANGS: Final[tuple[Lang, ...]] = get_args(Lang)
DEFAULT_LANG: Final[Lang] = "vi"

Level = Literal["district", "ward_2025"]
"""A set of units: the 30 pre-2025 districts, or the 126 wards and communes of 2025."""
LEVELS: Final[tuple[Level, ...]] = get_args(Level)

BoundaryLayer = Literal["none", "district", "ward_2025"]
"""The unit layer drawn under the map's spaces."""
BOUNDARY_LAYERS: Final[tuple[BoundaryLayer, ...]] = get_args(BoundaryLayer)

Format = Literal["geojson", "csv", "kml", "kmz", "gpkg", "shp", "html", "png", "pdf", "ics", "bundle"]
"""An export format (``shp`` and ``bundle`` are zip files; ``ics`` holds the events, as an iCalendar file)."""
FORMATS: Final[tuple[Format, ...]] = get_args(Format)

Page = Literal["A4", "A3"]
"""Paper of the print map, landscape."""
PAGES: Final[tuple[Page, ...]] = get_args(Page)

Basemap = Literal["osm", "light", "none"]
"""Basemap tiles: OpenStreetMap, CARTO light, or none (the map still draws)."""
BASEMAPS: Final[tuple[Basemap, ...]] = get_args(Basemap)
