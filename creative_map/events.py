"""What's on: the events of a selection, each with the spaces where it happens, sorted against a reference date.

`events_of` turns a `creative_map.Selection`'s events into `Event` records (dates as dates, the selected spaces
of each with their names, addresses and positions, so a view can link an event to the map). `whats_on` sorts
them against `today`, which the caller always passes (the app: `hanoi_today`; an export: its export date; a
test: a fixed date): nothing here reads the clock but `hanoi_today`. Past events are kept, marked by their
dates; nothing is dropped.

The phases, disjoint:

- ``now``: running today (``start <= today <= end``), those ending soonest first;
- ``this_month``: starting after today and within today's calendar month, soonest first;
- ``upcoming``: starting after this month, soonest first;
- ``past``: ended before today, the most recent first.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal, get_args

from creative_map import schema
from creative_map.dataset import Selection
from creative_map.i18n import t
from creative_map.patterns import is_http_url
from creative_map.schema import Label
from creative_map.types import Lang

__all__ = [
    "HANOI_TZ",
    "PHASES",
    "Event",
    "EventSpace",
    "Phase",
    "WhatsOn",
    "date_range_text",
    "events_of",
    "hanoi_today",
    "phase_label",
    "phase_of",
    "whats_on",
]

Phase = Literal["now", "this_month", "upcoming", "past"]
"""Where an event stands against a reference date (see the module's docstring)."""
PHASES: Final[tuple[Phase, ...]] = get_args(Phase)
"""The phases in the order a view lists them: what is on, then what comes, then what was."""

HANOI_TZ: Final = dt.timezone(dt.timedelta(hours=7), "ICT")
"""Indochina Time, UTC+7, Hanoi's time all year (Vietnam has no daylight saving time)."""

_MONTHS_EN: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _text(value: Any) -> str:
    """Return a cell as stripped text ("" for a missing value)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _date(value: Any, *, event_id: str, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(_text(value))
    except ValueError:
        raise ValueError(f"event {event_id!r}: field {field!r}: {value!r} is not a date (YYYY-MM-DD)") from None


@dataclass(frozen=True)
class EventSpace:
    """A space where an event happens: what a view needs to name it and link it to the map."""

    id: str
    name_vi: str
    name_en: str
    address: str
    category: str
    lon: float
    lat: float
    """A point inside the space (its representative point), WGS 84."""

    def name(self, lang: Lang = "vi") -> str:
        """Return the space's name in `lang`, falling back to the other language."""
        return Label(self.name_vi, self.name_en).get(lang)


@dataclass(frozen=True)
class Event:
    """An event with its dates as dates and the selected spaces where it happens."""

    id: str
    name_vi: str
    name_en: str
    start: dt.date
    end: dt.date
    """The last day (inclusive)."""
    space_ids: tuple[str, ...]
    """Every space the data names for it, selected or not."""
    spaces: tuple[EventSpace, ...]
    """The spaces of `space_ids` that the selection holds (those the map shows), in the order of `space_ids`."""
    description_vi: str = ""
    description_en: str = ""
    website: str = ""
    plan_item: str = ""
    sources: tuple[str, ...] = ()

    def name(self, lang: Lang = "vi") -> str:
        """Return the event's name in `lang`, falling back to the other language."""
        return Label(self.name_vi, self.name_en).get(lang)

    def description(self, lang: Lang = "vi") -> str:
        """Return the event's description in `lang` ("" when neither language has one)."""
        return Label(self.description_vi, self.description_en).get(lang)

    @property
    def url(self) -> str:
        """The event's website when it is an ``http(s)`` address, else ""."""
        return self.website if self.website and is_http_url(self.website) else ""

    @property
    def days(self) -> int:
        """How many days it runs (1 for a one-day event)."""
        return (self.end - self.start).days + 1

    def phase(self, today: dt.date) -> Phase:
        """Return where the event stands on `today` (see `phase_of`)."""
        return phase_of(self.start, self.end, today=today)

    def when(self, lang: Lang = "vi") -> str:
        """Return its dates as a reader writes them (see `date_range_text`)."""
        return date_range_text(self.start, self.end, lang)


def _check_today(today: object) -> dt.date:
    if isinstance(today, dt.datetime) or not isinstance(today, dt.date):
        raise ValueError(
            f"`today` must be a datetime.date (a day, not a moment: use hanoi_today() for the app); got {today!r}"
        )
    return today


def phase_of(start: dt.date, end: dt.date, *, today: dt.date) -> Phase:
    """Return where an event from `start` to `end` (inclusive) stands on `today`.

    ``now`` when it runs that day, ``past`` when it ended before, ``this_month`` when it starts later in the same
    calendar month, ``upcoming`` when it starts in a later month.
    """
    _check_today(today)
    if end < today:
        return "past"
    if start <= today:
        return "now"
    if (start.year, start.month) == (today.year, today.month):
        return "this_month"
    return "upcoming"


def _spaces_by_id(selection: Selection) -> dict[str, EventSpace]:
    spaces = selection.spaces
    if not len(spaces):
        return {}
    columns = [schema.ID, schema.NAME_VI, schema.NAME_EN, schema.ADDRESS, schema.CATEGORY]
    has_rep = schema.REP_LON in spaces.columns and schema.REP_LAT in spaces.columns
    points = spaces.geometry.representative_point()
    out = {}
    for i, row in enumerate(spaces[columns].itertuples(index=False)):
        lon = float(spaces[schema.REP_LON].iat[i]) if has_rep else float(points.iat[i].x)
        lat = float(spaces[schema.REP_LAT].iat[i]) if has_rep else float(points.iat[i].y)
        sid, name_vi, name_en, address, category = (_text(v) for v in row)
        out[sid] = EventSpace(sid, name_vi, name_en, address, category, lon, lat)
    return out


def _event(row: Mapping[str, Any], spaces: Mapping[str, EventSpace]) -> Event:
    event_id = _text(row[schema.ID])
    ids = tuple(_text(i) for i in (row[schema.SPACE_IDS] or ()))
    sources = row.get(schema.SOURCES)
    return Event(
        id=event_id,
        name_vi=_text(row[schema.NAME_VI]),
        name_en=_text(row[schema.NAME_EN]),
        start=_date(row[schema.START], event_id=event_id, field=schema.START),
        end=_date(row[schema.END], event_id=event_id, field=schema.END),
        space_ids=ids,
        spaces=tuple(spaces[i] for i in ids if i in spaces),
        description_vi=_text(row.get(schema.DESCRIPTION_VI)),
        description_en=_text(row.get(schema.DESCRIPTION_EN)),
        website=_text(row.get(schema.WEBSITE)),
        plan_item=_text(row.get(schema.PLAN_ITEM)),
        sources=tuple(_text(s) for s in sources) if isinstance(sources, list | tuple) else (),
    )


def events_of(selection: Selection) -> list[Event]:
    """Return the selection's events as `Event` records, in the selection's order (by start, then id).

    Parameters
    ----------
    selection
        `creative_map.select`'s result: its events are those held at one of its spaces.

    Returns
    -------
    list of Event
        Each with the selected spaces where it happens (`Event.spaces`) and every space the data names for it
        (`Event.space_ids`).
    """
    spaces = _spaces_by_id(selection)
    return [_event(row, spaces) for _, row in selection.events.iterrows()]


@dataclass(frozen=True)
class WhatsOn:
    """The selection's events sorted against a reference date, in four disjoint groups."""

    today: dt.date
    now: tuple[Event, ...]
    """Running on `today`, those ending soonest first."""
    this_month: tuple[Event, ...]
    """Starting after `today` within its calendar month, soonest first."""
    upcoming: tuple[Event, ...]
    """Starting after this month, soonest first."""
    past: tuple[Event, ...]
    """Ended before `today`, the most recent first."""

    def __len__(self) -> int:
        return len(self.now) + len(self.this_month) + len(self.upcoming) + len(self.past)

    @property
    def coming(self) -> tuple[Event, ...]:
        """What is on and what is to come: `now`, then `this_month`, then `upcoming`."""
        return self.now + self.this_month + self.upcoming

    def groups(self, *, include_past: bool = True) -> list[tuple[Phase, tuple[Event, ...]]]:
        """Return the non-empty groups in the order a view lists them (`PHASES`), with their phase."""
        groups: list[tuple[Phase, tuple[Event, ...]]] = [
            ("now", self.now),
            ("this_month", self.this_month),
            ("upcoming", self.upcoming),
            ("past", self.past),
        ]
        return [(p, g) for p, g in groups if g and (include_past or p != "past")]


def whats_on(selection: Selection, *, today: dt.date) -> WhatsOn:
    """Return the selection's events in the groups now, this month, upcoming and past, relative to `today`.

    Parameters
    ----------
    selection
        `creative_map.select`'s result (filter by an event window there to narrow the events).
    today
        The reference date, a `datetime.date` (never read from the clock here: the app passes `hanoi_today()`,
        an export its export date, a test a fixed day).

    Returns
    -------
    WhatsOn
        Every event of the selection in exactly one group, each with its selected spaces.

    Raises
    ------
    ValueError
        When `today` is not a date (a `datetime` is refused too: which day it is depends on the time zone).
    """
    _check_today(today)
    found = events_of(selection)
    by_phase: dict[Phase, list[Event]] = {p: [] for p in PHASES}
    for event in found:
        by_phase[event.phase(today)].append(event)
    return WhatsOn(
        today=today,
        now=tuple(sorted(by_phase["now"], key=lambda e: (e.end, e.start, e.id))),
        this_month=tuple(sorted(by_phase["this_month"], key=lambda e: (e.start, e.end, e.id))),
        upcoming=tuple(sorted(by_phase["upcoming"], key=lambda e: (e.start, e.end, e.id))),
        past=tuple(sorted(by_phase["past"], key=lambda e: (-e.end.toordinal(), -e.start.toordinal(), e.id))),
    )


def hanoi_today(now: dt.datetime | None = None) -> dt.date:
    """Return the date in Hanoi at `now` (default: the clock), the reference date of the public's "What's on".

    A naive `now` is taken as UTC.
    """
    moment = now if now is not None else dt.datetime.now(dt.UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(HANOI_TZ).date()


def _day(day: dt.date, lang: Lang, *, year: bool = True) -> str:
    """Return a day with its month (and year): ``9/1/2026`` or ``9 Jan 2026``."""
    text = f"{day.day}/{day.month}" if lang == "vi" else f"{day.day} {_MONTHS_EN[day.month - 1]}"
    if not year:
        return text
    return f"{text}/{day.year}" if lang == "vi" else f"{text} {day.year}"


def date_range_text(start: dt.date, end: dt.date, lang: Lang = "vi") -> str:
    """Return the days from `start` to `end` (inclusive) as a reader writes them, shortest first.

    Vietnamese: ``9/1/2026``, ``9–11/1/2026``, ``30/1 – 1/3/2026``, ``24/12/2025 – 4/1/2026``; English:
    ``9 Jan 2026``, ``9–11 Jan 2026``, ``30 Jan – 1 Mar 2026``, ``24 Dec 2025 – 4 Jan 2026``.
    """
    if start == end:
        return _day(start, lang)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{_day(end, lang)}"
    if start.year == end.year:
        return f"{_day(start, lang, year=False)} – {_day(end, lang)}"
    return f"{_day(start, lang)} – {_day(end, lang)}"


def phase_label(phase: Phase, lang: Lang = "vi") -> str:
    """Return the heading of a phase's group in `lang` ("On now", "Later this month", ...)."""
    if phase not in PHASES:
        raise ValueError(f"`phase` must be one of {', '.join(PHASES)}; got {phase!r}")
    return t(f"events_{phase}", lang)
