"""Deadlines from the rule sets: each rule with worked dates, weekends and Danish holidays, a case
crossing a rule change, an administrator's new rule set and edited rule (future deadlines follow,
completed ones stay), the deadlines kept as tasks (Næste frist), the Frister list and its calendar."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from sqlalchemy import select, update

from app.deadlines import CaseDates, Rule, RuleSet, compute_deadlines, working_day_before
from app.errors import PermissionDenied, ValidationErrors
from app.reference import RULE_SETS
from db.models import Case, Task
from tests.factories import make_user, referral_input

SETS = [RuleSet(name, valid_from, [Rule(None, code, kind, label, source, params)
                                   for code, kind, label, params, source in rules])
        for name, valid_from, rules in RULE_SETS]
D = dt.date


def due(case: CaseDates, prefix: str) -> list[dt.date]:
    return [d.due for d in compute_deadlines(case, SETS) if d.key.startswith(prefix)]


# -- the rules, worked by hand ----------------------------------------------------------------------
def test_first_follow_up_by_the_end_of_week_8_moves_off_the_weekend():
    # Sick from Monday 2 January 2012 (the 2011 guide): week 8 ends Sunday 26 February -> Friday 24.
    found = [d for d in compute_deadlines(CaseDates(D(2012, 1, 2)), SETS) if d.key == "guide_first:1"]
    assert [(d.nominal, d.due) for d in found] == [(D(2012, 2, 26), D(2012, 2, 24))]
    assert "2011" in found[0].source


def test_the_2011_guide_follows_up_every_3_months_and_every_4_weeks_once_partly_back():
    start = D(2012, 1, 2)
    # 26 February + 3 months = Saturday 26 May -> Friday 25 May; Sunday 26 August -> Friday 24; 26 November.
    assert due(CaseDates(start), "guide_repeat:")[:3] == [D(2012, 5, 25), D(2012, 8, 24), D(2012, 11, 26)]
    # Partly back at work from 15 March: four weeks after that, then every four weeks.
    partly = CaseDates(start, partial_return_start=D(2012, 3, 15))
    assert due(partly, "guide_repeat:")[:4] == [D(2012, 4, 12), D(2012, 5, 10), D(2012, 6, 7), D(2012, 7, 5)]


def test_section_13b_four_follow_ups_in_six_months_and_reassessment_in_week_22():
    start = D(2026, 1, 5)   # a Monday
    case = CaseDates(start)
    # The first by the end of week 8 (Sunday 1 March -> Friday 27 February), three more spread to 4 July.
    assert due(case, "sdp_first:") == [D(2026, 2, 27)]
    assert due(case, "sdp_count:") == [D(2026, 4, 10), D(2026, 5, 22), D(2026, 7, 3)]
    assert len(due(case, "sdp_first:") + due(case, "sdp_count:")) == 4
    assert all(d <= D(2026, 7, 4) for d in due(case, "sdp_count:"))
    # Week 22 ends Sunday 7 June -> Friday 5 June.
    reassessment = [d for d in compute_deadlines(case, SETS) if d.key == "sdp_reassessment:1"]
    assert reassessment[0].due == D(2026, 6, 5) and "§ 24" in reassessment[0].source
    assert [d.source for d in compute_deadlines(case, SETS) if d.key == "sdp_first:1"] == ["Sygedagpengeloven § 13 b"]


def test_the_tta_course_rhythm_plan_review_course_end_and_round_table():
    case = CaseDates(D(2026, 1, 5), visitation_date=D(2026, 2, 2), subgroup=2, plan_approved_on=D(2026, 2, 20),
                     round_tables_held=[D(2026, 3, 10)])
    assert due(case, "tta_course_end:") == [D(2026, 5, 4)]            # groups 1-3: 13 weeks from visitation
    assert due(case, "tta_plan_review:") == [D(2026, 3, 20), D(2026, 4, 17)]   # every 4 weeks until the end
    assert due(case, "tta_round_table:") == [D(2026, 4, 7)]
    longer = CaseDates(D(2026, 1, 5), visitation_date=D(2026, 2, 2), subgroup=5, has_workplace=False)
    assert due(longer, "tta_course_end:") == [D(2027, 2, 1)]           # groups 4-8 without a workplace: 52 weeks


@pytest.mark.parametrize("day, expected", [
    (D(2027, 3, 29), D(2027, 3, 24)),    # Easter Monday 2027 -> before Maundy Thursday
    (D(2027, 3, 26), D(2027, 3, 24)),    # Good Friday
    (D(2026, 12, 26), D(2026, 12, 24)),  # second day of Christmas (Saturday), Christmas Day Friday
    (D(2027, 1, 1), D(2026, 12, 31)),    # New Year's Day
    (D(2026, 11, 25), D(2026, 11, 25)),  # an ordinary Wednesday stays
])
def test_holidays_and_weekends_move_to_the_working_day_before(day, expected):
    assert working_day_before(day) == expected


def test_a_week_8_deadline_on_easter_monday_2027_is_due_the_wednesday_before():
    start = D(2027, 3, 29) - dt.timedelta(days=55)
    assert due(CaseDates(start), "sdp_first:") == [D(2027, 3, 24)]


def test_a_case_crossing_the_2025_change_follows_the_new_set_from_its_date():
    # Return expected 10 weeks after the first conversation: from 2025 the municipality may stop there.
    before = CaseDates(D(2024, 3, 4), expected_return=D(2024, 7, 1))
    crossing = CaseDates(D(2024, 11, 4), expected_return=D(2025, 3, 7))
    after = CaseDates(D(2025, 3, 3), expected_return=D(2025, 7, 4))
    assert len(due(before, "sdp_count:")) == 3                      # the 2014 set has no stop
    # Week 8 ends 29 December 2024, under the old set; the follow-ups after 1 January stop under the new.
    assert due(crossing, "sdp_first:") == [D(2024, 12, 27)]
    assert due(crossing, "sdp_count:") == [] and due(crossing, "sdp_reassessment:") == []
    assert due(after, "sdp_count:") == [] and len(due(after, "sdp_first:")) == 1
    # Without an expected return the new set asks for all four.
    assert len(due(CaseDates(D(2025, 3, 3)), "sdp_count:")) == 3


def test_nothing_after_closing():
    closed = CaseDates(D(2026, 1, 5), closed_date=D(2026, 4, 1))
    assert all(d.nominal <= D(2026, 4, 1) for d in compute_deadlines(closed, SETS))


# -- kept as tasks, edited by the administrator ---------------------------------------------------------
@pytest.fixture
def people(services):
    return (make_user(services, "coordinator", "koord", full_name="Karin Koordinator"),
            make_user(services, "admin", "admin1", full_name="Ada Admin"),
            make_user(services, "team_lead", "leder", full_name="Lene Leder"))


def deadline_tasks(services, case_id: int) -> dict[str, SimpleNamespace]:
    with services.db.read() as s:
        return {t.rule_key: SimpleNamespace(id=t.id, due_date=t.due_date, rule_source=t.rule_source, done_at=t.done_at,
                                            owner_id=t.owner_id, rule_id=t.rule_id)
                for t in s.scalars(select(Task).where(Task.case_id == case_id, Task.kind == "deadline"))}


def test_deadlines_are_tasks_with_rule_and_source_and_set_the_next_deadline(services, people):
    coord = people[0]
    case_id = services.referrals.create_referral(coord, referral_input(sick_leave_start=D(2026, 10, 5)))
    tasks = deadline_tasks(services, case_id)
    first = tasks["sdp_first:1"]
    assert first.due_date == D(2026, 11, 27) and first.rule_source == "Sygedagpengeloven § 13 b"
    assert first.owner_id == coord.user_id and first.rule_id is not None
    assert tasks["sdp_reassessment:1"].due_date == D(2027, 3, 5)   # week 22 ends Sunday 7 March 2027
    with services.db.read() as s:
        assert s.get(Case, case_id).next_deadline == D(2026, 11, 27)
    # Accepting the case (visitation) starts the course's own deadlines.
    assert "tta_course_end:1" not in tasks
    version = services.cases.get_case(coord, case_id).version
    services.visitation.visitate(coord, case_id, expected_version=version, accepted=True,
                                 decision_date=D(2026, 11, 20), outside_criteria_reason="Prøver kriterierne af")
    assert deadline_tasks(services, case_id)["tta_course_end:1"].due_date == D(2027, 5, 21)   # 26 weeks
    view = services.deadlines.deadlines(coord)
    assert [r.title for r in view.rows][0].startswith("Første personlige opfølgningssamtale")
    assert {r.case_id for r in view.rows} == {case_id}
    ics = services.deadlines.calendar(coord, view.rows).decode()
    assert "BEGIN:VEVENT" in ics and "DTSTART;VALUE=DATE:20261127" in ics and "Østergaard" not in ics


def test_new_rule_set_and_edited_rule_change_future_deadlines_not_completed_ones(services, people):
    coord, admin, lead = people
    early = services.referrals.create_referral(coord, referral_input(sick_leave_start=D(2026, 9, 7)))
    late = services.referrals.create_referral(coord, referral_input(
        cpr="120385-1234", first_name="Bo", last_name="Berg", sick_leave_start=D(2026, 11, 2)))
    first_early = deadline_tasks(services, early)["sdp_first:1"]
    assert first_early.due_date == D(2026, 10, 30)
    with services.db.write() as s:   # the coordinator completed the first follow-up in the task list
        s.execute(update(Task).where(Task.id == first_early.id).values(done_at=dt.datetime(2026, 10, 29, 12)))

    # The law changes from 1 December 2026: the first follow-up by week 6.
    with pytest.raises(PermissionDenied):
        services.deadlines.add_rule_set(coord, name="Ny lov", valid_from=D(2026, 12, 1))
    services.deadlines.add_rule_set(admin, name="Lov 2026", valid_from=D(2026, 12, 1))
    new_set = next(rs for rs in services.deadlines.rule_sets(admin) if rs.valid_from == D(2026, 12, 1))
    first_rule = next(r for r in new_set.rules if r.code == "sdp_first")
    with pytest.raises(ValidationErrors):
        services.deadlines.save_rule(admin, first_rule.id, expected_version=first_rule.version,
                                     label=first_rule.label, source="", params={"wek": 6})
    services.deadlines.save_rule(admin, first_rule.id, expected_version=first_rule.version,
                                 label="Første samtale (senest uge 6)", source="Lov nr. 1 af 2026 § 3",
                                 params={"week": 6})
    # The late case (week 6 ends 13 December, after the change) follows the new rule; the early case's
    # completed deadline stays as it was, and is not made again.
    late_first = deadline_tasks(services, late)["sdp_first:1"]
    assert (late_first.due_date, late_first.rule_source) == (D(2026, 12, 11), "Lov nr. 1 af 2026 § 3")
    early_tasks = deadline_tasks(services, early)
    assert early_tasks["sdp_first:1"].due_date == D(2026, 10, 30) and early_tasks["sdp_first:1"].done_at
    assert early_tasks["sdp_first:1"].rule_source == "Sygedagpengeloven § 13 b"
    # An edit of the new set's reassessment moves the early case's open (future) reassessment.
    reassessment = next(r for r in services.deadlines.rule_sets(admin)[-1].rules if r.code == "sdp_reassessment")
    services.deadlines.save_rule(admin, reassessment.id, expected_version=reassessment.version,
                                 label=reassessment.label, source=reassessment.source, params={"week": 20})
    assert deadline_tasks(services, early)["sdp_reassessment:1"].due_date == D(2027, 1, 22)   # week 20 ends 24-01
    # The team lead sees the team's deadlines, filtered by rule and coordinator; a coordinator cannot.
    team = services.deadlines.deadlines(lead, team=True, rule_code="sdp_reassessment")
    assert {r.case_id for r in team.rows} == {early, late}
    with pytest.raises(PermissionDenied):
        services.deadlines.deadlines(coord, team=True)
