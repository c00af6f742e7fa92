"""A validated dataset kept on disk as GeoParquet, keyed by the data files' content hash.

Loading the spaces means reading the GeoJSON, checking every field of every feature and building the frame
with its derived columns: about 1 s at 10,000 spaces, 20 s at 100,000. A server that restarts on unchanged
files need not do it again: :func:`entry` finds the dataset that `creative_map.load` built from the same bytes
in a cache folder and reads it back (GeoParquet, through geopandas and pyarrow), which takes a fraction of
that and holds far less memory on the way.

An entry is trusted only when everything about it agrees: its folder is named by the key (a hash of both
files' bytes, of the library's own source and of the cache's format), its manifest repeats the key, and each
Parquet file has the size and SHA-256 the manifest records and holds the schema's columns. Anything else (a
truncated or altered file, a manifest that does not parse, an entry of another library version) is logged,
removed and built again from the data files; a changed data file simply has another key. The cache never
changes what `creative_map.load` returns: :func:`load` gives the same frames, column for column.

The app keeps in memory only the columns its map and pages need (:meth:`Entry.dataset` with `columns`) and
reads the full record of a space from the entry when it is asked for (:meth:`Entry.spaces`).
"""

from __future__ import annotations

import bisect
import contextlib
import dataclasses
import functools
import hashlib
import io as stdio
import itertools
import json
import logging
import os
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from creative_map import io, schema
from creative_map.dataset import Dataset, empty_events
from creative_map.dataset import load as load_fresh
from creative_map.errors import DataError, Problem

__all__ = ["CACHE_FORMAT", "KEEP", "Entry", "content_key", "default_cache_dir", "entry", "load"]

logger = logging.getLogger(__name__)

CACHE_FORMAT: Final = 1
"""The layout of an entry; a change makes every older entry stale."""
KEEP: Final = 4
"""Entries kept in a cache folder (the newest used); older ones are removed when a new one is written."""
ENV_CACHE: Final = "CREATIVE_MAP_CACHE"
_PREFIX: Final = "dataset-"
_MANIFEST: Final = "manifest.json"
_LIST_COLUMNS: Final = {"spaces": (schema.SOURCES,), "events": (schema.SPACE_IDS, schema.SOURCES)}
"""Columns that hold lists: Parquet gives them back as arrays, the loader makes lists."""
_ROW_GROUP: Final = 2048
"""Rows per Parquet row group: reading one space's record reads one group."""


def default_cache_dir() -> Path:
    """``$CREATIVE_MAP_CACHE``, else ``creative_map`` in the user's cache folder (``$XDG_CACHE_HOME``, ``~/.cache``)."""
    env = os.environ.get(ENV_CACHE, "")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME", "") or str(Path.home() / ".cache")
    return Path(base) / "creative_map"


@functools.cache
def _code_digest() -> str:
    """A hash of the library's source (its version included): a loader that changed may build other frames from
    the same bytes."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def content_key(spaces_path: str | os.PathLike[str], events_path: str | os.PathLike[str] | None) -> str:
    """Return the key of the dataset built from these files: a SHA-256 of their bytes and of the loader.

    Parameters
    ----------
    spaces_path
        The spaces file.
    events_path
        The events file, or None when there is none.

    Raises
    ------
    OSError
        When a file cannot be read.
    """
    parts = [
        f"format {CACHE_FORMAT}",
        f"library {_code_digest()}",
        "spaces " + ",".join(schema.SPACE_COLUMNS),
        "events " + ",".join(schema.EVENT_COLUMNS),
        _file_digest(Path(spaces_path)),
        _file_digest(Path(events_path)) if events_path is not None else "no events",
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class Entry:
    """A dataset in the cache: its key, its folder and the data files it was built from."""

    key: str
    folder: Path
    spaces_path: Path
    events_path: Path | None

    @property
    def spaces_file(self) -> Path:
        return self.folder / "spaces.parquet"

    @property
    def events_file(self) -> Path:
        return self.folder / "events.parquet"

    def dataset(self, columns: Iterable[str] | None = None) -> Dataset:
        """Read the dataset back: the spaces (only `columns` of them, the geometry always; None: all) and events.

        The frames are those `creative_map.load` built, in file order, with the same columns and types.
        """
        return Dataset(self.spaces(columns=columns), self._events(), self.spaces_path, self.events_path)

    def spaces(self, ids: Iterable[str] | None = None, *, columns: Iterable[str] | None = None) -> gpd.GeoDataFrame:
        """Read spaces of the entry: those of `ids` (None: every space), in file order, with `columns` (None: all).

        For a few `ids` only the row groups holding them are read (a few milliseconds at 100,000 spaces).
        """
        wanted = None if columns is None else list(dict.fromkeys([*columns, schema.GEOMETRY]))
        if ids is None:
            return _lists_back(gpd.read_parquet(self.spaces_file, columns=wanted), "spaces")
        chosen = pa.array(list(dict.fromkeys(ids)), pa.string())
        parquet = pq.ParquetFile(self.spaces_file)
        rows = pc.indices_nonzero(pc.is_in(parquet.read(columns=[schema.ID]).column(0), value_set=chosen))
        sizes = (parquet.metadata.row_group(g).num_rows for g in range(parquet.num_row_groups))
        starts = list(itertools.accumulate(sizes))
        groups = sorted({bisect.bisect_right(starts, row) for row in rows.to_pylist()})
        table = parquet.read_row_groups(groups, columns=wanted) if groups else parquet.schema_arrow.empty_table()
        if wanted is not None and not groups:
            table = table.select(wanted)
        table = table.filter(pc.is_in(table[schema.ID], value_set=chosen)) if groups else table
        frame = table.to_pandas()
        frame[schema.GEOMETRY] = gpd.GeoSeries.from_wkb(frame[schema.GEOMETRY], crs=schema.CRS)
        return _lists_back(gpd.GeoDataFrame(frame, geometry=schema.GEOMETRY, crs=schema.CRS), "spaces")

    def _events(self) -> gpd.GeoDataFrame:
        if self.events_path is None:
            return empty_events()
        return _lists_back(gpd.read_parquet(self.events_file), "events")


def _lists_back(frame: gpd.GeoDataFrame, kind: str) -> gpd.GeoDataFrame:
    for column in _LIST_COLUMNS[kind]:
        if column in frame.columns:
            frame[column] = [[str(v) for v in values] if values is not None else None for values in frame[column]]
    return frame


def entry(
    path: str | os.PathLike[str] | None = None,
    *,
    events_path: str | os.PathLike[str] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    max_bytes: int = io.MAX_BYTES,
    isolate: bool = False,
) -> Entry:
    """Return the cache entry of the data files, building it (load and validate, then write) when there is none.

    Parameters
    ----------
    path, events_path, max_bytes
        As `creative_map.load`: the spaces file (default `creative_map.io.data_path`), the events file (default:
        ``events.geojson`` beside it, when there is one) and the size limit.
    cache_dir
        The cache folder (default `default_cache_dir`); made when missing.
    isolate
        Build a missing entry in a child process, so that this process never holds the parsed GeoJSON (hundreds
        of MB at 100,000 spaces); a server keeps its memory low that way.

    Returns
    -------
    Entry

    Raises
    ------
    DataError
        When a data file is missing or not valid (as `creative_map.load`).
    OSError
        When the cache folder cannot be made or written.
    """
    spaces_path = io.data_path(path)
    events_file: Path | None = Path(events_path) if events_path is not None else io.events_path_for(spaces_path)
    if events_path is None and events_file is not None and not events_file.exists():
        events_file = None
    for file in (spaces_path, events_file):
        problem = _unreadable(file, max_bytes) if file is not None else None
        if problem is not None:
            raise DataError([problem])
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    key = content_key(spaces_path, events_file)
    found = Entry(key, folder / f"{_PREFIX}{key[:40]}", spaces_path, events_file)
    if _verified(found):
        with contextlib.suppress(OSError):
            os.utime(found.folder)  # the newest used: kept when older entries are removed
        return found
    if isolate:
        problems = _build_in_child(spaces_path, events_file, max_bytes, found.folder, key)
    else:
        problems = _build(spaces_path, events_file, max_bytes, found.folder, key)
    if problems:
        raise DataError(problems)
    if not _verified(found):
        raise OSError(f"the dataset written to {found.folder} cannot be read back")
    _prune(folder, keep=found.folder)
    return found


def load(
    path: str | os.PathLike[str] | None = None,
    *,
    events_path: str | os.PathLike[str] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    max_bytes: int = io.MAX_BYTES,
    columns: Iterable[str] | None = None,
) -> Dataset:
    """`creative_map.load` through the cache: the same dataset, validated once per content of the files.

    `columns` keeps only those columns of the spaces (and the geometry); see `entry` for the rest.
    """
    return entry(path, events_path=events_path, cache_dir=cache_dir, max_bytes=max_bytes).dataset(columns)


def _unreadable(file: Path, max_bytes: int) -> Problem | None:
    """The loader's own message for a file that cannot be hashed (missing, a folder, too large), else None."""
    try:
        size = file.stat().st_size
    except OSError:
        return Problem(str(file), "does not exist; expected a GeoJSON file")
    if file.is_dir():
        return Problem(str(file), "is a directory; expected a GeoJSON file")
    if size > max_bytes:
        _, problems = io.read_json(file, max_bytes=max_bytes)
        return problems[0] if problems else None
    return None


# ------------------------------------------------------------------------------------------ reading an entry


def _verified(found: Entry) -> bool:
    """Whether the entry on disk is complete and intact; a damaged one is logged and removed."""
    manifest_file = found.folder / _MANIFEST
    if not manifest_file.is_file():
        return False
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        problem = _check(found, manifest)
    except (OSError, ValueError, TypeError, KeyError) as exc:
        problem = f"{type(exc).__name__}: {exc}"
    if problem is None:
        return True
    logger.warning("ignoring the damaged dataset cache %s (%s): it is built again", found.folder, problem)
    shutil.rmtree(found.folder, ignore_errors=True)
    return False


def _check(found: Entry, manifest: dict[str, Any]) -> str | None:
    if manifest.get("format") != CACHE_FORMAT or manifest.get("key") != found.key:
        return "another key or format"
    kinds = [("spaces", found.spaces_file, schema.SPACE_COLUMNS)]
    if found.events_path is not None:
        kinds.append(("events", found.events_file, schema.EVENT_COLUMNS))
    for kind, file, columns in kinds:
        about = manifest[kind]
        data = file.read_bytes()
        if len(data) != about["bytes"] or hashlib.sha256(data).hexdigest() != about["sha256"]:
            return f"{file.name} is not the file written"
        meta = pq.read_metadata(stdio.BytesIO(data))
        names = set(meta.schema.to_arrow_schema().names)
        if meta.num_rows != about["rows"] or not {*columns, schema.GEOMETRY} <= names:
            return f"{file.name} lacks rows or columns"
    return None


# ------------------------------------------------------------------------------------------ writing an entry


def _build(spaces_path: Path, events_path: Path | None, max_bytes: int, folder: Path, key: str) -> list[Problem]:
    """Load and validate the files and write the entry into `folder`; return the problems (none: written)."""
    try:
        dataset = load_fresh(spaces_path, events_path=events_path, max_bytes=max_bytes)
    except DataError as exc:
        return list(exc.problems)
    _write(dataset, folder, key)
    return []


def _build_in_child(
    spaces_path: Path, events_path: Path | None, max_bytes: int, folder: Path, key: str
) -> list[Problem]:
    """`_build` in a child process (``python -m creative_map.cache``, the same library); its problems come back
    as JSON on its standard output."""
    package_root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
    request = {
        "spaces": str(spaces_path),
        "events": str(events_path) if events_path is not None else None,
        "max_bytes": max_bytes,
        "folder": str(folder),
        "key": key,
    }
    done = subprocess.run(
        [sys.executable, "-m", "creative_map.cache"],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise OSError(f"building the dataset cache failed (exit {done.returncode}): {done.stderr[-2000:]}")
    return [Problem(**fields) for fields in json.loads(done.stdout)]


def _child_main() -> None:
    request = json.loads(sys.stdin.read())
    events = Path(request["events"]) if request["events"] is not None else None
    problems = _build(Path(request["spaces"]), events, request["max_bytes"], Path(request["folder"]), request["key"])
    sys.stdout.write(json.dumps([dataclasses.asdict(p) for p in problems]))


def _write(dataset: Dataset, folder: Path, key: str) -> None:
    """Write the dataset's frames and their manifest into a new folder, renamed into place when complete."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    temporary = folder.with_name(f".{folder.name}.{os.getpid()}-{secrets.token_hex(4)}.part")
    temporary.mkdir()
    try:
        manifest: dict[str, Any] = {"format": CACHE_FORMAT, "key": key, "written": time.time()}
        frames = [("spaces", dataset.spaces)]
        if dataset.events_path is not None:
            frames.append(("events", dataset.events))
        for kind, frame in frames:
            buffer = stdio.BytesIO()
            frame.to_parquet(buffer, index=False, row_group_size=_ROW_GROUP)
            data = buffer.getvalue()
            (temporary / f"{kind}.parquet").write_bytes(data)
            manifest[kind] = {"rows": len(frame), "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        (temporary / _MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        try:
            temporary.rename(folder)
        except OSError:
            if not (folder / _MANIFEST).is_file():  # not another process's complete entry: a real failure
                raise
            logger.info("another process wrote %s first", folder)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def _prune(cache_dir: Path, *, keep: Path) -> None:
    """Remove entries beyond the `KEEP` newest used (never `keep`), and leftovers of writes that died."""
    entries = []
    for path in cache_dir.glob(f"{_PREFIX}*"):
        with contextlib.suppress(OSError):  # another process may be removing it
            if path.is_dir() and path != keep:
                entries.append((path.stat().st_mtime, path))
    for _, old in sorted(entries, reverse=True)[KEEP - 1 :]:
        shutil.rmtree(old, ignore_errors=True)
    day_ago = time.time() - 24 * 3600
    for leftover in cache_dir.glob(f".{_PREFIX}*.part"):
        with contextlib.suppress(OSError):
            if leftover.stat().st_mtime < day_ago:
                shutil.rmtree(leftover, ignore_errors=True)


if __name__ == "__main__":  # the child process of `entry(..., isolate=True)`
    _child_main()
