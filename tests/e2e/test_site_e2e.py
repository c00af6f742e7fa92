"""The static site (`creative-map site`) in Chromium, from ``file://`` and over a local static web server.

What a visitor sees is checked against the library: the spaces drawn are `creative_map.select`'s for the same
choices, the search folds text as `creative_map.text.fold` does (every code point), each popup says what
`creative_map.mapping.details_html` says. Every request leaving 127.0.0.1 is aborted: only basemap tiles are
ever asked for, and the map draws without them, over the unit boundaries.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import creative_map
from creative_map import Filter, mapping
from creative_map.site import write_site
from creative_map.text import fold

from ..conftest import ROOT
from .conftest import Blocked

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = pytest.mark.e2e

SHIPPED = ROOT / "data" / "spaces.geojson"
HOSTILE_ID = "html-name"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def fixture_site(e2e_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the five e2e spaces (one with an HTML name) and their event."""
    out = tmp_path_factory.mktemp("site") / "public"
    write_site(creative_map.select(creative_map.load(e2e_data)), out)
    return out


@pytest.fixture(scope="module")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the shipped data (points, a line, an area; 161 spaces)."""
    out = tmp_path_factory.mktemp("site-shipped") / "public"
    write_site(creative_map.select(creative_map.load(SHIPPED)), out)
    return out


@pytest.fixture(scope="module")
def static_server(fixture_site: Path) -> Iterator[str]:
    """A plain static web server (Python's) on a free loopback port, serving the fixture site."""
    handler = functools.partial(_QuietHandler, directory=str(fixture_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(params=["file", "http"])
def site_url(request: pytest.FixtureRequest, fixture_site: Path) -> str:
    """The fixture site's base address: from disk, or from the static server."""
    if request.param == "file":
        return fixture_site.as_uri() + "/"
    return str(request.getfixturevalue("static_server"))


def _open(open_page: Callable[..., tuple[Any, Blocked]], url: str, **size: int) -> tuple[Any, Blocked]:
    page, blocked = open_page(**size)
    page.goto(url)
    expect(page.locator("#cm-map")).to_have_attribute("data-cm-count", re.compile(r"^\d+$"))
    return page, blocked


def _ids(data: Path, **choices: Any) -> list[str]:
    return sorted(creative_map.select(creative_map.load(data), Filter(**choices)).ids)


def _drawn(page: Any) -> list[str]:
    return list(page.evaluate("creativeMapSite.drawnIds()"))


def _expect_count(page: Any, n: int) -> None:
    expect(page.locator("#cm-map")).to_have_attribute("data-cm-count", str(n))


# ------------------------------------------------------------------------------------------- what is drawn


def test_the_map_draws_every_space_over_the_boundaries_with_no_outside_request(open_page, site_url, e2e_data):
    page, blocked = _open(open_page, site_url + "index.html")
    assert _drawn(page) == _ids(e2e_data)
    expect(page.locator("path.cm-unit")).to_have_count(30)  # the districts: the map is readable without tiles
    expect(page.locator(".cm-legend .cm-count")).to_have_text("5 không gian trên bản đồ")
    expect(page.locator("#cm-datainfo")).to_contain_text("5 không gian")
    expect(page.locator("#cm-datainfo")).to_contain_text("2026-11-27")  # the data's last check
    assert blocked.non_tiles() == [], blocked
    assert page.errors == []


@pytest.mark.parametrize("query", ["van mieu", "VĂN MIẾU", "Van Mieu", "Văn Miếu", "vAn   MiEu", "temple"])
def test_search_ignores_accents_and_capitals_as_the_library_does(open_page, site_url, e2e_data, query):
    page, _ = _open(open_page, site_url + "index.html")
    page.fill("#cm-search", query)
    _expect_count(page, 1)
    assert _drawn(page) == _ids(e2e_data, search=query) == ["van-mieu-quoc-tu-giam"]
    expect(page.locator(".cm-results .cm-item")).to_contain_text(["Văn Miếu – Quốc Tử Giám"])


@pytest.mark.parametrize("query", ["den ngoc son", "ĐỀN NGỌC SƠN", "Den Ngoc"])
def test_the_letter_d_with_stroke_is_found_as_d(open_page, shipped_site, query):
    page, _ = _open(open_page, shipped_site.as_uri() + "/index.html")
    page.fill("#cm-search", query)
    want = _ids(SHIPPED, search=query)
    assert "den-ngoc-son" in want
    _expect_count(page, len(want))
    assert _drawn(page) == want


def test_filters_draw_what_the_library_selects(open_page, site_url, e2e_data):
    page, _ = _open(open_page, site_url + "index.html")
    # categories: uncheck all but heritage and museum
    for box in page.locator("#cm-cats input").all():
        if box.get_attribute("value") not in ("heritage", "museum"):
            box.uncheck()
    want = _ids(e2e_data, categories=("heritage", "museum"))
    _expect_count(page, len(want))
    assert _drawn(page) == want
    # and a pre-2025 district on top
    page.select_option("#cm-level", "district")
    page.select_option("#cm-unit", "Quận Hoàn Kiếm")
    want = _ids(e2e_data, categories=("heritage", "museum"), districts=("Quận Hoàn Kiếm",))
    _expect_count(page, len(want))
    assert _drawn(page) == want == [HOSTILE_ID]
    # a 2025 ward instead, every category
    page.click("#cm-reset")
    page.select_option("#cm-level", "ward_2025")
    page.select_option("#cm-unit", "Phường Văn Miếu - Quốc Tử Giám")
    want = _ids(e2e_data, wards_2025=("Phường Văn Miếu - Quốc Tử Giám",))
    _expect_count(page, len(want))
    assert _drawn(page) == want == ["van-mieu-quoc-tu-giam"]
    expect(page.locator(".cm-legend .cm-bnd")).to_contain_text("lamngockhuong")  # the 2025 wards' layer, credited
    expect(page.locator("path.cm-unit")).to_have_count(126)


@pytest.mark.parametrize(
    "choices",
    [
        {},
        {"search": "van mieu"},
        {"search": "bao tang"},
        {"categories": ("heritage",)},
        {"categories": ("walking_street", "public_space")},
        {"districts": ("Quận Hoàn Kiếm",)},
        {"districts": ("Quận Hoàn Kiếm",), "search": "pho"},
        {"wards_2025": ("Phường Hoàn Kiếm",)},
    ],
    ids=repr,
)
def test_on_the_shipped_data_the_map_draws_the_library_selection(open_page, shipped_site, choices):
    """Points, lines and areas; the address carries the choices (so this also checks the address's reading)."""
    parts = []
    if "search" in choices:
        parts.append("q=" + choices["search"].replace(" ", "%20"))
    if "categories" in choices:
        parts.append("cat=" + ",".join(choices["categories"]))
    if "districts" in choices:
        parts.append("district=" + choices["districts"][0])
    if "wards_2025" in choices:
        parts.append("ward=" + choices["wards_2025"][0])
    page, _ = _open(open_page, shipped_site.as_uri() + "/index.html#" + "&".join(parts))
    want = _ids(SHIPPED, **choices)
    assert want, "a choice that selects nothing would prove little"
    _expect_count(page, len(want))
    assert _drawn(page) == want
    expect(page.locator("#cm-count")).to_have_text(f"{len(want)} / 161 không gian")


# ------------------------------------------------------------------------------------------------ folding


def test_the_script_folds_every_code_point_as_python_does(open_page, fixture_site):
    """Every code point of the first three planes, one by one: the only differences allowed are characters this
    Python's Unicode tables do not know yet (the browser's are newer)."""
    page, _ = _open(open_page, fixture_site.as_uri() + "/index.html")
    code_points = [cp for cp in range(0x30000) if not 0xD800 <= cp <= 0xDFFF]
    folded = page.evaluate("cps => cps.map(c => creativeMapSite.fold(String.fromCodePoint(c)))", code_points)
    differ = [
        (hex(cp), fold(chr(cp)), js)
        for cp, js in zip(code_points, folded, strict=True)
        if js != fold(chr(cp)) and unicodedata.category(chr(cp)) != "Cn"
    ]
    assert differ == []


def test_the_script_folds_names_as_python_does(open_page, fixture_site):
    dataset = creative_map.load(SHIPPED)
    names = [*dataset.spaces["name_vi"], *dataset.spaces["name_en"], *dataset.spaces["address"]]
    names += [unicodedata.normalize("NFD", n) for n in names[:50]] + [n.upper() for n in names[:50]]
    names += [
        "Văn Miếu – Quốc Tử Giám",
        "VĂN MIẾU—QUỐC TỬ GIÁM",
        "ĐỀN   Ngọc\tSơn\n",
        "Straße ẞ ﬁne ŉ",
        "ΟΔΟΣ Σίσυφος",
        "İstanbul ıı",
        "Привет, Ёлка",
        "กรุงเทพมหานคร",
        "हिन्दी",
        "北京 東京",
        "\u00a0 Hà\u2003Nội \u3000",
        "<script>alert(1)</script>",
    ]
    page, _ = _open(open_page, fixture_site.as_uri() + "/index.html")
    folded = page.evaluate("names => names.map(creativeMapSite.fold)", names)
    assert [(n, f) for n, f in zip(names, folded, strict=True) if f != fold(n)] == []


# ------------------------------------------------------------------------------------ selection and popup


def test_choosing_a_space_opens_its_popup_and_puts_it_in_the_address(open_page, site_url):
    page, _ = _open(open_page, site_url + "index.html")
    page.locator(".cm-results .cm-item", has_text="Văn Miếu").click()
    popup = page.locator(".leaflet-popup-content .cm-details")
    expect(popup.locator(".cm-name")).to_have_text("Văn Miếu – Quốc Tử Giám")
    expect(popup).to_contain_text("Lễ hội thư pháp")  # its event
    expect(popup.locator("a[href='http://vanmieu.gov.vn']")).to_have_attribute("rel", "noopener noreferrer")
    expect(page).to_have_url(re.compile(r"[#&]sel=van-mieu-quoc-tu-giam$"))
    page.locator(".leaflet-popup-close-button").click()
    expect(page.locator(".leaflet-popup")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"^[^#]*#map=[^&]*$"))  # the view only


def test_clicking_a_marker_selects_its_space(open_page, site_url):
    page, _ = _open(open_page, site_url + "index.html#map=18/21.03180/105.85350")
    page.locator(".leaflet-marker-icon[title='Nhà hát Múa rối Thăng Long']").click()
    expect(page.locator(".leaflet-popup-content .cm-name")).to_have_text("Nhà hát Múa rối Thăng Long")
    expect(page).to_have_url(re.compile(r"[#&]sel=nha-hat-mua-roi-thang-long$"))


def test_the_address_restores_view_choices_and_selection(open_page, site_url, e2e_data):
    hash_ = "map=17/21.02861/105.83556&q=van&cat=heritage,museum&sel=van-mieu-quoc-tu-giam"
    page, _ = _open(open_page, site_url + "index.html#" + hash_)
    expect(page.locator(".leaflet-popup-content .cm-name")).to_have_text("Văn Miếu – Quốc Tử Giám")
    expect(page.locator("#cm-search")).to_have_value("van")
    checked = page.eval_on_selector_all("#cm-cats input:checked", "els => els.map(e => e.value)")
    assert checked == ["heritage", "museum"]
    assert _drawn(page) == _ids(e2e_data, search="van", categories=("heritage", "museum"))
    view = page.evaluate(
        "(() => { const m = creativeMapSite.map, c = m.getCenter(); return [m.getZoom(), c.lat, c.lng]; })()"
    )
    assert view[0] == 17 and abs(view[1] - 21.02861) < 1e-5 and abs(view[2] - 105.83556) < 1e-5
    assert page.url.endswith("#" + hash_)  # the address stays what was shared


def test_a_changed_address_is_shown_without_reloading(open_page, site_url):
    page, _ = _open(open_page, site_url + "index.html")
    page.evaluate("window.cmMarker = 1")
    page.evaluate("location.hash = 'q=mua%20roi&sel=nha-hat-mua-roi-thang-long'")
    expect(page.locator(".leaflet-popup-content .cm-name")).to_have_text("Nhà hát Múa rối Thăng Long")
    _expect_count(page, 1)
    assert page.evaluate("window.cmMarker") == 1  # the same document


def test_unknown_values_in_the_address_are_ignored(open_page, site_url, e2e_data):
    page, _ = _open(open_page, site_url + "index.html#cat=nonsense&district=Atlantis&sel=nobody&map=99/x/y")
    assert _drawn(page) == _ids(e2e_data)
    expect(page.locator(".leaflet-popup")).to_have_count(0)
    assert page.errors == []


def test_switching_language_keeps_the_view_and_the_selection(open_page, site_url):
    page, _ = _open(open_page, site_url + "index.html#q=van%20mieu&sel=van-mieu-quoc-tu-giam")
    expect(page.locator(".leaflet-popup-content .cm-name")).to_have_text("Văn Miếu – Quốc Tử Giám")
    page.click("#cm-lang")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".leaflet-popup-content .cm-name")).to_have_text("Temple of Literature")
    expect(page.locator(".leaflet-popup-content .cm-alt")).to_have_text("Văn Miếu – Quốc Tử Giám")
    expect(page.locator("#cm-search")).to_have_value("van mieu")
    expect(page.locator("h1")).to_have_text("Map of Hanoi's creative spaces")
    assert "/en/index.html#" in page.url and "sel=van-mieu-quoc-tu-giam" in page.url
    page.click("#cm-lang")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator(".leaflet-popup-content .cm-name")).to_have_text("Văn Miếu – Quốc Tử Giám")


def test_a_name_made_of_html_shows_as_text(open_page, site_url):
    page, _ = _open(open_page, site_url + "en/index.html#sel=" + HOSTILE_ID)
    name = "<script>document.title='pwned'</script>Workshop"
    expect(page.locator(".leaflet-popup-content .cm-name")).to_have_text(name)
    expect(page.locator(".cm-results .cm-item", has_text="Workshop")).to_contain_text(name)
    expect(page.locator(".leaflet-popup-content img")).to_have_count(0)
    assert page.title() == "Map of Hanoi's creative spaces"
    assert page.evaluate("document.querySelectorAll('#cm-panel script, .leaflet-pane script').length") == 0


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_popup_says_what_the_app_says(open_page, shipped_site, e2e_data, fixture_site, lang):
    """The script's details of every space equal `details_html`'s, text and links, in both languages."""
    for site, data in ((shipped_site, SHIPPED), (fixture_site, e2e_data)):
        selection = creative_map.select(creative_map.load(data))
        expected = [
            [row["id"], mapping.details_html(row, lang=lang, events=selection.events)]
            for _, row in selection.spaces.iterrows()
        ]
        page, _ = _open(open_page, site.as_uri() + ("/index.html" if lang == "vi" else "/en/index.html"))
        differ = page.evaluate(
            """pairs => pairs.map(([id, html]) => {
                const t = document.createElement('template');
                t.innerHTML = html;
                const want = t.content.firstElementChild, got = creativeMapSite.details(id);
                const links = e => [...e.querySelectorAll('a')].map(a => a.getAttribute('href') + ' ' + a.textContent);
                const dts = e => [...e.querySelectorAll('dt')].map(d => d.textContent);
                const same = want.textContent === got.textContent
                    && JSON.stringify(links(want)) === JSON.stringify(links(got))
                    && JSON.stringify(dts(want)) === JSON.stringify(dts(got));
                return same ? null : [id, want.textContent, got.textContent];
            }).filter(Boolean)""",
            expected,
        )
        assert differ == [], differ[:2]


# --------------------------------------------------------------------------------------------- what's on


def test_whats_on_lists_upcoming_events_and_leads_to_their_place(open_page, fixture_site):
    page, _ = open_page()
    page.clock.set_fixed_time("2026-01-05T10:00:00")
    page.goto(fixture_site.as_uri() + "/en/index.html")
    event = page.locator("#cm-events li[data-event='le-hoi-van-mieu']")
    expect(event).to_contain_text("Calligraphy festival")
    expect(event).to_contain_text("2026-01-10 – 2026-01-12")
    event.locator("button.cm-place").click()
    expect(page.locator(".leaflet-popup-content .cm-name")).to_have_text("Temple of Literature")


def test_whats_on_says_so_when_nothing_is_coming(open_page, fixture_site):
    page, _ = open_page()
    page.clock.set_fixed_time("2026-02-01T10:00:00")
    page.goto(fixture_site.as_uri() + "/en/index.html")
    expect(page.locator("#cm-events li")).to_have_text(["No upcoming event recorded."])


# ------------------------------------------------------------------------------------------ small screens


def test_on_a_phone_the_map_and_the_panel_both_show(open_page, fixture_site):
    page, _ = _open(open_page, fixture_site.as_uri() + "/index.html", width=390, height=800)
    map_box = page.locator("#cm-map").bounding_box()
    panel_box = page.locator("#cm-panel").bounding_box()
    assert map_box["height"] > 300 and panel_box["height"] > 100
    assert map_box["y"] >= panel_box["y"] + panel_box["height"] - 1  # stacked, not squeezed side by side
    expect(page.locator(".cm-legend")).not_to_have_attribute("open", "")  # folded on a small map
