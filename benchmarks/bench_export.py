"""Benchmark: every export format at 1,000 and 10,000 synthetic spaces (and the shipped data).

Run on purpose (not a test): ``.venv/bin/python benchmarks/bench_export.py [N ...]``. Prints a Markdown table
to paste under "Export" in benchmarks/RESULTS.md: wall-clock seconds of `creative_map.export.export` (the
selection made once beforehand, as the app and the CLI do; loading not timed) and the size of the file, each
format once (the exports are seconds long; the machine is shared, so expect some noise).
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import creative_map
from benchmarks.synthetic import write_synthetic
from creative_map import export, io, types
from creative_map.boundaries import load_boundaries

DATE = dt.date(2026, 11, 27)


def run(label: str, path: Path, formats: list[str]) -> list[str]:
    selection = creative_map.select(creative_map.load(path))
    boundaries = {level: load_boundaries(level) for level in types.LEVELS}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in formats:
            out = Path(tmp) / f"out{export.SUFFIXES[fmt]}"
            start = time.perf_counter()
            export.export(selection, fmt, out, boundaries=boundaries, date=DATE, force=True)
            seconds = time.perf_counter() - start
            size = out.stat().st_size
            rows.append(f"| {label} | {fmt} | {seconds:.2f} | {size / 1e6:.2f} | {size / len(selection):,.0f} |")
            print(rows[-1], flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[1_000, 10_000])
    parser.add_argument("--formats", default=",".join(export.FORMATS))
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    formats = args.formats.split(",")
    print(f"python {platform.python_version()}, {platform.machine()}")
    print("| spaces | format | seconds | MB | bytes per space |")
    print("|---|---|---|---|---|")
    shipped = io.data_path()
    if shipped.exists():
        run(f"{creative_map.load(shipped).total} (shipped)", shipped, formats)
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            run(f"{n:,}", write_synthetic(Path(tmp) / "spaces.geojson", n), formats)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory (max RSS) of the whole run: {peak:,.0f} MB")


if __name__ == "__main__":
    main()
