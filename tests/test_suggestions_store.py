"""The store: where CREATIVE_MAP_DB points, created on first use, one schema built by versioned migrations on
SQLite and PostgreSQL alike."""

from __future__ import annotations

import stat
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from creative_map.suggestions import Limits, StoreError, migrations, open_store, tables, upgrade_store
from creative_map.suggestions import store as store_module
from creative_map.suggestions.db import ENV_DB, database_url, default_database_path, display_url

from .conftest import ROOT


def test_database_url_reads_paths_sqlite_and_postgresql_urls(tmp_path: Path) -> None:
    assert database_url(tmp_path / "s.db").render_as_string() == f"sqlite:///{tmp_path / 's.db'}"
    assert database_url("relative/s.db").database == str((Path.cwd() / "relative/s.db").resolve())
    assert database_url(f"sqlite:///{tmp_path}/s.db").database == str(tmp_path / "s.db")
    for raw in ("postgresql://u:secret@db.example:5433/cm", "postgres://u:secret@db.example:5433/cm"):
        url = database_url(raw)
        assert url.drivername == "postgresql+psycopg" and url.port == 5433 and url.database == "cm"
    assert database_url("postgresql+psycopg2://u@h/cm").drivername == "postgresql+psycopg"
    assert "secret" not in display_url(database_url("postgresql://u:secret@h/cm"))


@pytest.mark.parametrize("raw", ["mysql://u@h/cm", "sqlite://", "sqlite:///:memory:"])
def test_other_urls_are_refused_with_the_variable_named(raw: str) -> None:
    with pytest.raises(ValueError, match=ENV_DB):
        database_url(raw)


def test_the_default_store_is_under_var_in_the_project(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(ENV_DB, raising=False)
    monkeypatch.chdir(ROOT / "notebooks")
    assert default_database_path() == ROOT / "var" / "creative_map.sqlite3"
    assert database_url().database == str(ROOT / "var" / "creative_map.sqlite3")
    monkeypatch.setenv(ENV_DB, str(tmp_path / "x.sqlite3"))
    assert database_url().database == str(tmp_path / "x.sqlite3")


def test_var_is_ignored_by_git() -> None:
    assert "/var/" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()


def test_an_sqlite_store_is_created_on_first_use_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "var" / "store.sqlite3"
    store = open_store(path)
    try:
        assert path.is_file() and store.version() == migrations.LATEST and store.backend == "sqlite"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    finally:
        store.close()


def _schema(engine: sa.Engine) -> dict[str, dict[str, object]]:
    inspector = sa.inspect(engine)
    out: dict[str, dict[str, object]] = {}
    for name in inspector.get_table_names():
        columns = {c["name"]: c["nullable"] for c in inspector.get_columns(name)}
        indexes = sorted(i["name"] or "" for i in inspector.get_indexes(name) if not i.get("unique"))
        out[name] = {"columns": columns, "indexes": indexes}
    return out


def test_the_migrations_build_exactly_the_tables_the_code_uses(store_url: str) -> None:
    assert upgrade_store(store_url) == (0, migrations.LATEST)
    store = open_store(store_url, limits=Limits())
    try:
        built = _schema(store.engine)
    finally:
        store.close()
    assert set(built) == set(tables.metadata.tables)
    for name, table in tables.metadata.tables.items():
        assert built[name]["columns"] == {c.name: c.nullable for c in table.columns}, name
        assert built[name]["indexes"] == sorted(i.name or "" for i in table.indexes), name


def test_upgrading_again_changes_nothing_and_the_version_table_records_each_step(store_url: str) -> None:
    assert upgrade_store(store_url) == (0, migrations.LATEST)
    assert upgrade_store(store_url) == (migrations.LATEST, migrations.LATEST)
    store = open_store(store_url, limits=Limits())
    try:
        with store.reading() as conn:
            rows = conn.execute(sa.select(tables.schema_version)).all()
        assert [r.version for r in rows] == [m.version for m in migrations.MIGRATIONS]
        assert all(r.applied_at.tzinfo is not None for r in rows)
    finally:
        store.close()


def test_two_servers_creating_the_store_at_once_both_succeed(store_url: str) -> None:
    results: list[object] = []

    def run() -> None:
        try:
            results.append(upgrade_store(store_url)[1])
        except Exception as exc:  # pragma: no cover - reported below
            results.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [migrations.LATEST] * 3
    store = open_store(store_url, limits=Limits())
    try:
        with store.reading() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(tables.schema_version)).scalar_one() == len(
                migrations.MIGRATIONS
            )
    finally:
        store.close()


def test_an_older_store_is_refused_until_db_upgrade_migrates_it(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    upgrade_store(store_url)

    def add_column(conn: sa.Connection) -> None:
        conn.execute(sa.text("ALTER TABLE suggestions ADD COLUMN extra TEXT"))

    later = (*migrations.MIGRATIONS, migrations.Migration(migrations.LATEST + 1, "a later release", add_column))
    monkeypatch.setattr(migrations, "MIGRATIONS", later)
    monkeypatch.setattr(migrations, "LATEST", migrations.LATEST + 1)
    with pytest.raises(StoreError, match="run `creative-map db upgrade`"):
        open_store(store_url)
    assert upgrade_store(store_url) == (migrations.LATEST - 1, migrations.LATEST)
    open_store(store_url, limits=Limits()).close()


def test_a_newer_store_is_refused(store_url: str) -> None:
    upgrade_store(store_url)
    engine = sa.create_engine(database_url(store_url))
    try:
        with engine.begin() as conn:
            conn.execute(
                tables.schema_version.insert().values(
                    version=migrations.LATEST + 5, description="future", applied_at=sa.func.now()
                )
            )
    finally:
        engine.dispose()
    with pytest.raises(StoreError, match="newer than this code"):
        open_store(store_url)
    with pytest.raises(StoreError, match="newer than this code"):
        upgrade_store(store_url)


def test_each_store_has_its_own_secret_sender_salt(store_url: str, tmp_path: Path) -> None:
    first, second = open_store(store_url, limits=Limits()), open_store(tmp_path / "other.sqlite3", limits=Limits())
    try:
        assert len(first.sender_salt) == 64 and first.sender_salt != second.sender_salt
    finally:
        first.close()
        second.close()


def test_an_unreachable_server_is_a_store_error_with_the_password_hidden() -> None:
    with pytest.raises(StoreError, match="cannot reach") as info:
        open_store("postgresql://u:secret@127.0.0.1:1/cm?connect_timeout=2")
    assert "secret" not in str(info.value)


def test_a_bad_limit_variable_is_refused_before_connecting(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Refused after connecting, the engine's pooled connection was left open (a ResourceWarning on PostgreSQL).
    engines: list[sa.Engine] = []
    real = store_module.create_engine
    monkeypatch.setattr(store_module, "create_engine", lambda url: engines.append(real(url)) or engines[-1])
    monkeypatch.setenv("CREATIVE_MAP_SUGGESTIONS_PER_HOUR", "many")
    with pytest.raises(ValueError, match="CREATIVE_MAP_SUGGESTIONS_PER_HOUR='many' is not a whole number"):
        open_store(store_url)
    assert engines == []
