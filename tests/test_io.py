import unicodedata

import geopandas as gpd
import pytest
from shapely.geometry import Point

from creative_map import load_events, load_spaces, schema
from creative_map.errors import DataError
from creative_map.io import data_path, default_data

from .conftest import collection, make_event


def test_load_spaces_builds_the_frame(write_json, three_spaces):
    gdf = load_spaces(write_json(three_spaces))
    assert isinstance(gdf, gpd.GeoDataFrame)
    assert gdf.crs.to_epsg() == 4326
    assert list(gdf[schema.ID]) == ["ho-hoan-kiem", "nha-hat-mua-roi-thang-long", "phong-tranh-cu"]
    assert gdf.geometry.iloc[0].equals(Point(105.8523, 21.0288))
    assert gdf[schema.REP_LON].iloc[0] == pytest.approx(105.8523)
    assert gdf[schema.NAME_FOLDED].iloc[1] == "nha hat mua roi thang long | thang long water puppet theatre"
    assert gdf[schema.SOURCES].iloc[2] == ["https://example.org/gallery"]
    for column in schema.SPACE_COLUMNS:
        assert column in gdf.columns


def test_text_is_nfc_and_names_canonical(write_json, three_spaces):
    feature = three_spaces["features"][0]["properties"]
    feature["name_vi"] = unicodedata.normalize("NFD", feature["name_vi"])
    feature["district"] = "hoan kiem"
    feature["ward_2025"] = "P. Hoàn Kiếm"
    gdf = load_spaces(write_json(three_spaces))
    assert gdf[schema.NAME_VI].iloc[0] == unicodedata.normalize("NFC", feature["name_vi"])
    assert gdf[schema.DISTRICT].iloc[0] == "Quận Hoàn Kiếm"
    assert gdf[schema.WARD_2025].iloc[0] == "Phường Hoàn Kiếm"


def test_optional_fields_default_to_empty(write_json, three_spaces):
    for f in three_spaces["features"]:
        del f["properties"]["website"]
    gdf = load_spaces(write_json(three_spaces))
    assert list(gdf[schema.WEBSITE]) == ["", "", ""]


def test_data_path_order(monkeypatch, tmp_path):
    monkeypatch.delenv("CREATIVE_MAP_DATA", raising=False)
    assert data_path().name == "spaces.geojson"
    assert data_path() == default_data()
    monkeypatch.setenv("CREATIVE_MAP_DATA", str(tmp_path / "x.geojson"))
    assert data_path() == tmp_path / "x.geojson"
    assert data_path(tmp_path / "y.geojson") == tmp_path / "y.geojson"


def test_load_events_links_to_spaces(write_json, three_spaces):
    spaces = load_spaces(write_json(three_spaces))
    events = load_events(write_json(collection(make_event()), "events.geojson"), spaces=spaces)
    assert list(events[schema.SPACE_IDS]) == [["ho-hoan-kiem"]]
    assert events.geometry.iloc[0].equals(Point(105.8523, 21.0288))


@pytest.mark.parametrize(
    ("props", "fragment"),
    [
        ({"space_ids": ["nowhere"]}, "'nowhere' is the id of no space"),
        ({"end": "2024-11-01"}, "is before start"),
        ({"start": "9/11/2024"}, "YYYY-MM-DD"),
        ({"sources": []}, "'sources': is empty"),
    ],
)
def test_bad_events(write_json, three_spaces, props, fragment):
    spaces = load_spaces(write_json(three_spaces))
    with pytest.raises(DataError, match=fragment):
        load_events(write_json(collection(make_event(**props)), "events.geojson"), spaces=spaces)


def test_default_data_is_found_from_inside_the_project(tmp_path, monkeypatch):
    project = tmp_path / "project"
    (project / "data").mkdir(parents=True)
    (project / "data" / "spaces.geojson").write_text("{}", encoding="utf-8")
    (project / "notebooks").mkdir()
    monkeypatch.chdir(project / "notebooks")
    assert default_data() == project / "data" / "spaces.geojson"
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    assert default_data(outside) == outside / "data" / "spaces.geojson"  # none found: loading says it is missing
