"""Verified backups: the restore drill, rotation, encrypted copies, the folder setting, the commands."""
from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

import main
from app import bootstrap
from app.errors import ValidationErrors
from app.services import Services
from app.services.backup import backups_in, latest_verified, rotate
from app.services.backup import restore_file as restore
from db.models import AuditEntry
from db.session import open_database
from tests.factories import make_case, make_user, save_settings


def _rows(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
    finally:
        conn.close()


@pytest.fixture
def filled(sqlite_url, clock):
    services = bootstrap.prepare_database(sqlite_url, clock=clock)
    admin = make_user(services, "admin", "ada")
    coord = make_user(services, "coordinator", "mette")
    for i in range(5):
        make_case(services, first_name=f"Åse{i}", last_name="Ærbøl", coordinator_id=coord.user_id)
    yield services, admin, coord
    services.close()


def test_restore_drill_fill_back_up_change_restore_compare_every_row(filled, sqlite_url):
    services, admin, coord = filled
    path = services.db.path
    info = services.backup.take(admin)
    assert info.rows > 0 and info.path.exists() and latest_verified(path).path == info.path
    backup_rows = _rows(info.path)
    make_case(services, first_name="Ny", last_name="Efter", coordinator_id=coord.user_id)
    services.cases.update_case(coord, 1, expected_version=services.cases.get_case(coord, 1).version,
                               changes={"job_title": "Ændret efter kopien"})
    services.close()
    assert _rows(path) != backup_rows
    aside = restore(path, info.path, now=dt.datetime(2026, 11, 23, 12))
    assert aside.exists()
    restored = _rows(path)
    assert restored == backup_rows          # every row of every table, exactly as backed up
    assert bootstrap.check_file(sqlite_url) == "plain"


def test_backups_rotate_7_daily_4_weekly_12_monthly(tmp_path):
    folder = tmp_path / "kopier"
    folder.mkdir()
    start = dt.datetime(2026, 11, 23, 17, 0)
    for days in range(400):
        for hour in (8, 17):
            t = start - dt.timedelta(days=days) - dt.timedelta(hours=17 - hour)
            (folder / f"tta-team-{t:%Y%m%d-%H%M%S}.db").write_bytes(b"x")
    rotate(folder)
    kept = [t for t, _ in backups_in(folder)]
    days = {t.date() for t in kept}
    assert [t.date() for t in kept[:7]] == [(start - dt.timedelta(days=d)).date() for d in range(7)]
    assert all(t.hour == 17 for t in kept)              # the newest of each day is the one kept
    assert len({t.isocalendar()[:2] for t in kept}) >= 4
    assert len({(t.year, t.month) for t in kept}) == 12
    assert len(kept) == len(days) <= 7 + 4 + 12


def test_a_backup_that_fails_its_check_is_not_kept(filled, monkeypatch):
    services, admin, _ = filled
    from app.services import backup as backup_module
    monkeypatch.setattr(backup_module, "table_counts", lambda conn: {"x": id(conn)})   # rows never agree
    with pytest.raises(backup_module.BackupFailed):
        services.backup.take(admin)
    folder = services.db.path.parent / "sikkerhedskopier"
    assert list(folder.iterdir()) == []
    assert latest_verified(services.db.path) is None


def test_an_encrypted_database_is_backed_up_encrypted_with_its_key_file(tmp_path, clock):
    url = f"sqlite:///{tmp_path / 'tta.db'}"
    first = bootstrap.create_encrypted_database(url, username="chef", full_name="Karin Chef",
                                                password="karins-kode-1", clock=clock)
    try:
        info = first.services.backup.take(first.actor)
    finally:
        first.services.close()
    assert not info.path.read_bytes().startswith(b"SQLite format 3")
    assert Path(f"{info.path}.keys").exists()
    copy_url = f"sqlite:///{tmp_path / 'copy.db'}"
    restore(tmp_path / "copy.db", info.path, now=clock())
    opened = bootstrap.open_encrypted(copy_url, "chef", "karins-kode-1")
    assert opened.actor.username == "chef"
    opened.services.close()


def test_the_folder_setting_and_the_status(filled, tmp_path, clock):
    services, admin, _ = filled
    with pytest.raises(ValidationErrors) as info:
        save_settings(services, admin, {"backup_folder": "relativ/sti"})
    assert info.value.errors[0].field == "backup_folder"
    save_settings(services, admin, {"backup_folder": str(tmp_path / "anden-disk")})
    status = services.backup.status(admin)
    assert status.last is None and "ingen kontrolleret" in status.warnings[0]
    assert any("samme disk" in w for w in status.warnings)
    services.backup.take(admin)
    clock.advance(days=8)
    status = services.backup.status(admin)
    assert status.folder == tmp_path / "anden-disk" and len(status.kept) == 1
    assert "8 dage gammel" in status.warnings[0]


def test_the_daily_backup_is_taken_once_a_day(filled, clock):
    services, _, _ = filled
    assert services.backup.take_if_due() is not None
    assert services.backup.take_if_due() is None
    clock.advance(days=1)
    assert services.backup.take_if_due() is not None


def test_backup_and_restore_commands(filled, sqlite_url, monkeypatch, capsys):
    services, _, _ = filled
    path = services.db.path
    services.close()
    monkeypatch.setenv("TTA_PASSWORD", "hemmelig123")
    assert main.main(["backup", "--db", sqlite_url, "--user", "mette"]) == 1     # an administrator's work
    assert "adgang" in capsys.readouterr().err
    assert main.main(["backup", "--db", sqlite_url, "--user", "ada"]) == 0
    assert "integrity_check ok" in capsys.readouterr().out
    backup = latest_verified(path).path
    before = path.read_bytes()
    # A coordinator may not replace the database: the restore is undone, the file is as before.
    assert main.main(["restore", "--db", sqlite_url, "--user", "mette", str(backup)]) == 1
    assert "Gendannelsen er fortrudt" in capsys.readouterr().err
    assert path.read_bytes() == before and not list(path.parent.glob("*.before-restore-*"))
    assert main.main(["restore", "--db", sqlite_url, "--user", "ada", str(backup)]) == 0
    out = capsys.readouterr().out
    assert "kept as" in out and list(path.parent.glob("*.before-restore-*"))
    # The restored database's audit log names who restored it.
    restored = Services(open_database(sqlite_url))
    try:
        with restored.db.read() as s:
            who, detail = s.execute(select(AuditEntry.username, AuditEntry.detail)
                                    .where(AuditEntry.action == "restore")).one()
        assert who == "ada" and backup.name in detail
    finally:
        restored.close()
    junk = path.parent / "junk.db"
    junk.write_bytes(b"hello")
    assert main.main(["restore", "--db", sqlite_url, "--user", "ada", str(junk)]) == 1
    assert "ikke en brugbar sikkerhedskopi" in capsys.readouterr().err


def test_backup_on_postgresql_needs_pg_dump(db_url, backend, monkeypatch, capsys, services):
    if backend != "postgresql":
        return
    make_user(services, "admin", "ada")
    monkeypatch.setenv("TTA_PASSWORD", "hemmelig123")
    monkeypatch.setattr("shutil.which", lambda _name: None)
    assert main.main(["backup", "--db", db_url, "--user", "ada"]) == 1
    assert "pg_dump" in capsys.readouterr().err


def test_a_postgresql_backup_reaches_the_urls_server_and_is_private(postgresql_url, clock, monkeypatch, tmp_path):
    """The test server listens on a unix socket only (``?host=`` in the URL): pg_dump must go there,
    and the dump (every record) is for the user alone, whatever the umask."""
    import os
    import shutil

    from db.private_files import file_mode
    assert shutil.which("pg_dump"), "Debian's postgresql package brings pg_dump (./dev test installs it)"
    services = Services(open_database(postgresql_url), clock=clock)
    try:
        admin = make_user(services, "admin", "ada")
        make_case(services, first_name="Åse", last_name="Ærbøl")
        monkeypatch.setattr("app.config.data_dir", lambda: tmp_path)
        old_umask = os.umask(0o022)
        try:
            info = services.backup.take(admin)
        finally:
            os.umask(old_umask)
    finally:
        services.close()
    assert info.path.parent == tmp_path / "sikkerhedskopier"
    assert info.path.read_bytes().startswith(b"PGDMP")
    assert file_mode(info.path) == 0o600
