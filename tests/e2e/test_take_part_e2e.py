"""Taking part, in a real browser (every request leaving 127.0.0.1 aborted), on SQLite and on PostgreSQL:

a visitor opens a space placed only at its ward's centre, follows "Suggest the exact position", drags its
marker, gives an OpenStreetMap node as the source, sends it and reads the reference number; a reviewer logs
in and approves it; the public map shows the space at its new position as exact; the history lists the
revision, and undoing it puts the old position back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from creative_map.suggestions import add_reviewer, open_store

from ..conftest import ward_space
from .conftest import MAP_FRAME, e2e_events, e2e_spaces, map_frame, start_app, stop_app, watch_errors
from .test_app_e2e import click_space

pytestmark = pytest.mark.e2e

TIMEOUT_MS = 45_000
WARD_ID = "xuong-gom-ba-trieu"
WARD_POSITION = (21.02, 105.851)
OSM = "https://www.openstreetmap.org/node/2345678901"
PASSWORD = "a long password for lan"
REFERENCE = re.compile(r"CM-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")

# (lat, lng) of the selected space's marker on the public map, and whether it is drawn as not exact.
SELECTED = """() => {
  for (const layer of Object.values(window.map._layers)) {
    const icon = layer.options && layer.options.icon && layer.options.icon.options;
    if (icon && /cm-selected/.test(icon.className || "")) {
      const p = layer.getLatLng();
      return [p.lat, p.lng, /cm-approx/.test(icon.className)];
    }
  }
  return null;
}"""
# The labels of the two positions, and whether each lies inside the map.
LABELS = """() => {
  const map = document.querySelector('.leaflet-container').getBoundingClientRect();
  return [...document.querySelectorAll('.leaflet-tooltip')].map(t => {
    const r = t.getBoundingClientRect();
    return [t.textContent, r.left >= map.left && r.right <= map.right && r.top >= map.top && r.bottom <= map.bottom];
  });
}"""
# (lat, lng) of the draggable marker of the Suggest page's map.
PROPOSED = """() => {
  for (const layer of Object.values(window.map._layers)) {
    if (layer.options && layer.options.draggable) { const p = layer.getLatLng(); return [p.lat, p.lng]; }
  }
  return null;
}"""


@pytest.fixture
def take_part_app(store_url: str, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The app on a copy of the e2e data plus a space placed at its ward's centre, with a store (SQLite, or a
    PostgreSQL database) holding one reviewer, "lan"; yields its URL and the spaces file."""
    folder = tmp_path / "data"
    folder.mkdir()
    spaces = e2e_spaces()
    spaces["features"].append(ward_space())
    (folder / "spaces.geojson").write_text(json.dumps(spaces, ensure_ascii=False), encoding="utf-8")
    (folder / "events.geojson").write_text(json.dumps(e2e_events(), ensure_ascii=False), encoding="utf-8")
    store = open_store(store_url)
    add_reviewer(store, "lan", PASSWORD)
    store.close()
    proc, url = start_app(folder / "spaces.geojson", tmp_path / "streamlit.log", env={"CREATIVE_MAP_DB": store_url})
    try:
        yield url, folder / "spaces.geojson"
    finally:
        stop_app(proc)


def map_js(page: Any, script: str) -> Any:
    """Evaluate `script` in the page's map frame, once the map exists."""
    frame = page.locator(MAP_FRAME).last.element_handle().content_frame()
    frame.wait_for_function("() => !!window.map", timeout=TIMEOUT_MS)
    return frame.evaluate(script)


def selected_marker(page: Any, url: str) -> Any:
    """Open the public map on the ward-level space and return (lat, lng, drawn as not exact)."""
    page.goto(f"{url}/?sel={WARD_ID}&basemap=none")
    expect(map_frame(page).locator(".cm-popup-full")).to_contain_text("Xưởng gốm Bà Triệu", timeout=TIMEOUT_MS)
    return map_js(page, SELECTED)


def test_a_visitor_places_a_space_a_reviewer_approves_then_undoes_it(take_part_app, open_page) -> None:
    url, _ = take_part_app
    page, blocked = open_page(1280, 1000)

    # A visitor searches the space, opens it and follows the invitation of its popup (a new tab).
    page.goto(f"{url}/?q=gom&basemap=none")
    frame = page.locator(MAP_FRAME).last.element_handle(timeout=TIMEOUT_MS).content_frame()
    frame.wait_for_function(  # the one space found is drawn (a circle on the map's canvas)
        "() => { const el = document.querySelector('[data-cm-count]');"
        " return !!el && el.getAttribute('data-cm-count') === '1' && el.getAttribute('data-cm-drawn') === '1'; }",
        timeout=TIMEOUT_MS,
    )
    click_space(page, frame, *WARD_POSITION)  # where it is drawn, as a person would
    popup = map_frame(page).locator(".cm-popup-full")
    expect(popup).to_contain_text("Bạn biết chính xác nơi này ở đâu?", timeout=TIMEOUT_MS)
    invitation = popup.get_by_role("link", name="Góp ý vị trí chính xác")
    expect(invitation).to_have_attribute("target", "_blank")
    with page.context.expect_page(timeout=TIMEOUT_MS) as opened:
        invitation.click()
    form = watch_errors(opened.value)
    expect(form.get_by_role("heading", name="Góp ý cho bản đồ")).to_be_visible(timeout=TIMEOUT_MS)
    assert f"space={WARD_ID}" in form.url
    expect(form.get_by_text("Vị trí của không gian này chưa chính xác")).to_be_visible()

    # ... drags the marker of the space to the building ...
    picker = map_frame(form).locator(".cm-pos-new")
    expect(picker).to_be_visible(timeout=TIMEOUT_MS)
    form.locator(MAP_FRAME).evaluate("el => el.scrollIntoView({block: 'center'})")
    box = picker.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    form.mouse.move(x, y)
    form.mouse.down()
    form.mouse.move(x + 40, y - 30, steps=6)
    form.mouse.move(x + 90, y - 60, steps=6)
    form.mouse.up()
    coords = form.get_by_role("textbox", name="Hoặc nhập tọa độ (vĩ độ, kinh độ)")
    expect(coords).not_to_have_value("", timeout=TIMEOUT_MS)  # the drop point reached Python
    lat, lng = map_js(form, PROPOSED)
    assert coords.input_value() == f"{lat:.6f}, {lng:.6f}"
    assert (lat, lng) != WARD_POSITION and abs(lat - WARD_POSITION[0]) < 0.005 and abs(lng - WARD_POSITION[1]) < 0.005

    # ... the hidden field is out of sight, out of the tab order and out of the accessibility tree ...
    trap = form.locator(".st-key-sg_trap")
    expect(trap).to_have_attribute("aria-hidden", "true")
    expect(trap.locator("input")).to_have_attribute("tabindex", "-1")
    assert trap.bounding_box()["x"] < -1000
    assert form.get_by_role("textbox", name="Để trống ô này").count() == 0

    # ... gives an OpenStreetMap node as the source and sends it.
    form.get_by_role("textbox", name=re.compile("^Địa chỉ trang công khai")).fill(OSM)
    form.get_by_role("button", name="Gửi góp ý").click()
    sent = form.get_by_text(re.compile(r"Mã số của bạn: CM-"))
    expect(sent).to_be_visible(timeout=TIMEOUT_MS)
    expect(sent).to_contain_text("chờ cán bộ duyệt")
    expect(form.get_by_role("button", name="Gửi góp ý", exact=True)).to_have_count(0)  # sent once: the form is gone
    reference = REFERENCE.search(sent.text_content()).group(0)

    # A reviewer logs in and approves it.
    review = watch_errors(page.context.new_page())
    review.goto(f"{url}/review")
    review.get_by_role("textbox", name="Tên người duyệt").fill("lan")
    review.get_by_role("textbox", name="Mật khẩu").fill(PASSWORD)
    review.get_by_role("button", name="Đăng nhập").click()
    expect(review.get_by_role("heading", name=re.compile(re.escape(reference)))).to_be_visible(timeout=TIMEOUT_MS)
    expect(map_frame(review).locator(".cm-pos-now")).to_be_visible(timeout=TIMEOUT_MS)  # both positions, one map
    expect(map_frame(review).locator(".cm-pos-new")).to_be_visible()
    labels = map_js(review, LABELS)  # each position labelled, inside the map
    assert [text for text, _ in labels] == ["Vị trí hiện tại", "Vị trí đề xuất"] and all(
        labels_in for _, labels_in in labels
    )
    expect(review.get_by_role("link", name=OSM)).to_have_attribute("rel", "noopener noreferrer")
    review.get_by_role("button", name="Duyệt và đưa lên bản đồ").click()
    expect(review.get_by_text("Đã duyệt: bản sửa đổi 1.")).to_be_visible(timeout=TIMEOUT_MS)

    # The public map shows the space at its new position, as exact.
    new_lat, new_lng, approximate = selected_marker(page, url)
    assert (round(new_lat, 6), round(new_lng, 6)) == (round(lat, 6), round(lng, 6)) and not approximate
    expect(page.locator(".cm-details").first).to_contain_text("Vị trí chính xác")
    expect(page.locator(".cm-details").first).not_to_contain_text("Góp ý vị trí chính xác")

    # The history lists the revision; undoing it puts the old position back.
    review.get_by_role("tab", name="Lịch sử và hoàn tác").click()
    chooser = review.get_by_role("combobox", name="Lịch sử của")
    chooser.click()
    chooser.fill("gốm")
    review.get_by_role("option", name="Xưởng gốm Bà Triệu").click()
    expect(review.get_by_text("Bản sửa đổi 1", exact=True)).to_be_visible(timeout=TIMEOUT_MS)
    expect(review.get_by_text(f"theo góp ý {reference}")).to_be_visible()
    review.get_by_role("button", name="Hoàn tác bản sửa đổi 1").click()
    expect(review.get_by_text("Đã hoàn tác bản sửa đổi 1 (bản sửa đổi mới 2).")).to_be_visible(timeout=TIMEOUT_MS)
    old_lat, old_lng, approximate = selected_marker(page, url)
    assert (old_lat, old_lng) == WARD_POSITION and approximate

    assert blocked.non_tiles() == []
    assert page.errors == form.errors == review.errors == []
