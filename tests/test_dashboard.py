"""Overblik per role: a coordinator's own cases and tasks, a clinician's team cases and tasks, a team
lead's team-wide figures and the team's overdue tasks."""
from __future__ import annotations

import datetime as dt

import pytest

from app.errors import PermissionDenied
from db.models import ActionPlan, CaseTeamMember, Task
from tests.factories import make_case, make_user

TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def world(services):
    anna = make_user(services, "coordinator", "anna", full_name="Anna Berg")
    bo = make_user(services, "coordinator", "bo", full_name="Bo Dahl")
    per = make_user(services, "psychologist", "per", full_name="Per Holm")
    lead = make_user(services, "team_lead", "tove", full_name="Tove Lund")
    a1 = make_case(services, first_name="Aase", coordinator_id=anna.user_id)
    a2 = make_case(services, first_name="Alma", coordinator_id=anna.user_id, phase="referral")
    b1 = make_case(services, first_name="Bent", coordinator_id=bo.user_id)
    none = make_case(services, first_name="Ingen", coordinator_id=None)
    with services.db.write() as s:
        s.add(CaseTeamMember(case_id=b1, user_id=per.user_id))
        s.add(ActionPlan(case_id=b1, version_no=1, status="draft", created_by_id=bo.user_id))
        for title, owner, case_id, due in (("Ring til lægen", anna, a1, TODAY - dt.timedelta(days=2)),
                                           ("Skriv statusbrev", anna, a2, TODAY + dt.timedelta(days=5)),
                                           ("Forbered samtale", bo, b1, TODAY - dt.timedelta(days=1)),
                                           ("Læs udredning", per, b1, TODAY + dt.timedelta(days=1))):
            s.add(Task(case_id=case_id, title=title, owner_id=owner.user_id, due_date=due,
                       created_by_id=lead.user_id))
    return dict(anna=anna, bo=bo, per=per, lead=lead, a1=a1, a2=a2, b1=b1, none=none)


def figures(d):
    return {f.key: f.value for f in d.figures}


def test_coordinator_sees_own_cases_and_own_tasks(services, world):
    d = services.dashboard.dashboard(world["anna"])
    assert figures(d) == {"my_cases": 2, "my_awaiting_visitation": 1, "my_overdue_tasks": 1, "my_meetings": 0,
                          "my_after_follow_ups_due": 0}
    assert d.figures[0].label == "åbne forløb, hvor du er koordinator"
    assert d.tasks_title == "Dine åbne opgaver"
    assert [(t.title, t.case_id, t.citizen, t.owner) for t in d.tasks] == [
        ("Ring til lægen", world["a1"], "Aase Østergaard", "Anna Berg"),
        ("Skriv statusbrev", world["a2"], "Alma Østergaard", "Anna Berg")]
    assert d.tasks[0].case_number.startswith("TTA-T-")
    assert d.by_phase == {"assessment": 1, "referral": 1}


def test_clinician_sees_the_cases_whose_team_they_are_on(services, world):
    d = services.dashboard.dashboard(world["per"])
    assert figures(d) == {"my_team_cases": 1, "my_overdue_tasks": 0, "my_meetings": 0}
    assert not any(f.key == "my_cases" for f in d.figures)  # no coordinator cards
    assert [t.title for t in d.tasks] == ["Læs udredning"]
    assert d.by_phase == {"assessment": 1}


def test_team_lead_sees_team_wide_figures_and_the_teams_overdue_tasks(services, world):
    d = services.dashboard.dashboard(world["lead"])
    assert figures(d) == {"open_cases": 4, "unassigned_cases": 1, "overdue_tasks": 2, "plans_awaiting_approval": 1,
                          "after_follow_ups_due": 0}
    assert d.tasks_title == "Teamets opgaver over fristen"
    assert [(t.title, t.owner) for t in d.tasks] == [("Ring til lægen", "Anna Berg"), ("Forbered samtale", "Bo Dahl")]
    assert sum(d.by_phase.values()) == 4


def test_after_follow_ups_due_count_for_the_coordinator_and_the_team(services, world, clock):
    v = services.cases.get_case(world["anna"], world["a1"]).version
    services.closing.close_case(world["anna"], world["a1"], expected_version=v, closed_date=TODAY,
                                outcome="full_return")
    clock.advance(days=95)
    assert figures(services.dashboard.dashboard(world["anna"]))["my_after_follow_ups_due"] == 1
    assert figures(services.dashboard.dashboard(world["bo"]))["my_after_follow_ups_due"] == 0
    assert figures(services.dashboard.dashboard(world["lead"]))["after_follow_ups_due"] == 1


def test_administrator_has_no_dashboard(services):
    with pytest.raises(PermissionDenied):
        services.dashboard.dashboard(make_user(services, "admin"))
