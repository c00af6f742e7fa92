"""The Numbers page (planners): `creative-map stats` and `gaps` of the Map page's selection, and a choropleth.

The selection is the Map page's (the view this session keeps, else this page's link): the same
`creative_map.select` call, so the numbers count what the map shows. One row per district or 2025 ward
(`analysis.unit_statistics`), a measure of it mapped on a classed scale (`classes.scheme`: quantiles or
natural breaks, the legend giving each class's limits; `creative_map.choropleth`), the units with no active
space near their centre (`analysis.gaps`); both tables download as CSV. A unit clicked on the map, or a row
picked in a table, opens the Map page filtered to that unit.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import creative_map
from app_pages import _shared as shared
from creative_map import analysis, boundaries, choropleth, classes, schema, urlstate
from creative_map.analysis import MEASURES, SHARES, measure_label
from creative_map.errors import DataError
from creative_map.export.table import frame_csv
from creative_map.i18n import boundary_note, describe_filter, t, unit_label, vocab_label
from creative_map.query import Filter
from creative_map.types import LEVELS, Level

BOUNDARY_FILES: dict[Level, str] = {"district": "CREATIVE_MAP_DISTRICTS", "ward_2025": "CREATIVE_MAP_WARDS_2025"}
DECIMALS = {"area_km2": 3, "spaces_per_km2": 3, "share_500m": 4, "share_1km": 4, "nearest_active_m": 0}


@st.cache_data(show_spinner=False, max_entries=8)
def load_units(level: Level, path: str, stamp: float) -> gpd.GeoDataFrame:
    """The official layer the settings name for `level`, else the shipped one (`stamp`: the file's mtime)."""
    return boundaries.load_boundaries(level, path or None)


@st.cache_data(show_spinner=False, max_entries=32)
def statistics(_selection: creative_map.Selection, key: str, level: Level, _units: gpd.GeoDataFrame) -> pd.DataFrame:
    """`analysis.unit_statistics`, once per filter, level and data version (`key` says which)."""
    return analysis.unit_statistics(_selection, _units, level=level)


def units_of(level: Level) -> gpd.GeoDataFrame:
    official = os.environ.get(BOUNDARY_FILES[level], "")
    try:
        return load_units(level, official, shared.mtime(Path(official)) if official else 0.0)
    except (DataError, ValueError, OSError) as exc:
        shared.box("warning", t("boundaries_bad", lang, path=official, error=exc))
        return load_units(level, "", 0.0)


def on_unit(state: urlstate.ViewState, level: Level, name: str) -> None:
    """Open the Map page filtered to the unit `name` of `level` (the other filters kept)."""
    flt = state.filter
    unit_filter = (
        {"districts": (name,), "wards_2025": ()} if level == "district" else {"districts": (), "wards_2025": (name,)}
    )
    new = Filter(**{**flt.__dict__, **unit_filter})
    shared.open_map(urlstate.ViewState(**{**state.__dict__, "filter": new, "units": level, "selected": None}))


def shown(table: pd.DataFrame) -> pd.DataFrame:
    """The table as the page shows it: names and labels in the page's language, shares as percentages."""
    out = table.copy()
    out["name"] = [unit_label(str(n), lang) for n in out["name"]]
    for column in SHARES:
        if column in out.columns:
            out[column] = (out[column] * 100).round(1)
    for column, digits in DECIMALS.items():
        if column in out.columns and column not in SHARES:
            out[column] = out[column].round(digits)
    names = {c: vocab_label(schema.CATEGORIES, c, lang) for c in schema.CATEGORIES}
    names |= {c: t(f"nb_col_{c}", lang) for c in out.columns if f"nb_col_{c}" in _KNOWN}
    return out.rename(columns=names)


def rounded(table: pd.DataFrame) -> pd.DataFrame:
    return table.round({c: d for c, d in DECIMALS.items() if c in table.columns})


_KNOWN = {f"nb_col_{c}" for c in (
    "name", "code", "rank", "total", "active", "area_km2", "spaces_per_km2", "share_500m", "share_1km",
    "nearest_active_m", "nearest_active_id",
)}  # fmt: skip

PAGE_NAMES = shared.page_names(globals())  # the page's own names; what the run sets below is forgotten at its end
dataset = shared.dataset()
lang = shared.current_lang()
state = shared.view_state(shared.map_data().space_ids)
selection = creative_map.select(dataset, state.filter)

st.title(t("nb_title", lang))
st.caption(t("nb_intro", lang))
shared.data_line(dataset, lang)
st.markdown(f"**{t('count', lang, shown=len(selection), total=selection.total)}**")
st.caption(t("nb_filter", lang, filter=describe_filter(state.filter, lang)))

options = st.columns([2, 3, 3, 2])
level: Level = options[0].radio(
    t("nb_level", lang), LEVELS, index=LEVELS.index(state.units), key="nb_level",
    format_func=lambda u: t(f"boundaries_{u}", lang),
)  # fmt: skip
measure: str = options[1].selectbox(
    t("nb_measure", lang), MEASURES, key="nb_measure", format_func=lambda m: measure_label(m, lang)
)
method: classes.Method = options[2].radio(
    t("nb_method", lang), classes.METHODS, key="nb_method", format_func=lambda m: classes.method_label(m, lang)
)
k: int = options[3].selectbox(t("nb_k", lang), (3, 4, 5, 6, 7), index=2, key="nb_k")

units = units_of(level)
stamp = [(str(p), shared.mtime(p)) for p in (dataset.path, dataset.events_path) if p is not None]
table = statistics(selection, repr((state.filter, stamp, len(units), tuple(units["name"]))), level, units)
scale = classes.scheme(table[measure], method=method, k=k)
chosen = state.filter.districts if level == "district" else state.filter.wards_2025

st.subheader(t("nb_map_label", lang, measure=measure_label(measure, lang), level=t(f"boundaries_{level}", lang)))
st.caption(boundary_note(level, shipped=boundaries.is_shipped(units), lang=lang))
no_data = int(table[measure].isna().sum())
st.html(
    f"<style>{choropleth.LEGEND_STYLE}.cm-choro-legend{{box-shadow:none;max-width:none;padding:0}}</style>"
    + choropleth.legend_html(scale, measure=measure, lang=lang, no_data=no_data)
)  # beside the map: covers none
clicked = st_folium(
    choropleth.choropleth_map(
        table,
        units,
        measure=measure,
        classes=scale,
        lang=lang,
        selected=chosen,
        legend=False,
        static_url=shared.static_url(),
    ),
    key=f"nb_map_{level}",
    height=520,
    use_container_width=True,
    returned_objects=["last_active_drawing"],
)
picked = ((clicked or {}).get("last_active_drawing") or {}).get("properties") or {}
if isinstance(picked.get("name"), str) and picked["name"] in set(units["name"]):
    on_unit(state, level, picked["name"])

st.subheader(t("nb_table", lang), help=t("nb_table_help", lang))
rows = st.dataframe(
    shown(table), key=f"nb_table_{level}", on_select="rerun", selection_mode="single-row", hide_index=True
)
if rows and rows.selection.rows:
    on_unit(state, level, str(table["name"].iloc[rows.selection.rows[0]]))
today = dt.date.today().isoformat()
st.download_button(
    t("nb_download_stats", lang),
    frame_csv(rounded(table)),
    file_name=f"creative_map_stats_{level}_{today}.csv",
    mime="text/csv",
    key="nb_stats_csv",
)

st.subheader(t("nb_gaps", lang))
distance = st.number_input(
    t("nb_gap_distance", lang), min_value=100, max_value=50_000, value=1000, step=100, key="nb_distance"
)
gap_table = analysis.gaps(selection, units, level=level, distance_m=float(distance), statistics=table)
st.caption(t("nb_gaps_intro", lang, distance=classes.format_number(distance, lang, decimals=0)))
if len(gap_table):
    gap_rows = st.dataframe(
        shown(gap_table), key=f"nb_gaps_{level}", on_select="rerun", selection_mode="single-row", hide_index=True
    )
    if gap_rows and gap_rows.selection.rows:
        on_unit(state, level, str(gap_table["name"].iloc[gap_rows.selection.rows[0]]))
else:
    st.info(t("nb_no_gaps", lang))
st.download_button(
    t("nb_download_gaps", lang),
    frame_csv(rounded(gap_table)),
    file_name=f"creative_map_gaps_{level}_{today}.csv",
    mime="text/csv",
    key="nb_gaps_csv",
)

# This run's objects go with the run: the label functions above keep the page's globals while the session lives
# (see `_shared.forget_run`).
shared.forget_run(globals(), keep=PAGE_NAMES)
