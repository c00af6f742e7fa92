"""``creative-map near LON LAT``: the selected spaces within a radius of a point, nearest first.

The point is checked before anything is read: finite numbers, a longitude and a latitude, and not a point
written latitude first (``near 21.02 105.85`` lies outside Hanoi while ``near 105.85 21.02`` lies in it: the
message asks whether that was meant).
"""

from __future__ import annotations

import argparse

import pandas as pd

import creative_map
from creative_map import analysis, schema
from creative_map.cli.common import (
    EXIT_OK,
    Subparsers,
    UsageError,
    add_command,
    add_filter_arguments,
    add_output_arguments,
    check_output,
    data_arg,
    emit,
    filter_from_args,
    finite_number,
    positive_number,
)

__all__ = ["AROUND_HANOI", "COLUMNS", "check_point", "register", "run"]

HELP = "spaces within a radius of a point, nearest first"
COLUMNS = (schema.ID, schema.NAME_VI, schema.CATEGORY, schema.STATUS, schema.DISTRICT, analysis.DISTANCE_M)
"""The columns printed, in order."""
AROUND_HANOI = (104.78, 20.06, 106.52, 21.89)
"""Hanoi's bounding box (`schema.HANOI_BBOX`) with half a degree around it: lon/lat min, then max."""


def _around_hanoi(lon: float, lat: float) -> bool:
    min_lon, min_lat, max_lon, max_lat = AROUND_HANOI
    return min_lon <= lon <= max_lon and min_lat <= lat <= max_lat


def check_point(lon: float, lat: float) -> None:
    """Refuse a point that is not a longitude and a latitude, or that looks written latitude first.

    Raises
    ------
    UsageError
        Naming LON and LAT, with ``did you mean near LAT LON?`` when the two swapped fall in Hanoi.
    """
    if not _around_hanoi(lon, lat) and _around_hanoi(lat, lon):
        raise UsageError(
            f"LON LAT: {lon} {lat} is not in Hanoi, and the first number looks like a latitude (Hanoi lies near "
            f"longitude 105.8, latitude 21.0); did you mean near {lat} {lon}?"
        )
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise UsageError(f"LON LAT: {lon} {lat} is not a longitude (-180 to 180) and a latitude (-90 to 90)")


def register(subparsers: Subparsers) -> None:
    """Add the ``near`` command to `subparsers`."""
    parser = add_command(subparsers, "near", help=HELP, run=run)
    parser.add_argument("lon", type=finite_number, metavar="LON", help="longitude, e.g. 105.8523")
    parser.add_argument("lat", type=finite_number, metavar="LAT", help="latitude, e.g. 21.0288")
    parser.add_argument(
        "--radius", type=positive_number, default=1000.0, metavar="METRES", help="search radius (default: 1000)"
    )
    add_filter_arguments(parser)
    add_output_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Print or write the spaces found with their distance in metres."""
    check_point(args.lon, args.lat)
    flt = filter_from_args(args)
    if args.output:
        check_output(args.output, force=args.force)
    selection = creative_map.select(creative_map.load(data_arg(args)), flt)
    found = analysis.spaces_near(selection, args.lon, args.lat, radius_m=args.radius)
    emit(pd.DataFrame(found[list(COLUMNS)]).reset_index(drop=True), args)
    return EXIT_OK
