"""A case's course through the services: referral, visitation, journal, closing, after-follow-up,
reopening and caseload moves, on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.errors import ConflictError, PermissionDenied, ValidationError, ValidationErrors
from app.services.referrals import SimilarPersonWarning
from db.models import AuditEntry, Case, Citizen, Task
from tests.factories import make_user, record_after_follow_up, referral_input

TODAY = dt.date(2026, 11, 22)  # the FakeClock's date


def count(services, model) -> int:
    with services.db.read() as s:
        return s.scalar(select(func.count()).select_from(model))


@pytest.fixture
def coord(services):
    return make_user(services, "coordinator", "mette")


def test_referral_rules_each_named_and_nothing_stored(services, coord):
    cases = [
        (dict(cpr="12345"), "cpr", "10 cifre"),
        (dict(cpr="320284-1234"), "cpr", "gyldig dato"),
        (dict(first_name=" "), "first_name", "skal udfyldes"),
        (dict(referral_date=TODAY + dt.timedelta(days=1)), "referral_date", "fremtiden"),
        (dict(sick_leave_start=dt.date(2026, 11, 11)), "sick_leave_start", "efter henvisningsdatoen"),
        (dict(icd10=["F4"]), "icd10", "gyldig kode"),
        (dict(absence_reasons=[]), "absence_reasons", "mindst én"),
        (dict(employer_name=""), "employer_name", "skal udfyldes"),
        (dict(email="aase(at)post"), "email", "gyldig e-mailadresse"),
        (dict(postcode="80000"), "postcode", "fire cifre"),
        (dict(caseworker_name="Bente\x00"), "caseworker_name", "kontroltegn"),
    ]
    for over, field, rule in cases:
        with pytest.raises(ValidationErrors) as info:
            services.referrals.create_referral(coord, referral_input(**over))
        err = info.value.for_field(field)
        assert err is not None and rule in err.message, (field, info.value.message)
    assert count(services, Case) == 0 and count(services, Citizen) == 0


def test_valid_referral_stores_case_and_links_known_citizen(services, coord):
    case_id = services.referrals.create_referral(coord, referral_input())
    d = services.cases.get_case(coord, case_id)
    assert d.case_number == "TTA-2026-00001" and d.phase == "referral" and d.values["coordinator_id"] == coord.user_id
    assert d.icd10 == ["F41.2", "F43.2"] and d.absence_reasons == ["Stress", "Angst"]
    assert d.values["birth_date"] == dt.date(1984, 12, 14) and d.values["sex"] == "female"
    assert d.contacts == [("manager", "Karen Holm", "8940 0000")]
    # A second open case for the same CPR is refused, naming the existing case.
    with pytest.raises(ValidationError, match="allerede et åbent forløb \\(TTA-2026-00001, koordinator"):
        services.referrals.create_referral(coord, referral_input())
    # Once closed, a new referral links to the same citizen.
    services.visitation.visitate(coord, case_id, expected_version=d.version, accepted=True)
    v = services.cases.get_case(coord, case_id).version
    services.closing.close_case(coord, case_id, expected_version=v, closed_date=TODAY, outcome="full_return")
    second = services.referrals.create_referral(coord, referral_input(referral_date=TODAY, address="Ny Vej 1"))
    assert count(services, Citizen) == 1
    known = services.referrals.known_person(coord, "7412841234")
    assert [c[0] for c in known.cases] == ["TTA-2026-00001", "TTA-2026-00002"]
    assert services.cases.get_case(coord, second).address.startswith("Ny Vej 1")


def test_similar_name_same_birth_date_warns_before_second_person(services, coord):
    services.referrals.create_referral(coord, referral_input())
    with pytest.raises(SimilarPersonWarning, match="Åse Østergaard"):
        services.referrals.create_referral(coord, referral_input(cpr="741284-1242", first_name="Aase Marie"))
    assert count(services, Citizen) == 1
    services.referrals.create_referral(coord, referral_input(cpr="741284-1242", first_name="Aase Marie"),
                                       confirm_similar_person=True)
    assert count(services, Citizen) == 2


def test_visitation_shows_criteria_and_outside_needs_reason(services, coord):
    # 61 years old and sick for 13 weeks: two criteria not met.
    case_id = services.referrals.create_referral(coord, referral_input(
        cpr="690165-1234", referral_date=dt.date(2026, 11, 10), sick_leave_start=dt.date(2026, 8, 12)))
    view = services.visitation.visitation_view(coord, case_id)
    status = {c.code: c.status for c in view.criteria}
    assert status == {"age": "not_met", "sick_weeks": "not_met", "wage_earner": "met", "mental_health": "met"}
    with pytest.raises(ValidationError, match="Begrundelse for optagelse uden for kriterierne: skal udfyldes"):
        services.visitation.visitate(coord, case_id, expected_version=view.version, accepted=True)
    services.visitation.visitate(coord, case_id, expected_version=view.version, accepted=True,
                                outside_criteria_reason="Erfaringsindsamling, aftalt med jobcentret")
    d = services.cases.get_case(coord, case_id)
    assert d.phase == "assessment" and d.outside_criteria
    lead = make_user(services, "team_lead")
    assert services.statistics.visitation_summary(lead).outside_criteria == 1


def test_rejection_needs_catalogue_reason_and_closes(services, coord):
    case_id = services.referrals.create_referral(coord, referral_input(wage_earner=None))
    view = services.visitation.visitation_view(coord, case_id)
    assert {c.code: c.status for c in view.criteria}["wage_earner"] == "unknown"
    with pytest.raises(ValidationError, match="vælg en årsag"):
        services.visitation.visitate(coord, case_id, expected_version=view.version, accepted=False)
    services.visitation.visitate(coord, case_id, expected_version=view.version, accepted=False,
                                rejection_reason="not_wage_earner")
    d = services.cases.get_case(coord, case_id)
    assert d.phase == "closed" and d.visitation_decision == "rejected" and d.outcome == "Andet"


def test_closing_rules_after_follow_up_and_reopen(services, coord, clock):
    case_id = services.referrals.create_referral(coord, referral_input())
    services.visitation.visitate(coord, case_id, expected_version=1, accepted=True)
    v = services.cases.get_case(coord, case_id).version
    with pytest.raises(ValidationError, match="Årsag \\(ved 'Andet'\\): skal vælges"):
        services.closing.close_case(coord, case_id, expected_version=v, closed_date=TODAY, outcome="other")
    with pytest.raises(ValidationError, match="Timer pr. uge: skal udfyldes"):
        services.closing.close_case(coord, case_id, expected_version=v, closed_date=TODAY,
                                    outcome="part_time_return")
    with pytest.raises(ValidationError, match="før henvisningsdatoen"):
        services.closing.close_case(coord, case_id, expected_version=v, closed_date=dt.date(2026, 1, 1),
                                    outcome="full_return")
    services.closing.close_case(coord, case_id, expected_version=v, closed_date=TODAY, outcome="part_time_return",
                                final_hours_per_week=25, next_effort="workplace_follow_up")
    d = services.cases.get_case(coord, case_id)
    assert (d.phase, d.outcome, d.final_hours_per_week, d.next_effort) == (
        "closed", "Raskmeldt deltid", 25, "Opfølgning på arbejdspladsen")
    afu = services.after_follow_up.list_for_case(coord, case_id)
    assert [(a.months, a.due_date) for a in afu] == [(3, dt.date(2027, 2, 22)), (6, dt.date(2027, 5, 22)),
                                                     (12, dt.date(2027, 11, 22))]
    with services.db.read() as s:
        tasks = s.execute(select(Task.title, Task.due_date).where(Task.case_id == case_id, Task.done_at.is_(None))
                          .order_by(Task.due_date)).all()
    assert [t[0] for t in tasks] == ["Efteropfølgning 3 mdr.", "Efteropfølgning 6 mdr.", "Efteropfølgning 12 mdr."]
    clock.advance(days=95)
    record_after_follow_up(services, coord, case_id, months=3, recorded_date=clock().date(),
                                            outcome="full_return", note="Fuld tid siden uge 6")
    assert services.after_follow_up.list_for_case(coord, case_id)[0].outcome == "Raskmeldt fuld tid"
    # Reopening: coordinator only, with a reason; unrecorded follow-ups go away.
    lead = make_user(services, "team_lead")
    v = services.cases.get_case(coord, case_id).version
    with pytest.raises(PermissionDenied):
        services.closing.reopen_case(lead, case_id, expected_version=v, reason="x")
    with pytest.raises(ValidationError, match="Begrundelse for genåbning: skal udfyldes"):
        services.closing.reopen_case(coord, case_id, expected_version=v, reason="  ")
    services.closing.reopen_case(coord, case_id, expected_version=v, reason="Ny sygemelding efter 3 mdr.")
    d = services.cases.get_case(coord, case_id)
    assert d.phase == "follow_up" and d.closed_date is None
    assert [a.months for a in services.after_follow_up.list_for_case(coord, case_id)] == [3]
    events = [(e.when, e.title) for e in services.journal.timeline(coord, case_id)]
    assert events == [(dt.date(2026, 10, 5), "Sygemeldt"), (dt.date(2026, 11, 10), "Henvisning modtaget"),
                      (TODAY, "Visiteret"), (TODAY, "Afsluttet"), (dt.date(2027, 2, 25), "Efteropfølgning 3 mdr."),
                      (dt.date(2027, 2, 25), "Genåbnet")]


def test_journal_sign_annotate_and_no_edit_after_signing(services, coord):
    case_id = services.referrals.create_referral(coord, referral_input())
    with pytest.raises(ValidationError, match="Notat: skal udfyldes"):
        services.journal.add_note(coord, case_id, note_date=TODAY, kind="phone", text="  ")
    with pytest.raises(ValidationError, match="Dato: må ikke ligge i fremtiden"):
        services.journal.add_note(coord, case_id, note_date=TODAY + dt.timedelta(days=1), kind="phone", text="x")
    first = services.journal.add_note(coord, case_id, note_date=dt.date(2026, 11, 12), kind="phone",
                                      text="Telefonsamtale med borgeren.")
    second = services.journal.add_note(coord, case_id, note_date=dt.date(2026, 11, 20), kind="meeting",
                                       text="Første samtale.", sign=True)
    notes = services.journal.notes(coord, case_id)
    assert [n.id for n in notes] == [second, first]  # newest first
    services.journal.edit_note(coord, first, expected_version=notes[1].version, note_date=dt.date(2026, 11, 12),
                               kind="phone", text="Telefonsamtale med borgeren om opstart.")
    psych = make_user(services, "psychologist")
    version = services.cases.get_case(coord, case_id).version
    services.cases.update_case(coord, case_id, expected_version=version, changes={"team_member_ids": [psych.user_id]})
    with pytest.raises(PermissionDenied):
        services.journal.sign_note(psych, first, expected_version=2)
    services.journal.sign_note(coord, first, expected_version=2)
    with pytest.raises(ValidationError, match="kan ikke rettes"):
        services.journal.edit_note(coord, first, expected_version=3, note_date=TODAY, kind="phone", text="Ændret")
    services.journal.annotate(psych, first, "Supplement: borgeren ønsker kontakt om formiddagen.")
    notes = services.journal.notes(coord, case_id)
    assert notes[1].text == "Telefonsamtale med borgeren om opstart."
    assert [a.text for a in notes[1].annotations] == ["Supplement: borgeren ønsker kontakt om formiddagen."]


def test_team_lead_moves_caseload_logged_per_case(services, coord):
    other = make_user(services, "coordinator", "søren")
    lead = make_user(services, "team_lead", "tove")
    ids = [services.referrals.create_referral(coord, referral_input(cpr=f"{61 + i:02d}0380-123{i}",
                                                              first_name=f"Navn{i}", last_name=f"Efternavn{i}"))
           for i in range(3)]
    with pytest.raises(PermissionDenied):
        services.caseload.move_cases(coord, from_user_id=coord.user_id, to_user_id=other.user_id)
    assert services.caseload.move_cases(lead, from_user_id=coord.user_id, to_user_id=other.user_id,
                                           case_ids=ids[:2]) == 2
    coordinators = [services.cases.get_case(lead, i).values["coordinator_id"] for i in ids]
    assert coordinators == [other.user_id] * 2 + [coord.user_id]
    with services.db.read() as s:
        moved = s.scalars(select(AuditEntry.case_id).where(AuditEntry.action == "reassign")).all()
        open_task_owners = set(s.scalars(select(Task.owner_id).where(Task.case_id.in_(ids[:2]))))
    assert sorted(moved) == sorted(ids[:2]) and open_task_owners == {other.user_id}
    assert services.caseload.move_cases(lead, from_user_id=coord.user_id, to_user_id=other.user_id) == 1


def test_conflict_when_two_users_save_the_same_case(services, coord):
    lead = make_user(services, "team_lead")
    case_id = services.referrals.create_referral(coord, referral_input())
    v_a = services.cases.get_case(coord, case_id).version
    v_b = services.cases.get_case(lead, case_id).version
    services.cases.update_case(coord, case_id, expected_version=v_a, changes={"job_title": "Souschef"})
    with pytest.raises(ConflictError):
        services.closing.close_case(lead, case_id, expected_version=v_b, closed_date=TODAY, outcome="full_return")
    assert services.cases.get_case(lead, case_id).phase == "referral"


def test_two_users_record_the_same_after_follow_up_the_second_gets_a_conflict(services, coord, clock):
    lead = make_user(services, "team_lead")
    case_id = services.referrals.create_referral(coord, referral_input())
    services.visitation.visitate(coord, case_id, expected_version=1, accepted=True)
    v = services.cases.get_case(coord, case_id).version
    services.closing.close_case(coord, case_id, expected_version=v, closed_date=TODAY, outcome="full_return")
    clock.advance(days=95)
    listed = {who: services.after_follow_up.list_for_case(who, case_id)[0] for who in (coord, lead)}
    services.after_follow_up.record(coord, case_id, months=3, expected_version=listed[coord].version,
                                    recorded_date=clock().date(), outcome="full_return", note="Fuld tid")
    with pytest.raises(ConflictError, match="En anden bruger har ændret efteropfølgningen"):
        services.after_follow_up.record(lead, case_id, months=3, expected_version=listed[lead].version,
                                        recorded_date=clock().date(), outcome="still_sick")
    row = services.after_follow_up.list_for_case(lead, case_id)[0]
    assert (row.outcome, row.note) == ("Raskmeldt fuld tid", "Fuld tid")
    with pytest.raises(ValidationError) as info:
        services.after_follow_up.record(coord, case_id, months=3, expected_version=None,
                                        recorded_date=clock().date(), outcome="full_return")
    assert info.value.field == "expected_version"


def test_next_deadline_follows_the_open_tasks(services, coord, clock):
    """The list's 'Næste frist' is stored on the case and kept current on every task change."""
    def deadline(case_id):
        return services.cases.list_rows(coord, [case_id])[0].next_deadline
    case_id = services.referrals.create_referral(coord, referral_input())
    # The first follow-up by the end of sick week 8 (Friday 27-11), before the visitation task (29-11).
    assert deadline(case_id) == dt.date(2026, 11, 27) < TODAY + dt.timedelta(days=7)
    assert services.cases.search_ids(coord, sort="next_deadline", descending=False) == [case_id]
    services.visitation.visitate(coord, case_id, expected_version=1, accepted=True)
    for task in services.tasks.case_tasks(coord, case_id):   # the visitation's first tasks done
        if task.kind != "deadline":
            services.tasks.complete(coord, task.id, expected_version=task.version)
    assert deadline(case_id) == dt.date(2026, 11, 27)   # the legal deadline stays
    v = services.cases.get_case(coord, case_id).version
    services.closing.close_case(coord, case_id, expected_version=v, closed_date=TODAY, outcome="full_return")
    assert deadline(case_id) == dt.date(2027, 2, 22)
    clock.advance(days=92)
    record_after_follow_up(services, coord, case_id, months=3, recorded_date=clock().date(),
                                            outcome="full_return")
    assert deadline(case_id) == dt.date(2027, 5, 22)
    v = services.cases.get_case(coord, case_id).version
    services.closing.reopen_case(coord, case_id, expected_version=v, reason="Tilbagefald")
    assert deadline(case_id) == dt.date(2026, 11, 27)   # the open case's deadlines again, this one overdue


def test_sick_weeks_stop_counting_at_the_closed_date(services, coord, clock):
    """Sick since 05-10-2026, closed 22-11-2026 in week 7: months later the list, the record and the
    timeline still say week 7."""
    case_id = services.referrals.create_referral(coord, referral_input())
    services.visitation.visitate(coord, case_id, expected_version=1, accepted=True)
    d = services.cases.get_case(coord, case_id)
    assert d.sick_weeks == 7 and services.cases.list_rows(coord, [case_id])[0].sick_weeks == 7
    services.closing.close_case(coord, case_id, expected_version=d.version, closed_date=TODAY, outcome="full_return")
    clock.advance(days=120)
    record_after_follow_up(services, coord, case_id, months=3, recorded_date=clock().date(), outcome="full_return")
    assert services.cases.get_case(coord, case_id).sick_weeks == 7
    assert services.cases.list_rows(coord, [case_id])[0].sick_weeks == 7
    weeks = {e.title: e.sick_week for e in services.journal.timeline(coord, case_id)}
    assert weeks == {"Sygemeldt": 1, "Henvisning modtaget": 6, "Visiteret": 7, "Afsluttet": 7,
                     "Efteropfølgning 3 mdr.": 7}
    # Reopened, the sick leave goes on and so does the count.
    v = services.cases.get_case(coord, case_id).version
    services.closing.reopen_case(coord, case_id, expected_version=v, reason="Ny sygemelding")
    assert services.cases.get_case(coord, case_id).sick_weeks == 25


def test_phase_is_editable_only_on_a_visitated_open_case(services, coord):
    case_id = services.referrals.create_referral(coord, referral_input())
    d = services.cases.get_case(coord, case_id)
    assert d.phase == "referral" and not d.phase_editable
    with pytest.raises(ValidationError, match="kan kun ændres på et visiteret, åbent forløb"):
        services.cases.update_case(coord, case_id, expected_version=d.version, changes={"phase": "plan"})
    services.visitation.visitate(coord, case_id, expected_version=d.version, accepted=True)
    d = services.cases.get_case(coord, case_id)
    assert d.phase == "assessment" and d.phase_editable
    with pytest.raises(ValidationError, match="kan kun sættes til udredning"):
        services.cases.update_case(coord, case_id, expected_version=d.version, changes={"phase": "closed"})
    v = services.cases.update_case(coord, case_id, expected_version=d.version, changes={"phase": "plan"})
    services.closing.close_case(coord, case_id, expected_version=v, closed_date=TODAY, outcome="full_return")
    assert not services.cases.get_case(coord, case_id).phase_editable


def test_sorting_on_sick_weeks_follows_the_weeks_shown(services, coord):
    """Ascending means fewest weeks first; a closed case counts the weeks until it closed."""
    from tests.factories import make_case
    long_open = make_case(services, first_name="Lang", sick_leave_start=TODAY - dt.timedelta(weeks=10),
                          referral_date=TODAY - dt.timedelta(weeks=9), coordinator_id=coord.user_id)
    short_open = make_case(services, first_name="Kort", sick_leave_start=TODAY - dt.timedelta(weeks=5),
                           referral_date=TODAY - dt.timedelta(weeks=4), coordinator_id=coord.user_id)
    closed_early = make_case(services, first_name="Lukket", sick_leave_start=TODAY - dt.timedelta(weeks=30),
                             referral_date=TODAY - dt.timedelta(weeks=29), coordinator_id=coord.user_id)
    v = services.cases.get_case(coord, closed_early).version
    services.closing.close_case(coord, closed_early, expected_version=v, closed_date=TODAY - dt.timedelta(weeks=28),
                                outcome="full_return")
    rows = services.cases.list_rows(coord, services.cases.search_ids(coord, sort="sick_weeks", descending=False))
    assert [(r.id, r.sick_weeks) for r in rows] == [(closed_early, 3), (short_open, 6), (long_open, 11)]
    assert services.cases.search_ids(coord, sort="sick_weeks", descending=True) == [long_open, short_open,
                                                                                   closed_early]
