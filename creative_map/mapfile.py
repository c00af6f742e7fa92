"""The app's map data as static files, written once per data version, and the short code of what is shown.

The app's map fetches the spaces' compact rows (`creative_map.mapping.space_rows`, in neither language) once
per frame from a static file named by the hash of its content (:func:`data_file`), and each rerun sends only
which rows are shown (:func:`shown_code`: a few bytes when everything or a run of rows is shown, one bit per
space at most). The boundary layers are static files too (:func:`units_file`), fetched when first shown.

Each file is written twice beside itself: ``NAME.json`` and ``NAME.json.gz`` (gzip, level 9, no timestamp: the
same bytes for the same content). The server sends the ``.gz`` as it lies on disk (no compression per request)
and the map's script decompresses it (``DecompressionStream``); browsers without it fetch the ``.json``.
"""

from __future__ import annotations

import base64
import functools
import gzip
import hashlib
import json
import logging
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd

from creative_map import schema
from creative_map.atomic import atomic_path
from creative_map.dataset import Selection
from creative_map.mapping import COORD_DECIMALS, space_rows, units_layer
from creative_map.types import Lang

__all__ = ["FORMAT", "StaticFile", "data_file", "read_shown", "remove_old", "shown_code", "units_file", "write"]

logger = logging.getLogger(__name__)

FORMAT: Final = 1
"""The layout of the data file (``{"v": FORMAT, "n": rows, "f": rows}``); the map's script checks it."""
KEEP_S: Final = 24 * 3600
"""Files of other versions are removed once they have not been written for this long (`remove_old`)."""


@dataclass(frozen=True, eq=False)
class StaticFile:
    """A file for the map: its name (by content), its JSON bytes, and the spaces' ids in row order."""

    stem: str
    """``spaces.<hash>`` or ``units-<level>-<lang>.<hash>``: the name without ``.json``."""
    body: bytes
    ids: tuple[str, ...] = ()
    """The ids of the rows, in order (sorted), for `shown_code`; empty for a boundary layer."""

    @functools.cached_property
    def positions(self) -> pd.Index:
        """The rows' ids as an index: the row of each id, found by hashing (`shown_code`)."""
        return pd.Index(self.ids, dtype=object)

    @property
    def name(self) -> str:
        return f"{self.stem}.json"

    @property
    def gz_name(self) -> str:
        return f"{self.stem}.json.gz"


def _stem(kind: str, body: bytes) -> str:
    return f"{kind}.{hashlib.sha256(body).hexdigest()[:20]}"


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def data_file(spaces: gpd.GeoDataFrame) -> StaticFile:
    """Return the data file of `spaces`: their compact rows ordered by id (the order of every `Selection`).

    Parameters
    ----------
    spaces
        Every space of the dataset (`creative_map.Dataset.spaces`, all of it or only the columns the rows use:
        id, both names, category, status, precision, address, the representative point and the geometry).

    Returns
    -------
    StaticFile
        ``{"v": FORMAT, "n": number of rows, "f": rows}``, named ``spaces.<hash of the content>``.
    """
    ordered = spaces.sort_values(schema.ID, kind="stable")
    body = _json({"v": FORMAT, "n": len(ordered), "f": space_rows(ordered)})
    return StaticFile(_stem("spaces", body), body, tuple(str(i) for i in ordered[schema.ID]))


def units_file(boundaries: gpd.GeoDataFrame, *, lang: Lang, level: str) -> tuple[StaticFile, bool, str]:
    """Return a boundary layer's file (GeoJSON, each unit's ``label`` in `lang`), whether it is approximate,
    and the legend's line about it (`creative_map.mapping.units_layer`)."""
    units = units_layer(boundaries, lang=lang)
    collection = json.loads(units.frame.to_json(drop_id=True))
    body = _json(_rounded(collection))
    return StaticFile(_stem(f"units-{level}-{lang}", body), body), units.approximate, units.legend


def _rounded(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    if isinstance(value, float):
        return round(value, COORD_DECIMALS)
    return value


def write(file: StaticFile, folder: str | os.PathLike[str]) -> Path:
    """Write `file` (``.json`` and ``.json.gz``) into `folder` unless it is there already; return the ``.json``.

    Both are written atomically (a temporary file renamed into place), so a browser never fetches half a file,
    and several app processes can write the same file at once.
    """
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    for name, data in (
        (file.name, file.body),
        (file.gz_name, gzip.compress(file.body, compresslevel=9, mtime=0)),
    ):
        path = target / name
        if path.is_file() and path.stat().st_size == len(data):
            os.utime(path)  # still in use: kept by `remove_old`
            continue
        with atomic_path(path, force=True) as tmp:
            tmp.write_bytes(data)
    return target / file.name


def remove_old(folder: str | os.PathLike[str], *, keep: Sequence[StaticFile], older_than_s: float = KEEP_S) -> None:
    """Remove the spaces' data files of `folder` that are not `keep` and have not been written for `older_than_s`
    (other versions of the data; the boundary layers' files are few and small, and stay)."""
    names = {n for f in keep for n in (f.name, f.gz_name)}
    limit = time.time() - older_than_s
    for path in Path(folder).glob("spaces.*.json*"):
        try:
            if path.name not in names and path.stat().st_mtime < limit:
                path.unlink()
        except OSError:  # another process removed it first
            continue


def shown_code(file: StaticFile, selection: Selection) -> str:
    """Return which rows of `file` the selection shows, in the shortest of three forms.

    ``"a"``: all of them; ``"r" + runs``: the lengths of alternating runs of hidden and shown rows (starting with
    hidden), in base 36, separated by ``.``; ``"b" + base64``: one bit per row (bit ``i % 8`` of byte
    ``i // 8`` for row ``i``). A category shown among 10,000 spaces takes about 1.7 KB; a search that finds a
    few spaces, a few bytes.

    Raises
    ------
    ValueError
        When the selection holds a space that `file` has not (the file is of another version of the data).
    """
    n = len(file.ids)
    positions = file.positions.get_indexer(selection.spaces[schema.ID].to_numpy(dtype=object))
    if len(positions) and positions.min() < 0:
        raise ValueError("the selection holds spaces that the map's data file does not: it is of another version")
    if len(positions) == n:
        return "a"
    mask = np.zeros(n, dtype=bool)
    mask[positions] = True
    bits = "b" + base64.b64encode(np.packbits(mask, bitorder="little").tobytes()).decode("ascii")
    edges = np.flatnonzero(np.diff(np.concatenate(([False], mask, [False])).astype(np.int8)))
    bounds = np.concatenate(([0], edges, [n]))
    runs = "r" + ".".join(np.base_repr(int(n), 36).lower() for n in np.diff(bounds))
    return min(bits, runs, key=len)


def read_shown(code: str, n: int) -> list[int]:
    """Return the rows a `shown_code` names, among `n` rows (the script's decoding, for tests and tools)."""
    if code == "a":
        return list(range(n))
    if code.startswith("b"):
        bits = np.unpackbits(np.frombuffer(base64.b64decode(code[1:]), dtype=np.uint8), bitorder="little")
        return [int(i) for i in np.flatnonzero(bits[:n])]
    if code.startswith("r"):
        shown: list[int] = []
        at = 0
        for k, run in enumerate(int(x, 36) for x in code[1:].split(".")):
            if k % 2:
                shown.extend(range(at, at + run))
            at += run
        return shown
    raise ValueError(f"not a shown code: {code[:20]!r}")
