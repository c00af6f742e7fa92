"""A choropleth of a measure per unit on a classed scale: the map the app's "Numbers" page shows.

`choropleth_map` draws the units of a boundary layer coloured by the class (`creative_map.classes.scheme`:
quantiles or natural breaks) of one measure of `creative_map.analysis.unit_statistics`, with a legend that
gives each class's limits and how many units it holds. No basemap: the units are the map (the page needs no
tile server). Leaflet comes from the app's static files, or is inlined for a file that opens offline.
Each unit carries its canonical name (`name`), so a click tells the page which unit was meant.
"""

from __future__ import annotations

import html
import json
import math
from typing import Any, Final, Literal

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import Element, Figure, MacroElement
from folium.template import Template

from creative_map import assets as vendor
from creative_map import schema
from creative_map.analysis import MEASURES, SHARES, measure_label
from creative_map.boundaries import NAME, is_approximate
from creative_map.classes import Classes, format_number, method_label
from creative_map.i18n import t, unit_label
from creative_map.types import Lang

__all__ = ["LEGEND_STYLE", "NO_DATA_COLOUR", "choropleth_map", "legend_html", "measure_text", "unit_features"]

NO_DATA_COLOUR: Final = "#d9d9d9"
"""The fill of a unit without a value (a class of -1)."""
OUTLINE: Final = "#4d4d4d"
SELECTED_OUTLINE: Final = "#1a1a1a"


def measure_text(value: float, measure: str, lang: Lang = "vi") -> str:
    """Return a value of `measure` as a legend or a tooltip writes it: ``12,5 %`` for a share, ``3,41`` else."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return t("classes_no_data", lang)
    if measure in SHARES:
        return format_number(float(value) * 100, lang, decimals=1) + " %"
    return format_number(float(value), lang, decimals=2)


def unit_features(
    statistics: pd.DataFrame, units: gpd.GeoDataFrame, *, measure: str, classes: Classes, lang: Lang = "vi"
) -> gpd.GeoDataFrame:
    """Return the units with what the choropleth draws: name, label, value text, class and fill colour.

    Parameters
    ----------
    statistics
        `creative_map.analysis.unit_statistics` of `units` (one row per unit, matched by `name`).
    units
        The boundary layer (`creative_map.boundaries.load_boundaries`).
    measure
        A column of `creative_map.analysis.MEASURES`.
    classes
        The classed scale of that column (`creative_map.classes.scheme`).
    lang
        ``"vi"`` or ``"en"``.

    Raises
    ------
    ValueError
        When `measure` is no measure, or a unit of `units` has no row in `statistics`.
    """
    if measure not in MEASURES:
        raise ValueError(f"`measure` must be one of {', '.join(MEASURES)}; got {measure!r}")
    values = statistics.set_index(NAME)[measure]
    missing = [n for n in units[NAME] if n not in values.index]
    if missing:
        raise ValueError(f"`statistics` has no row for the units {', '.join(map(str, missing[:5]))}")
    value = np.asarray([values[n] for n in units[NAME]], dtype=np.float64)
    found = classes.classify(value)
    palette = classes.colours()
    approximate = " (" + t("approximate", lang) + ")" if is_approximate(units) else ""
    return gpd.GeoDataFrame(
        {
            "name": units[NAME].astype(str).to_numpy(),
            "label": [unit_label(str(n), lang) + approximate for n in units[NAME]],
            "value": [measure_text(v, measure, lang) for v in value],
            "class": found,
            "colour": [palette[c] if c >= 0 else NO_DATA_COLOUR for c in found],
        },
        geometry=units.geometry.to_crs(schema.CRS).to_numpy(),
        crs=schema.CRS,
    )


def legend_html(classes: Classes, *, measure: str, lang: Lang = "vi", no_data: int = 0) -> str:
    """Return the legend: the measure, the method, and per class a swatch, its limits and its count of units."""
    labels = classes.labels(lang, percent=measure in SHARES)
    rows = [
        (colour, text, count) for colour, text, count in zip(classes.colours(), labels, classes.counts, strict=True)
    ]
    if no_data:
        rows.append((NO_DATA_COLOUR, t("classes_no_data", lang), no_data))
    units_word = t("nb_units_count", lang)
    items = "".join(
        f'<li><span class="cm-swatch" style="background:{html.escape(colour)}" aria-hidden="true"></span>'
        f'{html.escape(text)} <span class="cm-n">({count} {html.escape(units_word)})</span></li>'
        for colour, text, count in rows
    )
    return (
        f'<div class="cm-choro-legend" role="group" aria-label="{html.escape(t("legend", lang))}">'
        f"<strong>{html.escape(measure_label(measure, lang))}</strong>"
        f'<p class="cm-method">{html.escape(method_label(classes.method, lang))}</p><ul>{items}</ul></div>'
    )


LEGEND_STYLE: Final = (
    ".cm-choro-legend{background:#fff;color:#1a1a1a;padding:6px 8px;border-radius:4px;"
    "box-shadow:0 1px 4px rgba(0,0,0,.4);font:12px/1.35 sans-serif;max-width:15rem}"
    ".cm-choro-legend ul{list-style:none;margin:4px 0 0;padding:0}.cm-choro-legend li{margin:1px 0}"
    ".cm-choro-legend .cm-method{margin:2px 0 0;color:#444}.cm-choro-legend .cm-n{color:#444}"
    ".cm-swatch{display:inline-block;width:14px;height:10px;margin-right:5px;border:1px solid #4d4d4d;"
    "vertical-align:middle}"
)


class ChoroplethLegend(MacroElement):
    """The legend as a Leaflet control in the map's lower right corner (works in the app and in a file)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.control({position: "bottomright"});
{{ this.get_name() }}.onAdd = function () {
    var div = L.DomUtil.create("div");
    div.innerHTML = {{ this.html }};
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    return div;
};
{{ this.get_name() }}.addTo({{ this._parent.get_name() }});
{% endmacro %}"""
    )

    def __init__(self, inner_html: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "ChoroplethLegend"
        style = f"<style>{LEGEND_STYLE}</style>"
        text = json.dumps(style + inner_html, ensure_ascii=False)
        self.html = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _style(feature: dict[str, Any], *, selected: frozenset[str]) -> dict[str, Any]:
    props = feature["properties"]
    chosen = props["name"] in selected
    return {
        "fillColor": props["colour"],
        "fillOpacity": 0.8,
        "color": SELECTED_OUTLINE if chosen else OUTLINE,
        "weight": 3 if chosen else 0.8,
        "opacity": 1,
    }


def choropleth_map(
    statistics: pd.DataFrame,
    units: gpd.GeoDataFrame,
    *,
    measure: str,
    classes: Classes,
    lang: Lang = "vi",
    selected: tuple[str, ...] = (),
    legend: bool = True,
    assets: Literal["static", "inline"] = "static",
    static_url: str = vendor.DEFAULT_STATIC_URL,
) -> folium.Map:
    """Return the folium map of `measure` per unit, coloured by its classes, with the legend of the limits.

    Parameters
    ----------
    statistics, units, measure, classes, lang
        As for `unit_features`.
    selected
        Names of units drawn with a thicker outline (those the page's filter names).
    legend
        Draw the legend (`legend_html`) inside the map; a page that shows it beside the map passes False, so
        that on a phone it covers no unit.
    assets
        ``"static"``: Leaflet from the app's static files (`static_url`); ``"inline"``: inside the page.
    static_url
        Where the app serves ``static/vendor/`` (`creative_map.assets.static_url`).

    Returns
    -------
    folium.Map
        No basemap; each unit a GeoJSON feature whose properties name it (`name`, the canonical name), and a
        tooltip with its name and value.
    """
    frame = unit_features(statistics, units, measure=measure, classes=classes, lang=lang)
    min_lon, min_lat, max_lon, max_lat = (float(v) for v in frame.total_bounds)
    m = folium.Map(location=[(min_lat + max_lat) / 2, (min_lon + max_lon) / 2], zoom_start=10, tiles=None)
    m.options["maxZoom"] = 18
    m.options["zoomSnap"] = 0.25  # fit the city to the frame, not to the nearest whole zoom level
    m.fit_bounds([[min_lat, min_lon], [max_lat, max_lon]])
    if assets == "static":
        m.default_js = vendor.js_urls(static_url, names=("leaflet",))
        m.default_css = vendor.css_urls(static_url, names=("leaflet",))
    elif assets == "inline":
        m.default_js = []
        m.default_css = []
        root = m.get_root()
        assert isinstance(root, Figure), "a folium map always sits in a Figure"
        inline = f"<style>{vendor.inline_css('leaflet')}</style><script>{vendor.inline_js('leaflet')}</script>"
        root.header.add_child(Element(inline), name="creative_map_vendor")
    else:
        raise ValueError(f"`assets` must be 'static' or 'inline', not {assets!r}")
    chosen = frozenset(selected)
    folium.GeoJson(
        frame,
        name=measure_label(measure, lang),
        style_function=lambda feature: _style(feature, selected=chosen),
        highlight_function=lambda _: {"weight": 3, "color": SELECTED_OUTLINE},
        tooltip=folium.GeoJsonTooltip(fields=["label", "value"], labels=False),
        smooth_factor=1.0,
    ).add_to(m)
    if legend:
        no_data = int((frame["class"] < 0).sum())
        m.add_child(ChoroplethLegend(legend_html(classes, measure=measure, lang=lang, no_data=no_data)))
    return m
