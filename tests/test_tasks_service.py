"""The task list: grouped by due date, made by hand, completed and undone, moved by the team lead."""
from __future__ import annotations

import datetime as dt

import pytest

from app.errors import NeedToKnow, PermissionDenied, ValidationError
from app.services.tasks import group_of
from db.models import CaseTeamMember, Task
from tests.factories import make_case, make_user


def test_groups_by_due_date():
    sunday = dt.date(2026, 11, 22)
    wednesday = dt.date(2026, 11, 18)
    assert group_of(dt.date(2026, 11, 21), sunday) == "overdue"
    assert group_of(sunday, sunday) == "today"
    assert group_of(dt.date(2026, 11, 23), sunday) == "later"          # Monday is next week
    assert group_of(dt.date(2026, 11, 22), wednesday) == "this_week"
    assert group_of(dt.date(2026, 11, 23), wednesday) == "later"


def test_my_tasks_create_complete_undo_move(services, clock):
    coord = make_user(services, "coordinator", full_name="Mette Holm")
    psych = make_user(services, "psychologist", full_name="Peter Berg")
    lead = make_user(services, "team_lead")
    case_id = make_case(services, coordinator_id=coord.user_id)
    today = clock().date()
    with services.db.write() as s:   # a deadline another feature stored: shown like any task
        s.add(Task(case_id=case_id, title="Opfølgningssamtale senest uge 8", owner_id=coord.user_id,
                   due_date=today - dt.timedelta(days=2), kind="deadline", created_by_id=coord.user_id))
    made = services.tasks.create_task(coord, case_id, title="Ring til lederen", due=today)
    services.tasks.create_task(coord, None, title="Forbered konference", due=today + dt.timedelta(days=20))
    groups = services.tasks.my_tasks(coord).groups
    assert [t.title for t in groups["overdue"]] == ["Opfølgningssamtale senest uge 8"]
    assert groups["overdue"][0].kind_label == "Frist" and groups["overdue"][0].case_id == case_id
    assert [t.title for t in groups["today"]] == ["Ring til lederen"]
    assert [t.title for t in groups["later"]] == ["Forbered konference"]
    def v() -> int:   # the task's version as read now
        return services.tasks.task(lead, made).version
    version = services.tasks.complete(coord, made, expected_version=v())
    assert "Ring til lederen" not in [t.title for t in services.tasks.my_tasks(coord).all()]
    services.tasks.undo_complete(coord, made, expected_version=version)
    assert "Ring til lederen" in [t.title for t in services.tasks.my_tasks(coord).all()]
    # Not on the case: may neither make a task on it nor complete another's task there.
    with pytest.raises(NeedToKnow):
        services.tasks.create_task(psych, case_id, title="x", due=today)
    with pytest.raises(NeedToKnow):
        services.tasks.complete(psych, made, expected_version=v())
    with pytest.raises(PermissionDenied):
        services.tasks.move(coord, made, psych.user_id, expected_version=v())
    # A task goes only to someone on the case: its title and description are case data.
    with pytest.raises(ValidationError, match="Peter Berg er ikke tilknyttet forløbet"):
        services.tasks.move(lead, made, psych.user_id, expected_version=v())
    with pytest.raises(ValidationError, match="ikke tilknyttet"):
        services.tasks.create_task(coord, case_id, title="Ring", due=today, owner_id=psych.user_id)
    with services.db.write() as s:
        s.add(CaseTeamMember(case_id=case_id, user_id=psych.user_id))
    services.tasks.move(lead, made, psych.user_id, expected_version=v())
    team = services.tasks.team_tasks(lead)
    assert [t.title for t in team["Peter Berg"].all()] == ["Ring til lederen"]
    services.tasks.complete(psych, made, expected_version=v())   # now it is in their own list
    assert services.tasks.task(lead, made).done_at is not None


def test_visitation_creates_the_first_tasks(services):
    coord = make_user(services, "coordinator")
    case_id = make_case(services, coordinator_id=coord.user_id, phase="visitation")
    version = services.cases.get_case(coord, case_id).version
    services.visitation.visitate(coord, case_id, expected_version=version, accepted=True,
                                 outside_criteria_reason="Afprøves trods kriterierne")
    kinds = sorted(t.kind for t in services.tasks.my_tasks(coord).all() if t.kind != "deadline")
    assert kinds == ["assessment", "first_conversation"]
