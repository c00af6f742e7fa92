import pytest

from creative_map import Filter, filter_spaces, load_events, load_spaces, schema

from .conftest import collection, make_event


@pytest.fixture
def spaces(write_json, three_spaces):
    return load_spaces(write_json(three_spaces))


def ids(gdf):
    return list(gdf[schema.ID])


@pytest.mark.parametrize("typed", ["Thang Long", "THĂNG LONG", "múa rối", "rối thăng", "puppet", "mua roi"])
def test_search_is_accent_and_case_insensitive(spaces, typed):
    assert ids(filter_spaces(spaces, Filter(search=typed))) == ["nha-hat-mua-roi-thang-long"]


def test_search_needs_every_word(spaces):
    assert ids(filter_spaces(spaces, Filter(search="hoan kiem lake"))) == ["ho-hoan-kiem"]
    assert ids(filter_spaces(spaces, Filter(search="hoan kiem museum"))) == []


def test_filters_combine(spaces):
    assert len(filter_spaces(spaces)) == 3
    assert ids(filter_spaces(spaces, Filter(statuses=("closed",)))) == ["phong-tranh-cu"]
    assert ids(filter_spaces(spaces, Filter(categories=("art_space", "other"), statuses=("active",)))) == [
        "nha-hat-mua-roi-thang-long"
    ]
    assert ids(filter_spaces(spaces, Filter(network_members=("yes",)))) == ["nha-hat-mua-roi-thang-long"]
    assert len(filter_spaces(spaces, Filter(districts=("hoan kiem",)))) == 3
    assert len(filter_spaces(spaces, Filter(districts=("Ba Đình",)))) == 0
    assert len(filter_spaces(spaces, Filter(wards_2025=("Phường Hoàn Kiếm",)))) == 3


def test_plan_item_prefix(spaces):
    assert ids(filter_spaces(spaces, Filter(plan_items=("3.1.2",)))) == ["ho-hoan-kiem", "nha-hat-mua-roi-thang-long"]
    assert ids(filter_spaces(spaces, Filter(plan_items=("3.1.2.b",)))) == ["nha-hat-mua-roi-thang-long"]
    assert ids(filter_spaces(spaces, Filter(plan_items=("3.1",)))) == ["ho-hoan-kiem", "nha-hat-mua-roi-thang-long"]


def test_unknown_values_are_refused(spaces):
    with pytest.raises(ValueError, match="did you mean"):
        filter_spaces(spaces, Filter(districts=("Hoan Kim",)))
    with pytest.raises(ValueError, match="unknown value 'musuem'"):
        Filter(categories=("musuem",))


def test_event_window(write_json, spaces):
    event = make_event(space_ids=["phong-tranh-cu"])
    events = load_events(write_json(collection(event), "events.geojson"), spaces=spaces)
    assert ids(filter_spaces(spaces, Filter(event_start="2024-11-17"), events=events)) == ["phong-tranh-cu"]
    assert ids(filter_spaces(spaces, Filter(event_start="2024-11-18"), events=events)) == []
    assert ids(filter_spaces(spaces, Filter(event_end="2024-11-09"), events=events)) == ["phong-tranh-cu"]


def test_input_is_not_changed(spaces):
    before = spaces.copy()
    filter_spaces(spaces, Filter(statuses=("closed",)))["name_vi"] = "x"
    assert spaces.equals(before)
