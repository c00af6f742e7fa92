"""Every benchmark runs as committed: each is imported and run on its smallest size (or on a tiny dataset).

The figures are not checked (the machine is shared); what is checked is that a benchmark still imports, still
calls the library as it is, and returns a sensible row for every measurement.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks import bench_analysis, bench_app, bench_load, bench_site, bench_validate
from creative_map import types

from .conftest import ROOT

BENCHMARKS = ROOT / "benchmarks"


def test_every_benchmark_has_a_smoke_test() -> None:
    tested = {"bench_load", "bench_analysis", "bench_app", "bench_export", "bench_site", "bench_validate"}
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
    """The browser benchmark on a tiny dataset, both ways (the app's lean layer and the plain folium way)."""
    n = min(bench_app.SIZES)
    rows = bench_app.run([n], plain_max=n, out=tmp_path, browser=browser)
    assert [(row["spaces"], row["way"]) for row in rows] == [(n, "lean"), (n, "plain")]
    for row in rows:
        assert row["first_map_warm_s"] > 0 and row["filter_change_s"] > 0 and row["ws_bytes_per_space"] > 0
    lean, plain = rows
    assert lean["html_bytes_per_space"] < plain["html_bytes_per_space"]  # what the lean layer is for


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
