"""The plain folium way, for `bench_app.py` only: the app's load and filter path with one `folium.Marker` and its
popup per space in a `MarkerCluster`. Not part of the product; run by the benchmark through `streamlit run`."""

from __future__ import annotations

from pathlib import Path

import folium
import streamlit as st
from branca.element import MacroElement
from folium.plugins import MarkerCluster
from folium.template import Template
from streamlit_folium import st_folium

import creative_map
from creative_map import assets, io, mapping, schema
from creative_map.i18n import space_names, vocab_label


class JQueryShim(MacroElement):  # type: ignore[misc]
    """folium's popups call jQuery's ``$(html)[0]``; a three-line stand-in lets the page run with no CDN."""

    _template = Template(
        """{% macro script(this, kwargs) %}
window.$ = window.$ || function (html) {
  var t = document.createElement("template"); t.innerHTML = String(html).trim(); return [t.content.firstChild];
};
{% endmacro %}"""
    )


@st.cache_resource(show_spinner=False)
def load(path: str) -> creative_map.Dataset:
    return creative_map.load(path)


def plain_map(selection: creative_map.Selection) -> folium.Map:
    """One `folium.Marker` with its full popup per selected space, at its representative point, in a cluster."""
    m = folium.Map(location=mapping.HANOI_CENTRE, zoom_start=11, tiles=None, control_scale=True)
    m.options["maxZoom"] = mapping.MAX_ZOOM
    m.default_js = assets.js_urls(names=("leaflet", "markercluster"))
    m.default_css = assets.css_urls(names=("leaflet", "markercluster"))
    JQueryShim().add_to(m)
    cluster = MarkerCluster()
    cluster.default_js, cluster.default_css = [], []
    cluster.add_to(m)
    for _, row in selection.spaces.iterrows():
        folium.Marker(
            [row[schema.REP_LAT], row[schema.REP_LON]],
            popup=folium.Popup(mapping.details_html(row, lang="vi", events=selection.events), max_width=320),
            tooltip=space_names(row, "vi")[0],
        ).add_to(cluster)
    if len(selection):
        w, s, e, n = selection.spaces.total_bounds
        m.fit_bounds([[s, w], [n, e]])
    return m


if __name__ == "__main__":  # Streamlit runs the script as __main__; bench_app imports plain_map only
    assets.ensure_static(Path(__file__).resolve().parent / "static")  # the benchmark runs a copy in its out/
    dataset = load(str(io.data_path()))
    cats = st.multiselect(
        "Loại không gian",
        list(schema.CATEGORIES),
        format_func=lambda c: vocab_label(schema.CATEGORIES, c, "vi"),
        placeholder="Chọn…",
    )
    selection = creative_map.select(dataset, creative_map.Filter(categories=tuple(cats)))
    st.markdown(f"**{len(selection)} / {selection.total} không gian**")
    st_folium(plain_map(selection), key="map", height=560, use_container_width=True, returned_objects=[])
