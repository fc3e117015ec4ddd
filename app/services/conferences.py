"""The weekly case conference (casekonference): its agenda built from the cases' data, attendees,
notes and decisions per item, tasks from the meeting, and the agenda and minutes printouts.

"Ny konference" puts a case on the agenda when (``agenda_reasons``, in this order):
new referral awaiting visitation; an assessment signed since the last conference; a plan awaiting
approval; a round-table meeting in the coming week; a task or deadline overdue or due within 7 days;
no activity for 21 days; within 14 days of the plan's expected end. A case meeting several rules
comes up once, under the first, with every reason in its ``reason_detail``.

Need-to-know: the agenda row of a case (number, name, why it is up) is what the conference needs
and is shown to every case reader (summary access, ``app.access``); anyone who may run conferences
may put a case on the agenda, move or remove it. What is said and decided about the case (notes,
decision, tasks, the reasons' details, the key facts) is case data: read and written with full
access only (on the case, the team lead, or a stated reason), in conference mode and in the minutes.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case as sql_case
from sqlalchemy import delete, func, select

from app import access
from app.errors import NotFound, ValidationError
from app.labels import CONFERENCE_REASON_LABELS, INSTRUMENT_LABELS, PLAN_STATUS_LABELS, ROLE_LABELS
from app.services.admin import read_setting
from app.services.base import Actor, ServiceBase, check_version, get_or_404
from app.services.tasks import check_owner, new_task, task_title
from app.validation import clean_text
from db.models import (
    ActionPlan,
    Assessment,
    Case,
    CaseConference,
    Citizen,
    ConferenceAttendee,
    ConferenceItem,
    InstrumentResult,
    RoundTableMeeting,
    Task,
    User,
)

STALLED_DAYS = 21
CLOSING_DAYS = 14
DEADLINE_DAYS = 7
MEETING_DAYS = 7
PHASE_LABELS = {"referral": "Henvisning", "visitation": "Visitation", "assessment": "Udredning", "plan": "Plan",
                "intervention": "Indsats", "follow_up": "Opfølgning", "closed": "Afsluttet"}


@dataclass(frozen=True)
class ConferenceRow:
    id: int
    held_on: dt.date
    items: int       # cases on the agenda
    decisions: int   # of which a decision is recorded
    closed: bool


@dataclass(frozen=True)
class KeyFacts:
    """What conference mode shows beside the notes (full access only)."""
    phase: str
    subgroup: int | None
    coordinator: str
    scores: list[str]
    plan_status: str
    next_deadline: str


@dataclass(frozen=True)
class AgendaItem:
    id: int
    version: int
    sort_order: int
    case_id: int | None
    case_number: str
    citizen: str
    reason: str
    reason_label: str
    reason_detail: str
    title: str           # a free item's subject ("" on a case item)
    notes: str
    decision: str
    tasks: list[str] = field(default_factory=list)   # "Mette Holm: Ring til lægen (28-11-2026)"
    full_access: bool = True

    @property
    def heading(self) -> str:
        return f"{self.case_number} {self.citizen}" if self.case_id else self.title


@dataclass(frozen=True)
class ConferenceDetail:
    id: int
    version: int
    held_on: dt.date
    closed: bool
    chair: str
    notes: str
    attendees: list[tuple[int, str]]
    items: list[AgendaItem]
    members: list[tuple[int, str]]      # who may attend, own tasks
    letterhead: dict[str, Any] = field(default_factory=dict)
    printed_by: str = ""
    printed_at: dt.datetime | None = None


def _agenda_item(i: ConferenceItem, number: str | None, first: str | None, last: str | None, tasks: list[str],
                 full: bool) -> AgendaItem:
    """One agenda item as ``actor`` may see it. On a case the user does not read in full, the item is
    what the conference needs to raise it: the list row's name and case number and why it is on the
    agenda. What was said, decided and given as tasks is case data, shown after a stated reason."""
    detail, notes, decision = (i.reason_detail, i.notes, i.decision) if full else ("", "", "")
    return AgendaItem(i.id, i.version, i.sort_order, i.case_id, number or "", f"{first} {last}" if first else "",
                      i.reason, CONFERENCE_REASON_LABELS.get(i.reason, i.reason), detail, i.title, notes, decision,
                      tasks if full else [], full)


def agenda_reasons(s, held_on: dt.date, since: dt.date) -> dict[int, list[tuple[str, str]]]:
    """Case id -> [(reason code, detail)] by the rules in the module docstring, for a conference on
    ``held_on`` whose previous conference was on ``since``. Open cases only."""
    found: dict[int, list[tuple[str, str]]] = {}

    def add(case_id: int, reason: str, detail: str) -> None:
        found.setdefault(case_id, []).append((reason, detail))

    open_case = Case.phase != "closed"
    for cid, ref in s.execute(select(Case.id, Case.referral_date)
                              .where(Case.phase.in_(("referral", "visitation"))).order_by(Case.referral_date)):
        add(cid, "new_referral", f"henvist {ref:%d-%m-%Y}, venter på visitation")
    start = dt.datetime.combine(since, dt.time())
    end = dt.datetime.combine(held_on, dt.time())
    for cid, disc, signed in s.execute(select(Assessment.case_id, Assessment.discipline, Assessment.signed_at)
                                       .join(Case, Case.id == Assessment.case_id)
                                       .where(open_case, Assessment.signed_at >= start, Assessment.signed_at < end)
                                       .order_by(Assessment.signed_at)):
        add(cid, "assessment_done", f"udredning ({ROLE_LABELS.get(disc, disc).lower()}) signeret {signed:%d-%m-%Y}")
    for cid, no in s.execute(select(ActionPlan.case_id, ActionPlan.version_no).join(Case, Case.id == ActionPlan.case_id)
                             .where(open_case, ActionPlan.status == "draft")):
        add(cid, "plan_review", f"handlingsplan version {no} venter på godkendelse")
    for cid, day in s.execute(select(RoundTableMeeting.case_id, RoundTableMeeting.meeting_date)
                              .join(Case, Case.id == RoundTableMeeting.case_id)
                              .where(open_case, RoundTableMeeting.status == "planned",
                                     RoundTableMeeting.meeting_date >= held_on,
                                     RoundTableMeeting.meeting_date <= held_on + dt.timedelta(days=MEETING_DAYS))
                              .order_by(RoundTableMeeting.meeting_date)):
        add(cid, "round_table", f"rundbordssamtale {day:%d-%m-%Y}")
    for cid, due, n in s.execute(select(Task.case_id, func.min(Task.due_date), func.count())
                                 .join(Case, Case.id == Task.case_id)
                                 .where(open_case, Task.done_at.is_(None),
                                        Task.due_date <= held_on + dt.timedelta(days=DEADLINE_DAYS))
                                 .group_by(Task.case_id)):
        word = "over fristen" if due < held_on else "forfalder"
        add(cid, "deadline", f"{n} opgave{'r' if n > 1 else ''} {word} (første {due:%d-%m-%Y})")
    quiet = dt.datetime.combine(held_on - dt.timedelta(days=STALLED_DAYS), dt.time())
    for cid, last in s.execute(select(Case.id, Case.last_activity_at).where(
            open_case, Case.phase.not_in(("referral", "visitation")), Case.last_activity_at < quiet)):
        add(cid, "stalled", f"ingen aktivitet siden {last:%d-%m-%Y}")
    current = (select(ActionPlan.case_id, func.max(ActionPlan.version_no).label("v"))
               .where(ActionPlan.status == "approved").group_by(ActionPlan.case_id).subquery())
    for cid, ends in s.execute(select(ActionPlan.case_id, ActionPlan.expected_return_date)
                               .join(current, (current.c.case_id == ActionPlan.case_id)
                                     & (current.c.v == ActionPlan.version_no))
                               .join(Case, Case.id == ActionPlan.case_id)
                               .where(open_case, ActionPlan.expected_return_date >= held_on,
                                      ActionPlan.expected_return_date <= held_on + dt.timedelta(days=CLOSING_DAYS))):
        add(cid, "closing", f"planlagt afslutning {ends:%d-%m-%Y}")
    return found


class ConferenceService(ServiceBase):
    # -- lists ---------------------------------------------------------------------------------
    def list_conferences(self, actor: Actor, *, limit: int = 200) -> list[ConferenceRow]:
        """Conferences, newest first, with how many cases were on the agenda and decided. Logged (it
        names no case, but it is a read of case work)."""
        def work(s):
            q = (select(CaseConference.id, CaseConference.held_on, CaseConference.closed,
                        func.count(ConferenceItem.id),
                        func.count(sql_case((ConferenceItem.decision != "", 1))))
                 .outerjoin(ConferenceItem, ConferenceItem.conference_id == CaseConference.id)
                 .group_by(CaseConference.id, CaseConference.held_on, CaseConference.closed)
                 .order_by(CaseConference.held_on.desc()).limit(limit))
            rows = [ConferenceRow(r[0], r[1], r[3], r[4], r[2]) for r in s.execute(q)]
            self.audit(s, actor, "read", "conference_list", None)
            return rows
        return self._write(actor, "case.read", work)

    def find_conference(self, actor: Actor, which: str) -> int:
        """A conference by date (``22-11-2026`` or ``2026-11-22``), ``next`` (today or later, not
        closed) or ``latest`` (the newest held, today or earlier)."""
        def work(s):
            today = self.today()
            q = select(CaseConference.id)
            if which == "next":
                q = q.where(CaseConference.held_on >= today).order_by(CaseConference.held_on)
            elif which == "latest":
                q = q.where(CaseConference.held_on <= today).order_by(CaseConference.held_on.desc())
            else:
                q = q.where(CaseConference.held_on == _parse_day(which))
            found = s.scalar(q.limit(1))
            if found is None:
                raise NotFound("Casekonference", which)
            return found
        return self._read(actor, "case.read", work)

    # -- one conference ------------------------------------------------------------------------
    def conference(self, actor: Actor, conference_id: int) -> ConferenceDetail:
        def work(s):
            c = get_or_404(s, CaseConference, conference_id, "Casekonference")
            detail = self._detail(s, actor, c)
            self.audit(s, actor, "read", "case_conference", c.id,
                       case_ids=[i.case_id for i in detail.items if i.case_id])
            return detail
        return self._write(actor, "case.read", work)

    def _detail(self, s, actor: Actor, c: CaseConference) -> ConferenceDetail:
        now = self.clock()
        full = access.full_access_clause(actor, now)
        rows = s.execute(select(ConferenceItem, Case.case_number, Citizen.first_name, Citizen.last_name, full)
                         .outerjoin(Case, Case.id == ConferenceItem.case_id)
                         .outerjoin(Citizen, Citizen.id == Case.citizen_id)
                         .where(ConferenceItem.conference_id == c.id)
                         .order_by(ConferenceItem.sort_order, ConferenceItem.id)).all()
        tasks: dict[int, list[str]] = {}
        for item_id, title, due, who in s.execute(
                select(Task.conference_item_id, Task.title, Task.due_date, User.full_name)
                .join(User, User.id == Task.owner_id)
                .where(Task.conference_item_id.in_([r[0].id for r in rows])).order_by(Task.id)):
            tasks.setdefault(item_id, []).append(f"{who}: {title} ({due:%d-%m-%Y})")
        items = [_agenda_item(i, number, first, last, tasks.get(i.id, []), bool(ok) if i.case_id else True)
                 for i, number, first, last, ok in rows]
        attendees = [tuple(r) for r in s.execute(
            select(User.id, User.full_name).join(ConferenceAttendee, ConferenceAttendee.user_id == User.id)
            .where(ConferenceAttendee.conference_id == c.id).order_by(User.full_name))]
        members = [tuple(r) for r in s.execute(select(User.id, User.full_name).where(
            User.active.is_(True), User.role != "admin").order_by(User.full_name))]
        chair = s.get(User, c.chair_id).full_name if c.chair_id else ""
        return ConferenceDetail(c.id, c.version, c.held_on, c.closed, chair, c.notes, attendees, items, members)

    def new_conference(self, actor: Actor, held_on: dt.date, *, attendee_ids: Iterable[int] = ()) -> int:
        """A conference on ``held_on`` with its agenda built from the data (``agenda_reasons``)."""
        def work(s):
            if s.scalar(select(CaseConference.id).where(CaseConference.held_on == held_on)) is not None:
                raise ValidationError("held_on", f"der er allerede en konference den {held_on:%d-%m-%Y}",
                                      label="Dato")
            last = s.scalar(select(func.max(CaseConference.held_on)).where(CaseConference.held_on < held_on))
            since = last or held_on - dt.timedelta(days=7)
            c = CaseConference(held_on=held_on, chair_id=actor.user_id)
            s.add(c)
            s.flush()
            for uid in dict.fromkeys([actor.user_id, *attendee_ids]):
                s.add(ConferenceAttendee(conference_id=c.id, user_id=check_owner(s, uid, field="attendees")))
            found = agenda_reasons(s, held_on, since)
            order = sorted(found, key=lambda cid: (RULE_ORDER[found[cid][0][0]], cid))
            for n, cid in enumerate(order, 1):
                reasons = found[cid]
                s.add(ConferenceItem(conference_id=c.id, case_id=cid, reason=reasons[0][0], sort_order=n,
                                     reason_detail="; ".join(d for _r, d in reasons)[:300]))
            s.flush()
            self.audit(s, actor, "create", "case_conference", c.id, detail=f"{len(order)} punkter",
                       case_ids=order)
            return c.id
        return self._write(actor, "conference.write", work)

    def set_attendees(self, actor: Actor, conference_id: int, user_ids: Iterable[int]) -> None:
        def work(s):
            c = get_or_404(s, CaseConference, conference_id, "Casekonference")
            s.execute(delete(ConferenceAttendee).where(ConferenceAttendee.conference_id == c.id))
            for uid in dict.fromkeys(user_ids):
                s.add(ConferenceAttendee(conference_id=c.id, user_id=check_owner(s, uid, field="attendees")))
            self.audit(s, actor, "update", "case_conference", c.id, fields=["attendees"])
        self._write(actor, "conference.write", work)

    def add_item(self, actor: Actor, conference_id: int, *, case_id: int | None = None, title: str = "",
                 reason: str = "other") -> int:
        """Put a case on the agenda (summary access is enough: the conference is where it is raised),
        or, without a case, a free item with a title. Added last."""
        title = clean_text(title, field="title", label="Emne", max_len=200)
        if case_id is None and not title:
            raise ValidationError("title", "skriv et emne for punktet", label="Emne")
        if reason not in CONFERENCE_REASON_LABELS:
            raise ValidationError("reason", "ukendt årsag", label="Årsag")

        def work(s):
            c = get_or_404(s, CaseConference, conference_id, "Casekonference")
            if case_id is not None:
                self.require_case(s, actor, case_id, access.SUMMARY, action="conference.write")
                if s.scalar(select(ConferenceItem.id).where(ConferenceItem.conference_id == c.id,
                                                            ConferenceItem.case_id == case_id)) is not None:
                    raise ValidationError("case_id", "forløbet er allerede på dagsordenen", label="Forløb")
            last = s.scalar(select(func.max(ConferenceItem.sort_order))
                            .where(ConferenceItem.conference_id == c.id)) or 0
            item = ConferenceItem(conference_id=c.id, case_id=case_id, reason=reason, title=title,
                                  sort_order=last + 1, reason_detail="tilføjet af " + actor.full_name)
            s.add(item)
            s.flush()
            # A free item's subject names no case and stays; a case item's title is free text about the case.
            self.audit(s, actor, "create", "conference_item", item.id, case_id=case_id,
                       fields=["title"] if case_id is not None and title else (),
                       detail=title[:80] if case_id is None else "")
            return item.id
        return self._write(actor, "conference.write", work)

    def remove_item(self, actor: Actor, item_id: int) -> None:
        def work(s):
            item = get_or_404(s, ConferenceItem, item_id, "Punkt")
            if item.case_id is not None:
                self.require_case(s, actor, item.case_id, access.SUMMARY, action="conference.write")
            self.audit(s, actor, "delete", "conference_item", item.id, case_id=item.case_id)
            s.delete(item)
        self._write(actor, "conference.write", work)

    def move_item(self, actor: Actor, item_id: int, step: int) -> None:
        """Move an item up (``step`` -1) or down (+1) the agenda."""
        def work(s):
            item = get_or_404(s, ConferenceItem, item_id, "Punkt")
            if item.case_id is not None:
                self.require_case(s, actor, item.case_id, access.SUMMARY, action="conference.write")
            items = list(s.scalars(select(ConferenceItem).where(ConferenceItem.conference_id == item.conference_id)
                                   .order_by(ConferenceItem.sort_order, ConferenceItem.id)))
            at = items.index(item)
            to = max(0, min(len(items) - 1, at + step))
            items.insert(to, items.pop(at))
            for n, i in enumerate(items, 1):
                if i.sort_order != n:
                    i.sort_order = n
            self.audit(s, actor, "update", "conference_item", item.id, case_id=item.case_id, fields=["sort_order"])
        self._write(actor, "conference.write", work)

    def save_item(self, actor: Actor, item_id: int, *, expected_version: int, notes: str, decision: str) -> int:
        """Notes and decision of one item (conference mode saves as you type). Returns the new version."""
        notes = clean_text(notes, field="notes", label="Noter", max_len=8000)
        decision = clean_text(decision, field="decision", label="Beslutning", max_len=4000)

        def work(s):
            item = get_or_404(s, ConferenceItem, item_id, "Punkt")
            if item.case_id is not None:
                self.require_case(s, actor, item.case_id, action="conference.write")
            check_version(item, expected_version, "punktet")
            changed = [n for n, v in (("notes", notes), ("decision", decision)) if getattr(item, n) != v]
            if not changed:
                return item.version
            item.notes, item.decision = notes, decision
            if item.case_id is not None and "decision" in changed:
                s.get(Case, item.case_id).last_activity_at = self.clock()
            s.flush()
            self.audit(s, actor, "update", "conference_item", item.id, case_id=item.case_id, fields=changed)
            return item.version
        return self._write(actor, "conference.write", work, what="punktet")

    def add_task(self, actor: Actor, item_id: int, *, owner_id: int | None, due: dt.date | None, title: str) -> int:
        """"Ny opgave" from an item: in the owner's task list, on the item's case."""
        title = task_title(title, due)

        def work(s):
            item = get_or_404(s, ConferenceItem, item_id, "Punkt")
            if item.case_id is not None:
                self.require_case(s, actor, item.case_id, action="conference.write")
            owner = check_owner(s, owner_id, case_id=item.case_id, now=self.clock())
            held = s.get(CaseConference, item.conference_id).held_on
            t = new_task(case_id=item.case_id, title=title, owner_id=owner, due=due, kind="conference",
                         created_by=actor.user_id, conference_item_id=item.id,
                         description=f"Fra casekonferencen {held:%d-%m-%Y}.")
            s.add(t)
            s.flush()
            self.audit(s, actor, "create", "task", t.id, case_id=item.case_id, detail="fra casekonferencen")
            return t.id
        return self._write(actor, "conference.write", work)

    def close_conference(self, actor: Actor, conference_id: int, *, notes: str | None = None) -> None:
        def work(s):
            c = get_or_404(s, CaseConference, conference_id, "Casekonference")
            c.closed = True
            if notes is not None:
                c.notes = clean_text(notes, field="notes", label="Referat", max_len=4000)
            self.audit(s, actor, "update", "case_conference", c.id, fields=["closed"])
        self._write(actor, "conference.write", work)

    # -- key facts -----------------------------------------------------------------------------
    def key_facts(self, actor: Actor, case_id: int) -> KeyFacts:
        """Phase, subgroup, latest scores, plan status and next deadline of a case on the agenda."""
        def work(s):
            self.require_case(s, actor, case_id)
            c = get_or_404(s, Case, case_id, "Forløb")
            scores = []
            for code in ("WHO5", "MDI"):
                r = s.scalar(select(InstrumentResult).where(InstrumentResult.case_id == case_id,
                                                            InstrumentResult.instrument == code,
                                                            InstrumentResult.score.is_not(None))
                             .order_by(InstrumentResult.taken_on.desc(), InstrumentResult.id.desc()).limit(1))
                if r is not None:
                    scores.append(f"{INSTRUMENT_LABELS.get(code, code)}: {r.score:g} ({r.taken_on:%d-%m-%Y})"
                                  + (f", {r.band}" if r.band else ""))
            plan = s.scalar(select(ActionPlan).where(ActionPlan.case_id == case_id)
                            .order_by(ActionPlan.version_no.desc()).limit(1))
            plan_status = (f"Version {plan.version_no}: {PLAN_STATUS_LABELS.get(plan.status, plan.status)}"
                           if plan else "Ingen plan endnu")
            task = s.execute(select(Task.title, Task.due_date).where(Task.case_id == case_id, Task.done_at.is_(None))
                             .order_by(Task.due_date).limit(1)).first()
            coordinator = s.get(User, c.coordinator_id).full_name if c.coordinator_id else "ingen"
            self.audit(s, actor, "read", "tta_case", case_id, case_id=case_id, detail="casekonference")
            return KeyFacts(PHASE_LABELS.get(c.phase, c.phase), c.subgroup, coordinator, scores, plan_status,
                            f"{task.due_date:%d-%m-%Y}: {task.title}" if task else "Ingen åbne opgaver")
        return self._write(actor, "case.read", work)

    # -- printing ------------------------------------------------------------------------------
    def document(self, actor: Actor, conference_id: int) -> ConferenceDetail:
        """The agenda or minutes data with the letterhead; logged as a read."""
        def work(s):
            c = get_or_404(s, CaseConference, conference_id, "Casekonference")
            d = self._detail(s, actor, c)
            self.audit(s, actor, "read", "case_conference", c.id, detail="udskrift",
                       case_ids=[i.case_id for i in d.items if i.case_id])
            return ConferenceDetail(**{**d.__dict__, "letterhead": read_setting(s, "letterhead"),
                                       "printed_by": actor.full_name, "printed_at": self.clock()})
        return self._write(actor, "case.read", work)

    def agenda_pdf(self, actor: Actor, conference_id: int) -> bytes:
        from app.printing.conference_agenda import render_agenda
        return render_agenda(self.document(actor, conference_id))

    def minutes_pdf(self, actor: Actor, conference_id: int) -> bytes:
        from app.printing.conference_minutes import render_minutes
        return render_minutes(self.document(actor, conference_id))

    def log_print(self, actor: Actor, conference_id: int, *, what: str, how: str) -> None:
        def work(s):
            c = get_or_404(s, CaseConference, conference_id, "Casekonference")
            self.audit(s, actor, "print", "case_conference", c.id, detail=f"{what}: {how}")
        self._write(actor, "case.read", work)


RULE_ORDER = {code: n for n, code in enumerate(("new_referral", "assessment_done", "plan_review", "round_table",
                                                  "deadline", "stalled", "closing", "other"))}


def _parse_day(text: str) -> dt.date:
    for fmt in ("%d-%m-%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise ValidationError("conference", "skriv datoen som 22-11-2026, eller next/latest", label="Konference")

