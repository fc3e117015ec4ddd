"""Need-to-know: the stated reason ("Begrund adgang"), its expiry, the team lead's review, and what
lists and searches show of cases a user is not on. The full role x call table is in
tests/test_access_matrix.py."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app import access
from app.errors import NeedToKnow, NotFound, PermissionDenied, ValidationError
from db.codes import ROLES
from db.models import AuditEntry, Case, CaseAccessGrant, Citizen, RoundTableMeeting
from tests.factories import make_case, make_user

REASON = "Dækker for Mette ved casekonferencen"
READERS = [r for r in ROLES if r != "admin"]


def _count(services, model, *where) -> int:
    with services.db.read() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _cpr(services, case_id: int) -> str:
    with services.db.read() as s:
        return s.scalar(select(Citizen.cpr).join(Case, Case.citizen_id == Citizen.id).where(Case.id == case_id))


@pytest.fixture
def team(services):
    return {"coord": make_user(services, "coordinator", "mette", full_name="Mette Holm"),
            "psych": make_user(services, "psychologist", "pia", full_name="Pia Berg"),
            "doctor": make_user(services, "doctor", "lars", full_name="Lars Krog"),
            "lead": make_user(services, "team_lead", "tove", full_name="Tove Lund"),
            "admin": make_user(services, "admin", "adam", full_name="Adam Admin")}


def test_a_stated_reason_opens_the_record_logged_and_for_twelve_hours(services, clock, team):
    psych = team["psych"]
    case_id = make_case(services, coordinator_id=team["coord"].user_id)
    with pytest.raises(NeedToKnow) as refused:
        services.cases.get_case(psych, case_id)
    assert isinstance(refused.value, PermissionDenied)  # the UI's permission path still applies
    assert refused.value.case_id == case_id
    assert "begrunde din adgang" in refused.value.message
    granted_at = clock()
    grant = services.cases.grant_access(psych, case_id, f"  {REASON}  ")
    assert (grant.case_id, grant.granted_at, grant.expires_at) == (case_id, granted_at,
                                                                   granted_at + dt.timedelta(hours=12))
    assert services.cases.get_case(psych, case_id).id == case_id
    with services.db.read() as s:
        entry = s.execute(select(AuditEntry.user_id, AuditEntry.case_id, AuditEntry.entity, AuditEntry.entity_id,
                                 AuditEntry.detail).where(AuditEntry.action == "grant_access")).one()
        stored = s.execute(select(CaseAccessGrant.id, CaseAccessGrant.reason)).one()
    assert tuple(entry) == (psych.user_id, case_id, "case_access_grant", stored.id, REASON)
    assert stored.reason == REASON
    clock.advance(hours=11, minutes=59)
    services.journal.add_note(psych, case_id, note_date=clock().date(), kind="phone", text="Samtale.")
    clock.advance(minutes=1)
    with pytest.raises(NeedToKnow):
        services.cases.get_case(psych, case_id)
    # A new reason is a new grant from now, logged on its own.
    services.cases.grant_access(psych, case_id, "Borgeren ringede og spurgte efter Mette")
    services.cases.get_case(psych, case_id)
    assert _count(services, CaseAccessGrant) == 2
    assert _count(services, AuditEntry, AuditEntry.action == "grant_access") == 2


def test_a_grant_opens_one_case_to_one_user(services, team):
    psych, doctor = team["psych"], team["doctor"]
    first = make_case(services, first_name="Første")
    second = make_case(services, first_name="Anden")
    services.cases.grant_access(psych, first, REASON)
    services.cases.get_case(psych, first)
    for actor, case_id in ((psych, second), (doctor, first)):
        with pytest.raises(NeedToKnow):
            services.cases.get_case(actor, case_id)


BAD_REASONS = [
    ("", "skal udfyldes"),
    ("   ", "skal udfyldes"),
    (None, "skal være tekst"),   # a wrong type is refused at the service boundary,
    ("Ja", "mindst 5 tegn"),
    ("x" * 201, "højst være 200 tegn"),
    ("Første linje\nanden linje", "kontroltegn"),
    ("Med\ttabulator", "kontroltegn"),
    ("Med\x00nul", "kontroltegn"),
    ("Skjult\u202eomvendt tekst", "kontroltegn"),
]


def test_the_reason_is_required_bounded_and_one_plain_line(services):
    psych = make_user(services, "psychologist")
    case_id = make_case(services)
    for reason, rule in BAD_REASONS:
        with pytest.raises(ValidationError) as info:
            services.cases.grant_access(psych, case_id, reason)
        assert info.value.field == "reason" and rule in info.value.message, reason
    assert _count(services, CaseAccessGrant) == 0
    assert _count(services, AuditEntry, AuditEntry.action == "grant_access") == 0


def test_the_reason_may_be_two_hundred_characters(services):
    case_id = make_case(services)
    services.cases.grant_access(make_user(services, "doctor"), case_id, "æ" * 200)
    with services.db.read() as s:
        assert s.scalar(select(CaseAccessGrant.reason)) == "æ" * 200


def test_no_grant_for_those_who_read_without_a_reason(services, team):
    coord, psych, lead = team["coord"], team["psych"], team["lead"]
    case_id = make_case(services, coordinator_id=coord.user_id, team_member_ids=[psych.user_id])
    for actor in (coord, psych, lead):
        assert services.cases.grant_access(actor, case_id, REASON) is None
    assert _count(services, CaseAccessGrant) == 0
    assert _count(services, AuditEntry, AuditEntry.action == "grant_access") == 0


def test_the_administrator_reads_no_case_whatever_is_stored(services, clock, team):
    admin = team["admin"]
    case_id = make_case(services, coordinator_id=admin.user_id, team_member_ids=[admin.user_id])
    with services.db.write() as s:
        s.add(CaseAccessGrant(user_id=admin.user_id, case_id=case_id, reason=REASON, granted_at=clock(),
                              expires_at=clock() + dt.timedelta(hours=1)))
        assert access.case_access(s, admin, case_id, now=clock()) == access.NONE
    for call in (lambda: services.cases.get_case(admin, case_id),
                 lambda: services.cases.grant_access(admin, case_id, REASON),
                 lambda: services.cases.search_ids(admin, ""),
                 lambda: services.cases.list_rows(admin, [case_id]),
                 lambda: services.journal.notes(admin, case_id)):
        with pytest.raises(PermissionDenied) as info:
            call()
        assert not isinstance(info.value, NeedToKnow)  # no reason would open it
    # The access log of the case stays open to them, to answer a citizen's request for insight.
    services.audit_log.entries(admin, case_id=case_id)


def test_case_access_levels_and_an_unknown_case(services, clock, team):
    coord, psych = team["coord"], team["psych"]
    case_id = make_case(services, coordinator_id=coord.user_id)
    with services.db.read() as s:
        levels = {name: access.case_access(s, team[name], case_id, now=clock()) for name in team}
        with pytest.raises(NotFound):
            access.case_access(s, psych, case_id + 1000, now=clock())
        with pytest.raises(NotFound):
            access.case_access(s, team["admin"], case_id + 1000, now=clock())
    assert levels == {"coord": "full", "psych": "summary", "doctor": "summary", "lead": "full", "admin": "none"}
    with pytest.raises(NotFound):
        services.cases.grant_access(psych, case_id + 1000, REASON)


def test_joining_and_leaving_the_case_team_opens_and_closes_the_record(services, team):
    coord, psych = team["coord"], team["psych"]
    case_id = make_case(services, coordinator_id=coord.user_id)
    v = services.cases.get_case(coord, case_id).version
    v = services.cases.update_case(coord, case_id, expected_version=v, changes={"team_member_ids": [psych.user_id]})
    services.journal.notes(psych, case_id)
    task_id = services.tasks.create_task(coord, case_id, title="Samtale om søvn", due=dt.date(2026, 11, 30),
                                         owner_id=psych.user_id)
    services.cases.update_case(coord, case_id, expected_version=v, changes={"team_member_ids": []})
    with pytest.raises(NeedToKnow):
        services.journal.notes(psych, case_id)
    # Off the case, the psychologist's open task on it goes to the coordinator: its title is case data.
    assert "Samtale om søvn" not in [t.title for t in services.tasks.my_tasks(psych).all()]
    assert services.tasks.task(coord, task_id).owner == "Mette Holm"


def test_a_stated_reason_gives_no_say_over_who_is_on_the_case(services, team):
    coord = team["coord"]
    other = make_user(services, "coordinator", "søren")
    case_id = make_case(services, coordinator_id=coord.user_id)
    services.cases.grant_access(other, case_id, REASON)
    v = services.cases.get_case(other, case_id).version
    with pytest.raises(PermissionDenied, match="hvem der er på forløbet") as info:
        services.cases.update_case(other, case_id, expected_version=v,
                                   changes={"job_title": "Pædagog", "team_member_ids": [other.user_id]})
    assert not isinstance(info.value, NeedToKnow)
    d = services.cases.get_case(other, case_id)
    assert (d.version, d.team_member_ids, d.values["job_title"]) == (v, [], "")
    # Within the role's rights otherwise: the stated reason lets the coordinator change the case.
    services.cases.update_case(other, case_id, expected_version=v, changes={"job_title": "Pædagog"})


def test_a_caseload_move_hands_the_record_to_the_new_coordinator(services, team):
    coord, lead = team["coord"], team["lead"]
    other = make_user(services, "coordinator", "søren")
    case_id = make_case(services, coordinator_id=coord.user_id)
    with pytest.raises(NeedToKnow):
        services.cases.get_case(other, case_id)
    assert services.caseload.move_cases(lead, from_user_id=coord.user_id, to_user_id=other.user_id) == 1
    services.cases.get_case(other, case_id)
    with pytest.raises(NeedToKnow):
        services.cases.get_case(coord, case_id)


# -- the team lead's review ---------------------------------------------------------------------
def test_the_team_lead_reviews_the_stated_reasons(services, clock, team):
    psych, doctor, lead = team["psych"], team["doctor"], team["lead"]
    first = make_case(services, first_name="Åse", last_name="Østergaard")
    second = make_case(services, first_name="Bent", last_name="Berg")
    services.cases.grant_access(psych, first, REASON)
    clock.advance(days=1)
    services.cases.grant_access(doctor, second, "Lægefaglig vurdering til konferencen")
    clock.advance(hours=13)
    services.cases.grant_access(psych, second, "Vikar for koordinatoren i dag")
    rows = services.access_review.list_grants(lead)
    numbers = {cid: services.cases.get_case(lead, cid).case_number for cid in (first, second)}
    assert [(r.user, r.role, r.case_number, r.citizen, r.reason, r.active) for r in rows] == [
        ("Pia Berg", "psychologist", numbers[second], "Bent Berg", "Vikar for koordinatoren i dag", True),
        ("Lars Krog", "doctor", numbers[second], "Bent Berg", "Lægefaglig vurdering til konferencen", False),
        ("Pia Berg", "psychologist", numbers[first], "Åse Østergaard", REASON, False),
    ]
    assert rows[0].expires_at - rows[0].granted_at == dt.timedelta(hours=12)
    assert [r.reason for r in services.access_review.list_grants(lead, user_id=doctor.user_id)] == [
        "Lægefaglig vurdering til konferencen"]
    assert [r.case_id for r in services.access_review.list_grants(lead, case_id=first)] == [first]
    assert len(services.access_review.list_grants(lead, since=dt.date(2026, 11, 23))) == 2
    assert len(services.access_review.list_grants(lead, until=dt.date(2026, 11, 22))) == 1
    # Each review is logged; the reasons also stand in the case's access log.
    reviews = [r for r in services.audit_log.entries(lead, user_id=lead.user_id) if r.entity == "case_access_grant"]
    assert len(reviews) == 5 and all(r.action == "read" for r in reviews)
    assert [r.detail for r in services.audit_log.entries(lead, case_id=first, action="grant_access")] == [REASON]


def test_only_the_team_lead_reviews_and_a_refused_review_leaves_no_trace(services):
    services.cases.grant_access(make_user(services, "doctor"), make_case(services), REASON)
    for role in ROLES:
        if role == "team_lead":
            continue
        actor = make_user(services, role)
        before = _count(services, AuditEntry)
        with pytest.raises(PermissionDenied):
            services.access_review.list_grants(actor)
        assert _count(services, AuditEntry) == before, role


# -- lists and searches -------------------------------------------------------------------------
def test_lists_show_the_row_and_say_whether_the_record_opens(services, team):
    coord, psych = team["coord"], team["psych"]
    mine = make_case(services, first_name="Egen", coordinator_id=coord.user_id, team_member_ids=[psych.user_id])
    other = make_case(services, first_name="Fremmed", coordinator_id=coord.user_id)
    ids = services.cases.search_ids(psych, "", sort="case_number", descending=False)
    assert ids == [mine, other]
    rows = services.cases.list_rows(psych, ids)
    assert [(r.name, r.access, r.coordinator) for r in rows] == [
        ("Egen Østergaard", "full", "Mette Holm"), ("Fremmed Østergaard", "summary", "Mette Holm")]
    assert rows[1].cpr_masked.endswith("-xxxx")
    services.cases.grant_access(psych, other, REASON)
    assert [r.access for r in services.cases.list_rows(psych, ids)] == ["full", "full"]
    assert [r.access for r in services.cases.list_rows(team["lead"], ids)] == ["full", "full"]


def test_searching_by_cpr_finds_the_cases_without_spelling_out_the_number(services, team):
    coord, psych = team["coord"], team["psych"]
    case_id = make_case(services, coordinator_id=coord.user_id)
    cpr = _cpr(services, case_id)
    assert services.cases.search_ids(psych, f"{cpr[:6]}-{cpr[6:]}") == [case_id]   # the full number
    assert services.cases.search_ids(psych, cpr[:6]) == [case_id]                  # the birth date, as listed
    for digits in (7, 8, 9):
        # Digit by digit, a prefix search would reveal the whole number of a case one may not open.
        assert services.cases.search_ids(psych, cpr[:digits]) == [], digits
        assert services.cases.search_ids(coord, cpr[:digits]) == [case_id], digits
    row = services.cases.list_rows(psych, [case_id])[0]
    assert cpr[6:] not in row.cpr_masked and row.access == "summary"
    with pytest.raises(NeedToKnow):
        services.cases.reveal_cpr(psych, case_id)


def test_the_meeting_list_holds_the_meetings_of_cases_read_in_full(services, clock, team):
    coord, psych, doctor, lead = team["coord"], team["psych"], team["doctor"], team["lead"]
    theirs = make_case(services, coordinator_id=coord.user_id, team_member_ids=[psych.user_id])
    others = make_case(services, coordinator_id=coord.user_id)
    with services.db.write() as s:
        for cid in (theirs, others):
            s.add(RoundTableMeeting(case_id=cid, meeting_date=dt.date(2026, 12, 1), location="Arbejdspladsen"))

    def listed(actor):
        return sorted(m.case_id for m in services.meetings.list_meetings(actor))
    assert listed(coord) == listed(lead) == [theirs, others]
    assert listed(psych) == [theirs]
    assert listed(doctor) == []
    services.cases.grant_access(doctor, others, REASON)
    assert listed(doctor) == [others]
    clock.advance(hours=12)
    assert listed(doctor) == []


def test_lists_across_cases_are_open_to_the_team_and_closed_to_the_administrator(services):
    case_id = make_case(services)
    for role in ROLES:
        actor = make_user(services, role)
        calls = [lambda a: services.cases.search_ids(a, "østergaard"),
                 lambda a: services.cases.list_rows(a, [case_id]),
                 lambda a: services.dashboard.dashboard(a),
                 lambda a: services.meetings.list_meetings(a),
                 lambda a: services.conferences.list_conferences(a)]
        for call in calls:
            if role in READERS:
                call(actor)
            else:
                with pytest.raises(PermissionDenied):
                    call(actor)


def test_full_cpr_look_ups_are_logged_and_limited(services, clock, team):
    """A whole CPR number finds a person's cases; trying the last four digits after a birth date would
    spell out anyone's number, so each look-up is logged and one user gets 30 different ones an hour."""
    from app.services.cases import CPR_LOOKUPS_PER_HOUR
    psych = team["psych"]
    for n in range(CPR_LOOKUPS_PER_HOUR):
        services.cases.search_ids(psych, f"010170{n:04d}", log=False)
    services.cases.list_page(psych, f"010170{CPR_LOOKUPS_PER_HOUR - 1:04d}")   # the same search's first screen
    with pytest.raises(ValidationError, match="højst 30 opslag på fulde CPR-numre"):
        services.cases.search_ids(psych, "010170-9999", log=False)
    with pytest.raises(ValidationError, match="højst 30"):
        services.cases.list_page(psych, "0101709998")
    with services.db.read() as s:
        looked_up = s.scalars(select(AuditEntry.detail).where(AuditEntry.entity == "cpr",
                                                              AuditEntry.user_id == psych.user_id)).all()
    assert len(looked_up) == CPR_LOOKUPS_PER_HOUR and set(looked_up) == {"010170-xxxx"}
    # An hour later the user may look up again; the team lead is not limited.
    clock.now += dt.timedelta(minutes=61)
    services.cases.search_ids(psych, "0101709999", log=False)
    for n in range(CPR_LOOKUPS_PER_HOUR + 1):
        services.cases.search_ids(team["lead"], f"020170{n:04d}", log=False)


def test_the_referral_forms_cpr_look_up_is_for_who_makes_referrals(services, team):
    with pytest.raises(PermissionDenied):
        services.referrals.known_person(team["psych"], "010170-1234")
    assert services.referrals.known_person(team["coord"], "010170-1234") is None
    with services.db.read() as s:
        assert s.scalar(select(AuditEntry.detail).where(AuditEntry.entity == "cpr")) == "010170-xxxx"
