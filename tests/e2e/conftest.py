"""End-to-end fixtures: the real app (`streamlit run`) in Debian's Chromium, driven by Playwright.

Every request that leaves 127.0.0.1 is aborted (and recorded), so a passing test proves the page needs no
third-party server: only basemap tiles are ever asked for outside, and the map draws without them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from creative_map.mapping import TILES

from ..conftest import ROOT, collection, make_space, old_gallery, puppet_theatre

playwright_api = pytest.importorskip("playwright.sync_api")

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
START_TIMEOUT_S = 60.0


def e2e_spaces() -> dict[str, Any]:
    """Five spaces: three in Hoàn Kiếm, the Temple of Literature, and one whose name is HTML."""
    return collection(
        make_space(),
        puppet_theatre(),
        old_gallery(),
        make_space(
            105.835556,
            21.028611,
            id="van-mieu-quoc-tu-giam",
            name_vi="Văn Miếu – Quốc Tử Giám",
            name_en="Temple of Literature",
            category="heritage",
            address="58 Quốc Tử Giám",
            district="Quận Đống Đa",
            ward_2025="Phường Văn Miếu - Quốc Tử Giám",
            website="http://vanmieu.gov.vn",
            plan_item="3.1.2.b",
        ),
        make_space(
            105.8500,
            21.0270,
            id="html-name",
            name_vi="<img src=x onerror=\"document.title='pwned'\"><b>Xưởng</b>",
            name_en="<script>document.title='pwned'</script>Workshop",
            category="museum",
            plan_item="",
            position_precision="ward",
        ),
    )


def e2e_events() -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": None,
                "properties": {
                    "id": "le-hoi-van-mieu",
                    "name_vi": "Lễ hội thư pháp",
                    "name_en": "Calligraphy festival",
                    "start": "2026-01-10",
                    "end": "2026-01-12",
                    "space_ids": ["van-mieu-quoc-tu-giam"],
                    "sources": ["https://example.org/festival"],
                },
            }
        ],
    }


@pytest.fixture(scope="session")
def e2e_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("e2e-data")
    (folder / "spaces.geojson").write_text(json.dumps(e2e_spaces(), ensure_ascii=False), encoding="utf-8")
    (folder / "events.geojson").write_text(json.dumps(e2e_events(), ensure_ascii=False), encoding="utf-8")
    return folder / "spaces.geojson"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:  # local only
            return bool(response.status == 200)
    except OSError:
        return False


def start_app(
    data: Path,
    log: Path,
    *,
    script: Path = ROOT / "app.py",
    env: dict[str, str] | None = None,
    base_path: str = "",
) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``streamlit run app.py`` on a free port with `data` (and the settings `env`, under the URL path
    `base_path` if given: ``--server.baseUrlPath``); return the process and its URL when healthy."""
    port = _free_port()
    env = {**os.environ, "CREATIVE_MAP_DATA": str(data), **(env or {})}
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless=true",
        f"--server.port={port}",
        "--server.address=127.0.0.1",
        "--browser.gatherUsageStats=false",
        "--server.fileWatcherType=none",
        *([f"--server.baseUrlPath={base_path}"] if base_path else []),
    ]
    with log.open("wb") as out:  # the child keeps its own copy of the file descriptor
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}" + (f"/{base_path}" if base_path else "")
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}: {log.read_text(errors='replace')[-2000:]}")
        if _healthy(url):
            return proc, url
        time.sleep(0.2)  # polling a process that is starting, not waiting in a test
    stop_app(proc)
    raise RuntimeError(f"streamlit did not answer on {url} within {START_TIMEOUT_S} s")


def stop_app(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server by its process id (its own process group: nothing else is touched)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


@pytest.fixture(scope="session")
def app_url(e2e_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on the e2e fixture data."""
    proc, url = start_app(e2e_data, tmp_path_factory.mktemp("logs") / "streamlit.log")
    try:
        yield url
    finally:
        stop_app(proc)


class Blocked(list[str]):
    """The URLs the page asked for outside this machine (all aborted)."""

    def non_tiles(self) -> list[str]:
        tile_hosts = {urlsplit(v.url.replace("{s}", "a")).hostname for v in TILES.values() if v}
        tile_hosts |= {h.replace("a.", f"{s}.", 1) for h in tile_hosts if h for s in "bcd"}
        return [u for u in self if urlsplit(u).hostname not in tile_hosts]


OUTSIDE = re.compile(r"^(?:https?|wss?)://(?!(?:127\.0\.0\.1|localhost)(?::\d+)?/)")
"""Any address not on this machine. Matched by Playwright itself, so local requests never wait for Python."""


def _guard(context: Any, blocked: Blocked) -> None:
    """Abort every request leaving 127.0.0.1 from any page of `context` (tabs a link opens included)."""

    def handle(route: Any) -> None:
        blocked.append(route.request.url)
        route.abort()

    context.route(OUTSIDE, handle)


def watch_errors(page: Any) -> Any:
    """Record the page's uncaught script errors in ``page.errors``; return the page."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors
    return page


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[..., tuple[Any, Blocked]]]:
    """Open a page (viewport `width` x `height`) with every request leaving 127.0.0.1 aborted."""
    contexts: list[Any] = []

    def make(width: int = 1280, height: int = 900) -> tuple[Any, Blocked]:
        context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
        contexts.append(context)
        blocked = Blocked()
        _guard(context, blocked)
        return watch_errors(context.new_page()), blocked

    yield make
    for context in contexts:
        context.close()


def map_frame(page: Any) -> Any:
    return page.frame_locator(MAP_FRAME)


# ------------------------------------------------------------------------------------------------------------
# The pages of issue 14 (What's on, Numbers ...): the e2e spaces with events on every side of today.
# ------------------------------------------------------------------------------------------------------------


def dated_events(today: dt.date) -> dict[str, Any]:
    """Events on every side of `today`: on now, later this month (when the month has days left), next month, past."""

    def event(event_id: str, start: dt.date, end: dt.date, space_ids: list[str], **props: Any) -> dict[str, Any]:
        properties = {
            "id": event_id,
            "name_vi": f"Sự kiện {event_id}",
            "name_en": f"Event {event_id}",
            "start": start.isoformat(),
            "end": end.isoformat(),
            "space_ids": space_ids,
            "sources": ["https://example.org/events"],
        }
        return {"type": "Feature", "geometry": None, "properties": properties | props}

    next_month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=3)
    found = [
        event("now", today - dt.timedelta(days=1), today + dt.timedelta(days=2), ["van-mieu-quoc-tu-giam"]),
        event("next-month", next_month, next_month, ["ho-hoan-kiem", "nha-hat-mua-roi-thang-long"],
              website="https://example.org/next"),
        event("past", dt.date(2024, 11, 9), dt.date(2024, 11, 17), ["ho-hoan-kiem"]),
    ]  # fmt: skip
    later = today + dt.timedelta(days=2)
    if later.month == today.month:
        found.append(event("this-month", later, later, ["ho-hoan-kiem"]))
    return {"type": "FeatureCollection", "features": found}


@pytest.fixture(scope="session")
def pages_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The e2e spaces, with events now, later this month, next month and in the past (relative to today in Hanoi,
    when the app runs: the What's on page reads the clock)."""
    from creative_map.events import hanoi_today

    folder = tmp_path_factory.mktemp("pages-data")
    (folder / "spaces.geojson").write_text(json.dumps(e2e_spaces(), ensure_ascii=False), encoding="utf-8")
    (folder / "events.geojson").write_text(
        json.dumps(dated_events(hanoi_today()), ensure_ascii=False), encoding="utf-8"
    )
    return folder / "spaces.geojson"


@pytest.fixture(scope="session")
def pages_url(pages_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on `pages_data`, with a store of suggestions of its own."""
    folder = tmp_path_factory.mktemp("pages-app")
    env = {"CREATIVE_MAP_DB": str(folder / "store.sqlite3")}
    proc, url = start_app(pages_data, folder / "streamlit.log", env=env)
    try:
        yield url
    finally:
        stop_app(proc)
