"""The folium map of a selection of spaces, its popups and the details of one space, in Vietnamese or English.

The spaces are drawn by one lean layer (:class:`SpacesLayer`): a compact JSON array with a few properties
per space (id, both names, category, status, precision, address, position) handed to the map's script,
which makes the markers (clustered) and the lines and areas, and builds each popup when it opens. At 10,000
spaces this sends well under 200 bytes per space, against about 950 for one `folium.Marker` with its popup
per space (see ``benchmarks/RESULTS.md``). The full details of a space (description, hours, website,
events ...) come with its selection (:func:`selection_layer`, :func:`details_html`), or in every popup when
the map is a self-contained file (``assets="inline"``), where no server is there to ask.

The script and the style sheet are files of the package (``creative_map/resources/map/creative_map.js`` and
``.css``, see `creative_map.assets`), loaded once per page; each element here writes one line that calls
into the script (``creativeMap.spacesLayer(map, data)``, ``creativeMap.legend``,
``creativeMap.selectedSpace``).

In the app, a space whose position is not exact invites a suggestion: its popup and its details end with
"Know where this is? Suggest the exact position", a link to the app's Suggest page for that space
(``suggest_url``, a template the app gives; exported maps have no app behind them and carry no such link).
The Suggest and Review pages show one space's position on a map of their own (:func:`position_map`,
:func:`position_layer`): the current position and the proposed one, told apart by shape and label.

Everything from the data reaches HTML escaped (``html.escape`` here, ``textContent`` in the script), and a
website is a link only when it is ``http(s)``. Points are the representative points computed at load
(`schema.REP_LON`, `schema.REP_LAT`).
"""

from __future__ import annotations

import html
import json
import logging
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final, Literal, NamedTuple
from urllib.parse import quote, urlsplit

import folium
import geopandas as gpd
import pandas as pd
from branca.element import Element, Figure, MacroElement
from folium.map import FitBounds
from folium.template import Template
from shapely.geometry import mapping as shape_mapping
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from creative_map import admin, schema
from creative_map import assets as vendor
from creative_map.boundaries import is_approximate, is_shipped
from creative_map.dataset import Selection
from creative_map.i18n import boundary_note, label, other_lang, plan_label, space_names, t, unit_label, vocab_label
from creative_map.types import BASEMAPS, Basemap, Lang

__all__ = [
    "HANOI_CENTRE",
    "SYMBOLS",
    "TILES",
    "AppLayer",
    "AppView",
    "DataUrls",
    "Legend",
    "PositionPicker",
    "SelectedSpace",
    "SpacesLayer",
    "Tiles",
    "Units",
    "UnitsLayer",
    "app_map",
    "boundaries_attribution",
    "build_map",
    "details_html",
    "details_page_html",
    "focus",
    "legend_html",
    "links_html",
    "list_frame",
    "list_html",
    "payload_meta",
    "position_layer",
    "position_map",
    "safe_url",
    "selection_layer",
    "space_rows",
    "spaces_payload",
    "suggest_link",
    "units_layer",
    "view_layer",
]

logger = logging.getLogger(__name__)

HANOI_CENTRE: Final = (21.0285, 105.8542)
"""(lat, lon) of Hoàn Kiếm Lake: where an empty map opens."""
MAX_ZOOM: Final = 19
MIN_ZOOM: Final = 8
"""Hanoi whole in a phone's width; farther out there is nothing to see (and markercluster has fewer levels)."""
FOCUS_ZOOM: Final = 16
POSITION_ZOOM: Final = 17
"""The zoom of a map made to place one space (a building is then a few dozen pixels wide)."""
COORD_DECIMALS: Final = 5
"""About 1 m: enough for a map, and 4 bytes fewer per coordinate than full precision."""


class Tiles(NamedTuple):
    """Where a basemap's tiles come from and the attribution its licence asks for."""

    url: str
    attribution: str


TILES: Final[dict[Basemap, Tiles | None]] = {
    "osm": Tiles(
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
    ),
    "light": Tiles(
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors '
        '&copy; <a href="https://carto.com/attributions">CARTO</a>',
    ),
    "none": None,
}
"""The tiles of each basemap of `creative_map.types.BASEMAPS` (None: no tiles). Tiles are the only thing the
map loads from outside; it stays readable without them."""

SYMBOLS: Final[dict[str, str]] = {
    "public_space": "♣",
    "heritage": "♜",
    "education": "✎",
    "museum": "Ⅲ",
    "craft_village": "⌂",
    "creative_business": "✦",
    "art_space": "♪",
    "online": "@",
    "other": "☕",
    "walking_street": "⚑",
    "design_centre": "★",
}
"""One symbol per category, drawn inside its colour (glyphs the system fonts have: no icon font to fetch)."""

Assets = Literal["static", "inline"]
Popups = Literal["lean", "full"]
_PAGE_ASSETS: Final = ("leaflet", "markercluster", vendor.MAP_ASSET.name)
"""What the map page loads, in order: Leaflet, markercluster, the map's own script and style sheet."""


# --------------------------------------------------------------------------------------------- text helpers


def _e(value: object) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    return html.escape("" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value))


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value).strip()


def safe_url(value: object) -> str | None:
    """Return `value` when it is an ``http(s)`` address with a host, else None (then it is never a link)."""
    text = _text(value)
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc and not any(c in text for c in "\"'<> \n\t"):
        return text
    return None


_TEMPLATE_OPENING: Final = re.compile(r"\{(?=[{%#])")
"""A brace that would open a Jinja tag (``{{``, ``{%``, ``{#``): one character and a look-ahead, linear."""


def _script_json(value: object) -> str:
    """Return `value` as JSON that is safe inside a ``<script>`` element (no ``</script>``, no ``<!--``) and
    inside a template: branca renders each element's script again as a Jinja template, so a ``{{`` from the
    data would run as template code there; it is written ``\\u007b{`` (the same character in a JSON string;
    compact JSON never has ``{`` before ``{``, ``%`` or ``#`` outside a string)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("\u2028", "\\u2028")
    return _TEMPLATE_OPENING.sub(r"\\u007b", text)


def _category(cat_id: str) -> schema.Category | None:
    return schema.CATEGORIES.get(cat_id)


def _symbol_html(cat_id: str, *, exact: bool = True) -> str:
    cat = _category(cat_id)
    colour = cat.colour if cat else "#757575"
    cls = "cm-sym" if exact else "cm-sym cm-approx"
    style = f"background:{_e(colour)};border-color:{_e(colour)}" + ("" if exact else f";color:{_e(colour)}")
    return f'<span class="{cls}" style="{style}" aria-hidden="true">{_e(SYMBOLS.get(cat_id, "●"))}</span>'


# ------------------------------------------------------------------------------------------------ details


def _events_of(space_id: str, events: gpd.GeoDataFrame | None) -> list[Mapping[str, Any]]:
    if events is None or len(events) == 0:
        return []
    rows = [row for _, row in events.iterrows() if space_id in (row[schema.SPACE_IDS] or [])]
    return sorted(rows, key=lambda row: (row[schema.START], row[schema.END]))


def suggest_link(space_id: str, suggest_url: str) -> str:
    """Return the address of the Suggest page for `space_id`: `suggest_url` with ``{id}`` replaced (URL-quoted)."""
    return suggest_url.replace("{id}", quote(space_id, safe=""))


def _suggest_html(space: Mapping[str, Any], *, lang: Lang, suggest_url: str | None) -> str:
    """The invitation of a space whose position is not exact, or "" (exact, or no app to link to)."""
    precision = _text(space.get(schema.POSITION_PRECISION)) or "exact"
    space_id = _text(space.get(schema.ID))
    if suggest_url is None or precision == "exact" or not space_id:
        return ""
    href = suggest_link(space_id, suggest_url)
    return (
        f'<p class="cm-suggest">{_e(t("suggest_ask", lang))} '
        f'<a class="cm-suggest-link" href="{_e(href)}">{_e(t("suggest_exact", lang))}</a></p>'
    )


def links_html(space: Mapping[str, Any], *, lang: Lang = "vi", copy: bool = True) -> str:
    """Return a space's directions links and its "copy link" button as an HTML fragment (``<p class="cm-links">``).

    Directions to the space's representative point on OpenStreetMap
    (``https://www.openstreetmap.org/directions?to=LAT,LON``) and Google Maps
    (``https://www.google.com/maps/dir/?api=1&destination=LAT,LON``), each opened in a new tab with
    ``rel="noopener noreferrer"``; with `copy`, a button (``button.cm-copy``, ``data-cm-id``: the space's id) that
    the map's script wires to copy the space's address (the app's ``?sel=<id>``, the offline map's ``#sel=<id>``).
    "" when the space has no position.
    """
    try:
        lat, lon = float(space[schema.REP_LAT]), float(space[schema.REP_LON])
    except (KeyError, TypeError, ValueError):
        return ""
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return ""
    to = f"{round(lat, COORD_DECIMALS)!r},{round(lon, COORD_DECIMALS)!r}"  # numbers only: nothing to quote
    links = [
        ("cm-dir cm-dir-osm", f"https://www.openstreetmap.org/directions?to={to}", t("dir_osm", lang)),
        ("cm-dir cm-dir-google", f"https://www.google.com/maps/dir/?api=1&destination={to}", t("dir_google", lang)),
    ]
    parts = [
        f'<a class="{cls}" href="{_e(href)}" target="_blank" rel="noopener noreferrer">{_e(text)}</a> '
        for cls, href, text in links
    ]
    if copy:
        space_id = _text(space.get(schema.ID))
        parts.append(
            f'<button type="button" class="cm-copy" data-cm-id="{_e(space_id)}">{_e(t("copy_link", lang))}</button>'
        )
    return f'<p class="cm-links">{"".join(parts)}</p>'


def details_html(
    space: Mapping[str, Any],
    *,
    lang: Lang = "vi",
    events: gpd.GeoDataFrame | None = None,
    suggest_url: str | None = None,
) -> str:
    """Return the details of one space as an HTML fragment, every value from the data escaped.

    Parameters
    ----------
    space
        One row of the spaces frame (a `pandas.Series` or a mapping with the schema's columns).
    lang
        ``"vi"`` or ``"en"``: the name in that language comes first, the other beneath it.
    events
        The events frame; the events at this space are listed.
    suggest_url
        The app's Suggest page for a space, ``{id}`` standing for its id (``"suggest?space={id}&lang=en"``,
        relative to the app's address). When given and the position is not exact, the details end with the
        invitation to suggest the exact position (a link of class ``cm-suggest-link``).

    Returns
    -------
    str
        ``<div class="cm-details">...</div>``: name, other name, category, address, district, 2025 ward,
        status, description, opening hours, website (a link only if ``http(s)``, opened in a new tab with
        ``rel="noopener noreferrer"``), lead agency, plan item, network membership, position precision and
        events.
    """
    first, second = space_names(space, lang)
    cat_id = _text(space.get(schema.CATEGORY))
    precision = _text(space.get(schema.POSITION_PRECISION)) or "exact"
    rows: list[tuple[str, str]] = [
        (
            t("f_category", lang),
            _symbol_html(cat_id, exact=precision == "exact") + _e(vocab_label(schema.CATEGORIES, cat_id, lang)),
        ),
        (t("f_address", lang), _e(space.get(schema.ADDRESS))),
        (t("f_district", lang), _e(unit_label(_text(space.get(schema.DISTRICT)), lang))),
        (t("f_ward_2025", lang), _e(unit_label(_text(space.get(schema.WARD_2025)), lang))),
        (t("f_status", lang), _e(vocab_label(schema.STATUSES, _text(space.get(schema.STATUS)), lang))),
        (t("f_opening_hours", lang), _e(space.get(schema.OPENING_HOURS))),
    ]
    website = _text(space.get(schema.WEBSITE))
    url = safe_url(website)
    if url:
        rows.append(
            (t("f_website", lang), f'<a href="{_e(url)}" target="_blank" rel="noopener noreferrer">{_e(url)}</a>')
        )
    elif website:
        rows.append((t("f_website", lang), _e(website)))
    rows += [
        (t("f_lead_agency", lang), _e(space.get(schema.LEAD_AGENCY))),
        (t("f_plan_item", lang), _e(plan_label(_text(space.get(schema.PLAN_ITEM)), lang))),
        (
            t("f_network", lang),
            _e(vocab_label(schema.NETWORK_MEMBER, _text(space.get(schema.NETWORK_MEMBER_COL)), lang)),
        ),
        (t("f_position", lang), _e(vocab_label(schema.PRECISIONS, precision, lang))),
        (t("f_last_verified", lang), _e(space.get(schema.LAST_VERIFIED))),
    ]
    description = schema.Label(_text(space.get(schema.DESCRIPTION_VI)), _text(space.get(schema.DESCRIPTION_EN))).get(
        lang
    )
    parts = [f'<div class="cm-details" lang="{lang}">', f'<p class="cm-name">{_e(first)}</p>']
    if second:
        parts.append(f'<p class="cm-alt" lang="{other_lang(lang)}">{_e(second)}</p>')
    if description:
        parts.append(f'<p class="cm-desc">{_e(description)}</p>')
    parts.append("<dl>")
    parts += [f"<dt>{_e(name)}</dt><dd>{value}</dd>" for name, value in rows if value]
    parts.append("</dl>")
    parts.append(_suggest_html(space, lang=lang, suggest_url=suggest_url))
    parts.append(_events_html(_text(space.get(schema.ID)), events, lang))
    parts.append("</div>")
    return "".join(parts)


def details_page_html(
    space: Mapping[str, Any],
    *,
    lang: Lang = "vi",
    events: gpd.GeoDataFrame | None = None,
    suggest_url: str | None = None,
) -> str:
    """Return `details_html` with the style sheet it needs, for a page outside the map (the app's panel)."""
    details = details_html(space, lang=lang, events=events, suggest_url=suggest_url)
    return f"<style>{vendor.inline_css(vendor.MAP_ASSET.name)}</style>{details}"


def _events_html(space_id: str, events: gpd.GeoDataFrame | None, lang: Lang) -> str:
    found = _events_of(space_id, events)
    head = f'<p class="cm-events-title"><b>{_e(t("f_events", lang))}</b></p>'
    if not found:
        return head + f'<p class="cm-no-events">{_e(t("f_no_events", lang))}</p>'
    items = []
    for ev in found:
        name, _ = space_names(ev, lang)
        when = (
            _e(ev[schema.START])
            if ev[schema.START] == ev[schema.END]
            else f"{_e(ev[schema.START])} – {_e(ev[schema.END])}"
        )
        url = safe_url(ev.get(schema.WEBSITE))
        title = f'<a href="{_e(url)}" target="_blank" rel="noopener noreferrer">{_e(name)}</a>' if url else _e(name)
        items.append(f"<li>{title} <span class='cm-when'>({when})</span></li>")
    return head + "<ul>" + "".join(items) + "</ul>"


# ----------------------------------------------------------------------------------------------- the layer


def space_rows(spaces: gpd.GeoDataFrame) -> list[list[Any]]:
    """Return one compact row per space, in the frame's order, in neither language (both names are in the row).

    A row is ``[id, name_vi, name_en, category, status, precision, address, lat, lon, geometry or 0]``:
    category, status and precision as indexes into `schema.CATEGORIES`, `schema.STATUSES` and
    `schema.PRECISIONS` (in their order), the representative point to `COORD_DECIMALS` decimals, and the
    geometry as GeoJSON only for lines and areas. These rows are the spaces layer's data: inside the page of a
    self-contained map (`spaces_payload`), or in the app's static data file (`creative_map.mapfile`).
    """
    cat_index = {c: i for i, c in enumerate(schema.CATEGORIES)}
    status_index = {s: i for i, s in enumerate(schema.STATUSES)}
    precision_index = {p: i for i, p in enumerate(schema.PRECISIONS)}
    columns = [
        spaces[c].tolist()
        for c in (
            schema.ID,
            schema.NAME_VI,
            schema.NAME_EN,
            schema.CATEGORY,
            schema.STATUS,
            schema.POSITION_PRECISION,
            schema.ADDRESS,
            schema.REP_LAT,
            schema.REP_LON,
        )
    ]
    geom_types = spaces.geometry.geom_type.tolist()
    geometries = spaces.geometry.tolist()
    rows: list[list[Any]] = []
    for i, (sid, name_vi, name_en, cat, status, precision, address, lat, lon) in enumerate(zip(*columns, strict=True)):
        rows.append(
            [
                sid,
                _text(name_vi),
                _text(name_en),
                cat_index.get(cat, cat_index["other"]),
                status_index.get(status, 0),
                precision_index.get(precision, precision_index["ward"]),
                _text(address),
                round(float(lat), COORD_DECIMALS),
                round(float(lon), COORD_DECIMALS),
                _rounded(shape_mapping(geometries[i])) if geom_types[i] != "Point" else 0,
            ]
        )
    return rows


def payload_meta(*, lang: Lang = "vi", suggest_url: str | None = None) -> dict[str, Any]:
    """Return what the spaces layer's script needs besides the rows: the labels in `lang` and the texts.

    ``c``: categories as ``[colour, label, symbol]``; ``s``: status labels; ``p``: precision labels; ``x``: the
    index of ``exact`` in ``p``; ``t``: texts; ``u``: `suggest_url` (or ``""``); ``lang``.
    """
    return {
        "lang": lang,
        "c": [[c.colour, label(c.label, lang), SYMBOLS.get(c.id, "●")] for c in schema.CATEGORIES.values()],
        "s": [label(schema.STATUSES[s], lang) for s in schema.STATUSES],
        "p": [label(schema.PRECISIONS[p], lang) for p in schema.PRECISIONS],
        "x": list(schema.PRECISIONS).index("exact"),
        "t": {
            "more": t("popup_more", lang),
            "ask": t("suggest_ask", lang),
            "suggest": t("suggest_exact", lang),
            "failed": t("map_failed", lang),
            **{key: t(key, lang) for key in ("dir_osm", "dir_google", "copy_link", "copied", "copy_manual")},
        },
        "u": suggest_url or "",
    }


def spaces_payload(
    selection: Selection, *, lang: Lang = "vi", popups: Popups = "lean", suggest_url: str | None = None
) -> dict[str, Any]:
    """Return the compact data the spaces layer's script (``creativeMap.spacesLayer``) draws from.

    Parameters
    ----------
    selection
        The spaces to draw, and their events (listed in full popups): `creative_map.select`'s result.
    lang
        Language of the labels.
    popups
        ``"lean"``: a few properties per space, the popup built in the browser; ``"full"``: each row also
        carries its escaped `details_html`.
    suggest_url
        The app's Suggest page (see `details_html`): a popup of a space whose position is not exact then
        invites a suggestion of the exact position.

    Returns
    -------
    dict
        `payload_meta`, and ``f``: the `space_rows` of the selection (each with its details HTML appended
        when `popups` is ``"full"``).
    """
    spaces, events = selection.spaces, selection.events
    rows = space_rows(spaces)
    if popups == "full":
        for i, row in enumerate(rows):
            space = spaces.iloc[i]
            row.append(
                details_html(space, lang=lang, events=events, suggest_url=suggest_url) + links_html(space, lang=lang)
            )
    return {**payload_meta(lang=lang, suggest_url=suggest_url), "f": rows}


def _rounded(geojson: Any) -> Any:
    if isinstance(geojson, dict):
        return {k: _rounded(v) for k, v in geojson.items()}
    if isinstance(geojson, list | tuple):
        return [_rounded(v) for v in geojson]
    if isinstance(geojson, float):
        return round(geojson, COORD_DECIMALS)
    return geojson


class SpacesLayer(MacroElement):
    """All the spaces in one layer: clustered markers for points, paths for lines and areas.

    One call, ``creativeMap.spacesLayer(map, payload)`` (``resources/map/creative_map.js``): it reads the
    compact rows of `spaces_payload`, sets ``feature.properties.id`` on every layer (so a click reports the
    space's id, see the app), and writes the number of spaces drawn into the map container's
    ``data-cm-count`` attribute.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = creativeMap.spacesLayer({{ this._parent.get_name() }}, {{ this.payload }});
{% endmacro %}"""
    )

    def __init__(self, payload: Mapping[str, Any], *, name: str = "spaces") -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "SpacesLayer"
        self.layer_name = name
        self.payload = _script_json(payload)


class Legend(MacroElement):
    """The legend: a Leaflet control (so it works in the app and in an exported file alike).

    One call, ``creativeMap.legend(map, html)``: the inner HTML of `legend_html`, folded on a small map.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = creativeMap.legend({{ this._parent.get_name() }}, {{ this.html }});
{% endmacro %}"""
    )

    def __init__(self, inner_html: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Legend"
        self.html = _script_json(inner_html)


def legend_html(selection: Selection, *, lang: Lang = "vi", boundaries_label: str = "") -> str:
    """Return the legend's inner HTML: the count, one line per category with its count, the precision key."""
    spaces = selection.spaces
    counts = spaces[schema.CATEGORY].value_counts().to_dict() if len(spaces) else {}
    items = []
    for cat in schema.CATEGORIES.values():
        n = int(counts.get(cat.id, 0))
        cls = ' class="cm-zero"' if n == 0 else ""
        items.append(
            f'<li{cls} data-category="{_e(cat.id)}">{_symbol_html(cat.id)}{_e(label(cat.label, lang))} ({n})</li>'
        )
    items.append(f"<li>{_symbol_html('other', exact=False)}{_e(t('approx_symbol', lang))}</li>")
    extra = f'<p class="cm-bnd">{_e(boundaries_label)}</p>' if boundaries_label else ""
    return (
        f"<summary>{_e(t('legend', lang))}</summary>"
        f'<p class="cm-count">{_e(t("on_map", lang, n=len(spaces)))}</p>'
        f"<ul>{''.join(items)}</ul>{extra}"
    )


class SelectedSpace(MacroElement):
    """The selected space, drawn above the others, with its full popup opened when it is added to the map.

    One call, ``creativeMap.selectedSpace(parent, data)``: the marker is added to the parent (the map, or the
    feature group the app hands to ``st_folium``), then the map centres on it and opens the popup.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = creativeMap.selectedSpace({{ this._parent.get_name() }}, {{ this.data }});
{% endmacro %}"""
    )

    def __init__(
        self,
        space: Mapping[str, Any],
        *,
        lang: Lang,
        events: gpd.GeoDataFrame | None,
        suggest_url: str | None = None,
    ) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "SelectedSpace"
        cat_id = _text(space.get(schema.CATEGORY))
        cat = _category(cat_id)
        data = {
            "location": [round(float(space[schema.REP_LAT]), 6), round(float(space[schema.REP_LON]), 6)],
            "symbol": SYMBOLS.get(cat_id, "●"),
            "colour": cat.colour if cat else "#757575",
            "exact": _text(space.get(schema.POSITION_PRECISION)) == "exact",
            "title": space_names(space, lang)[0],
            "id": _text(space.get(schema.ID)),
            "html": details_html(space, lang=lang, events=events, suggest_url=suggest_url)
            + links_html(space, lang=lang),
            "zoom": FOCUS_ZOOM,
        }
        self.data = _script_json(data)


def _row(spaces: gpd.GeoDataFrame, space_id: str | None) -> pd.Series | None:
    if not space_id or len(spaces) == 0:
        return None
    hits = spaces.index[spaces[schema.ID] == space_id]
    return spaces.loc[hits[0]] if len(hits) else None


def selection_layer(
    selection: Selection, selected_id: str | None, *, lang: Lang = "vi", suggest_url: str | None = None
) -> folium.FeatureGroup | None:
    """Return a feature group holding the selected space with its full popup (opened), or None.

    None when `selected_id` is None or not one of the selected spaces. The popup lists the space's events of
    the selection (and, with `suggest_url`, invites a suggestion when the position is not exact). The app
    hands the group to ``st_folium(feature_group_to_add=...)``, which adds it to the drawn map without
    reloading it; `build_map` adds it to the map itself.
    """
    space = _row(selection.spaces, selected_id)
    if space is None:
        return None
    group = folium.FeatureGroup(name=t("selected_layer", lang), control=False)
    group.add_child(SelectedSpace(space, lang=lang, events=selection.events, suggest_url=suggest_url))
    return group


def focus(selection: Selection, selected_id: str | None) -> tuple[tuple[float, float] | None, int | None]:
    """Return ((lat, lon), zoom) to show the selected space, or (None, None) when there is none."""
    space = _row(selection.spaces, selected_id)
    if space is None:
        return None, None
    return (float(space[schema.REP_LAT]), float(space[schema.REP_LON])), FOCUS_ZOOM


# ------------------------------------------------------------------------------------------------- the map


def _new_map(spaces: gpd.GeoDataFrame | None, *, basemap: Basemap, lang: Lang, fit: bool = True) -> folium.Map:
    if basemap not in BASEMAPS:
        raise ValueError(f"`basemap` must be one of {', '.join(BASEMAPS)}, not {basemap!r}")
    m = folium.Map(location=HANOI_CENTRE, zoom_start=11, tiles=None, control_scale=True)
    m.options["maxZoom"] = MAX_ZOOM  # Leaflet.markercluster needs it on the map even without tiles
    m.options["minZoom"] = MIN_ZOOM  # and computes its clusters for every zoom between the two
    tiles = TILES[basemap]
    if tiles is not None:
        folium.TileLayer(
            tiles.url, attr=tiles.attribution, name=t(f"basemap_{basemap}", lang), max_zoom=MAX_ZOOM, max_native_zoom=19
        ).add_to(m)
    if fit and spaces is not None and len(spaces):
        min_lon, min_lat, max_lon, max_lat = (float(v) for v in spaces.total_bounds)
        bounds = FitBounds([[min_lat, min_lon], [max_lat, max_lon]], max_zoom=FOCUS_ZOOM, padding=(20, 20))
        # Not animated: a zoom animation still running would end by undoing a later setView (the selection's).
        bounds.options["animate"] = False
        m.add_child(bounds)
    return m


def _use_assets(m: folium.Map, *, assets: Assets, static_url: str) -> None:
    """Point the map at Leaflet, markercluster and the map's script served by the app, or inline them."""
    if assets == "static":
        m.default_js = vendor.js_urls(static_url, names=_PAGE_ASSETS)
        m.default_css = vendor.css_urls(static_url, names=_PAGE_ASSETS)
        return
    if assets != "inline":
        raise ValueError(f"`assets` must be 'static' or 'inline', not {assets!r}")
    m.default_js = []
    m.default_css = []
    inline = "".join(f"<style>{vendor.inline_css(n)}</style>" for n in _PAGE_ASSETS) + "".join(
        f"<script>{vendor.inline_js(n)}</script>" for n in _PAGE_ASSETS
    )
    root = m.get_root()
    assert isinstance(root, Figure), "a folium map always sits in a Figure"
    root.header.add_child(Element(inline), name="creative_map_vendor")


class UnitsLayer(NamedTuple):
    """A boundary layer as the map draws it: one label per unit (in a language), its name and legend line."""

    frame: gpd.GeoDataFrame
    """Columns ``label`` (the tooltip), ``short`` (the name drawn on the map), ``name`` (the canonical name, to
    highlight the units a filter chose), ``lp`` ([lat, lon] where the name goes: the pole of inaccessibility of
    its largest part) and geometry (EPSG:4326)."""
    name: str
    """The layer's name: its level, marked approximate when it is."""
    approximate: bool
    legend: str
    """The legend's line about the layer (its name and where the boundaries come from)."""


def units_layer(boundaries: gpd.GeoDataFrame, *, lang: Lang) -> UnitsLayer:
    """Return the boundary layer `boundaries` labelled in `lang` (see `build_map`'s `boundaries`)."""
    approximate = is_approximate(boundaries)
    level_names = boundaries["name"].astype(str).tolist()
    kind = "boundaries_district" if level_names and admin.is_district_name(level_names[0]) else "boundaries_ward_2025"
    mark = f" ({t('approximate', lang)})" if approximate else ""
    name = t(kind, lang) + mark
    geometry = boundaries.geometry.to_crs(schema.CRS)
    frame = gpd.GeoDataFrame(
        {
            "label": [unit_label(n, lang) + mark for n in level_names],
            "short": [unit_label(n, lang) for n in level_names],
            "name": level_names,
            "lp": [_label_point(g) for g in geometry],
        },
        geometry=geometry.values,
        crs=schema.CRS,
    )
    note = boundary_note("district" if kind == "boundaries_district" else "ward_2025", shipped=True, lang=lang)
    source = note if is_shipped(boundaries) else t("approximate_note", lang) if approximate else ""
    legend = name + (". " + source if source else "")
    return UnitsLayer(frame, name, approximate, legend)


def _label_point(geometry: BaseGeometry | None) -> list[float] | None:
    """[lat, lon] where a unit's name goes: the pole of inaccessibility of its largest part (None: no area)."""
    if geometry is None or geometry.is_empty:
        return None
    parts = list(getattr(geometry, "geoms", [geometry]))
    largest = max(parts, key=lambda part: part.area)
    polygon = largest.geom_type == "Polygon"
    point = polylabel(largest, tolerance=1e-4) if polygon else largest.representative_point()
    return [round(point.y, COORD_DECIMALS), round(point.x, COORD_DECIMALS)]


def boundaries_attribution(*, shipped: bool, lang: Lang) -> str:
    """Return the attribution (HTML, escaped) a map shows while it draws unit boundaries: the shipped layer's
    source and licence, or that the planners supplied them."""
    return _e(t("attr_boundaries" if shipped else "attr_boundaries_supplied", lang))


class Units(MacroElement):
    """A self-contained map's unit layer: ``creativeMap.unitsLayer(map, data)``, the boundaries with the units'
    names as labels where they fit, the units a filter chose highlighted, the source in the attribution, and a
    switch to hide it."""

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = creativeMap.unitsLayer({{ this._parent.get_name() }}, {{ this.data }});
{% endmacro %}"""
    )

    def __init__(self, data: Mapping[str, Any]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Units"
        self.data = _script_json(data)


def _add_boundaries(m: folium.Map, boundaries: gpd.GeoDataFrame, *, lang: Lang, highlight: Sequence[str] = ()) -> str:
    """Draw the unit boundaries (under the spaces), the units of `highlight` outlined, and return the layer's
    label for the legend."""
    units = units_layer(boundaries, lang=lang)
    data = _rounded(json.loads(units.frame.to_json(drop_id=True)))
    m.add_child(
        Units(
            {
                "data": data,
                "name": units.name,
                "approx": units.approximate,
                "attribution": boundaries_attribution(shipped=is_shipped(boundaries), lang=lang),
                "highlight": list(highlight),
            }
        )
    )
    return units.legend


def build_map(
    selection: Selection,
    *,
    lang: Lang = "vi",
    boundaries: gpd.GeoDataFrame | None = None,
    selected_id: str | None = None,
    basemap: Basemap = "osm",
    assets: Assets = "static",
    popups: Popups | None = None,
    static_url: str = vendor.DEFAULT_STATIC_URL,
    suggest_url: str | None = None,
) -> folium.Map:
    """Return the folium map of a selection: the spaces layer, its legend, the boundary layer and a layer switch.

    Parameters
    ----------
    selection
        What to draw: `creative_map.select`'s result. Its spaces are drawn at their representative points
        (lines and areas as such); its events are listed in the popups that carry full details. It is not
        changed.
    lang
        ``"vi"`` (default) or ``"en"``, for every label, the legend and the popups.
    boundaries
        A frame from `creative_map.boundaries.load_boundaries` (columns name, code, approximate, geometry);
        drawn under the spaces, marked approximate when it is (`creative_map.boundaries.is_approximate`).
        None: no boundary layer.
    selected_id
        A space to highlight, open and centre on.
    basemap
        One of `creative_map.types.BASEMAPS`: ``"osm"``, ``"light"`` or ``"none"`` (no tiles: the map still
        draws, on a plain background).
    assets
        ``"static"``: Leaflet, markercluster and the map's own script and style sheet from the app's static
        URLs (`static_url`); ``"inline"``: their text inside the page, so the HTML works from ``file://``
        with no network.
    popups
        ``"lean"`` (a few properties per space; details with the selection) or ``"full"`` (every popup
        with all details). Default: full for inline pages, lean otherwise.
    static_url
        Where the app serves ``static/vendor/`` (see `creative_map.assets.ensure_static`).
    suggest_url
        The app's Suggest page, ``{id}`` standing for a space's id (see `details_html`): the popups of spaces
        whose position is not exact then invite a suggestion. None (the default, and what exported maps
        use): no such link.

    Returns
    -------
    folium.Map
        Render it with ``m.get_root().render()`` or hand it to ``st_folium``.
    """
    spaces = selection.spaces
    popups = popups or ("full" if assets == "inline" else "lean")
    centre, zoom = focus(selection, selected_id)
    m = _new_map(spaces, basemap=basemap, lang=lang, fit=centre is None)
    if centre is not None and zoom is not None:
        m.location = list(centre)
        m.options["zoom"] = zoom
    _use_assets(m, assets=assets, static_url=static_url)
    boundaries_label = ""
    if boundaries is not None and len(boundaries):
        chosen = set(selection.filter.districts) | set(selection.filter.wards_2025)
        highlight = [name for name in boundaries["name"].astype(str) if name in chosen]
        boundaries_label = _add_boundaries(m, boundaries, lang=lang, highlight=highlight)
    m.add_child(SpacesLayer(spaces_payload(selection, lang=lang, popups=popups, suggest_url=suggest_url)))
    m.add_child(Legend(legend_html(selection, lang=lang, boundaries_label=boundaries_label)))
    group = selection_layer(selection, selected_id, lang=lang, suggest_url=suggest_url)
    if group is not None:
        group.add_to(m)
    return m


# ------------------------------------------------------------------------------------------ the app's map


class DataUrls(NamedTuple):
    """Where the app serves a static data file: gzipped (decompressed by the browser) and as plain JSON."""

    gz: str
    """The gzipped file (``.json.gz``): sent as it lies on disk, decompressed in the browser; "" for none."""
    json: str
    """The same JSON uncompressed, for browsers without ``DecompressionStream``."""


class AppLayer(MacroElement):
    """The spaces of the app's map, fetched once from the static data file: ``creativeMap.appLayer(map, data)``.

    Nothing of it depends on the filter, so the map's script stays the same from one rerun to the next and
    ``st_folium`` keeps the frame; what is shown comes with each rerun in an `AppView`.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = creativeMap.appLayer({{ this._parent.get_name() }}, {{ this.data }});
{% endmacro %}"""
    )

    def __init__(self, data: Mapping[str, Any]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "AppLayer"
        self.data = _script_json(data)


class AppView(MacroElement):
    """What one rerun shows on the app's map: ``creativeMap.appView(group, view)``, applied when the group (the
    one ``st_folium`` swaps without reloading the frame) is added to the map."""

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = creativeMap.appView({{ this._parent.get_name() }}, {{ this.data }});
{% endmacro %}"""
    )

    def __init__(self, view: Mapping[str, Any]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "AppView"
        self.data = _script_json(view)


def app_map(
    *,
    data: DataUrls,
    total: int,
    bounds: tuple[float, float, float, float] | None = None,
    lang: Lang = "vi",
    basemap: Basemap = "osm",
    static_url: str = vendor.DEFAULT_STATIC_URL,
    suggest_url: str | None = None,
) -> folium.Map:
    """Return the app's base map: tiles, Leaflet and the map's script, and the spaces' data file to fetch.

    Parameters
    ----------
    data
        Where the app serves the spaces' rows (`creative_map.mapfile.data_file`): fetched once per frame.
    total
        How many rows the file holds (the script checks it).
    bounds
        (min lon, min lat, max lon, max lat) of every space: the view before the first `view_layer` arrives.
    lang, basemap, static_url, suggest_url
        As `build_map`.

    Returns
    -------
    folium.Map
        Its script depends only on the arguments, never on the filter: hand it to ``st_folium`` with
        `view_layer` as ``feature_group_to_add``, and a filter change redraws the points without reloading
        the frame (its view, panned and zoomed, is kept).
    """
    m = _new_map(None, basemap=basemap, lang=lang, fit=False)
    if bounds is not None:
        min_lon, min_lat, max_lon, max_lat = bounds
        fit = FitBounds([[min_lat, min_lon], [max_lat, max_lon]], max_zoom=FOCUS_ZOOM, padding=(20, 20))
        fit.options["animate"] = False
        m.add_child(fit)
    _use_assets(m, assets="static", static_url=static_url)
    prefetch = vendor.prefetch_url(static_url, gz=data.gz, json=data.json)
    m.default_js = [("creative_map_prefetch", prefetch), *m.default_js]  # first: the data comes while Leaflet loads
    meta = payload_meta(lang=lang, suggest_url=suggest_url)
    m.add_child(AppLayer({"data": {"gz": data.gz, "json": data.json}, "n": int(total), "meta": meta}))
    return m


def view_layer(
    selection: Selection,
    *,
    shown: str,
    selected: Mapping[str, Any] | None = None,
    lang: Lang = "vi",
    units: DataUrls | None = None,
    units_approximate: bool = False,
    units_label: str = "",
    units_attribution: str | None = None,
    default_units: DataUrls | None = None,
    highlight: DataUrls | None = None,
    highlight_names: Sequence[str] = (),
    suggest_url: str | None = None,
) -> folium.FeatureGroup:
    """Return what one rerun shows on the `app_map`: which spaces, the legend, the boundaries, the selection.

    Parameters
    ----------
    selection
        What the filter chose (for the legend's counts and the selected space's details).
    shown
        Which rows of the data file are shown: `creative_map.mapfile.shown_code` of the selection.
    selected
        The selected space's full record (a row with every field; its details come with the view, not in the
        data file): drawn above the others with its full popup, opened (centred on it the first time it is
        selected, so a later filter change keeps the view).
    lang
        The language of the legend and the popup.
    units
        The boundary layer's static file (`creative_map.mapfile.units_file`), or None for none.
    units_approximate
        Draw the boundaries dashed (an approximate layer).
    units_label
        The legend's line about the boundary layer (`units_layer`'s ``legend``).
    units_attribution
        What the attribution says while boundaries are drawn (HTML, escaped; default: the shipped layer's
        source, `boundaries_attribution`).
    default_units
        The boundary layer drawn when `units` is None and no basemap tile shows (basemap none, or no tile
        loaded within a few seconds): a map without tiles is read by its units. None: none.
    highlight, highlight_names
        The units the filter chose (canonical names, as the ``name`` of the units file `highlight`): outlined
        on the map (within the boundary layer when it is the same file, else on their own), labelled first.
    suggest_url
        As `build_map`.

    Returns
    -------
    folium.FeatureGroup
        For ``st_folium(feature_group_to_add=...)``: a few hundred bytes plus `shown` (and the selected space's
        details), swapped without reloading the frame.
    """
    group = folium.FeatureGroup(name=t("selected_layer", lang), control=False)
    space = selected
    view = {
        "n": len(selection),
        "m": shown,
        "l": legend_html(selection, lang=lang, boundaries_label=units_label),
        "b": {"gz": units.gz, "json": units.json, "approx": units_approximate} if units is not None else None,
        "d": {"gz": default_units.gz, "json": default_units.json, "approx": False} if default_units else None,
        "a": units_attribution if units_attribution is not None else boundaries_attribution(shipped=True, lang=lang),
        "h": {"b": {"gz": highlight.gz, "json": highlight.json, "approx": False}, "names": list(highlight_names)}
        if highlight is not None and highlight_names
        else None,
        "s": _text(space[schema.ID]) if space is not None else None,
    }
    group.add_child(AppView(view))
    if space is not None:
        group.add_child(SelectedSpace(space, lang=lang, events=selection.events, suggest_url=suggest_url))
    return group


# --------------------------------------------------------------------------------------- one space's position

LatLon = tuple[float, float]
"""(lat, lon), as Leaflet takes them."""
_POSITION_ASSETS: Final = ("leaflet", vendor.MAP_ASSET.name)


def _latlon(point: LatLon | None) -> list[float] | None:
    return None if point is None else [round(float(point[0]), 7), round(float(point[1]), 7)]


class PositionPicker(MacroElement):
    """A space's current and proposed positions: one call, ``creativeMap.positionPicker(parent, data)``.

    The current position is a hollow dashed ring labelled "current position", the proposed one a solid
    diamond labelled "proposed position" (shape and label tell them apart, not only colour), joined by a
    dashed line; a line or an area is also drawn as such (dashed: current, solid: proposed). When
    `draggable`, a click on the map moves the proposed marker there, and a drag of the marker ends with a
    click fired on the map at its new place: ``st_folium`` reports map clicks to the app (``last_clicked``),
    so a drag reaches Python exactly like a click.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = creativeMap.positionPicker({{ this._parent.get_name() }}, {{ this.data }});
{% endmacro %}"""
    )

    def __init__(
        self,
        *,
        current: LatLon | None,
        proposed: LatLon | None,
        current_shape: Mapping[str, Any] | None = None,
        proposed_shape: Mapping[str, Any] | None = None,
        draggable: bool = False,
        lang: Lang = "vi",
    ) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "PositionPicker"
        data = {
            "current": _latlon(current),
            "proposed": _latlon(proposed),
            "shapes": {
                "current": _rounded(dict(current_shape)) if current_shape else None,
                "proposed": _rounded(dict(proposed_shape)) if proposed_shape else None,
            },
            "draggable": draggable,
            "texts": {"current": t("pos_current", lang), "proposed": t("pos_proposed", lang)},
        }
        self.data = _script_json(data)


def position_layer(
    *,
    current: LatLon | None = None,
    proposed: LatLon | None = None,
    current_shape: Mapping[str, Any] | None = None,
    proposed_shape: Mapping[str, Any] | None = None,
    draggable: bool = False,
    lang: Lang = "vi",
) -> folium.FeatureGroup:
    """Return a feature group holding a space's current and proposed positions (see `PositionPicker`).

    Parameters
    ----------
    current, proposed
        (lat, lon) of the position the data holds now and of the one suggested (None: none).
    current_shape, proposed_shape
        A line or an area (GeoJSON geometry) to draw as well; None for a point.
    draggable
        Whether the proposed marker can be dragged, and a click on the map moves it (the Suggest page).
        Without a proposed position, the marker starts at the current one.
    lang
        The language of the markers' labels.

    Returns
    -------
    folium.FeatureGroup
        For ``st_folium(feature_group_to_add=...)``, which swaps it without reloading the map (the proposed
        marker then stays where it was dropped), or to add to a `position_map`.
    """
    group = folium.FeatureGroup(name=t("pos_proposed", lang), control=False)
    group.add_child(
        PositionPicker(
            current=current,
            proposed=proposed,
            current_shape=current_shape,
            proposed_shape=proposed_shape,
            draggable=draggable,
            lang=lang,
        )
    )
    return group


def position_map(
    points: Sequence[LatLon] = (),
    *,
    basemap: Basemap = "osm",
    lang: Lang = "vi",
    static_url: str = vendor.DEFAULT_STATIC_URL,
) -> folium.Map:
    """Return a map to place one space, or to compare its positions: no other space on it, Leaflet only.

    Parameters
    ----------
    points
        (lat, lon) to show: none (Hanoi), one (centred at `POSITION_ZOOM`) or several (fitted, no closer than
        `POSITION_ZOOM`).
    basemap
        One of `creative_map.types.BASEMAPS`.
    lang
        The language of the tiles' layer name.
    static_url
        Where the app serves ``static/vendor/``.

    Returns
    -------
    folium.Map
        Add `position_layer` to it, or hand that layer to ``st_folium`` beside it.
    """
    if basemap not in BASEMAPS:
        raise ValueError(f"`basemap` must be one of {', '.join(BASEMAPS)}, not {basemap!r}")
    centre = points[0] if len(points) == 1 else HANOI_CENTRE
    m = folium.Map(location=list(centre), zoom_start=POSITION_ZOOM if points else 12, tiles=None, control_scale=True)
    m.options["maxZoom"] = MAX_ZOOM
    tiles = TILES[basemap]
    if tiles is not None:
        folium.TileLayer(
            tiles.url, attr=tiles.attribution, name=t(f"basemap_{basemap}", lang), max_zoom=MAX_ZOOM, max_native_zoom=19
        ).add_to(m)
    if len(points) > 1:
        lats, lons = [p[0] for p in points], [p[1] for p in points]
        # Room around the two markers for their labels (about 120 px wide).
        bounds = FitBounds([[min(lats), min(lons)], [max(lats), max(lons)]], max_zoom=POSITION_ZOOM, padding=(140, 50))
        bounds.options["animate"] = False
        m.add_child(bounds)
    m.default_js = vendor.js_urls(static_url, names=_POSITION_ASSETS)
    m.default_css = vendor.css_urls(static_url, names=_POSITION_ASSETS)
    return m


# -------------------------------------------------------------------------------------------------- the list


def list_frame(selection: Selection, *, lang: Lang = "vi", limit: int | None = None, offset: int = 0) -> pd.DataFrame:
    """Return the table of the selected spaces for the list view, in their order, with labels in `lang`.

    Parameters
    ----------
    selection
        `creative_map.select`'s result; each space's events are counted among the selection's events.
    lang
        ``"vi"`` or ``"en"``: the column names and the labels.
    limit
        Only this many spaces (None: all from `offset` on): the app shows the list a page at a time.
    offset
        Start at this row of the selection.

    Returns
    -------
    pandas.DataFrame
        Columns: name (in `lang`), kind, district, 2025 ward, status, number of events; the index is the
        space's id.
    """
    spaces = selection.spaces.iloc[offset : None if limit is None else offset + limit]
    event_counts: dict[str, int] = {}
    for ids in selection.events[schema.SPACE_IDS]:
        for sid in ids or []:
            event_counts[sid] = event_counts.get(sid, 0) + 1
    return pd.DataFrame(
        {
            t("col_name", lang): [space_names(row, lang)[0] for row in _records(spaces)],
            t("col_category", lang): [vocab_label(schema.CATEGORIES, c, lang) for c in spaces[schema.CATEGORY]],
            t("col_district", lang): [unit_label(_text(d), lang) for d in spaces[schema.DISTRICT]],
            t("col_ward_2025", lang): [unit_label(_text(w), lang) for w in spaces[schema.WARD_2025]],
            t("col_status", lang): [vocab_label(schema.STATUSES, s, lang) for s in spaces[schema.STATUS]],
            t("col_events", lang): [event_counts.get(sid, 0) for sid in spaces[schema.ID]],
        },
        index=pd.Index(spaces[schema.ID].tolist(), name=schema.ID),
    )


_LIST_STYLE: Final = (
    "<style>.cm-list{width:100%;border-collapse:collapse;font-size:.875rem;line-height:1.35}"
    ".cm-list caption{position:absolute;left:-9999px}"
    ".cm-list th,.cm-list td{padding:.3rem .45rem;border-bottom:1px solid rgba(49,51,63,.15);text-align:left;"
    "vertical-align:top;overflow-wrap:anywhere}.cm-list th{font-weight:600;background:rgba(49,51,63,.04)}"
    ".cm-list td.cm-num,.cm-list th.cm-num{text-align:right}</style>"
)


def list_html(table: pd.DataFrame, *, caption: str = "") -> str:
    """Return a `list_frame` table as an HTML table: a header per column, one row per space (``data-id``: its id),
    every value escaped; the last column (events) right-aligned. `caption` names the table for screen readers."""
    last = len(table.columns) - 1
    number = ' class="cm-num"'
    head = "".join(
        f'<th scope="col"{number if i == last else ""}>{_e(name)}</th>' for i, name in enumerate(table.columns)
    )
    rows = []
    for space_id, values in zip(table.index, table.itertuples(index=False), strict=True):
        cells = "".join(f"<td{number if i == last else ''}>{_e(v)}</td>" for i, v in enumerate(values))
        rows.append(f'<tr data-id="{_e(space_id)}">{cells}</tr>')
    return (
        f'{_LIST_STYLE}<table class="cm-list"><caption>{_e(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _records(spaces: gpd.GeoDataFrame) -> Sequence[Mapping[str, Any]]:
    records: list[dict[str, Any]] = spaces[[schema.NAME_VI, schema.NAME_EN]].to_dict("records")
    return records
