"""The iCalendar export: the selection's events as an RFC 5545 file that calendar programs import.

Written with the `icalendar` library (BSD-2-Clause), which escapes text (``\\,`` ``\\;`` ``\\n``), folds lines at
75 octets without splitting a UTF-8 character, and ends lines with CRLF. One VEVENT per event of the selection:

- ``UID``: the event's id at `UID_DOMAIN`, stable across exports, so a calendar that imports the file again
  updates the events instead of doubling them;
- ``DTSTART`` / ``DTEND``: all-day dates (``VALUE=DATE``), DTEND the day after the last day (exclusive);
- ``DTSTAMP``: the export date at 00:00 UTC (not the clock), so the same data gives the same bytes;
- ``SUMMARY`` in the chosen language; ``DESCRIPTION`` in both, plain text, with the sources;
- ``LOCATION``: the selected spaces' names and addresses; ``GEO``: the first of them;
- ``URL``: the event's website, only when it is ``http(s)``; ``CATEGORIES``: the kinds of its spaces and its
  item of plan 161; ``TRANSP:TRANSPARENT`` (a months-long exhibition does not make anyone busy).

A selection without events gives a calendar with no VEVENT (calendar programs import it as empty; strictly,
RFC 5545 wants one component at least).
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Final

import icalendar

from creative_map import schema
from creative_map.dataset import Selection
from creative_map.events import Event, events_of
from creative_map.export._common import ExportOptions, source_citation
from creative_map.i18n import describe_filter, other_lang, t, vocab_label
from creative_map.types import Lang

__all__ = ["PRODID", "UID_DOMAIN", "calendar_bytes", "event_uid", "write_ics"]

logger = logging.getLogger(__name__)

UID_DOMAIN: Final = "creative-map.invalid"
"""The right-hand side of every event's UID. The project has no domain of its own yet; ``.invalid`` can never
belong to anyone else. Change it only together with a note to users: a calendar that imported the old UIDs would
show each event twice."""
PRODID: Final = "-//creative_map//Hanoi creative spaces//{lang}"
"""Who wrote the file (RFC 5545 3.7.3), with the language of its names."""


def event_uid(event_id: str) -> str:
    """Return the UID of an event: its id (stable, never reused) at `UID_DOMAIN`."""
    return f"{event_id}@{UID_DOMAIN}"


def _description(event: Event, lang: Lang) -> str:
    """The event in both languages, plain text: the chosen language first, then the other, then the sources."""
    parts = []
    for code in (lang, other_lang(lang)):
        name = getattr(event, f"name_{code}")
        text = getattr(event, f"description_{code}")
        if code == lang:
            parts.append(text or name)
        elif name or text:
            parts.append(f"{name}: {text}" if name and text else name or text)
    if event.sources:
        parts.append(f"{t('ics_sources', lang)}: {' '.join(event.sources)}")
    parts.append(source_citation())
    return "\n\n".join(p for p in parts if p)


def _location(event: Event, lang: Lang) -> str:
    return "; ".join(f"{s.name(lang)} ({s.address})" if s.address else s.name(lang) for s in event.spaces)


def _categories(event: Event, lang: Lang) -> list[str]:
    kinds = dict.fromkeys(vocab_label(schema.CATEGORIES, s.category, lang) for s in event.spaces if s.category)
    found = list(kinds)
    if event.plan_item:
        found.append(t("ics_plan_item", lang, item=event.plan_item))
    return found


def _vevent(event: Event, lang: Lang, stamp: dt.datetime) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", event_uid(event.id))
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", event.start)
    vevent.add("dtend", event.end + dt.timedelta(days=1))
    vevent.add("summary", event.name(lang), parameters={"LANGUAGE": lang})
    vevent.add("description", _description(event, lang))
    location = _location(event, lang)
    if location:
        vevent.add("location", location, parameters={"LANGUAGE": lang})
    if event.spaces:
        first = event.spaces[0]
        vevent.add("geo", (round(first.lat, 6), round(first.lon, 6)))
    if event.url:
        vevent.add("url", event.url)
    categories = _categories(event, lang)
    if categories:
        vevent.add("categories", categories)
    vevent.add("transp", "TRANSPARENT")
    return vevent


def calendar_bytes(selection: Selection, options: ExportOptions) -> bytes:
    """Return the selection's events as an iCalendar file (RFC 5545), UTF-8 with CRLF line ends.

    Parameters
    ----------
    selection
        `creative_map.select`'s result: its events, each with the selected spaces where it happens.
    options
        `lang` (names and labels; the description carries both languages) and `date` (DTSTAMP).

    Returns
    -------
    bytes
    """
    lang = options.lang
    stamp = dt.datetime.combine(options.date, dt.time(0, 0), tzinfo=dt.UTC)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID.format(lang=lang.upper()))
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = t("ics_calendar_name", lang)
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-caldesc", f"{describe_filter(selection.filter, lang)}. {source_citation()}")
    found = events_of(selection)
    for event in found:
        cal.add_component(_vevent(event, lang, stamp))
    if not found:
        logger.info("the selection holds no event: the calendar is empty")
    data: bytes = cal.to_ical()
    return data


def write_ics(selection: Selection, path: Path, options: ExportOptions) -> None:
    """Write the iCalendar file of the selection's events (see `calendar_bytes`)."""
    path.write_bytes(calendar_bytes(selection, options))
