"""Boundary layers: the shipped derived files, official files a planner brings, the spatial join."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from pyproj import Transformer
from shapely.geometry import Point, box

from creative_map import admin, boundaries, io
from creative_map.boundaries import assign_units, load_boundaries
from creative_map.errors import DataError
from creative_map.spatial_checks import join_problems

from .conftest import ROOT, collection, make_space

TO_UTM = Transformer.from_crs("EPSG:4326", "EPSG:32648", always_xy=True)
HK_X, HK_Y = TO_UTM.transform(105.8523, 21.0288)


def utm_square(x0: float, y0: float, side: float):
    return box(x0, y0, x0 + side, y0 + side)


def two_units(first: str, second: str) -> gpd.GeoDataFrame:
    """Two 1 km squares side by side (west, east), built in UTM 48N around Hoàn Kiếm Lake."""
    squares = [utm_square(HK_X - 500, HK_Y - 500, 1000), utm_square(HK_X + 500, HK_Y - 500, 1000)]
    frame = gpd.GeoDataFrame({"name": [first, second], "code": ["1", "2"]}, geometry=squares, crs="EPSG:32648")
    frame["approximate"] = False
    return frame.to_crs("EPSG:4326")


def lonlat(dx: float, dy: float) -> tuple[float, float]:
    """The lon/lat of the point `dx`, `dy` metres east and north of (HK_X, HK_Y) in UTM 48N."""
    return Transformer.from_crs("EPSG:32648", "EPSG:4326", always_xy=True).transform(HK_X + dx, HK_Y + dy)


# ------------------------------------------------------------------------------------------ the shipped layers


@pytest.mark.parametrize(("level", "units"), [("district", admin.districts()), ("ward_2025", admin.units_2025())])
def test_shipped_layer_has_every_unit_in_code_order(level, units):
    layer = load_boundaries(level)
    assert len(layer) == len(units) == {"district": 30, "ward_2025": 126}[level]
    assert list(layer["name"]) == [u.name for u in units]
    assert list(layer["code"]) == [u.code for u in units]
    assert layer.crs.to_epsg() == 4326
    assert layer["approximate"].all()
    assert set(layer.geom_type) <= {"Polygon", "MultiPolygon"}
    assert layer.is_valid.all() and not layer.is_empty.any()


@pytest.mark.parametrize("level", ["district", "ward_2025"])
def test_shipped_units_do_not_overlap_and_cover_the_same_outline(level):
    layer = load_boundaries(level).to_crs("EPSG:32648")
    union = shapely.union_all(layer.geometry.to_numpy())
    assert layer.area.sum() == pytest.approx(union.area, rel=1e-4)  # no overlaps
    other = load_boundaries("ward_2025" if level == "district" else "district").to_crs("EPSG:32648")
    assert shapely.union_all(other.geometry.to_numpy()).symmetric_difference(union).area < 1e-4 * union.area


def test_each_old_ward_centroid_lies_in_its_district():
    layer = load_boundaries("district").set_index("name")
    wrong = [w.name for w in admin.old_wards() if not layer.geometry[w.district].intersects(Point(w.lon, w.lat))]
    assert wrong == []


def test_shipped_files_say_they_are_approximate_and_stay_small():
    for name in boundaries.FILES.values():
        path = boundaries.BOUNDARIES_DIR / name
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["metadata"]["approximate"] is True
        assert "not legal boundaries" in data["metadata"]["note"]
        assert all(f["properties"]["approximate"] is True for f in data["features"])
        assert path.stat().st_size < 2_000_000
        coords = re.findall(r"-?\d+\.\d+", json.dumps([f["geometry"] for f in data["features"]]))
        assert max(len(c.split(".")[1]) for c in coords) <= 5


def test_readme_accuracy_figures_match_the_shipped_layer():
    table = boundaries.accuracy_table()
    error = table["error_pct"].abs()
    worst = table.loc[error.idxmax()]
    for readme in (ROOT / "data" / "boundaries" / "README.md", ROOT / "README.md"):
        text = " ".join(readme.read_text(encoding="utf-8").split())
        assert f"median absolute error {error.median():.1f} %" in text, readme
        assert f"mean absolute error {error.mean():.1f} %" in text, readme
        assert f"{worst['name']} (+{worst['error_pct']:.0f} %)" in text or f"| {worst['name']} |" in text, readme


def test_derived_areas_agree_with_geodesic_areas():
    layer = load_boundaries("district")
    utm = layer.to_crs("EPSG:32648").area.to_numpy() / 1e6
    geodesic = np.array([boundaries.geodesic_area_km2(g) for g in layer.geometry])
    assert utm == pytest.approx(geodesic, rel=2e-3)


# ------------------------------------------------------------------------------------- a planner's own file


def official(tmp_path, driver, *, names=None, field="TEN_HUYEN", crs="EPSG:32648", drop=0):
    """An 'official' file: the shipped districts, renamed as people write them, reprojected, in `driver`."""
    layer = load_boundaries("district")
    names = names or [n.replace("Quận ", "").replace("Huyện ", "H. ").lower() for n in layer["name"]]
    frame = gpd.GeoDataFrame({field: names, "MA": range(len(names))}, geometry=layer.geometry, crs="EPSG:4326")
    frame = frame.iloc[drop:].to_crs(crs)
    suffix = {"GPKG": "gpkg", "ESRI Shapefile": "shp", "GeoJSON": "geojson"}[driver]
    path = tmp_path / f"official.{suffix}"
    frame.to_file(path, driver=driver)
    return path


@pytest.mark.parametrize("driver", ["GPKG", "ESRI Shapefile", "GeoJSON"])
def test_official_file_in_any_crs_is_matched_by_name(tmp_path, driver):
    path = official(tmp_path, driver)
    layer = load_boundaries("district", path)
    shipped = load_boundaries("district")
    assert list(layer["name"]) == list(shipped["name"])
    assert not layer["approximate"].any()
    assert layer.crs.to_epsg() == 4326
    assert layer.to_crs("EPSG:32648").area.to_numpy() == pytest.approx(
        shipped.to_crs("EPSG:32648").area.to_numpy(), rel=1e-3
    )


def test_a_copy_of_the_shipped_file_stays_approximate(tmp_path):
    copy = tmp_path / "copy.geojson"
    copy.write_bytes((boundaries.BOUNDARIES_DIR / "wards_2025.geojson").read_bytes())
    layer = load_boundaries("ward_2025", copy)
    assert layer["approximate"].all() and len(layer) == 126


def test_official_file_with_a_unit_in_two_features_is_dissolved(tmp_path):
    layer = load_boundaries("district")
    extra = gpd.GeoDataFrame({"ten": ["Ba Vì"]}, geometry=[box(105.3, 21.1, 105.31, 21.11)], crs="EPSG:4326")
    frame = gpd.GeoDataFrame({"ten": list(layer["name"])}, geometry=layer.geometry, crs="EPSG:4326")
    path = tmp_path / "two.geojson"
    gpd.GeoDataFrame(
        {"ten": [*frame["ten"], *extra["ten"]]}, geometry=[*frame.geometry, *extra.geometry], crs="EPSG:4326"
    ).to_file(path)
    loaded = load_boundaries("district", path, name_field="ten")
    assert len(loaded) == 30
    ba_vi = loaded.set_index("name").geometry["Huyện Ba Vì"]
    assert ba_vi.contains(Point(105.305, 21.105))


@pytest.mark.parametrize(
    ("case", "fragments"),
    [
        ("missing", ["misses 2 of the 30 pre-2025 districts", "Quận Ba Đình", "Quận Hoàn Kiếm"]),
        ("unknown", ["feature 0", "unknown district 'Hoan Kiemm'", "did you mean", "Quận Hoàn Kiếm"]),
        ("points", ["30 feature(s) are not polygons", "Point"]),
        ("no-field", ["no field holds the names", "name it with `name_field`"]),
        ("wrong-field", ["has no field 'TEN'", "TEN_HUYEN"]),
        ("not-a-file", ["does not exist"]),
        ("garbage", ["cannot be read as a GIS file"]),
    ],
)
def test_bad_official_file_is_refused_saying_what_is_wrong(tmp_path, case, fragments):
    name_field = None
    layer = load_boundaries("district")
    if case == "missing":
        path = official(tmp_path, "GeoJSON", drop=2)
    elif case == "unknown":
        path = official(tmp_path, "GeoJSON", names=["Hoan Kiemm", *layer["name"][1:]])
        name_field = "TEN_HUYEN"
    elif case == "points":
        path = tmp_path / "points.geojson"
        gpd.GeoDataFrame({"ten": layer["name"]}, geometry=layer.representative_point(), crs="EPSG:4326").to_file(path)
    elif case == "no-field":
        path = official(tmp_path, "GeoJSON", names=[f"unit {i}" for i in range(30)])
    elif case == "wrong-field":
        path = official(tmp_path, "GeoJSON")
        name_field = "TEN"
    elif case == "not-a-file":
        path = tmp_path / "nothing.gpkg"
    else:
        path = tmp_path / "garbage.geojson"
        path.write_text("{ not geojson", encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_boundaries("district", path, name_field=name_field)
    for fragment in fragments:
        assert fragment in str(info.value)
    assert str(path) in str(info.value)


def test_unknown_level_is_refused():
    with pytest.raises(ValueError, match="`level` must be 'district' or 'ward_2025'"):
        load_boundaries("province")  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------------ the join


def spaces_at(tmp_path, *points):
    features = [
        make_space(lon, lat, id=f"s{i}", name_vi=f"S{i}", name_en=f"S{i}") for i, (lon, lat) in enumerate(points)
    ]
    path = tmp_path / "spaces.geojson"
    path.write_text(json.dumps(collection(*features), ensure_ascii=False), encoding="utf-8")
    return io.load_spaces(path)


def test_assign_units_joins_points_and_measures_the_distance_to_the_stated_unit(tmp_path):
    # West square "Quận Hoàn Kiếm" (stated for every fixture space), east square "Quận Ba Đình".
    districts = two_units("Quận Hoàn Kiếm", "Quận Ba Đình")
    wards = two_units("Phường Hoàn Kiếm", "Phường Cửa Nam")
    spaces = spaces_at(tmp_path, lonlat(0, 0), lonlat(800, 0), lonlat(1700, 0), lonlat(-700, 0))
    before = spaces.copy()
    out = assign_units(spaces, districts=districts, wards=wards)
    assert list(out["district_joined"]) == ["Quận Hoàn Kiếm", "Quận Ba Đình", "Quận Ba Đình", "Quận Hoàn Kiếm"]
    assert list(out["ward_2025_joined"]) == ["Phường Hoàn Kiếm", "Phường Cửa Nam", "Phường Cửa Nam", "Phường Hoàn Kiếm"]
    # 800 m east of the centre is 300 m past the shared edge; 1,700 m east lies outside both squares (nearest: east).
    assert out["district_distance_m"].iloc[1] == pytest.approx(300, abs=0.5)
    assert out["district_distance_m"].iloc[2] == pytest.approx(1200, abs=0.5)
    assert out["district_distance_m"].isna().tolist() == [True, False, False, True]
    assert out["ward_2025_distance_m"].iloc[1] == pytest.approx(300, abs=0.5)
    assert_geodataframe_equal(spaces, before)  # input unchanged
    assert "district_joined" not in spaces.columns


def test_assign_units_with_the_shipped_layers_on_real_places(tmp_path):
    spaces = spaces_at(tmp_path, (105.8523, 21.0288), (105.8363, 21.0291))  # Hoàn Kiếm Lake; Văn Miếu (Đống Đa)
    out = assign_units(spaces)
    assert list(out["district_joined"]) == ["Quận Hoàn Kiếm", "Quận Đống Đa"]
    assert out["district_distance_m"].iloc[1] > 500  # stated Hoàn Kiếm: over half a kilometre away


def test_join_problems_warn_only_beyond_the_tolerance(tmp_path):
    districts = two_units("Quận Hoàn Kiếm", "Quận Ba Đình")
    wards = two_units("Phường Hoàn Kiếm", "Phường Cửa Nam")
    spaces = spaces_at(tmp_path, lonlat(0, 0), lonlat(600, 0), lonlat(900, 0))
    problems = join_problems(spaces, file="f.geojson", districts=districts, wards=wards, tolerance_m=300)
    messages = [str(p) for p in problems]
    assert len(problems) == 2 and {p.field for p in problems} == {"district", "ward_2025"}
    assert all(p.severity == "warning" and p.index == 2 for p in problems)
    assert "lies in Quận Ba Đình by the boundaries, 400 m from Quận Hoàn Kiếm" in messages[0]


def test_a_point_on_a_shared_edge_goes_to_the_first_unit_and_no_space_is_fine(tmp_path):
    # Squares in lon/lat so that the point lies exactly on the shared edge (lon 105.86).
    squares = [box(105.86, 21.02, 105.87, 21.03), box(105.85, 21.02, 105.86, 21.03)]
    for order in (["Quận Ba Đình", "Quận Hoàn Kiếm"], ["Quận Hoàn Kiếm", "Quận Ba Đình"]):
        layer = gpd.GeoDataFrame({"name": order, "code": ["1", "2"], "approximate": False}, geometry=squares, crs=4326)
        wards = layer.assign(name=["Phường Hoàn Kiếm", "Phường Cửa Nam"])
        joined = assign_units(spaces_at(tmp_path, (105.86, 21.025)), districts=layer, wards=wards)
        assert joined["district_joined"].iloc[0] == order[0]
    empty = assign_units(spaces_at(tmp_path, (105.86, 21.025)).iloc[:0])
    assert len(empty) == 0 and {"district_joined", "ward_2025_distance_m"} <= set(empty.columns)
