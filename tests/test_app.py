"""The Streamlit app, run headless with AppTest: filters, language, URL state, bad parameters, selection.

The map is the `st_folium` component: its script (the same on every run) names the static data file it
fetches (the spaces' compact rows, written by the app into static/cm/), and its feature group carries what a
run shows (`creativeMap.appView`: which rows, the legend, the boundaries, the selection). The drawn spaces
are read the way the browser reads them: the rows of the file the app wrote, chosen by the view's code. Map,
list and counts must agree with `creative_map.select` for the same choices.
"""

from __future__ import annotations

import ast
import gc
import gzip
import hashlib
import html
import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from creative_map import Selection, boundaries, cache, listing, load, mapfile, schema, select
from creative_map.query import Filter
from creative_map.text import escape_markdown

from .conftest import ROOT, collection, make_space
from .e2e.conftest import e2e_events, e2e_spaces

APP = str(ROOT / "app.py")


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's dataset cache in its own folder."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("CREATIVE_MAP_CACHE", str(folder))
    return folder


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    spaces = e2e_spaces()
    spaces["features"].append(
        make_space(
            105.8445,
            21.0400,
            id="ba-dinh-space",
            name_vi="Nhà triển lãm Ba Đình",
            name_en="Ba Đình Hall",
            district="Quận Ba Đình",
            ward_2025="Phường Ba Đình",
            network_member="no",
            status="planned",
            category="design_centre",
            plan_item="3.1.1.a",
        )
    )
    path = tmp_path / "spaces.geojson"
    path.write_text(json.dumps(spaces, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "events.geojson").write_text(json.dumps(e2e_events(), ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("CREATIVE_MAP_DATA", str(path))
    return path


def run(params: dict[str, str | list[str]] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def map_args(at: AppTest) -> dict:
    components = [c for c in at.get("component_instance") if "st_folium" in c.proto.component_name]
    assert len(components) == 1
    return json.loads(components[0].proto.json_args)


def call(text: str, name: str) -> dict:
    """The JSON argument of the call ``creativeMap.<name>(..., {...});`` in a script."""
    match = re.search(rf"creativeMap\.{name}\(\w+, (\{{.*\}})\);\n", text)
    assert match, f"no creativeMap.{name} call"
    return json.loads(match.group(1))


def app_layer(at: AppTest) -> dict:
    """What the map's script hands to ``creativeMap.appLayer``: the data file's addresses and the labels."""
    return call(map_args(at)["script"], "appLayer")


def view(at: AppTest) -> dict:
    """What this run shows (``creativeMap.appView`` in the feature group swapped into the kept frame)."""
    return call(map_args(at)["feature_group"], "appView")


def data_rows(at: AppTest) -> list[list]:
    """The rows of the data file the map fetches, read from where the app wrote it (static/ is served at
    /app/static/)."""
    urls = app_layer(at)["data"]
    path = ROOT / "static" / urls["json"].removeprefix("/app/static/")
    gz = ROOT / "static" / urls["gz"].removeprefix("/app/static/")
    body = json.loads(path.read_text(encoding="utf-8"))
    assert json.loads(gzip.decompress(gz.read_bytes())) == body  # the gzipped copy is the same file
    assert body["n"] == len(body["f"]) == app_layer(at)["n"]
    return body["f"]


def map_ids(at: AppTest) -> list[str]:
    """The ids of the spaces the map draws: the rows of the data file that the view's code names."""
    rows = data_rows(at)
    shown = view(at)
    ids = [rows[i][0] for i in mapfile.read_shown(shown["m"], len(rows))]
    assert shown["n"] == len(ids)
    return ids


def list_ids(at: AppTest) -> list[str]:
    """The ids of the rows of the list (an HTML table), as the app showed them."""
    tables = [h.proto.body for h in at.get("html") if 'class="cm-list"' in h.proto.body]
    ids = re.findall(r'<tr data-id="([^"]+)">', tables[0]) if tables else []
    assert ids == list(at.session_state["table_ids"])
    return ids


def param(at: AppTest, key: str) -> list[str]:
    """The values of a query parameter of the page's address after the run."""
    value = at.query_params.get(key, [])
    return [value] if isinstance(value, str) else list(value)


def count_text(at: AppTest) -> str:
    return next(m.value for m in at.markdown if re.match(r"\*\*\d+", m.value))


def expected(data: Path, flt: Filter) -> list[str]:
    return select(load(data), flt).ids


def assert_agree(at: AppTest, data: Path, flt: Filter) -> None:
    want = expected(data, flt)
    assert map_ids(at) == want
    assert list_ids(at) == listing.by_name(select(load(data), flt), at.session_state["lang"]).ids  # the same, by name
    total = load(data).total
    assert count_text(at) in (f"**{len(want)} / {total} không gian**", f"**{len(want)} of {total} spaces**")


def test_opens_with_every_space(data: Path) -> None:
    at = run()
    assert_agree(at, data, Filter())
    assert len(map_ids(at)) == 6
    assert at.title[0].value == "Bản đồ không gian sáng tạo Hà Nội"
    assert not at.warning and not at.error
    assert [m.value for m in at.markdown] == [count_text(at)]  # no stray text (Streamlit writes bare strings)
    args = map_args(at)
    assert args["returned_objects"] == ["last_active_drawing"]
    assert all(link.startswith("/app/static/vendor/") for link in args["js_links"] + args["css_links"])
    assert args["js_links"][-1] == "/app/static/vendor/creative_map/creative_map.js"  # the map's own script
    assert "/app/static/vendor/creative_map/creative_map.css" in args["css_links"]
    assert "ho-hoan-kiem" not in args["script"]  # no space in the script: the map fetches them once
    assert re.fullmatch(r"/app/static/cm/spaces\.[0-9a-f]{20}\.json", app_layer(at)["data"]["json"])


@pytest.mark.parametrize(
    "key,value,flt",
    [
        ("district", ["Quận Đống Đa"], Filter(districts=("Quận Đống Đa",))),
        ("cat", ["museum", "heritage"], Filter(categories=("museum", "heritage"))),
        ("status", ["closed"], Filter(statuses=("closed",))),
        ("member", ["yes", "no"], Filter(network_members=("yes", "no"))),
        ("plan", ["3.1.2.b"], Filter(plan_items=("3.1.2.b",))),
        ("plan", ["3.1.1.a", "3.1.2.a"], Filter(plan_items=("3.1.1.a", "3.1.2.a"))),
    ],
)
def test_each_sidebar_filter_agrees_with_the_library(data: Path, key: str, value: list[str], flt: Filter) -> None:
    at = run()
    at.multiselect(key=key).set_value(value).run()
    assert not at.exception
    assert_agree(at, data, flt)
    assert 0 < len(map_ids(at)) < 6
    assert param(at, key) == value


def test_ward_filter_after_switching_the_unit_set(data: Path) -> None:
    at = run()
    at.radio(key="units").set_value("ward_2025").run()
    at.multiselect(key="ward").set_value(["Phường Văn Miếu - Quốc Tử Giám"]).run()
    assert_agree(at, data, Filter(wards_2025=("Phường Văn Miếu - Quốc Tử Giám",)))
    assert map_ids(at) == ["van-mieu-quoc-tu-giam"]
    assert param(at, "units") == ["ward_2025"]


def test_event_window(data: Path) -> None:
    import datetime as dt

    at = run()
    at.date_input(key="from").set_value(dt.date(2026, 1, 11)).run()
    at.date_input(key="to").set_value(dt.date(2026, 1, 20)).run()
    assert_agree(at, data, Filter(event_start="2026-01-11", event_end="2026-01-20"))
    assert map_ids(at) == ["van-mieu-quoc-tu-giam"]
    at.date_input(key="from").set_value(dt.date(2026, 2, 1)).run()
    assert map_ids(at) == []
    assert at.info  # "no space matches"


@pytest.mark.parametrize("text", ["van mieu", "Van Miếu", "VĂN MIẾU", "mieu", "temple lit"])
def test_search_is_accent_and_case_insensitive(data: Path, text: str) -> None:
    at = run()
    at.text_input(key="q").input(text).run()
    assert map_ids(at) == ["van-mieu-quoc-tu-giam"]
    assert_agree(at, data, Filter(search=text))


def test_filters_combine(data: Path) -> None:
    at = run()
    at.multiselect(key="district").set_value(["Quận Hoàn Kiếm"]).run()
    at.multiselect(key="status").set_value(["active"]).run()
    at.text_input(key="q").input("mua roi").run()
    assert_agree(at, data, Filter(districts=("Quận Hoàn Kiếm",), statuses=("active",), search="mua roi"))
    assert map_ids(at) == ["nha-hat-mua-roi-thang-long"]


def test_language_switch(data: Path) -> None:
    at = run()
    at.radio(key="lang").set_value("en").run()
    assert at.title[0].value == "Map of Hanoi's creative spaces"
    assert param(at, "lang") == ["en"]
    assert "spaces on the map" in view(at)["l"] and "Legend" in view(at)["l"]
    assert app_layer(at)["meta"]["lang"] == "en" and app_layer(at)["meta"]["c"][3][1] == "Museum"
    assert at.multiselect(key="cat").label == "Kind of space"
    assert at.multiselect(key="cat").format_func("museum") == "Museum"
    assert count_text(at) == "**6 of 6 spaces**"
    at.radio(key="lang").set_value("vi").run()
    assert at.title[0].value == "Bản đồ không gian sáng tạo Hà Nội"


def test_choosing_a_space_focuses_the_map_and_shows_details(data: Path) -> None:
    at = run()
    at.selectbox(key="pick").set_value("van-mieu-quoc-tu-giam").run()
    args = map_args(at)
    assert view(at)["s"] == "van-mieu-quoc-tu-giam"
    chosen = call(args["feature_group"], "selectedSpace")
    assert chosen["location"] == [21.028611, 105.835556] and chosen["zoom"] == 16  # the map centres on it
    assert "Văn Miếu" in chosen["html"] and "Lễ hội thư pháp" in chosen["html"]  # details come with the selection
    details = [h.proto.body for h in at.get("html") if "cm-details" in h.proto.body]
    assert len(details) == 1 and "Lễ hội thư pháp" in details[0]
    assert 'href="http://vanmieu.gov.vn" target="_blank" rel="noopener noreferrer"' in details[0]
    assert param(at, "sel") == ["van-mieu-quoc-tu-giam"]
    before = map_args(at)["script"]
    at.button(key="clear").click().run()  # clear the selection
    assert view(at)["s"] is None and "selectedSpace" not in map_args(at)["feature_group"]
    assert map_args(at)["script"] == before  # selecting does not rebuild the map itself
    assert "sel" not in at.query_params


def test_a_shared_link_reproduces_the_view(data: Path) -> None:
    at = run(
        {"lang": "en", "cat": ["heritage", "museum"], "q": "van", "sel": "van-mieu-quoc-tu-giam", "basemap": "none"}
    )
    assert not at.warning
    assert at.title[0].value == "Map of Hanoi's creative spaces"
    assert at.multiselect(key="cat").value == ["heritage", "museum"]
    assert at.text_input(key="q").value == "van"
    assert_agree(at, data, Filter(categories=("heritage", "museum"), search="van"))
    assert view(at)["s"] == "van-mieu-quoc-tu-giam"
    assert "L.tileLayer" not in map_args(at)["script"]
    assert at.selectbox(key="pick").value == "van-mieu-quoc-tu-giam"


def test_bad_parameters_are_ignored_with_a_notice(data: Path) -> None:
    at = run(
        {
            "cat": ["museum", "spaceship"],
            "zoom": "3",
            "sel": "no-such-space",
            "from": "tomorrow",
            "lang": "klingon",
            "district": "Quận Atlantis",
        }
    )
    notices = [w.value for w in at.warning]
    assert len(notices) == 6
    assert any("zoom" in n for n in notices) and any("spaceship" in n for n in notices)
    assert any("no-such-space" in n for n in notices)
    assert_agree(at, data, Filter(categories=("museum",)))
    assert at.title[0].value == "Bản đồ không gian sáng tạo Hà Nội"
    assert param(at, "cat") == ["museum"]
    assert "zoom" not in at.query_params


def units_of(at: AppTest) -> tuple[dict, list[str]]:
    """The boundary layer the view shows ({gz, json, approx}) and its units' labels, from the file the app wrote."""
    layer = view(at)["b"]
    assert layer is not None, "no boundary layer"
    collection = json.loads((ROOT / "static" / layer["json"].removeprefix("/app/static/")).read_text(encoding="utf-8"))
    return layer, [f["properties"]["label"] for f in collection["features"]]


def test_boundary_layer_is_drawn_and_marked_approximate_only_when_it_is(data: Path) -> None:
    at = run({"layer": "district", "lang": "en"})
    layer, labels = units_of(at)
    assert layer["approx"] and "Hoàn Kiếm District (approximate)" in labels
    assert "(approximate)" in view(at)["l"]  # and the legend says so
    before = map_args(at)["script"]
    at.radio(key="layer").set_value("ward_2025").run()  # the real 2025 polygons
    layer, labels = units_of(at)
    assert not layer["approx"] and "Hoàn Kiếm Ward" in labels and "Bát Tràng Commune" in labels
    assert not any("(approximate)" in label for label in labels)
    assert map_args(at)["script"] == before  # another layer is a view of the same frame
    at.radio(key="layer").set_value("none").run()
    assert view(at)["b"] is None


def test_bad_data_gives_a_message_not_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "spaces.geojson"
    broken.write_text(json.dumps(collection(make_space(category="spaceship"))), encoding="utf-8")
    monkeypatch.setenv("CREATIVE_MAP_DATA", str(broken))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert at.error and "Không đọc được dữ liệu" in at.error[0].value
    assert "spaceship" in at.code[0].value and "category" in at.code[0].value


def test_a_long_list_comes_a_page_at_a_time_while_map_and_count_show_all(tmp_path: Path, monkeypatch) -> None:
    from benchmarks.synthetic import write_synthetic

    path = write_synthetic(tmp_path / "spaces.geojson", 120)
    monkeypatch.setenv("CREATIVE_MAP_DATA", str(path))
    everything = expected(path, Filter())
    at = run({"lang": "en"})
    assert map_ids(at) == everything and count_text(at) == "**120 of 120 spaces**"
    assert list_ids(at) == everything[:50]
    assert at.selectbox(key="pick").options == [f"Creative space {i.split('-')[1]}" for i in everything[:50]]
    assert any("Spaces 1–50 of 120 · page 1 of 3" in c.value for c in at.caption)
    assert at.button(key="list_prev").disabled
    at.button(key="list_next").click().run()
    assert list_ids(at) == everything[50:100] and map_ids(at) == everything
    at.button(key="list_next").click().run()
    assert list_ids(at) == everything[100:] and at.button(key="list_next").disabled
    assert any("Spaces 101–120 of 120 · page 3 of 3" in c.value for c in at.caption)
    at.selectbox(key="pick").set_value(everything[105]).run()  # choose on the page: the map shows it
    assert view(at)["s"] == everything[105]
    at.multiselect(key="cat").set_value(["museum"]).run()  # another filter: back to the first page
    museums = expected(path, Filter(categories=("museum",)))
    assert list_ids(at) == museums[:50] and not any("page" in c.value for c in at.caption)


def test_the_map_script_stays_the_same_from_run_to_run(data: Path) -> None:
    at = run()
    script = map_args(at)["script"]
    shown = view(at)["m"]
    at.multiselect(key="cat").set_value(["museum", "heritage"]).run()
    assert map_args(at)["script"] == script and view(at)["m"] != shown  # only the view changed
    at.text_input(key="q").input("van").run()
    at.selectbox(key="pick").set_value("van-mieu-quoc-tu-giam").run()
    at.radio(key="layer").set_value("district").run()
    assert map_args(at)["script"] == script
    at.radio(key="lang").set_value("en").run()  # the language is in the script (its labels)
    assert map_args(at)["script"] != script


def test_the_map_fetches_one_file_of_every_space_named_by_its_content(data: Path) -> None:
    at = run({"cat": "museum"})
    rows = data_rows(at)
    everything = expected(data, Filter())
    assert [row[0] for row in rows] == everything  # every space once, in the order of every selection
    assert len(rows[0]) == 10  # the lean row: no details (those come with a selection)
    name = app_layer(at)["data"]["json"]
    body = (ROOT / "static" / name.removeprefix("/app/static/")).read_bytes()
    assert hashlib.sha256(body).hexdigest()[:20] in name
    assert len(view(at)["m"]) < 20  # one category of six spaces: a few bytes say which rows


def test_the_details_are_read_from_the_full_record(data: Path) -> None:
    at = run({"sel": "van-mieu-quoc-tu-giam", "lang": "en"})
    from app_pages import _shared

    assert schema.DESCRIPTION_EN not in _shared.MAP_COLUMNS  # the frame in memory does not hold it ...
    description = load(data).spaces.set_index(schema.ID).loc["van-mieu-quoc-tu-giam", schema.DESCRIPTION_EN]
    details = [h.proto.body for h in at.get("html") if "cm-details" in h.proto.body]
    assert html.escape(description) in details[0]  # ... the details do
    assert html.escape(description) in call(map_args(at)["feature_group"], "selectedSpace")["html"]


def test_a_restart_reads_the_validated_data_from_the_cache(data: Path, own_cache: Path, monkeypatch) -> None:
    import streamlit as st

    first = run()
    assert [p.name for p in own_cache.iterdir()] and count_text(first) == "**6 / 6 không gian**"
    st.cache_resource.clear()  # a restart: nothing in memory

    def no_validation(*args, **kwargs):
        raise AssertionError("the unchanged files were validated again")

    monkeypatch.setattr(cache, "load_fresh", no_validation)
    again = run()
    assert count_text(again) == "**6 / 6 không gian**" and map_ids(again) == map_ids(first)
    st.cache_resource.clear()
    (next(own_cache.iterdir()) / "spaces.parquet").write_bytes(b"PAR1 damaged")  # a damaged entry is not used
    monkeypatch.undo()
    monkeypatch.setenv("CREATIVE_MAP_CACHE", str(own_cache))
    monkeypatch.setenv("CREATIVE_MAP_DATA", str(data))
    rebuilt = run()
    assert count_text(rebuilt) == "**6 / 6 không gian**" and map_ids(rebuilt) == map_ids(first)


def test_download_exports_exactly_what_is_shown(data: Path) -> None:
    import csv
    import io as stdio

    at = run()
    at.multiselect(key="cat").set_value(["museum", "heritage"]).run()
    at.selectbox(key="export_format").set_value("csv").run()
    assert "export_file" not in at.session_state  # nothing is built before it is asked for
    at.button(key="export_prepare").click().run()
    assert not at.exception and not at.error
    _, file = at.session_state["export_file"]
    assert file.file_name.endswith(".csv") and file.mime.startswith("text/csv")
    assert len(at.get("download_button")) == 1
    rows = list(csv.DictReader(stdio.StringIO(file.data.decode("utf-8-sig"))))
    want = expected(data, Filter(categories=("museum", "heritage")))
    assert sorted(r["id"] for r in rows) == sorted(want)
    assert sorted(r["id"] for r in rows) == sorted(map_ids(at))
    # A changed filter withdraws the prepared file instead of offering a stale one.
    at.multiselect(key="cat").set_value(["museum"]).run()
    assert not at.get("download_button")


def test_official_boundaries_from_the_settings(data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import geopandas as gpd

    shipped = gpd.read_file(boundaries.BOUNDARIES_DIR / boundaries.FILES["district"])
    official = tmp_path / "quan_huyen.gpkg"
    shipped[["name", "geometry"]].rename(columns={"name": "ten"}).to_crs("EPSG:32648").to_file(official)
    monkeypatch.setenv("CREATIVE_MAP_DISTRICTS", str(official))
    layer, labels = units_of(run({"layer": "district", "lang": "en"}))
    assert "Hoàn Kiếm District" in labels and not layer["approx"]  # an official layer is not labelled approximate

    broken = tmp_path / "broken.gpkg"
    broken.write_bytes(b"not a geopackage")
    monkeypatch.setenv("CREATIVE_MAP_DISTRICTS", str(broken))
    at = run({"layer": "district"})  # a message naming the file, the map without the layer, no traceback
    shown = escape_markdown(str(broken))  # the path reaches Markdown escaped: no link or formatting from it
    assert any(shown in w.value and "Không dùng được tệp ranh giới" in w.value for w in at.warning)
    assert view(at)["b"] is None


def test_an_edited_data_file_is_loaded_again(data: Path) -> None:
    assert count_text(run()) == "**6 / 6 không gian**"
    spaces = json.loads(data.read_text(encoding="utf-8"))
    spaces["features"].append(make_space(105.8530, 21.0290, id="khong-gian-moi", name_vi="Không gian mới"))
    data.write_text(json.dumps(spaces, ensure_ascii=False), encoding="utf-8")
    os.utime(data, (data.stat().st_atime, data.stat().st_mtime + 10))  # a later version, whatever the clock says
    at = run()
    assert count_text(at) == "**7 / 7 không gian**"
    assert "khong-gian-moi" in map_ids(at)


# ------------------------------------------------------------------------------------------------------------
# The app as several pages (issue 12): Map, Suggest, Status, Review; the map invites suggestions.
# ------------------------------------------------------------------------------------------------------------

PAGES = ROOT / "app_pages"


@pytest.mark.parametrize(
    ("page", "title"),
    [("suggest", "Suggest a change to the map"), ("status", "Suggestion status"), ("review", "Review suggestions")],
)
def test_every_page_opens(data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, page: str, title: str) -> None:
    monkeypatch.setenv("CREATIVE_MAP_DB", str(tmp_path / "var" / "store.sqlite3"))
    at = run({"lang": "en"})
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == title
    assert at.radio(key="lang").value == "en"  # the language holds on every page


def test_a_space_drawn_as_not_exact_invites_a_suggestion(data: Path) -> None:
    at = run({"sel": "html-name", "cat": "museum"})
    payload = app_layer(at)["meta"]
    assert payload["u"] == "suggest?space={id}" and payload["t"]["suggest"] == "Góp ý vị trí chính xác"
    details = [h.proto.body for h in at.get("html") if "cm-details" in h.proto.body]
    assert 'href="suggest?space=html-name"' in details[0] and "Bạn biết chính xác nơi này ở đâu?" in details[0]
    assert "cm-suggest-link" in map_args(at)["feature_group"]  # in the selected space's popup too
    at = run({"sel": "van-mieu-quoc-tu-giam", "lang": "en"})  # an exact position invites nothing
    details = [h.proto.body for h in at.get("html") if "cm-details" in h.proto.body]
    assert 'class="cm-suggest"' not in details[0] and "cm-suggest-link" not in map_args(at)["feature_group"]


def test_the_view_is_kept_while_visiting_another_page(data: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CREATIVE_MAP_DB", str(tmp_path / "var" / "store.sqlite3"))
    at = run()
    at.multiselect(key="cat").set_value(["museum", "heritage"]).run()
    at.text_input(key="q").input("van").run()
    at.switch_page("app_pages/status.py").run()
    assert "cat" not in at.session_state  # Streamlit forgets the widgets of a page left ...
    at.switch_page("app_pages/map.py").run()
    assert not at.exception and not at.warning
    assert at.multiselect(key="cat").value == ["museum", "heritage"]  # ... the map page puts them back
    assert at.text_input(key="q").value == "van"
    assert_agree(at, data, Filter(categories=("museum", "heritage"), search="van"))


def page_globals(page: str) -> list[dict]:
    """The global namespaces of a page's runs still alive (a run's own namespace, kept by whatever holds a function
    defined in the page)."""
    gc.collect()
    path = str(PAGES / f"{page}.py")
    return [o for o in gc.get_objects() if isinstance(o, dict) and o.get("__file__") == path]


@pytest.mark.parametrize("page", ["map", "numbers"])
def test_a_session_keeps_no_copy_of_the_spaces_between_runs(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    monkeypatch.setenv("CREATIVE_MAP_DB", str(tmp_path / "store.sqlite3"))
    at = run({"q": "van"})
    at.selectbox(key="pick").set_value("van-mieu-quoc-tu-giam").run()  # a selected space: its full record too
    at.button(key="export_prepare").click().run()
    if page != "map":
        at.switch_page(f"app_pages/{page}.py").run()
    kept = page_globals(page)
    # Streamlit keeps the widgets' callbacks and label functions, and with them the page's globals, for as long
    # as the session lives (and two minutes after it closes): what the run built must not stay there.
    assert kept, "nothing keeps the page's globals any more: this test no longer tests anything"
    heavy = (pd.DataFrame, pd.Series, Selection, set, frozenset, list, dict)
    for namespace in kept:
        held = {k for k, v in namespace.items() if isinstance(v, heavy) and not k.startswith("__")}
        assert held <= {"BOUNDARY_FILES", "PAGE_NAMES", "DECIMALS", "MEASURES", "_KNOWN"}, held  # constants
    assert at.session_state["lang"] == "vi" and not at.exception


def test_new_sessions_share_the_unfiltered_view_and_the_list_page(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import creative_map
    from app_pages import _shared

    selects, orders = [], []
    real_select, real_by_name = creative_map.select, _shared.by_name
    monkeypatch.setattr(creative_map, "select", lambda ds, flt=None: selects.append(flt) or real_select(ds, flt))
    monkeypatch.setattr(
        _shared, "by_name", lambda sel, lang, **kw: orders.append(lang) or real_by_name(sel, lang, **kw)
    )
    first, second = run(), run()  # two new visitors, nothing chosen: the work is done once (or was, earlier)
    assert selects.count(Filter()) <= 1 and orders.count("vi") <= 1, (selects, orders)
    assert map_ids(first) == map_ids(second) == expected(data, Filter())
    assert list_ids(first) == list_ids(second)
    second.multiselect(key="cat").set_value(["museum"]).run()  # a filter: this session's own selection
    assert selects[-1] == Filter(categories=("museum",))
    assert_agree(second, data, Filter(categories=("museum",)))


def test_the_pages_are_scripts_that_nothing_imports() -> None:
    scripts = {p.stem for p in PAGES.glob("*.py") if not p.name.startswith("_")}
    assert scripts == {"map", "whats_on", "numbers", "suggest", "status", "review"}
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    assert all(f'st.Page("app_pages/{name}.py"' in app for name in scripts)
    for path in [*ROOT.glob("*.py"), *PAGES.glob("*.py"), *(ROOT / "creative_map").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(rf"(?:from app_pages import|import app_pages\.)\s*(?:{'|'.join(scripts)})\b", text), path
    for path in (ROOT / "creative_map").rglob("*.py"):
        assert "app_pages" not in path.read_text(encoding="utf-8"), path  # the library knows nothing of the app


def test_the_pages_write_no_text_of_their_own_and_use_known_keys() -> None:
    from .test_i18n import _WIDGETS, TEXTS, _own_text, t_keys

    found, missing = [], []
    for path in [ROOT / "app.py", *sorted(PAGES.glob("*.py"))]:
        where = path.relative_to(ROOT)
        for line, key in t_keys(path):
            if (isinstance(key, str) and key not in TEXTS) or (
                isinstance(key, re.Pattern) and not any(key.fullmatch(k) for k in TEXTS)
            ):
                missing.append(f"{where}:{line} {key}")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            name = node.func.attr
            if name not in {*_WIDGETS, "page_link", "form_submit_button", "text_area", "box", "Page"}:
                continue
            first = {"box": node.args[1:2], "Page": [], "page_link": []}.get(name, node.args[:1])
            keywords = ("label", "placeholder", "help", "title")
            texts = [*first, *(k.value for k in node.keywords if k.arg in keywords)]
            found += [f"{where}:{node.lineno} {_own_text(x)!r}" for x in texts if re.search(r"[^\W\d_]", _own_text(x))]
    assert missing == []
    assert found == []
