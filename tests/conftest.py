"""Shared fixtures: tiny, hand-made spaces in Hoàn Kiếm with an explicit CRS, and file writers."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Real places in Hoàn Kiếm: positions rounded from the shipped data (enough for the fixtures' purpose).
_BASE: dict[str, Any] = {
    "id": "ho-hoan-kiem",
    "name_vi": "Không gian đi bộ hồ Hoàn Kiếm",
    "name_en": "Hoàn Kiếm Lake walking streets",
    "category": "walking_street",
    "address": "Quanh hồ Hoàn Kiếm",
    "district": "Quận Hoàn Kiếm",
    "ward_2025": "Phường Hoàn Kiếm",
    "status": "active",
    "description_vi": "Các tuyến phố đi bộ quanh hồ Hoàn Kiếm.",
    "description_en": "Streets around Hoàn Kiếm Lake closed to traffic at weekends.",
    "website": "",
    "opening_hours": "Fr-Su 19:00-24:00",
    "plan_item": "3.1.2.a",
    "lead_agency": "UBND quận Hoàn Kiếm",
    "network_member": "unknown",
    "sources": ["Kế hoạch 161/KH-UBND ngày 31/5/2023"],
    "last_verified": "2026-11-27",
    "position_precision": "exact",
}


def make_space(lon: float = 105.8523, lat: float = 21.0288, **props: Any) -> dict[str, Any]:
    """Return a valid space Feature at (`lon`, `lat`) with `props` replacing the base properties."""
    properties = copy.deepcopy(_BASE) | props
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": properties}


def puppet_theatre(**props: Any) -> dict[str, Any]:
    """The Thăng Long Water Puppet Theatre as a fixture space (`props` replace its properties)."""
    base = {
        "id": "nha-hat-mua-roi-thang-long",
        "name_vi": "Nhà hát Múa rối Thăng Long",
        "name_en": "Thang Long Water Puppet Theatre",
        "category": "art_space",
        "plan_item": "3.1.2.b",
        "network_member": "yes",
    }
    return make_space(105.8535, 21.0318, **(base | props))


def old_gallery(**props: Any) -> dict[str, Any]:
    """A closed gallery placed only to its street, as a fixture space (`props` replace its properties)."""
    base = {
        "id": "phong-tranh-cu",
        "name_vi": "Phòng tranh Cũ",
        "name_en": "Old Gallery",
        "category": "other",
        "status": "closed",
        "plan_item": "",
        "position_precision": "street",
    }
    return make_space(105.8470, 21.0300, **(base | props))


def make_event(**props: Any) -> dict[str, Any]:
    """Return a valid event Feature (no geometry) at the Hoàn Kiếm walking streets; `props` replace its properties."""
    base = {
        "id": "le-hoi",
        "name_vi": "Lễ hội",
        "name_en": "Festival",
        "start": "2024-11-09",
        "end": "2024-11-17",
        "space_ids": ["ho-hoan-kiem"],
        "sources": ["https://example.org/festival"],
    }
    return {"type": "Feature", "geometry": None, "properties": base | props}


def collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


@pytest.fixture
def three_spaces() -> dict[str, Any]:
    """Three valid spaces in Hoàn Kiếm: a walking street, a theatre, a closed gallery."""
    return collection(
        make_space(),
        puppet_theatre(address="57B Đinh Tiên Hoàng", lead_agency="Sở Văn hóa và Thể thao", opening_hours=""),
        old_gallery(opening_hours="", sources=["https://example.org/gallery"]),
    )


@pytest.fixture
def write_json(tmp_path: Path):
    """Write a JSON value (or raw bytes/text) to a file in `tmp_path` and return its path."""

    def write(value: Any, name: str = "spaces.geojson") -> Path:
        path = tmp_path / name
        if isinstance(value, bytes):
            path.write_bytes(value)
        elif isinstance(value, str):
            path.write_text(value, encoding="utf-8")
        else:
            path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        return path

    return write


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright, one for the whole run.

    One instance only: while a sync Playwright is open its event loop runs in this thread, so a second
    one started by another module would fail.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


# ------------------------------------------------------------------------------------------------------------
# The suggestion box (creative_map.suggestions): a data folder in the canonical format.
# ------------------------------------------------------------------------------------------------------------

from creative_map.suggestions import canonical  # noqa: E402


def ward_space(**props: Any) -> dict[str, Any]:
    """A space placed only at its ward's centre (what suggestions of an exact position are for)."""
    base = {
        "id": "xuong-gom-ba-trieu",
        "name_vi": "Xưởng gốm Bà Triệu",
        "name_en": "Ba Trieu pottery workshop",
        "category": "art_space",
        "address": "Phố Bà Triệu, Hoàn Kiếm, Hà Nội",
        "opening_hours": "",
        "plan_item": "3.1.2.d",
        "lead_agency": "",
        "sources": ["https://example.org/xuong-gom"],
        "position_precision": "ward",
        "position_note": "centre of the ward",
    }
    return make_space(105.8510, 21.0200, **(base | props))


@pytest.fixture
def suggestion_data(tmp_path: Path, three_spaces: dict[str, Any]) -> Path:
    """A data folder with four spaces (one placed at its ward only) and one event, in the canonical format;
    returns the spaces file."""
    folder = tmp_path / "data"
    folder.mkdir()
    spaces = [*three_spaces["features"], ward_space()]
    (folder / "spaces.geojson").write_text(canonical.dumps(spaces, kind="space"), encoding="utf-8")
    (folder / "events.geojson").write_text(canonical.dumps([make_event()], kind="event"), encoding="utf-8")
    return folder / "spaces.geojson"
