"""Where the store is (`CREATIVE_MAP_DB`) and how to connect to it: an SQLite file or a PostgreSQL server.

`database_url` turns what `CREATIVE_MAP_DB` may hold (a file path, a ``sqlite:///`` URL or a
``postgresql://`` URL) into a SQLAlchemy URL; `create_engine` connects with the settings each backend needs
(SQLite: write-ahead log, a busy timeout, foreign keys, transactions that SQLAlchemy begins itself so that
schema changes are transactional too).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any, Final, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry

from creative_map import io

__all__ = [
    "DEFAULT_FILE",
    "ENV_DB",
    "Backend",
    "UTCDateTime",
    "backend_of",
    "create_engine",
    "database_url",
    "default_database_path",
    "display_url",
]

ENV_DB: Final = "CREATIVE_MAP_DB"
DEFAULT_FILE: Final = Path("var") / "creative_map.sqlite3"
"""The default store, relative to the project folder (the folder holding ``data/``); ``var/`` is git-ignored."""
SQLITE_BUSY_TIMEOUT_MS: Final = 15_000

Backend = Literal["sqlite", "postgresql"]


def default_database_path() -> Path:
    """Return ``var/creative_map.sqlite3`` in the project folder (found as `creative_map.io.default_data` is)."""
    return io.default_data().parent.parent / DEFAULT_FILE


def database_url(value: str | os.PathLike[str] | None = None) -> sa.URL:
    """Return the SQLAlchemy URL of the store.

    Parameters
    ----------
    value
        A file path, a ``sqlite:///path`` URL or a ``postgresql://user@host:port/db`` URL. None: the
        environment variable ``CREATIVE_MAP_DB``, else `default_database_path`.

    Returns
    -------
    sqlalchemy.URL
        ``sqlite:///ABSOLUTE-PATH`` or ``postgresql+psycopg://...`` (psycopg 3, whatever driver was named).

    Raises
    ------
    ValueError
        For another kind of URL, or an SQLite URL without a file (the store must outlive the process).
    """
    raw = str(value) if value is not None else os.environ.get(ENV_DB, "").strip()
    if not raw:
        return sa.URL.create("sqlite", database=str(default_database_path().resolve()))
    if "://" not in raw:
        return sa.URL.create("sqlite", database=str(Path(raw).expanduser().resolve()))
    scheme = raw.split("://", 1)[0].lower()
    if scheme in ("postgres", "postgresql") or scheme.startswith("postgresql+"):
        url = make_url("postgresql" + raw[len(scheme) :])
        return url.set(drivername="postgresql+psycopg")
    if scheme == "sqlite" or scheme.startswith("sqlite+"):
        url = make_url(raw)
        if not url.database or url.database == ":memory:":
            raise ValueError(f"`{ENV_DB}` {raw!r} names no file; expected sqlite:///path/to/file.sqlite3")
        return url.set(drivername="sqlite", database=str(Path(url.database).expanduser().resolve()))
    raise ValueError(
        f"`{ENV_DB}` {display_url(raw)!r} is neither a file path, a sqlite:/// URL nor a postgresql:// URL"
    )


def display_url(url: sa.URL | str) -> str:
    """Return `url` with its password hidden, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (sa.exc.ArgumentError, ValueError):
        return "<unreadable URL>"


def backend_of(url: sa.URL) -> Backend:
    """Return which backend a URL names."""
    return "postgresql" if url.get_backend_name() == "postgresql" else "sqlite"


def _prepare_sqlite_file(path: Path) -> None:
    """Create the folder (owner only) and an empty file (owner read/write only): it holds senders' contacts."""
    if path.exists():
        return
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process created it a moment ago
    os.close(fd)


def create_engine(url: sa.URL) -> Engine:
    """Return an engine for `url`, creating an SQLite file (and its folder) on first use."""
    if backend_of(url) == "postgresql":
        return sa.create_engine(url, pool_pre_ping=True)
    assert url.database is not None
    _prepare_sqlite_file(Path(url.database))
    engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        # A writing transaction takes the write lock at once: no deadlock when two readers both start writing.
        immediate = connection.get_execution_options().get("creative_map_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class UTCDateTime(sa.types.TypeDecorator[dt.datetime]):
    """A point in time, always given and returned timezone-aware in UTC, on both backends."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: sa.Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"{value!r} has no time zone; expected an aware datetime")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> dt.datetime | None:
        if value is None:
            return None
        moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
        return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)
