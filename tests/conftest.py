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


# ------------------------------------------------------------------------------------------------------------
# The store of suggestions on both backends: an SQLite file, and a throw-away PostgreSQL cluster started once
# per test session (Debian's server binaries, installed by scripts/setup --dev).
# ------------------------------------------------------------------------------------------------------------

import contextlib  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import uuid  # noqa: E402

import argon2  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from creative_map.suggestions import Limits, open_store, reviewers  # noqa: E402

PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"
"""Where Debian puts PostgreSQL's server programs (one folder per major version; the newest is used)."""


def _pg_bin() -> Path | None:
    override = os.environ.get("CREATIVE_MAP_PG_BIN")
    if override:
        return Path(override)
    found = sorted(
        Path("/").glob(PG_BIN_GLOB.lstrip("/")), key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0
    )
    found = [p for p in found if (p / "initdb").is_file() and (p / "pg_ctl").is_file()]
    return found[-1] if found else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A throw-away PostgreSQL cluster on a free loopback port; yields its base URL (``.../postgres``).

    Run as the unprivileged ``postgres`` user when the tests run as root (PostgreSQL refuses root), in a
    temporary folder; stopped and removed at the end of the session, even when tests fail. Without the
    server binaries the tests fail with a message (set ``CREATIVE_MAP_SKIP_POSTGRES=1`` to skip them instead).
    """
    pg_bin = _pg_bin()
    if pg_bin is None:
        message = f"no PostgreSQL server binaries under {PG_BIN_GLOB}; run scripts/setup --dev (installs `postgresql`)"
        if os.environ.get("CREATIVE_MAP_SKIP_POSTGRES") == "1":
            pytest.skip(message)
        pytest.fail(message)
    as_root = os.geteuid() == 0
    run_as = ["runuser", "-u", "postgres", "--"] if as_root else []
    folder = Path(tempfile.mkdtemp(prefix="creative-map-pg-"))
    cluster, log = folder / "cluster", folder / "server.log"
    if as_root:
        shutil.chown(folder, user="postgres")
    started = False
    try:
        subprocess.run(
            [*run_as, str(pg_bin / "initdb"), "-D", str(cluster), "--auth=trust", "-U", "postgres", "-E", "UTF8",
             "--no-sync"],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        for _attempt in range(3):
            port = _free_port()
            options = (
                f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
                "-c full_page_writes=off"
            )
            done = subprocess.run(
                [*run_as, str(pg_bin / "pg_ctl"), "-D", str(cluster), "-o", options, "-l", str(log), "-w", "-t", "60",
                 "start"],
                capture_output=True, timeout=120,
            )  # fmt: skip
            if done.returncode == 0:
                started = True
                break
        if not started:
            pytest.fail(f"PostgreSQL did not start: {log.read_text(errors='replace')[-2000:] if log.exists() else ''}")
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        if started:
            subprocess.run(
                [*run_as, str(pg_bin / "pg_ctl"), "-D", str(cluster), "-m", "immediate", "-w", "stop"],
                capture_output=True, timeout=120,
            )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty store: an SQLite file in `tmp_path`, or a fresh database on the session's cluster."""
    if request.param == "sqlite":
        yield str(tmp_path / "var" / "store.sqlite3")
        return
    base = request.getfixturevalue("postgres_server")
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        yield base.rsplit("/", 1)[0] + f"/{name}"
        with admin.connect() as conn, contextlib.suppress(sa.exc.SQLAlchemyError):
            conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2id parameters for the tests (the real ones take 0.2-0.4 s a hash on a shared machine)."""
    monkeypatch.setattr(reviewers, "HASHER", argon2.PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def suggestion_store(store_url: str, fast_hashing: None) -> Iterator[Any]:
    """An open, empty store on each backend (see `store_url`), with the default limits; closed at the end."""
    store = open_store(store_url, limits=Limits())
    try:
        yield store
    finally:
        store.close()
