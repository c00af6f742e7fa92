"""``creative-map db upgrade``: create the store of suggestions, or migrate it to this release's schema."""

from __future__ import annotations

import argparse

from creative_map.cli._store import add_action, add_store_argument, db_arg, store_errors, store_name
from creative_map.cli.common import EXIT_OK, Subparsers, add_command
from creative_map.suggestions import upgrade_store

__all__ = ["register", "run"]

HELP = "create or migrate the store of suggestions ($CREATIVE_MAP_DB or --db)"


def register(subparsers: Subparsers) -> None:
    """Add the ``db`` command to `subparsers`."""
    parser = add_command(subparsers, "db", help=HELP, run=run)
    add_store_argument(parser)
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add_action(
        actions,
        "upgrade",
        help="create the store (an SQLite file is created with its folder) or migrate it to the latest schema; "
        "prints the schema versions, from -> to (back the store up first)",
    )


def run(args: argparse.Namespace) -> int:
    """Upgrade the store; print its URL (password hidden) and the schema versions before and after."""
    name = store_name(args)
    with store_errors(name):
        before, after = upgrade_store(db_arg(args))
    what = "created" if before == 0 else "migrated" if after != before else "already the latest: nothing to do"
    print(f"{name}: schema version {before} → {after} ({what})")
    return EXIT_OK
