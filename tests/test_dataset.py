"""The one way in: `load` reads the data once, `select` applies the filter once."""

import pytest
from shapely.geometry import MultiPoint, Point

from creative_map import DataError, Dataset, Filter, load, select
from creative_map.admin import UnknownUnitError

from .conftest import collection, make_event, make_space


@pytest.fixture
def data(write_json, three_spaces):
    events = collection(
        make_event(),
        make_event(id="mua-roi", start="2026-01-10", end="2026-01-12", space_ids=["nha-hat-mua-roi-thang-long"]),
        make_event(id="hai-noi", start="2025-05-01", end="2025-05-01", space_ids=["ho-hoan-kiem", "phong-tranh-cu"]),
    )
    write_json(events, "events.geojson")
    return write_json(three_spaces)


def test_load_reads_spaces_and_the_events_beside_them(data):
    ds = load(data)
    assert isinstance(ds, Dataset)
    assert ds.total == 3 and len(ds.events) == 3
    assert ds.path == data and ds.events_path == data.with_name("events.geojson")
    assert ds.events.geometry.iloc[0].equals(Point(105.8523, 21.0288))
    assert isinstance(ds.events.geometry.iloc[2], MultiPoint)


def test_load_without_events_file_has_no_events(write_json, three_spaces):
    ds = load(write_json(three_spaces))
    assert len(ds.events) == 0 and ds.events_path is None


def test_a_named_events_file_must_exist(write_json, three_spaces, tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        load(write_json(three_spaces), events_path=tmp_path / "missing.geojson")


def test_select_gives_spaces_by_id_and_their_events(data):
    ds = load(data)
    everything = select(ds)
    assert everything.ids == sorted(everything.ids) and len(everything) == 3 and everything.total == 3
    assert list(everything.events["id"]) == ["le-hoi", "hai-noi", "mua-roi"]  # by start
    theatre = select(ds, Filter(search="mua roi"))
    assert theatre.ids == ["nha-hat-mua-roi-thang-long"]
    assert list(theatre.events["id"]) == ["mua-roi"]
    window = select(ds, Filter(event_start="2025-01-01", event_end="2025-12-31"))
    assert window.ids == ["ho-hoan-kiem", "phong-tranh-cu"] and list(window.events["id"]) == ["hai-noi"]


def test_a_filter_makes_unit_names_canonical_once():
    flt = Filter(districts=("hoan kiem", "Q. Hoàn Kiếm"), wards_2025=("p. cua nam",))
    assert flt.districts == ("Quận Hoàn Kiếm",)
    assert flt.wards_2025 == ("Phường Cửa Nam",)
    with pytest.raises(UnknownUnitError, match="did you mean"):
        Filter(districts=("Hoan Kiemm",))


def test_warnings_are_computed_when_asked(write_json, three_spaces):
    twin = make_space(105.85232, 21.02882, id="ho-hoan-kiem-2")
    ds = load(write_json(collection(*three_spaces["features"], twin)))
    assert any("a duplicate?" in w.message for w in ds.warnings)
