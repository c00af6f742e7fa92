"""Boundary layers: the shipped real 2025 units and derived districts, official files a planner brings, the join."""

from __future__ import annotations

import json
import re
from collections import Counter

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


@pytest.fixture(scope="module")
def wards_proj():
    return load_boundaries("ward_2025").to_crs("EPSG:32648")


@pytest.fixture(scope="module")
def districts_proj():
    return load_boundaries("district").to_crs("EPSG:32648")


@pytest.mark.parametrize(("level", "units"), [("district", admin.districts()), ("ward_2025", admin.units_2025())])
def test_shipped_layer_has_every_unit_in_code_order(level, units):
    layer = load_boundaries(level)
    assert len(layer) == len(units) == {"district": 30, "ward_2025": 126}[level]
    assert list(layer["name"]) == [u.name for u in units]
    assert list(layer["code"]) == [u.code for u in units]
    assert layer.crs.to_epsg() == 4326
    assert set(layer.geom_type) <= {"Polygon", "MultiPolygon"}
    assert layer.is_valid.all() and not layer.is_empty.any()


def test_the_ward_layer_is_real_and_the_district_layer_derived():
    assert not boundaries.is_approximate(load_boundaries("ward_2025"))
    assert not load_boundaries("ward_2025")["approximate"].any()
    assert boundaries.is_approximate(load_boundaries("district"))
    assert load_boundaries("district")["approximate"].all()


def test_every_ward_polygon_name_resolves_to_one_unit_exactly_once():
    data = json.loads((boundaries.BOUNDARIES_DIR / "wards_2025.geojson").read_text(encoding="utf-8"))
    resolved = Counter(admin.resolve_ward_2025(f["properties"]["name"]).name for f in data["features"])
    assert set(resolved) == {u.name for u in admin.units_2025()}
    assert set(resolved.values()) == {1}
    by_code = {u.code: u.name for u in admin.units_2025()}
    assert all(by_code[f["properties"]["code"]] == f["properties"]["name"] for f in data["features"])


def test_ward_polygons_overlap_as_little_as_their_source(wards_proj):
    union = shapely.union_all(wards_proj.geometry.to_numpy())
    overlap = wards_proj.area.sum() - union.area
    assert 0 <= overlap < 0.0015 * union.area  # the source's simplification: 3.4 km² of 3,353 (0.1 %)


def test_districts_tile_the_wards_union(wards_proj, districts_proj):
    wards = shapely.union_all(wards_proj.geometry.to_numpy())
    districts = shapely.union_all(districts_proj.geometry.to_numpy())
    assert districts_proj.area.sum() == pytest.approx(districts.area, rel=1e-4)  # no overlaps between districts
    assert districts.symmetric_difference(wards).area < 0.005 * wards.area  # the wards' slivers of gap, filled
    assert wards.difference(districts).area < 1e-5 * wards.area  # no ward ground left out (1 m snapping aside)


def test_each_district_lies_in_the_units_its_old_wards_went_into(wards_proj, districts_proj):
    outside = {}
    for name, geom in zip(districts_proj["name"], districts_proj.geometry, strict=True):
        allowed = wards_proj[wards_proj["name"].isin(admin.units_2025_of_district(name))]
        outside[name] = geom.difference(shapely.union_all(allowed.geometry.to_numpy())).area
    # only the slivers of gap between the units' simplified edges, filled from the neighbours
    assert sum(outside.values()) < 0.001 * districts_proj.area.sum()
    assert all(outside[n] < 0.01 * a for n, a in zip(districts_proj["name"], districts_proj.area, strict=True))


def test_a_unit_of_one_district_goes_whole_to_it(wards_proj, districts_proj):
    by_unit = boundaries.old_wards_by_unit()
    district = districts_proj.set_index("name").geometry
    ward = wards_proj.set_index("name").geometry
    whole = {u: {w.district for w in by_unit[u]} for u in ward.index}
    whole = {u: d.pop() for u, d in whole.items() if len(d) == 1}
    assert len(whole) == 126 - 64  # 64 units took in wards of several districts
    for unit, name in whole.items():
        missing = ward[unit].difference(district[name]).area
        # all of it but what it overlaps with a neighbour (the source's 0.1 %), which goes to one of the two
        overlapped = ward[unit].intersection(shapely.union_all(ward.drop(unit).to_numpy())).area
        assert missing <= overlapped + 1e-4 * ward[unit].area, unit


def test_each_old_ward_centroid_lies_in_its_district():
    layer = load_boundaries("district").set_index("name")
    wrong = [w.name for w in admin.old_wards() if not layer.geometry[w.district].intersects(Point(w.lon, w.lat))]
    assert wrong == []


def test_old_ward_centroids_lie_in_the_units_they_went_into():
    """524 of 526; the two others lie in a neighbouring unit of the same district (README, Accuracy)."""
    layer = load_boundaries("ward_2025")
    tree = shapely.STRtree(layer.geometry.to_numpy())
    outside = []
    for w in admin.old_wards():
        holding = {layer["name"].iloc[i] for i in tree.query(Point(w.lon, w.lat), predicate="intersects")}
        if not holding & {u.name for u in admin.units_2025_for_old_ward(w)}:
            outside.append((w.name, w.district, *sorted(holding)))
            assert holding <= admin.units_2025_of_district(w.district)
    assert outside == [
        ("Xã Cổ Bi", "Huyện Gia Lâm", "Xã Thuận An"),
        ("Xã Văn Phú", "Huyện Thường Tín", "Xã Hồng Vân"),
    ]


def test_shipped_files_say_what_they_are_and_stay_small():
    for level, name in boundaries.FILES.items():
        path = boundaries.BOUNDARIES_DIR / name
        data = json.loads(path.read_text(encoding="utf-8"))
        approximate = level == "district"
        assert data["metadata"]["approximate"] is approximate
        assert all(f["properties"]["approximate"] is approximate for f in data["features"])
        assert path.stat().st_size < 2_000_000
        coords = re.findall(r"-?\d+\.\d+", json.dumps([f["geometry"] for f in data["features"]]))
        assert max(len(c.split(".")[1]) for c in coords) <= 5
    districts = json.loads((boundaries.BOUNDARIES_DIR / "districts.geojson").read_text(encoding="utf-8"))
    assert "not legal boundaries" in districts["metadata"]["note"]
    wards = json.loads((boundaries.BOUNDARIES_DIR / "wards_2025.geojson").read_text(encoding="utf-8"))
    source = wards["metadata"]["source"]
    assert source["commit"] == "dc6095c45a49279d6c24f4de6cf00f4b2b04a90d"
    assert source["file"] == "public/wards/01.json" and "lamngockhuong/vietnam-3d-map" in source["repository"]
    assert "MIT" in wards["metadata"]["licence"]
    stated = {u.name: u.area_km2 for u in admin.units_2025()}
    assert all(
        abs(f["properties"]["area_km2_stated"] - stated[f["properties"]["name"]]) < 0.25 for f in wards["features"]
    )
    assert all(f["properties"]["population"] > 0 for f in wards["features"])


def test_the_ward_layer_carries_its_licence_notice():
    notice = (boundaries.BOUNDARIES_DIR / "LICENSE-vietnam-3d-map.txt").read_text(encoding="utf-8")
    assert notice.startswith("MIT License") and "Copyright (c) 2025 Lam Ngoc Khuong" in notice
    readme = (ROOT / "data" / "boundaries" / "README.md").read_text(encoding="utf-8")
    for fact in (
        "lamngockhuong/vietnam-3d-map",
        "dc6095c45a49279d6c24f4de6cf00f4b2b04a90d",
        "public/wards/01.json",
        "LICENSE-vietnam-3d-map.txt",
        "MIT",
    ):
        assert fact in readme, fact


def test_build_writes_the_shipped_files_byte_for_byte(tmp_path):
    written = boundaries.build_boundaries(tmp_path)
    assert sorted(p.name for p in written) == sorted(boundaries.FILES.values())
    for name in boundaries.FILES.values():
        assert (tmp_path / name).read_bytes() == (boundaries.BOUNDARIES_DIR / name).read_bytes(), name


def test_read_ward_source_refuses_a_wrong_name_or_a_missing_unit(tmp_path):
    data = json.loads((boundaries.BOUNDARIES_DIR / "wards_2025.geojson").read_text(encoding="utf-8"))
    data["features"][0]["properties"]["name"] = "Ngọc Hà"  # code 00004 is Phường Ba Đình
    del data["features"][5]
    path = tmp_path / "wards.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DataError) as info:
        boundaries.read_ward_source(path)
    message = str(info.value)
    assert "name 'Ngọc Hà' is not the unit of code 00004 (Phường Ba Đình)" in message
    assert "misses 1 of the 126 units" in message and str(path) in message


def test_readme_accuracy_figures_match_the_shipped_layers():
    table = boundaries.accuracy_table()
    error = table["error_pct"].abs()
    worst = table.loc[error.idxmax()]
    for readme in (ROOT / "data" / "boundaries" / "README.md", ROOT / "README.md"):
        text = " ".join(readme.read_text(encoding="utf-8").split())
        assert f"median absolute error {error.median():.1f} %" in text, readme
        assert f"mean absolute error {error.mean():.1f} %" in text, readme
        assert f"{worst['name']} (+{worst['error_pct']:.0f} %)" in text or f"| {worst['name']} |" in text, readme
    districts = boundaries.district_accuracy_table()
    error = districts["error_pct"].abs()
    text = " ".join((ROOT / "data" / "boundaries" / "README.md").read_text(encoding="utf-8").split())
    assert f"districts: median absolute error {error.median():.1f} %, mean {error.mean():.1f} %" in text
    for row in districts.itertuples():
        assert f"| {row.name} | {row.stated_km2:.2f} | {row.area_km2:.2f} | {row.error_pct:+.1f} % |" in text, row.name


def test_stated_district_areas_are_sourced_and_add_up_to_the_city():
    table = boundaries.stated_district_areas()
    assert sorted(table["name"]) == sorted(d.name for d in admin.districts())
    assert table["source"].str.match(r"https://").all()
    assert table["stated_km2"].sum() == pytest.approx(3359.82, rel=0.02)  # the city's stated area


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


def test_a_copy_of_a_shipped_file_says_what_the_original_says(tmp_path):
    for level, name in boundaries.FILES.items():
        copy = tmp_path / name
        copy.write_bytes((boundaries.BOUNDARIES_DIR / name).read_bytes())
        layer = load_boundaries(level, copy)
        assert boundaries.is_approximate(layer) is (level == "district")
        assert len(layer) == {"district": 30, "ward_2025": 126}[level]


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
