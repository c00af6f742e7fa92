"""The app in a real browser: the map draws with every outside request aborted, filters, search, language,
shared links, map clicks, a phone-sized screen, and the self-contained HTML map from file://.

The map's frame stays: a filter change redraws the points without loading the frame's document again (a mark
set in the frame survives it), the view a person panned and zoomed to is kept, and the spaces' data file is
fetched once. Points are drawn on a canvas: what is drawn is counted from Leaflet's own layers (circles,
cluster sizes) and the line and area paths, and a space is clicked at its place on the map."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from creative_map import load, select
from creative_map.mapping import FOCUS_ZOOM, build_map
from creative_map.query import Filter

from .conftest import MAP_FRAME, map_frame

pytestmark = pytest.mark.e2e

TIMEOUT_MS = 45_000

# Spaces drawn in the map of a document: Leaflet's circles and cluster sizes on the map, plus line and area paths.
DRAWN = """doc => {
  const w = doc.defaultView, map = w.creativeMap && w.creativeMap.maps[0];
  if (!map) return -1;
  let n = 0;
  map.eachLayer(l => {
    if (w.L.MarkerCluster && l instanceof w.L.MarkerCluster) n += l.getChildCount();
    else if (l instanceof w.L.CircleMarker) n += 1;
  });
  return n + doc.querySelectorAll('path.cm-shape').length;
}"""


def expected(data: Path, flt: Filter) -> list[str]:
    return select(load(data), flt).ids


# True when the page shows exactly one map, holding `n` spaces, all drawn (and its legend holds `text`).
ONE_MAP = f"""([n, text]) => {{
  const frames = [...document.querySelectorAll('{MAP_FRAME}')];
  if (frames.length !== 1 || !frames[0].contentDocument) return false;
  const doc = frames[0].contentDocument, el = doc.querySelector('[data-cm-count]');
  const legend = doc.querySelector('.cm-legend');
  return !!el && el.getAttribute('data-cm-count') === String(n) && el.getAttribute('data-cm-drawn') === String(n)
    && ({DRAWN})(doc) === n && (!text || (!!legend && legend.textContent.includes(text)));
}}"""


def settled(page: Any) -> None:
    """Wait until the app's script has finished its run (widgets are not being redrawn)."""
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning", timeout=TIMEOUT_MS)


def wait_for_map(page: Any, count: int, legend: str = "") -> Any:
    """Wait until the page shows one map with `count` spaces, every one drawn; return the map container.

    While a rerun replaces the map, the old and the new map frames are both on the page for a moment;
    this waits for the new one alone.
    """
    page.wait_for_function(ONE_MAP, arg=[count, legend], timeout=TIMEOUT_MS)
    settled(page)
    return map_frame(page).locator("[data-cm-count]")


VIEW = "() => [window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]"


def frame_of(page: Any) -> Any:
    """The map's frame (a Playwright Frame, to evaluate script in)."""
    return page.locator(MAP_FRAME).element_handle().content_frame()


def click_space(page: Any, frame: Any, lat: float, lon: float) -> None:
    """Click the map where the space at (`lat`, `lon`) is drawn, as a person would (the points are on a canvas)."""
    x, y = frame.evaluate(
        """([lat, lon]) => {
          const map = window.creativeMap.maps[0], p = map.latLngToContainerPoint([lat, lon]);
          const box = map.getContainer().getBoundingClientRect();
          return [box.left + p.x, box.top + p.y];
        }""",
        [lat, lon],
    )
    offset = page.locator(MAP_FRAME).bounding_box() if frame != page.main_frame else {"x": 0, "y": 0}
    page.mouse.click(offset["x"] + x, offset["y"] + y)


def test_map_draws_every_space_with_no_third_party_request(app_url: str, open_page, e2e_data: Path) -> None:
    page, blocked = open_page()
    page.goto(app_url)
    n = len(expected(e2e_data, Filter()))
    wait_for_map(page, n)
    expect(page.get_by_text(f"{n} / {n} không gian")).to_be_visible()
    wait_for_map(page, n, legend=f"{n} không gian trên bản đồ")
    assert blocked.non_tiles() == [], "the page asked a third-party server for something else than tiles"
    assert page.errors == []


def test_no_basemap_means_no_outside_request_at_all(app_url: str, open_page, e2e_data: Path) -> None:
    page, blocked = open_page()
    page.goto(f"{app_url}/?basemap=none")
    wait_for_map(page, len(expected(e2e_data, Filter())))
    assert list(blocked) == []


def test_filter_change_redraws_the_map_in_the_same_frame_and_view(app_url: str, open_page, e2e_data: Path) -> None:
    page, _ = open_page()
    data_files: list[str] = []
    page.on("request", lambda r: data_files.append(r.url) if "/app/static/cm/spaces." in r.url else None)
    page.goto(app_url)
    wait_for_map(page, len(expected(e2e_data, Filter())))
    frame = frame_of(page)
    frame.evaluate("() => { window.__cmFrame = 'kept'; window.map.setView([21.029, 105.845], 14, {animate: false}); }")
    view = frame.evaluate(VIEW)
    categories = page.get_by_role("combobox", name="Loại không gian")
    categories.click()
    categories.fill("di sản")
    page.get_by_role("option", name="Không gian sáng tạo di sản, văn hóa").click()
    page.keyboard.press("Escape")
    want = expected(e2e_data, Filter(categories=("heritage",)))
    wait_for_map(page, len(want))
    expect(page.get_by_text(f"{len(want)} / 5 không gian")).to_be_visible()
    assert re.search(r"[?&]cat=heritage", page.url)
    assert frame_of(page).evaluate("() => window.__cmFrame") == "kept"  # the frame's document was not loaded again
    after = frame_of(page).evaluate(VIEW)
    assert after == pytest.approx(view, abs=1e-6)  # panned and zoomed as the person left it
    assert len(data_files) == 1, data_files  # the spaces' rows came once, not with the rerun


def test_search_van_mieu_then_choose_it(app_url: str, open_page, e2e_data: Path) -> None:
    page, _ = open_page()
    page.goto(app_url)
    wait_for_map(page, 5)
    search = page.get_by_role("textbox", name="Tìm theo tên")
    search.fill("van mieu")
    search.press("Enter")
    want = expected(e2e_data, Filter(search="van mieu"))
    assert want == ["van-mieu-quoc-tu-giam"]
    wait_for_map(page, 1)
    chooser = page.get_by_role("combobox", name="Chọn một không gian")
    chooser.click()
    chooser.fill("Văn Miếu")  # typing opens the list, filtered
    page.get_by_role("option", name="Văn Miếu – Quốc Tử Giám").click()
    popup = map_frame(page).locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Văn Miếu – Quốc Tử Giám", timeout=TIMEOUT_MS)
    expect(popup).to_contain_text("Temple of Literature")
    expect(popup).to_contain_text("Lễ hội thư pháp")
    link = popup.get_by_role("link", name="http://vanmieu.gov.vn")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    expect(link).to_have_attribute("target", "_blank")
    expect(page.locator(".cm-details").first).to_contain_text("58 Quốc Tử Giám")
    assert "sel=van-mieu-quoc-tu-giam" in page.url


def test_switch_to_english(app_url: str, open_page) -> None:
    page, _ = open_page()
    page.goto(app_url)
    wait_for_map(page, 5)
    page.get_by_text("English", exact=True).click()
    expect(page.get_by_role("heading", name="Map of Hanoi's creative spaces")).to_be_visible(timeout=TIMEOUT_MS)
    wait_for_map(page, 5, legend="5 spaces on the map")
    expect(page.get_by_text("5 of 5 spaces")).to_be_visible()
    expect(page.get_by_role("combobox", name="Kind of space")).to_be_visible()
    assert "lang=en" in page.url


def test_a_shared_link_reproduces_the_view(app_url: str, open_page, e2e_data: Path) -> None:
    page, _ = open_page()
    page.goto(f"{app_url}/?lang=en&cat=heritage&sel=van-mieu-quoc-tu-giam&bogus=1&status=maybe")
    want = expected(e2e_data, Filter(categories=("heritage",)))
    wait_for_map(page, len(want))
    expect(page.get_by_role("heading", name="Map of Hanoi's creative spaces")).to_be_visible()
    expect(page.get_by_text("Ignored an unknown parameter in the link: bogus")).to_be_visible()
    expect(page.get_by_text("Ignored an invalid value in the link: status=maybe")).to_be_visible()
    popup = map_frame(page).locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Temple of Literature", timeout=TIMEOUT_MS)
    expect(page.locator(".cm-details").first).to_contain_text("Heritage and cultural space")
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    frame.wait_for_function(f"() => window.map.getZoom() === {FOCUS_ZOOM}", timeout=TIMEOUT_MS)  # zoomed to it


def test_clicking_a_marker_selects_the_space(app_url: str, open_page) -> None:
    page, _ = open_page()
    page.goto(f"{app_url}/?cat=art_space&basemap=none")
    wait_for_map(page, 1)
    click_space(page, frame_of(page), 21.0318, 105.8535)  # the puppet theatre (tests/conftest.py)
    expect(page.locator(".cm-details").first).to_contain_text("Thang Long Water Puppet Theatre", timeout=TIMEOUT_MS)
    expect(map_frame(page).locator(".cm-popup-full")).to_contain_text(
        "Thành viên Mạng lưới không gian sáng tạo Hà Nội", timeout=TIMEOUT_MS
    )
    page.wait_for_url(re.compile(r"sel=nha-hat-mua-roi-thang-long"), timeout=TIMEOUT_MS)


def test_html_in_a_name_is_shown_as_text(app_url: str, open_page) -> None:
    page, _ = open_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{app_url}/?cat=museum&sel=html-name&basemap=none")
    wait_for_map(page, 1)
    popup = map_frame(page).locator(".leaflet-popup-content")
    expect(popup).to_contain_text("<b>Xưởng</b>", timeout=TIMEOUT_MS)
    expect(page.locator(".cm-details").first).to_contain_text("<script>document.title='pwned'</script>Workshop")
    marker_title = map_frame(page).locator(".leaflet-marker-icon.cm-selected").get_attribute("title")
    assert marker_title and marker_title.startswith("<img")
    assert "pwned" not in page.title() and dialogs == []
    frame = page.locator(MAP_FRAME).last.element_handle().content_frame()
    assert "pwned" not in frame.title()


def test_phone_width_stays_usable(app_url: str, open_page) -> None:
    page, _ = open_page(390, 844)
    page.goto(app_url)
    wait_for_map(page, 5)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    box = page.locator(MAP_FRAME).bounding_box()
    assert box and box["width"] <= 390 and box["width"] > 300
    legend = map_frame(page).locator(".cm-legend")
    expect(legend).not_to_have_attribute("open", "")  # folded on a small map, so the map stays visible
    search = page.get_by_role("textbox", name="Tìm theo tên")
    search.fill("VĂN MIẾU")
    search.press("Enter")
    wait_for_map(page, 1)


def test_offline_html_map_from_file(tmp_path: Path, open_page, e2e_data: Path) -> None:
    selection = select(load(e2e_data))
    spaces = selection.spaces
    path = tmp_path / "map.html"
    path.write_text(build_map(selection, lang="en", assets="inline").get_root().render(), encoding="utf-8")
    page, blocked = open_page()
    page.goto(path.as_uri())
    container = page.locator(".folium-map")
    expect(container).to_have_attribute("data-cm-count", str(len(spaces)), timeout=TIMEOUT_MS)
    page.wait_for_function(f"n => ({DRAWN})(document) === n", arg=len(spaces))
    click_space(page, page.main_frame, 21.028611, 105.835556)  # the Temple of Literature
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Văn Miếu – Quốc Tử Giám")
    expect(popup).to_contain_text("Calligraphy festival")
    assert blocked.non_tiles() == [] and page.errors == []


def test_download_button_gives_the_filtered_layer(app_url: str, open_page, e2e_data: Path) -> None:
    import json

    page, _ = open_page()
    page.goto(f"{app_url}/?lang=en&cat=heritage")
    want = expected(e2e_data, Filter(categories=("heritage",)))
    wait_for_map(page, len(want))
    page.get_by_role("button", name="Prepare the file").click()
    button = page.get_by_test_id("stDownloadButton").locator("button")
    expect(button).to_have_text("Download creative_map.geojson", timeout=TIMEOUT_MS)
    with page.expect_download(timeout=TIMEOUT_MS) as download:
        button.click()
    collection = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert sorted(f["properties"]["id"] for f in collection["features"]) == sorted(want)
