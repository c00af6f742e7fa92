"""The command line: ``creative-map`` and ``python -m creative_map`` are this.

Each command parses its arguments into library calls and prints or writes the result; bad data and bad
arguments end in a message and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from creative_map import io, schema
from creative_map.admin import UnknownUnitError
from creative_map.errors import DataError
from creative_map.query import Filter

__all__ = ["add_filter_arguments", "build_parser", "filter_from_args", "main"]

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2

Command = Callable[[argparse.Namespace], int]


def _data_parent() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--data",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="spaces file (default: $CREATIVE_MAP_DATA, else data/spaces.geojson)",
    )
    return parent


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
    """Return the `Filter` the options of `add_filter_arguments` describe."""
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


def _validate(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths] or [io.data_path(getattr(args, "data", None))]
    n_errors = n_warnings = 0
    for path in paths:
        checked = io.check_file(path, max_bytes=args.max_bytes)
        problems = list(checked.problems)
        events = Path(args.events) if args.events else io.events_path_for(path)
        if (args.events or events.exists()) and not checked.errors:
            ids = {r[schema.ID] for r in checked.records}
            problems += io.check_file(events, kind="events", space_ids=ids, max_bytes=args.max_bytes).problems
        for p in problems:
            print(f"{p.severity}: {p}")
        errors = sum(p.severity == "error" for p in problems)
        n_errors += errors
        n_warnings += len(problems) - errors
        if not errors:
            extra = f" and {events}" if (args.events or events.exists()) else ""
            print(f"{path}{extra}: valid, {len(checked.records)} spaces")
    print(f"{n_errors} error(s), {n_warnings} warning(s) in {len(paths)} file(s)")
    return EXIT_DATA if n_errors else EXIT_OK


COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Command]] = {}
"""name -> (help, add its arguments, run it). Modules with commands of their own register here."""


def _add_validate(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", metavar="PATH", help="spaces files (default: --data)")
    p.add_argument("--events", metavar="PATH", help="events file (default: events.geojson beside each PATH)")
    p.add_argument("--max-bytes", type=int, default=io.MAX_BYTES, help="refuse larger files (default: %(default)s)")


COMMANDS["validate"] = ("check data files against the schema; exit 1 listing every problem", _add_validate, _validate)


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of every command."""
    parser = argparse.ArgumentParser(
        prog="creative-map",
        description="The map of Hanoi's creative-space network: check, count and export.",
        parents=[_data_parent()],
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _load_command_modules()
    for name, (help_, add, run) in COMMANDS.items():
        p = sub.add_parser(name, help=help_, description=help_, parents=[_data_parent()])
        add(p)
        p.set_defaults(run=run)
    return parser


def _load_command_modules() -> None:
    """Import the modules that register commands of their own (they import this module, hence not at the top)."""
    from creative_map import cli_export, cli_stats  # noqa: F401


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 fine, 1 bad data or failure, 2 usage)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        return int(args.run(args))
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
    except (UnknownUnitError, ValueError, FileExistsError, FileNotFoundError, PermissionError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
    return EXIT_DATA


if __name__ == "__main__":
    sys.exit(main())
