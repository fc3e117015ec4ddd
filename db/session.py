"""Engine and session set-up for SQLite (embedded, single file) and PostgreSQL (shared server).

SQLite is configured as RELIABILITY.md says:
- pragmas on every new connection, outside any transaction (``foreign_keys=ON``, ``synchronous=FULL``);
- WAL only where the SQLite library has the WAL-reset fix, otherwise the rollback journal;
- pysqlite's own transaction handling is switched off and we emit BEGIN ourselves, ``BEGIN IMMEDIATE``
  for write transactions so a read is never upgraded to a write mid-transaction;
- ``PRAGMA quick_check`` when the database is opened.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

WRITE_OPTION = "tta_write"


class StorageError(Exception):
    """The database cannot be used safely (failed health check, unsupported location)."""


def sqlite_has_wal_reset_fix(version: tuple[int, ...] | None = None) -> bool:
    """True when the SQLite library is free of the WAL-reset bug (fixed in 3.51.3, 3.50.7, 3.44.6)."""
    v = version or sqlite3.sqlite_version_info
    if v >= (3, 51, 3):
        return True
    if (3, 50, 7) <= v < (3, 51, 0):
        return True
    if (3, 44, 6) <= v < (3, 45, 0):
        return True
    return v < (3, 7, 0)


@dataclass(frozen=True)
class Database:
    """An engine plus the two session factories the service layer uses."""
    engine: Engine
    read_factory: sessionmaker[Session]
    write_factory: sessionmaker[Session]

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work (deferred BEGIN on SQLite)."""
        with self.read_factory() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: committed on success, rolled back on any error."""
        with self.write_factory() as session:
            with session.begin():
                yield session

    def dispose(self) -> None:
        self.engine.dispose()


def _install_sqlite_hooks(engine: Engine) -> None:
    journal_mode = "WAL" if sqlite_has_wal_reset_fix() else "DELETE"

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Take transaction control away from pysqlite; pragmas then run outside a transaction.
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA journal_mode={journal_mode}")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        write = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def make_engine(url: str, **kwargs) -> Engine:
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        engine = create_engine(u, **kwargs)
        _install_sqlite_hooks(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(u, **kwargs)


def check_sqlite_health(engine: Engine) -> None:
    """Run the cheap checks at open: pragmas took effect and ``quick_check`` is ``ok``."""
    from sqlalchemy.exc import DatabaseError
    try:
        with engine.connect() as conn:
            fk_on = conn.exec_driver_sql("PRAGMA foreign_keys").scalar()
            sync = conn.exec_driver_sql("PRAGMA synchronous").scalar()
            result = conn.exec_driver_sql("PRAGMA quick_check").scalar()
            conn.rollback()
    except DatabaseError as exc:
        raise StorageError(f"Databasen er beskadiget eller ikke en TTA-database ({exc.orig})") from exc
    if fk_on != 1:
        raise StorageError("SQLite foreign keys could not be switched on")
    if sync != 2:  # 2 == FULL
        raise StorageError("SQLite synchronous=FULL could not be set")
    if result != "ok":
        raise StorageError(f"Databasen er beskadiget (quick_check: {result})")


def open_database(url: str, *, check: bool = True, **engine_kwargs) -> Database:
    engine = make_engine(url, **engine_kwargs)
    if check and engine.dialect.name == "sqlite":
        check_sqlite_health(engine)
    write_engine = engine.execution_options(**{WRITE_OPTION: True})
    return Database(
        engine=engine,
        read_factory=sessionmaker(bind=engine, expire_on_commit=False),
        write_factory=sessionmaker(bind=write_engine, expire_on_commit=False),
    )


def ping(db: Database) -> None:
    with db.read() as s:
        s.execute(text("SELECT 1"))
