"""Browser benchmark of the public map: the app's lean layer beside the plain folium way, in the same run.

For each size (synthetic spaces from `benchmarks/synthetic.py`) and each way, it starts ``streamlit run`` on
the data, opens the page in Chromium (every request leaving the machine aborted, so tiles never load) and
measures:

- first map: from opening the page to every space drawn (clusters + markers), on a cold server (the load
  and validation of the file included) and again on a warm one (the load cached);
- filter change: from choosing a category in the sidebar to the map redrawn with the library's count;
- bytes to the browser per space: what the page received over Streamlit's websocket for the warm page,
  divided by the number of spaces; and the size of the map's own HTML (``m.get_root().render()``);
- build: seconds to build and render the map in Python (offline, same process as this script);
- server memory: peak resident memory (VmHWM) of the Streamlit process.

The plain way (`benchmarks/plain_app.py`) is one `folium.Marker` with its popup per space in a
`MarkerCluster`, with the same load and filter path (`creative_map.load`, `creative_map.select`). Run on
purpose::

    .venv/bin/python benchmarks/bench_app.py --sizes 100 1000 10000 100000 --plain-max 10000

The test suite runs only its smallest size, both ways, as a smoke test (tests/test_benchmarks.py).
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

import creative_map  # noqa: E402
from benchmarks.plain_app import plain_map  # noqa: E402
from benchmarks.synthetic import write_synthetic  # noqa: E402
from creative_map import mapping  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.e2e.conftest import MAP_FRAME, OUTSIDE, start_app, stop_app  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
SIZES = (100, 1000, 10000, 100000)
CATEGORY = "museum"
CATEGORY_LABEL = "Bảo tàng"
TIMEOUT_MS = 600_000

# True when the page shows exactly one map with `n` spaces drawn (cluster sizes + single markers).
DRAWN = f"""n => {{
  const frames = [...document.querySelectorAll('{MAP_FRAME}')];
  if (frames.length !== 1 || !frames[0].contentDocument) return false;
  const el = frames[0].contentDocument.querySelector('.leaflet-container');
  if (!el) return false;
  const clusters = [...el.querySelectorAll('.marker-cluster')].reduce((s, c) => s + parseInt(c.textContent, 10), 0);
  const markers = el.querySelectorAll('.leaflet-marker-icon:not(.marker-cluster):not(.cm-selected)').length;
  return clusters + markers === n;
}}"""


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of the process `pid` (the Streamlit server) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def open_and_time(browser: Any, url: str, n: int) -> tuple[float, int, Any, Any]:
    """Open `url`; return seconds until `n` spaces are drawn, the websocket bytes received, the page, its context."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.route(OUTSIDE, lambda route: route.abort())
    received = [0]

    def on_ws(ws: Any) -> None:
        ws.on("framereceived", lambda payload: received.__setitem__(0, received[0] + len(payload)))

    page.on("websocket", on_ws)
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_function(DRAWN, arg=n, timeout=TIMEOUT_MS, polling=100)
    seconds = time.perf_counter() - start
    return seconds, received[0], page, context


def filter_change(page: Any, n: int) -> float:
    """Choose the category in the sidebar; return seconds until the map shows the `n` filtered spaces."""
    box = page.get_by_role("combobox", name="Loại không gian")
    box.click()
    box.fill(CATEGORY_LABEL)
    option = page.get_by_role("option", name=CATEGORY_LABEL)
    option.wait_for()
    start = time.perf_counter()
    option.click()
    page.wait_for_function(DRAWN, arg=n, timeout=TIMEOUT_MS, polling=100)
    return time.perf_counter() - start


def build_seconds(way: str, selection: creative_map.Selection) -> tuple[float, int]:
    start = time.perf_counter()
    m = mapping.build_map(selection) if way == "lean" else plain_map(selection)
    html = m.get_root().render()
    return time.perf_counter() - start, len(html.encode())


def run(sizes: list[int], plain_max: int, *, out: Path = OUT, browser: Any = None) -> list[dict[str, Any]]:
    """Measure both ways at each size; return one row per size and way (also printed as JSON lines).

    Parameters
    ----------
    sizes
        Numbers of synthetic spaces (files kept in `out` and reused).
    plain_max
        The largest size measured the plain way.
    out
        Where the data, the copy of the plain app and the servers' logs go.
    browser
        A Playwright Chromium to use (one is launched when None: a sync Playwright cannot be started twice in
        one thread, so the tests pass theirs).
    """
    if browser is None:
        with sync_playwright() as p:
            launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                return run(sizes, plain_max, out=out, browser=launched)
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
        for way in ("lean", "plain"):
            if way == "plain" and n > plain_max:
                continue
            build_s, html_bytes = build_seconds(way, creative_map.select(dataset))
            script = ROOT / "app.py"
            if way == "plain":  # Streamlit serves static/ beside the script: run a copy in the ignored out/
                script = out / "plain_app.py"
                shutil.copyfile(ROOT / "benchmarks" / "plain_app.py", script)
            proc, url = start_app(data, out / f"streamlit-{way}-{n}.log", script=script)
            try:
                cold_s, _, _, context = open_and_time(browser, url, n)
                context.close()
                warm_s, ws_bytes, page, context = open_and_time(browser, url, n)
                change_s = filter_change(page, n_filtered)
                context.close()
                memory = peak_rss_mb(proc.pid)
            finally:
                stop_app(proc)
            row = {
                "spaces": n,
                "way": way,
                "build_s": round(build_s, 2),
                "html_bytes_per_space": round(html_bytes / n),
                "first_map_cold_s": round(cold_s, 2),
                "first_map_warm_s": round(warm_s, 2),
                "filter_change_s": round(change_s, 2),
                "ws_bytes_per_space": round(ws_bytes / n),
                "server_peak_mb": round(memory),
            }
            print(json.dumps(row), flush=True)
            rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument(
        "--plain-max", type=int, default=10000, help="largest size for the plain way (100,000 takes ~2 GB)"
    )
    args = parser.parse_args()
    rows = run(args.sizes, args.plain_max)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bench_app.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
