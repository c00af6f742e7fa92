"""Reading and validating the data files into frames.

`load_spaces` and `load_events` read one file each; `creative_map.load` (`creative_map.dataset`) is what
entry points call: it reads both through these, once, and the code after it trusts the frames.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import stat
from pathlib import Path
from typing import Final

import geopandas as gpd
import pandas as pd
import shapely

from creative_map import schema
from creative_map.errors import DataError, Problem, quote
from creative_map.text import fold
from creative_map.validation import Checked, check_events, check_spaces

__all__ = [
    "DATA_RELATIVE",
    "MAX_BYTES",
    "check_file",
    "data_path",
    "default_data",
    "events_path_for",
    "is_present",
    "load_events",
    "load_spaces",
    "read_bytes",
    "read_json",
]

logger = logging.getLogger(__name__)

DATA_RELATIVE = Path("data") / "spaces.geojson"
"""Where the spaces file is, relative to a project folder."""
MAX_BYTES = 200 * 1024 * 1024
"""Files above this size are refused (about 200,000 spaces), before or while reading; `max_bytes` changes it."""
ENV_DATA = "CREATIVE_MAP_DATA"


def default_data(start: str | os.PathLike[str] | None = None) -> Path:
    """Return ``data/spaces.geojson`` in `start` (default: the current folder) or its nearest parent that has one.

    So the shipped data is found from anywhere inside the project (its ``notebooks/`` folder included); with
    none found, the path under `start` is returned and loading it says that it is missing.
    """
    here = Path(start) if start is not None else Path.cwd()
    for folder in (here, *here.parents):
        candidate = folder / DATA_RELATIVE
        if candidate.is_file():
            return candidate
    return here / DATA_RELATIVE


def data_path(path: str | os.PathLike[str] | None = None) -> Path:
    """Return the spaces file to use: `path`, else ``$CREATIVE_MAP_DATA``, else `default_data`."""
    if path is not None and str(path):
        return Path(path)
    env = os.environ.get(ENV_DATA, "")
    return Path(env) if env else default_data()


def events_path_for(spaces_path: str | os.PathLike[str]) -> Path:
    """Return the events file that goes with a spaces file: ``events.geojson`` beside it."""
    return Path(spaces_path).with_name("events.geojson")


def is_present(path: str | os.PathLike[str]) -> bool:
    """Return whether anything is at `path`: a file, a folder, a pipe, or a symbolic link even when it is broken
    or a loop (``Path.exists`` says False for those, and a file that cannot be read would be skipped unseen)."""
    return os.path.lexists(path)


_CHUNK: Final = 1 << 20
_NOT_REGULAR: Final = (
    (stat.S_ISDIR, "is a directory; expected a GeoJSON file"),
    (stat.S_ISFIFO, "is a named pipe (FIFO), not a regular file; only regular files are read"),
    (stat.S_ISCHR, "is a character device (such as /dev/zero), not a regular file; only regular files are read"),
    (stat.S_ISBLK, "is a block device, not a regular file; only regular files are read"),
    (stat.S_ISSOCK, "is a socket, not a regular file; only regular files are read"),
)
_OPEN_FLAGS: Final = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO swapped in after the check must not block the open
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def _not_regular(mode: int) -> str | None:
    """Return why a file of `mode` is not read (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    return next((why for test, why in _NOT_REGULAR if test(mode)), "is not a regular file; only regular files are read")


def _unreadable(exc: OSError) -> str:
    loop = " (a symbolic link that leads back to itself)" if exc.errno == errno.ELOOP else ""
    return f"cannot be read: {exc.strerror or exc}{loop}"


def _too_large(size: str, max_bytes: int) -> str:
    return f"is {size} bytes, above the limit of {max_bytes:,} bytes; split the file or raise the limit"


def read_bytes(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> tuple[bytes | None, list[Problem]]:
    """Read a regular file of at most `max_bytes` bytes; anything else gets a problem, at once.

    The path is looked at before it is opened (a folder, a pipe, a device or a socket is refused without
    being opened), opened without blocking (a pipe put there in between cannot hang it) and looked at again
    through the open file. The size limit is checked against the size the file reports, then applied while
    reading: at most ``max_bytes + 1`` bytes are read, so a file that grows, or reports a wrong size,
    cannot take more memory than that.

    Returns
    -------
    tuple
        The bytes (None when not read) and the problems found (empty when read).
    """
    file = str(path)
    try:
        info = Path(path).stat()
    except OSError as exc:
        return None, [Problem(file, _unreadable(exc))]
    why = _not_regular(info.st_mode)
    if why is not None:
        return None, [Problem(file, why)]
    if info.st_size > max_bytes:
        return None, [Problem(file, _too_large(f"{info.st_size:,}", max_bytes))]
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        return None, [Problem(file, _unreadable(exc))]
    try:
        why = _not_regular(os.fstat(fd).st_mode)
        if why is not None:
            return None, [Problem(file, why)]
        os.set_blocking(fd, True)
        data = bytearray()
        while len(data) <= max_bytes:
            chunk = os.read(fd, min(_CHUNK, max_bytes + 1 - len(data)))
            if not chunk:
                break
            data += chunk
    except OSError as exc:
        return None, [Problem(file, _unreadable(exc))]
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        return None, [Problem(file, _too_large(f"more than {max_bytes:,}", max_bytes))]
    return bytes(data), []


def read_json(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> tuple[object, list[Problem]]:
    """Read a JSON file, refusing what is missing, not a regular file, too large, not UTF-8, empty or not JSON.

    Parameters
    ----------
    path
        The file.
    max_bytes
        Files larger than this are refused: before reading when their size says so, else as soon as the
        reading passes it (see `read_bytes`).

    Returns
    -------
    tuple
        The parsed JSON (None when unreadable) and the problems found. ``NaN`` and ``Infinity`` parse as
        floats so that the feature holding them can be named by the validator.
    """
    file = str(path)
    raw, problems = read_bytes(path, max_bytes=max_bytes)
    if raw is None:
        return None, problems
    if not raw.strip():
        return None, [Problem(file, "is empty; expected a GeoJSON FeatureCollection")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            Problem(
                file,
                f"is not UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start} "
                f"(line {line}); save the file as UTF-8",
            )
        ]
    try:
        return json.loads(text), []
    except json.JSONDecodeError as exc:
        truncated = exc.pos >= len(text.rstrip()) or _is_unclosed(text)
        what = "ends before the JSON does (truncated?)" if truncated else f"is not valid JSON: {exc.msg}"
        return None, [Problem(file, f"{what} at line {exc.lineno}, column {exc.colno}")]
    except RecursionError:
        return None, [Problem(file, "is not usable JSON: nested too deeply")]
    except ValueError as exc:  # an integer of more than 4,300 digits (sys.get_int_max_str_digits)
        return None, [Problem(file, f"is not usable JSON: {quote(str(exc).split(':')[0])}")]


def _is_unclosed(text: str) -> bool:
    """Return whether `text` ends inside a string or with brackets still open: a cut-off JSON file."""
    depth, in_string, escaped = 0, False, False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
    return in_string or depth > 0


def check_file(
    path: str | os.PathLike[str], *, kind: str = "spaces", space_ids: set[str] | None = None, max_bytes: int = MAX_BYTES
) -> Checked:
    """Read and check a spaces (`kind` ``"spaces"``) or events (``"events"``) file; never raises for bad data."""
    data, problems = read_json(path, max_bytes=max_bytes)
    if problems:
        return Checked(problems=problems)
    if kind == "events":
        return check_events(data, file=str(path), space_ids=space_ids)
    return check_spaces(data, file=str(path))


def load_spaces(path: str | os.PathLike[str] | None = None, *, max_bytes: int = MAX_BYTES) -> gpd.GeoDataFrame:
    """Load and validate the spaces file into a GeoDataFrame with the derived columns added once.

    Parameters
    ----------
    path
        The spaces file (default: `data_path`).
    max_bytes
        Files larger than this are refused (`read_bytes`).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per space in file order, in EPSG:4326, with the schema's columns plus `name_folded`,
        `rep_lon` and `rep_lat`.

    Raises
    ------
    DataError
        Listing every problem, when the file is not valid.
    """
    path = data_path(path)
    checked = check_file(path, max_bytes=max_bytes)
    if checked.errors:
        raise DataError(checked.problems)
    return spaces_frame(checked)


def spaces_frame(checked: Checked) -> gpd.GeoDataFrame:
    """Build the spaces GeoDataFrame from checked records (no errors) and add the derived columns."""
    frame = pd.DataFrame(checked.records, columns=list(schema.SPACE_COLUMNS))
    gdf = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(checked.geometries, crs=schema.CRS), crs=schema.CRS)
    return add_derived_columns(gdf)


def add_derived_columns(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return a copy of `gdf` with `name_folded`, `rep_lon` and `rep_lat` added.

    The representative point (the point itself for a venue, a point inside a street or an area) is computed
    here, once: joins, distances, events, the map and the CSV all read `rep_lon`/`rep_lat`.
    """
    out = gdf.copy()
    out[schema.NAME_FOLDED] = [
        f"{fold(vi)} | {fold(en)}" for vi, en in zip(out[schema.NAME_VI], out[schema.NAME_EN], strict=True)
    ]
    points = out.geometry.representative_point()
    out[schema.REP_LON] = points.x.to_numpy()
    out[schema.REP_LAT] = points.y.to_numpy()
    return out


def load_events(
    path: str | os.PathLike[str] | None = None, *, spaces: gpd.GeoDataFrame | None = None, max_bytes: int = MAX_BYTES
) -> gpd.GeoDataFrame:
    """Load and validate the events file.

    Parameters
    ----------
    path
        The events file (default: ``events.geojson`` beside the spaces file). A missing default file
        gives an empty frame (a broken or looping link there is an error, see `is_present`); a missing
        named file is an error.
    spaces
        The loaded spaces: each event's `space_ids` must name one of them, and the event's geometry is
        the union of its spaces' representative points.
    max_bytes
        Files larger than this are refused (`read_bytes`).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per event, with the schema's event columns.

    Raises
    ------
    DataError
        Listing every problem, when the file is not valid.
    """
    columns = list(schema.EVENT_COLUMNS)
    if path is None:
        path = events_path_for(data_path())
        if not is_present(path):
            return gpd.GeoDataFrame(pd.DataFrame(columns=columns), geometry=gpd.GeoSeries([], crs=schema.CRS))
    ids = set(spaces[schema.ID]) if spaces is not None else None
    checked = check_file(path, kind="events", space_ids=ids, max_bytes=max_bytes)
    if checked.errors:
        raise DataError(checked.problems)
    frame = pd.DataFrame(checked.records, columns=columns)
    geometries = None
    if spaces is not None:
        rep = zip(spaces[schema.REP_LON], spaces[schema.REP_LAT], strict=True)
        lonlat = dict(zip(spaces[schema.ID], rep, strict=True))
        geometries = [
            shapely.union_all(shapely.points([lonlat[i] for i in ids_])) if ids_ else None
            for ids_ in frame[schema.SPACE_IDS]
        ]
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometries or [None] * len(frame), crs=schema.CRS))
