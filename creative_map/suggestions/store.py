"""The store of suggestions, reviewers and revisions: `open_store` connects to it, `upgrade_store` migrates it.

`CREATIVE_MAP_DB` names it (a file path, a ``sqlite:///`` URL or a ``postgresql://`` URL; default an SQLite
file ``var/creative_map.sqlite3`` in the project folder). An empty store is created on first use; a store
built by an older release is refused until ``creative-map db upgrade`` (`upgrade_store`) migrates it, so that
data is never migrated behind an operator's back.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import zlib
from collections.abc import Iterator

import sqlalchemy as sa

from creative_map.suggestions import migrations
from creative_map.suggestions.db import Backend, backend_of, create_engine, database_url, display_url
from creative_map.suggestions.errors import StoreError
from creative_map.suggestions.settings import Limits
from creative_map.suggestions.tables import store_meta

__all__ = ["Store", "open_store", "upgrade_store"]

logger = logging.getLogger(__name__)


class Store:
    """A connection to the store and the limits that apply to it (thread-safe: one per process is enough)."""

    def __init__(self, engine: sa.Engine, *, limits: Limits | None = None) -> None:
        self.engine = engine
        self.limits = limits if limits is not None else Limits.from_env()

    @property
    def backend(self) -> Backend:
        """``sqlite`` or ``postgresql``."""
        return backend_of(self.engine.url)

    @property
    def url(self) -> str:
        """The store's URL with its password hidden."""
        return display_url(self.engine.url)

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    @contextlib.contextmanager
    def reading(self) -> Iterator[sa.Connection]:
        """Yield a connection for reading (one consistent transaction, rolled back at the end)."""
        with self.engine.connect() as conn:
            yield conn

    @contextlib.contextmanager
    def writing(self, *, lock: str | None = None) -> Iterator[sa.Connection]:
        """Yield a connection in a writing transaction, committed when the block succeeds.

        Parameters
        ----------
        lock
            A name: writers with the same name run one after another across every app server (PostgreSQL:
            a transaction advisory lock; SQLite serialises every writer anyway). Counting and then inserting
            under it is exact.
        """
        with self.engine.connect().execution_options(creative_map_write=True) as conn, conn.begin():
            if lock is not None and self.backend == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": zlib.crc32(lock.encode())})
            yield conn

    @functools.cached_property
    def sender_salt(self) -> str:
        """The store's secret salt for sender keys (made with the store)."""
        with self.reading() as conn:
            value = conn.execute(sa.select(store_meta.c.value).where(store_meta.c.key == "sender_salt")).scalar()
        if not value:
            raise StoreError(f"the store {self.url} has no sender salt; was it created by `creative-map db upgrade`?")
        return str(value)

    def version(self) -> int:
        """Return the store's schema version."""
        with self.reading() as conn:
            return migrations.current_version(conn)

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def _engine(url: str | os.PathLike[str] | None) -> sa.Engine:
    try:
        return create_engine(database_url(url))
    except (ValueError, OSError) as exc:
        raise StoreError(str(exc)) from exc


def upgrade_store(url: str | os.PathLike[str] | None = None) -> tuple[int, int]:
    """Create the store named by `url` (default: ``CREATIVE_MAP_DB``) or migrate it to the latest schema.

    Returns
    -------
    tuple of int
        The schema version before and after.

    Raises
    ------
    StoreError
        When the store cannot be reached or is newer than this code.
    """
    engine = _engine(url)
    try:
        before, after = migrations.upgrade(engine)
    except RuntimeError as exc:
        raise StoreError(f"{display_url(engine.url)}: {exc}") from exc
    except sa.exc.OperationalError as exc:
        raise StoreError(f"cannot reach the store {display_url(engine.url)}: {exc.orig}") from exc
    finally:
        engine.dispose()
    if after != before:
        logger.info("store %s: schema version %d -> %d", display_url(engine.url), before, after)
    return before, after


def open_store(url: str | os.PathLike[str] | None = None, *, limits: Limits | None = None) -> Store:
    """Connect to the store named by `url` (default: ``CREATIVE_MAP_DB``), creating an empty one on first use.

    Parameters
    ----------
    url
        A file path, a ``sqlite:///`` URL or a ``postgresql://`` URL.
    limits
        The abuse limits (default: `Limits.from_env`).

    Raises
    ------
    ValueError
        When a limit's environment variable holds no whole number of at least 1 (before any connection).
    StoreError
        When it cannot be reached, or was built by another release: an older one must be migrated first
        (``creative-map db upgrade``), a newer one needs this code updated.
    """
    limits = limits if limits is not None else Limits.from_env()  # a bad variable: refused before connecting
    engine = _engine(url)
    try:
        with engine.connect() as conn:
            version = migrations.current_version(conn)
        if version == 0:
            migrations.upgrade(engine)
            version = migrations.LATEST
    except sa.exc.OperationalError as exc:
        engine.dispose()
        raise StoreError(f"cannot reach the store {display_url(engine.url)}: {exc.orig}") from exc
    if version != migrations.LATEST:
        engine.dispose()
        what = "older" if version < migrations.LATEST else "newer"
        todo = "run `creative-map db upgrade`" if version < migrations.LATEST else "update creative_map"
        raise StoreError(
            f"the store {display_url(engine.url)} is at schema version {version}, {what} than this code "
            f"({migrations.LATEST}); {todo}"
        )
    return Store(engine, limits=limits)
