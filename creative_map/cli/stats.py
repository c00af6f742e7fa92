"""``creative-map stats``: statistics of the selected spaces per district or 2025 ward."""

from __future__ import annotations

import argparse

import creative_map
from creative_map import analysis
from creative_map.boundaries import CODE, NAME
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
    units_from_args,
)

__all__ = ["register", "run"]

HELP = "statistics per district or 2025 ward: counts, density, coverage"


def register(subparsers: Subparsers) -> None:
    """Add the ``stats`` command to `subparsers`."""
    parser = add_command(subparsers, "stats", help=HELP, run=run)
    add_unit_arguments(parser)
    parser.add_argument(
        "--count-by",
        choices=("attribute", "join"),
        default="attribute",
        help="attribute: each space in its stated unit, as the filter does (default); join: in the unit whose "
        "polygon holds it",
    )
    parser.add_argument(
        "--wide",
        action="store_true",
        help="on screen, every column (the per-category counts too); by default a table that fits 100 columns "
        "(CSV, JSON and -o FILE always hold every column)",
    )
    add_filter_arguments(parser)
    add_output_arguments(parser)


SCREEN: tuple[str, ...] = (
    NAME,
    CODE,
    analysis.TOTAL,
    analysis.ACTIVE,
    analysis.AREA_KM2,
    analysis.SPACES_PER_KM2,
    analysis.SHARE_500M,
    analysis.SHARE_1KM,
    analysis.NEAREST_ACTIVE_M,
)
"""The columns a table on screen shows (``--wide``: all of them)."""
WIDE_NOTE = "per-category counts: --wide, or --format csv|json, or -o FILE"


def run(args: argparse.Namespace) -> int:
    """Print or write one row of statistics per unit (every unit included)."""
    flt = filter_from_args(args)
    if args.output:
        check_output(args.output, force=args.force)
    units = units_from_args(args)
    selection = creative_map.select(creative_map.load(data_arg(args)), flt)
    table = analysis.unit_statistics(selection, units, level=level_from_args(args), by=args.count_by)
    notes = [approximate_note(units), "" if args.wide else WIDE_NOTE]
    emit(table, args, note="\n".join(n for n in notes if n), screen=SCREEN, fit=not args.wide)
    return EXIT_OK
