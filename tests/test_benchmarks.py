"""Every benchmark runs as committed: each is imported and run on its smallest size (or on a tiny dataset).

The figures are not checked (the machine is shared); what is checked is that a benchmark still imports, still
calls the library as it is, and returns a sensible row for every measurement.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks import bench_analysis, bench_app, bench_load, bench_sessions, bench_site, bench_validate
from creative_map import types

from .conftest import ROOT


@pytest.fixture(autouse=True)
def _logging_as_it_was():
    """The benchmarks quiet the library's warnings in their process (their synthetic spaces set them off); here
    that process is the test run's, so put logging back as it was for the tests that follow."""
    library = logging.getLogger("creative_map")
    level, disabled = library.level, logging.root.manager.disable
    yield
    library.setLevel(level)
    logging.disable(disabled)


BENCHMARKS = ROOT / "benchmarks"


def test_every_benchmark_has_a_smoke_test() -> None:
    tested = {
        "bench_load",
        "bench_analysis",
        "bench_app",
        "bench_export",
        "bench_site",
        "bench_sessions",
        "bench_validate",
    }
    assert {p.stem for p in BENCHMARKS.glob("bench_*.py")} == tested


def test_bench_load() -> None:
    rows = bench_load.run([min(bench_load.SIZES)])
    assert [row["spaces"] for row in rows] == [min(bench_load.SIZES)]
    assert rows[0]["load_s"] > 0 and rows[0]["warnings_s"] >= 0 and rows[0]["peak_mb"] > 0


def test_bench_validate() -> None:
    rows = bench_validate.run([50])
    assert [(row["spaces"], row["way"]) for row in rows] == [(50, way) for way in bench_validate.WAYS]
    assert all(row["seconds"] > 0 and row["exit"] == 0 and row["lines"] > 0 for row in rows)
    readers = bench_validate.run_readers((1_000, 10_000), budget=20_000)
    assert len(readers) == len(bench_validate.READERS) and all(r[1_000] > 0 and r[10_000] > 0 for r in readers)


def test_bench_analysis() -> None:
    results = bench_analysis.run(min(bench_analysis.SIZES), repeat=1)
    assert len(results) == 7 and all(seconds >= 0 for seconds in results.values())


@pytest.mark.e2e
def test_bench_app(browser: Any, tmp_path: Path) -> None:
    """The browser benchmark on a tiny dataset: the floor, the app and the plain folium way, one page each."""
    n = min(bench_app.SIZES)
    (row,) = bench_app.run([n], plain_max=n, out=tmp_path, browser=browser, repeat=1)
    assert row["spaces"] == n and row["floor_s"] > 0
    app, plain = row["app"], row["plain"]
    for key in ("cold_s", "first_map_s", "filter_change_s", "restart_s", "peak_mb", "restart_peak_mb"):
        assert app[key] > 0, key
    assert app["data_file_bytes"] > 0 and app["ws_bytes"] > 0  # both counted from the browser's network events
    assert plain["first_map_s"] > 0 and plain["bytes_per_space"] > app["bytes_per_space"]  # what the app is for
    assert set(row["ratios"]) >= {"first_map", "filter_change", "plain_first_map"}


@pytest.mark.e2e
@pytest.mark.parametrize("behind_nginx", [False, True], ids=["direct", "behind-nginx"])
def test_bench_sessions(browser: Any, tmp_path: Path, behind_nginx: bool) -> None:
    """The many-sessions benchmark with three sessions on the floor page and the shipped data: every one gets its
    page, every map its spaces; also with every server behind nginx as deploy/ runs it."""
    floor, row = bench_sessions.run(
        [0], sessions=3, wave=3, settle=1, out=tmp_path, browser=browser, behind_nginx=behind_nginx
    )
    assert floor["data"] == "floor" and floor["maps_drawn"] == 3 and floor["cpu_s_per_session"] > 0
    assert row["maps_drawn"] == 3 and row["spaces"] > 100
    assert row["cpu_s_per_session"] > 0 and row["mb_before"] > 0 and row["mb_after"] > 0
    assert row["cpu_vs_floor"] == round(row["cpu_s_per_session"] / floor["cpu_s_per_session"], 2)
    assert floor["behind_nginx"] is row["behind_nginx"] is behind_nginx
    if behind_nginx:  # nginx's own CPU, counted apart (what it costs to send the files it took over)
        assert isinstance(row["nginx_cpu_s_per_session"], float) and row["nginx_cpu_s_per_session"] >= 0
    else:
        assert row["nginx_cpu_s_per_session"] is None


def test_bench_export(tmp_path: Path) -> None:
    """The export benchmark as committed, from its command line, on 100 synthetic spaces and every format."""
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "bench_export.py"), "100"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert [f for f in types.FORMATS if f" {f} " not in done.stdout] == [], done.stdout  # every format, measured


def test_bench_site() -> None:
    """The static site's benchmark for 2 s with 4 clients (nginx from scripts/setup --dev), and its bytes."""
    rows = bench_site.load_test(duration=2, clients=4)
    assert [row["target"].split(" ")[0] for row in rows] == ["index.html", rows[1]["target"].split(" ")[0]]
    assert rows[1]["target"].startswith("assets/data.")
    for row in rows:
        assert row["requests"] > 0 and row["rps"] > 0 and 0 < row["p50_ms"] <= row["p99_ms"]
        assert row["errors"] == 0 and row["bytes"] > 0
    sizes = bench_site.bytes_per_space([100])
    assert [row["spaces"] for row in sizes] == [sizes[0]["spaces"], 100]
    assert all(0 < row["gzip"] < row["raw"] for row in sizes)
