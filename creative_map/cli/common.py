"""What the commands share: the ``--data`` option, the filter options, the unit options, the table output and
the exit codes.

A command module calls `add_command` from its ``register`` function to get its parser (with ``--data``) and
the functions here to add the options it takes; its ``run`` turns them into library calls with
`filter_from_args`, `level_from_args`, `units_from_args` and `emit`.
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final, TypeAlias

import geopandas as gpd
import pandas as pd

from creative_map import analysis, boundaries, schema
from creative_map.atomic import write_text_atomic
from creative_map.query import Filter
from creative_map.types import LEVELS, Level

__all__ = [
    "APPROXIMATE_NOTE",
    "EXIT_DATA",
    "EXIT_OK",
    "EXIT_USAGE",
    "LEVEL_CHOICES",
    "TABLE_FORMATS",
    "Run",
    "Subparsers",
    "add_command",
    "add_filter_arguments",
    "add_output_arguments",
    "add_unit_arguments",
    "approximate_note",
    "check_output",
    "data_arg",
    "data_parent",
    "emit",
    "filter_from_args",
    "level_from_args",
    "output_format",
    "render",
    "units_from_args",
]

EXIT_OK: Final = 0
"""The command did what it was asked."""
EXIT_DATA: Final = 1
"""Bad data or a failure: a message says what (file, feature, field, value)."""
EXIT_USAGE: Final = 2
"""Bad arguments (argparse prints the usage)."""

Run: TypeAlias = Callable[[argparse.Namespace], int]
"""What a command does with its parsed arguments; returns the exit code."""
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

LEVEL_CHOICES: Final[dict[str, Level]] = {level.removesuffix("_2025"): level for level in LEVELS}
"""The spelling of ``--by`` for each unit level: ``district``, ``ward`` (the 126 wards and communes of 2025)."""
TABLE_FORMATS: Final = ("table", "csv", "json")
"""How a command prints a table: readable on screen, CSV (UTF-8 with BOM in a file) or a JSON list of rows."""

_DECIMALS = {
    analysis.AREA_KM2: 3,
    analysis.SPACES_PER_KM2: 3,
    analysis.SHARE_500M: 3,
    analysis.SHARE_1KM: 3,
    analysis.NEAREST_ACTIVE_M: 0,
    analysis.DISTANCE_M: 0,
}
"""Digits kept per column in the tables (0: a whole number)."""

APPROXIMATE_NOTE: Final = (
    "note: areas come from approximate derived boundaries, not legal ones (see data/boundaries/README.md)"
)


# ----------------------------------------------------------------------------------------------- parsers


def data_parent() -> argparse.ArgumentParser:
    """Return a parent parser holding ``--data`` (given to the main parser and to every command, so that the
    option works before and after the command's name)."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--data",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="spaces file (default: $CREATIVE_MAP_DATA, else data/spaces.geojson)",
    )
    return parent


def add_command(subparsers: Subparsers, name: str, *, help: str, run: Run) -> argparse.ArgumentParser:
    """Add the parser of command `name` (with ``--data``) whose parsed arguments go to `run`; return it."""
    parser = subparsers.add_parser(name, help=help, description=help, parents=[data_parent()])
    parser.set_defaults(run=run)
    return parser


def data_arg(args: argparse.Namespace) -> str | None:
    """Return the ``--data`` value, None when not given (the library then picks the default file)."""
    value = getattr(args, "data", None)
    return str(value) if value is not None else None


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the filter options every selecting command shares (the same choices as the app's sidebar)."""
    group = parser.add_argument_group("filter (repeat an option or separate values with commas)")
    group.add_argument(
        "--district",
        action="append",
        default=[],
        metavar="NAME",
        help="pre-2025 district, e.g. 'Hoàn Kiếm' or 'hoan kiem'",
    )
    group.add_argument("--ward", action="append", default=[], metavar="NAME", help="2025 ward or commune")
    group.add_argument(
        "--category", action="append", default=[], metavar="ID", help=f"one of: {', '.join(schema.CATEGORIES)}"
    )
    group.add_argument(
        "--status", action="append", default=[], metavar="S", help=f"one of: {', '.join(schema.STATUSES)}"
    )
    group.add_argument(
        "--member",
        action="append",
        default=[],
        metavar="M",
        help=f"network membership: {', '.join(schema.NETWORK_MEMBER)}",
    )
    group.add_argument("--plan-item", action="append", default=[], metavar="ITEM", help="e.g. 3.1.2.a or 3.1.2")
    group.add_argument("--search", default="", metavar="TEXT", help="words in the name, accents optional")
    group.add_argument("--events-from", metavar="DATE", help="only spaces hosting an event on or after DATE")
    group.add_argument("--events-to", metavar="DATE", help="only spaces hosting an event on or before DATE")


def _split(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(part.strip() for v in values for part in v.split(",") if part.strip())


def filter_from_args(args: argparse.Namespace) -> Filter:
    """Return the `Filter` the options of `add_filter_arguments` describe.

    Raises
    ------
    ValueError
        When a value is not known (an unknown district or ward comes with suggestions).
    """
    return Filter(
        districts=_split(args.district),
        wards_2025=_split(args.ward),
        categories=_split(args.category),
        statuses=_split(args.status),
        network_members=_split(args.member),
        plan_items=_split(args.plan_item),
        search=args.search,
        event_start=args.events_from,
        event_end=args.events_to,
    )


def add_unit_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--by`` (the level of units) and ``--boundaries FILE [--name-field FIELD]`` (official polygons)."""
    parser.add_argument(
        "--by",
        choices=tuple(LEVEL_CHOICES),
        default="district",
        help="district: the 30 pre-2025 districts; ward: the 126 wards and communes of 2025 (default: district)",
    )
    parser.add_argument(
        "--boundaries",
        metavar="FILE",
        help="official boundaries of the --by units (any file GDAL reads, any CRS) instead of the shipped "
        "approximate ones",
    )
    parser.add_argument("--name-field", metavar="FIELD", help="the field of --boundaries holding the units' names")


def level_from_args(args: argparse.Namespace) -> Level:
    """Return the unit level ``--by`` names."""
    return LEVEL_CHOICES[args.by]


def units_from_args(args: argparse.Namespace) -> gpd.GeoDataFrame:
    """Return the boundary layer of the ``--by`` level: ``--boundaries FILE`` or the shipped one.

    Raises
    ------
    ValueError
        When ``--name-field`` comes without ``--boundaries``.
    DataError
        When the file is not a valid layer of that level.
    """
    if args.name_field and not args.boundaries:
        raise ValueError("--name-field needs --boundaries FILE")
    return boundaries.load_boundaries(level_from_args(args), args.boundaries, name_field=args.name_field)


def approximate_note(units: gpd.GeoDataFrame) -> str:
    """Return the note printed under a table whose areas come from the shipped approximate layers ("" if not)."""
    return APPROXIMATE_NOTE if boundaries.is_approximate(units) else ""


def add_output_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--format table|csv|json``, ``-o FILE`` and ``--force``."""
    parser.add_argument(
        "--format",
        choices=TABLE_FORMATS,
        help="table (readable), csv or json; default: from the -o suffix (.csv, .json), else table",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of the screen")
    parser.add_argument("--force", action="store_true", help="replace an existing FILE")


# ------------------------------------------------------------------------------------------------ output


def check_output(path: str | Path, *, force: bool) -> None:
    """Refuse, before any work, to replace an existing `path` without ``--force``.

    Raises
    ------
    FileExistsError
        With a message that names the option (the writers check again when they rename).
    """
    if Path(path).exists() and not force:
        raise FileExistsError(f"{path} exists; use --force to replace it")


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


def render(table: pd.DataFrame, fmt: str) -> str:
    """Return `table` as text in `fmt` (one of `TABLE_FORMATS`), numbers rounded and NaN as null/empty/"-"."""
    records = _records(table)
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    clean = pd.DataFrame(records, columns=list(table.columns))
    if fmt == "csv":
        return str(clean.to_csv(index=False, lineterminator="\n"))
    if clean.empty:
        return "(none)\n"
    return str(clean.to_string(index=False, na_rep="-")) + "\n"


def output_format(args: argparse.Namespace) -> str:
    """Return the table format: ``--format``, else from the ``-o`` suffix (.csv, .json), else ``table``."""
    if args.format is not None:
        return str(args.format)
    suffix = Path(args.output).suffix.lower().lstrip(".") if args.output else ""
    return suffix if suffix in TABLE_FORMATS else "table"


def emit(table: pd.DataFrame, args: argparse.Namespace, *, note: str = "") -> None:
    """Print `table`, or write it atomically to ``-o FILE``; print `note` under a table on screen."""
    fmt = output_format(args)
    text = render(table, fmt)
    if args.output:
        check_output(args.output, force=args.force)
        write_text_atomic(args.output, text, force=args.force, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
        print(f"wrote {len(table)} rows to {args.output}")
    else:
        print(text, end="")
    if note and fmt == "table":
        print(note)
