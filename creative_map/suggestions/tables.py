"""The store's tables as the code reads and writes them (the current schema, built by `migrations`).

`tests/test_suggestions_store.py` checks that the migrations build exactly these tables on both backends.
"""

from __future__ import annotations

from typing import Final

import sqlalchemy as sa

from creative_map.suggestions.db import UTCDateTime

__all__ = ["login_attempts", "metadata", "reviewers", "revisions", "schema_version", "store_meta", "suggestions"]

ID_LENGTH: Final = 200
NAME_LENGTH: Final = 64

metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("applied_at", UTCDateTime, nullable=False),
)
"""One row per migration applied; the store's version is the highest."""

store_meta = sa.Table(
    "store_meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)
"""Values set once per store, shared by every app server: ``sender_salt``."""

suggestions = sa.Table(
    "suggestions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("reference", sa.String(32), nullable=False, unique=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("space_id", sa.String(ID_LENGTH)),
    sa.Column("event_id", sa.String(ID_LENGTH)),
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
    sa.Column("decided_by", sa.String(NAME_LENGTH)),
    sa.Index("ix_suggestions_status_created", "status", "created_at"),
    sa.Index("ix_suggestions_sender_created", "sender_key", "created_at"),
    sa.Index("ix_suggestions_created", "created_at"),
)
"""What the public sent. `contact` is for reviewers only; `sender_key` is a salted hash, never an address."""

reviewers = sa.Table(
    "reviewers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(NAME_LENGTH), nullable=False, unique=True),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
)
"""Who may review. Only an argon2id hash of the password is kept."""

login_attempts = sa.Table(
    "login_attempts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(NAME_LENGTH), nullable=False),
    sa.Column("client_key", sa.String(64), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("success", sa.Boolean, nullable=False),
    sa.Index("ix_login_attempts_name_at", "name", "at"),
    sa.Index("ix_login_attempts_client_at", "client_key", "at"),
)
"""Recent logins, to slow failed ones down (shared by every app server through the store)."""

revisions = sa.Table(
    "revisions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("record_kind", sa.String(8), nullable=False),
    sa.Column("record_id", sa.String(ID_LENGTH), nullable=False),
    sa.Column("suggestion_id", sa.Integer, sa.ForeignKey("suggestions.id")),
    sa.Column("reverts_id", sa.Integer, sa.ForeignKey("revisions.id")),
    sa.Column("reviewer", sa.String(NAME_LENGTH), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("before", sa.JSON(none_as_null=True)),
    sa.Column("after", sa.JSON(none_as_null=True)),
    sa.Index("ix_revisions_record", "record_kind", "record_id"),
)
"""Every change applied to the data files: who, when, which suggestion (or which revision it undid), the
record before and after (None: it did not exist / no longer exists)."""
