"""Benchmark: the spatial join and the statistics at 1,000, 10,000 and 100,000 synthetic spaces.

Run on purpose (not a test): ``.venv/bin/python benchmarks/bench_analysis.py [N ...]``. Prints a Markdown
table to paste under "Analysis and boundaries" in benchmarks/RESULTS.md. Each figure is the best of
`REPEAT` runs (wall clock, seconds) on the spaces loaded once with `creative_map.load` and selected with
`creative_map.select` (everything).
"""

from __future__ import annotations

import argparse
import logging
import platform
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import creative_map
from benchmarks.synthetic import write_synthetic
from creative_map import analysis, boundaries, spatial_checks

REPEAT = 3
SIZES = (1_000, 10_000, 100_000)


def best_of(fn: Callable[[], Any], repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def run(n: int, repeat: int) -> dict[str, float]:
    """Return the seconds of each operation on `n` synthetic spaces (the best of `repeat`; the load once)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = write_synthetic(Path(tmp) / "spaces.geojson", n)
        start = time.perf_counter()
        dataset = creative_map.load(path)
        load = time.perf_counter() - start
    selection = creative_map.select(dataset)
    spaces = selection.spaces
    districts = boundaries.load_boundaries("district")
    wards = boundaries.load_boundaries("ward_2025")
    return {
        "load + validate": load,
        "assign_units (both layers)": best_of(lambda: boundaries.assign_units(spaces), repeat),
        "validate's join check": best_of(lambda: spatial_checks.join_problems(spaces, file="f"), repeat),
        "unit_statistics, 30 districts": best_of(
            lambda: analysis.unit_statistics(selection, districts, level="district"), repeat
        ),
        "unit_statistics, 126 wards": best_of(
            lambda: analysis.unit_statistics(selection, wards, level="ward_2025"), repeat
        ),
        "unit_statistics by join, 126 wards": best_of(
            lambda: analysis.unit_statistics(selection, wards, level="ward_2025", by="join"), repeat
        ),
        "spaces_near (1 km)": best_of(
            lambda: analysis.spaces_near(selection, 105.8523, 21.0288, radius_m=1000), repeat
        ),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=list(SIZES))
    parser.add_argument("--repeat", type=int, default=REPEAT)
    args = parser.parse_args(argv)
    logging.getLogger("creative_map").setLevel(logging.ERROR)  # synthetic positions draw join warnings
    results = {n: run(n, args.repeat if n < 100_000 else 1) for n in args.sizes}
    rows = list(next(iter(results.values())))
    print(
        f"Python {platform.python_version()}, {platform.machine()}; best of {args.repeat} (1 at 100,000); "
        f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB\n"
    )
    print("| operation | " + " | ".join(f"{n:,} spaces" for n in args.sizes) + " |")
    print("|---|" + "---:|" * len(args.sizes))
    for row in rows:
        print(f"| {row} | " + " | ".join(f"{results[n][row]:.3f} s" for n in args.sizes) + " |")


if __name__ == "__main__":
    main()
