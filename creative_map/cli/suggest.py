"""``creative-map suggest --file S.json``: store one suggestion for review; its reference number is the last line.

The file holds what the app's form sends (`creative_map.suggestions.Draft.from_json`); it is checked like the
data files, with the same messages. The sender, for the hourly limits, is ``cli:<login name>``.
"""

from __future__ import annotations

import argparse

from creative_map.cli._store import add_store_argument, cli_sender, opened_store, read_json_value
from creative_map.cli.common import EXIT_OK, Subparsers, add_command, data_arg
from creative_map.suggestions import KINDS, Draft, get_suggestion, submit

__all__ = ["FILE_FACTOR", "register", "run"]

HELP = "store one suggestion for review; prints its reference number as the last line"
FILE_FACTOR = 16
"""A suggestion file may be this many times the size limit of a suggestion (indentation): beyond that it is
refused unread; below, the size of the suggestion itself is checked against the limit."""


def register(subparsers: Subparsers) -> None:
    """Add the ``suggest`` command to `subparsers`."""
    parser = add_command(subparsers, "suggest", help=HELP, run=run)
    add_store_argument(parser)
    parser.add_argument(
        "--file",
        required=True,
        metavar="S.json",
        help=f"a JSON object: kind ({', '.join(KINDS)}), space_id (for a correction, closed or member), changes "
        "(the fields to set, as in the data files, geometry as GeoJSON), source (a public http(s) address, or "
        "'operator'), optionally note and contact. The sender, for the hourly limits, is cli:<login name>",
    )


def run(args: argparse.Namespace) -> int:
    """Check and store the suggestion; print what was stored, then the reference number alone on the last line."""
    with opened_store(args) as store:
        value = read_json_value(args.file, max_bytes=FILE_FACTOR * store.limits.max_suggestion_bytes)
        receipt = submit(store, Draft.from_json(value), sender=cli_sender(), data=data_arg(args))
        stored = get_suggestion(store, receipt.reference)
    print(
        f"stored suggestion {stored.id} ({stored.kind} of {stored.record_kind} {stored.record_id!r}); it awaits "
        f"review. Reference number:"
    )
    print(stored.reference)
    return EXIT_OK
