"""What the commands of the suggestion box share: the ``--db`` option, the store they open, the sub-actions
(``suggestions list``...), who sends a suggestion from the command line, and reading a JSON option file.

Every store command takes ``--db URL`` (default: ``$CREATIVE_MAP_DB``, else the SQLite file
``var/creative_map.sqlite3`` of the project folder) and ``--data PATH``, after its action as well as before.
`opened_store` turns a database failure into a `StoreError` (a message and exit 1, never a traceback) and
closes the store at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Final, TypeAlias

import sqlalchemy as sa

from creative_map import io
from creative_map.cli.common import data_parent
from creative_map.suggestions import Store, StoreError, open_store
from creative_map.suggestions.db import ENV_DB, database_url, display_url

__all__ = [
    "DB_HELP",
    "Actions",
    "add_action",
    "add_store_argument",
    "cli_sender",
    "db_arg",
    "opened_store",
    "read_json_value",
    "store_errors",
    "store_name",
]

Actions: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
"""The sub-actions of a command (``list``, ``show``...)."""

DB_HELP: Final = (
    "the store: a file path, sqlite:///PATH or postgresql://USER@HOST:PORT/DB, its password in ~/.pgpass or "
    "PGPASSWORD, not in the URL (default: $CREATIVE_MAP_DB, else var/creative_map.sqlite3 in the project folder)"
)


def add_store_argument(parser: argparse.ArgumentParser) -> None:
    """Add ``--db URL`` to `parser` (absent when not given, so that a sub-action's parser may set it too)."""
    parser.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help=DB_HELP)


def add_action(actions: Actions, name: str, *, help: str) -> argparse.ArgumentParser:
    """Add the sub-action `name` (with ``--data`` and ``--db``) to a command's `actions`; return its parser."""
    parser = actions.add_parser(name, help=help, description=help, parents=[data_parent()])
    add_store_argument(parser)
    return parser


def db_arg(args: argparse.Namespace) -> str | None:
    """Return ``--db`` when given, else None (the library then reads ``CREATIVE_MAP_DB``)."""
    value = getattr(args, "db", None)
    return str(value) if value is not None else None


def store_name(args: argparse.Namespace) -> str:
    """Return the URL of the store the options name, its password hidden (for messages).

    Raises
    ------
    ValueError
        When the URL is of no kind the store accepts.
    """
    given = db_arg(args)
    try:
        return display_url(database_url(given))
    except ValueError as exc:
        if given is None:
            raise
        raise ValueError(str(exc).replace(f"`{ENV_DB}`", "--db", 1)) from None


def _driver_message(exc: sa.exc.SQLAlchemyError) -> str:
    """The database's own words, without the statement and its values (which may hold a sender's contact)."""
    origin = exc.orig if isinstance(exc, sa.exc.DBAPIError) else None
    text = str(origin if origin is not None else type(exc).__name__).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@contextlib.contextmanager
def store_errors(name: str) -> Iterator[None]:
    """Turn a failure of the database inside the block into a `StoreError` naming the store `name`."""
    try:
        yield
    except sa.exc.SQLAlchemyError as exc:
        raise StoreError(f"the store {name} failed: {_driver_message(exc)}") from exc


@contextlib.contextmanager
def opened_store(args: argparse.Namespace) -> Iterator[Store]:
    """Open the store of ``--db`` (created on first use), yield it, close it at the end.

    Raises
    ------
    StoreError
        When it cannot be reached, needs ``creative-map db upgrade``, or fails meanwhile.
    """
    name = store_name(args)
    with store_errors(name):
        store = open_store(db_arg(args))
        try:
            yield store
        finally:
            store.close()


def cli_sender() -> str:
    """Return who sends a suggestion from the command line, for the hourly limits: ``cli:<login name>``."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name in the environment nor in the password database
        user = f"uid{os.getuid()}"
    return f"cli:{user}"


def read_json_value(path: str | os.PathLike[str], *, max_bytes: int) -> object:
    """Return the JSON value in the file `path`.

    Raises
    ------
    ValueError
        Naming the file and what is wrong (missing, too large, not UTF-8, empty, not JSON).
    """
    file = Path(path)
    # io.read_json speaks of GeoJSON when a file is a folder or empty: say what an option file should be
    if file.is_dir():
        raise ValueError(f"{path}: is a directory; expected a JSON file")
    if file.is_file() and file.stat().st_size <= max_bytes and not file.read_bytes().strip():
        raise ValueError(f"{path}: is empty; expected a JSON object")
    value, problems = io.read_json(file, max_bytes=max_bytes)
    if problems:
        raise ValueError("; ".join(str(p) for p in problems))
    return value
