"""The CSV export: one row per space, for spreadsheets.

Written with pandas, not GDAL's CSV driver: that driver puts the geometry column first and names it ``WKT``,
and spreadsheets want the schema's fields first with the position at the end (``lat``, ``lon``, ``wkt``).

A text cell that a spreadsheet would read as a formula (one starting with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return: see `creative_map.text.csv_cell`) is written with a ``'`` before it, so that opening the
file runs nothing. ``lat`` and ``lon`` are numbers and stay numbers (a spreadsheet never reads a number as a
formula); ``wkt`` starts with the geometry's type (``POINT``, ``POLYGON`` ...).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Final

import pandas as pd
import shapely

from creative_map import schema
from creative_map.dataset import Selection
from creative_map.export._common import ExportOptions, cell_text
from creative_map.text import csv_cell

__all__ = ["CSV_EXTRA", "frame_csv", "write_csv"]

CSV_EXTRA: Final = ("lat", "lon", "wkt")
"""The columns after the schema's fields: a point on the geometry (7 decimals) and the whole geometry as WKT."""


def write_csv(selection: Selection, path: Path, options: ExportOptions) -> None:
    """Write one row per space: the schema fields, `lat`/`lon` (the space's representative point) and its WKT.

    UTF-8 with a byte-order mark and CRLF line ends, so Excel opens it with the accents intact; text cells
    that would be read as formulas get a ``'`` before them (`creative_map.text.csv_cell`).
    """
    spaces = selection.spaces
    frame = pd.DataFrame({c: [csv_cell(cell_text(v)) for v in spaces[c]] for c in schema.SPACE_COLUMNS})
    frame["lat"] = spaces[schema.REP_LAT].round(7).to_numpy()
    frame["lon"] = spaces[schema.REP_LON].round(7).to_numpy()
    frame["wkt"] = [csv_cell(wkt) for wkt in shapely.to_wkt(spaces.geometry.to_numpy(), rounding_precision=-1)]
    frame.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)


def frame_csv(frame: pd.DataFrame) -> bytes:
    """Return any table (statistics, gaps) as the CSV this project writes: UTF-8 with a byte-order mark, CRLF,
    every text cell through `creative_map.text.csv_cell` (numbers stay numbers), NaN as an empty cell."""
    clean = frame.map(csv_cell)
    text: str = clean.to_csv(index=False, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    return text.encode("utf-8-sig")
