"""The field tables of an action plan (TTA-handlingsplan): the plan version itself, its goals, its
interventions, its gradual-return weeks, and a plan template.

This is the one place a plan field is declared (see ``app.fields``): the plan service validates
from these tables, ``app.labels`` names audited plan fields from them, the printout takes its
headings and choice words from them, and the forms of the record's Handlingsplan tab and of the
template editor are laid out from them.
"""
from __future__ import annotations

from app.fields import CHOICE, DATE, MULTILINE, NUMBER, ROWS, TEXT, USER, YESNO, Field, FieldTable
from db.models import ActionPlan, GradualReturnWeek, PlanGoal, PlanIntervention, PlanTemplate

WRITE = "plan.write"

GOAL = "Mål"
CITIZEN_SECTION = "Borgerens egne mål"
INTERVENTIONS = "Indsatser"
GRADUAL = "Gradvis tilbagevenden"

PLAN_GOAL_LABELS = {"own_job": "Tilbage til eget job", "other_job": "Tilbage i andet job",
                    "clarification": "Afklaring af arbejdsevnen", "other": "Andet"}
GOAL_OWNER_LABELS = {"citizen": "Borgerens mål", "team": "Delmål"}
INTERVENTION_STATUS_LABELS = {"planned": "Planlagt", "in_progress": "I gang", "done": "Gennemført",
                              "cancelled": "Aflyst"}
TEMPLATE_WORKPLACE_LABELS = {"any": "Med eller uden arbejdsplads", "with": "Med arbejdsplads",
                             "without": "Uden arbejdsplads"}

GOAL_FIELDS = FieldTable("plan_goal", [
    Field("owner", "Hvis mål", GOAL, CHOICE, PlanGoal.owner, required=True, default="team",
          choices=GOAL_OWNER_LABELS),
    Field("text", "Mål", GOAL, TEXT, PlanGoal.text, required=True, limit=500),
    Field("target_date", "Frist", GOAL, DATE, PlanGoal.target_date),
])

INTERVENTION_FIELDS = FieldTable("plan_intervention", [
    # A catalogue code, kept as text so a row with only an intervention chosen is not an "empty line"
    # of the form (``Field._clean_rows`` looks at text fields); the service checks it against the catalogue.
    Field("intervention", "Indsats", INTERVENTIONS, TEXT, catalog="intervention", required=True, limit=40),
    Field("responsible_id", "Ansvarlig", INTERVENTIONS, USER, PlanIntervention.responsible_id),
    Field("start_date", "Start", INTERVENTIONS, DATE, PlanIntervention.start_date),
    Field("end_date", "Slut", INTERVENTIONS, DATE, PlanIntervention.end_date),
    Field("status", "Status", INTERVENTIONS, CHOICE, PlanIntervention.status, required=True, default="planned",
          choices=INTERVENTION_STATUS_LABELS),
    Field("note", "Note", INTERVENTIONS, TEXT, PlanIntervention.note, limit=1000),
])

WEEK_FIELDS = FieldTable("gradual_return_week", [
    Field("starts_on", "Uge fra", GRADUAL, DATE, GradualReturnWeek.starts_on),
    Field("weekdays", "Dage", GRADUAL, TEXT, GradualReturnWeek.weekdays, placeholder="man, tir, ons"),
    Field("hours_per_week", "Timer pr. uge", GRADUAL, NUMBER, GradualReturnWeek.hours_per_week, required=True,
          bounds=(0, 60), unit="timer"),
    Field("tasks", "Opgaver", GRADUAL, TEXT, GradualReturnWeek.tasks, limit=1000),
    Field("accommodations", "Skånehensyn", GRADUAL, TEXT, GradualReturnWeek.accommodations, limit=1000),
    Field("follow_up", "Opfølgning", GRADUAL, TEXT, GradualReturnWeek.follow_up, limit=1000),
    Field("actual_hours", "Faktiske timer", GRADUAL, NUMBER, GradualReturnWeek.actual_hours, unit="timer"),
])

PLAN_FIELDS = FieldTable("action_plan", [
    Field("overall_goal", "Overordnet mål", GOAL, CHOICE, ActionPlan.overall_goal, required=True,
          default="own_job", choices=PLAN_GOAL_LABELS, edit_action=WRITE),
    Field("expected_return_date", "Måldato", GOAL, DATE, ActionPlan.expected_return_date, edit_action=WRITE),
    Field("target_hours", "Timer pr. uge ved målet", GOAL, NUMBER, ActionPlan.target_hours, bounds=(0, 60),
          unit="timer", edit_action=WRITE),
    Field("purpose", "Formål", GOAL, MULTILINE, ActionPlan.purpose, limit=10000, edit_action=WRITE,
          placeholder="Hvad skal forløbet føre til?"),
    Field("citizen_view", "Borgerens egne ord", CITIZEN_SECTION, MULTILINE, ActionPlan.citizen_view, limit=10000,
          edit_action=WRITE, placeholder="Borgerens mål og forventninger, med borgerens egne ord"),
    Field("work_adaptations", "Opgaver og tilpasninger på arbejdet", GRADUAL, MULTILINE,
          ActionPlan.work_adaptations, limit=10000, edit_action=WRITE,
          placeholder="Hvad er aftalt med arbejdspladsen: opgaver, skånehensyn, hjælpemidler"),
    Field("goals", "Mål", GOAL, ROWS, rows=GOAL_FIELDS, edit_action=WRITE),
    Field("interventions", "Indsatser", INTERVENTIONS, ROWS, rows=INTERVENTION_FIELDS, edit_action=WRITE),
    Field("weeks", "Gradvis tilbagevenden", GRADUAL, ROWS, rows=WEEK_FIELDS, edit_action=WRITE),
])

TEMPLATE_FIELDS = FieldTable("plan_template", [
    Field("name", "Navn", "Skabelon", TEXT, PlanTemplate.name, required=True),
    Field("subgroups", "Undergrupper", "Skabelon", TEXT, PlanTemplate.subgroups, required=True,
          placeholder="fx 1,2,3"),
    Field("workplace", "Arbejdsplads", "Skabelon", CHOICE, PlanTemplate.workplace, required=True, default="any",
          choices=TEMPLATE_WORKPLACE_LABELS),
    Field("overall_goal", "Overordnet mål", "Skabelon", CHOICE, PlanTemplate.overall_goal, required=True,
          default="own_job", choices=PLAN_GOAL_LABELS),
    Field("weeks", "Forløbets længde (uger)", "Skabelon", NUMBER, PlanTemplate.weeks, required=True, default=12,
          bounds=(0, 104), unit="uger"),
    Field("purpose", "Formål", "Skabelon", MULTILINE, PlanTemplate.purpose, limit=10000),
    Field("team_goals", "Delmål (ét pr. linje)", "Skabelon", MULTILINE, PlanTemplate.team_goals, limit=10000),
    Field("interventions", "Indsatser (koder, kommasepareret)", "Skabelon", TEXT, PlanTemplate.interventions,
          limit=1000),
    Field("gradual_weeks", "Uger med gradvis tilbagevenden", "Skabelon", NUMBER, PlanTemplate.gradual_weeks,
          default=0, unit="uger"),
    Field("gradual_start_hours", "Timer første uge", "Skabelon", NUMBER, PlanTemplate.gradual_start_hours,
          default=8, bounds=(0, 60), unit="timer"),
    Field("active", "Aktiv", "Skabelon", YESNO, PlanTemplate.active, required=True, default=True),
])
