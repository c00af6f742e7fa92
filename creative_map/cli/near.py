"""``creative-map near LON LAT``: the selected spaces within a radius of a point, nearest first."""

from __future__ import annotations

import argparse

import pandas as pd

import creative_map
from creative_map import analysis, schema
from creative_map.cli.common import (
    EXIT_OK,
    Subparsers,
    add_command,
    add_filter_arguments,
    add_output_arguments,
    data_arg,
    emit,
    filter_from_args,
)

__all__ = ["COLUMNS", "register", "run"]

HELP = "spaces within a radius of a point, nearest first"
COLUMNS = (schema.ID, schema.NAME_VI, schema.CATEGORY, schema.STATUS, schema.DISTRICT, analysis.DISTANCE_M)
"""The columns printed, in order."""


def register(subparsers: Subparsers) -> None:
    """Add the ``near`` command to `subparsers`."""
    parser = add_command(subparsers, "near", help=HELP, run=run)
    parser.add_argument("lon", type=float, help="longitude, e.g. 105.8523")
    parser.add_argument("lat", type=float, help="latitude, e.g. 21.0288")
    parser.add_argument("--radius", type=float, default=1000.0, metavar="METRES", help="search radius (default: 1000)")
    add_filter_arguments(parser)
    add_output_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Print or write the spaces found with their distance in metres."""
    flt = filter_from_args(args)
    selection = creative_map.select(creative_map.load(data_arg(args)), flt)
    found = analysis.spaces_near(selection, args.lon, args.lat, radius_m=args.radius)
    emit(pd.DataFrame(found[list(COLUMNS)]).reset_index(drop=True), args)
    return EXIT_OK
