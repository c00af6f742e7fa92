"""The one way in: `load` reads the data once into a `Dataset`; `select` applies a filter to it.

Every entry point (the app, each command, the notebook, the benchmarks) calls these two. What comes after
them (the map, the statistics, every export) takes a `Selection`: the spaces and events shown, the filter
that chose them and how many spaces the data holds.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from creative_map import io, schema
from creative_map.errors import DataError, Problem
from creative_map.query import Filter, filter_spaces
from creative_map.spatial_checks import space_warnings

__all__ = ["Dataset", "Selection", "data_date", "load", "select", "select_events"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False)
class Dataset:
    """The spaces and their events, loaded and checked once (read-only: nothing changes them afterwards)."""

    spaces: gpd.GeoDataFrame
    """Every space, in file order, with the derived columns (`name_folded`, `rep_lon`, `rep_lat`)."""
    events: gpd.GeoDataFrame = field(default_factory=lambda: empty_events())
    """Every event (an empty frame when there is no events file); geometry: its spaces' points."""
    path: Path | None = None
    """The spaces file (None for a dataset built in memory)."""
    events_path: Path | None = None
    """The events file read, or None when there was none."""

    @property
    def total(self) -> int:
        """How many spaces the data holds."""
        return len(self.spaces)

    @functools.cached_property
    def warnings(self) -> tuple[Problem, ...]:
        """The warnings about positions (look-alike duplicates, points outside their unit), computed once when
        first asked for (`creative-map validate` prints them; loading does not need them)."""
        return tuple(space_warnings(self.spaces, file=str(self.path or "<data>")))


@dataclass(frozen=True, eq=False)
class Selection:
    """What a filter chose: the spaces (ordered by id), the events held there, the filter, the data's total."""

    spaces: gpd.GeoDataFrame
    events: gpd.GeoDataFrame = field(default_factory=lambda: empty_events())
    """The events held at one of the selected spaces (and in the filter's event window), by start and id."""
    filter: Filter = field(default_factory=Filter)
    total: int = 0
    """How many spaces the whole data holds (for "N of M")."""

    def __len__(self) -> int:
        return len(self.spaces)

    @property
    def ids(self) -> list[str]:
        """The ids of the selected spaces, in order."""
        return [str(i) for i in self.spaces[schema.ID].tolist()]  # tolist: one conversion, not one per value


def load(
    path: str | os.PathLike[str] | None = None,
    *,
    events_path: str | os.PathLike[str] | None = None,
    max_bytes: int = io.MAX_BYTES,
) -> Dataset:
    """Load and validate the spaces and their events.

    Parameters
    ----------
    path
        The spaces file (default: ``$CREATIVE_MAP_DATA``, else ``data/spaces.geojson`` of the project folder:
        `creative_map.io.data_path`).
    events_path
        The events file. Default: ``events.geojson`` beside the spaces file, when there is one (a missing
        default is no events; a missing named file is an error).
    max_bytes
        Files larger than this are refused.

    Returns
    -------
    Dataset

    Raises
    ------
    DataError
        Listing every problem, when a file is missing, unreadable or not valid.
    """
    spaces_path = io.data_path(path)
    spaces = io.load_spaces(spaces_path, max_bytes=max_bytes)
    events_file = Path(events_path) if events_path is not None else io.events_path_for(spaces_path)
    if events_path is None and not io.is_present(events_file):
        return Dataset(spaces, empty_events(), spaces_path, None)
    if not io.is_present(events_file):
        raise DataError([Problem(str(events_file), "does not exist; expected an events GeoJSON file")])
    events = io.load_events(events_file, spaces=spaces, max_bytes=max_bytes)
    logger.info("loaded %d spaces and %d events from %s", len(spaces), len(events), spaces_path)
    return Dataset(spaces, events, spaces_path, events_file)


def empty_events() -> gpd.GeoDataFrame:
    """Return an events frame with no rows (the schema's columns)."""
    return gpd.GeoDataFrame(
        pd.DataFrame(columns=list(schema.EVENT_COLUMNS)), geometry=gpd.GeoSeries([], crs=schema.CRS)
    )


def select_events(events: gpd.GeoDataFrame, spaces: gpd.GeoDataFrame, flt: Filter | None = None) -> gpd.GeoDataFrame:
    """Return the events held at one of `spaces` (and in the filter's event window), ordered by start and id."""
    ids = set(spaces[schema.ID].tolist())
    keep = [bool(ids.intersection(space_ids)) for space_ids in events[schema.SPACE_IDS]]
    selected = events.loc[keep]
    if flt is not None and flt.event_start:
        selected = selected.loc[selected[schema.END] >= flt.event_start]
    if flt is not None and flt.event_end:
        selected = selected.loc[selected[schema.START] <= flt.event_end]
    return selected.sort_values([schema.START, schema.ID], kind="stable").reset_index(drop=True)


def select(dataset: Dataset, flt: Filter | None = None) -> Selection:
    """Return what `flt` selects from `dataset` (everything when None).

    The spaces are `creative_map.query.filter_spaces`' choice, ordered by id with a fresh index; the events
    are those held at them (and in the event window). The dataset is not changed.
    """
    flt = flt if flt is not None else Filter()
    spaces = filter_spaces(dataset.spaces, flt, events=dataset.events)
    spaces = spaces.sort_values(schema.ID, kind="stable").reset_index(drop=True)
    return Selection(spaces, select_events(dataset.events, spaces, flt), flt, dataset.total)


def data_date(dataset: Dataset) -> dt.date | None:
    """Return the date of the data: the latest `last_verified` of its spaces, else the spaces file's date.

    What a page states as "data as of" (None for a dataset built in memory with no dates).
    """
    column = dataset.spaces[schema.LAST_VERIFIED] if schema.LAST_VERIFIED in dataset.spaces.columns else ()
    dates = [v.strip() for v in column if isinstance(v, str) and v.strip()]
    latest = max(dates, default="")
    try:
        return dt.date.fromisoformat(latest)
    except ValueError:
        pass
    if dataset.path is not None and dataset.path.exists():
        return dt.datetime.fromtimestamp(dataset.path.stat().st_mtime, dt.UTC).date()
    return None
