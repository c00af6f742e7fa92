"""Browser benchmark of the public map, as ratios against the bare Streamlit floor and the plain folium way.

For each size (synthetic spaces from `benchmarks/synthetic.py`) it starts, one after the other, ``streamlit run``
on three scripts with the same data, opens each in Chromium (every request leaving the machine aborted, so tiles
never load) and measures, each a median of `--repeat` pages (a new browser context each: nothing cached):

- **floor**: `benchmarks/floor_app.py`, a page with one ``st.write``: from navigation to its text;
- **app**: ``app.py``. First map: from navigation to every space drawn (the map's container says the rows are
  loaded and drawn, and Leaflet's layers add up to the count); on a cold server (empty dataset cache: the
  file validated, in a child process), on a warm one, and after a restart (the dataset read from the cache).
  Filter change: from choosing a category in the sidebar to the map redrawn with the library's count. Bytes:
  what the browser received for the page (CDP network events: websocket frames, and the map's data file as
  sent, gzipped), divided by the number of spaces. Server memory: peak (VmHWM) and current (VmRSS) resident
  memory of the Streamlit process after the pages;
- **plain**: `benchmarks/plain_app.py`, one `folium.Marker` with its popup per space in a `MarkerCluster`, the
  same load and filter path (up to `--plain-max` spaces; one page: it takes a minute at 10,000).

Ratios are the app's figure over the floor's median of the same run. Run on purpose::

    .venv/bin/python benchmarks/bench_app.py --sizes 10000 100000 --plain-max 10000

The test suite runs only its smallest size, as a smoke test (tests/test_benchmarks.py).
"""

from __future__ import annotations

import argparse
import base64
import json
import logging
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

import creative_map  # noqa: E402
from benchmarks.synthetic import write_synthetic  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.e2e.conftest import MAP_FRAME, OUTSIDE, start_app, stop_app  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
SIZES = (100, 10_000, 100_000)
CATEGORY = "museum"
CATEGORY_LABEL = "Bảo tàng"
TIMEOUT_MS = 600_000

# True when the app's map shows `n` spaces: its rows loaded and drawn, Leaflet's layers adding up to `n`.
APP_DRAWN = f"""n => {{
  const frames = [...document.querySelectorAll('{MAP_FRAME}')];
  if (frames.length !== 1 || !frames[0].contentDocument) return false;
  const doc = frames[0].contentDocument, el = doc.querySelector('[data-cm-drawn]'), w = doc.defaultView;
  if (!el || el.getAttribute('data-cm-count') !== String(n)) return false;
  if (el.getAttribute('data-cm-drawn') !== String(n)) return false;
  let drawn = doc.querySelectorAll('path.cm-shape').length;
  w.creativeMap.maps[0].eachLayer(l => {{
    if (w.L.MarkerCluster && l instanceof w.L.MarkerCluster) drawn += l.getChildCount();
    else if (l instanceof w.L.CircleMarker) drawn += 1;
  }});
  return drawn === n;
}}"""

# True when the plain map shows `n` spaces (cluster sizes + single markers, all DOM elements).
PLAIN_DRAWN = f"""n => {{
  const frames = [...document.querySelectorAll('{MAP_FRAME}')];
  if (frames.length !== 1 || !frames[0].contentDocument) return false;
  const el = frames[0].contentDocument.querySelector('.leaflet-container');
  if (!el) return false;
  const clusters = [...el.querySelectorAll('.marker-cluster')].reduce((s, c) => s + parseInt(c.textContent, 10), 0);
  return clusters + el.querySelectorAll('.leaflet-marker-icon:not(.marker-cluster)').length === n;
}}"""

FLOOR_DRAWN = "() => document.body.innerText.includes('floor')"


def process_memory_mb(pid: int) -> tuple[float, float]:
    """(peak, current) resident memory of the process `pid` in MB (VmHWM, VmRSS)."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            found[key] = int(value.split()[0]) / 1024
    return found.get("VmHWM", float("nan")), found.get("VmRSS", float("nan"))


def load_average() -> float:
    return os.getloadavg()[0]


class Traffic:
    """What the page received, from Chromium's own network events (CDP): websocket frames and each response."""

    def __init__(self, context: Any, page: Any) -> None:
        self.ws = 0
        self.responses: dict[str, str] = {}
        self.sizes: dict[str, int] = {}
        session = context.new_cdp_session(page)
        session.on("Network.webSocketFrameReceived", self._frame)
        session.on(
            "Network.responseReceived", lambda e: self.responses.__setitem__(e["requestId"], e["response"]["url"])
        )
        session.on("Network.loadingFinished", lambda e: self.sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
        session.send("Network.enable")

    def _response(self, event: dict[str, Any]) -> None:
        self.responses[event["requestId"]] = event["response"]["url"]

    def _finished(self, event: dict[str, Any]) -> None:
        self.sizes[event["requestId"]] = event["encodedDataLength"]

    def _frame(self, event: dict[str, Any]) -> None:
        response = event["response"]
        data = response["payloadData"]
        self.ws += len(base64.b64decode(data)) if response.get("opcode") == 2 else len(data.encode())

    def bytes_of(self, part: str) -> int:
        """Bytes received (headers included) for the responses whose address contains `part`."""
        return sum(size for rid, size in self.sizes.items() if part in self.responses.get(rid, ""))

    def total(self) -> int:
        return self.ws + sum(self.sizes.values())


def open_page(browser: Any, url: str, ready: str, arg: Any) -> tuple[float, Any, Any, Traffic]:
    """Open `url` in a new context; return seconds until `ready` holds (with `arg`), the page, its context and
    what it received."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.route(OUTSIDE, lambda route: route.abort())
    traffic = Traffic(context, page)
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_function(ready, arg=arg, timeout=TIMEOUT_MS, polling=50)
    return time.perf_counter() - start, page, context, traffic


FRAME_TIMES = f"""() => {{
  const frame = document.querySelector('{MAP_FRAME}').contentWindow, app = frame.creativeMap.maps[0].cmApp;
  return [(frame.performance.timeOrigin - performance.timeOrigin) / 1000, app.times.drawn / 1000,
          (app.times.loaded - app.times.start) / 1000, app.times.draw / 1000];
}}"""
"""Seconds from the page's navigation to the map's frame, from the frame to the spaces drawn, from the map's
script start to its rows loaded, and of the drawing itself (the map's script records them)."""


def filter_change(page: Any, ready: str, n: int) -> float:
    """Choose the category in the sidebar; return seconds until the map shows the `n` filtered spaces."""
    box = page.get_by_role("combobox", name="Loại không gian")
    box.click()
    box.fill(CATEGORY_LABEL)
    option = page.get_by_role("option", name=CATEGORY_LABEL)
    option.wait_for()
    start = time.perf_counter()
    option.click()
    page.wait_for_function(ready, arg=n, timeout=TIMEOUT_MS, polling=50)
    return time.perf_counter() - start


def median(values: list[float]) -> float:
    return round(statistics.median(values), 3) if values else float("nan")


def with_server(script: Path, data: Path, log: Path, env: dict[str, str], work: Callable[[str, int], Any]) -> Any:
    proc, url = start_app(data, log, script=script, env=env)
    try:
        return work(url, proc.pid)
    finally:
        stop_app(proc)


def measure_floor(browser: Any, data: Path, out: Path, repeat: int) -> list[float]:
    script = out / "floor_app.py"
    shutil.copyfile(ROOT / "benchmarks" / "floor_app.py", script)

    def work(url: str, pid: int) -> list[float]:
        times = []
        for _ in range(repeat + 1):  # the first page warms the server up (Streamlit compiles the script)
            seconds, _, context, _ = open_page(browser, url, FLOOR_DRAWN, None)
            context.close()
            times.append(seconds)
        return times[1:]

    return with_server(script, data, out / "streamlit-floor.log", {}, work)


def measure_app(browser: Any, data: Path, out: Path, n: int, n_filtered: int, repeat: int) -> dict[str, Any]:
    cache = out / f"cache-{n}"
    shutil.rmtree(cache, ignore_errors=True)
    env = {"CREATIVE_MAP_CACHE": str(cache)}
    row: dict[str, Any] = {}

    def cold_and_warm(url: str, pid: int) -> None:
        seconds, _, context, _ = open_page(browser, url, APP_DRAWN, n)
        context.close()
        row["cold_s"] = round(seconds, 3)
        row["cold_peak_mb"] = round(process_memory_mb(pid)[0])
        firsts, changes, frames = [], [], []
        for i in range(repeat):
            seconds, page, context, traffic = open_page(browser, url, APP_DRAWN, n)
            firsts.append(seconds)
            frames.append(page.evaluate(FRAME_TIMES))
            if i == 0:
                data_file = traffic.bytes_of("/app/static/cm/spaces.")
                row["ws_bytes"] = traffic.ws
                row["data_file_bytes"] = data_file
                row["bytes_per_space"] = round((traffic.ws + data_file) / n, 1)
                row["all_bytes"] = traffic.total()
            changes.append(filter_change(page, APP_DRAWN, n_filtered))
            context.close()
        row["first_map_s"] = median(firsts)
        row["frame_at_s"], row["in_frame_s"], row["rows_wait_s"], row["draw_s"] = (
            median([f[k] for f in frames]) for k in range(4)
        )
        row["filter_change_s"] = median(changes)
        row["peak_mb"], row["rss_mb"] = (round(v) for v in process_memory_mb(pid))

    with_server(ROOT / "app.py", data, out / f"streamlit-app-{n}.log", env, cold_and_warm)

    def restart(url: str, pid: int) -> None:
        seconds, _, context, _ = open_page(browser, url, APP_DRAWN, n)
        context.close()
        row["restart_s"] = round(seconds, 3)
        row["restart_peak_mb"], row["restart_rss_mb"] = (round(v) for v in process_memory_mb(pid))

    with_server(ROOT / "app.py", data, out / f"streamlit-app-{n}-restart.log", env, restart)
    return row


def measure_plain(browser: Any, data: Path, out: Path, n: int, n_filtered: int) -> dict[str, Any]:
    script = out / "plain_app.py"  # Streamlit serves static/ beside the script: run a copy in the ignored out/
    shutil.copyfile(ROOT / "benchmarks" / "plain_app.py", script)
    row: dict[str, Any] = {}

    def work(url: str, pid: int) -> None:
        seconds, _, context, _ = open_page(browser, url, PLAIN_DRAWN, n)  # cold: the load included
        context.close()
        seconds, page, context, traffic = open_page(browser, url, PLAIN_DRAWN, n)
        row["first_map_s"] = round(seconds, 3)
        row["bytes_per_space"] = round(traffic.ws / n, 1)
        row["filter_change_s"] = round(filter_change(page, PLAIN_DRAWN, n_filtered), 3)
        context.close()
        row["peak_mb"], row["rss_mb"] = (round(v) for v in process_memory_mb(pid))

    with_server(script, data, out / f"streamlit-plain-{n}.log", {}, work)
    return row


def run(
    sizes: list[int], plain_max: int, *, out: Path = OUT, browser: Any = None, repeat: int = 3
) -> list[dict[str, Any]]:
    """Measure the floor, the app and (up to `plain_max` spaces) the plain way at each size; return one row per
    size (also printed as JSON lines).

    Parameters
    ----------
    sizes
        Numbers of synthetic spaces (files kept in `out` and reused).
    plain_max
        The largest size measured the plain way.
    out
        Where the data, the copies of the scripts, the caches and the servers' logs go.
    browser
        A Playwright Chromium to use (one is launched when None: a sync Playwright cannot be started twice in
        one thread, so the tests pass theirs).
    repeat
        Pages per median.
    """
    if browser is None:
        with sync_playwright() as p:
            launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                return run(sizes, plain_max, out=out, browser=launched, repeat=repeat)
            finally:
                launched.close()
    logging.getLogger("creative_map").setLevel(logging.ERROR)
    rows = []
    for n in sizes:
        data = out / str(n) / "spaces.geojson"
        if not data.exists():
            write_synthetic(data, n)
        dataset = creative_map.load(data)
        n_filtered = len(creative_map.select(dataset, creative_map.Filter(categories=(CATEGORY,))))
        del dataset
        load_before = load_average()
        floor = measure_floor(browser, data, out, repeat)
        app = measure_app(browser, data, out, n, n_filtered, repeat)
        plain = measure_plain(browser, data, out, n, n_filtered) if n <= plain_max else None
        floor_s = median(floor)
        row = {
            "spaces": n,
            "load_average": [round(load_before, 2), round(load_average(), 2)],
            "floor_s": floor_s,
            "floor_runs": [round(v, 3) for v in floor],
            "app": app,
            "plain": plain,
            "ratios": {
                "first_map": round(app["first_map_s"] / floor_s, 2),
                "filter_change": round(app["filter_change_s"] / floor_s, 2),
                "restart": round(app["restart_s"] / floor_s, 2),
                "cold": round(app["cold_s"] / floor_s, 2),
                **(
                    {
                        "plain_first_map": round(plain["first_map_s"] / floor_s, 2),
                        "plain_filter_change": round(plain["filter_change_s"] / floor_s, 2),
                    }
                    if plain
                    else {}
                ),
            },
        }
        print(json.dumps(row), flush=True)
        rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--plain-max", type=int, default=10000, help="largest size for the plain way")
    parser.add_argument("--repeat", type=int, default=3, help="pages per median")
    args = parser.parse_args()
    rows = run(args.sizes, args.plain_max, repeat=args.repeat)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bench_app.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
