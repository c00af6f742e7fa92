"""``creative-map reviewers add|password|list|remove``: the people who may review suggestions.

A password is asked twice on the terminal without echo (`getpass`), or read from ``--password-file F`` for
scripts (the file's first line, its line break removed). It goes to the library, which keeps only an argon2id
hash; it is never printed, logged or put in a message.
"""

from __future__ import annotations

import argparse
import getpass
import json
import stat
import sys
from pathlib import Path
from typing import Final

from creative_map.cli._store import Actions, add_action, add_store_argument, opened_store
from creative_map.cli.common import EXIT_OK, Subparsers, add_command
from creative_map.suggestions import NotFoundError, SuggestionError, add_reviewer, list_reviewers, remove_reviewer
from creative_map.suggestions import set_password as set_reviewer_password
from creative_map.suggestions.reviewers import MIN_PASSWORD_CHARS, normalise_name

__all__ = ["PASSWORD_FILE_MAX_BYTES", "read_password_file", "register", "run"]

HELP = "add, list or remove the reviewers of suggestions, or change a password"
PASSWORD_FILE_MAX_BYTES: Final = 4096


def _add_password_file(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-file",
        metavar="F",
        help="read the password from the first line of F instead of asking for it (for scripts; keep F "
        "readable by its owner only)",
    )


def register(subparsers: Subparsers) -> None:
    """Add the ``reviewers`` command and its actions to `subparsers`."""
    parser = add_command(subparsers, "reviewers", help=HELP, run=run)
    add_store_argument(parser)
    actions: Actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    names = "2 to 64 lowercase letters, digits, '.', '-' or '_'"
    adding = add_action(
        actions,
        "add",
        help=f"add a reviewer; the password (at least {MIN_PASSWORD_CHARS} characters) is asked twice, never "
        "echoed, and only its argon2id hash is kept",
    )
    adding.add_argument("name", metavar="NAME", help=names)
    _add_password_file(adding)
    changing = add_action(actions, "password", help="give a reviewer a new password (asked twice)")
    changing.add_argument("name", metavar="NAME")
    _add_password_file(changing)
    listing = add_action(actions, "list", help="the reviewers' names")
    listing.add_argument("--format", choices=("table", "json"), default="table", help="table (default) or json")
    removing = add_action(actions, "remove", help="remove a reviewer (the revisions they made keep their name)")
    removing.add_argument("name", metavar="NAME")


def run(args: argparse.Namespace) -> int:
    """Do the action on the store of ``--db``."""
    action = {"add": _add, "password": _password, "list": _list, "remove": _remove}[args.action]
    return action(args)


def read_password_file(path: str) -> str:
    """Return the password on the first line of the file `path` (one trailing line break removed).

    Raises
    ------
    ValueError
        When the file cannot be read, is too large, is not UTF-8 or holds more than one line (the message never
        holds the password).
    """
    file = Path(path)
    try:
        info = file.stat()
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(f"{path}: is not a file; expected a file holding the password")
        if info.st_size > PASSWORD_FILE_MAX_BYTES:
            raise ValueError(f"{path}: is {info.st_size:,} bytes; expected a password on one line")
        raw = file.read_bytes()
    except OSError as exc:
        raise ValueError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    if info.st_mode & stat.S_IROTH:
        print(f"warning: {path} can be read by every user of this machine; chmod 600 it", file=sys.stderr)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"{path}: is not UTF-8 text") from None
    password = text.removesuffix("\n").removesuffix("\r")
    if "\n" in password or "\r" in password:
        raise ValueError(f"{path}: holds more than one line; expected the password alone")
    return password


def _ask_password(args: argparse.Namespace, name: str) -> str:
    """The password from ``--password-file``, else typed twice on the terminal (no echo)."""
    if args.password_file is not None:
        return read_password_file(args.password_file)
    try:
        first = getpass.getpass(f"password for {name}: ")
        second = getpass.getpass(f"the same password for {name} again: ")
    except EOFError:
        raise ValueError("no password was typed (end of input); use --password-file F in scripts") from None
    if first != second:
        raise SuggestionError("the two passwords differ; nothing was changed")
    return first


def _add(args: argparse.Namespace) -> int:
    name = normalise_name(args.name)  # a bad name is refused before the password is asked
    with opened_store(args) as store:
        if name in list_reviewers(store):
            raise SuggestionError(f"there is a reviewer named {name!r} already")
        stored = add_reviewer(store, name, _ask_password(args, name))
    print(f"added reviewer {stored}")
    return EXIT_OK


def _password(args: argparse.Namespace) -> int:
    name = normalise_name(args.name)
    with opened_store(args) as store:
        if name not in list_reviewers(store):
            raise NotFoundError(f"no reviewer named {name!r}")
        set_reviewer_password(store, name, _ask_password(args, name))
    print(f"changed the password of reviewer {name}")
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    with opened_store(args) as store:
        names = list_reviewers(store)
    if args.format == "json":
        print(json.dumps(names))
    elif names:
        print("\n".join(names))
    else:
        print("no reviewers yet; add one with `creative-map reviewers add NAME`")
    return EXIT_OK


def _remove(args: argparse.Namespace) -> int:
    with opened_store(args) as store:
        remove_reviewer(store, args.name)
    print(f"removed reviewer {normalise_name(args.name)} (the revisions they made keep their name)")
    return EXIT_OK
