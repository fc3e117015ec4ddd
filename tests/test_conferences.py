"""The weekly case conference: the generated agenda, items, notes, tasks and the printouts."""
from __future__ import annotations

import datetime as dt
import io

import pdfplumber
import pytest

from app.errors import NeedToKnow, ValidationError
from db.models import ActionPlan, Assessment, Case, CaseConference, RoundTableMeeting, Task
from tests.factories import make_case, make_user

HELD_ON = dt.date(2026, 11, 24)   # the Tuesday after the fake clock's Sunday
LAST = dt.date(2026, 11, 17)


def _setup_rule_cases(services, coord) -> dict[str, int]:
    """One case meeting each agenda rule, and cases meeting none (closed, quiet but recent, an
    assessment signed before the last conference, a meeting too far ahead, a plan ending later)."""
    mk = {name: make_case(services, first_name=name, coordinator_id=coord.user_id, phase=phase)
          for name, phase in (("Ref", "referral"), ("Ass", "assessment"), ("Plan", "plan"), ("Rbs", "intervention"),
                              ("Frist", "intervention"), ("Stille", "intervention"), ("Slut", "follow_up"),
                              ("Ingen", "intervention"), ("Lukket", "intervention"), ("Gammel", "assessment"),
                              ("Fjern", "intervention"))}
    recent = dt.datetime(2026, 11, 20, 10, 0)
    with services.db.write() as s:
        for cid in mk.values():
            s.get(Case, cid).last_activity_at = recent
        closed = s.get(Case, mk["Lukket"])
        closed.phase, closed.closed_date = "closed", dt.date(2026, 11, 2)
        s.get(Case, mk["Stille"]).last_activity_at = dt.datetime(2026, 10, 20, 10, 0)
        s.add(Assessment(case_id=mk["Ass"], author_id=coord.user_id, discipline="psychologist",
                         assessed_on=dt.date(2026, 11, 19), signed_at=dt.datetime(2026, 11, 19, 14, 0)))
        s.add(Assessment(case_id=mk["Gammel"], author_id=coord.user_id, discipline="doctor",
                         assessed_on=dt.date(2026, 11, 10), signed_at=dt.datetime(2026, 11, 10, 14, 0)))
        s.add(ActionPlan(case_id=mk["Plan"], version_no=1, status="draft", created_by_id=coord.user_id))
        s.add(ActionPlan(case_id=mk["Slut"], version_no=1, status="approved", created_by_id=coord.user_id,
                         approved_at=recent, expected_return_date=dt.date(2026, 12, 4)))
        s.add(ActionPlan(case_id=mk["Ingen"], version_no=1, status="approved", created_by_id=coord.user_id,
                         approved_at=recent, expected_return_date=dt.date(2027, 1, 20)))
        s.add(RoundTableMeeting(case_id=mk["Rbs"], meeting_date=dt.date(2026, 11, 27), status="planned"))
        s.add(RoundTableMeeting(case_id=mk["Fjern"], meeting_date=dt.date(2026, 12, 9), status="planned"))
        for cid, due in ((mk["Frist"], dt.date(2026, 11, 20)), (mk["Lukket"], dt.date(2026, 11, 1)),
                         (mk["Ingen"], dt.date(2026, 12, 15))):
            s.add(Task(case_id=cid, title="Ring", owner_id=coord.user_id, due_date=due, created_by_id=coord.user_id))
        s.add(CaseConference(held_on=LAST, closed=True))
    return mk


def test_new_conference_agenda_holds_exactly_the_cases_of_the_rules(services):
    lead = make_user(services, "team_lead")
    coord = make_user(services, "coordinator")
    mk = _setup_rule_cases(services, coord)
    conf_id = services.conferences.new_conference(lead, HELD_ON, attendee_ids=[coord.user_id])
    detail = services.conferences.conference(lead, conf_id)
    got = {i.citizen.split()[0]: (i.reason, i.reason_detail) for i in detail.items}
    assert {k: v[0] for k, v in got.items()} == {
        "Ref": "new_referral", "Ass": "assessment_done", "Plan": "plan_review", "Rbs": "round_table",
        "Frist": "deadline", "Stille": "stalled", "Slut": "closing"}
    assert "psykolog" in got["Ass"][1] and "19-11-2026" in got["Ass"][1]
    assert got["Rbs"][1] == "rundbordssamtale 27-11-2026"
    assert "over fristen" in got["Frist"][1]
    assert got["Slut"][1] == "planlagt afslutning 04-12-2026"
    assert got["Stille"][1] == "ingen aktivitet siden 20-10-2026"
    assert [n for _i, n in detail.attendees] == sorted([lead.full_name, coord.full_name])
    assert mk  # the cases meeting none are absent above
    with pytest.raises(ValidationError):
        services.conferences.new_conference(lead, HELD_ON)


def test_items_notes_tasks_order_and_minutes(services):
    lead = make_user(services, "team_lead")
    coord = make_user(services, "coordinator", full_name="Mette Holm")
    a = make_case(services, first_name="Anna", coordinator_id=coord.user_id, phase="referral")
    b = make_case(services, first_name="Bo", coordinator_id=coord.user_id, phase="referral")
    conf_id = services.conferences.new_conference(coord, HELD_ON)
    conf = services.conferences
    free = conf.add_item(coord, conf_id, title="Ferieplan for teamet")
    items = conf.conference(coord, conf_id).items
    assert [i.heading.split()[-1] for i in items] == ["Østergaard", "Østergaard", "teamet"]
    conf.move_item(coord, free, -5)
    items = conf.conference(coord, conf_id).items
    assert items[0].title == "Ferieplan for teamet"
    first = next(i for i in items if i.case_id == a)
    conf.save_item(coord, first.id, expected_version=first.version, notes="Drøftet kort.",
                   decision="Visiteres med psykolog på.")
    conf.add_task(coord, first.id, owner_id=coord.user_id, due=dt.date(2026, 11, 30), title="Indkald til samtale")
    conf.remove_item(coord, next(i.id for i in items if i.case_id == b))
    again = conf.conference(coord, conf_id)
    assert len(again.items) == 2
    kept = next(i for i in again.items if i.case_id == a)
    assert kept.decision == "Visiteres med psykolog på."
    assert kept.tasks == ["Mette Holm: Indkald til samtale (30-11-2026)"]
    assert [t.title for t in services.tasks.my_tasks(coord).all()].count("Indkald til samtale") == 1
    timeline = services.journal.timeline(coord, a)
    assert any(e.kind == "conference" and e.detail == "Visiteres med psykolog på." for e in timeline)
    assert services.conferences.find_conference(lead, "24-11-2026") == conf_id
    assert services.conferences.find_conference(lead, "next") == conf_id
    with pdfplumber.open(io.BytesIO(conf.minutes_pdf(lead, conf_id))) as pdf:
        text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "Beslutning: Visiteres med psykolog på." in text and "Indkald til samtale" in text
    with pdfplumber.open(io.BytesIO(conf.agenda_pdf(lead, conf_id))) as pdf:
        text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "Ferieplan for teamet" in text and "Ny henvisning" in text


def test_what_was_said_about_a_case_is_kept_from_those_not_on_it(services, clock):
    """The agenda shows every case reader why a case is up; its notes, decision and tasks are case
    data: read and written with full access only, in conference mode and in the minutes."""
    lead = make_user(services, "team_lead")
    coord = make_user(services, "coordinator", "mette")
    other = make_user(services, "coordinator", "karl")
    psych = make_user(services, "psychologist", "pia")
    case_id = make_case(services, first_name="Hemmelig", coordinator_id=coord.user_id, phase="referral")
    conf_id = services.conferences.new_conference(lead, HELD_ON)
    item = next(i for i in services.conferences.conference(lead, conf_id).items if i.case_id == case_id)
    services.conferences.save_item(lead, item.id, expected_version=item.version, notes="Borgeren har mareridt",
                                   decision="Visiteres med psykolog på")
    services.conferences.add_task(lead, item.id, owner_id=coord.user_id, due=dt.date(2026, 11, 30),
                                  title="Ring til egen læge")
    for reader in (other, psych):
        shown = next(i for i in services.conferences.conference(reader, conf_id).items if i.case_id == case_id)
        assert "Hemmelig" in shown.heading
        assert shown.reason_label and not shown.full_access
        assert (shown.notes, shown.decision, shown.tasks, shown.reason_detail) == ("", "", [], "")
        with pdfplumber.open(io.BytesIO(services.conferences.minutes_pdf(reader, conf_id))) as pdf:
            text = "\n".join(p.extract_text() for p in pdf.pages)
        assert "Hemmelig" in text and "vises kun for dem, der er tilknyttet" in text
        assert "mareridt" not in text and "psykolog på" not in text and "egen læge" not in text
    with pytest.raises(NeedToKnow):
        services.conferences.save_item(other, item.id, expected_version=item.version + 1, notes="x", decision="")
    with pytest.raises(NeedToKnow):
        services.conferences.add_task(other, item.id, owner_id=other.user_id, due=dt.date(2026, 11, 30),
                                      title="Ring")
    # Moving the item on the agenda needs only the list row.
    services.conferences.move_item(other, item.id, 1)
    # A stated reason opens it, to read and to write.
    services.cases.grant_access(other, case_id, "Leder konferencen i dag")
    shown = next(i for i in services.conferences.conference(other, conf_id).items if i.case_id == case_id)
    assert shown.full_access and shown.notes == "Borgeren har mareridt" and shown.tasks
    services.conferences.save_item(other, item.id, expected_version=shown.version, notes="Drøftet",
                                   decision=shown.decision)
