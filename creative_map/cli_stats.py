"""Commands for planners: ``stats``, ``gaps``, ``near`` and ``boundaries`` (build, check, accuracy).

They register in `creative_map.cli.COMMANDS`; each parses its options into calls of
`creative_map.analysis` and `creative_map.boundaries` and prints or writes the table.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
from pathlib import Path
from typing import Any

import pandas as pd

from creative_map import analysis, boundaries, io, schema
from creative_map.boundaries import Level
from creative_map.cli import COMMANDS, EXIT_OK, add_filter_arguments, filter_from_args
from creative_map.query import filter_spaces

__all__: list[str] = []

logger = logging.getLogger(__name__)

_LEVELS: dict[str, Level] = {"district": "district", "ward": "ward_2025"}
_FORMATS = ("table", "csv", "json")
_DECIMALS = {
    analysis.AREA_KM2: 3,
    analysis.SPACES_PER_KM2: 3,
    analysis.SHARE_500M: 3,
    analysis.SHARE_1KM: 3,
    analysis.NEAREST_ACTIVE_M: 0,
    analysis.DISTANCE_M: 0,
}


def _add_output(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--format",
        choices=_FORMATS,
        help="table (readable), csv or json; default: from the -o suffix (.csv, .json), else table",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of the screen")
    p.add_argument("--force", action="store_true", help="replace an existing FILE")


def _add_units(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--by",
        choices=tuple(_LEVELS),
        default="district",
        help="district: the 30 pre-2025 districts; ward: the 126 wards and communes of 2025 (default: district)",
    )
    p.add_argument(
        "--boundaries",
        metavar="FILE",
        help="official boundaries of the --by units (any file GDAL reads, any CRS) instead of the shipped "
        "approximate ones",
    )
    p.add_argument("--name-field", metavar="FIELD", help="the field of --boundaries holding the units' names")


def _spaces(args: argparse.Namespace) -> Any:
    spaces = io.load_spaces(getattr(args, "data", None))
    flt = filter_from_args(args)
    events = None
    if flt.event_start or flt.event_end:
        events = io.load_events(io.events_path_for(io.data_path(getattr(args, "data", None))), spaces=spaces)
    return filter_spaces(spaces, flt, events=events)


def _units(args: argparse.Namespace) -> tuple[Level, Any]:
    level = _LEVELS[args.by]
    if args.name_field and not args.boundaries:
        raise ValueError("--name-field needs --boundaries FILE")
    return level, boundaries.load_boundaries(level, args.boundaries, name_field=args.name_field)


def _clean(value: Any, column: str) -> Any:
    if isinstance(value, float):
        if math.isnan(value):
            return None
        digits = _DECIMALS.get(column)
        if digits == 0:
            return round(value)
        if digits is not None:
            return round(value, digits)
    if hasattr(value, "item"):  # numpy scalars
        return _clean(value.item(), column)
    return value


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    return [{c: _clean(v, c) for c, v in zip(table.columns, row, strict=True)} for row in table.itertuples(False)]


def _render(table: pd.DataFrame, fmt: str) -> str:
    records = _records(table)
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    clean = pd.DataFrame(records, columns=list(table.columns))
    if fmt == "csv":
        return str(clean.to_csv(index=False, lineterminator="\n"))
    if clean.empty:
        return "(none)\n"
    return str(clean.to_string(index=False, na_rep="-")) + "\n"


def _emit(table: pd.DataFrame, args: argparse.Namespace, *, note: str = "") -> None:
    fmt = args.format
    if fmt is None:
        suffix = Path(args.output).suffix.lower().lstrip(".") if args.output else ""
        fmt = suffix if suffix in ("csv", "json") else "table"
    text = _render(table, fmt)
    if args.output:
        with io.atomic_path(args.output, force=args.force) as tmp:
            tmp.write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
        print(f"wrote {len(table)} rows to {args.output}")
    else:
        print(text, end="")
    if note and fmt == "table":
        print(note)


def _approx_note(units: Any) -> str:
    if bool(units[boundaries.APPROXIMATE].any()):
        return "note: areas come from approximate derived boundaries, not legal ones (see data/boundaries/README.md)"
    return ""


# ------------------------------------------------------------------------------------------------------ stats


def _add_stats(p: argparse.ArgumentParser) -> None:
    _add_units(p)
    p.add_argument(
        "--count-by",
        choices=("attribute", "join"),
        default="attribute",
        help="attribute: each space in its stated unit, as the filter does (default); join: in the unit whose "
        "polygon holds it",
    )
    add_filter_arguments(p)
    _add_output(p)


def _stats(args: argparse.Namespace) -> int:
    spaces = _spaces(args)
    level, units = _units(args)
    table = analysis.unit_statistics(spaces, units, level=level, by=args.count_by)
    _emit(table, args, note=_approx_note(units))
    return EXIT_OK


# ------------------------------------------------------------------------------------------------------- gaps


def _add_gaps(p: argparse.ArgumentParser) -> None:
    _add_units(p)
    p.add_argument(
        "--distance",
        type=float,
        default=1000.0,
        metavar="METRES",
        help="a unit is a gap when no active space lies within this distance of its centre (default: 1000)",
    )
    add_filter_arguments(p)
    _add_output(p)


def _gaps(args: argparse.Namespace) -> int:
    spaces = _spaces(args)
    level, units = _units(args)
    table = analysis.gaps(spaces, units, level=level, distance_m=args.distance)
    _emit(table, args, note=_approx_note(units))
    if not args.output and (args.format in (None, "table")):
        print(f"{len(table)} of {len(units)} units have no active space within {args.distance:,.0f} m of their centre")
    return EXIT_OK


# ------------------------------------------------------------------------------------------------------- near


def _add_near(p: argparse.ArgumentParser) -> None:
    p.add_argument("lon", type=float, help="longitude, e.g. 105.8523")
    p.add_argument("lat", type=float, help="latitude, e.g. 21.0288")
    p.add_argument("--radius", type=float, default=1000.0, metavar="METRES", help="search radius (default: 1000)")
    add_filter_arguments(p)
    _add_output(p)


def _near(args: argparse.Namespace) -> int:
    spaces = _spaces(args)
    found = analysis.spaces_near(spaces, args.lon, args.lat, radius_m=args.radius)
    columns = [schema.ID, schema.NAME_VI, schema.CATEGORY, schema.STATUS, schema.DISTRICT, analysis.DISTANCE_M]
    _emit(pd.DataFrame(found[columns]).reset_index(drop=True), args)
    return EXIT_OK


# ------------------------------------------------------------------------------------------------- boundaries


def _add_boundaries(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "action",
        choices=("build", "check", "accuracy"),
        help="build: regenerate the shipped approximate layers (byte for byte); check FILE: test an official file "
        "against --by units; accuracy: compare the 2025 layer's areas with the stated ones",
    )
    p.add_argument("file", nargs="?", metavar="FILE", help="for check: the boundary file")
    p.add_argument("--by", choices=tuple(_LEVELS), default="district", help="for check: the level of FILE")
    p.add_argument("--name-field", metavar="FIELD", help="for check: the field holding the units' names")
    p.add_argument("--out", metavar="DIR", help="for build: where to write (default: data/boundaries)")


def _boundaries(args: argparse.Namespace) -> int:
    if args.action == "build":
        for path in boundaries.build_boundaries(args.out):
            print(f"wrote {path} ({path.stat().st_size:,} bytes)")
        return EXIT_OK
    if args.action == "check":
        if not args.file:
            raise ValueError("boundaries check needs a FILE")
        level = _LEVELS[args.by]
        units = boundaries.load_boundaries(level, args.file, name_field=args.name_field)
        print(f"{args.file}: valid, {len(units)} {args.by} units")
        return EXIT_OK
    table = boundaries.accuracy_table(
        boundaries.load_boundaries("ward_2025", args.file, name_field=args.name_field) if args.file else None
    )
    error = table["error_pct"].abs()
    print(
        f"area error of the 126 units against the stated areas: median {error.median():.1f} %, "
        f"mean {error.mean():.1f} %, within 20 %: {(error <= 20).mean():.0%}; "
        f"stated centroid inside its polygon: {table['centroid_inside'].mean():.0%}"
    )
    worst = table.assign(abs_error=error).sort_values("abs_error", ascending=False).head(5)
    for row in worst.itertuples():
        print(f"  {row.name}: {row.area_km2:.2f} km² derived, {row.stated_km2:.2f} km² stated ({row.error_pct:+.0f} %)")
    return EXIT_OK


COMMANDS["stats"] = ("statistics per district or 2025 ward: counts, density, coverage", _add_stats, _stats)
COMMANDS["gaps"] = ("units with no active space within a distance, farthest first", _add_gaps, _gaps)
COMMANDS["near"] = ("spaces within a radius of a point, nearest first", _add_near, _near)
COMMANDS["boundaries"] = (
    "build, check or measure the boundary layers (the shipped ones are approximate)",
    _add_boundaries,
    _boundaries,
)
