"""``creative-map validate``: check data files and list every problem; exit 1 when one has errors.

Unlike the other commands it does not load through `creative_map.load`, which stops at the first bad file:
it reports. Each spaces file's records are checked (`creative_map.io.check_file`); a file without errors is
built into the loaded frame once, for the warnings about positions (`creative_map.spatial_checks`), and its
events file (``--events``, else ``events.geojson`` beside it) is checked against its ids.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from creative_map import io, schema
from creative_map.cli.common import EXIT_DATA, EXIT_OK, Subparsers, add_command, data_arg, positive_int, terminal_text
from creative_map.errors import Problem
from creative_map.spatial_checks import space_warnings

__all__ = ["register", "run"]

HELP = "check data files against the schema; exit 1 listing every problem"


def register(subparsers: Subparsers) -> None:
    """Add the ``validate`` command to `subparsers`."""
    parser = add_command(subparsers, "validate", help=HELP, run=run)
    parser.add_argument("paths", nargs="*", metavar="PATH", help="spaces files (default: --data)")
    parser.add_argument("--events", metavar="PATH", help="events file (default: events.geojson beside each PATH)")
    parser.add_argument(
        "--max-bytes", type=positive_int, default=io.MAX_BYTES, help="refuse larger files (default: %(default)s)"
    )


def _problems(path: Path, events: Path, *, events_named: bool, max_bytes: int) -> tuple[list[Problem], int]:
    """Return the problems of a spaces file and its events file, and how many spaces it holds."""
    checked = io.check_file(path, max_bytes=max_bytes)
    problems = list(checked.problems)
    if checked.errors:
        return problems, len(checked.records)
    problems += space_warnings(io.spaces_frame(checked), file=str(path))
    if events_named or io.is_present(events):
        ids = {r[schema.ID] for r in checked.records}
        problems += io.check_file(events, kind="events", space_ids=ids, max_bytes=max_bytes).problems
    return problems, len(checked.records)


def run(args: argparse.Namespace) -> int:
    """Check each file; print every problem, a line per valid file and a summary; return 1 if any has errors."""
    paths = [Path(p) for p in args.paths] or [io.data_path(data_arg(args))]
    n_errors = n_warnings = 0
    for path in paths:
        events = Path(args.events) if args.events else io.events_path_for(path)
        problems, n_spaces = _problems(path, events, events_named=bool(args.events), max_bytes=args.max_bytes)
        for p in problems:
            print(f"{p.severity}: {terminal_text(str(p))}")
        errors = sum(p.severity == "error" for p in problems)
        n_errors += errors
        n_warnings += len(problems) - errors
        if not errors:
            extra = f" and {events}" if (args.events or io.is_present(events)) else ""
            print(terminal_text(f"{path}{extra}: valid, {n_spaces} spaces"))
    print(f"{n_errors} error(s), {n_warnings} warning(s) in {len(paths)} file(s)")
    return EXIT_DATA if n_errors else EXIT_OK
