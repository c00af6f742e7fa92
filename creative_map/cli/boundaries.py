"""``creative-map boundaries build|check|accuracy``: the boundary layers (the shipped ones are approximate)."""

from __future__ import annotations

import argparse

from creative_map import boundaries
from creative_map.atomic import check_writable_dir
from creative_map.cli.common import (
    EXIT_OK,
    LEVEL_CHOICES,
    Subparsers,
    UsageError,
    add_command,
    input_file,
    level_from_args,
    output_dir,
)
from creative_map.text import clip

__all__ = ["register", "run"]

HELP = "build, check or measure the boundary layers (the shipped ones are approximate)"


def register(subparsers: Subparsers) -> None:
    """Add the ``boundaries`` command to `subparsers`."""
    parser = add_command(subparsers, "boundaries", help=HELP, run=run)
    parser.add_argument(
        "action",
        choices=("build", "check", "accuracy"),
        help="build: regenerate the shipped approximate layers (byte for byte); check FILE: test an official file "
        "against --by units; accuracy: compare the 2025 layer's areas with the stated ones",
    )
    parser.add_argument(
        "file", nargs="?", type=input_file, metavar="FILE", help="for check (and accuracy): the boundary file"
    )
    parser.add_argument("--by", choices=tuple(LEVEL_CHOICES), default="district", help="for check: the level of FILE")
    parser.add_argument("--name-field", metavar="FIELD", help="for check: the field holding the units' names")
    parser.add_argument(
        "--out",
        type=output_dir,
        metavar="DIR",
        help="for build: where to write (default: the shipped layers, creative_map/resources/boundaries)",
    )


def run(args: argparse.Namespace) -> int:
    """Do the action; print what was written, checked or measured."""
    if args.action == "build":
        if args.out is not None:  # at once: the build takes seconds
            try:
                check_writable_dir(args.out)
            except OSError as exc:
                raise type(exc)(f"--out {clip(args.out)}: {exc}") from None
        for path in boundaries.build_boundaries(args.out):
            print(f"wrote {path} ({path.stat().st_size:,} bytes)")
        return EXIT_OK
    if args.action == "check":
        if not args.file:
            raise UsageError("boundaries check needs a FILE")
        units = boundaries.load_boundaries(level_from_args(args), args.file, name_field=args.name_field)
        print(f"{args.file}: valid, {len(units)} {args.by} units")
        return EXIT_OK
    layer = boundaries.load_boundaries("ward_2025", args.file, name_field=args.name_field) if args.file else None
    table = boundaries.accuracy_table(layer)
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
