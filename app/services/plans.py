"""Action plans (TTA-handlingsplaner): versions, goals, interventions, the gradual-return schedule,
approval with tasks, templates per subgroup, and the three printouts.

A plan is drafted, then approved by a coordinator or the team lead (name and time are stored).
An approved plan is never changed: "Ret planen" makes a new draft version from it, and approving
that draft marks the older one superseded. Every version stays readable and printable. Actual hours
of a gradual-return week are entered on the approved plan as the weeks pass (they record what
happened, not what was agreed). Every call needs full access to the case (``app.access``).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm.attributes import flag_modified

from app.access import full_access_clause
from app.errors import NotFound, ValidationError, ValidationErrors
from app.labels import INSTRUMENT_LABELS, ROLE_LABELS
from app.plan_fields import (
    INTERVENTION_STATUS_LABELS,
    PLAN_FIELDS,
    PLAN_GOAL_LABELS,
    TEMPLATE_FIELDS,
)
from app.services.admin import read_setting
from app.services.base import Actor, ServiceBase, check_version, get_or_404, require
from app.services.deadlines import sync_case_deadlines
from app.validation import mask_cpr
from db.models import (
    ActionPlan,
    Assessment,
    Case,
    CaseAbsenceReason,
    CaseIcd10,
    CatalogItem,
    Citizen,
    GradualReturnWeek,
    InstrumentResult,
    PlanAssessment,
    PlanGoal,
    PlanIntervention,
    PlanTemplate,
    Task,
    User,
)

AUDIENCES = ("team", "citizen", "employer")
AUDIENCE_LABELS = {"team": "Teamets version", "citizen": "Borgerens version", "employer": "Arbejdsgiverens version"}
# Interventions the employer's printout names: those that take place at or with the workplace.
WORKPLACE_INTERVENTIONS = frozenset({"workplace_visit", "round_table", "gradual_return", "workplace_mentor",
                                     "workplace_consultant", "job_matching"})
TASK_KIND = "plan_intervention"
PLAN_CHILDREN = ("goals", "interventions", "weeks")


@dataclass(frozen=True)
class PlanVersion:
    id: int
    version_no: int
    status: str
    created_at: dt.datetime
    approved_by: str
    approved_at: dt.datetime | None


@dataclass(frozen=True)
class AssessmentLink:
    id: int
    discipline: str      # Danish
    assessed_on: dt.date
    author: str
    summary: str


@dataclass(frozen=True)
class PlanDetail:
    """One version of a case's plan with everything the tab and the printouts show."""
    id: int
    case_id: int
    version: int                  # for expected_version
    version_no: int
    status: str
    values: dict[str, Any]        # the plan's own fields (PLAN_FIELDS, without the rows)
    goals: list[dict[str, Any]]
    interventions: list[dict[str, Any]]   # with "label" and "responsible" (names) besides the codes
    weeks: list[dict[str, Any]]           # with "week_no"
    assessment_ids: list[int]
    created_by: str
    created_at: dt.datetime
    approved_by: str
    approved_at: dt.datetime | None
    versions: list[PlanVersion] = field(default_factory=list)

    @property
    def editable(self) -> bool:
        return self.status == "draft"


@dataclass(frozen=True)
class PlanTab:
    """What the record's Handlingsplan tab needs: the case's plan versions (newest first), the one
    shown, the team members who may be responsible, the assessments to link, the contract hours."""
    versions: list[PlanVersion]
    plan: PlanDetail | None
    members: list[tuple[int, str]]
    assessments: list[AssessmentLink]
    contract_hours: float | None
    template_name: str            # the template a new plan would start from ("" when none fits)
    intervention_choices: list[tuple[str, str]]   # active catalogue items (code, label)


@dataclass(frozen=True)
class PlanDocument:
    """The data of a printout (``app.printing.action_plan``): the plan, its case and the letterhead."""
    audience: str
    plan: PlanDetail
    case_number: str
    citizen_name: str
    cpr_masked: str
    coordinator: str
    employer: str
    job_title: str
    contract_hours: float | None
    assessments: list[AssessmentLink]
    icd10: list[str]
    absence_reasons: list[str]
    scores: list[str]             # "WHO-5 trivselsindeks: 44 (12-10-2026)"
    letterhead: dict[str, Any]
    printed_by: str
    printed_at: dt.datetime


@dataclass(frozen=True)
class TemplateRow:
    id: int
    version: int
    values: dict[str, Any]


@dataclass(frozen=True)
class ApprovedPlan:
    case_id: int
    case_number: str
    version_no: int
    approved_at: dt.datetime


class PlanService(ServiceBase):
    # -- reading -------------------------------------------------------------------------------
    def plan_tab(self, actor: Actor, case_id: int, version_no: int | None = None) -> PlanTab:
        """The versions of the case's plan and one of them in full (the newest when not named)."""
        def work(s):
            self.require_case(s, actor, case_id)
            c = get_or_404(s, Case, case_id, "Forløb")
            versions = self._versions(s, case_id)
            plan = None
            if versions:
                chosen = next((v for v in versions if v.version_no == version_no), versions[0])
                plan = self._detail(s, s.get(ActionPlan, chosen.id), versions)
            members = [(u.id, u.full_name) for u in s.scalars(
                select(User).where(User.active.is_(True), User.role != "admin").order_by(User.full_name))]
            template = self._template_for(s, c)
            self.audit(s, actor, "read", "action_plan", plan.id if plan else None, case_id=case_id,
                       detail=f"version {plan.version_no}" if plan else "")
            choices = [(i.code, i.label) for i in s.scalars(
                select(CatalogItem).where(CatalogItem.kind == "intervention", CatalogItem.active.is_(True))
                .order_by(CatalogItem.sort_order, CatalogItem.id))]
            return PlanTab(versions, plan, members, self._assessments(s, case_id), c.normal_hours_per_week,
                           template.name if template else "", choices)
        return self._write(actor, "case.read", work)

    def _versions(self, s, case_id: int) -> list[PlanVersion]:
        rows = s.execute(select(ActionPlan, User.full_name).outerjoin(User, User.id == ActionPlan.approved_by_id)
                         .where(ActionPlan.case_id == case_id).order_by(ActionPlan.version_no.desc())).all()
        return [PlanVersion(p.id, p.version_no, p.status, p.created_at, name or "", p.approved_at) for p, name in rows]

    def _detail(self, s, p: ActionPlan, versions: list[PlanVersion] | None = None) -> PlanDetail:
        goals = [{"owner": g.owner, "text": g.text, "target_date": g.target_date} for g in s.scalars(
            select(PlanGoal).where(PlanGoal.plan_id == p.id).order_by(PlanGoal.sort_order, PlanGoal.id))]
        interventions = []
        for i, item, who in s.execute(
                select(PlanIntervention, CatalogItem, User.full_name)
                .join(CatalogItem, CatalogItem.id == PlanIntervention.intervention_id)
                .outerjoin(User, User.id == PlanIntervention.responsible_id)
                .where(PlanIntervention.plan_id == p.id).order_by(PlanIntervention.sort_order, PlanIntervention.id)):
            interventions.append({"intervention": item.code, "label": item.label, "responsible_id": i.responsible_id,
                                  "responsible": who or "", "start_date": i.start_date, "end_date": i.end_date,
                                  "status": i.status, "note": i.note})
        weeks = [{"week_no": w.week_no, "starts_on": w.starts_on, "weekdays": w.weekdays,
                  "hours_per_week": w.hours_per_week, "tasks": w.tasks, "accommodations": w.accommodations,
                  "follow_up": w.follow_up, "actual_hours": w.actual_hours} for w in s.scalars(
            select(GradualReturnWeek).where(GradualReturnWeek.plan_id == p.id).order_by(GradualReturnWeek.week_no))]
        values = {f.name: getattr(p, f.name) for f in PLAN_FIELDS if f.name not in PLAN_CHILDREN}
        linked = list(s.scalars(select(PlanAssessment.assessment_id).where(PlanAssessment.plan_id == p.id)))
        names = dict(s.execute(select(User.id, User.full_name).where(
            User.id.in_([i for i in (p.created_by_id, p.approved_by_id) if i is not None]))).all())
        return PlanDetail(p.id, p.case_id, p.version, p.version_no, p.status, values, goals, interventions, weeks,
                          sorted(linked), names.get(p.created_by_id, ""), p.created_at,
                          names.get(p.approved_by_id, "") if p.approved_by_id else "", p.approved_at,
                          versions if versions is not None else self._versions(s, p.case_id))

    @staticmethod
    def _assessments(s, case_id: int) -> list[AssessmentLink]:
        return [AssessmentLink(a.id, ROLE_LABELS.get(a.discipline, a.discipline), a.assessed_on, name, a.summary)
                for a, name in s.execute(select(Assessment, User.full_name).join(User, User.id == Assessment.author_id)
                                         .where(Assessment.case_id == case_id).order_by(Assessment.assessed_on))]

    def _plan_of_case(self, s, actor: Actor, plan_id: int, action: str) -> ActionPlan:
        p = get_or_404(s, ActionPlan, plan_id, "Handlingsplan")
        self.require_case(s, actor, p.case_id, action=action)
        return p

    # -- templates -----------------------------------------------------------------------------
    @staticmethod
    def _template_for(s, c: Case) -> PlanTemplate | None:
        """The first active template whose subgroups hold the case's and whose workplace rule fits."""
        if c.subgroup is None:
            return None   # not yet placed in a subgroup: the plan starts empty
        has_workplace = c.employment_status == "employed"
        for t in s.scalars(select(PlanTemplate).where(PlanTemplate.active.is_(True)).order_by(PlanTemplate.id)):
            groups = {g.strip() for g in t.subgroups.split(",")}
            if str(c.subgroup) not in groups:
                continue
            if t.workplace == "with" and not has_workplace or t.workplace == "without" and has_workplace:
                continue
            return t
        return None

    def templates(self, actor: Actor) -> list[TemplateRow]:
        def work(s):
            return [TemplateRow(t.id, t.version, {f.name: getattr(t, f.name) for f in TEMPLATE_FIELDS})
                    for t in s.scalars(select(PlanTemplate).order_by(PlanTemplate.name))]
        return self._read(actor, "plan.templates", work)

    def save_template(self, actor: Actor, template_id: int | None, values: Mapping[str, Any], *,
                      expected_version: int | None = None) -> int:
        """Create (``template_id`` None) or change a template; subgroups are numbers 1-8."""
        clean = TEMPLATE_FIELDS.validate(values)
        groups = [g.strip() for g in clean["subgroups"].split(",") if g.strip()]
        if not groups or any(not g.isdigit() or not 1 <= int(g) <= 8 for g in groups):
            raise ValidationError("subgroups", "skal være undergrupper 1-8 adskilt af komma",
                                  label=TEMPLATE_FIELDS["subgroups"].label)
        clean["subgroups"] = ",".join(sorted(set(groups), key=int))
        clean["weeks"] = int(clean["weeks"])
        clean["gradual_weeks"] = int(clean["gradual_weeks"] or 0)
        if not 0 <= clean["gradual_weeks"] <= 26:
            raise ValidationError("gradual_weeks", "skal være mellem 0 og 26 uger",
                                  label=TEMPLATE_FIELDS["gradual_weeks"].label)

        def work(s):
            known = set(s.scalars(select(CatalogItem.code).where(CatalogItem.kind == "intervention")))
            codes = [c.strip() for c in clean["interventions"].split(",") if c.strip()]
            unknown = [c for c in codes if c not in known]
            if unknown:
                raise ValidationError("interventions", "ukendt indsats: " + ", ".join(unknown),
                                      label=TEMPLATE_FIELDS["interventions"].label)
            clean["interventions"] = ",".join(codes)
            return self.save_record(s, actor, PlanTemplate, template_id, clean, expected_version=expected_version,
                                    entity="plan_template", not_found="Skabelon", what="skabelonen")
        return self._write(actor, "plan.templates", work, what="skabelonen")

    # -- writing -------------------------------------------------------------------------------
    def start_plan(self, actor: Actor, case_id: int) -> int:
        """The case's first plan, as a draft filled from the template of its subgroup."""
        def work(s):
            self.require_case(s, actor, case_id, action="plan.write")
            c = get_or_404(s, Case, case_id, "Forløb")
            if s.scalar(select(func.count()).select_from(ActionPlan).where(ActionPlan.case_id == case_id)):
                raise ValidationError("plan", "forløbet har allerede en handlingsplan; ret den i stedet",
                                      label="Handlingsplan")
            p = ActionPlan(case_id=case_id, version_no=1, status="draft", created_by_id=actor.user_id)
            s.add(p)
            s.flush()
            t = self._template_for(s, c)
            if t is not None:
                self._apply_template(s, p, c, t)
            c.last_activity_at = self.clock()
            self.audit(s, actor, "create", "action_plan", p.id, case_id=case_id,
                       detail=f"version 1 fra skabelonen {t.name}" if t else "version 1")
            return p.id
        return self._write(actor, "plan.write", work)

    def _apply_template(self, s, p: ActionPlan, c: Case, t: PlanTemplate) -> None:
        today = self.today()
        p.overall_goal, p.purpose = t.overall_goal, t.purpose
        p.expected_return_date = today + dt.timedelta(weeks=t.weeks)
        for n, text in enumerate(line.strip() for line in t.team_goals.splitlines() if line.strip()):
            s.add(PlanGoal(plan_id=p.id, owner="team", text=text, target_date=p.expected_return_date, sort_order=n))
        items = _intervention_ids(s)
        for n, code in enumerate(x.strip() for x in t.interventions.split(",") if x.strip()):
            if code in items:
                s.add(PlanIntervention(plan_id=p.id, intervention_id=items[code], responsible_id=c.coordinator_id,
                                       start_date=today, status="planned", sort_order=n))
        contract = c.normal_hours_per_week
        if t.gradual_weeks and contract:
            p.target_hours = contract
            monday = today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)
            start = min(t.gradual_start_hours, contract)
            for k in range(t.gradual_weeks):
                hours = start if t.gradual_weeks == 1 else start + (contract - start) * k / (t.gradual_weeks - 1)
                s.add(GradualReturnWeek(plan_id=p.id, week_no=k + 1, starts_on=monday + dt.timedelta(weeks=k),
                                        hours_per_week=float(round(hours)), days_per_week=None))

    def save_plan(self, actor: Actor, plan_id: int, *, expected_version: int, values: Mapping[str, Any],
                  assessment_ids: Iterable[int] = ()) -> int:
        """Save a draft: its own fields and its goals, interventions and weeks (replacing the rows).
        Returns the plan's new version (for the next ``expected_version``)."""
        def work(s):
            p = self._plan_of_case(s, actor, plan_id, "plan.write")
            check_version(p, expected_version, "handlingsplanen")
            if p.status != "draft":
                raise ValidationError("status", "en godkendt plan rettes ved at lave en ny version",
                                      label="Handlingsplan")
            c = s.get(Case, p.case_id)
            clean = self._validate(s, values, c.normal_hours_per_week)
            for name, value in clean.items():
                if name not in PLAN_CHILDREN:
                    setattr(p, name, value)
            self._replace_rows(s, p, clean)
            links = set(assessment_ids)
            own = set(s.scalars(select(Assessment.id).where(Assessment.case_id == p.case_id, Assessment.id.in_(links))))
            if own != links:
                raise ValidationError("assessments", "hører ikke til forløbet", label="Udredninger")
            s.execute(delete(PlanAssessment).where(PlanAssessment.plan_id == p.id))
            s.add_all(PlanAssessment(plan_id=p.id, assessment_id=a) for a in sorted(links))
            p.updated_at = self.clock()
            flag_modified(p, "updated_at")   # the plan's version counts every save, rows included
            c.last_activity_at = self.clock()
            s.flush()
            self.audit(s, actor, "update", "action_plan", p.id, case_id=p.case_id, fields=sorted(clean),
                       detail=f"version {p.version_no}")
            return p.version
        return self._write(actor, "plan.write", work, what="handlingsplanen")

    def _validate(self, s, values: Mapping[str, Any], contract: float | None) -> dict[str, Any]:
        clean, errors = PLAN_FIELDS.check(values)
        known = set(s.scalars(select(CatalogItem.code).where(CatalogItem.kind == "intervention")))
        users = set(s.scalars(select(User.id).where(User.active.is_(True))))
        for n, row in enumerate(clean.get("interventions", []), 1):
            label = f"Indsatser – række {n}"
            if row["intervention"] not in known:
                errors.append(ValidationError("interventions", "ukendt indsats", label=label))
            elif row["responsible_id"] is not None and row["responsible_id"] not in users:
                errors.append(ValidationError("interventions", "den ansvarlige findes ikke", label=label))
            elif row["start_date"] and row["end_date"] and row["end_date"] < row["start_date"]:
                errors.append(ValidationError("interventions", "slutdatoen ligger før starten", label=label))
        errors += schedule_errors(clean.get("weeks", []), target=clean.get("target_hours"), contract=contract)
        if errors:
            raise ValidationErrors(errors)
        return clean

    @staticmethod
    def _replace_rows(s, p: ActionPlan, clean: Mapping[str, Any]) -> None:
        for model in (PlanGoal, PlanIntervention, GradualReturnWeek):
            s.execute(delete(model).where(model.plan_id == p.id))
        for n, g in enumerate(clean.get("goals", [])):
            s.add(PlanGoal(plan_id=p.id, sort_order=n, **g))
        items = _intervention_ids(s)
        for n, i in enumerate(clean.get("interventions", [])):
            row = {k: v for k, v in i.items() if k != "intervention"}
            s.add(PlanIntervention(plan_id=p.id, intervention_id=items[i["intervention"]], sort_order=n, **row))
        for n, w in enumerate(clean.get("weeks", []), 1):
            s.add(GradualReturnWeek(plan_id=p.id, week_no=n, **w))

    def approve(self, actor: Actor, plan_id: int, *, expected_version: int) -> int:
        """Approve a draft (name and time stored); the approved version before it becomes superseded;
        each intervention's responsible person gets a task. Returns the number of tasks made."""
        def work(s):
            p = self._plan_of_case(s, actor, plan_id, "plan.approve")
            check_version(p, expected_version, "handlingsplanen")
            if p.status != "draft":
                raise ValidationError("status", "kun en kladde kan godkendes", label="Handlingsplan")
            detail = self._detail(s, p, [])
            c = s.get(Case, p.case_id)
            problems = plan_problems(detail, c.normal_hours_per_week)
            if problems:
                raise ValidationErrors(problems)
            now = self.clock()
            for old in s.scalars(select(ActionPlan).where(ActionPlan.case_id == p.case_id,
                                                          ActionPlan.status == "approved")):
                old.status = "superseded"
            p.status, p.approved_by_id, p.approved_at = "approved", actor.user_id, now
            made = 0
            for i in detail.interventions:
                if i["status"] in ("done", "cancelled"):
                    continue
                owner = i["responsible_id"] or c.coordinator_id or actor.user_id
                s.add(Task(case_id=c.id, title=f"Handlingsplan: {i['label']}"[:200],
                           description=f"Indsats i handlingsplan version {p.version_no}. {i['note']}".strip(),
                           owner_id=owner, due_date=i["start_date"] or self.today(), kind=TASK_KIND,
                           created_by_id=actor.user_id))
                made += 1
            c.last_activity_at = now
            sync_case_deadlines(s, c.id, acting_user_id=actor.user_id)
            s.flush()
            self.audit(s, actor, "update", "action_plan", p.id, case_id=c.id, fields=["status", "approved_at"],
                       detail=f"version {p.version_no} godkendt, {made} opgaver oprettet")
            return made
        return self._write(actor, "plan.approve", work, what="handlingsplanen")

    def new_version(self, actor: Actor, plan_id: int, *, expected_version: int) -> int:
        """A new draft copied from an approved plan (the approved one stays until the draft is approved)."""
        def work(s):
            p = self._plan_of_case(s, actor, plan_id, "plan.write")
            check_version(p, expected_version, "handlingsplanen")
            if p.status != "approved":
                raise ValidationError("status", "kun den godkendte plan kan danne en ny version", label="Handlingsplan")
            draft = s.scalar(select(ActionPlan.id).where(ActionPlan.case_id == p.case_id,
                                                         ActionPlan.status == "draft"))
            if draft is not None:
                return draft
            new = copy_to_draft(s, p, actor.user_id)
            s.flush()
            self.audit(s, actor, "create", "action_plan", new.id, case_id=p.case_id,
                       detail=f"version {new.version_no} fra version {p.version_no}")
            return new.id
        return self._write(actor, "plan.write", work, what="handlingsplanen")

    def record_actual_hours(self, actor: Actor, plan_id: int, *, expected_version: int,
                            hours: Mapping[int, float | None]) -> None:
        """The hours actually worked, per week number, on a draft or the approved plan."""
        for week_no, value in hours.items():
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                                      or not 0 <= value <= 80):
                raise ValidationError("actual_hours", "skal være et tal mellem 0 og 80",
                                      label=f"Faktiske timer – uge {week_no}")

        def work(s):
            p = self._plan_of_case(s, actor, plan_id, "plan.write")
            check_version(p, expected_version, "handlingsplanen")
            if p.status == "superseded":
                raise ValidationError("status", "en erstattet version kan ikke ændres", label="Handlingsplan")
            weeks = {w.week_no: w for w in s.scalars(select(GradualReturnWeek)
                                                     .where(GradualReturnWeek.plan_id == p.id))}
            changed = []
            for week_no, value in hours.items():
                if week_no not in weeks:
                    raise NotFound("Uge", week_no)
                if weeks[week_no].actual_hours != value:
                    weeks[week_no].actual_hours = value
                    changed.append(week_no)
            p.updated_at = self.clock()
            flag_modified(p, "updated_at")
            s.flush()
            self.audit(s, actor, "update", "action_plan", p.id, case_id=p.case_id, fields=["actual_hours"],
                       detail="uge " + ", ".join(str(n) for n in changed))
        self._write(actor, "plan.write", work, what="handlingsplanen")

    # -- printing ------------------------------------------------------------------------------
    def plan_document(self, actor: Actor, case_id: int, *, version_no: int | None = None,
                      audience: str = "team") -> PlanDocument:
        """Everything a printout of one version needs (the newest when not named); logged as a read."""
        if audience not in AUDIENCES:
            raise ValidationError("audience", "skal være team, citizen eller employer", label="Modtager")

        def work(s):
            self.require_case(s, actor, case_id, action="letter.print")
            c = get_or_404(s, Case, case_id, "Forløb")
            q = select(ActionPlan).where(ActionPlan.case_id == case_id)
            q = q.where(ActionPlan.version_no == version_no) if version_no else q.order_by(
                ActionPlan.version_no.desc()).limit(1)
            p = s.scalar(q)
            if p is None:
                raise NotFound("Handlingsplan" + (f" version {version_no}" if version_no else ""), case_id)
            cit = s.get(Citizen, c.citizen_id)
            coordinator = s.get(User, c.coordinator_id).full_name if c.coordinator_id else ""
            plan = self._detail(s, p)
            linked = [a for a in self._assessments(s, case_id) if a.id in plan.assessment_ids]
            icd = [] if audience == "employer" else list(s.scalars(
                select(CaseIcd10.code).where(CaseIcd10.case_id == case_id).order_by(CaseIcd10.code)))
            reasons = [] if audience == "employer" else list(s.scalars(
                select(CatalogItem.label).join(CaseAbsenceReason, CaseAbsenceReason.reason_id == CatalogItem.id)
                .where(CaseAbsenceReason.case_id == case_id)))
            scores = []
            if audience == "team":
                for r in s.scalars(select(InstrumentResult).where(InstrumentResult.case_id == case_id)
                                   .order_by(InstrumentResult.taken_on)):
                    scores.append(f"{INSTRUMENT_LABELS.get(r.instrument, r.instrument)}: {r.score:g} "
                                  f"({r.taken_on:%d-%m-%Y})".replace(".", ",", 1) + (f", {r.band}" if r.band else ""))
            self.audit(s, actor, "read", "action_plan", p.id, case_id=case_id,
                       detail=f"udskrift version {p.version_no}, {AUDIENCE_LABELS[audience].lower()}")
            return PlanDocument(audience, plan, c.case_number, f"{cit.first_name} {cit.last_name}",
                                mask_cpr(cit.cpr), coordinator, c.employer_name, c.job_title,
                                c.normal_hours_per_week, linked if audience == "team" else [], icd,
                                reasons if audience == "team" else [], scores, read_setting(s, "letterhead"),
                                actor.full_name, self.clock())
        return self._write(actor, "letter.print", work)

    def plan_pdf(self, actor: Actor, case_id: int, *, version_no: int | None = None, audience: str = "team") -> bytes:
        """The printout as PDF bytes (for the preview); nothing is logged as printed until ``log_print``."""
        from app.printing.action_plan import render_action_plan  # ReportLab loads when something is printed
        doc = self.plan_document(actor, case_id, version_no=version_no, audience=audience)
        problems = plan_problems(doc.plan, doc.contract_hours)
        if problems:
            raise ValidationErrors(problems)
        return render_action_plan(doc)

    def log_print(self, actor: Actor, case_id: int, *, version_no: int, audience: str, how: str) -> None:
        """Record that a printout left the program (``how``: "printer", "pdf" or a file name)."""
        def work(s):
            self.require_case(s, actor, case_id, action="letter.print")
            pid = s.scalar(select(ActionPlan.id).where(ActionPlan.case_id == case_id,
                                                       ActionPlan.version_no == version_no))
            self.audit(s, actor, "print", "action_plan", pid, case_id=case_id,
                       detail=f"version {version_no}, {AUDIENCE_LABELS.get(audience, audience).lower()}: {how}")
        self._write(actor, "letter.print", work)

    def find_case(self, actor: Actor, case_number: str) -> int:
        """The id of the case with this number (as shown in the app); NotFound otherwise."""
        def work(s):
            cid = s.scalar(select(Case.id).where(Case.case_number == case_number.strip().upper()))
            if cid is None:
                raise NotFound("Forløb", case_number)
            return cid
        return self._read(actor, "letter.print", work)

    def approved_since(self, actor: Actor, since: dt.date) -> list[ApprovedPlan]:
        """Plans approved on or after ``since`` in the cases the actor reads in full, oldest first."""
        require(actor, "letter.print")

        def work(s):
            start = dt.datetime.combine(since, dt.time())
            rows = s.execute(select(ActionPlan.case_id, Case.case_number, ActionPlan.version_no,
                                    ActionPlan.approved_at).join(Case, Case.id == ActionPlan.case_id)
                             .where(ActionPlan.approved_at >= start, ActionPlan.status != "draft",
                                    full_access_clause(actor, self.clock()))
                             .order_by(ActionPlan.approved_at, Case.case_number)).all()
            self.audit(s, actor, "read", "action_plan", None, detail=f"godkendt siden {since:%d-%m-%Y}",
                       case_ids=[r.case_id for r in rows])
            return [ApprovedPlan(*r) for r in rows]
        return self._write(actor, "letter.print", work)


def schedule_errors(weeks: list[Mapping[str, Any]], *, target: float | None,
                    contract: float | None) -> list[ValidationError]:
    """The gradual-return rules: hours never fall from one week to the next, never pass the target
    hours, never pass the contract hours. Each error names the week."""
    errors = []
    previous = None
    for n, w in enumerate(weeks, 1):
        hours = w["hours_per_week"]
        label = f"Gradvis tilbagevenden – uge {n}"
        if contract is not None and hours > contract:
            errors.append(ValidationError("weeks", f"{_h(hours)} timer er over kontraktens {_h(contract)} timer "
                                          "om ugen", label=label))
        elif target is not None and hours > target:
            errors.append(ValidationError("weeks", f"{_h(hours)} timer er over målet på {_h(target)} timer",
                                          label=label))
        elif previous is not None and hours < previous:
            errors.append(ValidationError("weeks", f"timerne falder fra {_h(previous)} til {_h(hours)}; de skal stige "
                                          "mod målet", label=label))
        previous = hours
    if target is not None and contract is not None and target > contract:
        errors.append(ValidationError("target_hours", f"målet er over kontraktens {_h(contract)} timer om ugen",
                                      label=PLAN_FIELDS["target_hours"].label))
    return errors


def plan_problems(plan: PlanDetail, contract: float | None) -> list[ValidationError]:
    """Why a plan cannot be approved or printed as a finished plan: it is empty, or its schedule
    breaks the rules (a plan saved before the contract hours changed)."""
    problems = []
    if not plan.goals and not plan.interventions and not plan.values.get("purpose"):
        problems.append(ValidationError("goals", "planen er tom: skriv mindst ét mål eller én indsats",
                                        label="Handlingsplan"))
    problems += schedule_errors(plan.weeks, target=plan.values.get("target_hours"), contract=contract)
    return problems


def copy_to_draft(s, p: ActionPlan, created_by: int) -> ActionPlan:
    """A new draft version copied from plan ``p`` (its goals, interventions, weeks and assessments)."""
    last = s.scalar(select(func.max(ActionPlan.version_no)).where(ActionPlan.case_id == p.case_id))
    new = ActionPlan(case_id=p.case_id, version_no=last + 1, status="draft", created_by_id=created_by,
                     **{f.name: getattr(p, f.name) for f in PLAN_FIELDS if f.name not in PLAN_CHILDREN})
    s.add(new)
    s.flush()
    for g in s.scalars(select(PlanGoal).where(PlanGoal.plan_id == p.id)):
        s.add(PlanGoal(plan_id=new.id, owner=g.owner, text=g.text, target_date=g.target_date,
                       achieved=g.achieved, sort_order=g.sort_order))
    for i in s.scalars(select(PlanIntervention).where(PlanIntervention.plan_id == p.id)):
        s.add(PlanIntervention(plan_id=new.id, intervention_id=i.intervention_id,
                               responsible_id=i.responsible_id, start_date=i.start_date, end_date=i.end_date,
                               note=i.note, status=i.status, sort_order=i.sort_order))
    for w in s.scalars(select(GradualReturnWeek).where(GradualReturnWeek.plan_id == p.id)):
        s.add(GradualReturnWeek(plan_id=new.id, **{k: getattr(w, k) for k in (
            "week_no", "starts_on", "days_per_week", "hours_per_day", "hours_per_week", "actual_hours",
            "weekdays", "tasks", "accommodations", "follow_up")}))
    for a in s.scalars(select(PlanAssessment.assessment_id).where(PlanAssessment.plan_id == p.id)):
        s.add(PlanAssessment(plan_id=new.id, assessment_id=a))
    s.flush()
    return new


def add_intervention(s, case_id: int, *, code: str, created_by: int, responsible_id: int | None,
                     start: dt.date | None, end: dt.date | None, note: str, now: dt.datetime) -> int:
    """Add one intervention to the case's draft plan inside the caller's transaction (the caller has
    checked access): the draft there is, else a new draft from the approved plan, else a new empty
    plan. Returns the draft's id."""
    draft = s.scalar(select(ActionPlan).where(ActionPlan.case_id == case_id, ActionPlan.status == "draft"))
    if draft is None:
        current = s.scalar(select(ActionPlan).where(ActionPlan.case_id == case_id)
                           .order_by(ActionPlan.version_no.desc()).limit(1))
        if current is not None:
            draft = copy_to_draft(s, current, created_by)
        else:
            draft = ActionPlan(case_id=case_id, version_no=1, status="draft", created_by_id=created_by)
            s.add(draft)
            s.flush()
    items = _intervention_ids(s)
    if code not in items:
        raise ValidationError("interventions", "indsatsen findes ikke i kataloget", label="Indsats")
    order = s.scalar(select(func.max(PlanIntervention.sort_order)).where(PlanIntervention.plan_id == draft.id))
    s.add(PlanIntervention(plan_id=draft.id, intervention_id=items[code], responsible_id=responsible_id,
                           start_date=start, end_date=end if end and (not start or end >= start) else None,
                           note=note, status="planned", sort_order=(order or 0) + 1))
    draft.updated_at = now
    flag_modified(draft, "updated_at")
    c = s.get(Case, case_id)
    c.last_activity_at = draft.updated_at
    s.flush()
    return draft.id


def _intervention_ids(s) -> dict[str, int]:
    """Catalogue code -> id of every intervention (inactive ones too: older plans keep theirs)."""
    return dict(s.execute(select(CatalogItem.code, CatalogItem.id).where(CatalogItem.kind == "intervention")).all())


def _h(hours: float) -> str:
    return f"{hours:g}".replace(".", ",")


def goal_label(code: str) -> str:
    return PLAN_GOAL_LABELS.get(code, code)


def status_label(code: str) -> str:
    return INTERVENTION_STATUS_LABELS.get(code, code)
