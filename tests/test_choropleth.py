"""The Numbers page's choropleth: units coloured by class on a classed scale, a legend with the class limits, the
real 2025 ward layer (126 polygons) and the districts, Leaflet from the app or inlined (issue 14, point 12)."""

from __future__ import annotations

import json
import re

import pytest

import creative_map
from creative_map import analysis, boundaries, choropleth, classes
from creative_map.export.table import frame_csv


@pytest.fixture(scope="module")
def selection():
    return creative_map.select(creative_map.load())


@pytest.mark.parametrize("level,count", [("district", 30), ("ward_2025", 126)])
def test_every_unit_is_drawn_in_its_class_colour(selection, level, count):
    units = boundaries.load_boundaries(level)
    stats = analysis.unit_statistics(selection, units, level=level)
    scale = classes.scheme(stats["spaces_per_km2"], method="natural_breaks", k=5)
    frame = choropleth.unit_features(stats, units, measure="spaces_per_km2", classes=scale, lang="vi")
    assert len(frame) == count and list(frame["name"]) == list(units["name"])
    assert frame.geom_type.isin(["Polygon", "MultiPolygon"]).all()
    assert list(frame["class"]) == list(scale.classify(stats["spaces_per_km2"]))
    assert set(frame["colour"]) <= set(scale.colours())
    assert frame.loc[frame["name"].str.contains("Hoàn Kiếm"), "class"].iloc[0] == len(scale) - 1  # the densest
    m = choropleth.choropleth_map(stats, units, measure="spaces_per_km2", classes=scale, lang="vi")
    page = m.get_root().render()
    assert page.count('"type": "Feature"') + page.count('"type":"Feature"') >= count
    assert "/app/static/vendor/leaflet/leaflet.js" in page and "cdn" not in page.lower()


def test_the_legend_gives_each_class_its_limits_and_count(selection):
    units = boundaries.load_boundaries("ward_2025")
    stats = analysis.unit_statistics(selection, units, level="ward_2025")
    scale = classes.scheme(stats["share_500m"], method="quantiles", k=5)
    legend = choropleth.legend_html(scale, measure="share_500m", lang="en")
    for text, count in zip(scale.labels("en", percent=True), scale.counts, strict=True):
        assert f'{text} <span class="cm-n">({count} units)</span>' in legend
    assert "Share of the area within 500 m of an active space" in legend and "Quantiles" in legend
    assert sum(scale.counts) == 126
    vi = choropleth.legend_html(scale, measure="share_500m", lang="vi", no_data=2)
    assert "%" in vi and "Không có số liệu" in vi and "(2 đơn vị)" in vi


def test_values_and_the_selected_unit(selection):
    units = boundaries.load_boundaries("district")
    stats = analysis.unit_statistics(selection, units, level="district")
    stats.loc[stats["name"] == "Huyện Ba Vì", "spaces_per_km2"] = float("nan")
    scale = classes.scheme(stats["spaces_per_km2"], k=4)
    frame = choropleth.unit_features(stats, units, measure="spaces_per_km2", classes=scale, lang="en")
    ba_vi = frame.loc[frame["name"] == "Huyện Ba Vì"].iloc[0]
    assert ba_vi["class"] == -1 and ba_vi["colour"] == choropleth.NO_DATA_COLOUR and ba_vi["value"] == "No data"
    assert frame.loc[frame["name"] == "Quận Hoàn Kiếm", "label"].iloc[0] == "Hoàn Kiếm District (approximate)"
    assert choropleth.measure_text(0.1234, "share_1km", "vi") == "12,3 %"
    m = choropleth.choropleth_map(
        stats, units, measure="spaces_per_km2", classes=scale, selected=("Quận Hoàn Kiếm",), assets="inline"
    )
    page = m.get_root().render()
    assert "/app/static" not in page and "L.control" in page and "cm-choro-legend" not in page.split("<script")[0]
    drawn = json.loads(re.search(r"geo_json_\w+_add\((\{.*?\})\);", page, re.S).group(1))
    assert {f["properties"]["name"] for f in drawn["features"]} == set(units["name"])  # a click names the unit
    with pytest.raises(ValueError, match="measure"):
        choropleth.unit_features(stats, units, measure="total", classes=scale)
    with pytest.raises(ValueError, match="no row"):
        choropleth.unit_features(stats.iloc[1:], units, measure="spaces_per_km2", classes=scale)
    without = choropleth.choropleth_map(stats, units, measure="spaces_per_km2", classes=scale, legend=False)
    assert "L.control" not in without.get_root().render()


def test_a_table_as_csv_escapes_formulas_and_keeps_numbers():
    import pandas as pd

    data = frame_csv(pd.DataFrame({"name": ["=HYPERLINK(1)", "Quận Ba Đình"], "total": [-5, 3], "x": [0.5, None]}))
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    text = data.decode("utf-8-sig").splitlines()
    assert text == ["name,total,x", "'=HYPERLINK(1),-5,0.5", "Quận Ba Đình,3,"]
