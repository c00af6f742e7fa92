"""Statistics, gaps and nearby spaces, on hand-made units whose answers are known exactly, and on the real data."""

from __future__ import annotations

import json
import math

import geopandas as gpd
import pytest
from geopandas.testing import assert_geodataframe_equal
from pyproj import Transformer
from shapely.geometry import box

from creative_map import Dataset, admin, analysis, boundaries, io, load, schema, select
from creative_map.analysis import gaps, spaces_near, unit_statistics

from .conftest import collection, make_space

TO_UTM = Transformer.from_crs("EPSG:4326", "EPSG:32648", always_xy=True)
TO_LONLAT = Transformer.from_crs("EPSG:32648", "EPSG:4326", always_xy=True)
CX, CY = TO_UTM.transform(105.8523, 21.0288)  # Hoàn Kiếm Lake


def at(dx: float, dy: float) -> tuple[float, float]:
    """lon/lat of the point `dx`, `dy` metres east and north of the lake in UTM 48N."""
    return TO_LONLAT.transform(CX + dx, CY + dy)


@pytest.fixture
def units() -> gpd.GeoDataFrame:
    """Three 4 km x 4 km squares in a row (west to east), exactly 16 km² each in UTM 48N."""
    names = ["Quận Hoàn Kiếm", "Quận Ba Đình", "Quận Tây Hồ"]
    squares = [box(CX - 2000 + 4000 * i, CY - 2000, CX + 2000 + 4000 * i, CY + 2000) for i in range(3)]
    frame = gpd.GeoDataFrame({"name": names, "code": ["002", "001", "003"]}, geometry=squares, crs="EPSG:32648")
    frame["approximate"] = False
    return frame.to_crs("EPSG:4326")


def selection(tmp_path, *features):
    """Everything in a spaces file made of `features`, as `select` gives it."""
    path = tmp_path / "spaces.geojson"
    path.write_text(json.dumps(collection(*features), ensure_ascii=False), encoding="utf-8")
    return select(Dataset(io.load_spaces(path)))


def space(i: int, dx: float, dy: float, **props):
    return make_space(*at(dx, dy), id=f"s{i}", name_vi=f"Không gian {i}", name_en=f"Space {i}", **props)


@pytest.fixture
def spaces(tmp_path):
    """Two active spaces and a closed one, all stated in Hoàn Kiếm (the west square)."""
    return selection(
        tmp_path,
        space(0, 0, 0),  # centre of the west square
        space(1, 1000, 0, category="museum"),
        space(2, -1500, 0, category="other", status="closed"),
    )


def test_every_unit_appears_with_exact_counts_and_areas(spaces, units):
    table = unit_statistics(spaces, units, level="district")
    assert list(table["name"]) == list(units["name"])  # also the two units with no space
    assert list(table["total"]) == [3, 0, 0]
    assert list(table["active"]) == [2, 0, 0]
    assert table["total"].sum() == len(spaces)
    assert list(table["walking_street"]) == [1, 0, 0]
    assert list(table["museum"]) == [1, 0, 0]
    assert list(table["other"]) == [1, 0, 0]
    assert set(schema.CATEGORIES) <= set(table.columns)
    assert table["area_km2"].tolist() == pytest.approx([16.0, 16.0, 16.0], rel=1e-9)
    assert table["spaces_per_km2"].tolist() == pytest.approx([3 / 16, 0, 0])


def test_areas_in_utm_agree_with_geodesic_areas(spaces, units):
    table = unit_statistics(spaces, units, level="district")
    geodesic = [boundaries.geodesic_area_km2(geom) for geom in units.geometry]
    assert table["area_km2"].tolist() == pytest.approx(geodesic, rel=1e-3)


def test_coverage_shares_are_the_circle_areas(spaces, units):
    table = unit_statistics(spaces, units, level="district")
    # Active spaces at the west square's centre and 1 km east of it; the closed one does not count.
    # 500 m: two disjoint discs, both inside the west square.
    assert table["share_500m"].iloc[0] == pytest.approx(2 * math.pi * 0.25 / 16, rel=2e-3)
    assert table["share_500m"].iloc[1] == 0
    # 1 km: two unit discs 1 km apart (their lens counted once); the eastern one just touches the square's edge.
    lens = 2 * math.acos(0.5) - 0.5 * math.sqrt(3)
    assert table["share_1km"].iloc[0] == pytest.approx((2 * math.pi - lens) / 16, rel=2e-3)
    assert table["share_1km"].iloc[1] == pytest.approx(0, abs=1e-6)
    assert table["share_1km"].iloc[2] == 0


def test_nearest_active_space_from_each_centroid(spaces, units):
    table = unit_statistics(spaces, units, level="district")
    assert table["nearest_active_m"].iloc[0] == pytest.approx(0, abs=1e-6)
    assert table["nearest_active_id"].iloc[0] == "s0"
    assert table["nearest_active_m"].iloc[1] == pytest.approx(3000, abs=0.01)  # middle centre at x=4 km, s1 at 1 km
    assert table["nearest_active_id"].iloc[1] == "s1"
    assert table["nearest_active_m"].iloc[2] == pytest.approx(7000, abs=0.01)


def test_counting_by_join_follows_the_polygons(tmp_path, units):
    spaces = selection(tmp_path, space(0, 0, 0), space(1, 4000, 0))  # the second stated Hoàn Kiếm but lies in Ba Đình
    by_attribute = unit_statistics(spaces, units, level="district")
    by_join = unit_statistics(spaces, units, level="district", by="join")
    assert list(by_attribute["total"]) == [2, 0, 0]
    assert list(by_join["total"]) == [1, 1, 0]


def test_no_space_at_all(tmp_path, spaces, units):
    empty = select(Dataset(spaces.spaces.iloc[:0]))
    table = unit_statistics(empty, units, level="district")
    assert list(table["total"]) == [0, 0, 0]
    assert table["share_1km"].tolist() == [0, 0, 0]
    assert table["nearest_active_m"].isna().all()
    assert len(gaps(empty, units, level="district")) == 3


def test_inputs_are_not_changed(spaces, units):
    before_spaces, before_units = spaces.spaces.copy(), units.copy()
    unit_statistics(spaces, units, level="district", by="join")
    gaps(spaces, units, level="district")
    spaces_near(spaces, *at(0, 0), radius_m=100)
    assert_geodataframe_equal(spaces.spaces, before_spaces)
    assert_geodataframe_equal(units, before_units)


def test_gaps_rank_the_units_farthest_first(spaces, units):
    table = gaps(spaces, units, level="district", distance_m=2500)
    assert list(table["name"]) == ["Quận Tây Hồ", "Quận Ba Đình"]
    assert list(table["rank"]) == [1, 2]
    assert table["nearest_active_m"].tolist() == pytest.approx([7000, 3000], abs=0.01)
    assert list(gaps(spaces, units, level="district", distance_m=3001)["name"]) == ["Quận Tây Hồ"]
    assert gaps(spaces, units, level="district", distance_m=8000).empty


def test_spaces_near_a_point_sorted_by_distance(spaces):
    found = spaces_near(spaces, *at(1000, 0), radius_m=1200)
    assert list(found["id"]) == ["s1", "s0"]
    assert found["distance_m"].tolist() == pytest.approx([0, 1000], abs=0.01)
    farther = spaces_near(spaces, *at(1000, 0), radius_m=3000)
    assert list(farther["id"]) == ["s1", "s0", "s2"]
    assert farther["distance_m"].iloc[2] == pytest.approx(2500, abs=0.01)
    assert spaces_near(spaces, *at(10000, 0), radius_m=500).empty


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s, u: unit_statistics(s, u, level="province"), "`level` must be"),
        (lambda s, u: unit_statistics(s, u, level="district", by="x"), "`by` must be"),
        (lambda s, u: gaps(s, u, level="district", distance_m=0), "`distance_m` must be positive"),
        (lambda s, u: spaces_near(s, 105.85, 21.03, radius_m=-1), "`radius_m` must be positive"),
        (lambda s, u: spaces_near(s, 500, 21.03, radius_m=1), "is not a longitude and latitude"),
        (lambda s, u: unit_statistics(s, u.iloc[1:], level="district"), "the layer lacks: Quận Hoàn Kiếm"),
    ],
)
def test_bad_arguments_say_what_is_wrong(spaces, units, call, message):
    with pytest.raises(ValueError, match=message):
        call(spaces, units)


# ------------------------------------------------------------------------------------------------ real data


@pytest.mark.parametrize(("level", "expected"), [("district", 30), ("ward_2025", 126)])
def test_real_data_gives_every_unit_and_the_right_totals(level, expected):
    everything = select(load())
    spaces = everything.spaces
    table = unit_statistics(everything, boundaries.load_boundaries(level), level=level)
    names = [d.name for d in admin.districts()] if level == "district" else [u.name for u in admin.units_2025()]
    assert len(table) == expected
    assert list(table["name"]) == names
    assert table["total"].sum() == len(spaces)
    assert table[list(schema.CATEGORIES)].to_numpy().sum() == len(spaces)
    assert table["active"].sum() == (spaces["status"] == "active").sum()
    assert ((table["share_500m"] >= 0) & (table["share_500m"] <= table["share_1km"] + 1e-9)).all()
    assert (table["share_1km"] <= 1).all()
    assert table["area_km2"].sum() == pytest.approx(boundaries.load_boundaries(level).to_crs(32648).area.sum() / 1e6)
    assert analysis.TOTAL == "total"
