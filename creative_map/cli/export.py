"""``creative-map export --format F -o PATH``: the selected spaces in one format, written atomically.

It takes the same filter options as every selecting command (the app's sidebar choices), selects through
`creative_map.select` and hands the `Selection` to `creative_map.export.export`.
"""

from __future__ import annotations

import argparse

import creative_map
from creative_map import export, i18n
from creative_map.cli.common import (
    EXIT_OK,
    Subparsers,
    add_command,
    add_filter_arguments,
    check_output,
    data_arg,
    filter_from_args,
    input_file,
    iso_day,
    output_file,
)
from creative_map.types import DEFAULT_LANG, FORMATS, LANGS, PAGES

__all__ = ["register", "run"]

HELP = "write the filtered spaces as geojson, csv, kml, kmz, gpkg, shp (zip), html, png, pdf or a bundle zip"


def register(subparsers: Subparsers) -> None:
    """Add the ``export`` command to `subparsers`."""
    parser = add_command(subparsers, "export", help=HELP, run=run)
    parser.add_argument(
        "--format",
        "-f",
        required=True,
        choices=FORMATS,
        dest="fmt",
        metavar="FORMAT",
        help=f"one of: {', '.join(FORMATS)} (shp and bundle are zip files)",
    )
    parser.add_argument("-o", "--output", required=True, type=output_file, metavar="PATH", help="the file to write")
    parser.add_argument("--force", action="store_true", help="replace PATH if it exists")
    parser.add_argument(
        "--lang",
        choices=LANGS,
        default=DEFAULT_LANG,
        help=f"language of names and labels (default: {DEFAULT_LANG})",
    )
    parser.add_argument("--page", choices=PAGES, default="A4", help="paper of the print map, landscape (png, pdf)")
    parser.add_argument(
        "--boundaries",
        action="append",
        type=input_file,
        default=[],
        metavar="FILE",
        help="official boundaries (any file GDAL reads, any CRS) of the 30 districts or of the 126 "
        "2025 units, recognised by their names; repeat for both levels. Default: the shipped, "
        "approximate layers",
    )
    parser.add_argument("--name-field", metavar="FIELD", help="the field of the --boundaries files holding unit names")
    parser.add_argument("--events", metavar="PATH", help="events file (default: events.geojson beside the data)")
    parser.add_argument(
        "--date",
        type=iso_day,
        metavar="YYYY-MM-DD",
        help="export date written into the files (default: today, UTC)",
    )
    add_filter_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Write the export; print ``PATH: N of M spaces as FMT (the filter in words)``."""
    flt = filter_from_args(args)
    if args.name_field and not args.boundaries:
        raise ValueError("--name-field needs --boundaries FILE")
    check_output(args.output, force=args.force)
    layers = export.load_boundary_files(args.boundaries, args.name_field) if args.boundaries else None
    selection = creative_map.select(creative_map.load(data_arg(args), events_path=args.events), flt)
    path = export.export(
        selection,
        args.fmt,
        args.output,
        boundaries=layers,
        lang=args.lang,
        page=args.page,
        date=args.date,
        force=args.force,
    )
    print(f"{path}: {len(selection)} of {selection.total} spaces as {args.fmt} ({i18n.describe_filter(flt, 'en')})")
    return EXIT_OK
