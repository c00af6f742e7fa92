"""The static site: its bytes per space, its first map in Chromium, and nginx serving it to many clients at once.

Usage: ``.venv/bin/python benchmarks/bench_site.py [--duration 20] [--clients 200] [--sizes 1000 10000]
[--no-browser]``. Prints Markdown tables for benchmarks/RESULTS.md ("Static site"):

1. Bytes: the data file (``assets/data.<hash>.js``) of the shipped data and of synthetic sets, raw and gzipped
   (level 9, as ``creative-map site`` precompresses it), per space.
2. First map: Chromium opens the site from ``file://``; the time from navigation to the spaces drawn is the page's
   own ``cm-drawn`` performance mark, median of 3 (skipped without Playwright and Chromium).
3. Load: the site of the shipped data served by Debian's nginx with deploy/'s configuration (deploy/configure
   --prefix: precompressed files, the cache headers; access log off) on a free loopback port, driven by
   `--clients` concurrent keep-alive connections for `--duration` seconds, once at index.html and once at the
   data file (``Accept-Encoding: gzip``): requests per second, latency percentiles, errors. The client is
   ``wrk`` (Debian's package) when installed, else the small asyncio client below; only 127.0.0.1 is ever
   contacted, and every process started here is stopped at the end. The load average is printed before and
   after, since the machine is shared.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import creative_map  # noqa: E402
from benchmarks.synthetic import write_synthetic  # noqa: E402
from creative_map.site import site_files, write_site  # noqa: E402

SIZES = (1_000, 10_000)
DURATION_S = 20.0
CLIENTS = 200
SHIPPED = ROOT / "data" / "spaces.geojson"
CHROMIUM = "/usr/bin/chromium"


# -------------------------------------------------------------------------------------------------- bytes


def _data_file(files: dict[str, bytes]) -> bytes:
    return next(v for k, v in files.items() if re.fullmatch(r"assets/data\.[0-9a-f]{10}\.js", k))


def bytes_per_space(sizes: list[int]) -> list[dict[str, Any]]:
    """Return, for the shipped data and synthetic sets of `sizes`, the data file's bytes raw and gzipped."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        sources = [("shipped", SHIPPED)] + [
            (f"{n:,} synthetic", write_synthetic(Path(tmp) / f"s{n}.json", n)) for n in sizes
        ]
        for label, path in sources:
            selection = creative_map.select(creative_map.load(path))
            raw = _data_file(site_files(selection, precompress=False))
            packed = gzip.compress(raw, compresslevel=9, mtime=0)
            n = len(selection)
            rows.append(
                {"data": label, "spaces": n, "raw": len(raw), "gzip": len(packed),
                 "raw_per_space": len(raw) / n, "gzip_per_space": len(packed) / n}
            )  # fmt: skip
    return rows


# ---------------------------------------------------------------------------------------------- first map


def first_map(sizes: list[int], *, repeat: int = 3) -> list[dict[str, Any]]:
    """Return the median time from navigation to the spaces drawn, in Chromium from file://, per data set."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return []
    if not Path(CHROMIUM).exists():
        return []
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"], headless=True)
        try:
            sources = [("shipped", SHIPPED)] + [
                (f"{n:,} synthetic", write_synthetic(Path(tmp) / f"s{n}.json", n)) for n in sizes
            ]
            for label, path in sources:
                selection = creative_map.select(creative_map.load(path))
                site = Path(tmp) / f"site-{len(selection)}"
                write_site(selection, site, precompress=False)
                times = []
                for _ in range(repeat):
                    page = browser.new_page(viewport={"width": 1280, "height": 800})
                    page.route(re.compile(r"^(https?|wss?)://"), lambda route: route.abort())  # tiles: nothing leaves
                    page.goto(site.as_uri() + "/index.html")
                    page.wait_for_function("document.querySelector('#cm-map').hasAttribute('data-cm-count')")
                    times.append(page.evaluate("performance.getEntriesByName('cm-drawn')[0].startTime") / 1000)
                    page.close()
                rows.append({"data": label, "spaces": len(selection), "first_map_s": statistics.median(times)})
        finally:
            browser.close()
    return rows


# --------------------------------------------------------------------------------------------------- load


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(site: Path) -> Iterator[str]:
    """Run Debian's nginx with deploy/'s configuration on a free loopback port; yield its base URL; stop it."""
    with serving_nginx(site) as (url, _):
        yield url


@contextmanager
def serving_nginx(site: Path, *, app: str = "127.0.0.1:9", app_files: Path | None = None) -> Iterator[tuple[str, int]]:
    """Run Debian's nginx with deploy/'s configuration on a free loopback port, in front of the app process at
    `app` (sending the files in `app_files` itself when given: deploy/configure --app-files); yield its base URL
    and its master's process id (the process group of its workers too); stop it."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise RuntimeError("nginx is not installed: run scripts/setup --dev")
    prefix = Path(tempfile.mkdtemp(prefix="creative-map-bench-"))
    prefix.chmod(0o755)
    port = _free_port()
    proc = None
    try:
        subprocess.run(
            [str(ROOT / "deploy" / "configure"), "--site", str(site), "--listen", f"127.0.0.1:{port}",
             "--app", app, *(["--app-files", str(app_files)] if app_files else []),
             "--prefix", str(prefix), "--no-access-log"],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        stderr = prefix / "logs" / "stderr.log"
        with stderr.open("wb") as err:  # the child keeps its own copy of the descriptor
            proc = subprocess.Popen(
                [nginx, "-c", str(prefix / "nginx.conf"), "-p", str(prefix)],
                stdout=subprocess.DEVNULL, stderr=err, start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + 20
        while True:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not start: {stderr.read_text(errors='replace')[-2000:]}")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}", proc.pid
    finally:
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        shutil.rmtree(prefix, ignore_errors=True)


_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def _seconds(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def _wrk(url: str, *, clients: int, duration: float, gzip_ok: bool) -> dict[str, Any]:
    threads = max(1, min(2, clients, os.cpu_count() or 1))
    cmd = ["wrk", f"-t{threads}", f"-c{clients}", f"-d{max(1, round(duration))}s", "--latency", "--timeout", "5s"]
    if gzip_ok:
        cmd += ["-H", "Accept-Encoding: gzip"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, timeout=duration + 60, check=True).stdout
    percentiles = {int(p): _seconds(v) for p, v in re.findall(r"^\s+(\d+)%\s+(\S+)$", out, re.M)}
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "tool": "wrk",
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50_ms": percentiles[50] * 1e3,
        "p99_ms": percentiles[99] * 1e3,
        "errors": (sum(int(g) for g in errors.groups()) if errors else 0) + (int(non_2xx.group(1)) if non_2xx else 0),
    }


async def _client(host: str, port: int, path: str, deadline: float, gzip_ok: bool, out: dict[str, Any]) -> None:
    """One keep-alive connection sending GETs one after another until `deadline`, recording each latency."""
    reader, writer = await asyncio.open_connection(host, port)
    request = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n" + ("Accept-Encoding: gzip\r\n" if gzip_ok else "")
    request_bytes = (request + "\r\n").encode()
    try:
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            writer.write(request_bytes)
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
            status = int(head.split(b" ", 2)[1])
            length = int(re.search(rb"(?i)content-length:\s*(\d+)", head).group(1))  # type: ignore[union-attr]
            await asyncio.wait_for(reader.readexactly(length), 5)
            out["latencies"].append(time.perf_counter() - start)
            if status != 200:
                out["errors"] += 1
    except (TimeoutError, OSError, asyncio.IncompleteReadError):
        out["errors"] += 1
    finally:
        writer.close()


def _asyncio_load(url: str, *, clients: int, duration: float, gzip_ok: bool) -> dict[str, Any]:
    match = re.fullmatch(r"http://(127\.0\.0\.1):(\d+)(/.*)", url)
    if not match:
        raise ValueError(f"only loopback addresses are driven: {url}")
    host, port, path = match.group(1), int(match.group(2)), match.group(3)
    out: dict[str, Any] = {"latencies": [], "errors": 0}

    async def main() -> float:
        start = time.perf_counter()
        deadline = start + duration
        await asyncio.gather(*(_client(host, port, path, deadline, gzip_ok, out) for _ in range(clients)))
        return time.perf_counter() - start

    elapsed = asyncio.run(main())
    lat = sorted(out["latencies"])
    if not lat:
        raise RuntimeError(f"no answer from {url}")
    return {
        "tool": "asyncio",
        "requests": len(lat),
        "rps": len(lat) / elapsed,
        "p50_ms": lat[len(lat) // 2] * 1e3,
        "p99_ms": lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1e3,
        "errors": out["errors"],
    }


def load_test(
    *, duration: float = DURATION_S, clients: int = CLIENTS, tool: str = "auto", data: Path = SHIPPED
) -> list[dict[str, Any]]:
    """Serve the site of `data` with nginx and drive `clients` connections for `duration` s at each target.

    Returns one row per target (``index.html`` and the data file, gzip accepted): tool, requests, rps, p50_ms, p99_ms,
    errors, bytes (the response body's size), load average before and after.
    """
    use_wrk = tool == "wrk" or (tool == "auto" and shutil.which("wrk") is not None)
    drive = _wrk if use_wrk else _asyncio_load
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        Path(tmp).chmod(0o755)
        summary = write_site(creative_map.select(creative_map.load(data)), site)
        targets = [  # as browsers ask: gzip accepted (nginx sends the precompressed .gz files)
            ("index.html (gzip)", "/index.html", True, (site / "index.html.gz").stat().st_size),
            (f"{summary.data_file} (gzip)", "/" + summary.data_file, True, summary.data_gzip_bytes),
        ]
        with serving(site) as base:
            for label, path, gzip_ok, size in targets:
                before = os.getloadavg()[0]
                row = drive(base + path, clients=clients, duration=duration, gzip_ok=gzip_ok)
                rows.append({"target": label, "clients": clients, "duration_s": duration, "bytes": size,
                             "load_before": before, "load_after": os.getloadavg()[0], **row})  # fmt: skip
    return rows


# --------------------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=DURATION_S, help="seconds per target (default 20)")
    parser.add_argument("--clients", type=int, default=CLIENTS, help="concurrent connections (default 200)")
    parser.add_argument("--sizes", nargs="*", type=int, default=list(SIZES), help="synthetic sizes for bytes")
    parser.add_argument("--tool", choices=("auto", "wrk", "asyncio"), default="auto")
    parser.add_argument("--no-browser", action="store_true", help="skip the first-map timing in Chromium")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 1000 or not 0 < args.duration <= 120:
        parser.error("--clients must be 1..1000 and --duration 0..120 s (this is a loopback benchmark)")
    print(f"{os.cpu_count()} CPUs; load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}\n")
    print("| data | spaces | data file bytes | gzipped | bytes per space | gzipped per space |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in bytes_per_space(args.sizes):
        print(f"| {r['data']} | {r['spaces']:,} | {r['raw']:,} | {r['gzip']:,} | {r['raw_per_space']:.0f} "
              f"| {r['gzip_per_space']:.0f} |")  # fmt: skip
    if not args.no_browser:
        rows = first_map(args.sizes)
        if rows:
            print("\n| data | spaces | first map in Chromium, file:// (median of 3) |\n|---|---:|---:|")
            for r in rows:
                print(f"| {r['data']} | {r['spaces']:,} | {r['first_map_s']:.2f} s |")
    print("\n| target | client | connections | seconds | requests/s | p50 ms | p99 ms | errors | body bytes "
          "| load before → after |")  # fmt: skip
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in load_test(duration=args.duration, clients=args.clients, tool=args.tool):
        print(f"| {r['target']} | {r['tool']} | {r['clients']} | {r['duration_s']:.0f} | {r['rps']:,.0f} "
              f"| {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['errors']} | {r['bytes']:,} "
              f"| {r['load_before']:.2f} → {r['load_after']:.2f} |")  # fmt: skip


if __name__ == "__main__":
    main()
