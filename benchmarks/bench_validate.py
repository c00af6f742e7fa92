"""Validating files built to be slow (issue 11): many spaces of one name, and the worst texts for the readers.

Usage: ``.venv/bin/python benchmarks/bench_validate.py [N ...]`` (default: 3000 100000). Prints two Markdown
tables to paste under "Hostile input" in benchmarks/RESULTS.md:

- `creative-map validate` (run in this process, its output counted, not printed) on N synthetic spaces
  (`benchmarks/synthetic.py`) three ways: as generated (every name different: the baseline), all under one name
  (spread over Hanoi's wards), and all under one name at one position (every pair a look-alike). Seconds,
  the ratio to the baseline of the same size, and the lines the command printed;
- the two readers that replaced backtracking patterns (`is_opening_hours`, `is_http_url`) on their worst texts
  of 1 kB and of 1 MB: microseconds per kB for each size (equal figures: linear).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import synthetic_features  # noqa: E402
from creative_map.cli import main as cli_main  # noqa: E402
from creative_map.patterns import is_http_url, is_opening_hours  # noqa: E402

SIZES = (3_000, 100_000)
WAYS = ("distinct names", "one name", "one name, one position")


def _features(n: int, way: str) -> list[dict[str, Any]]:
    features = synthetic_features(n)
    for f in features:
        if way != "distinct names":
            f["properties"]["name_vi"] = f["properties"]["name_en"] = "Không gian sáng tạo"
        if way == "one name, one position":
            first = features[0]
            f["geometry"] = first["geometry"]
            f["properties"]["district"] = first["properties"]["district"]
            f["properties"]["ward_2025"] = first["properties"]["ward_2025"]
    return features


def validate(path: Path) -> tuple[float, int, int]:
    """Run ``creative-map validate PATH`` here; return its seconds, exit code and number of printed lines."""
    out = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out):
        code = cli_main(["validate", str(path)])
    return time.perf_counter() - start, code, out.getvalue().count("\n")


def run(sizes: list[int]) -> list[dict[str, Any]]:
    """Measure `validate` on each size and way (files written to a temporary folder, then removed)."""
    logging.disable(logging.WARNING)
    rows = []
    try:
        validate(ROOT / "data" / "spaces.geojson")  # warm the unit tables and the boundary layers
        with tempfile.TemporaryDirectory() as tmp:
            for n in sizes:
                baseline = None
                for way in WAYS:
                    path = Path(tmp) / f"{n}-{WAYS.index(way)}.geojson"
                    document = {"type": "FeatureCollection", "features": _features(n, way)}
                    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
                    seconds, code, lines = validate(path)
                    baseline = baseline or seconds
                    rows.append(
                        {"spaces": n, "way": way, "seconds": seconds, "ratio": seconds / baseline, "exit": code}
                        | {"lines": lines, "file_mb": path.stat().st_size / 1e6}
                    )
                    path.unlink()
    finally:
        logging.disable(logging.NOTSET)
    return rows


def _worst(unit: str, size: int, prefix: str = "") -> str:
    return prefix + unit * (size // len(unit)) + "!"


READERS: dict[str, tuple[Callable[[str], bool], str, str]] = {
    "opening hours, 'Mo off;' repeated + '!'": (is_opening_hours, "Mo off;", ""),
    "opening hours, 'Mo;' repeated + '!'": (is_opening_hours, "Mo;", ""),
    "http(s) address, a host of 'a' with no dot": (is_http_url, "a", "https://"),
}


def run_readers(sizes: tuple[int, ...] = (1_000, 1_000_000), *, budget: int = 1_000_000) -> list[dict[str, Any]]:
    """Time each reader on its worst text of each size (best of 3, each reading about `budget` characters in
    texts of that size); microseconds per kB."""
    rows = []
    for name, (check, unit, prefix) in READERS.items():
        row: dict[str, Any] = {"text": name}
        for size in sizes:
            text = _worst(unit, size, prefix)
            repeat = max(1, budget // size)
            best = min(_time(check, text, repeat) for _ in range(3))
            row[size] = best / repeat / (len(text) / 1_000) * 1e6
        rows.append(row)
    return rows


def _time(check: Callable[[str], bool], text: str, repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        check(text)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=list(SIZES))
    args = parser.parse_args(argv)
    print("| spaces | file MB | names | validate s | ratio to distinct names | exit | lines printed |")
    print("|---:|---:|---|---:|---:|---:|---:|")
    for row in run(args.sizes):
        print(
            f"| {row['spaces']:,} | {row['file_mb']:.1f} | {row['way']} | {row['seconds']:.2f} | {row['ratio']:.2f} "
            f"| {row['exit']} | {row['lines']:,} |"
        )
    print()
    print("| worst text | µs per kB at 1 kB | µs per kB at 1 MB |")
    print("|---|---:|---:|")
    for row in run_readers():
        print(f"| {row['text']} | {row[1_000]:.1f} | {row[1_000_000]:.1f} |")


if __name__ == "__main__":
    main()
