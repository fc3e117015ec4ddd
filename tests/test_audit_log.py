"""What the audit log holds: search texts without full CPR numbers, an entry for every read path,
retention (purge) and the extract about one citizen (GDPR art. 15)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.validation import mask_cprs_in_text
from db.models import AuditEntry, CaseConference, RoundTableMeeting, Task
from tests.factories import make_case, make_user


def _entries(services, **where):
    with services.db.read() as s:
        q = select(AuditEntry).order_by(AuditEntry.id)
        for k, v in where.items():
            q = q.where(getattr(AuditEntry, k) == v)
        entries = list(s.scalars(q))
        s.expunge_all()   # loaded, and kept so when the read transaction ends
        return entries


# -- CPR numbers in stored texts ------------------------------------------------------------------------
def test_cpr_numbers_in_text_are_cut_to_the_birth_date():
    assert mask_cprs_in_text("1705841234") == "170584-xxxx"
    assert mask_cprs_in_text("170584-1234 og 170584 1234") == "170584-xxxx og 170584-xxxx"
    assert mask_cprs_in_text("søgte 7705841234, så 1705841") == "søgte 770584-xxxx, så 170584-xxxx"
    # A birth date alone, a phone number, a case number, an 11-digit number: left as they are.
    for kept in ("170584", "20 30 40 50", "20304050", "TTA-2026-00012", "17058412345", "Åse Østergaard"):
        assert mask_cprs_in_text(kept) == kept


def test_search_texts_and_typed_user_names_are_stored_masked(services):
    coord = make_user(services, "coordinator", "mette")
    make_case(services)
    services.cases.search_ids(coord, "170584-1234")
    services.cases.search_ids(coord, "1705841234")
    services.cases.search_ids(coord, "østergaard")
    from app.errors import AuthenticationError
    try:
        services.auth.login("170584-1234", "forkert")
    except AuthenticationError:
        pass
    assert [e.detail for e in _entries(services, action="search")] == ["170584-xxxx", "170584-xxxx", "østergaard"]
    assert [e.username for e in _entries(services, action="login_failed")] == ["170584-xxxx"]


# -- every read path writes its entry ------------------------------------------------------------------------
def _read_entries(services, user_id):
    return [(e.entity, e.case_id, e.case_ids) for e in _entries(services, user_id=user_id, action="read")]


def test_every_read_path_writes_its_entry(services, clock):
    coord = make_user(services, "coordinator", "mette")
    lead = make_user(services, "team_lead", "tove")
    first = make_case(services, coordinator_id=coord.user_id)
    second = make_case(services, first_name="Bo", last_name="Holm", coordinator_id=coord.user_id)
    today = clock().date()
    with services.db.write() as s:
        s.add(Task(case_id=second, title="Ring til lægen", owner_id=coord.user_id,
                   due_date=today - dt.timedelta(days=1), created_by_id=coord.user_id))
        s.add(RoundTableMeeting(case_id=first, meeting_date=today + dt.timedelta(days=2)))
        s.add(CaseConference(held_on=today))

    ids = services.cases.search_ids(coord)                       # no text: not a search, no entry
    assert services.cases.list_rows(coord, ids) and services.cases.list_rows(coord, []) == []
    services.dashboard.dashboard(coord)
    services.meetings.list_meetings(coord)
    services.after_follow_up.list_for_case(coord, first)
    assert _read_entries(services, coord.user_id) == [
        ("case_list", None, f"{second},{first}"),     # one entry per block, naming its cases in order
        ("dashboard", None, f"{second}"),             # the cases the task list names
        ("meeting_list", None, f"{first}"),
        ("after_follow_up", first, ""),
    ]
    services.conferences.list_conferences(lead)
    services.dashboard.dashboard(lead)
    services.audit_log.entries(lead, case_id=first, action="read")
    assert _read_entries(services, lead.user_id) == [
        ("conference_list", None, ""), ("dashboard", None, f"{second}"), ("audit_log", first, "")]
    assert _entries(services, user_id=lead.user_id)[-1].detail == "filter: handling read"


def test_a_case_access_log_includes_the_lists_that_showed_it(services):
    coord = make_user(services, "coordinator", "mette", full_name="Mette Holm")
    lead = make_user(services, "team_lead", "tove")
    first = make_case(services, coordinator_id=coord.user_id)
    second = make_case(services, coordinator_id=coord.user_id)
    services.cases.list_rows(coord, [first, second])
    services.cases.list_rows(coord, [second])
    services.cases.get_case(coord, first)
    rows = services.audit_log.entries(lead, case_id=first)
    assert [(r.user, r.action, r.entity) for r in rows] == [("Mette Holm", "read", "tta_case"),
                                                            ("Mette Holm", "read", "case_list")]
    # Case 11 is not case 1: the ids are matched whole.
    assert services.audit_log.entries(lead, case_id=int(f"{first}1")) == []
