"""What the static site's script reads: the spaces and events of a selection, the unit boundaries, the texts.

Three things, each made once per site:

- `site_data`: the spaces and their events as compact rows, in neither language (both names and both
  descriptions are in the rows; labels are indexes into vocabularies). The pages of both languages load the
  same file.
- `units_data`: the shipped boundaries of the 30 pre-2025 districts and the 126 wards and communes of 2025,
  their rings as whole numbers of 1e-5 degree, each point as the difference from the one before.
- `page_config`: the interface texts and the vocabularies' labels of one language, written into its page.

Every text the popups show is the text `creative_map.mapping.details_html` shows for the same space: the
script builds the same fragment from these rows (tests compare them in Chromium, space by space).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Final

import geopandas as gpd
from shapely.geometry import mapping as shape_mapping

from creative_map import admin, boundaries, schema
from creative_map.dataset import Selection
from creative_map.i18n import boundary_note, label, t, unit_label
from creative_map.mapping import COORD_DECIMALS, FOCUS_ZOOM, HANOI_CENTRE, MAX_ZOOM, SYMBOLS, TILES, safe_url
from creative_map.types import LEVELS, Lang, Level

__all__ = [
    "DATA_VERSION",
    "EVENT_COLUMNS",
    "ROW_COLUMNS",
    "TEXT_KEYS",
    "data_date",
    "page_config",
    "site_data",
    "units_data",
]

DATA_VERSION: Final = 1
"""The version of the rows' layout (the script checks it)."""

ROW_COLUMNS: Final = (
    "id",
    "name_vi",
    "name_en",
    "category",
    "status",
    "precision",
    "lat",
    "lon",
    "district",
    "ward_2025",
    "network_member",
    "last_verified",
    "geometry",
    "address",
    "description_vi",
    "description_en",
    "opening_hours",
    "website",
    "lead_agency",
    "plan_item",
)
"""The columns of one space's row, in order. Category, status, precision and network membership are indexes
into the data's vocabularies (``c``, ``s``, ``p``, ``m``), district and ward indexes into its units (``d``,
``w``); ``geometry`` is 0 for a point, else its GeoJSON; ``website`` is the address when it may be a link, a
one-element list holding the text when it may not, "" when there is none. Empty texts at the end of a row are
left out."""

EVENT_COLUMNS: Final = ("id", "name_vi", "name_en", "start", "end", "website", "spaces")
"""The columns of one event's row; ``spaces`` are the indexes of its spaces' rows."""

TEXT_KEYS: Final = (
    "title",
    "intro",
    "search",
    "search_placeholder",
    "search_help",
    "count",
    "categories",
    "units",
    "units_district",
    "units_ward_2025",
    "choose",
    "legend",
    "on_map",
    "approx_symbol",
    "approximate",
    "no_results",
    "basemap_osm",
    "basemap_light",
    "basemap_none",
    "boundaries_district",
    "boundaries_ward_2025",
    "f_category",
    "f_address",
    "f_district",
    "f_ward_2025",
    "f_status",
    "f_opening_hours",
    "f_website",
    "f_lead_agency",
    "f_plan_item",
    "f_network",
    "f_position",
    "f_last_verified",
    "f_events",
    "f_no_events",
    "site_all_units",
    "site_reset",
    "site_more",
    "site_whats_on",
    "site_no_upcoming",
    "dir_osm",
    "dir_google",
    "copy_link",
    "copied",
    "copy_manual",
    "attr_boundaries",
)
"""The interface texts the script shows (`creative_map.i18n.TEXTS` keys)."""

_UNIT_DECIMALS: Final = 5


def _text(value: object) -> str:
    """Return `value` as the text `creative_map.mapping.details_html` escapes ("" for None or NaN)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _website(value: object) -> str | list[str]:
    """Return the address when it may be a link (`creative_map.mapping.safe_url`), else ``[text]`` or ""."""
    text = _text(value).strip()
    if not text:
        return ""
    url = safe_url(text)
    return url if url else [text]


def _rounded(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    if isinstance(value, float):
        return round(value, COORD_DECIMALS)
    return value


def _units(names: Sequence[str]) -> tuple[list[list[str]], dict[str, int]]:
    """Return the units named, sorted, as ``[name, English label]``, and each name's index."""
    ordered = sorted({n for n in names if n})
    return [[n, unit_label(n, "en")] for n in ordered], {n: i for i, n in enumerate(ordered)}


def data_date(selection: Selection) -> str:
    """Return the date of the data: the latest `last_verified` of the selected spaces ("" when none)."""
    dates = [d for d in (_text(v) for v in selection.spaces[schema.LAST_VERIFIED]) if d]
    return max(dates) if dates else ""


def site_data(selection: Selection) -> dict[str, Any]:
    """Return the spaces and events of `selection` as the site's compact, language-neutral data.

    Parameters
    ----------
    selection
        `creative_map.select`'s result: its spaces (ordered by id) and the events held there.

    Returns
    -------
    dict
        ``v``: `DATA_VERSION`; ``date``: `data_date`; ``n``: how many spaces; ``total``: how many the whole
        data holds; ``c``, ``s``, ``p``, ``m``: the ids of the categories, statuses, precisions and network
        memberships (in the schema's order); ``d``, ``w``: the districts and 2025 wards the spaces are in,
        as ``[name, English label]``; ``f``: one row per space (`ROW_COLUMNS`); ``e``: one row per event
        (`EVENT_COLUMNS`), in the selection's order.
    """
    spaces, events = selection.spaces, selection.events
    vocab = {
        "c": list(schema.CATEGORIES),
        "s": list(schema.STATUSES),
        "p": list(schema.PRECISIONS),
        "m": list(schema.NETWORK_MEMBER),
    }
    index = {key: {v: i for i, v in enumerate(values)} for key, values in vocab.items()}
    districts, district_index = _units([_text(v) for v in spaces[schema.DISTRICT]])
    wards, ward_index = _units([_text(v) for v in spaces[schema.WARD_2025]])
    geom_types = spaces.geometry.geom_type.tolist()
    geometries = spaces.geometry.tolist()
    rows: list[list[Any]] = []
    for i, space in enumerate(spaces.to_dict("records")):
        geometry: Any = 0 if geom_types[i] == "Point" else _rounded(shape_mapping(geometries[i]))
        row: list[Any] = [
            _text(space[schema.ID]),
            _text(space[schema.NAME_VI]),
            _text(space[schema.NAME_EN]),
            index["c"].get(_text(space[schema.CATEGORY]), index["c"]["other"]),
            index["s"].get(_text(space[schema.STATUS]), 0),
            index["p"].get(_text(space[schema.POSITION_PRECISION]).strip() or "exact", index["p"]["ward"]),
            round(float(space[schema.REP_LAT]), COORD_DECIMALS),
            round(float(space[schema.REP_LON]), COORD_DECIMALS),
            district_index.get(_text(space[schema.DISTRICT]), -1),
            ward_index.get(_text(space[schema.WARD_2025]), -1),
            index["m"].get(_text(space[schema.NETWORK_MEMBER_COL]).strip(), -1),
            _text(space[schema.LAST_VERIFIED]),
            geometry,
            _text(space[schema.ADDRESS]),
            _text(space[schema.DESCRIPTION_VI]),
            _text(space[schema.DESCRIPTION_EN]),
            _text(space[schema.OPENING_HOURS]),
            _website(space[schema.WEBSITE]),
            _text(space[schema.LEAD_AGENCY]),
            _text(space[schema.PLAN_ITEM]).strip(),
        ]
        while row and row[-1] == "":
            row.pop()
        rows.append(row)
    row_of = {sid: i for i, sid in enumerate(spaces[schema.ID].tolist())}
    event_rows = [
        [
            _text(ev[schema.ID]),
            _text(ev[schema.NAME_VI]),
            _text(ev[schema.NAME_EN]),
            _text(ev[schema.START]),
            _text(ev[schema.END]),
            _website(ev.get(schema.WEBSITE)),
            [row_of[sid] for sid in (ev[schema.SPACE_IDS] or []) if sid in row_of],
        ]
        for ev in events.to_dict("records")
    ]
    return {
        "v": DATA_VERSION,
        "date": data_date(selection),
        "n": len(spaces),
        "total": selection.total,
        **vocab,
        "d": districts,
        "w": wards,
        "f": rows,
        "e": [ev for ev in event_rows if ev[-1]],
    }


def _delta_rings(geometry: Any) -> list[list[list[int]]]:
    """Return a (Multi)Polygon as polygons of rings, each ring ``[x0, y0, dx1, dy1, ...]`` in 1e-5 degrees."""
    geo = shape_mapping(geometry)
    polygons = [geo["coordinates"]] if geo["type"] == "Polygon" else list(geo["coordinates"])
    scale = 10**_UNIT_DECIMALS
    out = []
    for polygon in polygons:
        rings = []
        for ring in polygon:
            flat: list[int] = []
            last_x = last_y = 0
            for x, y in ring:
                ix, iy = round(x * scale), round(y * scale)
                flat += [ix - last_x, iy - last_y]
                last_x, last_y = ix, iy
            rings.append(flat)
        out.append(rings)
    return out


def units_data() -> dict[str, Any]:
    """Return the shipped boundaries of both levels for the site's boundary layers.

    Returns
    -------
    dict
        For each level (``district``, ``ward_2025``): ``approximate`` (the districts are derived, the 2025
        wards real) and ``u``, one ``[name, English label, polygons]`` per unit ordered by code, the polygons
        as in `_delta_rings` (the script divides by ``scale``); ``scale``: 10**5.
    """
    out: dict[str, Any] = {"scale": 10**_UNIT_DECIMALS}
    for level in LEVELS:
        layer: gpd.GeoDataFrame = boundaries.load_boundaries(level)
        out[level] = {
            "approximate": boundaries.is_approximate(layer),
            "u": [
                [name, admin.unit_label(name, "en"), _delta_rings(geom)]
                for name, geom in zip(layer["name"].astype(str), layer.geometry, strict=True)
            ],
        }
    return out


def _boundary_label(level: Level, lang: Lang) -> str:
    """Return the legend's line for a shipped boundary layer (as `creative_map.mapping` writes it)."""
    approximate = level == "district"
    mark = f" ({t('approximate', lang)})" if approximate else ""
    return t(f"boundaries_{level}", lang) + mark + ". " + boundary_note(level, shipped=True, lang=lang)


def page_config(lang: Lang, *, other_href: str, app_url: str | None = None) -> dict[str, Any]:
    """Return what the page of `lang` tells its script: texts, labels, colours, tiles, where the other page is.

    Parameters
    ----------
    lang
        The page's language.
    other_href
        The other language's page, relative to this one.
    app_url
        The address of the app for planners, if the site links to it.

    Returns
    -------
    dict
        ``lang``; ``other``: `other_href`; ``t``: the texts of `TEXT_KEYS`; ``cat``: per category id,
        ``[colour, label, symbol]``; ``s``, ``p``, ``m``: labels of statuses, precisions, memberships;
        ``plan``: the titles of plan items; ``bnd``: per level, the legend's line; ``tiles``: per basemap,
        ``[url, attribution]`` (attribution is trusted HTML from `creative_map.mapping.TILES`) or None;
        ``view``: ``[lat, lon]`` of an empty map, the zoom a selection opens at, the maximum zoom.
    """
    return {
        "lang": lang,
        "other": other_href,
        "app": app_url or "",
        "t": {key: t(key, lang) for key in TEXT_KEYS},
        "cat": {c.id: [c.colour, label(c.label, lang), SYMBOLS.get(c.id, "●")] for c in schema.CATEGORIES.values()},
        "s": {k: v.get(lang) for k, v in schema.STATUSES.items()},
        "p": {k: v.get(lang) for k, v in schema.PRECISIONS.items()},
        "m": {k: v.get(lang) for k, v in schema.NETWORK_MEMBER.items()},
        "plan": {k: v.get(lang) for k, v in schema.PLAN_ITEMS.items()},
        "bnd": {level: _boundary_label(level, lang) for level in LEVELS},
        "tiles": {b: (None if tiles is None else [tiles.url, tiles.attribution]) for b, tiles in TILES.items()},
        "view": {"centre": list(HANOI_CENTRE), "focus": FOCUS_ZOOM, "max": MAX_ZOOM},
    }
