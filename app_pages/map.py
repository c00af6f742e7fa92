"""The Map page: the public map of Hanoi's creative spaces (the app's first page, at its root address).

Widgets wired to `creative_map` calls. The data is loaded once per file version (`_shared.map_data`, shared by
every session) and each run selects from it once (`creative_map.select`): the map, the list, the count and
the downloads all come from that one `Selection`. The view lives in the address (`creative_map.urlstate`); a
session that comes back from another page finds the view as it left it. Everything of the map is here.

The map's frame stays from one run to the next: its script (`creative_map.mapping.app_map`) depends only on
the data version, the language and the basemap, and fetches the spaces once from the static data file; a run
sends only what changed (`creative_map.mapping.view_layer`: which spaces are shown, the legend, the boundary
layer, the selected space with its details), which ``st_folium`` swaps in without reloading the frame, so the
view a person panned and zoomed to is kept. The list and the chooser show one page of `LIST_PAGE` spaces.
"""

from __future__ import annotations

import math
import os
from collections.abc import Set as AbstractSet
from pathlib import Path

import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from app_pages import _shared as shared
from creative_map import admin, export, mapping, schema, urlstate
from creative_map.errors import DataError
from creative_map.i18n import plan_label, space_names, t, unit_choice_label, unit_label, vocab_label
from creative_map.text import clip, escape_markdown, name_key
from creative_map.types import BASEMAPS, BOUNDARY_LAYERS, FORMATS, LEVELS, BoundaryLayer, Lang, Level

LIST_PAGE = 50  # the list and the chooser show this many spaces at a time; the map and the count show all
VIEW = shared.VIEW  # the view's parameters, kept while the person visits another page (widgets are forgotten)
# Settings: environment variables naming a planner's official boundary file (any format GDAL reads).
BOUNDARY_FILES: dict[Level, str] = {"district": "CREATIVE_MAP_DISTRICTS", "ward_2025": "CREATIVE_MAP_WARDS_2025"}


def official_units() -> dict[Level, gpd.GeoDataFrame]:
    """The official boundary layers the settings name (exports use the shipped approximate ones otherwise)."""
    return {
        lvl: shared.load_boundaries(lvl, os.environ[var], shared.mtime(Path(os.environ[var])))
        for lvl, var in BOUNDARY_FILES.items()
        if os.environ.get(var)
    }


def units_of(level: Level, lang: Lang, *, warn: bool) -> shared.Units | None:
    """The boundary layer `level` as the map fetches it (the official file when the settings name one), or None
    (with a warning when `warn`) when it cannot be read."""
    official = os.environ.get(BOUNDARY_FILES[level], "")
    try:
        return shared.units_file(
            level, official, shared.mtime(Path(official)) if official else 0.0, lang, shared.base_url()
        )
    except (DataError, ValueError, OSError) as exc:
        if warn:
            st.warning(
                t(
                    "boundaries_bad",
                    lang,
                    path=escape_markdown(clip(official, 300)),
                    error=escape_markdown(clip(exc, 300)),
                )
                if official
                else t("boundaries_missing", lang)
            )
        return None


def choose(space_id: str | None) -> None:
    st.session_state[urlstate.SELECTED] = space_id
    st.session_state["pick"] = space_id


def on_map() -> None:
    clicked = (st.session_state.get("map") or {}).get("last_active_drawing") or {}
    space_id = (clicked.get("properties") or {}).get(schema.ID)
    if isinstance(space_id, str) and space_id:
        choose(space_id)


def turn_page(step: int) -> None:
    st.session_state["list_page"] = max(0, st.session_state.get("list_page", 0) + step)


def restore_view(params: dict[str, list[str]], space_ids: AbstractSet[str]) -> list[urlstate.Notice]:
    """Set the widgets to the view `params` describe (the language excepted: app.py's switch holds it)."""
    state, notices = urlstate.parse_params(params, space_ids=space_ids)
    values = urlstate.widget_values(state)
    values.pop(urlstate.LANG)
    st.session_state.update(values, pick=state.selected)
    return notices


CARRIED = "units_carried"  # the last switch of unit set: (target level, source names, carried, dropped)


def carry_unit_filter() -> None:
    """When the person switches unit sets, carry the unit filter over (`admin.carry_units`) instead of dropping
    it; switching straight back restores what they had chosen."""
    to: Level = st.session_state[urlstate.UNITS]
    source_key, target_key = (
        (urlstate.DISTRICT, urlstate.WARD) if to == "ward_2025" else (urlstate.WARD, urlstate.DISTRICT)
    )
    source = list(st.session_state.get(source_key) or [])
    last = st.session_state.get(CARRIED)
    if last and last[0] != to and list(last[2]) == source:  # straight back, the filter unchanged
        carried = admin.CarriedUnits(tuple(last[1]), ())
    else:
        carried = admin.carry_units(source, to=to)
    st.session_state[target_key] = list(carried.carried)
    st.session_state[CARRIED] = (to, tuple(source), carried.carried, carried.dropped) if source else None


def carried_notice(units: Level, lang: Lang) -> None:
    """Say what the last switch of unit set did to the filter, while its result is still the filter."""
    last = st.session_state.get(CARRIED)
    key = urlstate.WARD if units == "ward_2025" else urlstate.DISTRICT
    if not last or last[0] != units or list(last[2]) != list(st.session_state.get(key) or []):
        return
    _, source, carried, dropped = last
    names = ", ".join(unit_label(n, lang) for n in carried) or t("units_carried_nothing", lang)
    shared.box("info", t(f"units_carried_{units}", lang, n=len(source)), [names])
    if dropped:
        shared.box("warning", t("units_dropped", lang), [", ".join(unit_label(n, lang) for n in dropped)])


PAGE_NAMES = shared.page_names(globals())  # the page's own names; what the run sets below is forgotten at its end
data = shared.map_data()
dataset = data.dataset
lang = shared.current_lang()
if "notices" not in st.session_state:  # a new session: the link decides the view
    st.session_state["notices"] = restore_view(
        {name: st.query_params.get_all(name) for name in st.query_params}, data.space_ids
    )
elif urlstate.SEARCH not in st.session_state and VIEW in st.session_state:  # back from another page
    restore_view(st.session_state[VIEW], data.space_ids)

with st.sidebar:
    st.header(t("filters", lang))
    units = st.radio(
        t("units", lang),
        LEVELS,
        key=urlstate.UNITS,
        format_func=lambda u: t(f"units_{u}", lang),
        on_change=carry_unit_filter,
    )
    if units == "district":
        st.multiselect(
            t("districts", lang),
            [d.name for d in admin.districts()],
            key=urlstate.DISTRICT,
            placeholder=t("choose", lang),
            format_func=lambda n: unit_choice_label(n, lang),
        )
    else:
        st.multiselect(
            t("wards_2025", lang),
            sorted((u.name for u in admin.units_2025()), key=name_key),
            key=urlstate.WARD,
            placeholder=t("choose", lang),
            format_func=lambda n: unit_choice_label(n, lang),
        )
    carried_notice(units, lang)
    st.multiselect(
        t("categories", lang),
        list(schema.CATEGORIES),
        key=urlstate.CATEGORY,
        placeholder=t("choose", lang),
        format_func=lambda c: vocab_label(schema.CATEGORIES, c, lang),
    )
    st.multiselect(
        t("statuses", lang),
        list(schema.STATUSES),
        key=urlstate.STATUS,
        placeholder=t("choose", lang),
        format_func=lambda s: vocab_label(schema.STATUSES, s, lang),
    )
    st.multiselect(
        t("network_members", lang),
        list(schema.NETWORK_MEMBER),
        key=urlstate.MEMBER,
        placeholder=t("choose", lang),
        format_func=lambda s: vocab_label(schema.NETWORK_MEMBER, s, lang),
    )
    st.multiselect(
        t("plan_items", lang),
        list(schema.PLAN_ITEMS),
        key=urlstate.PLAN,
        placeholder=t("choose", lang),
        format_func=lambda p: plan_label(p, lang),
    )
    st.caption(t("events", lang))
    st.date_input(t("event_start", lang), key=urlstate.EVENT_FROM, format="YYYY-MM-DD")
    st.date_input(t("event_end", lang), key=urlstate.EVENT_TO, format="YYYY-MM-DD")
    st.header(t("display", lang))
    st.selectbox(t("basemap", lang), BASEMAPS, key=urlstate.BASEMAP, format_func=lambda b: t(f"basemap_{b}", lang))
    st.radio(
        t("boundaries", lang), BOUNDARY_LAYERS, key=urlstate.LAYER, format_func=lambda b: t(f"boundaries_{b}", lang)
    )

st.title(t("title", lang))
st.caption(t("intro", lang))
st.text_input(
    t("search", lang), key=urlstate.SEARCH, placeholder=t("search_placeholder", lang), help=t("search_help", lang)
)
for notice in st.session_state["notices"]:
    st.warning(urlstate.notice_text(notice, lang), icon="⚠️")

state = urlstate.state_from_widgets(st.session_state)  # type: ignore[arg-type]  # a Mapping at run time
shown = shared.view(data, state.filter)
selection = shown.selection  # the one selection: map, list, count and downloads
selected = state.selected if state.selected and state.selected in set(selection.ids) else None
st.session_state[urlstate.SELECTED] = selected
state = urlstate.ViewState(**{**state.__dict__, "selected": selected})
params = urlstate.to_params(state)
st.query_params.from_dict(params)  # the address always shows the view: a link reproduces it
st.session_state[VIEW] = {k: [v] if isinstance(v, str) else list(v) for k, v in params.items()}
st.markdown(f"**{t('count', lang, shown=len(selection), total=selection.total)}**", help=t("share", lang))
shared.data_line(dataset, lang)


layer: BoundaryLayer = state.layer
drawn_units = units_of(layer, lang, warn=True) if layer != "none" else None
# Without tiles (basemap none, or none loaded) the map is read by its units: the 2025 wards unless a layer is chosen.
default_units = units_of("ward_2025", lang, warn=False) if layer == "none" else None
# The units the filter chose are outlined on the map.
chosen_level: Level | None = "district" if state.filter.districts else "ward_2025" if state.filter.wards_2025 else None
chosen_units = units_of(chosen_level, lang, warn=False) if chosen_level else None
chosen_names = state.filter.districts or state.filter.wards_2025
supplied = bool(os.environ.get(BOUNDARY_FILES[layer if layer != "none" else "ward_2025"], ""))  # credited

suggest_url = shared.suggest_url(lang)  # spaces drawn as not exact invite a suggestion of their position
record = shared.space_record(selected)  # every field of the selected space (the frame in memory holds a few)
st_folium(
    mapping.app_map(  # the same script from one run to the next: the frame stays
        data=data.urls,
        total=len(data.file.ids),
        bounds=data.bounds,
        lang=lang,
        basemap=state.basemap,
        static_url=shared.static_url(),  # under --server.baseUrlPath (behind nginx) the files move
        suggest_url=suggest_url,
    ),
    key="map",
    height=560,
    use_container_width=True,
    on_change=on_map,
    returned_objects=["last_active_drawing"],
    feature_group_to_add=mapping.view_layer(  # what changed: swapped in without reloading the frame
        selection,
        shown=shown.shown,
        selected=record,
        lang=lang,
        units=drawn_units.urls if drawn_units else None,
        units_approximate=bool(drawn_units and drawn_units.approximate),
        units_label=drawn_units.label if drawn_units else "",
        units_attribution=mapping.boundaries_attribution(shipped=not supplied, lang=lang),
        default_units=default_units.urls if default_units else None,
        highlight=chosen_units.urls if chosen_units else None,
        highlight_names=chosen_names,
        suggest_url=suggest_url,
    ),
)

# The details beside the list while a space is chosen; otherwise the list takes the whole width.
details, listing = st.columns([2, 3]) if record is not None else (None, st.container())
if details is not None and record is not None:
    with details:
        st.subheader(t("details", lang))
        st.html(mapping.details_page_html(record, lang=lang, events=selection.events, suggest_url=suggest_url))
        st.button(t("clear_selection", lang), key="clear", on_click=choose, args=(None,))
with listing:
    st.subheader(t("list", lang))
    if record is None:
        st.caption(t("details_empty", lang))
    if st.session_state.get("list_for") != state.filter:  # another filter: back to the first page
        st.session_state["list_for"] = state.filter
        st.session_state["list_page"] = 0
    pages = max(1, math.ceil(len(selection) / LIST_PAGE))
    page = min(st.session_state.get("list_page", 0), pages - 1)
    st.session_state["list_page"] = page
    table = shared.list_page(data, selection, lang, page, LIST_PAGE)  # by name in `lang`
    names = dict(zip(table.index, table.iloc[:, 0], strict=True))  # the chooser's labels
    if selected and selected not in names:
        names[selected] = space_names(record, lang)[0] if record is not None else selected
    st.session_state["table_ids"] = table.index.tolist()
    if st.session_state.get("pick") not in names:
        st.session_state["pick"] = None
    st.selectbox(
        t("pick", lang),
        list(names),
        key="pick",
        placeholder=t("pick_none", lang),
        format_func=names.__getitem__,
        on_change=lambda: choose(st.session_state["pick"]),
        help=t("pick_help", lang),
    )
    if len(table):
        # A plain HTML table: no data grid to load (about 30 requests and 1.7 MB of JavaScript less per visitor).
        st.html(mapping.list_html(table, caption=t("list", lang)))
        if pages > 1:
            first = page * LIST_PAGE + 1
            back, where, forward = st.columns([1, 3, 1], vertical_alignment="center")
            back.button(t("list_prev", lang), key="list_prev", on_click=turn_page, args=(-1,), disabled=page == 0)
            where.caption(
                t(
                    "list_page",
                    lang,
                    first=f"{first:,}",
                    last=f"{first + len(table) - 1:,}",
                    total=f"{len(selection):,}",
                    page=f"{page + 1:,}",
                    pages=f"{pages:,}",
                )
            )
            forward.button(
                t("list_next", lang), key="list_next", on_click=turn_page, args=(1,), disabled=page == pages - 1
            )
    else:
        st.info(t("no_results", lang))
st.subheader(t("export", lang), help=t("export_help", lang))
fmt_col, button_col = st.columns([3, 2], vertical_alignment="bottom")
fmt = fmt_col.selectbox(
    t("export_format", lang), FORMATS, key="export_format", format_func=lambda f: t(f"fmt_{f}", lang)
)
wanted = (fmt, lang, repr(state.filter))  # a prepared file is offered only while it matches what is shown
if button_col.button(t("export_prepare", lang), key="export_prepare"):
    with st.spinner(t("export_prepare", lang)):
        try:
            file = export.download(shared.full_selection(selection), fmt, lang=lang, boundaries=official_units())
            st.session_state["export_file"] = (wanted, file)
        except (DataError, ValueError, OSError) as exc:
            st.session_state.pop("export_file", None)
            st.error(t("export_failed", lang, error=escape_markdown(clip(exc, 300))))
prepared = st.session_state.get("export_file")
if prepared and prepared[0] != wanted:  # not what is shown any more: not kept in the session either
    del st.session_state["export_file"]
elif prepared:
    file = prepared[1]
    st.download_button(
        t("export_ready", lang, name=file.file_name),
        file.data,
        file_name=file.file_name,
        mime=file.mime,
        key="export_download",
    )

if os.environ.get("CREATIVE_MAP_DEBUG"):
    st.caption(t("debug_data", lang, path=escape_markdown(shared.data_path())))

# This run's objects go with the run (the selection alone is 3 MB at 10,000 spaces): Streamlit keeps the
# widgets' callbacks and label functions for as long as the session lives, and a closed session two minutes more
# for a reconnection (``server.disconnectedSessionTTL``); a function of this page holds the page's globals.
shared.forget_run(globals(), keep=PAGE_NAMES)
