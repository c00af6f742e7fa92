"""Reviewers: adding them (argon2id password hashes, never the password) and logging them in, slowly when failing.

Failed logins are slowed down through the store, so every app server sees the same count: after
`Limits.login_free_failures` failures in `WINDOW` (for one name, or from one client), each further attempt
must wait twice as long as the one before (1 s, 2 s, 4 s, ... up to `Limits.login_max_delay_s`); an attempt
made too soon is refused without even checking the password. An attempt is recorded as failed *before* the
password is checked, so parallel guesses count as well. Clients are kept as salted hashes, like senders.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
import unicodedata
from typing import Final

import argon2
import sqlalchemy as sa

from creative_map.suggestions.errors import (
    LoginFailedError,
    LoginThrottledError,
    NotFoundError,
    SuggestionError,
)
from creative_map.suggestions.senders import sender_key
from creative_map.suggestions.settings import Limits
from creative_map.suggestions.store import Store
from creative_map.suggestions.tables import login_attempts, reviewers

__all__ = [
    "MIN_PASSWORD_CHARS",
    "NAME_PATTERN",
    "add_reviewer",
    "authenticate",
    "list_reviewers",
    "normalise_name",
    "remove_reviewer",
    "require_reviewer",
    "set_password",
]

logger = logging.getLogger(__name__)

NAME_PATTERN: Final = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
"""A reviewer's name: 2 to 64 lowercase ASCII letters, digits, dots, hyphens or underscores."""
MIN_PASSWORD_CHARS: Final = 10
WINDOW: Final = dt.timedelta(minutes=15)
KEEP_ATTEMPTS: Final = dt.timedelta(days=1)

HASHER = argon2.PasswordHasher()
"""argon2id with the library's defaults (RFC 9106's second recommendation: 64 MiB, 3 passes, 4 lanes)."""


def normalise_name(name: str) -> str:
    """Return a reviewer's name as stored: stripped and lowercased.

    Raises
    ------
    SuggestionError
        When it is not a name `NAME_PATTERN` accepts.
    """
    out = unicodedata.normalize("NFC", name).strip().lower()
    if not NAME_PATTERN.match(out):
        raise SuggestionError(
            f"{name!r} is not a reviewer name; expected 2 to 64 lowercase letters, digits, '.', '-' or '_'",
            name=name,
        )
    return out


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise SuggestionError(f"the password is too short; use at least {MIN_PASSWORD_CHARS} characters")
    if password != password.strip():
        raise SuggestionError("the password starts or ends with a space; remove it")


def add_reviewer(store: Store, name: str, password: str, *, now: dt.datetime | None = None) -> str:
    """Add a reviewer; return the name as stored.

    Raises
    ------
    SuggestionError
        When the name is not valid or taken, or the password is shorter than `MIN_PASSWORD_CHARS`.
    """
    name = normalise_name(name)
    _check_password(password)
    password_hash = HASHER.hash(password)
    with store.writing() as conn:
        if conn.execute(sa.select(reviewers.c.id).where(reviewers.c.name == name)).first():
            raise SuggestionError(f"there is a reviewer named {name!r} already", name=name)
        conn.execute(
            reviewers.insert().values(name=name, password_hash=password_hash, created_at=now or dt.datetime.now(dt.UTC))
        )
    logger.info("added reviewer %s", name)
    return name


def set_password(store: Store, name: str, password: str) -> None:
    """Give reviewer `name` a new password.

    Raises
    ------
    NotFoundError
        When there is no such reviewer.
    """
    name = normalise_name(name)
    _check_password(password)
    password_hash = HASHER.hash(password)
    with store.writing() as conn:
        done = conn.execute(reviewers.update().where(reviewers.c.name == name).values(password_hash=password_hash))
        if done.rowcount != 1:
            raise NotFoundError(f"no reviewer named {name!r}", name=name)


def remove_reviewer(store: Store, name: str) -> None:
    """Remove reviewer `name` (the revisions they made keep their name).

    Raises
    ------
    NotFoundError
        When there is no such reviewer.
    """
    name = normalise_name(name)
    with store.writing() as conn:
        if conn.execute(reviewers.delete().where(reviewers.c.name == name)).rowcount != 1:
            raise NotFoundError(f"no reviewer named {name!r}", name=name)


def list_reviewers(store: Store) -> list[str]:
    """Return the reviewers' names, sorted."""
    with store.reading() as conn:
        return [str(n) for n in conn.execute(sa.select(reviewers.c.name).order_by(reviewers.c.name)).scalars()]


def require_reviewer(conn: sa.Connection, name: str) -> str:
    """Return the stored form of `name`.

    Raises
    ------
    NotFoundError
        When there is no such reviewer, saying how to add one.
    """
    stored = normalise_name(name)
    if conn.execute(sa.select(reviewers.c.id).where(reviewers.c.name == stored)).first() is None:
        raise NotFoundError(
            f"no reviewer named {stored!r}; add one with `creative-map reviewers add {stored}`", name=stored
        )
    return stored


@functools.cache
def _dummy_hash() -> str:
    """A hash to check unknown names against, so that they take as long as known ones."""
    return HASHER.hash("not a password of anyone")


def _failures(
    conn: sa.Connection, column: sa.ColumnElement[str], value: str, since: dt.datetime
) -> tuple[int, dt.datetime | None]:
    """Count the failed attempts on `column` = `value` since `since` and since the last success; the last one."""
    last_success = conn.execute(
        sa.select(sa.func.max(login_attempts.c.at)).where(
            column == value, login_attempts.c.success.is_(True), login_attempts.c.at >= since
        )
    ).scalar()
    start = max(since, last_success) if last_success is not None else since
    count, last = conn.execute(
        sa.select(sa.func.count(), sa.func.max(login_attempts.c.at)).where(
            column == value, login_attempts.c.success.is_(False), login_attempts.c.at >= start
        )
    ).one()
    return int(count), last


def _wait(failures: int, last: dt.datetime | None, now: dt.datetime, limits: Limits) -> float:
    """Seconds still to wait before the next attempt."""
    if failures < limits.login_free_failures or last is None:
        return 0.0
    delay = min(2.0 ** (failures - limits.login_free_failures), float(limits.login_max_delay_s))
    return max(0.0, (last + dt.timedelta(seconds=delay) - now).total_seconds())


def authenticate(store: Store, name: str, password: str, *, client: str, now: dt.datetime | None = None) -> str:
    """Log a reviewer in; return their name as stored.

    Parameters
    ----------
    store
        The store.
    name, password
        What the reviewer typed. The password is only ever compared with its hash, never kept or logged.
    client
        Who is logging in (the client's IP address in the app): failures are also counted per client.
    now
        The time of the attempt (default: now).

    Raises
    ------
    LoginThrottledError
        When too many attempts failed lately: `retry_after` says how many seconds to wait.
    LoginFailedError
        When the name or the password is wrong (the message does not say which).
    """
    now = now or dt.datetime.now(dt.UTC)
    try:
        stored_name = normalise_name(name)
    except SuggestionError:
        stored_name = name.strip().lower()[:64] or "-"
    client_key = sender_key(client, salt=store.sender_salt)
    since = now - WINDOW
    with store.writing(lock="login") as conn:
        by_name = _failures(conn, login_attempts.c.name, stored_name, since)
        by_client = _failures(conn, login_attempts.c.client_key, client_key, since)
        wait = max(_wait(*by_name, now, store.limits), _wait(*by_client, now, store.limits))
        if wait > 0:
            logger.info("login refused for %r: throttled for %.0f s", stored_name, wait)
            raise LoginThrottledError(wait)
        attempt = conn.execute(
            login_attempts.insert()
            .values(name=stored_name, client_key=client_key, at=now, success=False)
            .returning(login_attempts.c.id)
        ).scalar_one()
        conn.execute(login_attempts.delete().where(login_attempts.c.at < now - KEEP_ATTEMPTS))
        row = conn.execute(sa.select(reviewers.c.password_hash).where(reviewers.c.name == stored_name)).first()
    password_hash = str(row.password_hash) if row is not None else _dummy_hash()
    try:
        ok = HASHER.verify(password_hash, password) and row is not None
    except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
        ok = False
    if not ok:
        logger.info("login failed for %r", stored_name)
        raise LoginFailedError("wrong name or password")
    with store.writing() as conn:
        conn.execute(login_attempts.update().where(login_attempts.c.id == attempt).values(success=True))
        if HASHER.check_needs_rehash(password_hash):
            conn.execute(
                reviewers.update().where(reviewers.c.name == stored_name).values(password_hash=HASHER.hash(password))
            )
    logger.info("reviewer %s logged in", stored_name)
    return stored_name
