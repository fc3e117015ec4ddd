"""The data folder, the database file, its journal and WAL, the key file and the log are the user's
alone: 0700 and 0600 on POSIX, set when they are created, whatever the umask."""
from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from db.private_files import file_mode, private_dir, private_file, write_private_file
from db.session import open_database

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX; Windows uses the per-user folder")


@pytest.fixture(params=[0o022, 0o000], ids=["umask022", "umask000"])
def umask(request):
    """Run the test under a permissive umask: the modes must not depend on it."""
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


@pytest.fixture
def data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg"


def test_data_folder_and_log_are_private(umask, data_home):
    from app.config import data_dir, default_db_url, log_path
    folder = data_dir()
    assert folder.is_relative_to(data_home)
    assert file_mode(folder) == 0o700
    log = log_path()
    assert log.parent == folder and log.exists()
    assert file_mode(log) == 0o600
    assert default_db_url().endswith(str(folder / "tta-team.db"))


def test_log_handler_keeps_the_private_mode(umask, data_home):
    import logging

    from app.config import log_path
    handler = logging.FileHandler(log_path(), encoding="utf-8")
    try:
        handler.emit(logging.LogRecord("t", logging.INFO, __file__, 1, "line", None, None))
    finally:
        handler.close()
    assert file_mode(log_path()) == 0o600
    assert "line" in log_path().read_text(encoding="utf-8")


def test_existing_open_folder_and_files_are_tightened(data_home):
    from app.config import data_dir, log_path
    folder = data_home / "TTA-team"
    folder.mkdir(parents=True)
    os.chmod(folder, 0o755)
    log = folder / "tta-team.log"
    log.write_text("old\n")
    os.chmod(log, 0o644)
    assert data_dir() == folder and file_mode(folder) == 0o700
    assert log_path() == log and file_mode(log) == 0o600
    assert log.read_text() == "old\n"


def test_database_file_and_journal_are_private(umask, tmp_path):
    path = tmp_path / "new.db"
    db = open_database(f"sqlite:///{path}")
    try:
        assert file_mode(path) == 0o600
        with db.write() as s:
            s.execute(text("CREATE TABLE t (x INTEGER)"))
            s.execute(text("INSERT INTO t VALUES (1)"))
            journal = tmp_path / "new.db-journal"
            assert journal.exists()   # the rollback journal lives while the transaction is open
            assert file_mode(journal) == 0o600
    finally:
        db.dispose()


def test_wal_files_are_private(umask, tmp_path, monkeypatch):
    import db.session
    monkeypatch.setattr(db.session, "sqlite_has_wal_reset_fix", lambda version=None: True)
    path = tmp_path / "wal.db"
    database = open_database(f"sqlite:///{path}")
    try:
        with database.write() as s:
            s.execute(text("CREATE TABLE t (x INTEGER)"))
        with database.read() as s:
            assert s.connection().exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        for suffix in ("-wal", "-shm"):
            assert file_mode(tmp_path / f"wal.db{suffix}") == 0o600
    finally:
        database.dispose()
    assert file_mode(path) == 0o600


def test_existing_database_file_is_tightened(sqlite_url):
    path = sqlite_url.removeprefix("sqlite:///")
    os.chmod(path, 0o644)
    open_database(sqlite_url).dispose()
    assert file_mode(path) == 0o600


def test_helpers_create_private_and_replace_atomically(umask, tmp_path):
    folder = private_dir(tmp_path / "a" / "b")
    assert file_mode(folder) == 0o700
    f = private_file(folder / "x")
    assert file_mode(f) == 0o600 and f.read_bytes() == b""
    target = write_private_file(folder / "y.json", b"{}")
    assert file_mode(target) == 0o600 and target.read_bytes() == b"{}"
    write_private_file(target, b"[1]")
    assert target.read_bytes() == b"[1]" and file_mode(target) == 0o600
    assert sorted(p.name for p in folder.iterdir()) == ["x", "y.json"]   # no temporary left behind
