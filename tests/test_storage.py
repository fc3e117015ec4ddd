"""Storage set-up: SQLite pragmas and transactions, health check, NUL text, both backends alike."""
from __future__ import annotations

import pytest
from sqlalchemy import event, text

from app.errors import StorageUnavailable, ValidationError
from app.services import Services
from db.session import StorageError, open_database, sqlite_has_wal_reset_fix
from tests.factories import make_user


def test_sqlite_connection_pragmas(sqlite_url):
    db = open_database(sqlite_url)
    with db.read() as s:
        conn = s.connection()
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
    # WAL only where the library has the WAL-reset fix (3.51.3, 3.50.7, 3.44.6).
    assert mode == ("wal" if sqlite_has_wal_reset_fix() else "delete")
    db.dispose()


def test_wal_reset_fix_versions():
    assert not sqlite_has_wal_reset_fix((3, 40, 1))
    assert not sqlite_has_wal_reset_fix((3, 51, 2))
    assert sqlite_has_wal_reset_fix((3, 51, 3))
    assert sqlite_has_wal_reset_fix((3, 50, 7))
    assert not sqlite_has_wal_reset_fix((3, 50, 6))
    assert sqlite_has_wal_reset_fix((3, 44, 6))
    assert not sqlite_has_wal_reset_fix((3, 45, 0))


def test_sqlite_write_transactions_begin_immediate(sqlite_url):
    db = open_database(sqlite_url)
    seen: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    with db.write() as s:
        s.execute(text("UPDATE setting SET value_json = value_json WHERE key = 'idle_lock_minutes'"))
    with db.read() as s:
        s.execute(text("SELECT 1"))
    assert "BEGIN IMMEDIATE" in seen
    assert seen.count("BEGIN") == 1  # the read transaction is deferred
    db.dispose()


def test_sqlite_foreign_keys_enforced(sqlite_url):
    db = open_database(sqlite_url)
    with pytest.raises(Exception, match="FOREIGN KEY"):
        with db.write() as s:
            s.execute(text("INSERT INTO case_icd10 (case_id, code) VALUES (999, 'F43.2')"))
    db.dispose()


def test_corrupt_sqlite_file_is_refused_at_open(sqlite_url):
    path = sqlite_url.removeprefix("sqlite:///")
    with open(path, "r+b") as f:
        f.seek(4096 * 3)
        f.write(b"\xde\xad\xbe\xef" * 2048)
    with pytest.raises(StorageError, match="beskadiget"):
        open_database(sqlite_url)


def test_nul_text_rejected_alike_on_both_backends(services):
    admin = make_user(services, "admin")
    with pytest.raises(ValidationError) as info:
        services.users.create_user(admin, username="ny", full_name="Anne\x00Hansen", role="psychologist",
                                   password="hemmelig123")
    assert info.value.field == "full_name"
    assert "kontroltegn" in info.value.message
    assert [u.username for u in services.users.list_users(admin)] == [admin.username]


def test_work_asked_after_the_database_is_closed_is_refused_and_opens_no_connection(db_url, clock):
    """A write still queued when the program closes the file (for a restore, at exit) must not open it
    anew: it is refused in the one storage message style, and no connection is made."""
    services = Services(open_database(db_url), clock=clock)
    lead = make_user(services, "team_lead")
    services.close()
    connects: list[int] = []
    event.listen(services.db.engine, "connect", lambda *_a: connects.append(1))
    with pytest.raises(StorageUnavailable, match="Databasen er lukket, så handlingen blev ikke udført"):
        services.cases.log_search(lead, "hansen")  # a write
    with pytest.raises(StorageUnavailable, match="Databasen er lukket"):
        services.cases.search_ids(lead, "hansen")  # a read
    assert connects == [] and services.db.closed
