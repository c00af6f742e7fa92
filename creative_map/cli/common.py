"""What the commands share: the ``--data`` option, the filter options, the unit options, the table output,
strict argument types and the exit codes.

A command module calls `add_command` from its ``register`` function to get its parser (with ``--data``) and
the functions here to add the options it takes; its ``run`` turns them into library calls with
`filter_from_args`, `level_from_args`, `units_from_args` and `emit`.

Arguments are parsed strictly, and a bad one is a usage error (exit 2, with the usage) whose message names the
argument and quotes at most 80 characters of the value: dates only as ``YYYY-MM-DD`` (`iso_date`), numbers
finite (`finite_number`, `positive_number`), filter values known (each list option says which are), an output
a file name that is not a folder (`output_file`). A check that needs several arguments raises `UsageError`
from a command's ``run``; `creative_map.cli.main` turns it into the same exit 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import re
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final, NoReturn, TypeAlias

import geopandas as gpd
import pandas as pd

from creative_map import admin, analysis, boundaries, schema
from creative_map.atomic import check_writable_dir, write_text_atomic
from creative_map.patterns import is_iso_date
from creative_map.query import Filter, plan_item_known
from creative_map.text import clip, csv_cell
from creative_map.types import LEVELS, Level
from creative_map.urlstate import MAX_SEARCH

__all__ = [
    "APPROXIMATE_NOTE",
    "EXIT_DATA",
    "EXIT_OK",
    "EXIT_USAGE",
    "LEVEL_CHOICES",
    "MAX_VALUE_CHARS",
    "TABLE_FORMATS",
    "Parser",
    "Run",
    "Subparsers",
    "UsageError",
    "add_command",
    "add_filter_arguments",
    "add_output_arguments",
    "add_unit_arguments",
    "approximate_note",
    "check_output",
    "clip_message",
    "data_arg",
    "data_parent",
    "emit",
    "filter_from_args",
    "finite_number",
    "input_file",
    "iso_date",
    "iso_day",
    "level_from_args",
    "output_dir",
    "output_file",
    "output_format",
    "positive_int",
    "positive_number",
    "render",
    "terminal_text",
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
MAX_VALUE_CHARS: Final = 80
"""The longest value a list filter option takes (no unit, category, status or plan item is near it)."""


# ----------------------------------------------------------------------------------- strict argument types


class UsageError(Exception):
    """Arguments that are each fine but wrong together (a reversed date range, ``near LAT LON``): exit 2."""


_TERMINAL_UNSAFE: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def terminal_text(text: str) -> str:
    """Return `text` with what a terminal would act on written out: control characters other than a line
    break or a tab (escape sequences, carriage returns), bidirectional overrides and lone surrogates become
    ``\\x1b``, ``\\u202e`` ... (what the CLI prints may come from a data file under review)."""
    return _TERMINAL_UNSAFE.sub(lambda m: m[0].encode("unicode_escape", "backslashreplace").decode("ascii"), text)


def clip_message(message: str, *, token: int = 80) -> str:
    """Return `message` with every run of more than `token` non-space characters cut to `token` and ``…``."""
    return re.sub(rf"\S{{{token + 1},}}", lambda m: clip(m[0], token), message)


class Parser(argparse.ArgumentParser):
    """The command line's parser: its messages quote at most 80 characters of any value."""

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        if action.choices is not None and value not in action.choices:
            choices = ", ".join(map(str, action.choices))
            raise argparse.ArgumentError(action, f"invalid choice: {clip(value)!r} (choose from {choices})")

    def error(self, message: str) -> NoReturn:
        """Print the usage and `message` (long values cut, control characters written out), and exit 2."""
        super().error(terminal_text(clip(clip_message(message), 1000)))


def _bad(value: str, why: str) -> argparse.ArgumentTypeError:
    return argparse.ArgumentTypeError(f"{clip(value)!r} {why}")


def iso_date(text: str) -> str:
    """Argument type: a real date written ``YYYY-MM-DD`` (``2025-1-5``, ``20250105`` and ``2025-02-30`` are not)."""
    if not is_iso_date(text):
        raise _bad(text, "is not a date written YYYY-MM-DD, such as 2025-01-05")
    return text


def iso_day(text: str) -> dt.date:
    """Argument type: `iso_date` as a `datetime.date`."""
    return dt.date.fromisoformat(iso_date(text))


def finite_number(text: str) -> float:
    """Argument type: a number that is neither NaN nor infinite."""
    try:
        value = float(text)
    except ValueError:
        raise _bad(text, "is not a number") from None
    if not math.isfinite(value):
        raise _bad(text, "is not a finite number")
    return value


def positive_number(text: str) -> float:
    """Argument type: a finite number above 0 (a distance in metres)."""
    value = finite_number(text)
    if value <= 0:
        raise _bad(text, "is not above 0")
    return value


def positive_int(text: str) -> int:
    """Argument type: a whole number above 0 (written in decimal digits)."""
    if not re.fullmatch(r"[0-9]{1,30}", text.strip()) or int(text) <= 0:
        raise _bad(text, "is not a whole number above 0")
    return int(text)


def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


def input_file(text: str) -> str:
    """Argument type: a file to read that is not a FIFO, a device or a socket (those would hang the reader or
    never end); a missing path is left to the reader, which names it (GDAL also reads ``/vsizip/...`` paths)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("is empty: give a file")
    path = Path(text)
    if path.exists() and not (path.is_file() or path.is_dir()):
        raise _bad(text, "is not a regular file (a FIFO, a device or a socket cannot be read)")
    return text


def output_file(text: str) -> str:
    """Argument type: a file to write: not empty, not a folder, in a folder (one that may not exist yet)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("is empty: give the name of the file to write")
    if text.endswith(("/", os.sep)) or Path(text).is_dir():
        raise _bad(text, "is a folder: give the name of a file in it, e.g. DIR/name.ext")
    if not _nearest_existing(Path(text).parent).is_dir():
        raise _bad(text, f"cannot be made: {_nearest_existing(Path(text).parent)} is a file, not a folder")
    return text


def output_dir(text: str) -> str:
    """Argument type: a folder to write in: not empty, not a file (it may not exist yet)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("is empty: give a folder")
    if not _nearest_existing(Path(text)).is_dir():
        raise _bad(text, f"is not a folder: {_nearest_existing(Path(text))} is a file")
    return text


def _unknown(value: str, known: Sequence[str], extra: str = "") -> argparse.ArgumentTypeError:
    return _bad(value, f"is not known; known: {', '.join(known)}{extra}")


def _vocab(vocab: Sequence[str]) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in vocab:
            raise _unknown(value, vocab)
        return value

    return check


def _plan_item(value: str) -> str:
    if not plan_item_known(value):
        raise _unknown(value, tuple(schema.PLAN_ITEMS), ", or a group of them such as 3.1.2")
    return value


def _unit(resolve: Callable[[str], Any]) -> Callable[[str], str]:
    def check(value: str) -> str:
        try:
            return str(resolve(value).name)
        except admin.UnknownUnitError as exc:
            hint = f"; did you mean {', '.join(repr(s) for s in exc.suggestions)}?" if exc.suggestions else ""
            raise _bad(value, f"is not a known {exc.kind}{hint}") from None

    return check


def _listed(check: Callable[[str], str]) -> Callable[[str], tuple[str, ...]]:
    """Argument type: comma-separated values, each at most `MAX_VALUE_CHARS` long and passed by `check`."""

    def parse(text: str) -> tuple[str, ...]:
        values = [part.strip() for part in text.split(",") if part.strip()]
        for value in values:
            if len(value) > MAX_VALUE_CHARS:
                raise _bad(value, f"is longer than {MAX_VALUE_CHARS} characters")
        return tuple(check(value) for value in values)

    return parse


def _search(text: str) -> str:
    if len(text) > MAX_SEARCH:
        raise _bad(text, f"is longer than {MAX_SEARCH} characters")
    return text


# ----------------------------------------------------------------------------------------------- parsers


def data_parent() -> argparse.ArgumentParser:
    """Return a parent parser holding ``--data`` (given to the main parser and to every command, so that the
    option works before and after the command's name)."""
    parent = Parser(add_help=False)
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
    parser.set_defaults(run=run, usage_error=parser.error)
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
        type=_listed(_unit(admin.resolve_district)),
        metavar="NAME",
        help="pre-2025 district, e.g. 'Hoàn Kiếm' or 'hoan kiem'",
    )
    group.add_argument(
        "--ward",
        action="append",
        default=[],
        type=_listed(_unit(admin.resolve_ward_2025)),
        metavar="NAME",
        help="2025 ward or commune",
    )
    group.add_argument(
        "--category",
        action="append",
        default=[],
        type=_listed(_vocab(tuple(schema.CATEGORIES))),
        metavar="ID",
        help=f"one of: {', '.join(schema.CATEGORIES)}",
    )
    group.add_argument(
        "--status",
        action="append",
        default=[],
        type=_listed(_vocab(tuple(schema.STATUSES))),
        metavar="S",
        help=f"one of: {', '.join(schema.STATUSES)}",
    )
    group.add_argument(
        "--member",
        action="append",
        default=[],
        type=_listed(_vocab(tuple(schema.NETWORK_MEMBER))),
        metavar="M",
        help=f"network membership: {', '.join(schema.NETWORK_MEMBER)}",
    )
    group.add_argument(
        "--plan-item",
        action="append",
        default=[],
        type=_listed(_plan_item),
        metavar="ITEM",
        help=f"one of: {', '.join(schema.PLAN_ITEMS)}, or a group of them such as 3.1.2",
    )
    group.add_argument("--search", default="", type=_search, metavar="TEXT", help="words in the name, accents optional")
    group.add_argument(
        "--events-from", type=iso_date, metavar="DATE", help="only spaces with an event on or after DATE (YYYY-MM-DD)"
    )
    group.add_argument(
        "--events-to", type=iso_date, metavar="DATE", help="only spaces with an event on or before DATE (YYYY-MM-DD)"
    )


def _flat(values: Sequence[str | tuple[str, ...]]) -> tuple[str, ...]:
    """The values of a repeated list option, in order, each once (a plain string is split at commas)."""
    out: list[str] = []
    for value in values:
        parts = value if isinstance(value, tuple) else tuple(p.strip() for p in value.split(",") if p.strip())
        out += parts
    return tuple(dict.fromkeys(out))


def filter_from_args(args: argparse.Namespace) -> Filter:
    """Return the `Filter` the options of `add_filter_arguments` describe.

    Raises
    ------
    UsageError
        When ``--events-from`` is after ``--events-to``.
    ValueError
        When a value is not known (the parser refuses those first, naming the option).
    """
    if args.events_from and args.events_to and args.events_from > args.events_to:
        raise UsageError(f"--events-from {args.events_from} is after --events-to {args.events_to}: no day is in both")
    return Filter(
        districts=_flat(args.district),
        wards_2025=_flat(args.ward),
        categories=_flat(args.category),
        statuses=_flat(args.status),
        network_members=_flat(args.member),
        plan_items=_flat(args.plan_item),
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
        type=input_file,
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
    parser.add_argument("-o", "--output", type=output_file, metavar="FILE", help="write to FILE instead of the screen")
    parser.add_argument("--force", action="store_true", help="replace an existing FILE")


# ------------------------------------------------------------------------------------------------ output


def check_output(path: str | Path, *, force: bool) -> None:
    """Refuse, before any work, to replace an existing `path` without ``--force``, or to write where no file
    can be made.

    Raises
    ------
    FileExistsError
        With a message that names the option (the writers check again when they rename).
    OSError
        When `path` is a folder, or no file can be created in its folder (`check_writable_dir`).
    """
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(f"-o {clip(path)}: is a folder; give the name of a file in it")
    if target.exists() and not force:
        raise FileExistsError(f"{path} exists; use --force to replace it")
    try:
        check_writable_dir(target.parent)
    except OSError as exc:
        raise type(exc)(f"-o {clip(path)}: {exc}") from None


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
    if fmt == "csv":  # text that a spreadsheet would run as a formula gets a ' before it
        return str(clean.map(csv_cell).to_csv(index=False, lineterminator="\n"))
    if clean.empty:
        return "(none)\n"
    return str(clean.to_string(index=False, na_rep="-")) + "\n"


def output_format(args: argparse.Namespace) -> str:
    """Return the table format: ``--format``, else from the ``-o`` suffix (.csv, .json), else ``table``."""
    if args.format is not None:
        return str(args.format)
    suffix = Path(args.output).suffix.lower().lstrip(".") if args.output else ""
    return suffix if suffix in TABLE_FORMATS else "table"


SCREEN_WIDTH: Final = 100
"""How wide a table printed on screen may be (CSV and JSON, and a table written with -o, keep every column)."""
SHORT_HEADERS: Final = {
    analysis.NEAREST_ACTIVE_M: "nearest_m",
    analysis.NEAREST_ACTIVE_ID: "nearest_id",
    analysis.SHARE_500M: "500m",
    analysis.SHARE_1KM: "1km",
    analysis.AREA_KM2: "km2",
    analysis.SPACES_PER_KM2: "per_km2",
    analysis.DISTANCE_M: "dist_m",
}
"""Headers shortened on screen (the note under the table says what they are)."""
SHORT_NOTE: Final = (
    "columns: km2 = area_km2, per_km2 = spaces per km2, 500m / 1km = share of the area within 500 m / 1 km of "
    "an active space, nearest_m / nearest_id = the nearest active space from the unit's centre"
)


def screen_table(
    table: pd.DataFrame, *, columns: Sequence[str] | None = None, width: int = SCREEN_WIDTH
) -> tuple[pd.DataFrame, bool]:
    """Return `table` as a screen shows it within `width` characters, and whether headers were shortened.

    Only `columns` (all when None), headers of `SHORT_HEADERS` shortened, and the longest text cells cut with
    ``…`` until the table fits (numbers are never cut).
    """
    out = table[list(columns)] if columns is not None else table
    shortened = any(c in SHORT_HEADERS for c in out.columns)
    records = pd.DataFrame(_records(out), columns=list(out.columns)).rename(columns=SHORT_HEADERS)
    texts = [c for c in records.columns if records[c].map(lambda v: isinstance(v, str)).any()]
    limit = max((records[c].map(lambda v: len(v) if isinstance(v, str) else 0).max() for c in texts), default=0)
    while texts and limit > 8 and len(render(records, "table").splitlines()[0]) > width:
        limit -= 2
        for c in texts:
            records[c] = [_cut(v, limit) for v in records[c]]
    return records, shortened


def _cut(value: Any, limit: int) -> Any:
    return value if not isinstance(value, str) or len(value) <= limit else value[: limit - 1] + "…"


def emit(
    table: pd.DataFrame,
    args: argparse.Namespace,
    *,
    note: str = "",
    screen: Sequence[str] | None = None,
    fit: bool = True,
) -> None:
    """Print `table`, or write it atomically to ``-o FILE``; print `note` under a table on screen.

    On screen, a table is fitted into `SCREEN_WIDTH` columns (`screen_table`; `screen` names the columns shown,
    all when None) unless `fit` is False, and the note is wrapped to that width; a file, CSV and JSON keep
    every column. A command calls `check_output` first, before its work; this checks again before writing.
    """
    fmt = output_format(args)
    shortened = False
    if fmt == "table" and not args.output and fit:
        fitted, shortened = screen_table(table, columns=screen)
        text = render(fitted, fmt)
    else:
        text = render(table, fmt)
    if shortened:
        note = "\n".join(n for n in (note, SHORT_NOTE) if n)
    if args.output:
        check_output(args.output, force=args.force)
        write_text_atomic(args.output, text, force=args.force, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
        print(f"wrote {len(table)} rows to {args.output}")
    else:
        print(terminal_text(text), end="")
    if note and fmt == "table":
        print("\n".join(textwrap.fill(line, SCREEN_WIDTH, subsequent_indent="  ") for line in note.splitlines()))
