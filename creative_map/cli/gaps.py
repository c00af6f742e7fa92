"""``creative-map gaps``: the units whose centre has no active space within a distance, farthest first."""

from __future__ import annotations

import argparse

import creative_map
from creative_map import analysis
from creative_map.cli.common import (
    EXIT_OK,
    Subparsers,
    add_command,
    add_filter_arguments,
    add_output_arguments,
    add_unit_arguments,
    approximate_note,
    check_output,
    data_arg,
    emit,
    filter_from_args,
    level_from_args,
    output_format,
    positive_number,
    units_from_args,
)

__all__ = ["register", "run"]

HELP = "units with no active space within a distance, farthest first"


def register(subparsers: Subparsers) -> None:
    """Add the ``gaps`` command to `subparsers`."""
    parser = add_command(subparsers, "gaps", help=HELP, run=run)
    add_unit_arguments(parser)
    parser.add_argument(
        "--distance",
        type=positive_number,
        default=1000.0,
        metavar="METRES",
        help="a unit is a gap when no active space lies within this distance of its centre (default: 1000)",
    )
    add_filter_arguments(parser)
    add_output_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Print or write the ranked gaps; on screen, say how many units of all are gaps."""
    flt = filter_from_args(args)
    if args.output:
        check_output(args.output, force=args.force)
    units = units_from_args(args)
    selection = creative_map.select(creative_map.load(data_arg(args)), flt)
    table = analysis.gaps(selection, units, level=level_from_args(args), distance_m=args.distance)
    emit(table, args, note=approximate_note(units))
    if not args.output and output_format(args) == "table":
        print(f"{len(table)} of {len(units)} units have no active space within {args.distance:,.0f} m of their centre")
    return EXIT_OK
