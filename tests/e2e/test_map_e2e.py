"""Inside the map (issue 14, points 2-5, 7-9), in Chromium with every outside request aborted (so no basemap tile
ever loads): the offline HTML map from ``file://``, the app's map and the static site.

- Readable without tiles: the map says it has none, names only what it shows (no OpenStreetMap credit, the
  boundaries' source), draws the unit boundaries (the app: its default layer) and labels the units where the
  names fit, never one label over another.
- On a phone (390x844) the popup, its close button and its title stay inside the map, clear of the zoom
  buttons; the attribution does not cover the scale bar.
- Picking a space keeps the zoom the person chose; the legend is closed until opened; spaces 0.4 m apart are
  drawn apart at the highest zoom and each can be clicked; the units of the filter are outlined.
- Popups carry directions (OpenStreetMap, Google Maps) and "copy link", which copies the space's address or,
  when the clipboard is refused, selects it in a field.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

import creative_map
from creative_map import export, site
from creative_map.events import hanoi_today

from ..conftest import ROOT
from .conftest import MAP_FRAME, map_frame, start_app, stop_app

pytestmark = pytest.mark.e2e

TIMEOUT_MS = 45_000
PHONE = (390, 844)
DESKTOP = (1280, 800)
SHIPPED = ROOT / "data" / "spaces.geojson"
TEMPLE = ("van-mieu-quoc-tu-giam", 21.028611, 105.835556)
CRAFT_LINK = "craft-link-van-mieu"  # 0.4 m from the Temple of Literature in the shipped data

# The boxes (viewport coordinates) of elements of a map's document; null for an absent one.
BOXES = """sels => sels.map(s => {
  const e = document.querySelector(s);
  if (!e) return null;
  const r = e.getBoundingClientRect();
  return {x: r.left, y: r.top, right: r.right, bottom: r.bottom};
})"""


def inside(inner: dict[str, float], outer: dict[str, float], slack: float = 0.5) -> bool:
    return (
        inner["x"] >= outer["x"] - slack
        and inner["y"] >= outer["y"] - slack
        and inner["right"] <= outer["right"] + slack
        and inner["bottom"] <= outer["bottom"] + slack
    )


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["x"] < b["right"] and b["x"] < a["right"] and a["y"] < b["bottom"] and b["y"] < a["bottom"]


@pytest.fixture(scope="module")
def offline_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The offline HTML map (the export) of the shipped data, in English."""
    path = tmp_path_factory.mktemp("offline") / "map.html"
    selection = creative_map.select(creative_map.load(SHIPPED))
    path.write_bytes(export.download(selection, "html", lang="en", date=hanoi_today()).data)
    return path


def open_offline(open_page: Any, path: Path, size: tuple[int, int], suffix: str = "", init: str = "") -> Any:
    page, blocked = open_page(*size)
    if init:
        page.add_init_script(init)
    page.goto(path.as_uri() + suffix)
    expect(page.locator(".folium-map")).to_have_attribute("data-cm-tiles", "none", timeout=TIMEOUT_MS)
    page.blocked = blocked
    return page


def drawn_at(frame: Any, space_id: str) -> list[float]:
    """Where the point of `space_id` is drawn, in the map's container (its spread place at a high zoom)."""
    return frame.evaluate(
        """id => {
          const map = window.creativeMap.maps[0];
          let at = null;
          map.eachLayer(l => {
            if (l instanceof L.CircleMarker && l.feature && l.feature.properties.id === id) {
              const p = map.layerPointToContainerPoint(l._point);
              at = [p.x, p.y];
            }
          });
          return at;
        }""",
        space_id,
    )


def click_at(page: Any, frame: Any, point: list[float]) -> None:
    """Click the map at `point` (in its container), as a person would (the points are on a canvas). The app's
    frame is scrolled into the page's view first; nothing inside the frame is scrolled."""
    if frame == page.main_frame:
        box = page.locator(".leaflet-container").first.bounding_box()
    else:
        page.locator(MAP_FRAME).scroll_into_view_if_needed()
        outer = page.locator(MAP_FRAME).bounding_box()
        inner = frame.evaluate(
            "() => { const r = window.map.getContainer().getBoundingClientRect(); return [r.left, r.top]; }"
        )
        box = {"x": outer["x"] + inner[0], "y": outer["y"] + inner[1]}
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])


def labels_apart(frame: Any) -> tuple[int, list[dict[str, float]]]:
    """The number of unit labels drawn, and their boxes."""
    boxes = frame.evaluate(
        """() => [...document.querySelectorAll('.cm-unit-label span')].map(e => {
          const r = e.getBoundingClientRect();
          return {x: r.left, y: r.top, right: r.right, bottom: r.bottom};
        })"""
    )
    return len(boxes), boxes


# ---------------------------------------------------------------------------------------- without tiles


@pytest.mark.parametrize("size", [PHONE, DESKTOP])
def test_without_tiles_the_offline_map_is_read_by_its_labelled_units(open_page, offline_map, size):
    page = open_offline(open_page, offline_map, size)
    attribution = page.locator(".leaflet-control-attribution")
    expect(attribution).to_contain_text("Lam Ngoc Khuong (MIT)")  # the boundaries drawn, credited
    expect(attribution).not_to_contain_text("OpenStreetMap")  # no tile loaded: not credited
    assert page.locator("path.cm-unit").count() > 0
    page.wait_for_function("() => +document.querySelector('[data-cm-labels]').getAttribute('data-cm-labels') > 0")
    n, boxes = labels_apart(page.main_frame)
    assert n >= 3
    assert not any(overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :]), boxes
    (map_box,) = page.evaluate(BOXES, [".folium-map"])
    assert all(inside(b, map_box, slack=8) for b in boxes)
    # Closer in, the smaller units' names fit too; still none over another.
    names = set(page.locator(".cm-unit-label").all_text_contents())
    page.evaluate("() => { creativeMap.maps[0].setView([21.03, 105.85], 13, {animate: false}); }")
    page.wait_for_function(
        "names => [...document.querySelectorAll('.cm-unit-label')].some(e => !names.includes(e.textContent))",
        arg=sorted(names),
    )
    _, boxes = labels_apart(page.main_frame)
    assert not any(overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    assert page.errors == []


def test_the_tiles_credit_comes_back_when_a_tile_loads(open_page, offline_map):
    """The credit follows what is shown: here a tile is served (a blank image) and OpenStreetMap is named."""
    page, _ = open_page(*DESKTOP)
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
        b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    page.context.unroute("**/*")
    page.context.route("https://tile.openstreetmap.org/**", lambda r: r.fulfill(body=png, content_type="image/png"))
    page.goto(offline_map.as_uri())
    expect(page.locator(".folium-map")).to_have_attribute("data-cm-tiles", "ok", timeout=TIMEOUT_MS)
    expect(page.locator(".leaflet-control-attribution")).to_contain_text("OpenStreetMap")


# ----------------------------------------------------------------------------------------- phone popup


def assert_popup_fits(frame: Any) -> None:
    boxes = frame.evaluate(
        BOXES,
        [
            ".leaflet-container",
            ".leaflet-popup-content-wrapper",
            ".leaflet-popup-close-button",
            ".leaflet-popup .cm-name",
            ".leaflet-control-zoom",
            ".leaflet-control-attribution",
            ".leaflet-control-scale",
            ".leaflet-top.leaflet-right .leaflet-control",
        ],
    )
    map_box, popup, close, title, zoom, attribution, scale, switch = boxes
    assert popup and inside(popup, map_box), (popup, map_box)
    assert close and inside(close, map_box), (close, map_box)
    assert title and not overlap(title, zoom), (title, zoom)
    assert not overlap(attribution, scale), (attribution, scale)
    assert not switch or not overlap(close, switch), (close, switch)  # the layer switch leaves the close button


def test_on_a_phone_the_offline_popup_fits_inside_the_map(open_page, offline_map):
    page = open_offline(open_page, offline_map, PHONE)
    page.evaluate(f"() => {{ creativeMap.maps[0].setView([{TEMPLE[1]}, {TEMPLE[2]}], 15, {{animate: false}}); }}")
    page.wait_for_timeout(100)  # the canvas redraws on the next frame
    click_at(page, page.main_frame, drawn_at(page.main_frame, TEMPLE[0]))
    expect(page.locator(".leaflet-popup")).to_be_visible()
    page.wait_for_timeout(400)  # the popup's pan into view
    assert_popup_fits(page.main_frame)


def test_on_a_phone_a_linked_offline_popup_fits_inside_the_map(open_page, offline_map):
    page = open_offline(open_page, offline_map, PHONE, suffix=f"#sel={CRAFT_LINK}")
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Craft Link")
    page.wait_for_timeout(400)
    assert_popup_fits(page.main_frame)


# ------------------------------------------------------------------------------------------------ legend


@pytest.mark.parametrize("size", [PHONE, DESKTOP])
def test_the_legend_is_closed_until_opened(open_page, offline_map, size):
    page = open_offline(open_page, offline_map, size)
    legend = page.locator("details.cm-legend")
    expect(legend).not_to_have_attribute("open", "")
    legend.locator("summary").click()
    expect(legend).to_have_attribute("open", "")
    expect(legend).to_contain_text("Museum")


# -------------------------------------------------------------------------------------- spaces at one place


def test_spaces_at_one_place_are_drawn_apart_and_each_is_clicked(open_page, offline_map):
    page = open_offline(open_page, offline_map, DESKTOP)
    page.evaluate(f"() => {{ creativeMap.maps[0].setView([{TEMPLE[1]}, {TEMPLE[2]}], 19, {{animate: false}}); }}")
    page.wait_for_timeout(100)
    temple, craft = drawn_at(page.main_frame, TEMPLE[0]), drawn_at(page.main_frame, CRAFT_LINK)
    assert ((temple[0] - craft[0]) ** 2 + (temple[1] - craft[1]) ** 2) ** 0.5 >= 18  # two circles' widths apart
    click_at(page, page.main_frame, craft)
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Craft Link")
    page.wait_for_timeout(400)
    temple = drawn_at(page.main_frame, TEMPLE[0])
    hidden = page.evaluate(
        """([x, y]) => { const b = document.querySelector('.folium-map').getBoundingClientRect();
          return !document.elementFromPoint(b.left + x, b.top + y).closest('canvas'); }""",
        temple,
    )
    assert not hidden, "the popup of one hides the other"
    click_at(page, page.main_frame, temple)
    expect(popup).to_contain_text("Văn Miếu – Quốc Tử Giám")


# ----------------------------------------------------------------------------------------- popup links


FAKE_CLIPBOARD = """
Object.defineProperty(navigator, 'clipboard', {configurable: true, value: {
  writeText: t => { window.__copied = t; return Promise.resolve(); }}});
"""
REFUSED_CLIPBOARD = """
Object.defineProperty(navigator, 'clipboard', {configurable: true, value: {
  writeText: t => Promise.reject(new DOMException('refused', 'NotAllowedError'))}});
"""


def open_temple(open_page: Any, path: Path, init: str) -> Any:
    page = open_offline(open_page, path, DESKTOP, suffix=f"#sel={TEMPLE[0]}", init=init)
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Temple of Literature")  # #sel= opens it
    return page


def test_popup_links_give_directions_and_copy_the_space_s_address(open_page, offline_map):
    page = open_temple(open_page, offline_map, FAKE_CLIPBOARD)
    popup = page.locator(".leaflet-popup-content")
    to = f"{round(TEMPLE[1], 5)},{round(TEMPLE[2], 5)}"
    osm = popup.get_by_role("link", name="Directions (OpenStreetMap)")
    expect(osm).to_have_attribute("href", f"https://www.openstreetmap.org/directions?to={to}")
    google = popup.get_by_role("link", name="Directions (Google Maps)")
    expect(google).to_have_attribute("href", f"https://www.google.com/maps/dir/?api=1&destination={to}")
    for link in (osm, google):
        expect(link).to_have_attribute("target", "_blank")
        expect(link).to_have_attribute("rel", "noopener noreferrer")
    popup.get_by_role("button", name="Copy link").click()
    expect(popup.locator(".cm-copied")).to_have_text("Link copied.")
    assert page.evaluate("() => window.__copied") == offline_map.as_uri() + f"#sel={TEMPLE[0]}"


def test_copy_link_selects_the_address_when_the_clipboard_is_refused(open_page, offline_map):
    page = open_temple(open_page, offline_map, REFUSED_CLIPBOARD)
    popup = page.locator(".leaflet-popup-content")
    popup.get_by_role("button", name="Copy link").click()
    field = popup.locator("input.cm-copy-field")
    expect(field).to_have_value(offline_map.as_uri() + f"#sel={TEMPLE[0]}")
    assert page.evaluate("() => document.activeElement.classList.contains('cm-copy-field')")
    selected = page.evaluate("() => { const f = document.activeElement; return f.selectionEnd - f.selectionStart; }")
    assert selected == len(offline_map.as_uri() + f"#sel={TEMPLE[0]}")


# -------------------------------------------------------------------------------------------- the app


def app_frame(page: Any) -> Any:
    return page.locator(MAP_FRAME).element_handle().content_frame()


def wait_ready(page: Any) -> Any:
    frame = map_frame(page)
    expect(frame.locator("[data-cm-state=ready]")).to_be_attached(timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning", timeout=TIMEOUT_MS)
    return frame


def test_app_without_tiles_draws_its_unit_layer_labelled(app_url, open_page):
    page, _ = open_page(*DESKTOP)
    page.goto(f"{app_url}/?lang=en")  # OpenStreetMap tiles chosen, none loads; no unit layer chosen
    frame = wait_ready(page)
    expect(frame.locator("[data-cm-tiles=none]")).to_be_attached(timeout=TIMEOUT_MS)
    expect(frame.locator("path.cm-unit").first).to_be_attached(timeout=TIMEOUT_MS)  # the 2025 wards
    attribution = frame.locator(".leaflet-control-attribution")
    expect(attribution).to_contain_text("Lam Ngoc Khuong (MIT)")
    expect(attribution).not_to_contain_text("OpenStreetMap")
    expect(frame.locator(".cm-unit-label").first).to_be_attached(timeout=TIMEOUT_MS)
    _, boxes = labels_apart(app_frame(page))
    assert not any(overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def test_app_outlines_the_units_the_filter_chose(app_url, open_page):
    page, _ = open_page(*DESKTOP)
    page.goto(f"{app_url}/?lang=en&basemap=none&district=" + quote("Quận Đống Đa"))
    frame = wait_ready(page)
    expect(frame.locator("path.cm-unit-hl")).to_have_count(1, timeout=TIMEOUT_MS)
    page.goto(
        f"{app_url}/?lang=en&basemap=none&units=ward_2025&layer=ward_2025&ward="
        + quote("Phường Văn Miếu - Quốc Tử Giám")
    )
    frame = wait_ready(page)
    expect(frame.locator("path.cm-unit-hl")).to_have_count(1, timeout=TIMEOUT_MS)
    app_frame(page).evaluate("() => { window.map.setView([21.0286, 105.8355], 14, {animate: false}); }")
    expect(frame.locator(".cm-unit-label.cm-unit-hl")).to_have_count(1)  # named, in its colour, though large


def test_app_picking_a_space_keeps_the_zoom(app_url, open_page):
    page, _ = open_page(*DESKTOP)
    page.goto(f"{app_url}/?cat=art_space&basemap=none")
    wait_ready(page)
    frame = app_frame(page)
    frame.evaluate("() => { window.map.setView([21.0318, 105.8535], 13, {animate: false}); }")
    page.wait_for_timeout(100)
    click_at(page, frame, drawn_at(frame, "nha-hat-mua-roi-thang-long"))
    expect(map_frame(page).locator(".cm-popup-full")).to_contain_text("Thang Long", timeout=TIMEOUT_MS)
    page.wait_for_url("**sel=nha-hat-mua-roi-thang-long**", timeout=TIMEOUT_MS)
    assert app_frame(page).evaluate("() => window.map.getZoom()") == 13  # not 16


def test_app_popup_fits_a_phone_s_map(app_url, open_page):
    page, _ = open_page(*PHONE)
    page.goto(f"{app_url}/?lang=en&sel={TEMPLE[0]}")
    wait_ready(page)
    frame = map_frame(page)
    expect(frame.locator(".cm-popup-full")).to_contain_text("Temple of Literature", timeout=TIMEOUT_MS)
    expect(frame.locator("details.cm-legend")).not_to_have_attribute("open", "")
    page.locator(MAP_FRAME).scroll_into_view_if_needed()
    page.wait_for_timeout(500)  # the popup's pan into view
    assert_popup_fits(app_frame(page))
    links = frame.locator(".cm-popup-full .cm-links")
    expect(links.get_by_role("link", name="Directions (Google Maps)")).to_have_attribute("rel", "noopener noreferrer")
    expect(links.get_by_role("button", name="Copy link")).to_be_visible()


# ------------------------------------------------------------------------------------------- the site


def test_the_site_s_popup_links_and_closed_legend(open_page, tmp_path):
    selection = creative_map.select(creative_map.load(SHIPPED))
    site.write_site(selection, tmp_path / "site", precompress=False)
    page, _ = open_page(*PHONE)
    page.add_init_script(FAKE_CLIPBOARD)
    page.goto((tmp_path / "site" / "en" / "index.html").as_uri() + f"#sel={TEMPLE[0]}")
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Temple of Literature", timeout=TIMEOUT_MS)
    expect(page.locator("details.cm-legend")).not_to_have_attribute("open", "")
    to = f"{round(TEMPLE[1], 5)},{round(TEMPLE[2], 5)}"
    expect(popup.get_by_role("link", name="Directions (OpenStreetMap)")).to_have_attribute(
        "href", f"https://www.openstreetmap.org/directions?to={to}"
    )
    popup.get_by_role("button", name="Copy link").click()
    expect(popup.locator(".cm-copied")).to_have_text("Link copied.")
    assert f"sel={TEMPLE[0]}" in page.evaluate("() => window.__copied")
    page.wait_for_timeout(400)
    assert_popup_fits(page.main_frame)
    expect(page.locator(".leaflet-control-attribution")).not_to_contain_text("OpenStreetMap")


@pytest.fixture(scope="module")
def shipped_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on the shipped data (Craft Link 0.4 m from the Temple of Literature)."""
    proc, url = start_app(SHIPPED, tmp_path_factory.mktemp("shipped-app") / "streamlit.log")
    try:
        yield url
    finally:
        stop_app(proc)


VISIBLE_ON_CANVAS = """([x, y]) => {
  const b = window.map.getContainer().getBoundingClientRect(), e = document.elementFromPoint(b.left + x, b.top + y);
  return !!e && e.tagName === 'CANVAS';
}"""


def test_app_a_selected_space_hides_no_space_beside_it(shipped_app, open_page):
    page, _ = open_page(*DESKTOP)
    page.goto(f"{shipped_app}/?lang=en&basemap=none&sel={CRAFT_LINK}")
    frame = wait_ready(page)
    expect(frame.locator(".cm-popup-full")).to_contain_text("Craft Link", timeout=TIMEOUT_MS)
    app_frame(page).evaluate(f"() => {{ window.map.setView([{TEMPLE[1]}, {TEMPLE[2]}], 19, {{animate: false}}); }}")
    page.wait_for_timeout(200)
    temple = drawn_at(app_frame(page), TEMPLE[0])
    assert app_frame(page).evaluate(VISIBLE_ON_CANVAS, temple), "the selected space hides the one beside it"
    click_at(page, app_frame(page), temple)
    expect(frame.locator(".cm-popup-full")).to_contain_text("Temple of Literature", timeout=TIMEOUT_MS)
    page.wait_for_url(f"**sel={TEMPLE[0]}**", timeout=TIMEOUT_MS)
    assert app_frame(page).evaluate("() => window.map.getZoom()") == 19  # the zoom stays
    page.wait_for_timeout(500)
    craft = drawn_at(app_frame(page), CRAFT_LINK)
    assert app_frame(page).evaluate(VISIBLE_ON_CANVAS, craft), "after the selection, the other is hidden"
