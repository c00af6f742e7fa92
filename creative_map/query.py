"""The one filter: the app, the CLI, the exports and the notebooks all select spaces through it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from creative_map import admin, schema
from creative_map.patterns import is_iso_date
from creative_map.text import clip, fold

__all__ = ["Filter", "filter_spaces", "plan_item_known", "search_spaces"]


def plan_item_known(value: str) -> bool:
    """Return whether `value` is an item of the plan or a group of them: ``3.1.2.a``, ``3.1.2``, ``3.1``."""
    return any(item == value or item.startswith(value + ".") for item in schema.PLAN_ITEMS)


@dataclass(frozen=True)
class Filter:
    """What a person chose: every field empty means "no restriction"; values within a field are OR-ed."""

    districts: tuple[str, ...] = ()
    """Pre-2025 districts: any spelling the resolver accepts, made canonical (full names) when the filter is made."""
    wards_2025: tuple[str, ...] = ()
    """2025 wards and communes, likewise."""
    categories: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    network_members: tuple[str, ...] = ()
    plan_items: tuple[str, ...] = ()
    """A plan item matches itself and its sub-items: ``3.1.2`` matches ``3.1.2.a``."""
    search: str = ""
    event_start: str | None = None
    event_end: str | None = None
    """With `event_start`/`event_end` (``YYYY-MM-DD``), keep the spaces hosting an event in that window."""

    def __post_init__(self) -> None:
        """Make unit names canonical; refuse unknown values, dates not written ``YYYY-MM-DD`` and a window that
        ends before it starts (`ValueError` naming the field and the known values)."""
        # Unit names are resolved once, here: every user of a Filter reads canonical full names.
        object.__setattr__(
            self, "districts", tuple(dict.fromkeys(admin.resolve_district(d).name for d in self.districts))
        )
        object.__setattr__(
            self, "wards_2025", tuple(dict.fromkeys(admin.resolve_ward_2025(w).name for w in self.wards_2025))
        )
        unknown = [
            (name, v, vocab)
            for name, values, vocab in (
                ("categories", self.categories, schema.CATEGORIES),
                ("statuses", self.statuses, schema.STATUSES),
                ("network_members", self.network_members, schema.NETWORK_MEMBER),
            )
            for v in values
            if v not in vocab
        ]
        if unknown:
            name, value, vocab = unknown[0]
            raise ValueError(f"`{name}` has unknown value {clip(value)!r}; expected one of: {', '.join(vocab)}")
        for item in self.plan_items:
            if not plan_item_known(item):
                raise ValueError(
                    f"`plan_items` has unknown value {clip(item)!r}; expected one of: {', '.join(schema.PLAN_ITEMS)}"
                    " or a group of them such as 3.1.2"
                )
        for name, date in (("event_start", self.event_start), ("event_end", self.event_end)):
            if date and not is_iso_date(date):
                raise ValueError(f"`{name}` must be a date written YYYY-MM-DD, not {clip(date)!r}")
        if self.event_start and self.event_end and self.event_start > self.event_end:
            raise ValueError(f"`event_start` {self.event_start} is after `event_end` {self.event_end}")


def search_spaces(spaces: gpd.GeoDataFrame, text: str) -> pd.Series:
    """Return a boolean mask of the spaces whose names contain every word of `text`, accents and case aside.

    ``van mieu``, ``Van Miếu`` and ``VĂN MIẾU`` all find ``Văn Miếu – Quốc Tử Giám``; partial words count
    (``mieu`` finds it too).
    """
    words = fold(text).replace("|", " ").split()
    mask = pd.Series(True, index=spaces.index)
    for word in words:
        mask &= spaces[schema.NAME_FOLDED].str.contains(word, regex=False)
    return mask


def filter_spaces(
    spaces: gpd.GeoDataFrame, flt: Filter | None = None, *, events: gpd.GeoDataFrame | None = None
) -> gpd.GeoDataFrame:
    """Return the spaces that `flt` selects, in their original order (the input is not changed).

    Parameters
    ----------
    spaces
        The frame `creative_map.io.load_spaces` returned.
    flt
        The choices; None selects everything.
    events
        The events frame, needed when `flt` has an event window.

    Returns
    -------
    geopandas.GeoDataFrame
        The selected rows.

    Raises
    ------
    ValueError
        On an event window without events.
    """
    if flt is None:
        return spaces.copy()
    mask = pd.Series(True, index=spaces.index)
    if flt.districts:
        mask &= spaces[schema.DISTRICT].isin(set(flt.districts))
    if flt.wards_2025:
        mask &= spaces[schema.WARD_2025].isin(set(flt.wards_2025))
    for column, values in (
        (schema.CATEGORY, flt.categories),
        (schema.STATUS, flt.statuses),
        (schema.NETWORK_MEMBER_COL, flt.network_members),
    ):
        if values:
            mask &= spaces[column].isin(set(values))
    if flt.plan_items:
        mask &= spaces[schema.PLAN_ITEM].map(lambda item: _plan_item_matches(item, flt.plan_items)).astype(bool)
    if flt.search.strip():
        mask &= search_spaces(spaces, flt.search)
    if flt.event_start or flt.event_end:
        if events is None:
            raise ValueError("an event window needs the events: pass `events`")
        mask &= spaces[schema.ID].isin(space_ids_with_events(events, start=flt.event_start, end=flt.event_end))
    return spaces.loc[mask].copy()


def _plan_item_matches(item: str, wanted: Iterable[str]) -> bool:
    return bool(item) and any(item == w or item.startswith(w + ".") for w in wanted)


def space_ids_with_events(events: gpd.GeoDataFrame, *, start: str | None = None, end: str | None = None) -> set[str]:
    """Return the ids of the spaces that host an event overlapping [`start`, `end`] (ISO dates, inclusive)."""
    ids: set[str] = set()
    for ev_start, ev_end, space_ids in zip(
        events[schema.START], events[schema.END], events[schema.SPACE_IDS], strict=True
    ):
        if (end is None or ev_start <= end) and (start is None or ev_end >= start):
            ids.update(space_ids)
    return ids
