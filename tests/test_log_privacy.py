"""No health data in the log file: the known triggers of log lines (integrity errors such as a
duplicate-CPR race, an unexpected error, a storage error) leave no CPR number, name or journal text
in it. The file is written by a plain logging handler, as the app's own log is."""
from __future__ import annotations

import datetime as dt
import logging
import re
import sqlite3
from contextlib import contextmanager

import pytest
from sqlalchemy import event, insert, text
from sqlalchemy.orm import Session

from app.errors import StorageUnavailable, ValidationError
from app.services import Services
from db.models import Citizen, JournalNote
from db.session import open_database
from tests.factories import make_case, make_user, referral_input

CPR_PATTERN = re.compile(r"\d{6}-?\d{4}")
FIRST, LAST = "Ingeborg", "Quistgaard"
CPR = "7412841234"
JOURNAL = "Borgeren fortæller om selvmordstanker, diagnose F32.2, og Ingeborgs mand ringede"


@pytest.fixture
def log_file(tmp_path):
    """A log file on the root logger at INFO, formatted as ui.app.configure_logging does."""
    path = tmp_path / "tta-team.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield path
    root.removeHandler(handler)
    handler.close()
    root.setLevel(level)


def _scan(path) -> str:
    content = path.read_text(encoding="utf-8")
    assert not CPR_PATTERN.search(content), content
    for secret in (FIRST, LAST, "selvmordstanker", "F32.2", "Ingeborgs"):
        assert secret not in content, (secret, content)
    return content


@contextmanager
def before_insert_of(model, act):
    """Run ``act(session, obj)`` once, just before the first new ``model`` row is flushed: what another
    PC's transaction would have done between this one's checks and its insert."""
    done = []

    def hook(session, _context, _instances):
        for obj in list(session.new):
            if isinstance(obj, model) and not done:
                done.append(obj)
                act(session, obj)
    event.listen(Session, "before_flush", hook)
    try:
        yield done
    finally:
        event.remove(Session, "before_flush", hook)


def test_duplicate_cpr_race_logs_the_constraint_not_the_person(services, log_file):
    coord = make_user(services, "coordinator")

    def other_pc_saves_the_same_person(session, _citizen):
        session.connection().execute(insert(Citizen.__table__).values(
            cpr=CPR, first_name=FIRST, last_name=LAST, name_search=f"{FIRST} {LAST}".lower(),
            birth_date=dt.date(1984, 12, 14), sex="female"))
    with before_insert_of(Citizen, other_pc_saves_the_same_person) as raced:
        with pytest.raises(ValidationError, match="strider mod databasens regler") as info:
            services.referrals.create_referral(coord, referral_input(cpr=CPR, first_name=FIRST, last_name=LAST))
    assert raced
    # The exception itself carries the statement and its parameters: that is why it is not logged.
    assert CPR in str(info.value.__cause__)
    content = _scan(log_file)
    assert re.search(r"integrity error: (uq_citizen_cpr \(UniqueViolation\)|UNIQUE citizen\.cpr \(IntegrityError\))",
                     content), content


def test_integrity_error_on_a_journal_note_logs_no_text(services, log_file):
    coord = make_user(services, "coordinator")
    case_id = make_case(services, first_name=FIRST, last_name=LAST, coordinator_id=coord.user_id)

    def case_deleted_meanwhile(_session, note):
        note.case_id = case_id + 10_000   # the foreign key no longer holds
    with before_insert_of(JournalNote, case_deleted_meanwhile):
        with pytest.raises(ValidationError) as info:
            services.journal.add_note(coord, case_id, note_date=dt.date(2026, 11, 20), kind="phone", text=JOURNAL)
    assert "selvmordstanker" in str(info.value.__cause__)
    content = _scan(log_file)
    assert "integrity error: " in content and ("fk_journal_note_case_id_tta_case" in content
                                               or "FOREIGN KEY" in content), content


def test_unexpected_errors_log_type_and_place_only(log_file):
    from ui.errors import log_unexpected

    def fails_with_data_in_message_and_locals():
        cpr, name, note = CPR, f"{FIRST} {LAST}", JOURNAL  # noqa: F841  (locals a traceback could show)
        raise RuntimeError(f"kunne ikke gemme {cpr} {name}: {note}")
    try:
        try:
            fails_with_data_in_message_and_locals()
        except RuntimeError as inner:
            raise KeyError(f"{FIRST} {LAST} {CPR}") from inner
    except KeyError as exc:
        ref = log_unexpected(exc)
    content = _scan(log_file)
    assert f"unexpected error, reference {ref}: KeyError (caused by RuntimeError)" in content
    assert "test_log_privacy.py:" in content   # where it happened: file and line


def _lock_database(services, url):
    """Another connection holds the lock the next write needs; returns (release, a Services that
    gives up after a fraction of a second instead of ten)."""
    if services.backend == "sqlite":
        other = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        impatient = Services(open_database(url, check=False))   # no connection made yet
        event.listen(impatient.db.engine, "connect", lambda conn, _rec: conn.execute("PRAGMA busy_timeout=100"))
        return (lambda: (other.rollback(), other.close())), impatient
    db = open_database(url, connect_args={"options": "-c lock_timeout=300"})
    other = db.engine.connect()
    other.execute(text("LOCK TABLE journal_note IN ACCESS EXCLUSIVE MODE"))
    return (lambda: (other.rollback(), other.close())), Services(db)


def test_storage_error_logs_nothing_and_says_nothing_of_the_person(services, db_url, log_file):
    from ui.errors import log_unexpected
    coord = make_user(services, "coordinator")
    case_id = make_case(services, first_name=FIRST, last_name=LAST, coordinator_id=coord.user_id)
    release, impatient = _lock_database(services, db_url)
    try:
        with pytest.raises(StorageUnavailable) as info:
            impatient.journal.add_note(coord, case_id, note_date=dt.date(2026, 11, 20), kind="phone", text=JOURNAL)
    finally:
        release()
        impatient.close()
    assert not CPR_PATTERN.search(info.value.message) and "selvmordstanker" not in info.value.message
    log_unexpected(info.value)   # as if it had escaped to the last-resort handler
    content = _scan(log_file)
    assert "StorageUnavailable" in content


def test_an_unexpected_error_in_a_headless_command_is_a_message_not_a_traceback(log_file, capsys, monkeypatch):
    """A command that fails unexpectedly says so in one Danish line with a reference; neither the
    terminal nor the log shows the exception's text (a database error's text repeats its parameters)."""
    import main
    from app.cli import build_parser

    def fails(_args):
        raise RuntimeError(f"kunne ikke gemme {CPR} {FIRST} {LAST}: {JOURNAL}")
    parser = build_parser()
    args = parser.parse_args(["migrate", "--db", "sqlite:///:memory:"])
    args.run = fails
    monkeypatch.setattr(main, "build_parser", lambda: type("P", (), {"parse_args": lambda self, argv: args})())
    assert main.main(["migrate"]) == 1
    err = capsys.readouterr().err
    assert "Uventet fejl (RuntimeError)" in err and "Reference" in err and "Traceback" not in err
    assert CPR not in err and FIRST not in err and "selvmordstanker" not in err
    assert "unexpected error, reference" in _scan(log_file)
