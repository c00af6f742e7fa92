"""``creative-map suggestions list|show|approve|reject``: the review queue, for staff on the command line.

``show`` prints a suggestion beside the record it changes, field by field, with the validation result and any
conflict, and the sender's contact: the command line is for reviewers (the public never sees a contact).
``approve`` writes the change into the data files through the library (locked, validated as a whole,
atomic) and keeps it as a revision; ``reject`` stores a reason that the sender reads by reference number.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from creative_map import io, schema
from creative_map.cli._store import Actions, add_action, add_store_argument, opened_store, read_json_value
from creative_map.cli._text import cell, field_table, labelled, revision_table, table, when
from creative_map.cli.common import EXIT_OK, Subparsers, add_command, data_arg
from creative_map.errors import Problem
from creative_map.suggestions import (
    KINDS,
    STATUSES,
    ConflictError,
    Review,
    Revision,
    Suggestion,
    approve,
    list_suggestions,
    reject,
    show,
)

__all__ = ["EDIT_MAX_BYTES", "register", "run"]

HELP = "the queue of suggestions: list, show one beside its record, approve or reject (for reviewers)"
EDIT_MAX_BYTES: Final = 4 * 1024 * 1024
"""The largest ``--changes FILE`` read."""
FORMATS: Final = ("table", "json")


def _add_key(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("key", metavar="N", help="the suggestion's number (or its reference, e.g. CM-7KQ4-M2XD-9PTA)")


def _add_edit(parser: argparse.ArgumentParser, *, verb: str) -> None:
    parser.add_argument(
        "--changes",
        metavar="FILE",
        help=f"{verb} this edit instead of the changes as sent: a JSON object of fields (start from the "
        "'changes' of `suggestions show N --format json`)",
    )
    parser.add_argument(
        "--precision",
        choices=tuple(schema.PRECISIONS),
        help=f"{verb} this position_precision instead of the one the source supports",
    )


def register(subparsers: Subparsers) -> None:
    """Add the ``suggestions`` command and its actions to `subparsers`."""
    parser = add_command(subparsers, "suggestions", help=HELP, run=run)
    add_store_argument(parser)
    actions: Actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    listing = add_action(actions, "list", help="the suggestions, oldest first (without --status: the pending ones)")
    listing.add_argument(
        "--status", choices=(*STATUSES, "all"), default="pending", help="which ones (default: pending)"
    )
    listing.add_argument("--kind", choices=KINDS, help="only this kind")
    listing.add_argument("--format", choices=FORMATS, default="table", help="table (default) or json (for scripts)")

    showing = add_action(
        actions,
        "show",
        help="one suggestion beside the record it changes, field by field, with the validation result and any "
        "conflict; shows the sender's note and contact (for reviewers only: never shown to the public)",
    )
    _add_key(showing)
    showing.add_argument("--all-fields", action="store_true", help="list the fields it leaves unchanged too")
    showing.add_argument("--format", choices=FORMATS, default="table", help="table (default) or json (for scripts)")
    _add_edit(showing, verb="show")

    approving = add_action(
        actions,
        "approve",
        help="write the suggestion into the data files (--data; events beside it) and keep it as a revision",
    )
    _add_key(approving)
    approving.add_argument("--reviewer", required=True, metavar="NAME", help="who approves (a reviewer)")
    _add_edit(approving, verb="approve")
    approving.add_argument(
        "--rebase",
        action="store_true",
        help="apply it to the record as it is now although the record changed after the suggestion was sent "
        "(look at `suggestions show N` first)",
    )

    rejecting = add_action(actions, "reject", help="reject the suggestion with a reason its sender can read")
    _add_key(rejecting)
    rejecting.add_argument("--reviewer", required=True, metavar="NAME", help="who rejects (a reviewer)")
    rejecting.add_argument(
        "--reason", required=True, metavar="TEXT", help="why: the sender reads it with their reference number"
    )


def run(args: argparse.Namespace) -> int:
    """Do the action on the store of ``--db``."""
    action = {"list": _list, "show": _show, "approve": _approve, "reject": _reject}[args.action]
    return action(args)


def _edit(args: argparse.Namespace) -> dict[str, Any] | None:
    if args.changes is None:
        return None
    value = read_json_value(args.changes, max_bytes=EDIT_MAX_BYTES)
    if not isinstance(value, dict):
        raise ValueError(f"{args.changes}: is a JSON {type(value).__name__}; expected an object of fields")
    return value


def _about(s: Suggestion) -> str:
    return f"{s.kind} of {s.record_kind} {s.record_id!r}"


# ------------------------------------------------------------------------------------------------------ list


def _list(args: argparse.Namespace) -> int:
    status = None if args.status == "all" else args.status
    with opened_store(args) as store:
        found = list_suggestions(store, status=status, kind=args.kind)
    if args.format == "json":
        print(json.dumps([s.as_dict() for s in found], ensure_ascii=False, indent=1))
        return EXIT_OK
    if not found:
        print(f"no {'' if status is None else status + ' '}suggestions{f' of kind {args.kind}' if args.kind else ''}")
        return EXIT_OK
    header = ("#", "reference", "kind", "status", "sent (Hanoi)", "record")
    rows = [(str(s.id), s.reference, s.kind, s.status, when(s.created_at), cell(s.record_id)) for s in found]
    print("\n".join(table(header, rows)))
    print(f"{len(found)} suggestion(s), oldest first; `creative-map suggestions show N` shows one")
    return EXIT_OK


# ------------------------------------------------------------------------------------------------------ show


def _problem_lines(problems: Sequence[Problem]) -> list[str]:
    lines = []
    for p in problems:
        where = f"field {p.field!r}: " if p.field else ""
        lines += labelled(f"  {p.severity}", f"{where}{p.message}")
    return lines


def _header(s: Suggestion) -> list[str]:
    lines = [f"suggestion {s.id} · {s.reference} · {_about(s)}"]
    status = f"{s.status}, sent {when(s.created_at)} (Hanoi)"
    if s.status != "pending":
        status += f"; {s.status} by {s.decided_by or '-'} on {when(s.decided_at)}"
    lines += labelled("status", status)
    if s.status == "rejected":
        lines += labelled("reason", s.reason)
    lines += labelled("source", "the people who run the space (operator)" if s.from_operator else s.source)
    lines += labelled("note", s.note)
    lines += labelled("contact", f"{s.contact or '-'}  (for reviewers only: never shown to the public)")
    return lines


def _review_lines(review: Review, *, all_fields: bool) -> list[str]:
    s = review.suggestion
    lines = _header(s)
    if review.revision is not None:
        revision = review.revision
        lines += labelled("revision", f"{revision.id}: `creative-map history {s.record_id}` lists it")
        lines.append("")
        lines += revision_table(revision, all_fields=all_fields)
        return lines
    if s.status == "pending":
        if review.conflict:
            conflict = (
                f"yes: the record changed after the suggestion was sent (fields: "
                f"{', '.join(review.conflict_fields) or '-'}); check them, then approve with --rebase, or reject"
            )
        else:
            conflict = "none: the record is as it was when the suggestion was sent"
        lines += labelled("conflict", conflict)
    chosen = (review.proposed or {}).get("properties", {}).get(schema.POSITION_PRECISION)
    if review.precision is not None or (review.precision_reason and chosen):
        lines += labelled("precision", f"{review.precision or chosen}: {review.precision_reason}")
    lines.append("")
    fields = [(f.field, f.current, f.proposed) for f in review.fields]
    lines += field_table(fields, ("now", "proposed"), all_fields=all_fields)
    if s.status == "pending":
        lines.append("")
        errors, warnings = review.errors, review.warnings
        verdict = (
            f"{len(errors)} error(s): approving is refused until they are fixed (approve --changes FILE)"
            if errors
            else "valid: it can be approved"
        )
        lines += labelled("validation", f"{verdict}; {len(warnings)} warning(s)")
        lines += _problem_lines([*errors, *warnings])
    return lines


def _show(args: argparse.Namespace) -> int:
    changes = _edit(args)
    with opened_store(args) as store:
        review = show(store, args.key, data=data_arg(args), changes=changes, precision=args.precision)
    if args.format == "json":
        out = review.as_dict()
        out["revision"] = review.revision.as_dict() if review.revision is not None else None
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return EXIT_OK
    print("\n".join(_review_lines(review, all_fields=args.all_fields)))
    return EXIT_OK


# ------------------------------------------------------------------------------------------- approve, reject


def _data_file(args: argparse.Namespace, revision: Revision) -> Path:
    spaces = io.data_path(data_arg(args))
    return spaces if revision.record_kind == "space" else io.events_path_for(spaces)


def _approve(args: argparse.Namespace) -> int:
    changes = _edit(args)
    with opened_store(args) as store:
        try:
            revision = approve(
                store,
                args.key,
                reviewer=args.reviewer,
                data=data_arg(args),
                changes=changes,
                precision=args.precision,
                rebase=args.rebase,
            )
        except ConflictError as exc:
            raise ConflictError(
                f"{exc} (`creative-map suggestions show {args.key}` shows what changed; then approve with --rebase)",
                fields=exc.fields,
            ) from exc
    reference = revision.suggestion_reference or "-"
    print(
        f"approved suggestion {revision.suggestion_id} ({reference}) as revision {revision.id}: "
        f"{revision.record_kind} {revision.record_id!r}"
    )
    print("\n".join(labelled("written", str(_data_file(args, revision)))))
    print("\n".join(labelled("changed", ", ".join(revision.changed_fields) or "nothing")))
    if revision.record_kind == "space" and revision.after is not None:
        precision = (revision.after.get("properties") or {}).get(schema.POSITION_PRECISION)
        print("\n".join(labelled("precision", cell(precision))))
    return EXIT_OK


def _reject(args: argparse.Namespace) -> int:
    with opened_store(args) as store:
        rejected = reject(store, args.key, reviewer=args.reviewer, reason=args.reason)
    print(f"rejected suggestion {rejected.id} ({rejected.reference}); its sender reads the reason by reference:")
    print("\n".join(labelled("reason", rejected.reason)))
    return EXIT_OK
