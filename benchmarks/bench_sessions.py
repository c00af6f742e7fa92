"""Many visitors at once: 50 real sessions of the map against one Streamlit server, on loopback.

First the floor: the same sessions against `benchmarks/floor_app.py` (a bare Streamlit page with one
``st.write``, the same settings), for what Streamlit itself costs per new session on this machine at that moment
(serving its JavaScript to a browser with nothing cached, the websocket, one script run). Then for each dataset
(the shipped data, and synthetic spaces), it starts ``streamlit run app.py``, warms it up with
one page (the data loaded once per process, not per session), then opens `--sessions` pages in headless
Chromium, `--wave` at a time (each in its own browser context: its own cookies, its own Streamlit session over
its own websocket), keeps them all open, and reports:

- every session got its map: each page's map drew the library's count of spaces (Leaflet's own layers) (the
  floor: its text);
- seconds from opening to the map, median and slowest;
- server CPU seconds per new session: the server process's user + system time while the sessions opened,
  divided by their number (and its ratio to the floor's);
- memory per open session: the server's resident memory with every session open, less the level before,
  divided by their number;
- memory after: the server's resident memory `--settle` seconds after every page has closed, against the level
  before (the target: back within 10 %).

Bounded: a fixed number of sessions, a timeout on each wait, loopback only (every request leaving the machine
is aborted), the server stopped by its process id at the end. Run on purpose::

    .venv/bin/python benchmarks/bench_sessions.py                # shipped data and 10,000 spaces, 50 sessions
    .venv/bin/python benchmarks/bench_sessions.py --sizes 0 --sessions 5 --settle 5   # quick look

The test suite runs it with a few sessions on the shipped data, as a smoke test (tests/test_benchmarks.py).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

import creative_map  # noqa: E402
from benchmarks.bench_app import APP_DRAWN, FLOOR_DRAWN, load_average, process_memory_mb  # noqa: E402
from benchmarks.synthetic import write_synthetic  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.e2e.conftest import OUTSIDE, start_app, stop_app  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
SHIPPED = ROOT / "data" / "spaces.geojson"
TIMEOUT_MS = 300_000
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of the process `pid` so far (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime (fields 14 and 15 of stat)


def rss_mb(pid: int) -> float:
    return process_memory_mb(pid)[1]


def open_sessions(
    browser: Any, url: str, n_spaces: int | None, sessions: int, wave: int
) -> tuple[list[float], list[Any]]:
    """Open `sessions` pages, `wave` at a time; return the seconds each took to its map (None for `n_spaces`: to
    the floor page's text), and the open contexts."""
    contexts: list[Any] = []
    seconds: list[float] = []
    for first in range(0, sessions, wave):
        batch = []
        for _ in range(min(wave, sessions - first)):
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            page.route(OUTSIDE, lambda route: route.abort())
            start = time.perf_counter()
            page.goto(url, wait_until="commit")
            batch.append((page, start))
            contexts.append(context)
        for page, start in batch:
            if n_spaces is None:
                page.wait_for_function(FLOOR_DRAWN, timeout=TIMEOUT_MS, polling=100)
            else:
                page.wait_for_function(APP_DRAWN, arg=n_spaces, timeout=TIMEOUT_MS, polling=100)
            seconds.append(time.perf_counter() - start)
    return seconds, contexts


def measure(
    browser: Any,
    data: Path,
    n_spaces: int | None,
    *,
    sessions: int,
    wave: int,
    settle: float,
    out: Path,
    env: dict[str, str] | None = None,
    script: Path = ROOT / "app.py",
) -> dict[str, Any]:
    """Open and close `sessions` sessions against a server running `script` on `data` (with the settings `env`);
    return the figures (see the module). `n_spaces` None: the floor page (waited for by its text)."""
    env = {"CREATIVE_MAP_CACHE": str(out / "cache-sessions"), **(env or {})}
    log = out / f"streamlit-sessions-{'floor' if n_spaces is None else n_spaces}.log"
    proc, url = start_app(data, log, env=env, script=script)
    try:
        warm, contexts = open_sessions(browser, url, n_spaces, 1, 1)  # the data loaded once for the process
        for context in contexts:
            context.close()
        time.sleep(settle)  # the warm-up session gone too
        before_mb, before_cpu, load_before = rss_mb(proc.pid), cpu_seconds(proc.pid), load_average()
        seconds, contexts = open_sessions(browser, url, n_spaces, sessions, wave)
        drawn = len(seconds)
        time.sleep(2)  # the last messages of the last pages
        open_mb, open_cpu = rss_mb(proc.pid), cpu_seconds(proc.pid)
        peak_mb = process_memory_mb(proc.pid)[0]
        for context in contexts:
            context.close()
        time.sleep(settle)
        after_mb = rss_mb(proc.pid)
    finally:
        stop_app(proc)
    return {
        "spaces": n_spaces,
        "sessions": sessions,
        "wave": wave,
        "maps_drawn": drawn,
        "warm_up_s": round(warm[0], 2),
        "to_map_median_s": round(statistics.median(seconds), 2),
        "to_map_max_s": round(max(seconds), 2),
        "cpu_s_per_session": round((open_cpu - before_cpu) / sessions, 3),
        "mb_before": round(before_mb, 1),
        "mb_open": round(open_mb, 1),
        "mb_per_session": round((open_mb - before_mb) / sessions, 2),
        "mb_after": round(after_mb, 1),
        "after_vs_before": round(after_mb / before_mb - 1, 3),
        "peak_mb": round(peak_mb, 1),
        "settle_s": settle,
        "load_average": [round(load_before, 2), round(load_average(), 2)],
    }


def run(
    sizes: list[int],
    *,
    sessions: int = 50,
    wave: int = 10,
    settle: float = 60.0,
    out: Path = OUT,
    browser: Any = None,
) -> list[dict[str, Any]]:
    """Measure the floor, then each dataset: 0 is the shipped data, any other number that many synthetic spaces.

    `browser`: a Playwright Chromium to use (one is launched when None).
    """
    if browser is None:
        with sync_playwright() as p:
            launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                return run(sizes, sessions=sessions, wave=wave, settle=settle, out=out, browser=launched)
            finally:
                launched.close()
    logging.getLogger("creative_map").setLevel(logging.ERROR)
    out.mkdir(parents=True, exist_ok=True)
    floor_script = out / "floor_app.py"  # outside benchmarks/, which is not an app's folder of pages
    shutil.copyfile(ROOT / "benchmarks" / "floor_app.py", floor_script)
    floor = {"data": "floor"} | measure(
        browser, SHIPPED, None, sessions=sessions, wave=wave, settle=settle, out=out, script=floor_script
    )
    print(json.dumps(floor), flush=True)
    rows = [floor]
    for n in sizes:
        data = SHIPPED if n == 0 else out / str(n) / "spaces.geojson"
        if not data.exists():
            write_synthetic(data, n)
        n_spaces = creative_map.load(data).total
        row = {"data": "shipped" if n == 0 else "synthetic"} | measure(
            browser, data, n_spaces, sessions=sessions, wave=wave, settle=settle, out=out
        )
        row["cpu_vs_floor"] = round(row["cpu_s_per_session"] / max(floor["cpu_s_per_session"], 1e-6), 2)
        print(json.dumps(row), flush=True)
        rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 10_000], help="0: the shipped data")
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--wave", type=int, default=10, help="sessions opened at once")
    parser.add_argument("--settle", type=float, default=60.0, help="seconds after the pages close")
    args = parser.parse_args()
    rows = run(args.sizes, sessions=args.sessions, wave=args.wave, settle=args.settle)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bench_sessions.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
