"""The meetings and conferences lists."""
from __future__ import annotations

import datetime as dt
import io

import pdfplumber
import pytest

from app.dates import local_now
from app.errors import ValidationError
from db.models import CaseConference, CaseIcd10, ConferenceItem, InstrumentResult, RoundTableMeeting
from tests.factories import make_case, make_user


def test_upcoming_means_planned_and_not_yet_held(services, clock):
    coord = make_user(services, "coordinator")
    case_id = make_case(services, coordinator_id=coord.user_id)
    now = local_now(clock())  # meeting times are the team's wall clock
    today = now.date()
    earlier, later = now - dt.timedelta(minutes=30), now + dt.timedelta(minutes=30)
    assert earlier.date() == today == later.date()  # the fake clock is mid-morning
    earlier, later = earlier.time(), later.time()
    meetings = [  # (sequence no, date, time, status)
        (1, today - dt.timedelta(days=1), dt.time(10, 0), "planned"),   # yesterday, never marked held
        (2, today, earlier, "planned"),                                 # today, already begun
        (3, today, later, "planned"),                                   # today, later
        (4, today, None, "planned"),                                    # today, no time given
        (5, today + dt.timedelta(days=3), dt.time(9, 0), "cancelled"),  # cancelled
        (6, today + dt.timedelta(days=3), dt.time(13, 0), "planned"),
        (7, today, later, "held"),                                      # held early
    ]
    with services.db.write() as s:
        for seq, day, at, status in meetings:
            s.add(RoundTableMeeting(case_id=case_id, sequence_no=seq, meeting_date=day, start_time=at, status=status,
                                    location="Jobcentret"))
    upcoming = services.meetings.list_meetings(coord, upcoming_only=True)
    assert [m.sequence_no for m in upcoming] == [4, 3, 6]
    assert upcoming[1].start_time == later and upcoming[0].start_time is None
    assert upcoming[0].case_number.startswith("TTA-T-") and upcoming[0].citizen == "Mette Østergaard"
    everything = services.meetings.list_meetings(coord)
    assert len(everything) == 7 and everything[0].meeting_date == today + dt.timedelta(days=3)


def test_conference_list_counts_agenda_and_decisions(services):
    coord = make_user(services, "coordinator")
    a, b = make_case(services, first_name="A"), make_case(services, first_name="B")
    with services.db.write() as s:
        conf = CaseConference(held_on=dt.date(2026, 11, 18), closed=True)
        s.add(conf)
        s.flush()
        s.add(ConferenceItem(conference_id=conf.id, case_id=a, reason="new_referral", decision="Visiteres"))
        s.add(ConferenceItem(conference_id=conf.id, case_id=b, reason="stalled"))
        s.add(CaseConference(held_on=dt.date(2026, 11, 25)))
    rows = services.conferences.list_conferences(coord)
    assert [(r.held_on, r.items, r.decisions, r.closed) for r in rows] == [
        (dt.date(2026, 11, 25), 0, 0, False), (dt.date(2026, 11, 18), 2, 1, True)]


def _held_meeting(services, coord, case_id):
    """A meeting planned with three participants and written up with two agreements."""
    meetings = services.meetings
    tab = meetings.meeting_tab(coord, case_id)
    people = [p.__dict__ for p in tab.people[:2]] + [{"name": "Karen Holm", "role_label": "Nærmeste leder",
                                                       "organisation": "Region Test"}]
    mid = meetings.plan_meeting(coord, case_id, values=dict(
        meeting_type="return_plan", meeting_date=dt.date(2026, 11, 25), start_time=dt.time(10, 0),
        duration_minutes=90, location="Region Test, mødelokale 2", purpose="Plan for gradvis tilbagevenden",
        agenda="1. Velkomst\n2. Status\n3. Aftaler"), participants=people)
    d = meetings.meeting(coord, mid)
    items = [dict(kind="obstacle_employee", text="Støj i storrumskontoret"),
             dict(kind="solution", text="Plads i stillerum"),
             dict(kind="agreement", text="Arbejder 12 timer om ugen de første to uger", responsible="Karen Holm",
                  due_date=dt.date(2026, 12, 9)),
             dict(kind="agreement", text="Lederen orienterer kollegerne", responsible="Karen Holm")]
    meetings.save_meeting(coord, mid, expected_version=d.version, items=items, values=dict(
        status="held", function_description="Kan arbejde fire timer ad gangen med pauser.",
        colleagues_info="At hun er tilbage på nedsat tid.", next_meeting_date=dt.date(2026, 12, 16)))
    return mid


def test_round_table_agreements_become_tasks_and_one_goes_into_the_plan(services):
    coord = make_user(services, "coordinator")
    case_id = make_case(services, coordinator_id=coord.user_id, phase="plan")
    mid = _held_meeting(services, coord, case_id)
    d = services.meetings.meeting(coord, mid)
    agreements = [i for i in d.items if i["kind"] == "agreement"]
    assert len(agreements) == 2 and all(i["task_id"] for i in agreements)
    titles = [t.title for t in services.tasks.case_tasks(coord, case_id)]
    assert sum(t.startswith("Aftale fra rundbordssamtale (Karen Holm)") for t in titles) == 2
    # Saving again keeps the tasks (no duplicates); removing an agreement takes its open task away.
    services.meetings.save_meeting(coord, mid, expected_version=d.version, values={},
                                   items=[i for i in d.items if i["id"] != agreements[1]["id"]])
    assert len(services.tasks.case_tasks(coord, case_id)) == 1
    plan_id = services.meetings.carry_into_plan(coord, agreements[0]["id"])
    plan = services.plans.plan_tab(coord, case_id).plan
    assert plan.id == plan_id and plan.status == "draft"
    assert [i["intervention"] for i in plan.interventions] == ["round_table"]
    assert "12 timer om ugen" in plan.interventions[0]["note"]
    assert plan.interventions[0]["end_date"] == dt.date(2026, 12, 9)
    with pytest.raises(ValidationError):
        services.meetings.carry_into_plan(coord, agreements[0]["id"])


def test_minutes_employer_copy_has_no_health_data_and_ics(services):
    coord = make_user(services, "coordinator")
    case_id = make_case(services, coordinator_id=coord.user_id, phase="intervention")
    with services.db.write() as s:
        s.add(CaseIcd10(case_id=case_id, code="F32.1"))
        s.add(InstrumentResult(case_id=case_id, instrument="WHO5", taken_on=dt.date(2026, 11, 2), answers_json="[]",
                               score=32, band="Lavt trivselsniveau", recorded_by_id=coord.user_id))
    mid = _held_meeting(services, coord, case_id)

    def text(audience):
        with pdfplumber.open(io.BytesIO(services.meetings.minutes_pdf(coord, mid, audience=audience))) as pdf:
            return "\n".join(p.extract_text() for p in pdf.pages)
    everyone, employer = text("all"), text("employer")
    for shared in ("Arbejder 12 timer om ugen", "Kan arbejde fire timer ad gangen", "tilbage på nedsat tid",
                   "16-12-2026"):
        assert shared in everyone and shared in employer
    for secret in ("F32.1", "ICD", "WHO-5", "32", "Lavt trivselsniveau", "CPR"):
        assert secret in everyone or secret == "32"
        assert secret not in employer
    ics = services.meetings.ics(coord, mid).decode()
    assert "BEGIN:VEVENT" in ics and "LOCATION:Region Test\\, mødelokale 2" in ics
    assert "Østergaard" not in ics and "DTSTART" in ics
    with pdfplumber.open(io.BytesIO(services.meetings.invitation_pdf(coord, mid))) as pdf:
        invitation = "\n".join(p.extract_text() for p in pdf.pages)
    assert "Invitation til rundbordssamtale" in invitation and "Karen Holm" in invitation
    assert "F32.1" not in invitation


def test_print_referat_agenda_and_minutes_headless(services, db_url, monkeypatch, tmp_path, capsys):
    import main
    from app.cli import base as cli
    coord = make_user(services, "coordinator", "koord")
    case_id = make_case(services, coordinator_id=coord.user_id, phase="referral")
    _held_meeting(services, coord, case_id)
    number = services.cases.get_case(coord, case_id).case_number
    conf_id = services.conferences.new_conference(coord, dt.date(2026, 11, 24))
    item = services.conferences.conference(coord, conf_id).items[0]
    services.conferences.save_item(coord, item.id, expected_version=item.version, notes="", decision="Visiteres.")
    monkeypatch.setenv(cli.PASSWORD_ENV, "hemmelig123")

    def run(*argv) -> str:
        out = tmp_path / "out.pdf"
        code = main.main(["print", *argv, "--db", db_url, "--user", "koord", "--out", str(out)])
        assert code == 0, capsys.readouterr().err
        with pdfplumber.open(out) as pdf:
            return "\n".join(p.extract_text() for p in pdf.pages)
    assert "Arbejder 12 timer om ugen" in run("referat", "--case", number, "--audience", "employer")
    assert "Referat af rundbordssamtale" in run("referat", "--case", number, "--meeting", "1")
    assert "Ny henvisning" in run("agenda", "--conference", "24-11-2026")
    assert "Beslutning: Visiteres." in run("minutes", "--conference", "2026-11-24")
    out = tmp_path / "x.pdf"
    assert main.main(["print", "referat", "--db", db_url, "--user", "koord", "--case", number, "--meeting", "4",
                      "--out", str(out)]) == 2
    assert "ingen rundbordssamtale nr. 4" in capsys.readouterr().err
    assert main.main(["print", "agenda", "--db", db_url, "--user", "koord", "--conference", "01-01-2020",
                      "--out", str(out)]) == 2
    assert not out.exists()
