"""Every read and change of a case is logged; concurrent edits give a conflict, never an overwrite."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.errors import AuthenticationError, ConflictError, PermissionDenied, ValidationErrors
from app.services import Services
from db.models import AuditEntry, Case
from db.session import open_database
from tests.factories import make_case, make_user


def _log(services, **where):
    with services.db.read() as s:
        q = select(AuditEntry).order_by(AuditEntry.id)
        for k, v in where.items():
            q = q.where(getattr(AuditEntry, k) == v)
        return [(e.action, e.username, e.fields, e.detail) for e in s.scalars(q)]


def test_reading_changing_and_searching_a_case_is_logged(services):
    coord = make_user(services, "coordinator", "mette")
    case_id = make_case(services, coordinator_id=coord.user_id)
    detail = services.cases.get_case(coord, case_id)
    services.cases.update_case(coord, case_id, expected_version=detail.version,
                               changes={"employer_name": "Aarhus Kommune", "job_title": "Pædagog"})
    services.cases.search_ids(coord, "øster")
    services.cases.reveal_cpr(coord, case_id)
    entries = _log(services, case_id=case_id)
    assert [(e[0], e[1]) for e in entries] == [("read", "mette"), ("update", "mette"), ("reveal_cpr", "mette")]
    assert entries[1][2] == "employer_name,job_title"
    search = _log(services, action="search")
    assert search[-1][3] == "øster" and search[-1][1] == "mette"
    # The log names the case id, never the CPR number.
    assert all(detail.cpr_masked[:6] not in (e[2] + e[3]) for e in entries)


def test_admin_cannot_read_cases_and_denial_leaves_no_read(services):
    admin = make_user(services, "admin")
    case_id = make_case(services)
    with pytest.raises(PermissionDenied):
        services.cases.get_case(admin, case_id)
    assert _log(services, case_id=case_id) == []


def test_second_editor_gets_conflict_not_silent_overwrite(services):
    a = make_user(services, "coordinator", "anna")
    b = make_user(services, "team_lead", "bo")
    case_id = make_case(services, coordinator_id=a.user_id)
    seen_by_a = services.cases.get_case(a, case_id).version
    seen_by_b = services.cases.get_case(b, case_id).version
    services.cases.update_case(a, case_id, expected_version=seen_by_a, changes={"employer_name": "Annas firma"})
    with pytest.raises(ConflictError, match="En anden bruger har ændret forløbet"):
        services.cases.update_case(b, case_id, expected_version=seen_by_b, changes={"employer_name": "Bos firma"})
    assert services.cases.get_case(a, case_id).values["employer_name"] == "Annas firma"
    # After reloading, B can save.
    fresh = services.cases.get_case(b, case_id).version
    services.cases.update_case(b, case_id, expected_version=fresh, changes={"employer_name": "Bos firma"})
    assert services.cases.get_case(a, case_id).values["employer_name"] == "Bos firma"


def test_race_inside_transactions_raises_conflict(db_url, clock):
    """Two connections load the same row; the later UPDATE hits version_id_col and becomes a conflict."""
    first = Services(open_database(db_url), clock=clock)
    second = Services(open_database(db_url), clock=clock)
    coord = make_user(first, "coordinator")
    case_id = make_case(first, coordinator_id=coord.user_id)
    # Session A reads the row (version 1) in its own session, outside any write lock...
    with first.db.read() as sa:
        stale = sa.get(Case, case_id)
        assert stale.version == 1
        sa.expunge(stale)
    # ...meanwhile B saves through the service layer.
    second.cases.update_case(coord, case_id, expected_version=1, changes={"job_title": "Sygeplejerske"})

    # A now flushes a change of the object it loaded earlier, inside a service write transaction.
    def write_stale(s):
        obj = s.merge(stale, load=False)
        obj.job_title = "Lærer"
        s.flush()
    with pytest.raises(ConflictError):
        first.cases._write(coord, "case.update", write_stale, what="forløbet")
    assert second.cases.get_case(coord, case_id).values["job_title"] == "Sygeplejerske"
    first.close()
    second.close()


def test_bad_input_names_field_and_rule_and_saves_nothing(services):
    coord = make_user(services, "coordinator")
    case_id = make_case(services, coordinator_id=coord.user_id)
    v = services.cases.get_case(coord, case_id).version
    with pytest.raises(ValidationErrors) as info:
        services.cases.update_case(coord, case_id, expected_version=v,
                                   changes={"employer_name": "Ny arbejdsgiver", "subgroup": 9})
    assert [e.field for e in info.value.errors] == ["subgroup"]
    assert info.value.message == "Undergruppe: skal være en af valgmulighederne"
    after = services.cases.get_case(coord, case_id)
    assert after.values["employer_name"] == "Region Test" and after.version == v


def test_access_log_rows_name_people_and_cases_not_ids_and_logins(services, clock):
    coord = make_user(services, "coordinator", "mette", full_name="Mette Holm")
    lead = make_user(services, "team_lead", "tove", full_name="Tove Lund")
    case_id = make_case(services, coordinator_id=coord.user_id)
    number = services.cases.get_case(coord, case_id).case_number
    services.cases.reveal_cpr(coord, case_id)
    rows = services.audit_log.entries(lead, case_id=case_id)
    assert [(r.user, r.action, r.entity, r.case_number) for r in rows] == [
        ("Mette Holm", "reveal_cpr", "citizen", number), ("Mette Holm", "read", "tta_case", number)]
    # Tove's own reading of the log a moment ago is in the log too.
    assert [(r.user, r.action, r.entity) for r in services.audit_log.entries(lead, user_id=lead.user_id)] == [
        ("Tove Lund", "read", "audit_log"), ("Tove Lund", "login", "user_account")]
    # Without a matching user (a mistyped login) the typed name is all there is.
    with pytest.raises(AuthenticationError):
        services.auth.login("ukendt", "forkert")
    failed = services.audit_log.entries(lead, action="login_failed")
    assert [(r.user, r.user_id, r.case_number) for r in failed] == [("ukendt", None, "")]
    found = services.audit_log.case_for_access_log(make_user(services, "admin"), number.lower())
    assert (found.case_id, found.case_number, found.citizen_name) == (case_id, number, "Mette Østergaard")
