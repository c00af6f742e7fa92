"""Exports: the selected spaces in the formats GIS tools, Google Earth, spreadsheets and slides take.

`export` is the one entry point (the CLI's ``creative-map export`` and, through `download`, the app's download
buttons): it takes a `creative_map.Selection` (what `creative_map.select` chose: never filtered again here)
and writes one format through `creative_map.atomic.atomic_path`, so a failure never leaves a file behind.

Each format is an entry of `creative_map.export.registry.REGISTRY` with one writer, ``write_<format>(selection,
path, options)``, in one module per family: `vector` (GeoJSON, GeoPackage, Shapefile, all by GDAL), `table`
(CSV), `kml` (KML, KMZ), `webmap` (the offline HTML map), `printmap` (PNG, PDF), `calendar` (the events, as
iCalendar) and `bundle` (all of them).

Nothing in the content depends on the clock except the export date, which `date` sets (tests fix it): the
same data and filter give the same bytes. No GDAL option is set process-wide: each is passed with its write.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Final, NamedTuple

import geopandas as gpd

from creative_map import types
from creative_map.atomic import atomic_path
from creative_map.boundaries import load_boundaries
from creative_map.dataset import Selection
from creative_map.errors import DataError
from creative_map.export._common import ExportFormat, ExportOptions, today
from creative_map.export.registry import REGISTRY
from creative_map.i18n import describe_filter
from creative_map.types import LANGS, LEVELS, PAGES, Format, Lang, Level, Page

__all__ = [
    "FORMATS",
    "MIME_TYPES",
    "SUFFIXES",
    "Download",
    "download",
    "export",
    "file_name",
    "load_boundary_files",
]

logger = logging.getLogger(__name__)

FORMATS: Final[tuple[Format, ...]] = types.FORMATS
SUFFIXES: Final[dict[Format, str]] = {name: f.suffix for name, f in REGISTRY.items()}
"""The file suffix each format is written with (``shp`` and ``bundle`` are zip files)."""
MIME_TYPES: Final[dict[Format, str]] = {name: f.mime for name, f in REGISTRY.items()}
"""The media type of each format (for download buttons)."""


def _check(fmt: str, lang: str, page: str) -> ExportFormat:
    if fmt not in REGISTRY:
        raise ValueError(f"`fmt` must be one of {', '.join(FORMATS)}; got {fmt!r}")
    if lang not in LANGS:
        raise ValueError(f"`lang` must be one of {', '.join(LANGS)}; got {lang!r}")
    if page not in PAGES:
        raise ValueError(f"`page` must be one of {', '.join(PAGES)}; got {page!r}")
    return REGISTRY[fmt]


def export(
    selection: Selection,
    fmt: Format,
    path: str | os.PathLike[str],
    *,
    boundaries: Mapping[Level, gpd.GeoDataFrame] | None = None,
    lang: Lang = "vi",
    page: Page = "A4",
    date: dt.date | None = None,
    force: bool = False,
) -> Path:
    """Write the selected spaces to `path` in format `fmt`, atomically.

    Parameters
    ----------
    selection
        What `creative_map.select` chose: the spaces (in id order), their events, the filter (only described in
        the files, never applied again) and the data's total.
    fmt
        One of `FORMATS`.
    path
        The output file; its folder is created if needed.
    boundaries
        Unit polygons by level (``district``, ``ward_2025``), e.g. official ones a planner has (see
        `load_boundary_files`); the levels not given are the shipped, approximate layers.
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
        On an unknown `fmt`, `lang` or `page`. Nothing is written.
    FileExistsError
        When `path` exists and `force` is false. Nothing is written.
    """
    entry = _check(fmt, lang, page)
    target = Path(path)
    if target.exists() and not force:
        raise FileExistsError(f"{target} exists; pass --force (force=True) to replace it")
    options = ExportOptions(lang=lang, page=page, date=date or today(), boundaries=boundaries)
    if not len(selection):
        logger.warning("the filter selects no space: %s", describe_filter(selection.filter, "en"))
    with atomic_path(target, force=force) as tmp:
        entry.writer(selection, tmp, options)
    logger.info("wrote %d spaces as %s to %s", len(selection), fmt, target)
    return target


class Download(NamedTuple):
    """What a download button needs: ``st.download_button(label, **download(...)._asdict())``."""

    data: bytes
    file_name: str
    mime: str


def download(
    selection: Selection,
    fmt: Format,
    *,
    boundaries: Mapping[Level, gpd.GeoDataFrame] | None = None,
    lang: Lang = "vi",
    page: Page = "A4",
    date: dt.date | None = None,
) -> Download:
    """Return the export of `fmt` as bytes with its file name and media type (the app's download buttons).

    Takes the arguments of `export` except `path` and `force`; the app passes the selection it shows, so the
    file holds exactly what the map shows.
    """
    entry = _check(fmt, lang, page)
    with tempfile.TemporaryDirectory(prefix="creative_map_export_") as tmp:
        path = Path(tmp) / f"export{entry.suffix}"
        export(selection, fmt, path, boundaries=boundaries, lang=lang, page=page, date=date)
        data = path.read_bytes()
    return Download(data, file_name(fmt, page=page), entry.mime)


def file_name(fmt: Format, *, page: Page = "A4", stem: str = "creative_map") -> str:
    """Return the file name a download of `fmt` gets, e.g. ``creative_map_A3.pdf``, ``creative_map_shp.zip``."""
    entry = _check(fmt, "vi", page)
    return f"{stem}{entry.infix.format(page=page)}{entry.suffix}"


def load_boundary_files(
    files: Sequence[str | os.PathLike[str]], name_field: str | None = None
) -> dict[Level, gpd.GeoDataFrame]:
    """Load official boundary files, each as whichever level it holds (recognised by its units' names).

    Parameters
    ----------
    files
        Files GDAL reads (any CRS), each holding either the 30 pre-2025 districts or the 126 units of 2025.
    name_field
        The field holding the units' names; None finds it.

    Returns
    -------
    dict
        Level (``district``, ``ward_2025``) -> the units (`creative_map.boundaries.load_boundaries`' frame),
        for the levels the files hold: what `export`'s `boundaries` takes.

    Raises
    ------
    ValueError
        When a file holds neither level (with why, for each), or two files hold the same level.
    """
    layers: dict[Level, gpd.GeoDataFrame] = {}
    for file in files:
        errors: list[str] = []
        for level in LEVELS:
            try:
                units = load_boundaries(level, file, name_field=name_field)
            except (DataError, ValueError) as exc:
                errors.append(f"  as {level}: {exc}")
                continue
            if level in layers:
                raise ValueError(f"two boundary files hold the {level} units (the second is {file})")
            layers[level] = units
            break
        else:
            raise ValueError(f"{file}: neither the 30 districts nor the 126 units of 2025:\n" + "\n".join(errors))
    return layers
