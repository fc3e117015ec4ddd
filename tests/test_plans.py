"""The plan service: versions and approval, tasks on approval, the schedule rules, templates per
subgroup, actual hours, conflicts, and the audit trail."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.errors import ConflictError, PermissionDenied, ValidationError, ValidationErrors
from db.models import AuditEntry, Task
from tests.factories import make_case, make_user, plan_values


@pytest.fixture
def world(services):
    coord = make_user(services, "coordinator", "koord", full_name="Karin Koordinator")
    lead = make_user(services, "team_lead", "leder", full_name="Lene Leder")
    psych = make_user(services, "psychologist", "psyk", full_name="Per Psykolog")
    case_id = make_case(services, coordinator_id=coord.user_id, normal_hours=37.0, subgroup=2)
    return services, coord, lead, psych, case_id


def _draft(services, coord, case_id, **over):
    pid = services.plans.start_plan(coord, case_id)
    tab = services.plans.plan_tab(coord, case_id)
    values = plan_values(**over)
    for i in values["interventions"]:
        i["responsible_id"] = i["responsible_id"] or coord.user_id
    services.plans.save_plan(coord, pid, expected_version=tab.plan.version, values=values)
    return pid


def test_a_new_plan_starts_from_the_template_of_the_cases_subgroup(world):
    services, coord, _lead, _psych, case_id = world
    assert services.plans.plan_tab(coord, case_id).template_name.startswith("Grupper 1-3")
    services.plans.start_plan(coord, case_id)
    plan = services.plans.plan_tab(coord, case_id).plan
    assert plan.version_no == 1 and plan.status == "draft"
    assert {i["intervention"] for i in plan.interventions} >= {"psych_conversations", "round_table"}
    assert len(plan.weeks) == 6
    hours = [w["hours_per_week"] for w in plan.weeks]
    assert hours == sorted(hours) and hours[-1] == 37
    with pytest.raises(ValidationError, match="allerede en handlingsplan"):
        services.plans.start_plan(coord, case_id)


def test_approval_stores_who_and_when_and_makes_a_task_per_intervention(world, clock):
    services, coord, lead, psych, case_id = world
    pid = _draft(services, coord, case_id)
    tab = services.plans.plan_tab(coord, case_id)
    assert services.plans.approve(lead, pid, expected_version=tab.plan.version) == 2
    plan = services.plans.plan_tab(coord, case_id).plan
    assert (plan.status, plan.approved_by, plan.approved_at) == ("approved", "Lene Leder", clock.now)
    with services.db.read() as s:
        tasks = s.execute(select(Task.title, Task.owner_id).where(Task.case_id == case_id,
                                                                  Task.kind == "plan_intervention")).all()
    assert sorted(t.title for t in tasks) == ["Handlingsplan: Individuelle støttende og afklarende samtaler med "
                                              "psykolog", "Handlingsplan: Rundbordssamtale"]
    assert {t.owner_id for t in tasks} == {coord.user_id}
    board = services.dashboard.dashboard(coord)
    assert any(t.title.startswith("Handlingsplan:") for t in board.tasks)


def test_changing_an_approved_plan_makes_a_new_draft_and_approval_supersedes_the_old(world):
    services, coord, lead, _psych, case_id = world
    pid = _draft(services, coord, case_id)
    services.plans.approve(coord, pid, expected_version=services.plans.plan_tab(coord, case_id).plan.version)
    approved = services.plans.plan_tab(coord, case_id).plan
    with pytest.raises(ValidationError, match="ny version"):
        services.plans.save_plan(coord, pid, expected_version=approved.version, values=plan_values())
    v2 = services.plans.new_version(coord, pid, expected_version=approved.version)
    tab = services.plans.plan_tab(coord, case_id)
    assert [(v.version_no, v.status) for v in tab.versions] == [(2, "draft"), (1, "approved")]
    assert tab.plan.id == v2 and len(tab.plan.weeks) == 6 and len(tab.plan.interventions) == 2
    services.plans.save_plan(coord, v2, expected_version=tab.plan.version, values=plan_values(target_hours=37.0))
    services.plans.approve(lead, v2, expected_version=services.plans.plan_tab(coord, case_id).plan.version)
    tab = services.plans.plan_tab(coord, case_id)
    assert [(v.version_no, v.status) for v in tab.versions] == [(2, "approved"), (1, "superseded")]
    old = services.plans.plan_tab(coord, case_id, version_no=1).plan
    assert old.values["target_hours"] == 30 and old.status == "superseded"


def test_hours_above_the_contract_or_falling_are_refused_naming_the_week(world):
    services, coord, _lead, _psych, case_id = world
    pid = services.plans.start_plan(coord, case_id)
    version = services.plans.plan_tab(coord, case_id).plan.version
    weeks = plan_values()["weeks"]
    weeks[3]["hours_per_week"] = 40.0
    with pytest.raises(ValidationErrors) as exc:
        services.plans.save_plan(coord, pid, expected_version=version, values=plan_values(weeks=weeks,
                                                                                          target_hours=None))
    assert exc.value.errors[0].label == "Gradvis tilbagevenden – uge 4"
    assert "over kontraktens 37 timer" in exc.value.errors[0].rule
    weeks[3]["hours_per_week"] = 10.0
    with pytest.raises(ValidationErrors, match="uge 4: timerne falder fra 16 til 10"):
        services.plans.save_plan(coord, pid, expected_version=version, values=plan_values(weeks=weeks))


def test_an_empty_plan_cannot_be_approved_or_printed(world):
    services, coord, _lead, _psych, _case = world
    case_id = make_case(services, coordinator_id=coord.user_id, subgroup=None)
    pid = services.plans.start_plan(coord, case_id)   # no template fits: an empty draft
    plan = services.plans.plan_tab(coord, case_id).plan
    assert plan.goals == [] and plan.interventions == []
    with pytest.raises(ValidationErrors, match="planen er tom"):
        services.plans.approve(coord, pid, expected_version=plan.version)
    with pytest.raises(ValidationErrors, match="planen er tom"):
        services.plans.plan_pdf(coord, case_id)


def test_a_stale_save_is_a_conflict(world):
    services, coord, _lead, _psych, case_id = world
    pid = _draft(services, coord, case_id)
    stale = services.plans.plan_tab(coord, case_id).plan.version - 1
    with pytest.raises(ConflictError):
        services.plans.save_plan(coord, pid, expected_version=stale, values=plan_values())
    with pytest.raises(ConflictError):
        services.plans.approve(coord, pid, expected_version=stale)


def test_actual_hours_are_entered_on_the_approved_plan(world):
    services, coord, lead, _psych, case_id = world
    pid = _draft(services, coord, case_id)
    services.plans.approve(lead, pid, expected_version=services.plans.plan_tab(coord, case_id).plan.version)
    plan = services.plans.plan_tab(coord, case_id).plan
    services.plans.record_actual_hours(coord, pid, expected_version=plan.version, hours={1: 7.5, 2: 12.0})
    plan = services.plans.plan_tab(coord, case_id).plan
    assert [w["actual_hours"] for w in plan.weeks] == [7.5, 12.0, None, None, None, None]
    with pytest.raises(ValidationError, match="mellem 0 og 80"):
        services.plans.record_actual_hours(coord, pid, expected_version=plan.version, hours={3: -1})


def test_only_coordinators_and_the_team_lead_write_and_approve(world):
    services, coord, _lead, psych, case_id = world
    with pytest.raises(PermissionDenied):
        services.plans.start_plan(psych, case_id)
    pid = _draft(services, coord, case_id)
    with pytest.raises(PermissionDenied):
        services.plans.approve(psych, pid, expected_version=1)


def test_templates_are_kept_by_the_team_lead(world):
    services, coord, lead, _psych, _case = world
    rows = services.plans.templates(lead)
    assert len(rows) == 3
    first = rows[0]
    services.plans.save_template(lead, first.id, {**first.values, "weeks": 14}, expected_version=first.version)
    assert next(t for t in services.plans.templates(lead) if t.id == first.id).values["weeks"] == 14
    with pytest.raises(ValidationError, match="undergrupper 1-8"):
        services.plans.save_template(lead, None, {**first.values, "name": "Ny", "subgroups": "9"})
    with pytest.raises(ValidationError, match="ukendt indsats"):
        services.plans.save_template(lead, None, {**first.values, "name": "Ny", "interventions": "yoga"})
    with pytest.raises(PermissionDenied):
        services.plans.templates(coord)


def test_reads_changes_and_prints_are_in_the_access_log(world):
    services, coord, lead, _psych, case_id = world
    pid = _draft(services, coord, case_id)
    services.plans.approve(lead, pid, expected_version=services.plans.plan_tab(coord, case_id).plan.version)
    services.plans.plan_pdf(lead, case_id, audience="employer")
    services.plans.log_print(lead, case_id, version_no=1, audience="employer", how="printer")
    with services.db.read() as s:
        entries = s.execute(select(AuditEntry.action, AuditEntry.detail).where(
            AuditEntry.entity == "action_plan", AuditEntry.case_id == case_id)).all()
    actions = [a for a, _ in entries]
    assert {"create", "update", "read", "print"} <= set(actions)
    assert any("godkendt, 2 opgaver" in d for _, d in entries)
    assert any(a == "print" and "arbejdsgiverens version: printer" in d for a, d in entries)


def test_a_week_with_hours_but_no_words_is_kept_and_a_row_with_only_a_date_is_refused(world):
    """The template's weeks have a start and hours and no text: saving the draft as it came keeps
    them (they were dropped as empty form lines); a goal with a deadline but no words is refused
    naming the field, not dropped; a row with nothing entered is an empty line of the form."""
    services, coord, _lead, _psych, case_id = world
    pid = services.plans.start_plan(coord, case_id)
    plan = services.plans.plan_tab(coord, case_id).plan
    fields = ("starts_on", "weekdays", "hours_per_week", "tasks", "accommodations", "follow_up", "actual_hours")
    weeks = [{k: w[k] for k in fields} for w in plan.weeks]
    assert len(weeks) == 6 and not any(w["tasks"] or w["weekdays"] for w in weeks)
    values = {**plan.values, "goals": [{"owner": "team", "text": "Tilbage på 37 timer", "target_date": None},
                                       {"owner": "citizen", "text": "", "target_date": None}],
              "interventions": [], "weeks": weeks}
    services.plans.save_plan(coord, pid, expected_version=plan.version, values=values)
    saved = services.plans.plan_tab(coord, case_id).plan
    assert [w["hours_per_week"] for w in saved.weeks] == [w["hours_per_week"] for w in weeks]
    assert [g["text"] for g in saved.goals] == ["Tilbage på 37 timer"]  # the blank line is not a goal
    values["goals"][1]["target_date"] = weeks[-1]["starts_on"]
    with pytest.raises(ValidationErrors) as exc:
        services.plans.save_plan(coord, pid, expected_version=saved.version, values=values)
    assert [(e.field, e.label, e.rule) for e in exc.value.errors] == [("goals", "Mål – række 2, mål", "skal udfyldes")]
    assert len(services.plans.plan_tab(coord, case_id).plan.goals) == 1  # nothing half-saved
