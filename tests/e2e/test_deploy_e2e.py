"""deploy/ end to end: Debian's nginx in front of the static site and two Streamlit app processes.

`deploy/run` is started as an operator would (its own process group, a temporary prefix, a free loopback port,
two app processes on free ports with ``--server.baseUrlPath app``), then Chromium opens the site and the app
through nginx with every request leaving 127.0.0.1 aborted. At the end the whole group is stopped (also when a
test failed) and every port is checked closed.
"""

from __future__ import annotations

import contextlib
import gzip
import http.client
import importlib.util
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..conftest import ROOT
from .conftest import map_frame

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = pytest.mark.e2e

START_TIMEOUT_S = 180.0


@dataclass(frozen=True)
class Deployment:
    url: str
    port: int
    app_ports: tuple[int, int]
    prefix: Path

    def access_log(self) -> list[str]:
        return (self.prefix / "logs" / "access.log").read_text(encoding="utf-8", errors="replace").splitlines()


def _free_ports(n: int) -> list[int]:
    sockets = [socket.socket() for _ in range(n)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [int(s.getsockname()[1]) for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def _answers(port: int, path: str) -> bool:
    try:
        return _get(port, path)[0] == 200
    except OSError:
        return False


def _closed(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) != 0


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop deploy/run and everything it started: they share its process group (and nothing else does)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=40)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # whatever is left of the group, if anything
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def deployment(e2e_data: Path) -> Iterator[Deployment]:
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        message = "nginx is not installed: run scripts/setup --dev (installs Debian's nginx)"
        if os.environ.get("CREATIVE_MAP_SKIP_NGINX") == "1":
            pytest.skip(message)
        pytest.fail(message)
    prefix = Path(tempfile.mkdtemp(prefix="creative-map-deploy-"))
    prefix.chmod(0o755)  # nginx's workers run as nobody when the tests run as root
    port, app_a, app_b = _free_ports(3)
    env = {**os.environ, "CREATIVE_MAP_DATA": str(e2e_data), "PYTHON": sys.executable, "PYTHONPATH": str(ROOT)}
    env.pop("CREATIVE_MAP_DB", None)
    log = prefix / "run.log"
    cmd = [
        str(ROOT / "deploy" / "run"), "--prefix", str(prefix), "--listen", f"127.0.0.1:{port}",
        "--apps", "2", "--app-ports", f"{app_a},{app_b}",
    ]  # fmt: skip
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not (_answers(port, "/") and _answers(port, "/app/_stcore/health")):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"deploy/run did not serve on port {port}: {log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.3)  # polling servers that are starting, not waiting in a test
        yield Deployment(f"http://127.0.0.1:{port}", port, (app_a, app_b), prefix)
    finally:
        _stop(proc)
        still_open = [p for p in (port, app_a, app_b) if not _closed(p)]
        shutil.rmtree(prefix, ignore_errors=True)
        assert still_open == [], f"ports still served after stopping deploy/run: {still_open}"


# ------------------------------------------------------------------------------------------------ the site


def test_the_site_through_nginx(deployment, open_page):
    page, blocked = open_page()
    page.goto(deployment.url + "/")
    expect(page.locator("#cm-map")).to_have_attribute("data-cm-count", "5")
    expect(page.locator("#cm-app")).to_have_attribute("href", "/app/")
    page.fill("#cm-search", "van mieu")
    expect(page.locator("#cm-map")).to_have_attribute("data-cm-count", "1")
    page.locator(".cm-results .cm-item").first.click()
    expect(page.locator(".leaflet-popup-content .cm-name")).to_have_text("Văn Miếu – Quốc Tử Giám")
    expect(page).to_have_url(re.compile(r"/#map=.*&q=van%20mieu&sel=van-mieu-quoc-tu-giam$"))
    page.click("#cm-lang")
    expect(page.locator(".leaflet-popup-content .cm-name")).to_have_text("Temple of Literature")
    assert page.url.startswith(deployment.url + "/en/index.html#")
    assert blocked.non_tiles() == [] and page.errors == []  # the CSP nginx sends blocks nothing the page needs


def test_the_site_is_cached_and_compressed_as_it_should(deployment):
    status, headers, body = _get(deployment.port, "/")
    assert status == 200 and headers["cache-control"] == "no-cache" and b"creative_map site" in body
    assert "default-src 'self'" in headers["content-security-policy"]
    (data_path,) = re.findall(r'src="(assets/data\.[0-9a-f]{10}\.js)"', body.decode())
    status, headers, gz = _get(deployment.port, "/" + data_path, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    assert headers["content-type"].startswith("application/javascript")
    status, headers, plain = _get(deployment.port, "/" + data_path)
    assert status == 200 and "content-encoding" not in headers and len(plain) > len(gz)
    assert plain == (deployment.prefix / "site" / data_path).read_bytes()
    status, headers, _ = _get(deployment.port, "/en")
    assert status == 301 and headers["location"] == "/en/"
    assert _get(deployment.port, "/assets/nothing.js")[0] == 404


# ------------------------------------------------------------------------------------------------- the app


def test_the_app_through_nginx_draws_its_map(deployment, open_page):
    page, blocked = open_page()
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(deployment.url + "/app/")
    frame = map_frame(page)
    expect(frame.locator(".leaflet-container")).to_have_attribute("data-cm-count", "5", timeout=60_000)
    expect(frame.locator(".leaflet-container")).to_have_attribute("data-cm-drawn", "5", timeout=60_000)
    expect(frame.locator(".leaflet-cmPoints-pane canvas").first).to_be_visible()  # the points' canvas
    assert failed == []  # Leaflet and the map's script came from /app/app/static/vendor/, not an HTML page
    assert blocked.non_tiles() == []
    served = [line for line in deployment.access_log() if "/app/app/static/vendor/leaflet/leaflet.js" in line]
    assert served and all('" 200 ' in line for line in served)
    rows = [line for line in deployment.access_log() if "/app/app/static/cm/spaces." in line]  # the data file
    assert rows and all('" 200 ' in line or '" 304 ' in line for line in rows)
    # The unchanging files came from nginx (no app process asked: upstream=-), the data file from an app process.
    log = deployment.access_log()
    by_nginx = {
        "Streamlit's scripts": "GET /app/static/js/",
        "the map component": "GET /app/component/streamlit_folium.st_folium/static/js/main.",
        "Leaflet": "GET /app/app/static/vendor/leaflet/leaflet.js",
        "the map's script": "GET /app/app/static/vendor/creative_map/creative_map.js",
    }
    for what, request in by_nginx.items():
        lines = [line for line in log if request in line]
        assert lines and all(line.endswith("upstream=-") for line in lines), (what, lines[:3])
    assert all(re.search(r"upstream=127\.0\.0\.1:\d+$", line) for line in rows)


def _installed(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).parent


def test_the_app_s_unchanging_files_come_from_nginx_compressed_and_as_installed(deployment):
    streamlit_js = sorted((_installed("streamlit") / "static" / "static" / "js").glob("index.*.js"))[0]
    component_js = next((_installed("streamlit_folium") / "frontend" / "build" / "static" / "js").glob("main.*.js"))
    cases = [
        (f"/app/static/js/{streamlit_js.name}", streamlit_js, "public, max-age=31536000, immutable"),
        (f"/app/component/streamlit_folium.st_folium/static/js/{component_js.name}", component_js, "no-cache"),
    ]
    for path, installed, cache in cases:
        status, headers, gz = _get(deployment.port, path, {"Accept-Encoding": "gzip"})
        assert status == 200 and headers["content-encoding"] == "gzip" and headers["cache-control"] == cache, path
        assert gzip.decompress(gz) == installed.read_bytes()  # the .gz written at start, as nginx sent it
        status, headers, plain = _get(deployment.port, path)
        assert status == 200 and "content-encoding" not in headers and plain == installed.read_bytes()
    status, _, body = _get(deployment.port, "/app/component/streamlit_folium.st_folium/index.html?streamlitUrl=x")
    assert status == 200 and body == (_installed("streamlit_folium") / "frontend" / "build" / "index.html").read_bytes()
    # A file that is not among them goes to an app process, which answers for itself.
    _get(deployment.port, "/app/static/js/not-a-file.js?probe=fallback")
    deadline = time.monotonic() + 10
    lines: list[str] = []
    while not lines and time.monotonic() < deadline:  # nginx writes the line just after the answer's last byte
        lines = [line for line in deployment.access_log() if "probe=fallback" in line]
        time.sleep(0.05)
    assert len(lines) == 1 and re.search(r"upstream=127\.0\.0\.1:\d+$", lines[0]), lines


def test_the_websocket_is_upgraded_through_nginx(deployment):
    with socket.create_connection(("127.0.0.1", deployment.port), timeout=10) as s:
        key = "dGhlIHNhbXBsZSBub25jZQ=="
        s.sendall(
            (
                "GET /app/_stcore/stream HTTP/1.1\r\n"
                f"Host: 127.0.0.1:{deployment.port}\r\n"
                f"Origin: {deployment.url}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                "Sec-WebSocket-Protocol: streamlit\r\n\r\n"
            ).encode()
        )
        head = s.recv(4096).decode("latin-1")
    assert head.startswith("HTTP/1.1 101"), head
    assert "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" in head  # the accept key of RFC 6455's example


def test_sessions_stick_to_one_app_process_and_spread_over_both(deployment):
    # A browser's first request gets a route cookie ...
    status, headers, _ = _get(deployment.port, "/app/?probe=first")
    assert status == 200
    cookie = re.fullmatch(r"(cm_route=[0-9a-f]{32}); Path=/app/; HttpOnly; SameSite=Lax", headers["set-cookie"])
    assert cookie
    # ... and every request carrying it goes where the first one went (and is not given another).
    for i in range(10):
        status, headers, _ = _get(deployment.port, f"/app/_stcore/health?probe=same{i}", {"Cookie": cookie.group(1)})
        assert status == 200 and "cm_route" not in headers.get("set-cookie", "")
    # Other browsers are spread over both processes.
    for i in range(24):
        _get(deployment.port, f"/app/_stcore/health?probe=other{i}", {"Cookie": f"cm_route={secrets.token_hex(16)}"})
    log = deployment.access_log()

    def upstreams(tag: str) -> set[str]:
        return {m.group(1) for line in log if f"probe={tag}" in line for m in [re.search(r"upstream=(\S+)", line)] if m}

    first = upstreams("first ")
    assert len(first) == 1
    assert set().union(*(upstreams(f"same{i} ") for i in range(10))) == first
    others = set().union(*(upstreams(f"other{i} ") for i in range(24)))
    assert others == {f"127.0.0.1:{p}" for p in deployment.app_ports}
