"""Encryption at rest of the SQLite file: SQLCipher with a data key unwrapped at login.

The file shows no personal data as bytes, opens only with a right password (through
``app.bootstrap``), keeps every row when a plain file is converted, and follows the users: a new
user, a password change, a reset, a deactivation and the recovery key all reach the key file.
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from app import bootstrap, keys
from app.bootstrap import EncryptedDatabase, open_encrypted, open_with_login, storage_state
from app.demo import DEMO_PASSWORD
from app.errors import AppError, AuthenticationError, PermissionDenied, StorageUnavailable, ValidationError
from app.keys import KdfParams, key_file_path
from app.services.users import BAD_LOGIN
from db.private_files import file_mode
from db.session import sqlite_has_wal_reset_fix

CHEAP = KdfParams(time_cost=1, memory_cost=8192, parallelism=1)


@pytest.fixture(autouse=True)
def cheap_kdf(monkeypatch):
    """argon2id at the real cost takes half a second per derivation; the logic is the same at a low cost."""
    monkeypatch.setattr(keys, "KDF_PARAMS", CHEAP)


@pytest.fixture(scope="module")
def encrypted_demo(tmp_path_factory):
    """``python main.py demo --encrypt`` once for the module; tests work on copies."""
    import main
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(keys, "KDF_PARAMS", CHEAP)
        assert main.main(["demo", "--encrypt", "--cases", "20", "--seed", "7", "--db", f"sqlite:///{path}"]) == 0
    return path


@pytest.fixture
def demo_url(encrypted_demo, tmp_path) -> str:
    path = tmp_path / "tta-team.db"
    shutil.copyfile(encrypted_demo, path)
    shutil.copyfile(key_file_path(encrypted_demo), key_file_path(path))
    return f"sqlite:///{path}"


def _path(url: str):
    from db.session import sqlite_file_path
    return sqlite_file_path(url)


def _rows(services, sql: str) -> list[tuple]:
    with services.db.read() as s:
        return [tuple(r) for r in s.execute(text(sql))]


# -- the encrypted demo database ---------------------------------------------------------------------
def test_encrypted_demo_shows_no_personal_data_as_bytes(demo_url, tmp_path):
    copy = tmp_path / "copy.db"
    shutil.copyfile(_path(demo_url), copy)
    raw = copy.read_bytes()
    opened = open_encrypted(demo_url, "koordinator", DEMO_PASSWORD)
    try:
        citizens = _rows(opened.services, "SELECT cpr, first_name, last_name FROM citizen")
        notes = [r[0] for r in _rows(opened.services, "SELECT text FROM journal_note")]
        users = [r[0] for r in _rows(opened.services, "SELECT full_name FROM user_account")]
    finally:
        opened.services.close()
    assert len(citizens) >= 20 and notes and users
    assert not raw.startswith(b"SQLite format 3")
    for cpr, first, last in citizens:
        for needle in (cpr, f"{cpr[:6]}-{cpr[6:]}", f"{first} {last}", last):
            assert needle.encode("utf-8") not in raw, needle
    for note in notes:
        assert note[:40].encode("utf-8") not in raw
    for name in users:
        assert name.encode("utf-8") not in raw
    for table in (b"CREATE TABLE", b"citizen", b"journal_note"):
        assert table not in raw
    # The key file names the users (it must, to find their wrapping) and nothing else of the data.
    key_text = key_file_path(_path(demo_url)).read_text(encoding="utf-8")
    assert not any(name in key_text for name in users)
    assert not any(cpr in key_text for cpr, _, _ in citizens)


def test_every_demo_user_opens_it_with_the_demo_password(demo_url):
    from app.demo import DEMO_USERS
    assert storage_state(demo_url) == "encrypted"
    for username, _, role, _ in DEMO_USERS[:3] + DEMO_USERS[-2:]:
        opened = open_encrypted(demo_url, username, DEMO_PASSWORD)
        try:
            assert (opened.actor.username, opened.actor.role) == (username, role)
            assert opened.services.db.encrypted
            assert opened.services.cases.total() >= 20
        finally:
            opened.services.close()


@pytest.mark.parametrize("username,password", [("koordinator", "forkert-kode"), ("findes-ikke", DEMO_PASSWORD),
                                               ("", ""), ("KOORDINATOR ", "demo12345")])
def test_wrong_password_opens_nothing(demo_url, monkeypatch, username, password):
    opened_files = []
    monkeypatch.setattr(bootstrap, "prepare_database", lambda *a, **k: opened_files.append(a))
    with pytest.raises(AuthenticationError) as info:
        open_encrypted(demo_url, username, password)
    assert info.value.message == BAD_LOGIN   # the same words for an unknown user and a wrong password
    assert opened_files == []                # the database was never opened


def test_without_a_password_the_file_is_not_a_database(demo_url):
    with pytest.raises(EncryptedDatabase):
        bootstrap.prepare_database(demo_url)
    conn = sqlite3.connect(_path(demo_url))
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    conn.close()


def test_encrypted_connections_keep_the_storage_rules(demo_url):
    import sqlcipher3
    from sqlalchemy import event
    opened = open_encrypted(demo_url, "admin", DEMO_PASSWORD, check=True)
    db = opened.services.db
    try:
        seen: list[str] = []
        event.listen(db.engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
        with db.read() as s:
            conn = s.connection()
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2   # FULL
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
            mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
            assert conn.exec_driver_sql("PRAGMA cipher_version").scalar().startswith("4.")
        # The journal rule judges the SQLite inside SQLCipher, not Python's own.
        assert mode == ("wal" if sqlite_has_wal_reset_fix(sqlcipher3.sqlite_version_info) else "delete")
        with db.write() as s:
            s.execute(text("UPDATE setting SET value_json = value_json WHERE key = 'idle_lock_minutes'"))
        assert "BEGIN IMMEDIATE" in seen
        with pytest.raises(Exception, match="FOREIGN KEY"):
            with db.write() as s:
                s.execute(text("INSERT INTO case_icd10 (case_id, code) VALUES (999999, 'F43.2')"))
        bootstrap.health_check(opened.services)   # quick_check through the key
    finally:
        opened.services.close()


def test_damaged_encrypted_file_is_refused(demo_url):
    with open(_path(demo_url), "r+b") as f:
        f.seek(4096 * 3)
        f.write(b"\xde\xad\xbe\xef" * 256)
    with pytest.raises(StorageUnavailable, match="beskadiget"):
        open_encrypted(demo_url, "admin", DEMO_PASSWORD, check=True)


def test_database_and_key_file_modes(demo_url):
    path = _path(demo_url)
    opened = open_encrypted(demo_url, "admin", DEMO_PASSWORD)
    try:
        opened.services.users.reset_password(opened.actor, _user_id(opened.services, "laege"), "ny-kode-123")
    finally:
        opened.services.close()
    assert file_mode(path) == 0o600
    assert file_mode(key_file_path(path)) == 0o600   # still, after being rewritten


# -- users and their wrappings -----------------------------------------------------------------------
def _user_id(services, username: str) -> int:
    return _rows(services, f"SELECT id FROM user_account WHERE username = '{username}'")[0][0]


def test_user_created_by_the_admin_opens_with_own_password(demo_url):
    opened = open_encrypted(demo_url, "admin", DEMO_PASSWORD)
    try:
        opened.services.users.create_user(opened.actor, username="Ny.Psykolog", full_name="Nina Ny",
                                          role="psychologist", password="ninas-kode-1")
    finally:
        opened.services.close()
    mine = open_encrypted(demo_url, "ny.psykolog", "ninas-kode-1")
    try:
        assert mine.actor.full_name == "Nina Ny"
    finally:
        mine.services.close()
    with pytest.raises(AuthenticationError):
        open_encrypted(demo_url, "ny.psykolog", DEMO_PASSWORD)


def test_own_password_change_rewraps(demo_url):
    opened = open_encrypted(demo_url, "psykolog", DEMO_PASSWORD)
    try:
        with pytest.raises(ValidationError):   # wrong old password: nothing changes anywhere
            opened.services.users.change_own_password(opened.actor, "ikke-den-gamle", "signes-nye-kode")
        opened.services.users.change_own_password(opened.actor, DEMO_PASSWORD, "signes-nye-kode")
    finally:
        opened.services.close()
    with pytest.raises(AuthenticationError):
        open_encrypted(demo_url, "psykolog", DEMO_PASSWORD)
    again = open_encrypted(demo_url, "psykolog", "signes-nye-kode")
    again.services.close()
    assert '"pending"' not in key_file_path(_path(demo_url)).read_text()


def test_reset_rewraps_and_deactivation_removes(demo_url):
    opened = open_encrypted(demo_url, "admin", DEMO_PASSWORD)
    users = opened.services.users
    try:
        users.reset_password(opened.actor, _user_id(opened.services, "laege"), "midlertidig-1")
        row = next(u for u in users.list_users(opened.actor) if u.username == "fysioterapeut")
        users.update_user(opened.actor, row.id, expected_version=row.version, full_name=row.full_name,
                          role=row.role, email=row.email, active=False)
        assert "fysioterapeut" not in opened.services.keyring.usernames()
    finally:
        opened.services.close()
    laege = open_encrypted(demo_url, "laege", "midlertidig-1")
    laege.services.close()
    for username, password in (("laege", DEMO_PASSWORD), ("fysioterapeut", DEMO_PASSWORD)):
        with pytest.raises(AuthenticationError):
            open_encrypted(demo_url, username, password)


def test_only_an_admin_manages_wrappings(demo_url):
    opened = open_encrypted(demo_url, "teamleder", DEMO_PASSWORD)
    try:
        with pytest.raises(PermissionDenied):
            opened.services.users.reset_password(opened.actor, _user_id(opened.services, "laege"), "overtag-kode1")
        with pytest.raises(PermissionDenied):
            opened.services.users.new_recovery_key(opened.actor)
    finally:
        opened.services.close()
    laege = open_encrypted(demo_url, "laege", DEMO_PASSWORD)   # untouched
    laege.services.close()
    assert '"pending"' not in key_file_path(_path(demo_url)).read_text()


def test_failed_unlocks_lock_and_reach_the_audit_log(demo_url, clock):
    with pytest.raises(AuthenticationError):
        open_encrypted(demo_url, "741284-1234 findes ikke", "gæt", clock=clock)
    for _ in range(keys.MAX_FAILED_UNLOCKS):
        with pytest.raises(AuthenticationError):
            open_encrypted(demo_url, "koordinator2", "gæt-en-kode", clock=clock)
    with pytest.raises(AuthenticationError) as info:   # locked: the right password, the same message
        open_encrypted(demo_url, "koordinator2", DEMO_PASSWORD, clock=clock)
    assert info.value.message == BAD_LOGIN
    clock.advance(minutes=16)
    opened = open_encrypted(demo_url, "koordinator2", DEMO_PASSWORD, clock=clock)
    try:
        logged = _rows(opened.services, "SELECT action, username, detail FROM audit_log "
                                        "WHERE action IN ('login_failed', 'lockout') ORDER BY id")
    finally:
        opened.services.close()
    assert [a for a, _, _ in logged] == ["login_failed"] * 6 + ["lockout", "login_failed"]
    assert [u for _, u, _ in logged] == ["?"] + ["koordinator2"] * 7   # a name typed in error is not kept
    assert all("nøglefil" in d and "741284" not in d for _, _, d in logged)


# -- recovery ----------------------------------------------------------------------------------------
@pytest.fixture
def fresh_url(tmp_path, clock):
    """A new encrypted database with its first administrator, as at first start."""
    url = f"sqlite:///{tmp_path / 'new' / 'tta-team.db'}"
    (tmp_path / "new").mkdir()
    assert storage_state(url) == "new"
    first = bootstrap.create_encrypted_database(url, username="Chef", full_name="Karin Chef",
                                                password="karins-kode-1", clock=clock)
    first.services.users.create_user(first.actor, username="kim", full_name="Kim Kollega", role="coordinator",
                                     password="kims-kode-12")
    first.services.close()
    return url, first.recovery_key


def test_first_start_creates_an_encrypted_database(fresh_url):
    url, recovery_key = fresh_url
    assert storage_state(url) == "encrypted"
    assert not _path(url).read_bytes().startswith(b"SQLite format 3")
    assert file_mode(_path(url)) == 0o600 and file_mode(key_file_path(_path(url))) == 0o600
    assert len(recovery_key) == 39
    opened = open_encrypted(url, "chef", "karins-kode-1")
    try:
        assert opened.actor.role == "admin"
        assert opened.services.users.users_without_key(opened.actor) == []
    finally:
        opened.services.close()


def test_first_start_refuses_a_database_with_users(sqlite_url, fresh_url):
    url, _ = fresh_url
    with pytest.raises(AppError, match="krypteret"):
        bootstrap.create_encrypted_database(url, username="x", full_name="X", password="xxxxxxxx1")
    services = bootstrap.prepare_database(sqlite_url)
    services.auth.create_first_admin("admin", "Ada", "adas-kode-1")
    services.close()
    with pytest.raises(AppError, match="allerede brugere"):
        bootstrap.create_encrypted_database(sqlite_url, username="x", full_name="X", password="xxxxxxxx1")
    assert storage_state(sqlite_url) == "plain"


def test_recovery_key_sets_a_new_admin_password(fresh_url, clock):
    url, recovery_key = fresh_url
    for _ in range(keys.MAX_FAILED_UNLOCKS):   # the admin has forgotten it and locked themselves out
        with pytest.raises(AuthenticationError):
            open_encrypted(url, "chef", "glemt-kode-1", clock=clock)
    with pytest.raises(AuthenticationError, match="Gendannelsesnøglen er forkert"):
        bootstrap.recover_admin_password(url, keys.new_recovery_key(), "ny-kode-efter-tab")
    typed = recovery_key.lower().replace("-", " ")
    assert bootstrap.recover_admin_password(url, typed, "ny-kode-efter-tab", clock=clock) == "chef"
    opened = open_encrypted(url, "chef", "ny-kode-efter-tab", clock=clock)
    try:
        assert opened.actor.role == "admin"
        detail = _rows(opened.services, "SELECT detail FROM audit_log WHERE fields = 'password' "
                                        "ORDER BY id DESC LIMIT 1")[0][0]
        assert "gendannelsesnøglen" in detail
        new_key = opened.services.users.new_recovery_key(opened.actor)
    finally:
        opened.services.close()
    with pytest.raises(AuthenticationError):   # the old sheet stops working once a new one is made
        bootstrap.recover_admin_password(url, recovery_key, "endnu-en-kode")
    assert bootstrap.recover_admin_password(url, new_key, "endnu-en-kode", username="CHEF") == "chef"
    kim = open_encrypted(url, "kim", "kims-kode-12")   # others keep their passwords
    kim.services.close()


def test_recovery_only_for_an_active_admin(fresh_url):
    url, recovery_key = fresh_url
    with pytest.raises(ValidationError, match="ikke en aktiv administrator"):
        bootstrap.recover_admin_password(url, recovery_key, "ny-kode-efter-tab", username="kim")


def test_recover_command_asks_for_key_and_password(fresh_url, monkeypatch, capsys):
    import getpass

    import main
    url, recovery_key = fresh_url
    answers = iter([recovery_key, "kommandoens-kode", "kommandoens-kode"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))
    assert main.main(["recover", "--db", url]) == 0
    assert "chef" in capsys.readouterr().out
    opened = open_encrypted(url, "chef", "kommandoens-kode")
    opened.services.close()


# -- converting a plain file -------------------------------------------------------------------------
def _table_rows(conn_execute, tables) -> dict[str, list[tuple]]:
    return {t: sorted(tuple(r) for r in conn_execute(f'SELECT * FROM "{t}"')) for t in tables}


@pytest.fixture
def plain_demo_url(sqlite_url):
    from app.demo import run_demo
    run_demo(sqlite_url, cases=15, seed=11)
    return sqlite_url


def test_conversion_keeps_every_row(plain_demo_url, clock):
    path = _path(plain_demo_url)
    plain = sqlite3.connect(path)
    tables = [r[0] for r in plain.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    before = _table_rows(lambda sql: plain.execute(sql).fetchall(), tables)
    plain.close()
    assert sum(len(v) for v in before.values()) > 500

    result = bootstrap.encrypt_database(plain_demo_url, "admin", DEMO_PASSWORD, clock=clock)

    assert storage_state(plain_demo_url) == "encrypted"
    assert result.backup_path is None
    # Beside the database: its key file, and the encrypted backup taken right after (with its manifest).
    assert sorted(p.name for p in path.parent.iterdir()) == sorted(
        [path.name, key_file_path(path).name, f"{path.name}.backups.json", "sikkerhedskopier"])
    assert result.fresh_backup is not None and result.fresh_backup.parent == path.parent / "sikkerhedskopier"
    assert "koordinator" in result.users_without_key and "admin" not in result.users_without_key
    opened = open_encrypted(plain_demo_url, "admin", DEMO_PASSWORD, clock=clock, check=True)
    try:
        with opened.services.db.read() as s:
            after = _table_rows(lambda sql: s.connection().exec_driver_sql(sql).all(), tables)
    finally:
        opened.services.close()
    for table in tables:
        if table == "audit_log":   # the login and the conversion were logged; nothing else changed
            assert set(before[table]) <= set(after[table])
            # login on the plain file, encryption, the backup after it, logout, login
            assert len(after[table]) == len(before[table]) + 5
        elif table == "audit_chain":   # its signed head moves with every entry; verified below
            assert len(after[table]) == len(before[table])
        elif table == "user_session":   # each login opens a session: on the plain file, then after
            assert set(before[table]) <= set(after[table]) and len(after[table]) == len(before[table]) + 2
        elif table == "user_account":   # the admin's logins update its last login and version
            assert [r for r in after[table] if r[1] != "admin"] == [r for r in before[table] if r[1] != "admin"]
            assert len(after[table]) == len(before[table])
        else:
            assert after[table] == before[table], table
    assert result.row_counts["citizen"] == len(before["citizen"])
    opened = open_encrypted(plain_demo_url, "admin", DEMO_PASSWORD, clock=clock)
    try:
        assert opened.services.audit_log.check_chain().ok
    finally:
        opened.services.close()


def test_conversion_can_keep_the_plain_backup(plain_demo_url):
    result = bootstrap.encrypt_database(plain_demo_url, "admin", DEMO_PASSWORD, keep_backup=True)
    assert result.backup_path is not None and result.backup_path.exists()
    assert file_mode(result.backup_path) == 0o600
    conn = sqlite3.connect(result.backup_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM citizen").fetchone()[0] == result.row_counts["citizen"]
    finally:
        conn.close()


def test_users_without_a_wrapping_open_after_an_admin_reset(plain_demo_url):
    bootstrap.encrypt_database(plain_demo_url, "admin", DEMO_PASSWORD)
    with pytest.raises(AuthenticationError):
        open_encrypted(plain_demo_url, "koordinator", DEMO_PASSWORD)
    admin = open_encrypted(plain_demo_url, "admin", DEMO_PASSWORD)
    try:
        missing = admin.services.users.users_without_key(admin.actor)
        assert "koordinator" in missing and "admin" not in missing
        admin.services.users.reset_password(admin.actor, _user_id(admin.services, "koordinator"), "midlertidig-2")
        assert "koordinator" not in admin.services.users.users_without_key(admin.actor)
    finally:
        admin.services.close()
    coordinator = open_encrypted(plain_demo_url, "koordinator", "midlertidig-2")
    try:
        # The reset asks for a new password at the next login; choosing it re-wraps again.
        coordinator.services.users.change_own_password(coordinator.actor, "midlertidig-2", "mettes-egen-kode")
    finally:
        coordinator.services.close()
    open_encrypted(plain_demo_url, "koordinator", "mettes-egen-kode").services.close()


def test_conversion_needs_an_admin_and_the_right_password(plain_demo_url):
    with pytest.raises(AuthenticationError):
        bootstrap.encrypt_database(plain_demo_url, "admin", "forkert-kode")
    with pytest.raises(PermissionDenied):
        bootstrap.encrypt_database(plain_demo_url, "koordinator", DEMO_PASSWORD)
    assert storage_state(plain_demo_url) == "plain"
    assert not key_file_path(_path(plain_demo_url)).exists()


def test_failed_conversion_leaves_the_original_untouched(plain_demo_url, monkeypatch):
    path = _path(plain_demo_url)
    before = path.read_bytes()

    def fail(*_a, **_k):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(keys, "create_key_file", fail)
    with pytest.raises(StorageUnavailable, match="uændret"):
        bootstrap.encrypt_database(plain_demo_url, "admin", DEMO_PASSWORD)
    after = path.read_bytes()
    assert storage_state(plain_demo_url) == "plain"
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]   # no copy, no half-made file
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()
    assert len(after) == len(before)


def test_encrypt_command(plain_demo_url, monkeypatch, capsys, tmp_path):
    import pdfplumber

    import main
    monkeypatch.setenv("TTA_PASSWORD", DEMO_PASSWORD)
    sheet = tmp_path / "sheet.pdf"
    assert main.main(["encrypt", "--user", "admin", "--db", plain_demo_url, "--recovery-pdf", str(sheet)]) == 0
    out = capsys.readouterr().out
    recovery_key = next(line.strip() for line in out.splitlines() if line.strip().count("-") == 7)
    with pdfplumber.open(sheet) as pdf:
        assert len(pdf.pages) == 1
        assert recovery_key in pdf.pages[0].extract_text()
    assert main.main(["encrypt", "--user", "admin", "--db", plain_demo_url]) == 1   # already encrypted
    assert bootstrap.recover_admin_password(plain_demo_url, recovery_key, "admins-nye-kode") == "admin"


# -- plain files and servers open as before ------------------------------------------------------------
def test_plain_and_server_databases_open_as_before(db_url):
    from tests.factories import make_user
    services = bootstrap.prepare_database(db_url)
    try:
        make_user(services, "coordinator", "karl", "karls-kode-1")
    finally:
        services.close()
    assert storage_state(db_url) in ("plain", "server")
    opened = open_with_login(db_url, "karl", "karls-kode-1")
    try:
        assert opened.actor.username == "karl" and not opened.services.db.encrypted
        assert opened.services.keyring is None
    finally:
        opened.services.close()
    with pytest.raises(AuthenticationError):
        open_with_login(db_url, "karl", "forkert-kode")


def test_open_with_login_opens_an_encrypted_file_too(demo_url):
    opened = open_with_login(demo_url, "teamleder", DEMO_PASSWORD)
    try:
        assert opened.services.db.encrypted and opened.actor.role == "team_lead"
    finally:
        opened.services.close()


def test_recovery_key_sheet_is_one_page_with_the_key(tmp_path):
    import pdfplumber

    from app.printing.recovery_key import render_recovery_key
    key = keys.new_recovery_key()
    path = render_recovery_key(tmp_path / "r.pdf", recovery_key=key, letterhead={"organisation": "Aarhus Kommune"},
                               database="/data/tta-team.db", created_by="Karin Chef",
                               created_at=dt.datetime(2026, 11, 22, 9, 0))
    assert file_mode(path) == 0o600
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0].extract_text()
        assert key in page and "Gendannelsesnøgle" in page and "python main.py recover" in page
        assert "Aarhus Kommune" in page and "/data/tta-team.db" in page
        assert all(key not in str(v) for v in pdf.metadata.values())


def test_without_sqlcipher_nothing_is_encrypted_and_the_message_says_why(plain_demo_url, demo_url, monkeypatch,
                                                                         tmp_path):
    import sys
    monkeypatch.setitem(sys.modules, "sqlcipher3", None)   # as on a platform without the binary wheel
    assert not bootstrap.encryption_available()
    assert not bootstrap.needs_encryption(plain_demo_url)
    with pytest.raises(AppError, match="SQLCipher"):
        bootstrap.encrypt_database(plain_demo_url, "admin", DEMO_PASSWORD)
    with pytest.raises(AppError, match="SQLCipher"):
        bootstrap.create_encrypted_database(f"sqlite:///{tmp_path / 'ny.db'}", username="a", full_name="A",
                                            password="aaaaaaaa1")
    assert not (tmp_path / "ny.db").exists()
    with pytest.raises(StorageUnavailable, match="SQLCipher"):
        open_encrypted(demo_url, "admin", DEMO_PASSWORD)
    assert storage_state(plain_demo_url) == "plain"


def test_the_main_window_says_the_file_is_encrypted(demo_url, qtbot, settle):
    from PySide6.QtWidgets import QLabel

    from ui.main_window import MainWindow
    opened = open_with_login(demo_url, "koordinator", DEMO_PASSWORD)
    try:
        w = MainWindow(opened.services, opened.actor, idle_minutes=60)
        qtbot.addWidget(w)
        w.show()
        settle()
        status = " ".join(label.text() for label in w.statusBar().findChildren(QLabel))
        assert "Database: krypteret fil" in status
        w.close()
        settle()
    finally:
        opened.services.close()


# -- the session comes before the key file -------------------------------------------------------------
@pytest.fixture
def two_admins(tmp_path):
    """An encrypted database with the administrators chef and bo and the doctor eva; chef logged in."""
    url = f"sqlite:///{tmp_path / 'tta-team.db'}"
    first = bootstrap.create_encrypted_database(url, username="chef", full_name="Karin Chef",
                                                password="karins-kode-1")
    users = first.services.users
    users.create_user(first.actor, username="bo", full_name="Bo Bentsen", role="admin", password="bos-kode-123")
    users.create_user(first.actor, username="eva", full_name="Eva Læge", role="doctor", password="evas-kode-12")
    yield url, first
    first.services.close()


def _refused_admin(services, chef, how: str):
    """Bo's Actor after ``how`` (or a made-up administrator): every service call must refuse it."""
    from app.services.base import Actor
    if how == "forged":
        return Actor(9999, "ghost", "Ghost", "admin", session_token="x" * 43)
    bo = services.auth.login("bo", "bos-kode-123")
    row = next(u for u in services.users.list_users(chef) if u.username == "bo")
    if how == "logged_out":
        services.auth.logout(bo)
    elif how in ("demoted", "deactivated"):
        services.users.update_user(chef, row.id, expected_version=row.version, full_name=row.full_name,
                                   role="psychologist" if how == "demoted" else "admin", email=row.email,
                                   active=how == "demoted")
    return bo


@pytest.mark.parametrize("how", ["forged", "logged_out", "demoted", "deactivated"])
def test_a_refused_admin_changes_nothing_in_the_key_file(two_admins, how):
    from app.errors import SessionInvalid
    url, first = two_admins
    services, chef = first.services, first.actor
    actor = _refused_admin(services, chef, how)
    key_file = key_file_path(_path(url))
    before = key_file.read_bytes()
    eva_id = _user_id(services, "eva")
    with pytest.raises(SessionInvalid):
        services.users.new_recovery_key(actor)
    with pytest.raises(SessionInvalid):
        services.users.users_without_key(actor)
    with pytest.raises(SessionInvalid):
        services.users.reset_password(actor, eva_id, "overtaget-kode-1")
    assert key_file.read_bytes() == before
    assert keys.unlock_with_recovery_key(key_file, first.recovery_key)   # the printed key still opens
    assert services.users.users_without_key(chef) == []   # a real administrator is still answered


def test_a_password_change_rewraps_only_the_sessions_own_user(two_admins):
    import dataclasses

    from app.errors import SessionInvalid
    url, first = two_admins
    eva = first.services.auth.login("eva", "evas-kode-12")
    with pytest.raises(SessionInvalid):   # the claimed name is not the session's user
        first.services.users.change_own_password(dataclasses.replace(eva, username="bo"), "evas-kode-12",
                                                 "evas-nye-kode-1")
    first.services.close()
    with pytest.raises(AuthenticationError):   # bo's wrapping was not rewrapped with eva's password
        open_encrypted(url, "bo", "evas-nye-kode-1")
    bo = open_encrypted(url, "bo", "bos-kode-123")
    bo.services.close()
    assert '"pending"' not in key_file_path(_path(url)).read_text()


def test_the_own_password_change_returns_the_actor_to_go_on_with(two_admins):
    url, first = two_admins
    eva_id = _user_id(first.services, "eva")
    first.services.users.reset_password(first.actor, eva_id, "midlertidig-3")
    first.services.close()
    eva = open_encrypted(url, "eva", "midlertidig-3")
    try:
        assert eva.actor.must_change_password
        actor = eva.services.users.change_own_password(eva.actor, "midlertidig-3", "evas-egen-kode")
        assert actor is not None and not actor.must_change_password
        assert actor.username == "eva" and actor.session_token == eva.actor.session_token
        assert eva.services.cases.total() == 0   # the returned Actor is the one to go on with
    finally:
        eva.services.close()


def test_a_must_change_password_user_reaches_the_main_window_on_an_encrypted_file(two_admins, qtbot, settle):
    from PySide6.QtCore import Qt

    from tests.ui_helpers import log_in, start_app
    url, first = two_admins
    first.services.users.reset_password(first.actor, _user_id(first.services, "eva"), "midlertidig-4")
    first.services.close()
    flow, _ended = start_app(qtbot, url)
    log_in(qtbot, flow, settle, "eva", "midlertidig-4")
    qtbot.waitUntil(lambda: getattr(flow, "password_dialog", None) is not None, timeout=10000)
    dlg = flow.password_dialog
    qtbot.keyClicks(dlg.fields["new_password"], "evas-egen-kode")
    qtbot.keyClicks(dlg.fields["repeat"], "evas-egen-kode")
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: flow.window is not None, timeout=10000)
    qtbot.addWidget(flow.window)
    assert flow.window.actor.username == "eva" and not flow.window.actor.must_change_password
    flow.window.close()
    settle()
    flow.services.close()
    flow.release_lock()
    open_encrypted(url, "eva", "evas-egen-kode").services.close()


# -- the key file's lockout across processes -------------------------------------------------------------
def test_parallel_processes_get_five_guesses_then_the_lock(tmp_path):
    import multiprocessing
    # fork, so the children count their unwraps through the patched function (the key file's lock is
    # POSIX flock: the app's cross-process lockout is a POSIX guarantee, and this test runs there).
    ctx = multiprocessing.get_context("fork")
    url = f"sqlite:///{tmp_path / 'tta-team.db'}"
    bootstrap.create_encrypted_database(url, username="lars", full_name="Lars Leder",
                                        password="lars-kode-123").services.close()
    key_file = key_file_path(_path(url))
    keys.take_events(key_file)
    unwraps = ctx.Value("i", 0)
    real_unwrap = keys.unwrap

    def counted_unwrap(*args, **kwargs):
        with unwraps.get_lock():
            unwraps.value += 1
        return real_unwrap(*args, **kwargs)
    n = 20
    barrier = ctx.Barrier(n)
    refused = ctx.Value("i", 0)

    def guess():
        keys.unwrap = counted_unwrap   # in the child only
        barrier.wait()
        try:
            open_with_login(url, "lars", "forkert-kode")
        except AuthenticationError:
            with refused.get_lock():
                refused.value += 1
    procs = [ctx.Process(target=guess) for _ in range(n)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0] * n
    assert refused.value == n
    assert unwraps.value == keys.MAX_FAILED_UNLOCKS   # five real password checks, then the lock
    doc = json.loads(key_file.read_text())
    assert doc["users"]["lars"]["locked_until"] is not None
    events = [e["action"] for e in doc["events"]]
    assert events.count("login_failed") == n and events.count("lockout") == 1   # no failure lost
    with pytest.raises(AuthenticationError):   # the right password, but locked
        open_with_login(url, "lars", "lars-kode-123")


# -- after a conversion: no session left open, no plaintext backup left ----------------------------------
def _open_sessions(url: str, services=None) -> list[tuple]:
    return _rows(services, "SELECT user_id, end_reason FROM user_session WHERE ended_at IS NULL")


def test_conversion_logs_the_administrator_out(plain_demo_url, clock):
    bootstrap.encrypt_database(plain_demo_url, "admin", DEMO_PASSWORD, clock=clock)
    opened = open_encrypted(plain_demo_url, "admin", DEMO_PASSWORD, clock=clock)
    try:
        assert len(_open_sessions(plain_demo_url, opened.services)) == 1   # only the login just made
        ended = _rows(opened.services, "SELECT end_reason FROM user_session ORDER BY id DESC LIMIT 2")
        assert ended[1] == ("logout",)   # the conversion's own session
    finally:
        opened.services.close()


def test_a_refused_conversion_logs_out_too(plain_demo_url):
    with pytest.raises(PermissionDenied):
        bootstrap.encrypt_database(plain_demo_url, "koordinator", DEMO_PASSWORD)
    services = bootstrap.prepare_database(plain_demo_url)
    try:
        assert _open_sessions(plain_demo_url, services) == []
    finally:
        services.close()


def test_plaintext_backups_do_not_survive_the_encryption(plain_demo_url, monkeypatch, capsys):
    import main
    from app.services.backup import backups_in, latest_verified
    path = _path(plain_demo_url)
    plain = sqlite3.connect(path)
    citizens = plain.execute("SELECT cpr, first_name, last_name FROM citizen").fetchall()
    plain.close()
    monkeypatch.setenv("TTA_PASSWORD", DEMO_PASSWORD)
    assert main.main(["backup", "--user", "admin", "--db", plain_demo_url]) == 0
    folder = path.parent / "sikkerhedskopier"
    old = [p for _, p in backups_in(folder)]
    assert len(old) == 1 and citizens[0][0].encode() in old[0].read_bytes()   # the plain backup holds them
    capsys.readouterr()
    assert main.main(["encrypt", "--user", "admin", "--db", plain_demo_url]) == 0
    out = capsys.readouterr().out
    assert "Unencrypted backups removed from the backup folder: 1." in out
    left = list(folder.iterdir())   # (a backup taken in the same second has the old one's name)
    assert left
    for p in left:
        raw = p.read_bytes()
        assert not raw.startswith(b"SQLite format 3")
        for cpr, first, last in citizens:
            for needle in (cpr, f"{first} {last}"):
                assert needle.encode("utf-8") not in raw, (p.name, needle)
    last = latest_verified(path)
    assert last is not None and last.path.parent == folder and last.path in left
    if last.path not in old:
        assert str(old[0]) not in Path(f"{path}.backups.json").read_text(encoding="utf-8")
    copy = open_encrypted(plain_demo_url, "admin", DEMO_PASSWORD)   # the encrypted file still opens
    copy.services.close()


def test_the_app_says_how_many_plaintext_backups_the_conversion_removed(plain_demo_url, qtbot, settle, answer):
    from tests.ui_helpers import log_in
    from ui.app import AppFlow
    services = bootstrap.prepare_database(plain_demo_url)
    try:
        admin = services.auth.login("admin", DEMO_PASSWORD)
        services.backup.take(admin)
        services.auth.logout(admin)
    finally:
        services.close()
    answer("yes")   # "Kryptér nu", then OK to the message about the backups
    flow = AppFlow(plain_demo_url)   # the login window is deleted when the main window opens
    flow.start()
    log_in(qtbot, flow, settle, "admin", DEMO_PASSWORD)
    qtbot.waitUntil(lambda: getattr(flow, "recovery_dialog", None) is not None, timeout=30000)
    flow.recovery_dialog.accept()
    qtbot.waitUntil(lambda: flow.window is not None, timeout=10000)
    qtbot.addWidget(flow.window)
    titles = [title for title, _text in answer.asked]
    assert "Sikkerhedskopier" in titles
    text = answer.asked[titles.index("Sikkerhedskopier")][1]
    assert "krypteret og kontrolleret sikkerhedskopi" in text and "1 ældre ukrypterede" in text
    assert storage_state(plain_demo_url) == "encrypted"
    flow.window.close()
    settle()
    flow.services.close()
    flow.release_lock()
