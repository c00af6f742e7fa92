"""The folium map, popups and details: rendered HTML and the map object's options, no browser; the map's
script and style sheet as files that parse."""

from __future__ import annotations

import json
import re
from pathlib import Path

import esprima
import folium
import geopandas as gpd
import pytest
import tinycss2
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import box

from creative_map import Dataset, Filter, Selection, assets, io, mapping, schema, select, types
from creative_map.dataset import empty_events
from creative_map.mapping import build_map, details_html, list_frame, safe_url, spaces_payload

from .conftest import collection, make_space

MAP_FILES = Path(str(assets.source_dir(assets.MAP_ASSET)))
SCRIPT = (MAP_FILES / "creative_map.js").read_text(encoding="utf-8")

LINE = {"type": "LineString", "coordinates": [[105.8500, 21.0300], [105.8530, 21.0290]]}


@pytest.fixture
def spaces(three_spaces, write_json) -> gpd.GeoDataFrame:
    return io.load_spaces(write_json(three_spaces))


@pytest.fixture
def events(spaces, write_json) -> gpd.GeoDataFrame:
    feature = {
        "type": "Feature",
        "geometry": None,
        "properties": {
            "id": "mua-roi-dem",
            "name_vi": "Đêm múa rối <mới>",
            "name_en": "Puppet night",
            "start": "2026-02-01",
            "end": "2026-02-03",
            "space_ids": ["nha-hat-mua-roi-thang-long"],
            "sources": ["https://example.org/e"],
            "website": "https://example.org/puppets?a=1&b=2",
        },
    }
    return io.load_events(write_json(collection(feature), "events.geojson"), spaces=spaces)


def selected(spaces: gpd.GeoDataFrame, events: gpd.GeoDataFrame | None = None) -> Selection:
    """Everything in `spaces` (and `events`), as `creative_map.select` hands it on."""
    return select(Dataset(spaces, events if events is not None else empty_events()))


@pytest.fixture
def selection(spaces) -> Selection:
    return selected(spaces)


def hand_boundaries(approximate: bool = True) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "name": ["Quận Hoàn Kiếm", "Quận Ba Đình"],
            "code": ["002", "001"],
            "approximate": [approximate, approximate],
        },
        geometry=[box(105.84, 21.01, 105.86, 21.04), box(105.80, 21.02, 105.84, 21.05)],
        crs=schema.CRS,
    )


def rendered(m) -> str:
    return m.get_root().render()


def payload_of(html_text: str) -> dict:
    match = re.search(r"creativeMap\.spacesLayer\(\w+, (\{.*\})\);\n", html_text)
    assert match, "no spaces payload in the page"
    return json.loads(match.group(1))


def js_function(name: str) -> str:
    """The text of the function `name` of the map's script (``function name(`` or ``Spaces.prototype.name =``),
    up to the next function at the same depth."""
    head = f"  Spaces.prototype.{name} = function" if f"Spaces.prototype.{name} =" in SCRIPT else f"  function {name}("
    start = SCRIPT.index(head)
    ends = [SCRIPT.find(m, start + 1) for m in ("\n  function ", "\n  Spaces.prototype.", "\n  var ")]
    end = min((e for e in ends if e > 0), default=-1)
    return SCRIPT[start : end if end > 0 else None]


def test_the_map_script_and_style_sheet_are_package_files_that_parse() -> None:
    tree = esprima.parseScript(SCRIPT)  # raises on a syntax error
    assert tree.body, "the script is empty"
    for name in ("spacesLayer", "legend", "selectedSpace"):
        assert f"{name}: {name}" in SCRIPT, f"creativeMap.{name} is not exported"
    css = (MAP_FILES / "creative_map.css").read_text(encoding="utf-8")
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    errors = [r for r in rules if r.type == "error"]
    assert not errors, errors
    for rule in rules:
        declarations = tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True)
        assert not [d for d in declarations if d.type == "error"], tinycss2.serialize(rule.prelude)
    assert {".cm-pin", ".cm-popup", ".cm-legend"} <= {tinycss2.serialize(r.prelude).strip() for r in rules}


def test_the_page_only_calls_into_the_map_script(selection) -> None:
    page = rendered(build_map(selection, selected_id="phong-tranh-cu"))
    for call in ("creativeMap.spacesLayer(", "creativeMap.legend(", "creativeMap.selectedSpace("):
        assert page.count(call) == 1, call
    assert "function" not in page[page.index("creativeMap.spacesLayer(") :].split("</script>")[0]
    assert "markerClusterGroup" not in page and ".cm-pin" not in page  # the script and the style are files


def test_every_script_and_style_comes_from_the_app(selection) -> None:
    page = rendered(build_map(selection))
    sources = re.findall(r'<script[^>]*\bsrc="([^"]+)"', page) + re.findall(r'<link[^>]*href="([^"]+)"', page)
    assert sources, "the page loads Leaflet from somewhere"
    assert all(s.startswith(assets.DEFAULT_STATIC_URL + "/") for s in sources), sources
    assert any(s.endswith("/leaflet/leaflet.js") for s in sources)
    assert any(s.endswith("/markercluster/leaflet.markercluster.js") for s in sources)
    scripts = re.findall(r'<script[^>]*\bsrc="([^"]+)"', page)
    assert scripts[-1] == f"{assets.DEFAULT_STATIC_URL}/creative_map/creative_map.js"  # after Leaflet and plugins
    assert f"{assets.DEFAULT_STATIC_URL}/creative_map/creative_map.css" in sources
    assert "jquery" not in page.lower() and "bootstrap" not in page.lower() and "$(" not in page


def test_one_row_per_space_with_its_id_and_drawn_shape(spaces, selection) -> None:
    payload = spaces_payload(selection, lang="vi")
    assert [row[0] for row in payload["f"]] == spaces[schema.ID].tolist()
    first = payload["f"][0]
    assert first[1] == "Không gian đi bộ hồ Hoàn Kiếm" and first[9] == 0
    assert payload["c"][first[3]][0] == schema.CATEGORIES["walking_street"].colour
    assert payload["s"][first[4]] == "Đang hoạt động"


def test_lines_and_areas_carry_their_geometry(write_json) -> None:
    feature = make_space(id="pho-di-bo", category="walking_street")
    feature["geometry"] = LINE
    frame = io.load_spaces(write_json(collection(feature, make_space(105.85, 21.03, id="diem"))))
    rows = spaces_payload(selected(frame))["f"]
    assert [row[0] for row in rows] == ["diem", "pho-di-bo"]  # ordered by id
    assert rows[1][9] == {"type": "LineString", "coordinates": [[105.85, 21.03], [105.853, 21.029]]}
    assert rows[0][9] == 0
    page = rendered(build_map(selected(frame), assets="inline"))
    assert "L.geoJSON(feature" in page and "cm-shape" in page


def test_points_are_the_representative_points_of_the_load(spaces) -> None:
    moved = spaces.copy()
    moved[schema.REP_LON] = moved[schema.REP_LON] + 0.001  # the columns, not the geometry, place the marker
    rows = spaces_payload(selected(moved))["f"]
    assert [(row[7], row[8]) for row in rows] == [
        (round(lat, 5), round(lon, 5)) for lat, lon in zip(moved[schema.REP_LAT], moved[schema.REP_LON], strict=True)
    ]


def test_non_exact_positions_look_different_and_say_how_precise(spaces, selection) -> None:
    payload = spaces_payload(selection)
    by_id = {row[0]: row for row in payload["f"]}
    assert by_id["ho-hoan-kiem"][5] == payload["x"]
    street = by_id["phong-tranh-cu"]
    assert street[5] != payload["x"]
    assert payload["p"][street[5]] == schema.PRECISIONS["street"].vi
    page = rendered(build_map(selection, assets="inline"))
    layer_fn = js_function("layer")
    exact_style, approx_style = layer_fn[layer_fn.index("exact\n") :].split("\n        : ", 1)
    assert "fillColor: colour" in exact_style and "dashArray" not in exact_style  # a full circle ...
    assert 'dashArray: "3 3"' in approx_style and 'fillColor: "#ffffff"' in approx_style  # ... or hollow, dashed
    assert 'dashArray: exact ? null : "8 6"' in layer_fn  # lines and areas too
    assert "Spaces.prototype.layer" in page  # the inline page carries the script
    details = details_html(spaces.iloc[2], lang="en")
    assert schema.PRECISIONS["street"].en in details


def test_popup_script_uses_text_nodes_not_html() -> None:
    popup_fn = js_function("popupContent")
    assert re.findall(r"innerHTML = [^;]+;", popup_fn) == ["innerHTML = r[10];"]  # only the server-escaped details
    assert "textContent" in SCRIPT
    # innerHTML anywhere in the script receives only what the server escaped: the details and the legend
    assert sorted(re.findall(r"innerHTML = [^;]+;", SCRIPT)) == [
        "innerHTML = S.html;",
        "innerHTML = V.l;",
        "innerHTML = html;",
        "innerHTML = r[10];",
    ]
    assert "bindTooltip(function () { return el(" in SCRIPT  # unit names as text, never as HTML


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_html_in_the_data_is_escaped_everywhere(write_json, lang) -> None:
    evil = make_space(
        name_vi='<img src=x onerror="alert(1)">Xưởng',
        name_en="</script><script>alert(2)</script>",
        description_vi="<b>đậm</b> & xa",
        description_en="<b>bold</b> & far",
        address="<i>1 Hàng Bài</i>",
        lead_agency="<u>x</u>",
    )
    frame = io.load_spaces(write_json(collection(evil)))
    details = details_html(frame.iloc[0], lang=lang)
    everything = selected(frame)
    assert "<img" not in details and "<script" not in details and "<b>đậm" not in details and "<b>bold" not in details
    assert "<i>" not in details and "<u>" not in details and "&lt;b&gt;" in details
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Xưởng" in details
    for page in (
        rendered(build_map(everything, lang=lang, selected_id=evil["properties"]["id"])),
        rendered(build_map(everything, lang=lang, assets="inline")),
    ):
        assert "</script><script>alert" not in page
        assert "<img src=x" not in page
        assert "creativeMap.spacesLayer(" in page


def test_website_is_a_safe_link_only_when_http(spaces) -> None:
    row = spaces.iloc[1].copy()
    row[schema.WEBSITE] = "https://example.org/a?b=1&c=2"
    details = details_html(row, lang="vi")
    assert '<a href="https://example.org/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">' in details
    row[schema.WEBSITE] = "javascript:alert(1)"
    details = details_html(row, lang="vi")
    assert "<a " not in details.split("cm-events-title")[0]
    assert "javascript:alert(1)" in details  # shown as text, not a link


@pytest.mark.parametrize(
    "url,ok",
    [
        ("https://vanmieu.gov.vn", True),
        ("http://example.org/x", True),
        ("HTTPS://EXAMPLE.ORG", True),
        ("javascript:alert(1)", False),
        ("data:text/html,hi", False),
        ("ftp://example.org", False),
        ("//example.org", False),
        ('https://example.org/"onmouseover=x', False),
        ("", False),
        (None, False),
    ],
)
def test_safe_url(url, ok) -> None:
    assert (safe_url(url) is not None) is ok


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_details_hold_every_field_and_the_events(spaces, events, lang) -> None:
    row = spaces.iloc[1]
    details = details_html(row, lang=lang, events=events)
    first, second = ("Nhà hát Múa rối Thăng Long", "Thang Long Water Puppet Theatre")
    if lang == "en":
        first, second = second, first
    assert details.index(first) < details.index(second)
    for text in (
        "57B Đinh Tiên Hoàng",
        "Sở Văn hóa và Thể thao",
        "3.1.2.b",
        schema.PLAN_ITEMS["3.1.2.b"].get(lang),
        schema.NETWORK_MEMBER["yes"].get(lang),
        schema.STATUSES["active"].get(lang),
        schema.CATEGORIES["art_space"].label.get(lang),
        "Hoàn Kiếm District" if lang == "en" else "Quận Hoàn Kiếm",
        "2026-02-01 – 2026-02-03",
        "Đêm múa rối &lt;mới&gt;" if lang == "vi" else "Puppet night",
        'href="https://example.org/puppets?a=1&amp;b=2"',
    ):
        assert text in details, text
    description = row[schema.DESCRIPTION_VI if lang == "vi" else schema.DESCRIPTION_EN]
    assert description in details
    no_events = details_html(spaces.iloc[0], lang=lang, events=events)
    assert ("Chưa có sự kiện" if lang == "vi" else "No event recorded") in no_events


def test_description_falls_back_to_the_other_language(spaces) -> None:
    row = spaces.iloc[0].copy()
    row[schema.DESCRIPTION_EN] = ""
    assert row[schema.DESCRIPTION_VI] in details_html(row, lang="en")


@pytest.mark.parametrize(
    "lang,words", [("vi", ["Chú giải", "không gian trên bản đồ"]), ("en", ["Legend", "spaces on the map"])]
)
def test_legend_in_the_chosen_language_with_counts(selection, lang, words) -> None:
    page = rendered(build_map(selection, lang=lang))
    legend = json.loads(re.search(r"creativeMap\.legend\(\w+, (\".*\")\);\n", page).group(1))
    for word in words:
        assert word in legend
    assert f"3 {words[1]}" in legend
    walking = schema.CATEGORIES["walking_street"].label.get(lang)
    assert f"{walking} (1)" in legend
    museum = schema.CATEGORIES["museum"].label.get(lang)
    assert f"{museum} (0)" in legend


def test_selected_space_is_centred_and_opened_with_full_details(spaces, events) -> None:
    everything = selected(spaces, events)
    m = build_map(everything, lang="en", selected_id="nha-hat-mua-roi-thang-long")
    assert m.location == [pytest.approx(21.0318), pytest.approx(105.8535)]
    assert m.options["zoom"] == mapping.FOCUS_ZOOM
    page = rendered(m)
    assert "fitBounds" not in page
    call = re.search(r"creativeMap\.selectedSpace\(\w+, (\{.*\})\);\n", page)
    assert call, "the selected space is not drawn"
    data = json.loads(call.group(1))
    assert data["id"] == "nha-hat-mua-roi-thang-long" and data["zoom"] == mapping.FOCUS_ZOOM
    assert data["location"] == [21.0318, 105.8535] and "Puppet night" in data["html"]
    focus_fn = js_function("selectedSpace")
    assert "marker.openPopup()" in focus_fn and "setView(" in focus_fn  # centred, its popup opened
    assert mapping.selection_layer(everything, "no-such-space") is None
    assert mapping.focus(everything, None) == (None, None)


def test_without_selection_the_map_fits_the_spaces(selection) -> None:
    page = rendered(build_map(selection))
    assert "fitBounds" in page
    assert "creativeMap.selectedSpace(" not in page and "openPopup()" not in page


def units_of(m) -> list[dict]:
    """The data of the map's unit layers (`mapping.Units`)."""
    return [json.loads(c.data) for c in m._children.values() if isinstance(c, mapping.Units)]


@pytest.mark.parametrize(
    "approximate,lang,mark", [(True, "en", "(approximate)"), (True, "vi", "(gần đúng)"), (False, "en", "")]
)
def test_boundary_layer_is_labelled_approximate_when_it_is(selection, approximate, lang, mark) -> None:
    m = build_map(selection, lang=lang, boundaries=hand_boundaries(approximate))
    page = rendered(m)
    assert "creativeMap.unitsLayer(" in page  # with its switch (L.control.layers in the script)
    (units,) = units_of(m)
    labels = [f["properties"]["label"] for f in units["data"]["features"]]
    district = "Hoàn Kiếm District" if lang == "en" else "Quận Hoàn Kiếm"
    assert f"{district} {mark}".strip() in labels
    assert district in [f["properties"]["short"] for f in units["data"]["features"]]  # the name drawn on the map
    assert ("(approximate)" in units["name"] or "(gần đúng)" in units["name"]) is approximate
    assert units["approx"] is approximate


def test_the_boundary_layer_is_named_by_its_level(selection) -> None:
    wards = hand_boundaries().assign(name=["Phường Hoàn Kiếm", "Phường Ba Đình"])
    for units, name in ((hand_boundaries(), "Pre-2025 districts"), (wards, "2025 wards and communes")):
        assert [u["name"] for u in units_of(build_map(selection, lang="en", boundaries=units))] == [
            f"{name} (approximate)"
        ]


def test_unit_labels_sit_inside_their_unit(selection) -> None:
    """Each unit's label point lies inside it (a name drawn outside its unit would name the wrong one)."""
    from shapely.geometry import Point

    bounds = hand_boundaries()
    (units,) = units_of(build_map(selection, lang="en", boundaries=bounds))
    for feature, geometry in zip(units["data"]["features"], bounds.geometry, strict=True):
        lat, lon = feature["properties"]["lp"]
        assert geometry.buffer(1e-6).contains(Point(lon, lat)), feature["properties"]["name"]


def test_the_units_the_filter_chose_are_highlighted(spaces, selection) -> None:
    chosen = select(Dataset(spaces, empty_events()), Filter(districts=("Quận Hoàn Kiếm",)))
    (units,) = units_of(build_map(chosen, boundaries=hand_boundaries()))
    assert units["highlight"] == ["Quận Hoàn Kiếm"]
    assert units_of(build_map(selection, boundaries=hand_boundaries()))[0]["highlight"] == []


def test_the_boundaries_are_credited_while_drawn(selection) -> None:
    (units,) = units_of(build_map(selection, lang="en", boundaries=hand_boundaries()))
    assert units["attribution"] == "Boundaries: the planners&#x27; official file"  # hand-made: not the shipped ones
    shipped = mapping.boundaries_attribution(shipped=True, lang="en")
    assert "Lam Ngoc Khuong" in shipped and "MIT" in shipped


def test_no_boundaries_means_no_boundary_layer(selection) -> None:
    m = build_map(selection, boundaries=None)
    assert not [c for c in m._children.values() if type(c).__name__ == "GeoJson"]
    assert "L.control.layers" not in rendered(m)


@pytest.mark.parametrize("basemap,host", [("osm", "tile.openstreetmap.org"), ("light", "basemaps.cartocdn.com")])
def test_basemaps(selection, basemap, host) -> None:
    assert host in rendered(build_map(selection, basemap=basemap))


def test_every_basemap_has_its_tiles_defined_once() -> None:
    assert tuple(mapping.TILES) == types.BASEMAPS
    assert [b for b, tiles in mapping.TILES.items() if tiles is None] == ["none"]


def test_no_basemap_still_draws_the_spaces(selection) -> None:
    page = rendered(build_map(selection, basemap="none"))
    assert "L.tileLayer" not in page and '"maxZoom": 19' in page and "creativeMap.spacesLayer(" in page
    assert "L.markerClusterGroup(" in js_function("Spaces")
    with pytest.raises(ValueError, match="basemap"):
        build_map(selection, basemap="satellite")  # type: ignore[arg-type]


def test_inline_page_needs_no_network(spaces, events) -> None:
    page = rendered(build_map(selected(spaces, events), assets="inline"))
    assert not re.findall(r"<script[^>]*\bsrc=", page)
    assert not re.findall(r"<link[^>]*stylesheet", page)
    assert "Leaflet 1.9.4" in page and "markerClusterGroup" in page
    assert page.count("root.creativeMap = ") == 1 and ".cm-legend summary" in page  # the map's script and style
    assert page.index("root.creativeMap = ") > page.index("Leaflet 1.9.4")
    assert "url(images/" not in page and "data:image/png;base64," in page
    rows = payload_of(page)["f"]
    assert len(rows[0]) == 11 and "cm-details" in rows[1][10]  # full details in every popup
    assert "Puppet night" not in rows[1][10] and "Đêm múa rối" in rows[1][10]


def test_build_map_does_not_change_its_input(spaces, events) -> None:
    everything = selected(spaces, events)
    before, events_before = everything.spaces.copy(), everything.events.copy()
    build_map(everything, selected_id="phong-tranh-cu", boundaries=hand_boundaries())
    assert_geodataframe_equal(everything.spaces, before)
    assert_geodataframe_equal(everything.events, events_before)


def test_an_empty_selection_draws_an_empty_map(spaces) -> None:
    page = rendered(build_map(selected(spaces.iloc[0:0])))
    assert payload_of(page)["f"] == []
    assert "fitBounds" not in page


def test_lean_layer_stays_under_200_bytes_per_space(tmp_path: Path) -> None:
    from benchmarks.synthetic import write_synthetic

    frame = io.load_spaces(write_synthetic(tmp_path / "s.geojson", 2000))
    small = len(rendered(build_map(selected(frame.iloc[:10]))).encode())
    large = len(rendered(build_map(selected(frame))).encode())
    assert (large - small) / (len(frame) - 10) < 200


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_list_frame(spaces, events, lang) -> None:
    table = list_frame(selected(spaces, events), lang=lang)
    assert table.index.tolist() == spaces[schema.ID].tolist()
    assert len(table.columns) == 6
    name_col = "Tên" if lang == "vi" else "Name"
    assert table.loc["nha-hat-mua-roi-thang-long", name_col] == (
        "Nhà hát Múa rối Thăng Long" if lang == "vi" else "Thang Long Water Puppet Theatre"
    )
    assert table.iloc[:, -1].tolist() == [0, 1, 0]
    assert list_frame(selected(spaces, events), lang=lang, limit=2).index.tolist() == spaces[schema.ID].tolist()[:2]


def test_static_files_are_copied_from_the_installed_packages(tmp_path: Path) -> None:
    vendor = assets.ensure_static(tmp_path)
    assert assets.MAP_ASSET in assets.ASSETS and set(assets.VENDOR_FILES) < set(assets.ASSETS)
    for asset in assets.ASSETS:
        source = assets.source_dir(asset)
        for name in (*asset.js, *asset.css, *asset.extra):
            assert (vendor / asset.name / name).read_bytes() == (source / name).read_bytes()
    stamp = (vendor / "leaflet" / "leaflet.js").stat().st_mtime_ns
    assets.ensure_static(tmp_path)
    assert (vendor / "leaflet" / "leaflet.js").stat().st_mtime_ns == stamp
    (vendor / "leaflet" / "leaflet.js").write_text("broken")
    assets.ensure_static(tmp_path)
    assert "Leaflet 1.9.4" in (vendor / "leaflet" / "leaflet.js").read_text()
    assert not [p for p in vendor.iterdir() if p.name.startswith(".")]


def test_inline_text_cannot_close_its_element() -> None:
    for name in ("leaflet", "markercluster", "creative_map"):
        assert "</script" not in assets.inline_js(name).lower()
        assert "</style" not in assets.inline_css(name).lower()
    with pytest.raises(ValueError, match="unknown asset"):
        assets.inline_js("jquery")


# ---------------------------------------------------------------------------------------------- the app's map

URLS = mapping.DataUrls("/app/static/cm/spaces.abc.json.gz", "/app/static/cm/spaces.abc.json")


def test_the_app_map_holds_no_space_and_fetches_the_data_file() -> None:
    bounds = (105.84, 21.02, 105.86, 21.04)
    page = rendered(mapping.app_map(data=URLS, total=3, bounds=bounds, lang="en", basemap="none"))
    data = json.loads(re.search(r"creativeMap\.appLayer\(\w+, (\{.*\})\);\n", page).group(1))
    assert data["data"] == {"gz": URLS.gz, "json": URLS.json} and data["n"] == 3
    assert data["meta"]["lang"] == "en" and data["meta"]["c"][3] == [schema.CATEGORIES["museum"].colour, "Museum", "Ⅲ"]
    assert "fitBounds" in page and "L.tileLayer" not in page and "creativeMap.spacesLayer(" not in page
    again = rendered(
        mapping.app_map(data=URLS, total=3, bounds=(105.84, 21.02, 105.86, 21.04), lang="en", basemap="none")
    )
    names = re.compile(r"_[0-9a-f]{32}")  # folium's random element names (st_folium ignores them)
    assert names.sub("", again) == names.sub("", page)  # the same map, whatever the selection


def test_the_view_layer_carries_only_what_a_run_changes(spaces, events) -> None:
    everything = selected(spaces, events)
    group = mapping.view_layer(everything, shown="a", lang="en", units=URLS, units_approximate=True, units_label="X")
    text = rendered(folium.Map(tiles=None).add_child(group))
    view = json.loads(re.search(r"creativeMap\.appView\(\w+, (\{.*\})\);\n", text).group(1))
    assert view["n"] == 3 and view["m"] == "a" and view["s"] is None
    assert view["b"] == {"gz": URLS.gz, "json": URLS.json, "approx": True}
    assert "3 spaces on the map" in view["l"] and "X" in view["l"]
    assert "creativeMap.selectedSpace(" not in text
    theatre = spaces.loc[spaces[schema.ID] == "nha-hat-mua-roi-thang-long"].iloc[0]
    group = mapping.view_layer(everything, shown="rx.1", selected=theatre, lang="en")
    text = rendered(folium.Map(tiles=None).add_child(group))
    view = json.loads(re.search(r"creativeMap\.appView\(\w+, (\{.*\})\);\n", text).group(1))
    assert view["s"] == "nha-hat-mua-roi-thang-long" and view["b"] is None
    assert "creativeMap.selectedSpace(" in text and "Puppet night" in text  # the details come with the selection


def test_space_rows_are_lean_and_in_neither_language(spaces) -> None:
    rows = mapping.space_rows(spaces)
    assert [len(r) for r in rows] == [10, 10, 10]
    assert rows[1][:3] == [
        "nha-hat-mua-roi-thang-long",
        "Nhà hát Múa rối Thăng Long",
        "Thang Long Water Puppet Theatre",
    ]


def test_the_list_is_a_plain_html_table_with_everything_escaped(write_json) -> None:
    evil = make_space(id="xuong", name_vi='<img src=x onerror="alert(1)">Xưởng', name_en="<b>Workshop</b>")
    frame = io.load_spaces(write_json(collection(evil, make_space(105.85, 21.03, id="khac"))))
    table = list_frame(selected(frame), lang="en")
    page = mapping.list_html(table, caption="List & more")
    assert "<img" not in page and "<b>" not in page and "&lt;b&gt;Workshop&lt;/b&gt;" in page
    assert re.findall(r'<tr data-id="([^"]+)">', page) == ["khac", "xuong"]
    assert '<th scope="col">Name</th>' in page and "<caption>List &amp; more</caption>" in page
    assert page.count('<td class="cm-num">0</td>') == 2  # the number of events, right-aligned


# ------------------------------------------------------------------------------------- issue 14: inside the map


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_links_give_directions_and_copy_the_space_escaped(write_json, lang) -> None:
    evil = make_space(105.835556, 21.028611, id="a-b")
    frame = io.load_spaces(write_json(collection(evil)))
    links = mapping.links_html(frame.iloc[0], lang=lang)
    osm = "https://www.openstreetmap.org/directions?to=21.02861,105.83556"
    google = "https://www.google.com/maps/dir/?api=1&amp;destination=21.02861,105.83556"
    assert f'<a class="cm-dir cm-dir-osm" href="{osm}" target="_blank" rel="noopener noreferrer">' in links
    assert f'<a class="cm-dir cm-dir-google" href="{google}" target="_blank" rel="noopener noreferrer">' in links
    assert f'<button type="button" class="cm-copy" data-cm-id="a-b">{mapping.t("copy_link", lang)}</button>' in links
    assert mapping.t("dir_osm", lang) in links and mapping.t("dir_google", lang) in links
    row = frame.iloc[0].copy()
    row[schema.ID] = '"><script>alert(1)</script>'  # never from validated data, escaped all the same
    assert "<script>" not in mapping.links_html(row, lang=lang)
    assert 'data-cm-id="&quot;&gt;&lt;script&gt;' in mapping.links_html(row, lang=lang)
    assert "cm-copy" not in mapping.links_html(row, lang=lang, copy=False)


def test_every_full_popup_carries_the_links(spaces, events) -> None:
    everything = selected(spaces, events)
    payload = spaces_payload(everything, lang="en", popups="full")
    assert all("cm-dir-osm" in row[10] and "cm-copy" in row[10] for row in payload["f"])
    assert {"dir_osm", "dir_google", "copy_link", "copied", "copy_manual"} <= set(payload["t"])  # the lean ones too
    page = rendered(build_map(everything, lang="en", selected_id="nha-hat-mua-roi-thang-long"))
    selected_data = re.search(r"creativeMap\.selectedSpace\(\w+, (\{.*\})\);\n", page).group(1)
    assert "cm-dir-google" in json.loads(selected_data)["html"]


def test_the_view_layer_names_the_default_units_and_the_chosen_ones(spaces, events) -> None:
    everything = selected(spaces, events)
    group = mapping.view_layer(
        everything, shown="a", lang="en", default_units=URLS, highlight=URLS, highlight_names=["Quận Hoàn Kiếm"]
    )
    view = json.loads(
        re.search(r"creativeMap\.appView\(\w+, (\{.*\})\);\n", rendered(folium.Map(tiles=None).add_child(group))).group(
            1
        )
    )
    assert view["b"] is None and view["d"] == {"gz": URLS.gz, "json": URLS.json, "approx": False}
    assert view["h"] == {"b": {"gz": URLS.gz, "json": URLS.json, "approx": False}, "names": ["Quận Hoàn Kiếm"]}
    assert "Lam Ngoc Khuong" in view["a"]  # the shipped boundaries credited while drawn
    plain = mapping.view_layer(everything, shown="a", lang="en", highlight=URLS, highlight_names=[])
    view = json.loads(
        re.search(r"creativeMap\.appView\(\w+, (\{.*\})\);\n", rendered(folium.Map(tiles=None).add_child(plain))).group(
            1
        )
    )
    assert view["h"] is None and view["d"] is None


def test_the_legend_is_closed_on_every_screen() -> None:
    """The script never opens the legend by itself (it hid markers and popups); it opens on a click."""
    assert "box.open = false" in SCRIPT and "m.getSize().x >= 600" not in SCRIPT
