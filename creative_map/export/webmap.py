"""The HTML export: the app's map as one self-contained page that opens from disk with no network.

The map is `creative_map.mapping.build_map` with Leaflet and its plugins inlined (``assets="inline"``); only
basemap tiles would come from the network, and the page draws without them. When the selection holds events,
they are listed beside the map (below it on a narrow screen): what is on at the export date, then what comes,
then what was (`creative_map.events.whats_on`), each with its dates and its spaces (`events_html`).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from typing import Final

from branca.element import Figure, MacroElement
from jinja2 import Template

from creative_map import mapping
from creative_map.dataset import Selection
from creative_map.events import date_range_text, phase_label, whats_on
from creative_map.export._common import ExportOptions
from creative_map.i18n import t
from creative_map.types import Lang, Level

__all__ = ["EVENTS_CSS", "events_html", "html_text", "write_html"]

EVENTS_CSS: Final = """
.cm-whats-on { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  color: #1f2328; background: #fff; box-sizing: border-box; padding: 0.75rem 1rem 1.5rem; }
.cm-whats-on h2 { font-size: 1.25rem; margin: 0 0 0.1rem; }
.cm-whats-on h3 { font-size: 1rem; margin: 1rem 0 0.3rem; border-bottom: 1px solid #d0d7de; }
.cm-whats-on .cm-as-of { color: #57606a; margin: 0; }
.cm-whats-on ul { list-style: none; margin: 0; padding: 0; }
.cm-whats-on li { margin: 0 0 0.55rem; }
.cm-whats-on .cm-when { display: block; color: #57606a; font-variant-numeric: tabular-nums; }
.cm-whats-on .cm-event { font-weight: 600; }
.cm-whats-on a { color: #0b5cad; }
.cm-whats-on:focus-visible { outline: 3px solid #0b5cad; outline-offset: -3px; }
.cm-whats-on .cm-where { display: block; }
@media (min-width: 900px) {
  .folium-map { width: calc(100% - 24rem) !important; }
  .cm-whats-on { position: fixed; top: 0; right: 0; bottom: 0; width: 24rem; overflow-y: auto;
    border-left: 1px solid #d0d7de; }
}
@media (max-width: 899.98px) {
  .folium-map { height: 70vh !important; }
  .cm-whats-on { border-top: 1px solid #d0d7de; }
}
"""
"""The events list's style: a column at the right of the map on a wide screen, below the map on a phone."""


def _html_level(selection: Selection) -> Level:
    """Return the unit layer the HTML map draws: 2025 wards when the filter picks wards, else the districts."""
    flt = selection.filter
    return "ward_2025" if flt.wards_2025 and not flt.districts else "district"


_FOLIUM_ID: Final = re.compile(r"\b([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*?)_([0-9a-f]{32})(?![0-9a-f])")


def _stable_ids(page: str) -> str:
    """Return `page` with folium's random element ids (``map_<32 hex>``) renumbered in order of appearance.

    folium names every element with 16 random bytes, so two renders of the same map differ; renaming them
    consistently (``map_0001``, ``marker_cluster_0002``, ...) keeps the page working and makes it deterministic.
    """
    seen: dict[str, str] = {}

    def rename(match: re.Match[str]) -> str:
        key = match.group(2)
        if key not in seen:
            seen[key] = f"{len(seen) + 1:032d}"
        return f"{match.group(1)}_{seen[key]}"

    return _FOLIUM_ID.sub(rename, page)


class _EventsList(MacroElement):
    """The events section, placed after the map's element (so below it in reading order), with its style."""

    _template = Template(
        "{% macro header(this, kwargs) %}<style>{{ this.css }}</style>{% endmacro %}"
        "{% macro html(this, kwargs) %}{{ this.listing }}{% endmacro %}"
    )

    def __init__(self, listing: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "EventsList"
        self.listing = listing
        self.css = EVENTS_CSS


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def events_html(selection: Selection, *, lang: Lang, today: dt.date) -> str:
    """Return the selection's events as an HTML section, every text escaped ("" when there is no event).

    Parameters
    ----------
    selection
        `creative_map.select`'s result.
    lang
        The language of names and headings.
    today
        The reference date (the export's date): what is on then comes first, then this month, what comes later,
        and the past events last, the most recent first.

    Returns
    -------
    str
        ``<section class="cm-whats-on">``: per group a heading and a list; per event its dates, its name (a link
        to its website when that is http(s), opened in a new tab) and the selected spaces where it happens.
    """
    on = whats_on(selection, today=today)
    if not len(on):
        return ""
    parts = [
        # tabindex: on a wide screen the section scrolls on its own, and a keyboard must be able to scroll it
        f'<section class="cm-whats-on" lang="{_e(lang)}" aria-labelledby="cm-whats-on-title" tabindex="0">',
        f'<h2 id="cm-whats-on-title">{_e(t("events_title", lang))}</h2>',
        f'<p class="cm-as-of">{_e(t("events_as_of", lang, date=date_range_text(today, today, lang)))}</p>',
    ]
    for phase, group in on.groups():
        parts.append(f'<h3 class="cm-phase-{_e(phase)}">{_e(phase_label(phase, lang))}</h3><ul>')
        for event in group:
            name = _e(event.name(lang))
            if event.url:
                name = f'<a href="{_e(event.url)}" target="_blank" rel="noopener noreferrer">{name}</a>'
            where = ", ".join(_e(space.name(lang)) for space in event.spaces)
            hidden = len(event.space_ids) - len(event.spaces)
            if hidden > 0:
                where = f"{where} {_e(t('events_more_places', lang, n=hidden))}" if where else ""
            parts.append(
                f'<li data-event="{_e(event.id)}"><time class="cm-when" datetime="{event.start.isoformat()}">'
                f'{_e(event.when(lang))}</time><span class="cm-event">{name}</span>'
                + (f'<span class="cm-where">{_e(t("events_at", lang))}: {where}</span>' if where else "")
                + "</li>"
            )
        parts.append("</ul>")
    parts.append("</section>")
    return "".join(parts)


def html_text(selection: Selection, options: ExportOptions) -> str:
    """Return the map as one self-contained HTML page (Leaflet and plugins inlined: no network needed), with
    the selection's events listed beside it as of the export date (`events_html`)."""
    m = mapping.build_map(
        selection, lang=options.lang, boundaries=options.units[_html_level(selection)], assets="inline"
    )
    listing = events_html(selection, lang=options.lang, today=options.date)
    if listing:
        m.add_child(_EventsList(listing))
    root = m.get_root()
    assert isinstance(root, Figure), "a folium map always sits in a Figure"
    root.title = html.escape(t("export_title", options.lang))  # a page needs a title (WCAG 2.4.2), and a language
    page = str(root.render()).replace("<html>", f'<html lang="{_e(options.lang)}">', 1)
    return _stable_ids(page)


def write_html(selection: Selection, path: Path, options: ExportOptions) -> None:
    """Write the self-contained HTML map (see `html_text`)."""
    path.write_text(html_text(selection, options), encoding="utf-8")
