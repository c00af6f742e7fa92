"""Loading and validating synthetic spaces files: time and peak memory (run on purpose, not in the tests).

Usage: ``.venv/bin/python benchmarks/bench_load.py [N ...]`` (default: 1000 10000 100000). Prints a Markdown table
to paste under "Loading and validating" in benchmarks/RESULTS.md: seconds of `creative_map.load` (read, check every
field of every feature, build the frame and its derived columns), seconds of the dataset's spatial warnings
(look-alike duplicates, points outside their unit: computed when first asked for, as ``creative-map validate``
does), and the peak memory Python allocates during a load.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import creative_map  # noqa: E402
from benchmarks.synthetic import write_synthetic  # noqa: E402

SIZES = (1_000, 10_000, 100_000)


def measure(path: Path) -> dict[str, Any]:
    """Return the seconds of a load and of its warnings, and the peak traced memory of a second load, for `path`."""
    start = time.perf_counter()
    dataset = creative_map.load(path)
    loaded = time.perf_counter()
    warnings = len(dataset.warnings)
    checked = time.perf_counter()
    tracemalloc.start()  # a second load, traced (tracing slows it several times: not timed)
    creative_map.load(path)
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return {
        "spaces": dataset.total,
        "file_mb": path.stat().st_size / 1e6,
        "load_s": loaded - start,
        "warnings_s": checked - loaded,
        "warnings": warnings,
        "peak_mb": peak,
    }


def run(sizes: list[int]) -> list[dict[str, Any]]:
    """Measure `measure` on synthetic files of each size (written to a temporary folder, then removed)."""
    logging.disable(logging.WARNING)  # synthetic points near ward centres set off boundary warnings
    try:
        creative_map.load(ROOT / "data" / "spaces.geojson")  # warm the unit tables
        with tempfile.TemporaryDirectory() as tmp:
            return [measure(write_synthetic(Path(tmp) / f"s{n}.geojson", n)) for n in sizes]
    finally:
        logging.disable(logging.NOTSET)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=list(SIZES))
    args = parser.parse_args(argv)
    print("| spaces | file MB | load s | warnings s | peak Python MB (load, traced) |")
    print("|---:|---:|---:|---:|---:|")
    for row in run(args.sizes):
        print(
            f"| {row['spaces']:,} | {row['file_mb']:.1f} | {row['load_s']:.2f} | {row['warnings_s']:.2f} "
            f"| {row['peak_mb']:.0f} |"
        )


if __name__ == "__main__":
    main()
