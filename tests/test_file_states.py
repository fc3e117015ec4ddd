"""Know the file before touching it: every state of a database file at GUI start and in the
headless commands, each with its own Danish message, a non-zero exit, and no write to the file."""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from app import bootstrap
from db import filecheck
from main import main
from tests.ui_helpers import start_app


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


def _ours(sqlite_url) -> Path:
    """A TTA database as this version leaves it (marked with our application_id)."""
    bootstrap.prepare_database(sqlite_url).close()
    return Path(sqlite_url.removeprefix("sqlite:///"))


def make_empty(path: Path) -> None:
    path.unlink()
    path.write_bytes(b"")


def make_foreign(path: Path) -> None:
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO recipes (name) VALUES ('æblekage')")
    conn.commit()
    conn.close()


def make_foreign_app(path: Path) -> None:
    make_foreign(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1234")
    conn.close()


def make_newer(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9901_from_the_future'")
    conn.commit()
    conn.close()


def make_damaged_header(path: Path) -> None:
    with open(path, "r+b") as f:
        f.write(b"\x00" * 100)


def make_damaged_page(path: Path) -> None:
    with open(path, "r+b") as f:
        f.seek(4096 * 3)
        f.write(b"\xde\xad\xbe\xef" * 2048)


def make_truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


STATES = {   # state -> (how to make it, the state reported, words of its message)
    "empty": (make_empty, "empty", "tom"),
    "foreign": (make_foreign, "foreign", "andet program"),
    "foreign application": (make_foreign_app, "foreign", "andet program"),
    "newer": (make_newer, "newer", "nyere udgave"),
    "damaged header": (make_damaged_header, "damaged", "beskadiget"),
    "damaged page": (make_damaged_page, "damaged", "beskadiget"),
    "truncated": (make_truncated, "damaged", "beskadiget"),
}


@pytest.fixture
def lock_holder():
    """Another program holding the file (an exclusive lock that keeps readers out)."""
    held = []

    def hold(path: Path):
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("UPDATE setting SET value_json = value_json")
        held.append(conn)
        return conn
    yield hold
    for conn in held:
        conn.close()


@pytest.mark.parametrize("name", list(STATES))
def test_migrate_refuses_each_bad_file_with_its_message_and_writes_nothing(name, sqlite_url, capsys):
    path = _ours(sqlite_url)
    make, state, words = STATES[name]
    make(path)
    before = _digest(path)
    status = main(["migrate", "--db", sqlite_url])
    err = capsys.readouterr().err
    assert status == 2
    assert words in err and "Traceback" not in err
    assert _digest(path) == before
    if name != "damaged page":   # deep damage is found by the health check, not by reading the header
        assert filecheck.classify_file(path).state == state
    assert filecheck.classify_file(path, deep=True).state == state


def test_demo_refuses_a_foreign_file(sqlite_url, capsys):
    path = _ours(sqlite_url)
    make_foreign(path)
    before = _digest(path)
    assert main(["demo", "--if-empty", "--db", sqlite_url]) == 2
    assert "andet program" in capsys.readouterr().err
    assert _digest(path) == before


def test_person_commands_refuse_a_damaged_file(sqlite_url, capsys, monkeypatch):
    path = _ours(sqlite_url)
    make_truncated(path)
    monkeypatch.setenv("TTA_PASSWORD", "hemmelig123")
    assert main(["audit", "verify", "--db", sqlite_url, "--user", "admin"]) == 1
    err = capsys.readouterr().err
    assert "beskadiget" in err and "Traceback" not in err
    # The advice once, in words; the driver's cause on a line of its own for the it-ansvarlige.
    assert err.count("beskadiget") == 1 and "\nTeknisk årsag: " in err


def test_a_locked_file_is_told_apart_from_a_damaged_one(sqlite_url, capsys, lock_holder):
    path = _ours(sqlite_url)
    lock_holder(path)
    assert filecheck.classify_file(path).state == "locked"
    assert main(["migrate", "--db", sqlite_url]) == 2
    err = capsys.readouterr().err
    assert "bruges af en anden" in err and "beskadiget" not in err


def test_new_and_ours(tmp_path, sqlite_url):
    assert filecheck.classify_file(tmp_path / "none.db").state == "new"
    assert not (tmp_path / "none.db").exists()
    path = _ours(sqlite_url)
    assert filecheck.classify_file(path, deep=True).state == "ours"
    assert int.from_bytes(path.read_bytes()[68:72], "big") == filecheck.APPLICATION_ID


def test_migrate_marks_an_older_file_and_goes_on(sqlite_url, capsys):
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    assert int.from_bytes(path.read_bytes()[68:72], "big") == 0   # from before the mark
    assert main(["migrate", "--db", sqlite_url]) == 0
    assert "already current" in capsys.readouterr().out
    assert int.from_bytes(path.read_bytes()[68:72], "big") == filecheck.APPLICATION_ID


def test_busy_timeout_is_set_before_the_journal_mode(sqlite_url):
    from db.session import open_database
    db = open_database(sqlite_url)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
    db.dispose()
    source = Path("db/session.py").read_text()
    assert source.index("PRAGMA busy_timeout") < source.index("PRAGMA journal_mode")


# -- at GUI start -------------------------------------------------------------------------------
def _start(qtbot, url, answer, settle, choice="ok"):
    answer(choice)
    flow, ended = start_app(qtbot, url)
    settle()
    return flow, ended


@pytest.mark.parametrize("name", list(STATES))
def test_gui_start_refuses_each_bad_file_with_its_message(name, qtbot, sqlite_url, answer, settle):
    path = _ours(sqlite_url)
    make, _state, words = STATES[name]
    make(path)
    before = _digest(path)
    flow, ended = _start(qtbot, sqlite_url, answer, settle)
    qtbot.waitUntil(lambda: ended == [1], timeout=10000)
    assert len(answer.asked) == 1 and words in answer.asked[0][1]
    assert "uventet" not in answer.asked[0][1]
    assert flow.window is None
    assert not hasattr(flow, "first_admin")   # an empty file never becomes a new database
    if flow.services is not None:
        flow.services.close()
    assert _digest(path) == before


def _start_on_locked_file(qtbot, sqlite_url):
    """Start the app on a file another program holds locked, up to the waiting dialog it then shows:
    (the app flow, the exit codes it finished with, the dialog)."""
    flow, ended = start_app(qtbot, sqlite_url)
    qtbot.waitUntil(lambda: getattr(flow, "waiting", None) is not None, timeout=10000)
    dialog = flow.waiting.progress
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    return flow, ended, dialog


def test_gui_start_waits_for_a_locked_file_and_goes_on_when_it_is_free(qtbot, sqlite_url, answer, settle,
                                                                         lock_holder):
    path = _ours(sqlite_url)
    holder = lock_holder(path)
    flow, ended, dialog = _start_on_locked_file(qtbot, sqlite_url)
    assert "bruges af en anden" in dialog.labelText()
    holder.execute("ROLLBACK")
    holder.execute("PRAGMA locking_mode = NORMAL")
    holder.execute("SELECT 1")
    holder.close()
    qtbot.waitUntil(lambda: flow.login is not None and flow.login.login_button.isEnabled(), timeout=10000)
    qtbot.addWidget(flow.login)
    assert ended == []
    flow.login.reject()
    settle()
    flow.services.close()


def test_gui_start_waiting_for_a_locked_file_can_be_cancelled(qtbot, sqlite_url, settle, lock_holder):
    path = _ours(sqlite_url)
    lock_holder(path)
    flow, ended, dialog = _start_on_locked_file(qtbot, sqlite_url)
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton
    button = dialog.findChild(QPushButton)
    assert button.text() == "Annuller"
    qtbot.mouseClick(button, Qt.LeftButton)
    qtbot.waitUntil(lambda: ended == [1], timeout=5000)
    settle()


def test_a_second_instance_on_the_same_file_is_told_who_has_it(qtbot, sqlite_url, answer, settle):
    path = _ours(sqlite_url)
    first = bootstrap.lock_instance(sqlite_url)
    try:
        flow, ended = _start(qtbot, sqlite_url, answer, settle)
        qtbot.waitUntil(lambda: ended == [1], timeout=10000)
        assert "allerede åben" in answer.asked[0][1] and " på " in answer.asked[0][1]
    finally:
        first.release()
    assert path.exists()


def test_an_unclean_shutdown_makes_the_next_start_run_integrity_check(qtbot, sqlite_url, settle, monkeypatch):
    import os

    from ui.app import AppFlow
    _ours(sqlite_url)
    seen = []
    real = bootstrap.health_check
    monkeypatch.setattr(bootstrap, "health_check", lambda s, full=False: (seen.append(full), real(s, full=full))[1])

    def start_and_close():
        flow = AppFlow(sqlite_url)
        flow.start()
        qtbot.addWidget(flow.login)
        settle()
        flow.login.reject()
        flow.services.close()
    start_and_close()                       # the first start, after a clean end
    lock = bootstrap.lock_instance(sqlite_url)
    os.close(lock._fd)                      # the process died: the OS dropped the lock, the file names its holder
    start_and_close()
    start_and_close()
    assert seen == [False, True, False]
