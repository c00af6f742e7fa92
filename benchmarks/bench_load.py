"""Loading and validating synthetic spaces files: time and peak memory (run on purpose, not in the tests).

Usage: .venv/bin/python benchmarks/bench_load.py [N ...]   (default: 1000 10000 100000)
"""

from __future__ import annotations

import logging
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import write_synthetic

from creative_map import load_spaces
from creative_map.io import check_file


def main(sizes: list[int]) -> None:
    logging.disable(logging.WARNING)  # synthetic points near ward centres set off boundary warnings
    load_spaces(Path(__file__).resolve().parent.parent / "data" / "spaces.geojson")  # warm the unit tables
    print("| spaces | file MB | check_file s | load_spaces s | peak Python MB (load, traced) |")
    print("|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = write_synthetic(Path(tmp) / f"s{n}.geojson", n)
            t0 = time.perf_counter()
            check_file(path)
            t1 = time.perf_counter()
            t2 = time.perf_counter()
            load_spaces(path)
            t3 = time.perf_counter()
            tracemalloc.start()  # a second load, traced (tracing slows it several times: not timed)
            load_spaces(path)
            peak = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.stop()
            mb = path.stat().st_size / 1e6
            print(f"| {n:,} | {mb:.1f} | {t1 - t0:.2f} | {t3 - t2:.2f} | {peak:.0f} |")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000, 100000])
