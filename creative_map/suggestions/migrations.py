"""The store's schema, built and brought up to date by numbered migrations recorded in ``schema_version``.

Each `Migration` is a function run in one transaction with the row that records it, so a migration is
applied completely or not at all (PostgreSQL and SQLite both have transactional DDL). Migrations are
frozen: once released, one never changes; a new one is added with the next number. Each one builds its own
table definitions (not `creative_map.suggestions.tables`, which describes the *current* schema for the
queries); a test checks that applying them all gives exactly the current tables on both backends.

Two servers upgrading at once are serialised: a PostgreSQL advisory lock, SQLite's write lock
(``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import sqlalchemy as sa

from creative_map.suggestions.db import UTCDateTime, backend_of
from creative_map.suggestions.tables import schema_version

__all__ = ["LATEST", "MIGRATIONS", "Migration", "current_version", "upgrade"]

logger = logging.getLogger(__name__)

_ADVISORY_KEY: Final = 0x63_6D_61_70  # "cmap": the PostgreSQL advisory lock held while migrating


@dataclass(frozen=True)
class Migration:
    """One step of the schema: its number, what it does, and the function that does it."""

    version: int
    description: str
    apply: Callable[[sa.Connection], None]


def _v1_initial(conn: sa.Connection) -> None:
    md = sa.MetaData()
    sa.Table(
        "store_meta", md, sa.Column("key", sa.String(64), primary_key=True), sa.Column("value", sa.Text, nullable=False)
    )
    sa.Table(
        "suggestions",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("reference", sa.String(32), nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("space_id", sa.String(200)),
        sa.Column("event_id", sa.String(200)),
        sa.Column("changes", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("contact", sa.Text, nullable=False),
        sa.Column("sender_key", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("base_fingerprint", sa.String(64)),
        sa.Column("base_record", sa.JSON(none_as_null=True)),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("decided_at", UTCDateTime),
        sa.Column("decided_by", sa.String(64)),
        sa.Index("ix_suggestions_status_created", "status", "created_at"),
        sa.Index("ix_suggestions_sender_created", "sender_key", "created_at"),
        sa.Index("ix_suggestions_created", "created_at"),
    )
    sa.Table(
        "reviewers",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    sa.Table(
        "login_attempts",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("client_key", sa.String(64), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("success", sa.Boolean, nullable=False),
        sa.Index("ix_login_attempts_name_at", "name", "at"),
        sa.Index("ix_login_attempts_client_at", "client_key", "at"),
    )
    sa.Table(
        "revisions",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("record_kind", sa.String(8), nullable=False),
        sa.Column("record_id", sa.String(200), nullable=False),
        sa.Column("suggestion_id", sa.Integer, sa.ForeignKey("suggestions.id")),
        sa.Column("reverts_id", sa.Integer, sa.ForeignKey("revisions.id")),
        sa.Column("reviewer", sa.String(64), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("before", sa.JSON(none_as_null=True)),
        sa.Column("after", sa.JSON(none_as_null=True)),
        sa.Index("ix_revisions_record", "record_kind", "record_id"),
    )
    md.create_all(conn)
    conn.execute(md.tables["store_meta"].insert().values(key="sender_salt", value=secrets.token_hex(32)))


MIGRATIONS: Final[tuple[Migration, ...]] = (
    Migration(1, "suggestions, reviewers, login attempts, revisions; the sender salt", _v1_initial),
)
LATEST: Final = MIGRATIONS[-1].version


def current_version(conn: sa.Connection) -> int:
    """Return the store's schema version (0: an empty store)."""
    if not sa.inspect(conn).has_table(schema_version.name):
        return 0
    return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(schema_version.c.version), 0))).scalar_one())


def _lock(conn: sa.Connection) -> None:
    if backend_of(conn.engine.url) == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_KEY})


def upgrade(engine: sa.Engine, *, target: int | None = None) -> tuple[int, int]:
    """Apply every migration above the store's version, up to `target` (default: the latest), each in its own
    transaction.

    Returns
    -------
    tuple of int
        The version before and after.

    Raises
    ------
    RuntimeError
        When the store is newer than this code knows (a newer release migrated it).
    """
    with engine.connect() as conn:
        before = current_version(conn)
        conn.rollback()
    if before > LATEST:
        raise RuntimeError(f"the store is at schema version {before}, newer than this code knows ({LATEST}); update")
    version = before
    for migration in MIGRATIONS:
        if target is not None and migration.version > target:
            break
        with engine.connect().execution_options(creative_map_write=True) as conn, conn.begin():
            _lock(conn)
            schema_version.create(conn, checkfirst=True)
            version = current_version(conn)
            if migration.version <= version:
                continue  # another server applied it meanwhile
            logger.info("migrating the store to version %d: %s", migration.version, migration.description)
            migration.apply(conn)
            conn.execute(
                schema_version.insert().values(
                    version=migration.version, description=migration.description, applied_at=dt.datetime.now(dt.UTC)
                )
            )
            version = migration.version
    return before, version
