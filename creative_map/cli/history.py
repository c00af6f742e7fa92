"""``creative-map history SPACE_ID``: every change the suggestion box made to a space, oldest first.

Each revision with its number (what ``creative-map revert`` takes), who made it and when, which suggestion
it applied or which revision it undid, and each field before and after. An event's id works too.
"""

from __future__ import annotations

import argparse
import difflib
import json

from creative_map.cli._store import add_store_argument, opened_store
from creative_map.cli._text import WIDTH, fit, revision_table, when
from creative_map.cli.common import EXIT_OK, Subparsers, add_command, data_arg
from creative_map.suggestions import NotFoundError, Revision, history
from creative_map.suggestions.datafile import read

__all__ = ["register", "run"]

HELP = "a space's revisions (changes made by approving suggestions or reverting), oldest first"


def register(subparsers: Subparsers) -> None:
    """Add the ``history`` command to `subparsers`."""
    parser = add_command(subparsers, "history", help=HELP, run=run)
    add_store_argument(parser)
    parser.add_argument("record_id", metavar="SPACE_ID", help="the space's id (an event's id works too)")
    parser.add_argument("--all-fields", action="store_true", help="list the fields a revision left unchanged too")
    parser.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="table (default) or json: each revision with the record before and after",
    )


def _title(revision: Revision) -> str:
    why = (
        f"reverts revision {revision.reverts}"
        if revision.reverts is not None
        else f"suggestion {revision.suggestion_id} ({revision.suggestion_reference or '-'})"
    )
    what = "added" if revision.before is None else "removed" if revision.after is None else "changed"
    title = f"revision {revision.id} · {when(revision.at)} (Hanoi) · by {revision.reviewer} · {why} · {what}"
    return fit(title, WIDTH)


def _check_known(record_id: str, data: str | None) -> None:
    """Refuse an id that is neither in the data files nor in any revision, suggesting a close one."""
    files = read(data)
    known = [*files.spaces, *files.events]
    if record_id in known:
        return
    close = difflib.get_close_matches(record_id, known, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise NotFoundError(
        f"{record_id!r} is the id of no space or event in {files.spaces_path} and has no revisions{hint}"
    )


def run(args: argparse.Namespace) -> int:
    """Print the revisions of the record (``[]`` in JSON when it has none, as long as it exists)."""
    record_id = args.record_id.strip()
    with opened_store(args) as store:
        revisions = history(store, record_id)
    if not revisions:
        _check_known(record_id, data_arg(args))
    if args.format == "json":
        print(json.dumps([r.as_dict() for r in revisions], ensure_ascii=False, indent=1))
        return EXIT_OK
    if not revisions:
        print(f"no revisions of {record_id!r}: no suggestion about it has been approved")
        return EXIT_OK
    kinds = {r.record_kind for r in revisions}
    print(f"{len(revisions)} revision(s) of {' and '.join(sorted(kinds))} {record_id!r}, oldest first")
    for revision in revisions:
        print()
        print(_title(revision))
        print("\n".join(revision_table(revision, all_fields=args.all_fields)))
    return EXIT_OK
