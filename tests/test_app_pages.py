"""What the three users meet in the app (issue 14), headless with AppTest: the title first on every page, unit
choosers that find names typed without accents, a unit filter carried between the two unit sets, the list by
name, the data's date and count, the Numbers page and the What's on page.

What only a browser shows (radios after a language switch, the chooser's own search, clicks on the choropleth,
the keyboard, axe-core) is in tests/e2e/test_pages_e2e.py and tests/e2e/test_accessibility_e2e.py.
"""

from __future__ import annotations

import ast
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from creative_map import admin, events, listing, load, select
from creative_map.query import Filter
from creative_map.text import fold, unaccent

from .app_helpers import boxes, components
from .conftest import ROOT, make_space
from .e2e.conftest import dated_events, e2e_spaces

APP = str(ROOT / "app.py")
PAGES = ["map", "whats_on", "numbers", "suggest", "status", "review"]
TITLES = {
    "map": ("Bản đồ không gian sáng tạo Hà Nội", "Map of Hanoi's creative spaces"),
    "whats_on": ("Đang diễn ra và sắp tới", "What's on"),
    "numbers": ("Số liệu theo đơn vị hành chính", "Numbers by administrative unit"),
    "suggest": ("Góp ý cho bản đồ", "Suggest a change to the map"),
    "status": None,
    "review": None,
}


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    spaces = e2e_spaces()
    spaces["features"].append(
        make_space(
            105.8445, 21.0400, id="z-space-ba-dinh", name_vi="Á Space Ba Đình", name_en="Ba Đình Hall",
            district="Quận Ba Đình", ward_2025="Phường Ba Đình", category="design_centre", plan_item="3.1.1.a",
        )
    )  # fmt: skip
    path = tmp_path / "spaces.geojson"
    path.write_text(json.dumps(spaces, ensure_ascii=False), encoding="utf-8")
    today = events.hanoi_today()
    (tmp_path / "events.geojson").write_text(json.dumps(dated_events(today), ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("CREATIVE_MAP_DATA", str(path))
    monkeypatch.setenv("CREATIVE_MAP_DB", str(tmp_path / "var" / "store.sqlite3"))
    return path


def run(params: dict[str, str | list[str]] | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    if page is not None:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, at.exception
    return at


def param(at: AppTest, key: str) -> list[str]:
    """The values of a query parameter of the page's address after the run."""
    value = at.query_params.get(key, [])
    return [value] if isinstance(value, str) else list(value)


def first_visible(at: AppTest) -> Any:
    """The first element of the page's main area that shows something (app.py's style sheet shows nothing)."""
    for node in at.main.children.values():
        body = str(getattr(getattr(node, "proto", None), "body", ""))
        if node.type == "html" and body.startswith("<style>") and body.endswith("</style>"):
            continue
        return node
    raise AssertionError("the page shows nothing")


# ------------------------------------------------------------------------------------------------ point 1


def test_no_page_writes_a_bare_expression_and_magic_is_off():
    """A bare string in a page script (a docstring under a constant, say) is written onto the page by
    Streamlit's "magic": a developer's sentence stood above every title. Magic is off, and no script has one."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["magicEnabled"] is False
    scripts = [ROOT / "app.py", *(p for p in (ROOT / "app_pages").glob("*.py") if not p.name.startswith("_"))]
    assert {p.stem for p in scripts} >= {*PAGES, "app"}
    for script in scripts:
        tree = ast.parse(script.read_text(encoding="utf-8"))
        body = tree.body[1:] if ast.get_docstring(tree) is not None else tree.body
        bare = [n.lineno for n in body if isinstance(n, ast.Expr) and not isinstance(n.value, ast.Call | ast.Await)]
        assert not bare, f"{script.name}: bare expressions at lines {bare}"


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens_with_its_title(data, page, lang):
    at = run({"lang": lang} if lang == "en" else None, page=None if page == "map" else page)
    first = first_visible(at)
    assert first.type == "title", (page, first)
    expected = TITLES[page]
    if expected is not None:
        assert first.value == expected[lang == "en"]


# ------------------------------------------------------------------------------------------------ point 7


def test_unit_choosers_list_each_name_without_accents_and_keep_the_canonical_value(data):
    at = run()
    districts = at.multiselect(key="district")
    assert "Quận Hoàn Kiếm · Hoan Kiem" in districts.options and "Quận Đống Đa · Dong Da" in districts.options
    for option, district in zip(districts.options, admin.districts(), strict=True):
        assert fold(admin.short_name(district.name)) in fold(option)  # what the chooser's own search matches
        assert unaccent(admin.short_name(district.name)) in option
    districts.set_value(["Quận Hoàn Kiếm"]).run()
    assert param(at, "district") == ["Quận Hoàn Kiếm"]
    at.radio(key="units").set_value("ward_2025").run()
    at.radio(key="lang").set_value("en").run()
    wards = at.multiselect(key="ward")
    assert "Văn Miếu - Quốc Tử Giám Ward · Van Mieu - Quoc Tu Giam" in wards.options
    assert len(wards.options) == 126 and all(fold(admin.short_name(u.name)) in fold(o) for u, o in zip(
        sorted(admin.units_2025(), key=lambda u: fold(u.name)), wards.options, strict=True))  # fmt: skip


# ------------------------------------------------------------------------------------------------ point 9


def map_ids(at: AppTest) -> list[str]:
    """The spaces the map draws: the rows of its data file that the run's view names."""
    from .test_app import map_ids as drawn

    return drawn(at)


def test_switching_unit_sets_carries_the_filter_and_says_so(data):
    at = run({"district": "Quận Hoàn Kiếm"})
    assert at.multiselect(key="district").value == ["Quận Hoàn Kiếm"]
    at.radio(key="units").set_value("ward_2025").run()
    carried = admin.carry_units(["Quận Hoàn Kiếm"], to="ward_2025").carried
    assert at.multiselect(key="ward").value == list(carried)
    assert param(at, "ward") == list(carried) and param(at, "units") == ["ward_2025"]
    assert map_ids(at) == select(load(data), Filter(wards_2025=carried)).ids  # no space of the district lost
    assert set(select(load(data), Filter(districts=("Quận Hoàn Kiếm",))).ids) <= set(map_ids(at))
    notice = [b for b in boxes(at) if "đã chuyển sang các phường/xã 2025" in b]
    assert notice and "Phường Hoàn Kiếm" in notice[0]
    at.radio(key="units").set_value("district").run()  # straight back: what was chosen
    assert at.multiselect(key="district").value == ["Quận Hoàn Kiếm"]


def test_a_2025_unit_of_several_districts_is_dropped_with_a_notice(data):
    several = next(u.name for u in admin.units_2025() if len(admin.districts_of_unit_2025(u.name)) > 1)
    at = run({"units": "ward_2025", "ward": ["Phường Hoàn Kiếm", several], "lang": "en"})
    at.radio(key="units").set_value("district").run()
    assert at.multiselect(key="district").value == ["Quận Hoàn Kiếm"]
    dropped = [b for b in boxes(at) if b.startswith("Dropped from the filter")]
    assert dropped and admin.unit_label(several, "en") in dropped[0]


def test_switching_with_no_unit_chosen_says_nothing(data):
    at = run()
    at.radio(key="units").set_value("ward_2025").run()
    assert at.multiselect(key="ward").value == [] and not boxes(at)


# ------------------------------------------------------------------------------------------------ point 10


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_list_is_in_name_order_and_takes_the_width_until_a_space_is_chosen(data, lang):
    at = run({"lang": lang})
    ids = list(at.session_state["table_ids"])
    assert ids == listing.by_name(select(load(data)), lang).ids
    if lang == "vi":  # "Á Space Ba Đình" (id "z-space-...", last by id) sorts with the A's: first
        named = [i for i in ids if i != "html-name"]
        assert named == ["z-space-ba-dinh", "ho-hoan-kiem", "nha-hat-mua-roi-thang-long", "phong-tranh-cu",
                         "van-mieu-quoc-tu-giam"]  # fmt: skip

    def list_in_a_column() -> bool:  # the list is an HTML table (`mapping.list_html`)
        return any(
            'class="cm-list"' in getattr(getattr(node, "proto", None), "body", "") for c in at.columns for node in c
        )

    assert not list_in_a_column() and "Chi tiết" not in [s.value for s in at.subheader]  # the list: full width
    at.selectbox(key="pick").set_value("van-mieu-quoc-tu-giam").run()
    details = [h for h in at.get("html") if "cm-details" in h.proto.body]
    assert details and list_in_a_column()  # the details beside the list, once a space is chosen


# ------------------------------------------------------------------------------------------ the data's date


@pytest.mark.parametrize("page", ["map", "numbers", "whats_on"])
def test_the_page_says_how_many_spaces_the_data_holds_and_how_recent_it_is(data, page):
    at = run({"lang": "en"}, page=None if page == "map" else page)
    assert "The data holds 6 spaces, checked up to 27 Nov 2026." in [c.value for c in at.caption]


# ------------------------------------------------------------------------------------------------ point 12


def test_numbers_follow_the_map_s_filter_and_draw_the_real_ward_layer(data):
    at = run()
    at.multiselect(key="cat").set_value(["museum", "heritage"]).run()
    at.switch_page("app_pages/numbers.py").run()
    assert not at.exception, at.exception
    assert "**2 / 6 không gian**" in [m.value for m in at.markdown]
    assert any("Loại không gian: Bảo tàng" in c.value for c in at.caption)
    assert param(at, "cat") == ["museum", "heritage"]  # the page's address reproduces it
    table = at.dataframe[0].value
    assert len(table) == 30 and table["Tổng số"].sum() == 2
    at.radio(key="nb_level").set_value("ward_2025").run()
    table = at.dataframe[0].value
    assert len(table) == 126 and table["Tổng số"].sum() == 2
    (drawn,) = components(at)
    assert drawn["script"].count('"type": "Feature"') + drawn["script"].count('"type":"Feature"') >= 126
    legends = [h.proto.body for h in at.get("html") if "cm-choro-legend" in h.proto.body]
    assert legends and "đơn vị)" in legends[0]
    assert [b.proto.label for b in at.get("download_button")] == ["Tải bảng (CSV)", "Tải danh sách nơi còn thiếu (CSV)"]


def test_numbers_from_a_link(data):
    """A session that starts on the Numbers page takes the view from the page's link."""
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["units"] = "ward_2025"
    at.query_params["cat"] = "heritage"
    at.switch_page("app_pages/numbers.py")
    at.run()
    assert not at.exception, at.exception
    assert at.radio(key="nb_level").value == "ward_2025"
    table = at.dataframe[0].value
    assert len(table) == 126 and table["Tổng số"].sum() == 1


# ------------------------------------------------------------------------------------------------ point 14


def test_what_s_on_lists_what_comes_first_with_links_to_the_map_and_a_calendar(data):
    at = run({"lang": "en"}, page="whats_on")
    headings = [s.value for s in at.subheader]
    assert headings[0] == "On now" and headings[-1] == "Coming up"
    body = "".join(h.proto.body for h in at.get("html") if "cm-event" in h.proto.body)
    assert body.index("Event now") < body.index("Event next-month") < body.index("Event past")
    assert 'href="./?lang=en&amp;sel=van-mieu-quoc-tu-giam"' in body
    assert 'href="https://example.org/next" target="_blank" rel="noopener noreferrer"' in body
    assert [e.label for e in at.expander] == ["Past events (1)"]
    (ics,) = at.get("download_button")
    assert ics.proto.label == "Download the events (.ics)"


def test_what_s_on_follows_the_map_s_filter_and_keeps_it_in_its_links(data):
    at = run()
    at.multiselect(key="district").set_value(["Quận Hoàn Kiếm"]).run()
    at.switch_page("app_pages/whats_on.py").run()
    body = "".join(h.proto.body for h in at.get("html") if "cm-event" in h.proto.body)
    assert "Sự kiện now" not in body  # held at the Temple of Literature, in Đống Đa
    assert "district=Qu%E1%BA%ADn%20Ho%C3%A0n%20Ki%E1%BA%BFm&amp;sel=ho-hoan-kiem" in body
