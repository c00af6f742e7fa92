"""The command line: ``creative-map`` and ``python -m creative_map`` are this.

`main` builds the parser by asking each command module, in a fixed order, to add its command
(``register(subparsers)``); nothing registers itself on import. Each command parses its options into
`creative_map.load` / `creative_map.select` and a library call, and prints or writes the result. Bad data and
bad arguments end in a message and a non-zero exit, never a traceback: 0 fine, 1 bad data or a failure,
2 usage (argparse).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from creative_map.cli import (
    boundaries,
    db,
    export,
    gaps,
    history,
    near,
    revert,
    reviewers,
    stats,
    suggest,
    suggestions,
    validate,
)
from creative_map.cli.common import (
    EXIT_DATA,
    EXIT_OK,
    EXIT_USAGE,
    Subparsers,
    add_filter_arguments,
    data_parent,
    filter_from_args,
)
from creative_map.errors import DataError

__all__ = [
    "COMMANDS",
    "EXIT_DATA",
    "EXIT_OK",
    "EXIT_USAGE",
    "add_filter_arguments",
    "build_parser",
    "filter_from_args",
    "main",
]

COMMANDS: tuple[tuple[str, Callable[[Subparsers], None]], ...] = (
    ("validate", validate.register),
    ("stats", stats.register),
    ("gaps", gaps.register),
    ("near", near.register),
    ("boundaries", boundaries.register),
    ("export", export.register),
    ("db", db.register),
    ("suggest", suggest.register),
    ("suggestions", suggestions.register),
    ("reviewers", reviewers.register),
    ("history", history.register),
    ("revert", revert.register),
)
"""Each command's name and the function that adds it to the parser, in the order of ``--help``."""


def build_parser() -> argparse.ArgumentParser:
    """Return a new parser of every command (each call builds it afresh)."""
    parser = argparse.ArgumentParser(
        prog="creative-map",
        description="The map of Hanoi's creative-space network: check, count and export; suggest changes and "
        "review them.",
        parents=[data_parent()],
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for _name, register in COMMANDS:
        register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 fine, 1 bad data or failure, 2 usage)."""
    args = build_parser().parse_args(argv)  # a usage error exits 2 here, with the usage
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        return int(args.run(args))
    except (DataError, ValueError, OSError) as exc:  # UnknownUnitError is a ValueError; FileExistsError an OSError
        print(f"error: {exc}", file=sys.stderr)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
    return EXIT_DATA
