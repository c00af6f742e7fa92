"""The command line: ``creative-map`` and ``python -m creative_map`` are this.

`main` builds the parser by asking each command module, in a fixed order, to add its command
(``register(subparsers)``); nothing registers itself on import. Each command parses its options into
`creative_map.load` / `creative_map.select` and a library call, and prints or writes the result. Bad data and
bad arguments end in a message and a non-zero exit, never a traceback: 0 fine, 1 bad data or a failure,
2 usage (the parser's strict types, or `UsageError` from a command). A message quotes at most 80 characters
of a value given as an argument.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import cast

from creative_map.cli import (
    boundaries,
    db,
    export,
    gaps,
    history,
    near,
    revert,
    reviewers,
    site,
    stats,
    suggest,
    suggestions,
    validate,
)
from creative_map.cli.common import (
    EXIT_DATA,
    EXIT_OK,
    EXIT_USAGE,
    Parser,
    Subparsers,
    UsageError,
    add_filter_arguments,
    clip_message,
    data_parent,
    filter_from_args,
    terminal_text,
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
    ("site", site.register),
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
    parser = Parser(
        prog="creative-map",
        description="The map of Hanoi's creative-space network: check, count and export; suggest changes and "
        "review them.",
        parents=[data_parent()],
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    # Every command's parser is a Parser too (argparse makes them of the main parser's class).
    subparsers = cast(Subparsers, parser.add_subparsers(dest="command", metavar="COMMAND", required=True))
    for _name, register in COMMANDS:
        register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 fine, 1 bad data or failure); exit 2 on a usage error.

    A usage error (a bad argument, or `UsageError` from a command) raises `SystemExit` with code 2 after
    printing the usage and the message, as `argparse` does.
    """
    parser = build_parser()
    args = parser.parse_args(argv)  # a usage error exits 2 here, with the usage
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        return int(args.run(args))
    except BrokenPipeError:
        # The reader went away (`creative-map suggestions list | head`): what it read is all it wanted. Point
        # stdout at /dev/null so that the interpreter's final flush does not complain again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except UsageError as exc:
        getattr(args, "usage_error", parser.error)(str(exc))  # exits 2, with the command's usage
    except (DataError, ValueError, OSError) as exc:  # UnknownUnitError is a ValueError; FileExistsError an OSError
        print(f"error: {terminal_text(clip_message(str(exc), token=300))}", file=sys.stderr)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
    return EXIT_DATA
