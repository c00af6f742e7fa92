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
import contextlib
import json
import logging
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

import creative_map  # noqa: E402
from benchmarks.bench_app import APP_DRAWN, FLOOR_DRAWN, load_average, process_memory_mb  # noqa: E402
from benchmarks.bench_site import serving_nginx  # noqa: E402
from benchmarks.synthetic import write_synthetic  # noqa: E402
from creative_map.appfiles import write_app_files  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.e2e.conftest import OUTSIDE, start_app, stop_app  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
SHIPPED = ROOT / "data" / "spaces.geojson"
TIMEOUT_MS = 300_000
TICKS = os.sysconf("SC_CLK_TCK")


def _stat(path: Path) -> list[str]:
    """The fields of a ``/proc/<pid>/stat`` after the command's name (field 3 of stat is the first)."""
    return path.read_text().rsplit(")", 1)[1].split()


def _cpu(fields: list[str]) -> float:
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime (fields 14 and 15 of stat)


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of the process `pid` so far (all its threads)."""
    return _cpu(_stat(Path(f"/proc/{pid}/stat")))


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


def group_cpu_seconds(pgid: int) -> float:
    """User + system CPU seconds of every live process in the process group `pgid` (nginx's master and workers)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = _stat(stat)
        except OSError:  # a process that ended meanwhile
            continue
        if int(fields[2]) == pgid:  # pgrp (field 5 of stat)
            total += _cpu(fields)
    return total


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
    app_files: Path | None = None,
) -> dict[str, Any]:
    """Open and close `sessions` sessions against a server running `script` on `data` (with the settings `env`);
    return the figures (see the module). `n_spaces` None: the floor page (waited for by its text).

    `app_files`: the server runs at ``/app/`` behind Debian's nginx with deploy/'s configuration, nginx sending
    the app's unchanging files from that folder (``python -m creative_map.appfiles``); nginx's own CPU (master and
    workers) is reported beside the app process's."""
    env = {"CREATIVE_MAP_CACHE": str(out / "cache-sessions"), **(env or {})}
    tag = ("floor" if n_spaces is None else str(n_spaces)) + ("-nginx" if app_files else "")
    log = out / f"streamlit-sessions-{tag}.log"
    with contextlib.ExitStack() as stack:
        if app_files is None:
            proc, url = start_app(data, log, env=env, script=script)
            stack.callback(stop_app, proc)
            nginx_pid = None
        else:
            env["CREATIVE_MAP_BEHIND_PROXY"] = "1"
            proc, direct = start_app(data, log, env=env, script=script, base_path="app")
            stack.callback(stop_app, proc)
            site = out / "empty-site"
            site.mkdir(parents=True, exist_ok=True)
            app = urlsplit(direct).netloc
            base, nginx_pid = stack.enter_context(serving_nginx(site, app=app, app_files=app_files))
            url = base + "/app/"
        warm, contexts = open_sessions(browser, url, n_spaces, 1, 1)  # the data loaded once for the process
        for context in contexts:
            context.close()
        time.sleep(settle)  # the warm-up session gone too
        before_mb, before_cpu, load_before = rss_mb(proc.pid), cpu_seconds(proc.pid), load_average()
        before_nginx = group_cpu_seconds(nginx_pid) if nginx_pid else 0.0
        seconds, contexts = open_sessions(browser, url, n_spaces, sessions, wave)
        drawn = len(seconds)
        time.sleep(2)  # the last messages of the last pages
        open_mb, open_cpu = rss_mb(proc.pid), cpu_seconds(proc.pid)
        nginx_cpu = group_cpu_seconds(nginx_pid) - before_nginx if nginx_pid else None
        peak_mb = process_memory_mb(proc.pid)[0]
        for context in contexts:
            context.close()
        time.sleep(settle)
        after_mb = rss_mb(proc.pid)
    return {
        "spaces": n_spaces,
        "behind_nginx": app_files is not None,
        "sessions": sessions,
        "wave": wave,
        "maps_drawn": drawn,
        "warm_up_s": round(warm[0], 2),
        "to_map_median_s": round(statistics.median(seconds), 2),
        "to_map_max_s": round(max(seconds), 2),
        "cpu_s_per_session": round((open_cpu - before_cpu) / sessions, 3),
        "nginx_cpu_s_per_session": None if nginx_cpu is None else round(nginx_cpu / sessions, 4),
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
    behind_nginx: bool = False,
) -> list[dict[str, Any]]:
    """Measure the floor, then each dataset: 0 is the shipped data, any other number that many synthetic spaces.

    `browser`: a Playwright Chromium to use (one is launched when None). `behind_nginx`: every server (the floor's
    too) at ``/app/`` behind nginx as deploy/ runs it, nginx sending the unchanging files (see `measure`).
    """
    if browser is None:
        with sync_playwright() as p:
            launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                return run(
                    sizes, sessions=sessions, wave=wave, settle=settle, out=out, browser=launched,
                    behind_nginx=behind_nginx,
                )  # fmt: skip
            finally:
                launched.close()
    app_files = write_app_files(out / "app-files").root if behind_nginx else None
    logging.getLogger("creative_map").setLevel(logging.ERROR)
    out.mkdir(parents=True, exist_ok=True)
    floor_script = out / "floor_app.py"  # outside benchmarks/, which is not an app's folder of pages
    shutil.copyfile(ROOT / "benchmarks" / "floor_app.py", floor_script)
    floor = {"data": "floor"} | measure(
        browser, SHIPPED, None, sessions=sessions, wave=wave, settle=settle, out=out, script=floor_script,
        app_files=app_files,
    )  # fmt: skip
    print(json.dumps(floor), flush=True)
    rows = [floor]
    for n in sizes:
        data = SHIPPED if n == 0 else out / str(n) / "spaces.geojson"
        if not data.exists():
            write_synthetic(data, n)
        n_spaces = creative_map.load(data).total
        row = {"data": "shipped" if n == 0 else "synthetic"} | measure(
            browser, data, n_spaces, sessions=sessions, wave=wave, settle=settle, out=out, app_files=app_files
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
    parser.add_argument(
        "--behind-nginx", action="store_true", help="each server at /app/ behind nginx as deploy/run runs it"
    )
    args = parser.parse_args()
    rows = run(args.sizes, sessions=args.sessions, wave=args.wave, settle=args.settle, behind_nginx=args.behind_nginx)
    OUT.mkdir(parents=True, exist_ok=True)
    name = "bench_sessions_nginx.json" if args.behind_nginx else "bench_sessions.json"
    (OUT / name).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
