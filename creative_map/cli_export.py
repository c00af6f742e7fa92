"""The ``export`` command: the filtered spaces in one format, written atomically.

``creative-map export --format F -o PATH`` takes the same filter options as every selecting command (the
app's sidebar choices) and hands them to `creative_map.export.export`.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from creative_map import export, io
from creative_map.cli import COMMANDS, EXIT_OK, add_filter_arguments, filter_from_args
from creative_map.errors import DataError

__all__: list[str] = []


def _add_export(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--format",
        "-f",
        required=True,
        choices=export.FORMATS,
        dest="fmt",
        metavar="FORMAT",
        help=f"one of: {', '.join(export.FORMATS)} (shp and bundle are zip files)",
    )
    p.add_argument("-o", "--output", required=True, metavar="PATH", help="the file to write")
    p.add_argument("--force", action="store_true", help="replace PATH if it exists")
    p.add_argument("--lang", choices=("vi", "en"), default="vi", help="language of names and labels (default: vi)")
    p.add_argument("--page", choices=("A4", "A3"), default="A4", help="paper of the print map, landscape (png, pdf)")
    p.add_argument(
        "--boundaries",
        action="append",
        default=[],
        metavar="FILE",
        help="official boundaries (any file GDAL reads, any CRS) of the 30 districts or of the 126 "
        "2025 units, recognised by their names; repeat for both levels. Default: the shipped, "
        "approximate layers",
    )
    p.add_argument("--name-field", metavar="FIELD", help="the field of the --boundaries files holding unit names")
    p.add_argument("--events", metavar="PATH", help="events file (default: events.geojson beside the data)")
    p.add_argument(
        "--date",
        type=dt.date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="export date written into the files (default: today, UTC)",
    )
    add_filter_arguments(p)


def _load_boundaries(files: list[str], name_field: str | None) -> dict[str, Any]:
    """Load each file as whichever level it holds (districts or 2025 units); refuse one that is neither."""
    from creative_map.boundaries import load_boundaries

    layers: dict[str, Any] = {}
    for file in files:
        errors: list[str] = []
        for level in export.LEVELS:
            try:
                units = load_boundaries(level, file, name_field=name_field)
            except (DataError, ValueError) as exc:
                errors.append(f"  as {level}: {exc}")
                continue
            if level in layers:
                raise ValueError(f"--boundaries: two files hold the {level} units (the second is {file})")
            layers[level] = units
            break
        else:
            raise ValueError(
                f"--boundaries {file}: neither the 30 districts nor the 126 units of 2025:\n" + "\n".join(errors)
            )
    return layers


def _export(args: argparse.Namespace) -> int:
    flt = filter_from_args(args)
    data = io.data_path(getattr(args, "data", None))
    spaces = io.load_spaces(data)
    events_path = Path(args.events) if args.events else io.events_path_for(data)
    events = io.load_events(events_path, spaces=spaces) if args.events or events_path.exists() else None
    boundaries = _load_boundaries(args.boundaries, args.name_field) if args.boundaries else None
    if args.name_field and not args.boundaries:
        raise ValueError("--name-field needs --boundaries FILE")
    path = export.export(
        spaces,
        args.fmt,
        args.output,
        events=events,
        boundaries=boundaries,
        flt=flt,
        lang=args.lang,
        page=args.page,
        date=args.date,
        force=args.force,
    )
    n = len(export.select_spaces(spaces, flt, events=events))
    print(f"{path}: {n} of {len(spaces)} spaces as {args.fmt} ({export.describe_filter(flt, 'en')})")
    return EXIT_OK


COMMANDS["export"] = (
    "write the filtered spaces as geojson, csv, kml, kmz, gpkg, shp (zip), html, png, pdf or a bundle zip",
    _add_export,
    _export,
)
