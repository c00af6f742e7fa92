import pytest

from creative_map import admin
from creative_map.text import name_key


def test_unit_counts():
    assert len(admin.districts()) == 30
    assert len(admin.old_wards()) == 526  # the dataset's pre-2025 wards (after the 2019-2024 mergers)
    assert len(admin.units_2025()) == 126
    assert {d.kind for d in admin.districts()} == {"Quận", "Huyện", "Thị xã"}


def test_2025_areas_add_up_to_hanoi():
    # Hanoi covers about 3,359.8 km²; the units' stated areas should add up to it.
    assert sum(u.area_km2 for u in admin.units_2025()) == pytest.approx(3359.8, rel=0.002)


@pytest.mark.parametrize(
    "typed",
    [
        "Hoàn Kiếm",
        "hoan kiem",
        "Q. Hoàn Kiếm",
        "Quận Hoàn Kiếm",
        "Hoan Kiem District",
        "HOÀN KIẾM",
        "Q.Hoàn Kiếm",
        "quận hoàn kiếm, Hà Nội",
    ],
)
def test_resolve_district_accepts_what_people_type(typed):
    assert admin.resolve_district(typed).name == "Quận Hoàn Kiếm"


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("H. Gia Lâm", "Huyện Gia Lâm"),
        ("tx son tay", "Thị xã Sơn Tây"),
        ("Ha Dong", "Quận Hà Đông"),
        ("Huyện Ứng Hòa", "Huyện Ứng Hòa"),
    ],
)
def test_resolve_other_districts(typed, name):
    assert admin.resolve_district(typed).name == name


def test_unknown_district_suggests_closest():
    with pytest.raises(admin.UnknownUnitError) as info:
        admin.resolve_district("Hoan Kim")
    assert "Quận Hoàn Kiếm" in info.value.suggestions
    assert "did you mean" in str(info.value)


def test_resolve_ward_2025():
    assert admin.resolve_ward_2025("van mieu quoc tu giam").name == "Phường Văn Miếu - Quốc Tử Giám"
    assert admin.resolve_ward_2025("Bát Tràng commune").name == "Xã Bát Tràng"
    with pytest.raises(admin.UnknownUnitError):
        admin.resolve_ward_2025("Phường Hàng Trống")  # an old ward, gone since 2025


def test_old_ward_needs_district_when_ambiguous():
    with pytest.raises(admin.UnknownUnitError, match="ambiguous"):
        admin.resolve_old_ward("Quang Trung")
    assert admin.resolve_old_ward("Quang Trung", district="Hà Đông").district == "Quận Hà Đông"


def test_every_old_ward_went_somewhere_and_every_new_unit_took_one():
    reached = set()
    for ward in admin.old_wards():
        units = admin.units_2025_for_old_ward(ward)
        assert units, ward
        reached.update(u.name for u in units)
    assert reached == {u.name for u in admin.units_2025()}


def test_old_to_new_examples():
    hang_trong = admin.resolve_old_ward("Hàng Trống", district="Hoàn Kiếm")
    assert "Phường Hoàn Kiếm" in [u.name for u in admin.units_2025_for_old_ward(hang_trong)]
    assert "Phường Hoàn Kiếm" in admin.units_2025_of_district("Hoàn Kiếm")
    assert "Xã Bát Tràng" not in admin.units_2025_of_district("Hoàn Kiếm")


def test_unit_label():
    assert admin.unit_label("Quận Hoàn Kiếm", "en") == "Hoàn Kiếm District"
    assert admin.unit_label("Xã Bát Tràng", "en") == "Bát Tràng Commune"
    assert admin.unit_label("Thị xã Sơn Tây", "en") == "Sơn Tây Town"
    assert admin.unit_label("Xã Bát Tràng", "vi") == "Xã Bát Tràng"


def test_district_bounding_boxes_hold_their_centroids():
    for d in admin.districts():
        min_lon, min_lat, max_lon, max_lat = d.bbox
        assert min_lon < max_lon and min_lat < max_lat
        assert min_lon - 0.05 <= d.lon <= max_lon + 0.05 and min_lat - 0.05 <= d.lat <= max_lat + 0.05, d.name


# ------------------------------------------------------------------------ a unit filter carried to the other set


def test_districts_carry_to_every_2025_unit_that_took_their_wards():
    carried = admin.carry_units(["Quận Hoàn Kiếm"], to="ward_2025")
    assert set(carried.carried) == admin.units_2025_of_district("Quận Hoàn Kiếm")
    assert {"Phường Hoàn Kiếm", "Phường Cửa Nam", "Phường Hồng Hà"} <= set(carried.carried)
    assert carried.dropped == ()


def test_a_2025_unit_carries_back_to_its_one_district_and_one_of_several_districts_is_dropped():
    assert admin.districts_of_unit_2025("Phường Hoàn Kiếm") == {"Quận Hoàn Kiếm"}
    several = next(u.name for u in admin.units_2025() if len(admin.districts_of_unit_2025(u.name)) > 1)
    carried = admin.carry_units(["hoan kiem", several], to="district")  # resolved as any resolver resolves
    assert carried.carried == ("Quận Hoàn Kiếm",)
    assert carried.dropped == (several,)


def test_carried_units_come_in_the_choosers_order_and_unknown_names_are_refused():
    every = admin.carry_units([d.name for d in admin.districts()], to="ward_2025").carried
    assert len(every) == 126 and list(every) == sorted(every, key=name_key)
    back = admin.carry_units(every, to="district").carried
    assert list(back) == [d.name for d in admin.districts() if d.name in back]  # by code
    with pytest.raises(admin.UnknownUnitError):
        admin.carry_units(["Quận Nowhere"], to="ward_2025")
    with pytest.raises(ValueError, match="`to`"):
        admin.carry_units([], to="province")  # type: ignore[arg-type]
