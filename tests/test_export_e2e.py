"""The HTML export opened from disk in a real browser (Debian's Chromium driven by Playwright) with every
request that leaves the file blocked: the map, its markers, legend and layer switch must still be there.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from pathlib import Path

import pytest

import creative_map
from creative_map import Dataset, export, schema
from creative_map.query import Filter, filter_spaces

from .conftest import collection, make_space, old_gallery, puppet_theatre

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    folder = tmp_path_factory.mktemp("data")
    features = [
        make_space(),
        puppet_theatre(plan_item="3.1.2.a"),
        old_gallery(name_vi="Phòng tranh <b>Cũ</b> & “Mới”", plan_item="3.1.2.a"),
        make_space(
            105.8590,
            21.0245,
            id="bao-tang-lich-su",
            name_vi="Bảo tàng Lịch sử Quốc gia",
            name_en="National Museum of Vietnamese History",
            category="museum",
        ),
        make_space(
            105.8420,
            21.0290,
            id="van-mieu",
            name_vi="Văn Miếu – Quốc Tử Giám",
            name_en="Temple of Literature",
            category="heritage",
            district="Quận Đống Đa",
            ward_2025="Phường Văn Miếu - Quốc Tử Giám",
        ),
    ]
    path = folder / "spaces.geojson"
    path.write_text(json.dumps(collection(*features), ensure_ascii=False), encoding="utf-8")
    return creative_map.load(path)


def open_offline(browser, path: Path):
    """Open `path` from disk in a new page where every request but the file itself is aborted."""
    page = browser.new_page(viewport={"width": 1100, "height": 800})
    left: list[tuple[str, str]] = []

    def route(r) -> None:
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            left.append((r.request.resource_type, r.request.url))
            r.abort()

    page.route("**/*", route)
    page.goto(path.as_uri())
    return page, left


# How many spaces the map draws: circles on its canvas (one each), spaces inside clusters, lines and areas.
DRAWN_JS = """() => {
    const map = window.creativeMap && window.creativeMap.maps[0];
    if (!map) return -1;
    let n = 0;
    map.eachLayer(l => {
        if (L.MarkerCluster && l instanceof L.MarkerCluster) n += l.getChildCount();
        else if (l instanceof L.CircleMarker) n += 1;
    });
    return n + document.querySelectorAll('path.cm-shape').length;
}"""


def drawn_spaces(page, expected: int) -> int:
    """Return how many spaces the map draws (circles plus the spaces in clusters, lines and areas), once it has
    drawn `expected` of them or stopped changing for the wait's length (clusters may load in chunks)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with contextlib.suppress(PlaywrightTimeout):  # the caller's assertion reports the count actually drawn
        page.wait_for_function(f"n => ({DRAWN_JS})() === n", arg=expected, timeout=15_000)
    return int(page.evaluate(DRAWN_JS))


@pytest.mark.parametrize(
    ("flt", "lang"),
    [(None, "vi"), (Filter(districts=("hoan kiem",)), "en"), (Filter(categories=("museum", "heritage")), "vi")],
    ids=["all-vi", "hoan-kiem-en", "two-categories"],
)
def test_html_draws_the_filtered_spaces_with_no_network(dataset, browser, tmp_path, flt, lang):
    from playwright.sync_api import expect

    selection = creative_map.select(dataset, flt)
    path = export.export(selection, "html", tmp_path / "map.html", lang=lang, date=dt.date(2026, 11, 27))
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=|<link[^>]+stylesheet", text)  # scripts and styles inlined
    page, left = open_offline(browser, path)
    try:
        assert page.evaluate("typeof L") == "object"  # Leaflet came from the file itself
        expected = len(filter_spaces(dataset.spaces, flt))
        assert drawn_spaces(page, expected) == expected
        expect(page.locator(".leaflet-control-layers")).to_have_count(1)  # layer switch
        shown = set(filter_spaces(dataset.spaces, flt)[schema.CATEGORY])
        legend = next(c for c in schema.CATEGORIES.values() if c.id in shown)
        page.locator("details.cm-legend summary").click()  # closed until opened (issue 14)
        expect(page.get_by_text(legend.label.get(lang), exact=False).first).to_be_visible()
        # Only basemap tiles tried to leave (and were blocked): no script, style or font from elsewhere.
        assert {kind for kind, _ in left} <= {"image"}
    finally:
        page.close()


def test_html_popup_shows_escaped_vietnamese(dataset, browser, tmp_path):
    from playwright.sync_api import expect

    selection = creative_map.select(dataset, Filter(categories=("other",)))
    path = export.export(selection, "html", tmp_path / "map.html", date=dt.date(2026, 11, 27))
    page, _ = open_offline(browser, path)
    try:
        assert drawn_spaces(page, 1) == 1
        x, y = page.evaluate(  # the point is on a canvas: click where it is drawn, as a person would
            """() => {
              const map = window.creativeMap.maps[0];
              let at = null;
              map.eachLayer(l => { if (l instanceof L.CircleMarker) at = map.latLngToContainerPoint(l.getLatLng()); });
              const box = map.getContainer().getBoundingClientRect();
              return [box.left + at.x, box.top + at.y];
            }"""
        )
        page.mouse.click(x, y)
        popup = page.locator(".leaflet-popup-content")
        expect(popup).to_contain_text("Phòng tranh <b>Cũ</b> & “Mới”")  # shown as text, not markup
        assert popup.locator("b", has_text="Cũ").count() == 0
    finally:
        page.close()
