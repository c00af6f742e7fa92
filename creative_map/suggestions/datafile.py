"""Changing the data files safely: read under an exclusive lock, validate the whole file, replace it atomically.

`locked` takes an exclusive ``fcntl.flock`` on a lock file beside the data (`LOCK_NAME`), reads both files
*inside* the lock and yields them as `DataFiles`; `DataFiles.save` checks the whole files against the schema
and replaces each changed file through a temporary file and a rename. Two writers (threads, processes, or
several app servers sharing the data folder) are serialised, and the second one sees the first one's change:
nothing is lost. `read` gives the same view without the lock, for reading only.
"""

from __future__ import annotations

import contextlib
import copy
import errno
import fcntl
import logging
import os
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from creative_map import io, schema
from creative_map.atomic import write_text_atomic
from creative_map.errors import DataError, Problem
from creative_map.suggestions.canonical import RecordKind, canonical_feature, dumps
from creative_map.validation import Checked, check_events, check_spaces

__all__ = ["LOCK_NAME", "DataFiles", "DataLockedError", "locked", "read"]

logger = logging.getLogger(__name__)

LOCK_NAME: Final = ".creative_map.lock"
"""The lock file, created beside the spaces file (git-ignored)."""
LOCK_TIMEOUT_S: Final = 30.0


class DataLockedError(TimeoutError):
    """Another writer held the data files for longer than the timeout."""


@dataclass
class DataFiles:
    """The spaces and events as the files hold them: Features by id, in canonical form."""

    spaces_path: Path
    events_path: Path
    spaces: dict[str, dict[str, Any]]
    events: dict[str, dict[str, Any]]
    _texts: dict[Path, str | None] = field(default_factory=dict, repr=False)
    """What each file held when read (None: missing), to write only what changed and to restore."""
    _written: list[Path] = field(default_factory=list, repr=False)

    def records(self, kind: RecordKind) -> dict[str, dict[str, Any]]:
        """Return the Features of `kind` by id (the dictionary itself: changing it changes what `save` writes)."""
        return self.spaces if kind == "space" else self.events

    def get(self, kind: RecordKind, record_id: str) -> dict[str, Any] | None:
        """Return a copy of the Feature of `kind` with `record_id`, or None."""
        feature = self.records(kind).get(record_id)
        return copy.deepcopy(feature) if feature is not None else None

    def put(self, kind: RecordKind, feature: Mapping[str, Any] | None, *, record_id: str) -> None:
        """Set the record `record_id` of `kind` to `feature` (None removes it)."""
        records = self.records(kind)
        if feature is None:
            records.pop(record_id, None)
        else:
            records[record_id] = canonical_feature(feature, kind=kind)

    def texts(self) -> dict[Path, str]:
        """Return the canonical text of both files as they are now in memory."""
        return {
            self.spaces_path: dumps(self.spaces.values(), kind="space"),
            self.events_path: dumps(self.events.values(), kind="event"),
        }

    def check(self) -> list[Problem]:
        """Check both files as a whole against the schema; return every problem (errors and warnings)."""
        spaces = _check_collection(self.spaces, "space", self.spaces_path)
        ids = {r.get(schema.ID) for r in spaces.records if r.get(schema.ID)}
        events = _check_collection(self.events, "event", self.events_path, space_ids={str(i) for i in ids})
        return [*spaces.problems, *events.problems]

    def save(self) -> list[Path]:
        """Validate both files as a whole and atomically replace each one that changed.

        Returns
        -------
        list of pathlib.Path
            The files written (none when nothing changed).

        Raises
        ------
        DataError
            When the files would not be valid: nothing is written.
        """
        errors = [p for p in self.check() if p.severity == "error"]
        if errors:
            raise DataError(errors)
        written = []
        for path, text in self.texts().items():
            if text != self._texts.get(path):
                if path == self.events_path and self._texts.get(path) is None and not self.events:
                    continue  # no events file and still no events: do not create an empty one
                write_text_atomic(path, text, force=True)
                written.append(path)
        self._written += written
        logger.info("wrote %s", ", ".join(str(p) for p in written) or "nothing (no change)")
        return written

    def restore(self) -> None:
        """Put back the files `save` wrote as they were when read (when what followed the save failed)."""
        for path in self._written:
            text = self._texts.get(path)
            if text is None:
                path.unlink(missing_ok=True)
            else:
                write_text_atomic(path, text, force=True)


def _check_collection(
    records: Mapping[str, Mapping[str, Any]], kind: RecordKind, path: Path, *, space_ids: set[str] | None = None
) -> Checked:
    data = {"type": "FeatureCollection", "features": list(records.values())}
    if kind == "event":
        return check_events(data, file=str(path), space_ids=space_ids)
    return check_spaces(data, file=str(path))


def _read_features(path: Path, kind: RecordKind, *, required: bool) -> tuple[dict[str, dict[str, Any]], str | None]:
    if not required and not path.exists():
        return {}, None
    data, problems = io.read_json(path)
    if problems:
        raise DataError(problems)
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise DataError([Problem(str(path), "is not a GeoJSON FeatureCollection")])
    out: dict[str, dict[str, Any]] = {}
    for index, feature in enumerate(features):
        props = feature.get("properties") if isinstance(feature, dict) else None
        fid = props.get(schema.ID) if isinstance(props, dict) else None
        if not isinstance(fid, str) or fid in out:
            raise DataError([Problem(str(path), "has no usable id or a repeated id", index, fid, schema.ID)])
        out[fid] = canonical_feature(feature, kind=kind)
    return out, path.read_text(encoding="utf-8")


def read(spaces_path: str | os.PathLike[str] | None = None) -> DataFiles:
    """Read the spaces file (default: `creative_map.io.data_path`) and the events file beside it, without a lock.

    Raises
    ------
    DataError
        When a file cannot be read as a FeatureCollection of records with unique ids (a missing events file
        is no error: there are no events yet).
    """
    spaces_file = io.data_path(spaces_path)
    events_file = io.events_path_for(spaces_file)
    spaces, spaces_text = _read_features(spaces_file, "space", required=True)
    events, events_text = _read_features(events_file, "event", required=False)
    return DataFiles(spaces_file, events_file, spaces, events, {spaces_file: spaces_text, events_file: events_text})


@contextlib.contextmanager
def _flock(path: Path, *, timeout: float) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    raise DataLockedError(
                        f"{path.parent} is being changed by another writer (lock {path.name} held for over "
                        f"{timeout:.0f} s); try again"
                    ) from None
                time.sleep(0.02)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextlib.contextmanager
def locked(
    spaces_path: str | os.PathLike[str] | None = None, *, timeout: float = LOCK_TIMEOUT_S
) -> Iterator[DataFiles]:
    """Hold the data files exclusively: read them inside the lock, yield them, release the lock at the end.

    Parameters
    ----------
    spaces_path
        The spaces file (default: `creative_map.io.data_path`); the events file is the one beside it.
    timeout
        Seconds to wait for another writer before giving up with `DataLockedError`.

    Yields
    ------
    DataFiles
        The files as read inside the lock; call `DataFiles.save` to write the changes before the block ends.
    """
    spaces_file = io.data_path(spaces_path)
    with _flock(spaces_file.parent / LOCK_NAME, timeout=timeout):
        yield read(spaces_file)
