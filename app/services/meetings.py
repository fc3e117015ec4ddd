"""Round-table meetings (rundbordssamtaler): planned, held and minuted per case, and listed across cases.

A meeting is planned (type, date and time, place or video link, agenda, participants chosen from the
case's people), and written up during or after it: obstacles seen by the employee and by the
employer, solutions, agreements (who, what, by when), what colleagues may be told, the next meeting.
Every agreement becomes a follow-up task for the team member who runs the meeting; one may be
carried into the action plan as an intervention (``app.services.plans.add_intervention``). The
invitation and the minutes print through ``app.printing``; the employer's copy of the minutes never
holds a diagnosis, an ICD code, a score or an assessment finding. A meeting exports as an ``.ics``
calendar file. Every call on one case needs full access to it (``app.access``).

The list across cases holds the meetings of the cases the actor reads in full
(``app.access.full_access_clause``): a meeting's date, time and place say more than the case list row.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, delete, func, or_, select

from app import access
from app.dates import local_now
from app.errors import NotFound, ValidationError, ValidationErrors
from app.labels import CONTACT_LABELS, INSTRUMENT_LABELS, ROLE_LABELS
from app.services.admin import read_setting
from app.services.base import Actor, ServiceBase, check_version, get_or_404
from app.services.plans import add_intervention
from app.services.tasks import new_task
from app.validation import clean_text, mask_cpr
from db import codes
from db.models import (
    Case,
    CaseIcd10,
    CaseTeamMember,
    Citizen,
    InstrumentResult,
    MeetingItem,
    MeetingParticipant,
    RoundTableMeeting,
    Task,
    User,
    WorkplaceContact,
)

MEETING_TYPE_LABELS = {"status": "Statusmøde", "return_plan": "Plan for tilbagevenden",
                       "future_job": "Afklaring af fremtidigt job"}
ITEM_KIND_LABELS = {"obstacle_employee": "Forhindringer set fra medarbejderen",
                    "obstacle_employer": "Forhindringer set fra arbejdsgiveren",
                    "solution": "Løsninger", "agreement": "Aftaler"}
AUDIENCES = ("all", "employer")
AUDIENCE_LABELS = {"all": "Deltagernes kopi", "employer": "Arbejdsgiverens kopi"}
TEXT_FIELDS = {"location": ("Sted eller videolink", 200), "purpose": ("Formål", 2000), "agenda": ("Dagsorden", 4000),
               "citizen_account": ("Borgerens egen beretning", 4000),
               "function_description": ("Helbred som funktion", 4000),
               "workplace_options": ("Arbejdspladsens muligheder", 4000),
               "colleagues_info": ("Hvad kollegerne må få at vide", 2000)}
AGREEMENT_TASK = "meeting_agreement"


@dataclass(frozen=True)
class MeetingRow:
    id: int
    case_id: int
    case_number: str
    citizen: str
    meeting_date: dt.date
    start_time: dt.time | None
    sequence_no: int
    status: str
    location: str
    meeting_type: str = "status"


@dataclass(frozen=True)
class Person:
    """Someone who may be invited: the citizen, a workplace contact, the GP, the caseworker, a team member."""
    name: str
    role_label: str
    organisation: str = ""
    user_id: int | None = None


@dataclass(frozen=True)
class MeetingDetail:
    id: int
    case_id: int
    version: int
    sequence_no: int
    values: dict[str, Any]
    participants: list[dict[str, Any]]
    items: list[dict[str, Any]]      # id, kind, text, responsible, due_date, task_id, carried_to_plan_at


@dataclass(frozen=True)
class MeetingTab:
    """The record's Rundbordssamtaler tab: the case's meetings (newest first) and who may be invited."""
    meetings: list[MeetingRow]
    people: list[Person]
    facilitators: list[tuple[int, str]]
    may_write: bool


@dataclass(frozen=True)
class MeetingDocument:
    """The data of an invitation or the minutes (``app.printing.meeting_invitation``/``meeting_minutes``)."""
    audience: str
    meeting: MeetingDetail
    case_number: str
    citizen_name: str
    cpr_masked: str
    employer: str
    coordinator: str
    facilitator: str
    health: list[str] = field(default_factory=list)   # ICD codes and scores: never on the employer's copy
    letterhead: dict[str, Any] = field(default_factory=dict)
    printed_by: str = ""
    printed_at: dt.datetime | None = None


class MeetingService(ServiceBase):
    # -- lists ---------------------------------------------------------------------------------
    def list_meetings(self, actor: Actor, *, upcoming_only: bool = False, limit: int = 500) -> list[MeetingRow]:
        """Meetings across cases, newest first; ``upcoming_only``: those not yet held (planned, and
        later today or after), soonest first. Logged with the cases the list names."""
        def work(s):
            m = RoundTableMeeting
            q = (select(m.id, m.case_id, Case.case_number, Citizen.first_name, Citizen.last_name, m.meeting_date,
                        m.start_time, m.sequence_no, m.status, m.location, m.meeting_type)
                 .join(Case, Case.id == m.case_id).join(Citizen, Citizen.id == Case.citizen_id)
                 .where(access.full_access_clause(actor, self.clock())))
            if upcoming_only:
                # Meeting dates and times are the team's wall clock; the services' clock is UTC.
                now = local_now(self.clock())
                q = q.where(m.status == "planned", or_(
                    m.meeting_date > now.date(),
                    and_(m.meeting_date == now.date(), or_(m.start_time.is_(None), m.start_time >= now.time()))))
                q = q.order_by(m.meeting_date, m.start_time.nulls_first(), m.id)
            else:
                q = q.order_by(m.meeting_date.desc(), m.start_time.desc().nulls_last(), m.id.desc())
            rows = [_row(r) for r in s.execute(q.limit(limit))]
            self.audit(s, actor, "read", "meeting_list", None, case_ids=[r.case_id for r in rows])
            return rows
        return self._write(actor, "case.read", work)

    def meeting_tab(self, actor: Actor, case_id: int) -> MeetingTab:
        def work(s):
            self.require_case(s, actor, case_id)
            c = get_or_404(s, Case, case_id, "Forløb")
            m = RoundTableMeeting
            q = (select(m.id, m.case_id, Case.case_number, Citizen.first_name, Citizen.last_name, m.meeting_date,
                        m.start_time, m.sequence_no, m.status, m.location, m.meeting_type)
                 .join(Case, Case.id == m.case_id).join(Citizen, Citizen.id == Case.citizen_id)
                 .where(m.case_id == case_id).order_by(m.sequence_no.desc()))
            rows = [_row(r) for r in s.execute(q)]
            self.audit(s, actor, "read", "round_table_meeting", None, case_id=case_id, detail="liste")
            team = self._team(s, c)
            return MeetingTab(rows, self._people(s, c, team), [(u.id, u.full_name) for u in team],
                              actor.may("meeting.write"))
        return self._write(actor, "case.read", work)

    @staticmethod
    def _team(s, c: Case) -> list[User]:
        ids = set(s.scalars(select(CaseTeamMember.user_id).where(CaseTeamMember.case_id == c.id)))
        if c.coordinator_id:
            ids.add(c.coordinator_id)
        return list(s.scalars(select(User).where(User.id.in_(ids), User.active.is_(True)).order_by(User.full_name)))

    @staticmethod
    def _people(s, c: Case, team: list[User]) -> list[Person]:
        cit = c.citizen
        people = [Person(f"{cit.first_name} {cit.last_name}", "Borger")]
        for w in s.scalars(select(WorkplaceContact).where(WorkplaceContact.case_id == c.id)
                           .order_by(WorkplaceContact.id)):
            people.append(Person(w.name, CONTACT_LABELS.get(w.kind, w.kind), c.employer_name))
        if c.gp_name:
            people.append(Person(c.gp_name, "Egen læge", c.gp_clinic))
        if c.caseworker_name:
            people.append(Person(c.caseworker_name, "Sagsbehandler", c.referring_jobcentre))
        for u in team:
            people.append(Person(u.full_name, ROLE_LABELS.get(u.role, u.role), "TTA-teamet", u.id))
        return people

    # -- one meeting ---------------------------------------------------------------------------
    def meeting(self, actor: Actor, meeting_id: int) -> MeetingDetail:
        def work(s):
            m = self._meeting_of_case(s, actor, meeting_id, "case.read")
            self.audit(s, actor, "read", "round_table_meeting", m.id, case_id=m.case_id)
            return _detail(s, m)
        return self._write(actor, "case.read", work)

    def _meeting_of_case(self, s, actor: Actor, meeting_id: int, action: str) -> RoundTableMeeting:
        m = get_or_404(s, RoundTableMeeting, meeting_id, "Rundbordssamtale")
        self.require_case(s, actor, m.case_id, action=action)
        return m

    def plan_meeting(self, actor: Actor, case_id: int, *, values: Mapping[str, Any],
                     participants: Iterable[Mapping[str, Any]] = ()) -> int:
        """A new planned meeting on the case (numbered after the case's last one)."""
        clean = _clean_values(values)
        people = _clean_participants(participants)

        def work(s):
            self.require_case(s, actor, case_id, action="meeting.write")
            c = get_or_404(s, Case, case_id, "Forløb")
            seq = (s.scalar(select(func.max(RoundTableMeeting.sequence_no))
                            .where(RoundTableMeeting.case_id == case_id)) or 0) + 1
            m = RoundTableMeeting(case_id=case_id, sequence_no=seq, status="planned",
                                  facilitator_id=clean.pop("facilitator_id", None) or actor.user_id, **clean)
            s.add(m)
            s.flush()
            s.add_all(MeetingParticipant(meeting_id=m.id, **p) for p in people)
            c.last_activity_at = self.clock()
            self.audit(s, actor, "create", "round_table_meeting", m.id, case_id=case_id, detail=f"nr. {seq}")
            return m.id
        return self._write(actor, "meeting.write", work)

    def save_meeting(self, actor: Actor, meeting_id: int, *, expected_version: int, values: Mapping[str, Any],
                     participants: Iterable[Mapping[str, Any]] | None = None,
                     items: Iterable[Mapping[str, Any]] | None = None) -> int:
        """Save the meeting's fields, participants and items (obstacles, solutions, agreements). A new
        agreement becomes a task for the meeting's facilitator; an agreement removed takes its open
        task with it. Returns the meeting's new version."""
        clean = _clean_values(values)
        people = None if participants is None else _clean_participants(participants)
        rows = None if items is None else _clean_items(items)

        def work(s):
            m = self._meeting_of_case(s, actor, meeting_id, "meeting.write")
            check_version(m, expected_version, "rundbordssamtalen")
            for name, value in clean.items():
                setattr(m, name, value)
            if people is not None:
                s.execute(delete(MeetingParticipant).where(MeetingParticipant.meeting_id == m.id))
                s.add_all(MeetingParticipant(meeting_id=m.id, **p) for p in people)
            made = 0
            if rows is not None:
                made = self._save_items(s, actor, m, rows)
            m.updated_at = self.clock()
            c = s.get(Case, m.case_id)
            c.last_activity_at = self.clock()
            s.flush()
            self.audit(s, actor, "update", "round_table_meeting", m.id, case_id=m.case_id, fields=sorted(clean),
                       detail=f"nr. {m.sequence_no}" + (f", {made} aftaler blev til opgaver" if made else ""))
            return m.version
        return self._write(actor, "meeting.write", work, what="rundbordssamtalen")

    def _save_items(self, s, actor: Actor, m: RoundTableMeeting, rows: list[dict[str, Any]]) -> int:
        old = {i.id: i for i in s.scalars(select(MeetingItem).where(MeetingItem.meeting_id == m.id))}
        keep = {r["id"] for r in rows if r.get("id")}
        if keep - set(old):
            raise ValidationError("items", "hører ikke til denne rundbordssamtale", label="Punkter")
        for gone in set(old) - keep:
            item = old[gone]
            if item.task_id is not None:
                s.execute(delete(Task).where(Task.id == item.task_id, Task.done_at.is_(None)))
            s.delete(item)
        made = 0
        owner = m.facilitator_id or s.get(Case, m.case_id).coordinator_id or actor.user_id
        for n, r in enumerate(rows):
            item = old.get(r.get("id")) if r.get("id") else None
            if item is None:
                item = MeetingItem(meeting_id=m.id)
                s.add(item)
            for name in ("kind", "text", "responsible", "due_date"):
                setattr(item, name, r[name])
            item.sort_order = n
            if item.kind == "agreement" and item.task_id is None:
                due = item.due_date or m.meeting_date + dt.timedelta(days=14)
                who = f" ({item.responsible})" if item.responsible else ""
                t = new_task(case_id=m.case_id, title=f"Aftale fra rundbordssamtale{who}: {item.text}",
                             owner_id=owner, due=due, kind=AGREEMENT_TASK, created_by=actor.user_id,
                             description=f"Aftalt på rundbordssamtale nr. {m.sequence_no} den "
                                         f"{m.meeting_date:%d-%m-%Y}. Følg op på, at aftalen holdes.")
                s.add(t)
                s.flush()
                item.task_id = t.id
                made += 1
        return made

    def carry_into_plan(self, actor: Actor, item_id: int, *, responsible_id: int | None = None) -> int:
        """Carry an agreement into the case's action plan as an intervention with one action (on the
        draft; a new draft version is made from the approved plan, an empty plan when there is none).
        Returns the plan's id."""
        def work(s):
            item = get_or_404(s, MeetingItem, item_id, "Aftale")
            m = self._meeting_of_case(s, actor, item.meeting_id, "plan.write")
            if item.kind != "agreement":
                raise ValidationError("items", "kun en aftale kan føres over i planen", label="Aftale")
            if item.carried_to_plan_at is not None:
                raise ValidationError("items", "aftalen står allerede i handlingsplanen", label="Aftale")
            note = f"Aftale fra rundbordssamtale {m.meeting_date:%d-%m-%Y}: {item.text}"
            if item.responsible:
                note += f" (ansvarlig: {item.responsible})"
            plan_id = add_intervention(s, m.case_id, code="round_table", created_by=actor.user_id,
                                       responsible_id=responsible_id or m.facilitator_id,
                                       start=m.meeting_date, end=item.due_date, note=note[:2000],
                                       now=self.clock())
            item.carried_to_plan_at = self.clock()
            self.audit(s, actor, "update", "action_plan", plan_id, case_id=m.case_id, fields=["interventions"],
                       detail=f"aftale fra rundbordssamtale nr. {m.sequence_no} ført over")
            return plan_id
        return self._write(actor, "plan.write", work, what="handlingsplanen")

    # -- documents -----------------------------------------------------------------------------
    def meeting_document(self, actor: Actor, meeting_id: int, *, audience: str = "all") -> MeetingDocument:
        """What the invitation and the minutes print; logged as a read."""
        if audience not in AUDIENCES:
            raise ValidationError("audience", "skal være all eller employer", label="Modtager")

        def work(s):
            m = self._meeting_of_case(s, actor, meeting_id, "letter.print")
            c = s.get(Case, m.case_id)
            cit = c.citizen
            names = dict(s.execute(select(User.id, User.full_name).where(
                User.id.in_([i for i in (c.coordinator_id, m.facilitator_id) if i]))).all())
            health = []
            if audience == "all":
                icd = list(s.scalars(select(CaseIcd10.code).where(CaseIcd10.case_id == c.id).order_by(CaseIcd10.code)))
                if icd:
                    health.append("Diagnosekoder (ICD-10): " + ", ".join(icd))
                for r in s.scalars(select(InstrumentResult).where(InstrumentResult.case_id == c.id,
                                                                  InstrumentResult.score.is_not(None))
                                   .order_by(InstrumentResult.taken_on.desc()).limit(3)):
                    health.append(f"{INSTRUMENT_LABELS.get(r.instrument, r.instrument)}: {r.score:g} "
                                  f"({r.taken_on:%d-%m-%Y})" + (f", {r.band}" if r.band else ""))
            self.audit(s, actor, "read", "round_table_meeting", m.id, case_id=c.id,
                       detail=f"udskrift, {AUDIENCE_LABELS[audience].lower()}")
            return MeetingDocument(audience, _detail(s, m), c.case_number, f"{cit.first_name} {cit.last_name}",
                                   mask_cpr(cit.cpr), c.employer_name, names.get(c.coordinator_id, ""),
                                   names.get(m.facilitator_id, ""), health, read_setting(s, "letterhead"),
                                   actor.full_name, self.clock())
        return self._write(actor, "letter.print", work)

    def invitation_pdf(self, actor: Actor, meeting_id: int) -> bytes:
        from app.printing.meeting_invitation import render_invitation
        return render_invitation(self.meeting_document(actor, meeting_id, audience="employer"))

    def minutes_pdf(self, actor: Actor, meeting_id: int, *, audience: str = "all") -> bytes:
        from app.printing.meeting_minutes import render_minutes
        return render_minutes(self.meeting_document(actor, meeting_id, audience=audience))

    def log_print(self, actor: Actor, meeting_id: int, *, what: str, how: str) -> None:
        """Record that an invitation or minutes left the program (``how``: printer, pdf or a file name)."""
        def work(s):
            m = self._meeting_of_case(s, actor, meeting_id, "letter.print")
            self.audit(s, actor, "print", "round_table_meeting", m.id, case_id=m.case_id, detail=f"{what}: {how}")
        self._write(actor, "letter.print", work)

    def ics(self, actor: Actor, meeting_id: int) -> bytes:
        """The meeting as a calendar file (Outlook opens it): time, place, agenda; the title names the
        case number, not the citizen (a calendar is seen by more people than the case)."""
        from icalendar import Calendar, Event
        doc = self.meeting(actor, meeting_id)
        v = doc.values
        start = dt.datetime.combine(v["meeting_date"], v["start_time"] or dt.time(9, 0)).astimezone()
        cal = Calendar()
        cal.add("prodid", "-//TTA-team//rundbordssamtale//DA")
        cal.add("version", "2.0")
        ev = Event()
        ev.add("uid", f"tta-meeting-{doc.id}@tta-team")
        ev.add("dtstamp", self.clock().replace(tzinfo=dt.UTC))
        ev.add("dtstart", start)
        ev.add("dtend", start + dt.timedelta(minutes=v["duration_minutes"]))
        ev.add("summary", f"Rundbordssamtale nr. {doc.sequence_no} "
                          f"({MEETING_TYPE_LABELS.get(v['meeting_type'], '')})".replace(" ()", ""))
        if v["location"]:
            ev.add("location", v["location"])
        ev.add("description", "\n\n".join(t for t in (v["purpose"], v["agenda"]) if t))
        cal.add_component(ev)
        return cal.to_ical()

    def write_ics(self, actor: Actor, meeting_id: int, path) -> Any:
        """Save the calendar file (privately and atomically, like every file the app writes)."""
        from app.printing.templates import write_pdf
        data = self.ics(actor, meeting_id)
        return write_pdf(path, data)

    def find_meeting(self, actor: Actor, case_id: int, sequence_no: int | None = None) -> int:
        """The case's meeting number ``sequence_no`` (counted from 1), else its latest held one."""
        def work(s):
            self.require_case(s, actor, case_id)
            q = select(RoundTableMeeting.id).where(RoundTableMeeting.case_id == case_id)
            if sequence_no is not None:
                q = q.where(RoundTableMeeting.sequence_no == sequence_no)
            else:
                q = q.where(RoundTableMeeting.status == "held").order_by(RoundTableMeeting.meeting_date.desc(),
                                                                        RoundTableMeeting.sequence_no.desc())
            found = s.scalar(q.limit(1))
            if found is None:
                raise NotFound("Rundbordssamtale" + (f" nr. {sequence_no}" if sequence_no else " (afholdt)"),
                               case_id)
            return found
        return self._read(actor, "case.read", work)


def _row(r) -> MeetingRow:
    return MeetingRow(r.id, r.case_id, r.case_number, f"{r.first_name} {r.last_name}", r.meeting_date,
                      r.start_time, r.sequence_no, r.status, r.location, r.meeting_type)


def _detail(s, m: RoundTableMeeting) -> MeetingDetail:
    values = {name: getattr(m, name) for name in (
        "meeting_type", "meeting_date", "start_time", "duration_minutes", "status", "facilitator_id",
        "next_meeting_date", *TEXT_FIELDS)}
    people = [{"name": p.name, "role_label": p.role_label, "organisation": p.organisation, "user_id": p.user_id,
               "attended": p.attended, "receives_minutes": p.receives_minutes}
              for p in s.scalars(select(MeetingParticipant).where(MeetingParticipant.meeting_id == m.id)
                                 .order_by(MeetingParticipant.id))]
    items = [{"id": i.id, "kind": i.kind, "text": i.text, "responsible": i.responsible, "due_date": i.due_date,
              "task_id": i.task_id, "carried_to_plan_at": i.carried_to_plan_at}
             for i in s.scalars(select(MeetingItem).where(MeetingItem.meeting_id == m.id)
                                .order_by(MeetingItem.sort_order, MeetingItem.id))]
    return MeetingDetail(m.id, m.case_id, m.version, m.sequence_no, values, people, items)


def _clean_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The meeting's own fields, checked; every error at once, in form order."""
    errors: list[ValidationError] = []
    clean: dict[str, Any] = {}
    if "meeting_type" in values:
        if values["meeting_type"] not in codes.MEETING_TYPES:
            errors.append(ValidationError("meeting_type", "vælg en type", label="Type"))
        clean["meeting_type"] = values["meeting_type"]
    if "meeting_date" in values:
        if not isinstance(values["meeting_date"], dt.date):
            errors.append(ValidationError("meeting_date", "vælg en dato", label="Dato"))
        clean["meeting_date"] = values["meeting_date"]
    if "start_time" in values:
        clean["start_time"] = values["start_time"]
    if "duration_minutes" in values:
        minutes = values["duration_minutes"] or 60
        if not 15 <= minutes <= 480:
            errors.append(ValidationError("duration_minutes", "skal være mellem 15 og 480 minutter", label="Varighed"))
        clean["duration_minutes"] = minutes
    if "status" in values:
        if values["status"] not in codes.MEETING_STATUSES:
            errors.append(ValidationError("status", "ukendt status", label="Status"))
        clean["status"] = values["status"]
    for name in ("facilitator_id", "next_meeting_date"):
        if name in values:
            clean[name] = values[name]
    for name, (label, max_len) in TEXT_FIELDS.items():
        if name in values:
            try:
                clean[name] = clean_text(values[name], field=name, label=label, max_len=max_len)
            except ValidationError as e:
                errors.append(e)
    if clean.get("next_meeting_date") and clean.get("meeting_date") and \
            clean["next_meeting_date"] <= clean["meeting_date"]:
        errors.append(ValidationError("next_meeting_date", "skal ligge efter mødet", label="Næste møde"))
    if errors:
        raise ValidationErrors(errors)
    return clean


def _clean_participants(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for n, r in enumerate(rows, 1):
        label = f"Deltagere – række {n}"
        name = clean_text(r.get("name"), field="participants", label=label, max_len=120)
        if not name:
            raise ValidationError("participants", "skriv deltagerens navn", label=label)
        out.append({"name": name, "role_label": clean_text(r.get("role_label"), field="participants", label=label,
                                                           max_len=80) or "Deltager",
                    "organisation": clean_text(r.get("organisation"), field="participants", label=label, max_len=200),
                    "user_id": r.get("user_id"), "attended": r.get("attended"),
                    "receives_minutes": bool(r.get("receives_minutes", True))})
    return out


def _clean_items(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for n, r in enumerate(rows, 1):
        label = f"{ITEM_KIND_LABELS.get(r.get('kind'), 'Punkt')} – række {n}"
        if r.get("kind") not in codes.MEETING_ITEM_KINDS:
            raise ValidationError("items", "ukendt slags punkt", label=label)
        text = clean_text(r.get("text"), field="items", label=label, max_len=2000)
        if not text:
            continue   # an empty row in the form
        out.append({"id": r.get("id"), "kind": r["kind"], "text": text,
                    "responsible": clean_text(r.get("responsible"), field="items", label=label, max_len=120),
                    "due_date": r.get("due_date")})
    return out
