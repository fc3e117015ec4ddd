"""Deadlines (Frister): a case's deadlines computed from the rule sets (``app.deadlines``) and kept as
tasks of kind "deadline", so the task list, the conference agenda and the case list's Næste frist
show them; the rules editor; the Frister view and its calendar export.

``sync_case_deadlines`` runs inside the transaction of every service call that changes a date the
rules read (referral, visitation, plan approval, a held round-table meeting, closing, reopening) and
after a rule is edited or a rule set added. It moves and retitles open deadlines, adds new ones and
removes those no rule asks for any longer; a completed deadline is never changed or made again.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.access import visible_clause
from app.deadlines import (
    KIND_LABELS,
    KIND_PARAMS,
    CaseDates,
    Rule,
    RuleSet,
    compute_deadlines,
    params_of,
    set_in_force,
    validate_params,
)
from app.errors import PermissionDenied, ValidationError, ValidationErrors
from app.services.base import Actor, ServiceBase, check_version, get_or_404, require
from db.models import (
    ActionPlan,
    Case,
    Citizen,
    DeadlineRuleSet,
    FollowUpRule,
    GradualReturnWeek,
    RoundTableMeeting,
    Task,
    User,
)

TASK_KIND = "deadline"


# -- computing and keeping a case's deadlines -------------------------------------------------------
def load_rule_sets(s: Session) -> list[RuleSet]:
    rules: dict[int, list[Rule]] = {}
    for r in s.scalars(select(FollowUpRule).where(FollowUpRule.active.is_(True), FollowUpRule.rule_set_id.is_not(None))
                       .order_by(FollowUpRule.sort_order, FollowUpRule.id)):
        rules.setdefault(r.rule_set_id, []).append(
            Rule(r.id, r.code, r.kind, r.label, r.source, params_of(r.params_json)))
    return [RuleSet(rs.name, rs.valid_from, rules.get(rs.id, []))
            for rs in s.scalars(select(DeadlineRuleSet).order_by(DeadlineRuleSet.valid_from))]


def case_dates(s: Session, c: Case) -> CaseDates | None:
    """What the rules read from a case; None for a rejected case (no deadlines)."""
    if c.visitation_decision == "rejected":
        return None
    plan = s.scalar(select(ActionPlan).where(ActionPlan.case_id == c.id, ActionPlan.status == "approved")
                    .order_by(ActionPlan.version_no.desc()).limit(1))
    partial = None
    if plan is not None:
        partial = s.scalar(select(GradualReturnWeek.starts_on).where(GradualReturnWeek.plan_id == plan.id)
                           .order_by(GradualReturnWeek.week_no).limit(1))
    held = list(s.scalars(select(RoundTableMeeting.meeting_date).where(RoundTableMeeting.case_id == c.id,
                                                                        RoundTableMeeting.status == "held")))
    return CaseDates(
        sick_leave_start=c.sick_leave_start,
        visitation_date=c.visitation_date if c.visitation_decision == "accepted" else None,
        subgroup=c.subgroup, has_workplace=c.employment_status == "employed",
        plan_approved_on=plan.approved_at.date() if plan is not None and plan.approved_at else None,
        partial_return_start=partial, expected_return=plan.expected_return_date if plan is not None else None,
        round_tables_held=held, closed_date=c.closed_date)


def sync_case_deadlines(s: Session, case_id: int, *, acting_user_id: int,
                        sets: list[RuleSet] | None = None) -> int:
    """Bring the case's deadline tasks in line with the rules; returns how many rows changed."""
    c = s.get(Case, case_id)
    if c is None:
        return 0
    s.flush()
    dates = case_dates(s, c)
    wanted = compute_deadlines(dates, load_rule_sets(s) if sets is None else sets) if dates else []
    tasks = list(s.scalars(select(Task).where(Task.case_id == case_id, Task.kind == TASK_KIND)))
    done = {t.rule_key for t in tasks if t.done_at is not None}
    open_ = {t.rule_key: t for t in tasks if t.done_at is None}
    owner = c.coordinator_id or acting_user_id
    changed = 0
    keep = set()
    for d in wanted:
        if d.key in done:
            continue
        keep.add(d.key)
        t = open_.get(d.key)
        values = dict(title=d.title, due_date=d.due, rule_id=d.rule_id, rule_source=d.source)
        if t is None:
            s.add(Task(case_id=case_id, kind=TASK_KIND, rule_key=d.key, owner_id=owner, created_by_id=acting_user_id,
                       description=f"Beregnet efter reglen: {d.source}", **values))
            changed += 1
        elif any(getattr(t, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(t, k, v)
            t.description = f"Beregnet efter reglen: {d.source}"
            changed += 1
    for key, t in open_.items():
        if key not in keep:
            s.delete(t)
            changed += 1
    return changed


def sync_all_open_cases(s: Session, *, acting_user_id: int) -> int:
    """After a rule changed: every case not closed follows it (completed deadlines stay)."""
    sets = load_rule_sets(s)
    total = 0
    for cid in s.scalars(select(Case.id).where(Case.phase != "closed")):
        total += sync_case_deadlines(s, cid, acting_user_id=acting_user_id, sets=sets)
    return total


# -- the rules editor ---------------------------------------------------------------------------
@dataclass(frozen=True)
class RuleRow:
    id: int
    version: int
    code: str
    kind: str
    kind_label: str
    label: str
    source: str
    params: dict[str, Any]
    active: bool


@dataclass(frozen=True)
class RuleSetRow:
    id: int
    version: int
    name: str
    valid_from: dt.date
    note: str
    rules: list[RuleRow]


@dataclass(frozen=True)
class DeadlineRow:
    task_id: int
    case_id: int
    case_number: str
    citizen: str
    title: str
    rule_code: str
    source: str
    due: dt.date
    owner: str
    coordinator_id: int | None
    coordinator: str
    done: bool

    def overdue(self, today: dt.date) -> bool:
        return not self.done and self.due < today


@dataclass(frozen=True)
class DeadlineView:
    rows: list[DeadlineRow]
    rule_choices: list[tuple[str, str]]        # (code, label) of the rules in use
    coordinators: list[tuple[int, str]]
    today: dt.date


class DeadlineService(ServiceBase):
    def rule_sets(self, actor: Actor) -> list[RuleSetRow]:
        def work(s):
            rows = []
            for rs in s.scalars(select(DeadlineRuleSet).order_by(DeadlineRuleSet.valid_from)):
                rules = [RuleRow(r.id, r.version, r.code, r.kind, KIND_LABELS.get(r.kind, r.kind), r.label, r.source,
                                 {**KIND_PARAMS.get(r.kind, {}), **params_of(r.params_json)}, r.active)
                         for r in s.scalars(select(FollowUpRule).where(FollowUpRule.rule_set_id == rs.id)
                                            .order_by(FollowUpRule.sort_order, FollowUpRule.id))]
                rows.append(RuleSetRow(rs.id, rs.version, rs.name, rs.valid_from, rs.note, rules))
            return rows
        return self._read(actor, "deadline.rules", work)

    def save_rule(self, actor: Actor, rule_id: int, *, expected_version: int, label: str, source: str,
                  params: Mapping[str, Any], active: bool = True) -> int:
        """Change a rule's text, source and numbers; every open case follows at once, completed
        deadlines stay. Returns how many deadlines moved, appeared or went."""
        label, source = (label or "").strip(), (source or "").strip()
        errors = []
        if not label:
            errors.append(ValidationError("label", "skal udfyldes", label="Regel"))
        if not source:
            errors.append(ValidationError("source", "skal udfyldes: hvilken lov eller vejledning siger det",
                                          label="Kilde"))

        def work(s):
            r = get_or_404(s, FollowUpRule, rule_id, "Regel")
            check_version(r, expected_version, "reglen")
            problems = errors + [ValidationError("params", p, label="Tal") for p in validate_params(r.kind, params)]
            if problems:
                raise ValidationErrors(problems)
            old = params_of(r.params_json)
            r.label, r.source, r.active = label[:200], source, bool(active)
            r.params_json = json.dumps(dict(params))
            s.flush()
            moved = sync_all_open_cases(s, acting_user_id=actor.user_id)
            self.audit(s, actor, "update", "follow_up_rule", r.id, fields=["label", "source", "params", "active"],
                       detail=f"{r.code}: {json.dumps(old)} -> {r.params_json}; {moved} frister genberegnet")
            return moved
        return self._write(actor, "deadline.rules", work, what="reglen")

    def add_rule_set(self, actor: Actor, *, name: str, valid_from: dt.date, note: str = "") -> int:
        """A new rule set in force from ``valid_from``, starting as a copy of the set in force that day;
        the administrator then edits its rules. Returns the new set's id."""
        name = (name or "").strip()
        if not name:
            raise ValidationError("name", "skal udfyldes", label="Navn")

        def work(s):
            if s.scalar(select(DeadlineRuleSet.id).where(DeadlineRuleSet.valid_from == valid_from)) is not None:
                raise ValidationError("valid_from", "der er allerede et regelsæt fra den dato", label="Gælder fra")
            sets = list(s.scalars(select(DeadlineRuleSet).order_by(DeadlineRuleSet.valid_from)))
            base = None
            for rs in sets:
                if rs.valid_from <= valid_from:
                    base = rs
            new = DeadlineRuleSet(name=name[:120], valid_from=valid_from, note=note)
            s.add(new)
            s.flush()
            if base is not None:
                for r in s.scalars(select(FollowUpRule).where(FollowUpRule.rule_set_id == base.id)):
                    s.add(FollowUpRule(rule_set_id=new.id, code=r.code, kind=r.kind, label=r.label, source=r.source,
                                       valid_from=valid_from, params_json=r.params_json, active=r.active,
                                       sort_order=r.sort_order))
            s.flush()
            moved = sync_all_open_cases(s, acting_user_id=actor.user_id)
            self.audit(s, actor, "create", "deadline_rule_set", new.id,
                       detail=f"{name} fra {valid_from:%d-%m-%Y}, genberegnede frister: {moved}")
            return new.id
        return self._write(actor, "deadline.rules", work, what="regelsættet")

    def set_in_force(self, actor: Actor, day: dt.date) -> str:
        """The name of the rule set in force on ``day``."""
        def work(s):
            found = set_in_force(load_rule_sets(s), day)
            return found.name if found else ""
        return self._read(actor, "case.read", work)

    # -- Frister ------------------------------------------------------------------------------
    def deadlines(self, actor: Actor, *, team: bool = False, rule_code: str | None = None,
                  coordinator_id: int | None = None, week: dt.date | None = None,
                  include_done: bool = False) -> DeadlineView:
        """The coming and overdue deadlines: the actor's own (owner or coordinator), or with ``team``
        (the team lead) every case's. Filtered by rule, coordinator and week (the Monday of it)."""
        if team and actor.role != "team_lead":
            raise PermissionDenied("deadline.team", actor.role, "Kun teamlederen ser hele teamets frister.")

        def work(s):
            coord = User.__table__.alias("coord")
            owner = User.__table__.alias("owner")
            q = (select(Task, Case.case_number, Citizen.first_name, Citizen.last_name, owner.c.full_name,
                        Case.coordinator_id, coord.c.full_name, FollowUpRule.code)
                 .join(Case, Case.id == Task.case_id).join(Citizen, Citizen.id == Case.citizen_id)
                 .join(owner, owner.c.id == Task.owner_id).outerjoin(coord, coord.c.id == Case.coordinator_id)
                 .outerjoin(FollowUpRule, FollowUpRule.id == Task.rule_id)
                 .where(Task.kind == TASK_KIND, visible_clause(actor)))
            if not team:
                q = q.where((Task.owner_id == actor.user_id) | (Case.coordinator_id == actor.user_id))
            if not include_done:
                q = q.where(Task.done_at.is_(None))
            if coordinator_id is not None:
                q = q.where(Case.coordinator_id == coordinator_id)
            if week is not None:
                monday = week - dt.timedelta(days=week.weekday())
                q = q.where(Task.due_date >= monday, Task.due_date < monday + dt.timedelta(days=7))
            rows = []
            for t, number, first, last, owner_name, coord_id, coord_name, code in s.execute(
                    q.order_by(Task.due_date, Case.case_number, Task.id).limit(5000)):
                code = code or (t.rule_key or "").split(":")[0]
                if rule_code and code != rule_code:
                    continue
                rows.append(DeadlineRow(t.id, t.case_id, number, f"{first} {last}", t.title, code, t.rule_source,
                                        t.due_date, owner_name, coord_id, coord_name or "", t.done_at is not None))
            labels = {}
            for r in s.scalars(select(FollowUpRule).order_by(FollowUpRule.sort_order, FollowUpRule.id)):
                labels.setdefault(r.code, r.label)
            coordinators = [(u.id, u.full_name) for u in s.scalars(
                select(User).where(User.active.is_(True), User.role.in_(("coordinator", "team_lead")))
                .order_by(User.full_name))]
            self.audit(s, actor, "read", "task", None, detail=f"frister ({'team' if team else 'egne'})",
                       case_ids=[r.case_id for r in rows])
            return DeadlineView(rows, sorted(labels.items(), key=lambda kv: kv[1]), coordinators, self.today())
        return self._write(actor, "case.read", work)

    def calendar(self, actor: Actor, rows: Iterable[DeadlineRow]) -> bytes:
        """The deadlines shown as an .ics calendar (all-day events: case number and rule, never the
        citizen's name or CPR, since calendars are synchronised to other devices)."""
        require(actor, "case.read")
        rows = list(rows)

        def work(s):
            self.audit(s, actor, "export", "task", None, detail=f"frister som kalender: {len(rows)}",
                       case_ids=[r.case_id for r in rows])
        self._write(actor, "case.read", work)
        return deadlines_ics(rows, stamp=self.clock())


def deadlines_ics(rows: Iterable[DeadlineRow], *, stamp: dt.datetime) -> bytes:
    from icalendar import Calendar, Event
    cal = Calendar()
    cal.add("prodid", "-//TTA-team//Frister//DA")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "TTA-frister")
    for r in rows:
        ev = Event()
        ev.add("uid", f"tta-deadline-{r.task_id}@tta-team")
        ev.add("dtstamp", stamp.replace(tzinfo=dt.UTC) if stamp.tzinfo is None else stamp)
        ev.add("dtstart", r.due)
        ev.add("dtend", r.due + dt.timedelta(days=1))
        ev.add("summary", f"{r.case_number}: {r.title}")
        ev.add("description", f"Kilde: {r.source}\nKoordinator: {r.coordinator}")
        cal.add_component(ev)
    return cal.to_ical()
