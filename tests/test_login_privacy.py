"""A failed login gives nothing away: one message, one password check, bounded names, and a lockout
that parallel attempts cannot outrun on either database."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

import app.services.users as users_module
from app.errors import AuthenticationError
from app.security import dummy_hash
from app.services.users import BAD_LOGIN, MAX_FAILED_LOGINS
from db.models import AuditEntry, User
from tests.factories import make_user


class CountingVerify:
    """Wraps ``verify_password`` as the login service calls it, recording each hash checked."""

    def __init__(self, monkeypatch):
        self.hashes: list[str] = []
        self._lock = threading.Lock()
        self._real = users_module.verify_password
        monkeypatch.setattr(users_module, "verify_password", self)

    def __call__(self, password_hash: str, password: str) -> bool:
        with self._lock:
            self.hashes.append(password_hash)
        return self._real(password_hash, password)


def _stored_hash(services, username):
    with services.db.read() as s:
        return s.scalar(select(User.password_hash).where(User.username == username))


def _refusal(services, username, password) -> str:
    with pytest.raises(AuthenticationError) as info:
        services.auth.login(username, password)
    return info.value.message


def test_every_refusal_has_the_same_message_and_costs_one_password_check(services, monkeypatch):
    admin = make_user(services, "admin", "admin")
    make_user(services, "doctor", "eva")
    make_user(services, "doctor", "inaktiv")
    make_user(services, "doctor", "laast")
    row = next(u for u in services.users.list_users(admin) if u.username == "inaktiv")
    services.users.update_user(admin, row.id, expected_version=row.version, full_name=row.full_name,
                               role=row.role, email="", active=False)
    for _ in range(MAX_FAILED_LOGINS):
        _refusal(services, "laast", "forkert")
    counting = CountingVerify(monkeypatch)
    cases = {
        "unknown user": ("findes-ikke", "hemmelig123"),
        "wrong password": ("eva", "forkert"),
        "inactive account": ("inaktiv", "hemmelig123"),
        "locked account, right password": ("laast", "hemmelig123"),
        "locked account, wrong password": ("laast", "forkert"),
        "empty name": ("", "hemmelig123"),
    }
    for what, (username, password) in cases.items():
        counting.hashes.clear()
        assert _refusal(services, username, password) == BAD_LOGIN, what
        # One argon2 verification on every path, so the time does not tell them apart either.
        assert len(counting.hashes) == 1, what
        expected = _stored_hash(services, "eva") if what == "wrong password" else dummy_hash()
        assert counting.hashes == [expected], what
    # The dummy hash costs what a real one costs: the same argon2id parameters.
    params = _stored_hash(services, "eva").rsplit("$", 2)[0]
    assert dummy_hash().rsplit("$", 2)[0] == params
    # What the message keeps back, the audit log records (for the administrator).
    with services.db.read() as s:
        details = s.execute(select(AuditEntry.username, AuditEntry.detail)
                            .where(AuditEntry.action == "login_failed")).all()
    assert {("findes-ikke", "unknown user"), ("eva", "wrong password"), ("inaktiv", "inactive account"),
            ("laast", "account locked")} <= set(details)


def test_user_names_are_bounded_before_they_are_stored(services):
    make_user(services, "doctor", "eva")
    huge = "a" * 100_000
    assert _refusal(services, huge, "hemmelig123") == BAD_LOGIN
    assert _refusal(services, "e" * 200, "hemmelig123") == BAD_LOGIN  # no database error on PostgreSQL
    assert _refusal(services, "eva\x00", "hemmelig123") == BAD_LOGIN  # PostgreSQL rejects NUL in text
    # A long name whose first 60 characters are an account is not that account.
    assert _refusal(services, "eva" + " " * 10 + "x" * 60, "hemmelig123") == BAD_LOGIN
    with services.db.read() as s:
        names = s.scalars(select(AuditEntry.username).where(AuditEntry.action == "login_failed")
                          .order_by(AuditEntry.id)).all()
        longest = s.scalar(select(func.max(func.length(AuditEntry.username))))
    assert names[0] == "a" * 60 and names[1] == "e" * 60 and names[2] == "eva"
    assert longest <= 60


def test_twenty_parallel_wrong_passwords_get_exactly_five_checks(services, monkeypatch):
    make_user(services, "psychologist", "lars")
    real_hash = _stored_hash(services, "lars")
    counting = CountingVerify(monkeypatch)
    start = threading.Barrier(20)
    outcomes: list[str] = []

    def attempt():
        start.wait()
        try:  # each call runs in its own database session and transaction
            services.auth.login("lars", "forkert")
            outcomes.append("logged in")
        except AuthenticationError as exc:
            outcomes.append(exc.message)
        except Exception as exc:  # noqa: BLE001 - reported below, with its type
            outcomes.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=90)
    assert outcomes == [BAD_LOGIN] * 20
    assert counting.hashes.count(real_hash) == MAX_FAILED_LOGINS
    assert counting.hashes.count(dummy_hash()) == 20 - MAX_FAILED_LOGINS
    with services.db.read() as s:
        locked_until = s.scalar(select(User.locked_until).where(User.username == "lars"))
        lockouts = s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "lockout"))
    assert locked_until is not None and lockouts == 1
    # Locked: even the right password is not checked against the account now.
    counting.hashes.clear()
    assert _refusal(services, "lars", "hemmelig123") == BAD_LOGIN
    assert counting.hashes == [dummy_hash()]
