"""Verified sessions: the service layer checks the acting user's session on every call.

A made-up Actor, a made-up token, a logged-out session and the Actor of a user who has since been
deactivated, demoted or locked out are all refused with ``SessionInvalid``; a pending password
change allows only the change itself; the audit log never credits a user who does not exist.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select

from app.errors import AuthenticationError, PasswordChangeRequired, PermissionDenied, SessionInvalid
from app.services import SYSTEM, Actor
from app.services.base import TOUCH_INTERVAL
from db.models import AuditEntry, User, UserSession
from tests.factories import make_case, make_user

SESSION_MESSAGE = "Din session er ikke længere gyldig. Log ind igen."


def _user_row(services, admin, username):
    return next(u for u in services.users.list_users(admin) if u.username == username)


def _audit(services, action=None):
    with services.db.read() as s:
        q = select(AuditEntry.user_id, AuditEntry.username, AuditEntry.action, AuditEntry.detail).order_by(
            AuditEntry.id)
        if action:
            q = q.where(AuditEntry.action == action)
        return s.execute(q).all()


def _session_calls(services, case_id):
    """Service calls across features that read or write with an actor (no permission is missing
    for a coordinator, so only the session can refuse them)."""
    return {
        "cases.search_ids": lambda a: services.cases.search_ids(a, ""),
        "cases.get_case": lambda a: services.cases.get_case(a, case_id),
        "cases.reveal_cpr": lambda a: services.cases.reveal_cpr(a, case_id),
        "journal.notes": lambda a: services.journal.notes(a, case_id),
        "dashboard.dashboard": lambda a: services.dashboard.dashboard(a),
        "team.members": lambda a: services.team.members(a),
        "users.list_users": lambda a: services.users.list_users(a),
        "statistics.outcome_table": lambda a: services.statistics.outcome_table(a, dt.date(2026, 1, 1),
                                                                                 dt.date(2026, 12, 31)),
        "meetings.list_meetings": lambda a: services.meetings.list_meetings(a),
    }


def test_a_logged_in_actor_works_and_carries_its_session(services):
    coord = make_user(services, "coordinator", "mette")
    case_id = make_case(services, coordinator_id=coord.user_id)
    assert coord.session_token and coord.session_token not in repr(coord)
    for call in _session_calls(services, case_id).values():
        call(coord)
    with services.db.read() as s:
        stored = s.scalars(select(UserSession.token_hash)).all()
    assert coord.session_token not in stored and len(stored) == 1  # only a digest is kept


@pytest.mark.parametrize("forge", ["unknown_user", "made_up_token", "no_token", "other_users_token"])
def test_forged_actors_are_refused_on_every_call_and_credited_to_nobody(services, forge):
    coord = make_user(services, "coordinator", "mette")
    other = make_user(services, "coordinator", "lone")
    case_id = make_case(services, coordinator_id=coord.user_id)
    forged = {
        "unknown_user": Actor(9999, "ghost", "Ghost", "coordinator", session_token="y" * 43),
        "made_up_token": dataclasses.replace(coord, session_token="x" * 43),
        "no_token": Actor(coord.user_id, "mette", "Test Coordinator", "coordinator"),
        "other_users_token": dataclasses.replace(coord, session_token=other.session_token),
    }[forge]
    before = len(_audit(services))
    for name, call in _session_calls(services, case_id).items():
        with pytest.raises(SessionInvalid) as info:
            call(forged)
        assert info.value.message == SESSION_MESSAGE, name
    entries = _audit(services)[before:]
    # Reads and writes alike wrote nothing but the refusals, and those credit no user.
    assert {e.action for e in entries} == {"session_refused"}
    assert all(e.user_id is None for e in entries)
    assert "ghost" not in {e.username for e in entries}


def test_stolen_token_presented_as_another_user_ends_that_session(services):
    coord = make_user(services, "coordinator", "mette")
    other = make_user(services, "coordinator", "lone")
    with pytest.raises(SessionInvalid) as info:
        services.team.members(dataclasses.replace(other, session_token=coord.session_token))
    assert info.value.reason == "other_user"
    with pytest.raises(SessionInvalid):
        services.team.members(coord)  # the token was exposed: it no longer works for anyone
    services.team.members(other)


def test_deactivated_user_is_refused_and_stays_out_when_reactivated(services):
    admin = make_user(services, "admin", "admin")
    coord = make_user(services, "coordinator", "mette")
    row = _user_row(services, admin, "mette")
    row = services.users.update_user(admin, row.id, expected_version=row.version, full_name=row.full_name,
                                     role=row.role, email="", active=False)
    with pytest.raises(SessionInvalid) as info:
        services.team.members(coord)
    assert info.value.reason == "inactive"
    services.users.update_user(admin, row.id, expected_version=row.version, full_name=row.full_name,
                               role=row.role, email="", active=True)
    with pytest.raises(SessionInvalid) as info:
        services.team.members(coord)
    assert info.value.reason == "ended"
    services.team.members(services.auth.login("mette", "hemmelig123"))
    refused = _audit(services, "session_refused")
    assert [(e.user_id, e.username, e.detail) for e in refused] == [(None, "mette", "inactive"),
                                                                    (None, "mette", "ended")]


def test_demoted_user_is_refused_and_the_next_login_has_the_new_role(services):
    admin = make_user(services, "admin", "admin")
    lead = make_user(services, "team_lead", "tove")
    row = _user_row(services, admin, "tove")
    services.users.update_user(admin, row.id, expected_version=row.version, full_name=row.full_name,
                               role="psychologist", email="", active=True)
    with pytest.raises(SessionInvalid) as info:
        services.audit_log.entries(lead)  # a team lead's right, checked against the role as stored now
    assert info.value.reason == "role_changed"
    again = services.auth.login("tove", "hemmelig123")
    assert again.role == "psychologist"
    with pytest.raises(PermissionDenied):
        services.audit_log.entries(again)


def test_locked_user_is_refused(services, clock):
    coord = make_user(services, "coordinator", "mette")
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            services.auth.login("mette", "forkert")
    with pytest.raises(SessionInvalid) as info:
        services.team.members(coord)
    assert info.value.reason == "locked"
    clock.advance(minutes=16)
    with pytest.raises(SessionInvalid):  # the lock ended that session for good
        services.team.members(coord)
    services.team.members(services.auth.login("mette", "hemmelig123"))


def test_logged_out_session_is_refused(services):
    coord = make_user(services, "coordinator", "mette")
    services.auth.logout(coord)
    with pytest.raises(SessionInvalid) as info:
        services.team.members(coord)
    assert info.value.reason == "ended"
    services.auth.logout(coord)  # a second logout changes nothing
    with pytest.raises(SessionInvalid):
        services.auth.logout(dataclasses.replace(coord, session_token="made-up"))
    assert [(e.user_id, e.action) for e in _audit(services) if e.action in ("login", "logout")] == [
        (coord.user_id, "login"), (coord.user_id, "logout")]


def test_reauthenticate_after_the_lock_gives_a_new_session_with_the_role_as_stored_now(services):
    admin = make_user(services, "admin", "admin")
    coord = make_user(services, "coordinator", "mette")
    row = _user_row(services, admin, "mette")
    services.users.update_user(admin, row.id, expected_version=row.version, full_name=row.full_name,
                               role="doctor", email="", active=True)
    new = services.auth.reauthenticate(coord, "hemmelig123")
    assert (new.user_id, new.role) == (coord.user_id, "doctor")
    assert new.session_token != coord.session_token
    services.team.members(new)
    with pytest.raises(SessionInvalid):
        services.team.members(coord)
    with pytest.raises(AuthenticationError):
        services.auth.reauthenticate(new, "forkert")
    services.team.members(new)  # a failed unlock leaves the session as it was


def test_reauthenticate_can_leave_the_previous_session_open(services):
    coord = make_user(services, "coordinator", "mette")
    new = services.auth.reauthenticate(coord, "hemmelig123", end_previous=False)
    services.team.members(coord)
    services.team.members(new)


def test_pending_password_change_allows_only_the_change(services):
    admin = make_user(services, "admin", "admin")
    doctor = make_user(services, "doctor", "eva")
    eva_id = doctor.user_id
    services.users.reset_password(admin, eva_id, "midlertidig-1")
    with pytest.raises(SessionInvalid):  # the reset ended the sessions she had
        services.team.members(doctor)
    eva = services.auth.login("eva", "midlertidig-1")
    assert eva.must_change_password
    with pytest.raises(PasswordChangeRequired, match="ny adgangskode"):
        services.team.members(eva)
    with pytest.raises(PasswordChangeRequired):
        services.cases.search_ids(eva, "")
    eva = services.users.change_own_password(eva, "midlertidig-1", "egen-kode-123")
    assert not eva.must_change_password
    services.team.members(eva)  # the same session, now a normal one
    assert services.auth.login("eva", "egen-kode-123").must_change_password is False


def test_changing_the_password_ends_the_users_other_sessions(services):
    first = make_user(services, "coordinator", "mette")
    second = services.auth.login("mette", "hemmelig123")
    second = services.users.change_own_password(second, "hemmelig123", "ny-kode-123")
    services.team.members(second)
    with pytest.raises(SessionInvalid):
        services.team.members(first)


def test_system_actor_only_where_a_call_allows_it_and_never_credited_as_a_user(services):
    admin = make_user(services, "admin", "admin")
    case_id = make_case(services)
    with pytest.raises(SessionInvalid) as info:
        services.users.list_users(SYSTEM)
    assert info.value.reason == "system_not_allowed"
    with pytest.raises(PermissionDenied):  # SYSTEM holds no right to case data at all
        services.cases.get_case(SYSTEM, case_id)
    forged_system = dataclasses.replace(SYSTEM)  # equal, but not the one the code may hand out
    with pytest.raises(SessionInvalid):
        services.users.create_user(forged_system, username="x1", full_name="X", role="admin",
                                   password="hemmelig123")
    services.users.create_user(SYSTEM, username="reserve", full_name="Reserve Admin", role="admin",
                               password="hemmelig123")
    assert _user_row(services, admin, "reserve").role == "admin"
    assert [(e.user_id, e.username) for e in _audit(services, "create")] == [(None, "system")]


def test_last_seen_is_kept_current_without_a_write_per_call(services, clock):
    coord = make_user(services, "coordinator", "mette")
    login_time = clock.now

    def last_seen():
        with services.db.read() as s:
            return s.scalar(select(UserSession.last_seen_at).where(UserSession.user_id == coord.user_id))
    clock.advance(minutes=1)
    services.team.members(coord)
    assert last_seen() == login_time
    clock.advance(seconds=TOUCH_INTERVAL.total_seconds())
    services.team.members(coord)
    assert last_seen() == clock.now


def test_audit_entries_credit_the_user_found_in_the_database(services):
    coord = make_user(services, "coordinator", "mette", full_name="Mette Holm")
    case_id = make_case(services, coordinator_id=coord.user_id)
    # An Actor claiming another name than its account's is refused (name_changed); nothing in the
    # log ever names what it claimed. A valid call is credited to the stored user.
    claimed = dataclasses.replace(coord, username="someone-else")
    with pytest.raises(SessionInvalid):
        services.cases.reveal_cpr(claimed, case_id)
    assert _audit(services, "reveal_cpr") == []
    services.cases.reveal_cpr(services.auth.login("mette", "hemmelig123"), case_id)
    assert not any(e.username == "someone-else" for e in _audit(services))
    entry = _audit(services, "reveal_cpr")[-1]
    assert (entry.user_id, entry.username) == (coord.user_id, "mette")
    with services.db.read() as s:
        assert s.scalar(select(User.username).where(User.id == entry.user_id)) == "mette"


@pytest.mark.parametrize("claim", [{"full_name": "Tove Teamleder"}, {"username": "anne"},
                                   {"username": "anne", "full_name": "Anne Admin"}])
def test_a_session_with_another_name_than_the_account_is_refused(services, claim):
    """The names an Actor carries are printed (``printed_by``) and stored ("tilføjet af ..."): a valid
    session claiming another person's name gets nothing, and the session ends."""
    make_user(services, "admin", "anne", full_name="Anne Admin")
    coord = make_user(services, "coordinator", "mette", full_name="Mette Koordinator")
    conf_id = services.conferences.new_conference(coord, dt.date(2026, 11, 24))
    forged = dataclasses.replace(coord, **claim)
    with pytest.raises(SessionInvalid) as info:
        services.conferences.document(forged, conf_id)
    assert info.value.reason == "name_changed"
    with pytest.raises(SessionInvalid):   # the session is over, also for its true name
        services.conferences.document(coord, conf_id)
    assert [d for _u, name, _a, d in _audit(services, "session_refused") if name == "mette"] == ["name_changed",
                                                                                                 "ended"]


def test_a_renamed_user_is_refused_and_the_next_login_has_the_new_name(services):
    admin = make_user(services, "admin", "admin")
    coord = make_user(services, "coordinator", "mette", full_name="Mette Koordinator")
    conf_id = services.conferences.new_conference(coord, dt.date(2026, 11, 24))
    row = _user_row(services, admin, "mette")
    services.users.update_user(admin, row.id, expected_version=row.version, full_name="Mette Nyt-Navn",
                               role=row.role, email="", active=True)
    with pytest.raises(SessionInvalid) as info:
        services.conferences.document(coord, conf_id)
    assert info.value.reason == "name_changed"
    again = services.auth.login("mette", "hemmelig123")
    assert services.conferences.document(again, conf_id).printed_by == "Mette Nyt-Navn"
