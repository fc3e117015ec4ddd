"""Login, lockout after 5 failures for 15 minutes, administrator reset, idle re-authentication."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.errors import AuthenticationError, PermissionDenied, ValidationError
from db.models import AuditEntry, User
from tests.factories import make_user


def test_login_with_right_password_and_clear_message_for_wrong(services):
    actor = make_user(services, "coordinator", "mette")
    assert actor.username == "mette" and actor.role == "coordinator"
    with pytest.raises(AuthenticationError, match="Forkert brugernavn eller adgangskode"):
        services.auth.login("mette", "forkert-kode")
    with pytest.raises(AuthenticationError, match="Forkert brugernavn eller adgangskode"):
        services.auth.login("findes-ikke", "hemmelig123")
    assert services.auth.login("  Mette ", "hemmelig123").user_id == actor.user_id  # case and spaces forgiven


def test_five_failures_lock_the_account_for_fifteen_minutes(services, clock):
    admin = make_user(services, "admin", "admin")
    make_user(services, "psychologist", "lars")
    # The message never counts down nor tells of the lock: the lock shows in the audit log and to
    # the administrator.
    for _attempt in range(5):
        with pytest.raises(AuthenticationError, match=r"^Forkert brugernavn eller adgangskode\.$"):
            services.auth.login("lars", "forkert")
    lars = next(u for u in services.users.list_users(admin) if u.username == "lars")
    assert lars.locked_until == clock.now + dt.timedelta(minutes=15)
    # Even the right password is refused while locked, with the same message.
    with pytest.raises(AuthenticationError, match=r"^Forkert brugernavn eller adgangskode\.$"):
        services.auth.login("lars", "hemmelig123")
    clock.advance(minutes=14, seconds=59)
    with pytest.raises(AuthenticationError, match=r"^Forkert brugernavn eller adgangskode\.$"):
        services.auth.login("lars", "hemmelig123")
    clock.advance(seconds=2)
    assert services.auth.login("lars", "hemmelig123").username == "lars"
    with services.db.read() as s:
        rows = s.execute(select(AuditEntry.action, AuditEntry.detail).where(AuditEntry.username == "lars")).all()
    actions = [a for a, _d in rows]
    assert actions.count("login_failed") == 7 and actions.count("lockout") == 1 and actions.count("login") == 2
    assert [d for a, d in rows if a == "login_failed"].count("account locked") == 2


def test_admin_reset_lifts_lockout_and_sets_new_password(services):
    admin = make_user(services, "admin", "admin")
    make_user(services, "doctor", "eva")
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            services.auth.login("eva", "forkert")
    eva_id = next(u.id for u in services.users.list_users(admin) if u.username == "eva")
    with pytest.raises(ValidationError, match="mindst 8 tegn"):
        services.users.reset_password(admin, eva_id, "kort")
    services.users.reset_password(admin, eva_id, "ny-kode-123")
    assert services.auth.login("eva", "ny-kode-123").username == "eva"
    with pytest.raises(AuthenticationError):
        services.auth.login("eva", "hemmelig123")


def test_only_admin_creates_users(services):
    admin = make_user(services, "admin")
    lead = make_user(services, "team_lead")
    with pytest.raises(PermissionDenied):
        services.users.create_user(lead, username="x", full_name="X", role="doctor", password="hemmelig123")
    row = services.users.create_user(admin, username="Ny.Bruger", full_name="Ny Bruger", role="doctor",
                                     password="hemmelig123")
    assert row.username == "ny.bruger" and row.initials == "NB"
    with pytest.raises(ValidationError, match="allerede i brug"):
        services.users.create_user(admin, username="ny.bruger", full_name="Y", role="doctor", password="hemmelig123")
    with services.db.read() as s:
        stored = s.scalar(select(User.password_hash).where(User.username == "ny.bruger"))
    assert stored.startswith("$argon2id$")


def test_reauthenticate_after_idle_needs_the_same_users_password(services):
    actor = make_user(services, "coordinator", "sofie")
    make_user(services, "coordinator", "other", password="anden-kode-1")
    services.auth.reauthenticate(actor, "hemmelig123")
    with pytest.raises(AuthenticationError):
        services.auth.reauthenticate(actor, "anden-kode-1")


def test_first_admin_only_on_empty_database(services):
    actor = services.auth.create_first_admin("chef", "Chef Admin", "hemmelig123")
    assert actor.role == "admin"
    with pytest.raises(ValidationError, match="allerede brugere"):
        services.auth.create_first_admin("chef2", "Chef To", "hemmelig123")


def test_user_email_follows_the_one_email_rule(services):
    admin = make_user(services, "admin")
    with pytest.raises(ValidationError, match="E-mail: er ikke en gyldig e-mailadresse"):
        services.users.create_user(admin, username="lone", full_name="Lone Holm", role="doctor",
                                   password="hemmelig123", email="lone")
    row = services.users.create_user(admin, username="lone", full_name="Lone Holm", role="doctor",
                                     password="hemmelig123", email="lone@tta.example")
    with pytest.raises(ValidationError, match="E-mail: er ikke en gyldig e-mailadresse"):
        services.users.update_user(admin, row.id, expected_version=row.version, full_name="Lone Holm",
                                   role="doctor", email="lone@", active=True)
    assert services.users.update_user(admin, row.id, expected_version=row.version, full_name="Lone Holm",
                                      role="doctor", email="", active=True).email == ""
