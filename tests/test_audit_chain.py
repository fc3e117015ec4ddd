"""The audit log is tamper-evident: an HMAC chain with the key outside the database finds a deleted,
an altered and an inserted row (edited with raw SQL, as with any SQLite tool) and names the first
broken one; appending stays a chain under concurrent writers; entries from before the chain are
masked by the migration and sealed at start-up."""
from __future__ import annotations

import datetime as dt
import os
import stat
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select, text

from app import audit_key as audit_key_module
from app.audit_chain import VerifyResult
from app.audit_key import AuditKeyMissing, default_key_file
from app.bootstrap import prepare_database
from app.services import Services
from db import migrate
from db.models import AuditChain, AuditEntry
from db.session import open_database
from tests.factories import make_case, make_user


def _raw(services, sql: str, **params) -> None:
    """An edit made beside the program, as an SQLite tool or psql would."""
    with services.db.engine.begin() as conn:
        conn.execute(text(sql), params)


def _ids(services) -> list[int]:
    with services.db.read() as s:
        return list(s.scalars(select(AuditEntry.id).order_by(AuditEntry.id)))


def _seqs(services) -> list[int | None]:
    with services.db.read() as s:
        return list(s.scalars(select(AuditEntry.seq).order_by(AuditEntry.seq)))


@pytest.fixture
def logged(services):
    """A log with a handful of entries: logins, reads, a search, an update."""
    coord = make_user(services, "coordinator", "mette")
    case_id = make_case(services, coordinator_id=coord.user_id)
    detail = services.cases.get_case(coord, case_id)
    services.cases.search_ids(coord, "østergaard")
    services.cases.update_case(coord, case_id, expected_version=detail.version, changes={"job_title": "Pædagog"})
    services.cases.reveal_cpr(coord, case_id)
    services.cases.get_case(coord, case_id)
    return services


def test_an_untouched_log_verifies_and_is_numbered_without_gaps(logged):
    ids = _ids(logged)
    result = logged.audit_log.check_chain()
    assert (result.ok, result.checked, result.first_broken_id, result.reason) == (True, len(ids), None, "")
    assert _seqs(logged) == list(range(1, len(ids) + 1))


def test_a_deleted_row_breaks_the_chain_at_the_next(logged):
    ids = _ids(logged)
    _raw(logged, "DELETE FROM audit_log WHERE id = :id", id=ids[2])
    result = logged.audit_log.check_chain()
    assert not result.ok and result.first_broken_id == ids[3]
    assert "slettet" in result.reason and result.checked == 2


def test_an_altered_row_is_named(logged):
    ids = _ids(logged)
    _raw(logged, "UPDATE audit_log SET username = 'bo' WHERE id = :id", id=ids[3])
    result = logged.audit_log.check_chain()
    assert (result.ok, result.first_broken_id) == (False, ids[3])
    assert "ændret" in result.reason


def test_an_altered_time_is_named(logged):
    ids = _ids(logged)
    _raw(logged, "UPDATE audit_log SET at = :at WHERE id = :id", id=ids[1], at=dt.datetime(2026, 1, 1, 8, 0))
    assert logged.audit_log.check_chain().first_broken_id == ids[1]


def test_an_inserted_row_is_named(logged):
    _raw(logged, "INSERT INTO audit_log (at, user_id, username, action, entity, fields, detail, case_ids) "
                 "VALUES (:at, NULL, 'mette', 'read', 'tta_case', '', '', '')", at=dt.datetime(2026, 11, 22, 9, 0))
    inserted = _ids(logged)[-1]
    result = logged.audit_log.check_chain()
    assert (result.ok, result.first_broken_id) == (False, inserted)
    assert "indsat" in result.reason


def test_an_inserted_row_with_a_made_up_seal_is_named(logged):
    last = len(_ids(logged))
    _raw(logged, "INSERT INTO audit_log (at, user_id, username, action, entity, fields, detail, case_ids, seq, mac) "
                 "VALUES (:at, NULL, 'mette', 'read', 'tta_case', '', '', '', :seq, :mac)",
         at=dt.datetime(2026, 11, 22, 9, 0), seq=last + 1, mac="ab" * 32)
    inserted = _ids(logged)[-1]
    assert logged.audit_log.check_chain().first_broken_id == inserted


def test_deleting_the_newest_rows_is_found(logged):
    ids = _ids(logged)
    _raw(logged, "DELETE FROM audit_log WHERE id >= :id", id=ids[-2])
    result = logged.audit_log.check_chain()
    assert not result.ok and "nyeste" in result.reason and result.checked == len(ids) - 2


def test_a_changed_chain_head_is_found(logged):
    _raw(logged, "UPDATE audit_chain SET last_seq = last_seq - 1")
    result = logged.audit_log.check_chain()
    assert not result.ok and "kædehoved" in result.reason


def test_the_verify_service_requires_audit_rights_and_logs_the_check(logged):
    from app.errors import PermissionDenied
    lead = make_user(logged, "team_lead", "tove")
    result = logged.audit_log.verify(lead)
    assert result.ok
    last = logged.audit_log.entries(lead, action="verify")[0]
    assert (last.user, last.entity) == ("Test Team_Lead", "audit_log") and "kæden er hel" in last.detail
    with pytest.raises(PermissionDenied):
        logged.audit_log.verify(make_user(logged, "coordinator"))
    assert logged.audit_log.check_chain().ok


def test_concurrent_writers_append_one_chain(services):
    """Eight threads read (and so log) at once; on PostgreSQL the head's row lock orders them, on
    SQLite the write lock does. Without it two would take the same number and one would fail."""
    users = [make_user(services, "coordinator", f"k{i}") for i in range(8)]
    case_id = make_case(services, team_member_ids=[u.user_id for u in users])
    before = len(_ids(services))

    def work(actor):
        for _ in range(6):
            services.cases.get_case(actor, case_id)
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(work, users))
    total = len(_ids(services))
    assert total == before + 8 * 6
    assert _seqs(services) == list(range(1, total + 1))
    assert services.audit_log.check_chain().ok


# -- the key ----------------------------------------------------------------------------------------
def test_sqlite_key_file_is_made_private_in_the_data_folder(sqlite_url, clock, monkeypatch, tmp_path):
    monkeypatch.delenv("TTA_AUDIT_KEY")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home-data"))
    services = Services(open_database(sqlite_url), clock=clock)
    try:
        make_user(services, "coordinator")
        key_file = default_key_file()
        assert key_file.parent.parent == tmp_path / "home-data"
        assert len(key_file.read_text().strip()) == 64
        if os.name == "posix":
            assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert services.audit_log.check_chain().ok

        # Another key (the file replaced, or the database opened on another PC) is told apart from tampering.
        key_file.write_text("x" * 64)
        audit_key_module._file_cache.clear()
        result = services.audit_log.check_chain()
        assert not result.ok and "anden nøgle" in result.reason
    finally:
        services.close()
        audit_key_module._file_cache.clear()


def test_postgresql_without_a_key_writes_nothing(postgresql_url, tmp_path, clock, monkeypatch):
    pg_url = postgresql_url
    services = Services(open_database(pg_url), clock=clock)
    try:
        make_user(services, "coordinator", "mette")
        before = _ids(services)
        monkeypatch.delenv("TTA_AUDIT_KEY")
        with pytest.raises(AuditKeyMissing, match="TTA_AUDIT_KEY"):
            services.auth.login("mette", "hemmelig123")
        assert _ids(services) == before   # the login and its entry were rolled back together
        with pytest.raises(AuditKeyMissing):
            prepare_database(pg_url).close()

        key_file = tmp_path / "audit.key"
        key_file.write_text("k" * 40)
        monkeypatch.setenv("TTA_AUDIT_KEY_FILE", str(key_file))
        services.auth.login("mette", "hemmelig123")
        # Entries sealed with the first key, then with this one: the check says which problem it is.
        result = services.audit_log.check_chain()
        assert not result.ok and "anden nøgle" in result.reason
    finally:
        services.close()
        audit_key_module._file_cache.clear()


# -- entries from before the chain ------------------------------------------------------------------------
def test_upgrade_masks_old_entries_and_start_up_seals_them(empty_db_url):
    url = empty_db_url
    db = open_database(url)
    migrate.upgrade(db.engine, "0004")
    old = [("mette", "search", "tta_case", None, "1705841234"),
           ("170584-1234", "login_failed", "user_account", None, ""),
           ("mette", "read", "tta_case", 7, ""),
           ("mette", "search", "tta_case", None, "Åse 170584 1234 Østergaard")]
    with db.engine.begin() as conn:
        for i, (user, action, entity, case_id, detail) in enumerate(old):
            conn.execute(text("INSERT INTO audit_log (at, user_id, username, action, entity, case_id, fields, detail) "
                              "VALUES (:at, 1, :user, :action, :entity, :case_id, '', :detail)"),
                         {"at": dt.datetime(2026, 3, 1, 8, i), "user": user, "action": action, "entity": entity,
                          "case_id": case_id, "detail": detail})
    migrate.upgrade(db.engine)
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT username, detail, seq, mac FROM audit_log ORDER BY id")).all()
        upto = conn.execute(text("SELECT unsealed_upto FROM audit_chain")).scalar()
    db.dispose()
    assert [(r[0], r[1]) for r in rows] == [("mette", "170584-xxxx"), ("170584-xxxx", ""), ("mette", ""),
                                            ("mette", "Åse 170584-xxxx Østergaard")]
    assert all(r[2] is None and r[3] is None for r in rows) and upto == 4

    services = prepare_database(url)   # the next start
    try:
        assert _seqs(services) == [1, 2, 3, 4]
        with services.db.read() as s:
            assert s.get(AuditChain, 1).unsealed_upto == 0
        result = services.audit_log.check_chain()
        assert (result.ok, result.checked) == (True, 4)
        make_user(services, "coordinator")  # new entries follow the old ones
        assert services.audit_log.check_chain().checked == 5
    finally:
        services.close()


# -- a head that does not verify is never re-signed (tampering cannot be re-sealed without the key) ---------
def _entry(services, seq: int) -> tuple[int, str]:
    with services.db.read() as s:
        return s.execute(select(AuditEntry.id, AuditEntry.mac).where(AuditEntry.seq == seq)).one()


def _head_sig(services) -> str:
    with services.db.read() as s:
        return s.get(AuditChain, 1).head_sig


def _work(services) -> None:
    """People go on working: a login and a read write new entries."""
    services.auth.login("mette", "hemmelig123")


def _broken_after_start_and_work(services, url) -> VerifyResult:
    prepare_database(url).close()   # the next start (seals legacy entries, if it may)
    _work(services)
    _work(services)
    result = services.audit_log.check_chain()
    assert not result.ok and "kædehoved" in result.reason
    assert _head_sig(services).startswith("broken:")
    return result


def test_newest_rows_deleted_and_the_head_rewound_stay_broken(logged, db_url):
    """Attack (a): the newest entries deleted and the head set to the last one kept."""
    kept = 4
    ident, mac = _entry(logged, kept)
    _raw(logged, "DELETE FROM audit_log WHERE seq > :k", k=kept)
    _raw(logged, "UPDATE audit_chain SET last_seq = :k, last_id = :id, last_mac = :mac", k=kept, id=ident, mac=mac)
    result = _broken_after_start_and_work(logged, db_url)
    # New entries follow the last sealed one; the first of them is named: the break lies before it.
    assert _seqs(logged) == list(range(1, kept + 3))
    assert result.first_broken_id == _entry(logged, kept + 1)[0] and "opdaget efter post nr. 4" in result.reason


def test_rows_unsealed_and_offered_as_legacy_are_not_resealed(logged, db_url):
    """Attack (b): a row deleted, another changed, the head rewound to entry 4, the later rows'
    seals cleared and ``unsealed_upto`` raised, so that start-up would seal them afresh."""
    first_cleared = _entry(logged, 5)[0]
    ident, mac = _entry(logged, 4)
    _raw(logged, "DELETE FROM audit_log WHERE seq = 6")
    _raw(logged, "UPDATE audit_log SET username = 'bo' WHERE seq = 7")
    _raw(logged, "UPDATE audit_log SET seq = NULL, mac = NULL WHERE seq > 4")
    _raw(logged, "UPDATE audit_chain SET last_seq = 4, last_id = :id, last_mac = :mac, unsealed_upto = 1000",
         id=ident, mac=mac)
    result = _broken_after_start_and_work(logged, db_url)
    assert result.first_broken_id == first_cleared and "ikke en del af kæden" in result.reason
    with logged.db.read() as s:
        assert s.scalar(select(AuditEntry.seq).where(AuditEntry.id == first_cleared)) is None


def test_a_forged_row_in_the_middle_is_not_resealed(logged, db_url):
    """Attack (c): the later rows moved behind a forged one and offered as legacy entries."""
    ident, mac = _entry(logged, 4)
    _raw(logged, "UPDATE audit_log SET seq = NULL, mac = NULL WHERE seq > 4")
    _raw(logged, "UPDATE audit_log SET id = id + 100 WHERE seq IS NULL")
    _raw(logged, "INSERT INTO audit_log (id, at, user_id, username, action, entity, fields, detail, case_ids) "
                 "VALUES (:id, :at, NULL, 'mette', 'read', 'tta_case', '', '', '')",
         id=ident + 1, at=dt.datetime(2026, 11, 22, 9, 0))
    _raw(logged, "UPDATE audit_chain SET last_seq = 4, last_id = :id, last_mac = :mac, unsealed_upto = 1000",
         id=ident, mac=mac)
    result = _broken_after_start_and_work(logged, db_url)
    assert result.first_broken_id == ident + 1


def test_a_row_offered_as_legacy_is_not_sealed(logged, db_url):
    """Attack (d): ``unsealed_upto`` raised and a row inserted below it without a seal."""
    _raw(logged, "UPDATE audit_chain SET unsealed_upto = 500")
    _raw(logged, "INSERT INTO audit_log (id, at, user_id, username, action, entity, fields, detail, case_ids) "
                 "VALUES (500, :at, NULL, 'mette', 'read', 'tta_case', '', '', '')", at=dt.datetime(2026, 11, 22, 9))
    result = _broken_after_start_and_work(logged, db_url)
    assert result.first_broken_id == 500 and "opgraderingen" not in result.reason


def test_the_break_is_reported_at_start_up_and_by_the_command(logged, db_url, monkeypatch, capsys):
    import main
    from app.bootstrap import audit_log_startup
    make_user(logged, "team_lead", "tove")
    ident, mac = _entry(logged, 4)
    _raw(logged, "DELETE FROM audit_log WHERE seq > 4")
    _raw(logged, "UPDATE audit_chain SET last_seq = 4, last_id = :id, last_mac = :mac", id=ident, mac=mac)
    _work(logged)
    check = audit_log_startup(logged)
    assert not check.verify.ok and "kædehoved" in check.verify.reason
    assert check.purge is None and "intet er slettet" in check.purge_error
    monkeypatch.setenv("TTA_PASSWORD", "hemmelig123")
    assert main.main(["audit", "verify", "--db", db_url, "--user", "tove"]) == 1
    assert "kædehoved" in capsys.readouterr().err


def test_a_head_signed_in_the_old_format_is_resigned_once(logged, db_url):
    from app.audit_chain import head_signature, head_signature_v1
    from app.audit_key import audit_key
    key = audit_key(logged.db.engine.dialect.name)
    with logged.db.read() as s:
        head = s.get(AuditChain, 1)
        head.key_id = ""
        old = head_signature_v1(key, head)
        s.expunge_all()
    _raw(logged, "UPDATE audit_chain SET key_id = '', head_sig = :sig", sig=old)
    assert logged.audit_log.check_chain().ok
    prepare_database(db_url).close()
    with logged.db.read() as s:
        head = s.get(AuditChain, 1)
        assert head.key_id == key.key_id and head.head_sig == head_signature(key, head) != old
    assert logged.audit_log.check_chain().ok
    _work(logged)
    assert logged.audit_log.check_chain().ok


# -- a damaged head does not lock anyone out ---------------------------------------------------------------
def test_a_missing_head_is_recreated_broken_and_work_goes_on(logged):
    before = len(_ids(logged))
    _raw(logged, "DELETE FROM audit_chain")
    _work(logged)
    _work(logged)
    assert _seqs(logged) == list(range(1, before + 3))
    result = logged.audit_log.check_chain()
    assert not result.ok and "manglede" in result.reason
    assert result.first_broken_id == _entry(logged, before + 1)[0]
    assert _head_sig(logged) == f"recreated:{before}"


def test_a_lowered_last_seq_does_not_collide(logged):
    before = len(_ids(logged))
    _raw(logged, "UPDATE audit_chain SET last_seq = last_seq - 3")
    _work(logged)
    assert _seqs(logged) == list(range(1, before + 2))
    result = logged.audit_log.check_chain()
    assert not result.ok and "kædehoved" in result.reason


def test_an_emptied_log_whose_head_was_deleted_is_reported_after_the_next_write(logged):
    _raw(logged, "DELETE FROM audit_log")
    _raw(logged, "DELETE FROM audit_chain")
    _work(logged)
    assert _seqs(logged) == [1]
    result = logged.audit_log.check_chain()
    assert not result.ok and "manglede" in result.reason and result.first_broken_id == _ids(logged)[0]


def test_postgresql_takes_the_key_from_the_server_setting(postgresql_url, clock, monkeypatch):
    """A server setting outside the tables (``tta.audit_key``) serves every PC when none of them sets
    a key of its own; a too-short one is refused like any other."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    monkeypatch.delenv("TTA_AUDIT_KEY")
    name = make_url(postgresql_url).database
    admin = create_engine(postgresql_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            c.exec_driver_sql(f"ALTER DATABASE \"{name}\" SET tta.audit_key = '{'s' * 40}'")
        services = prepare_database(postgresql_url)
        try:
            make_user(services, "coordinator", "mette")
            actor = services.auth.login("mette", "hemmelig123")
            services.cases.search_ids(actor, "hansen")
            result = services.audit_log.check_chain()
            assert result.ok and result.checked >= 2
            with services.db.read() as s:
                head = s.get(AuditChain, 1)
                assert head.key_id == audit_key_module.AuditKey(b"s" * 40).key_id
        finally:
            services.close()
        with admin.connect() as c:
            c.exec_driver_sql(f"ALTER DATABASE \"{name}\" SET tta.audit_key = 'kort'")
        with pytest.raises(AuditKeyMissing, match="for kort"):
            prepare_database(postgresql_url).close()
    finally:
        admin.dispose()
