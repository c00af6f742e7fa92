"""What every export family shares: the options a writer reads, the shape of a registry entry, a cell as text,
deterministic zips, and the one definition of the licence and of how an export cites its source.

Private to the package: the families (`vector`, `table`, `kml`, `webmap`, `printmap`, `bundle`) import it,
it imports none of them.
"""

from __future__ import annotations

import datetime as dt
import functools
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import pandas as pd

from creative_map import schema
from creative_map.boundaries import is_approximate, is_shipped, load_boundaries
from creative_map.dataset import Selection
from creative_map.i18n import boundary_note, t
from creative_map.types import LEVELS, Format, Lang, Level, Page

__all__ = [
    "LAYER_OF_LEVEL",
    "LICENCE",
    "LICENCE_URL",
    "LIST_SEPARATOR",
    "BundleMember",
    "ExportFormat",
    "ExportOptions",
    "Writer",
    "cell_text",
    "flat_frame",
    "source_citation",
    "space_name",
    "today",
    "write_zip",
    "zip_info",
]

LICENCE: Final = "CC BY 4.0"
"""The data's licence, by its name (the same in both languages; the sentences around it are in `i18n.TEXTS`)."""
LICENCE_URL: Final = "https://creativecommons.org/licenses/by/4.0/"
LIST_SEPARATOR: Final = "; "
"""How list fields (`sources`, `space_ids`) are joined in the flat formats (CSV, GPKG, Shapefile, KML data)."""
LAYER_OF_LEVEL: Final[dict[Level, str]] = {"district": "districts", "ward_2025": "wards_2025"}
"""The name of each level's layer in the GeoPackage."""


def source_citation() -> str:
    """Return how every export cites its source: the project and the map's name in both languages.

    The same string in every file and in both languages (README, KML, print map), so that two exports of the
    same data cite it identically whatever their language.
    """
    return f"creative_map — {t('export_source', 'vi')} / {t('export_source', 'en')}"


def today() -> dt.date:
    """Return today's date in UTC (the default export date)."""
    return dt.datetime.now(dt.UTC).date()


@dataclass(frozen=True, eq=False)
class ExportOptions:
    """What a writer needs besides the selection: everything it may read, nothing it may not."""

    lang: Lang = "vi"
    """Language of names, labels, legends and the print map (the other language is kept where there is room)."""
    page: Page = "A4"
    """Paper of the print map (landscape)."""
    date: dt.date = field(default_factory=today)
    """The export date, written where a format carries a date (README, print map, zip entries, GeoPackage)."""
    boundaries: Mapping[Level, gpd.GeoDataFrame] | None = None
    """Unit polygons by level, as given; see `units` for the complete set."""

    @functools.cached_property
    def units(self) -> dict[Level, gpd.GeoDataFrame]:
        """The unit polygons of both levels: those given, the shipped (approximate) ones for the levels not given.

        Loaded when a writer first asks (GeoJSON, CSV and KML never do).
        """
        given = dict(self.boundaries or {})
        return {level: given[level] if level in given else load_boundaries(level) for level in LEVELS}

    @property
    def approximate(self) -> bool:
        """Whether any unit layer used is approximate (the shipped districts are)."""
        return any(is_approximate(units) for units in self.units.values())

    @property
    def ships_wards(self) -> bool:
        """Whether the 2025 ward layer used is the shipped one (then its MIT notice goes with the output)."""
        return is_shipped(self.units["ward_2025"])

    def boundary_notes(self, lang: Lang) -> list[str]:
        """What the output says of each unit layer it uses (see `creative_map.i18n.boundary_note`)."""
        return [boundary_note(level, shipped=is_shipped(self.units[level]), lang=lang) for level in LEVELS]


Writer = Callable[[Selection, Path, ExportOptions], None]
"""Writes the selection to a path in one format: never filters, never writes anywhere else."""


@dataclass(frozen=True)
class BundleMember:
    """How a format appears in the bundle."""

    name: str
    """Its file name there (``{page}`` is replaced by the paper, e.g. ``map_{page}.png``)."""
    label_key: str
    """The `creative_map.i18n.TEXTS` key of its line in the bundle's README."""


@dataclass(frozen=True)
class ExportFormat:
    """One entry of the registry: a format, its writer, what a file of it is called and declared as."""

    name: Format
    writer: Writer
    suffix: str
    """The file suffix (``shp`` and ``bundle`` are ``.zip``)."""
    mime: str
    """The media type (download buttons)."""
    member: BundleMember | None = None
    """Its place in the bundle; None: not in the bundle (the bundle itself)."""
    infix: str = ""
    """Between the stem and the suffix of a download's name (``{page}`` replaced), e.g. ``_shp``."""


def cell_text(value: Any) -> str:
    """Return a cell as text: lists joined with `LIST_SEPARATOR`, missing values empty."""
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)


def flat_frame(frame: gpd.GeoDataFrame, columns: tuple[str, ...]) -> gpd.GeoDataFrame:
    """Return `columns` of `frame` as text (lists joined) with its geometry, for the flat formats."""
    data = {c: [cell_text(v) for v in frame[c]] for c in columns}
    return gpd.GeoDataFrame(data, geometry=frame.geometry.to_numpy(), crs=schema.CRS)


def space_name(row: Mapping[str, Any], lang: Lang) -> str:
    """Return a space's name in `lang`, falling back to the other language."""
    return schema.Label(cell_text(row[schema.NAME_VI]), cell_text(row[schema.NAME_EN])).get(lang)


def zip_info(name: str, date: dt.date) -> zipfile.ZipInfo:
    """Return a zip entry dated `date` at noon (not the clock), so the same export gives the same bytes."""
    info = zipfile.ZipInfo(name, date_time=(max(date.year, 1980), date.month, date.day, 12, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def write_zip(path: Path, members: Mapping[str, bytes], date: dt.date) -> None:
    """Write `members` (name -> bytes) to the zip `path`, in name order."""
    with zipfile.ZipFile(path, "w") as zf:
        for name in sorted(members):
            zf.writestr(zip_info(name, date), members[name])
