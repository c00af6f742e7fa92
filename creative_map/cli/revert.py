"""``creative-map revert REVISION --reviewer NAME``: undo a revision, as a new revision.

The record is put back as it was before that revision, in the data files of ``--data`` (locked, validated as
a whole, atomic). Refused when the record changed afterwards (undo the later revisions first, newest first)
or when the files would not be valid without it.
"""

from __future__ import annotations

import argparse

from creative_map import io
from creative_map.cli._store import add_store_argument, opened_store
from creative_map.cli._text import labelled
from creative_map.cli.common import EXIT_OK, Subparsers, add_command, data_arg
from creative_map.suggestions import revert

__all__ = ["register", "revision_number", "run"]

HELP = "undo a revision (see `creative-map history SPACE_ID`), as a new revision"


def revision_number(text: str) -> int:
    """Return a revision number from the command line.

    Raises
    ------
    argparse.ArgumentTypeError
        When it is not a whole number of at least 1 (a usage error).
    """
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a revision number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a revision number (they start at 1)")
    return number


def register(subparsers: Subparsers) -> None:
    """Add the ``revert`` command to `subparsers`."""
    parser = add_command(subparsers, "revert", help=HELP, run=run)
    add_store_argument(parser)
    parser.add_argument("revision", type=revision_number, metavar="REVISION", help="the revision's number")
    parser.add_argument("--reviewer", required=True, metavar="NAME", help="who undoes it (a reviewer)")


def run(args: argparse.Namespace) -> int:
    """Undo the revision; print the new revision and what it put back."""
    with opened_store(args) as store:
        made = revert(store, args.revision, reviewer=args.reviewer, data=data_arg(args))
    spaces = io.data_path(data_arg(args))
    path = spaces if made.record_kind == "space" else io.events_path_for(spaces)
    if made.after is None:
        what = f"removed {made.record_kind} {made.record_id!r} (revision {args.revision} had added it)"
    else:
        what = f"put {made.record_kind} {made.record_id!r} back as it was before revision {args.revision}"
    print(f"revision {made.id} {what}")
    print("\n".join(labelled("written", str(path))))
    print("\n".join(labelled("changed", ", ".join(made.changed_fields) or "nothing")))
    return EXIT_OK
