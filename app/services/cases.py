"""Cases (forløb): the searchable list and the case record. Every read is logged."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.services.base import Actor, ServiceBase, apply_changes, check_version, get_or_404
from app.validation import clean_text, danish_order_key, fold, mask_cpr, parse_cpr, weeks_between
from db import codes
from db.models import (ActionPlan, Assessment, CaseAbsenceReason, Case, CaseIcd10, CaseTeamMember, CatalogItem,
                       Citizen, JournalNote,
                       RoundTableMeeting, Task, User, WorkplaceContact)


@dataclass(frozen=True)
class CaseListRow:
    id: int
    case_number: str
    name: str
    cpr_masked: str
    phase: str
    subgroup: int | None
    coordinator: str
    sick_weeks: int
    next_deadline: dt.date | None
    last_activity: dt.datetime


@dataclass(frozen=True)
class CaseDetail:
    id: int
    version: int
    case_number: str
    citizen_id: int
    name: str
    cpr_masked: str
    birth_date: dt.date
    sex: str
    address: str
    phone: str
    email: str
    phase: str
    subgroup: int | None
    coordinator_id: int | None
    coordinator: str
    referral_date: dt.date
    sick_leave_start: dt.date
    sick_weeks: int
    referring_jobcentre: str
    caseworker_name: str
    employment_status: str
    employer_name: str
    job_title: str
    gp_name: str
    visitation_decision: str
    closed_date: dt.date | None
    outcome: str
    caseworker_phone: str = ""
    caseworker_email: str = ""
    employer_address: str = ""
    gp_clinic: str = ""
    gp_phone: str = ""
    referral_text: str = ""
    outside_criteria: bool = False
    outside_criteria_reason: str = ""
    other_reason: str = ""
    next_effort: str = ""
    final_hours_per_week: float | None = None
    closing_note: str = ""
    team_member_ids: list[int] = field(default_factory=list)
    icd10: list[str] = field(default_factory=list)
    absence_reasons: list[str] = field(default_factory=list)
    contacts: list[tuple[str, str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


SORT_KEYS = {
    "name": lambda: Case.name_sort,  # the citizen's last name, first name, in Danish order (db/names.py)
    "cpr": lambda: Citizen.birth_date,
    "phase": lambda: Case.phase,
    "subgroup": lambda: Case.subgroup,
    "coordinator": lambda: Case.coordinator_id,  # grouped by coordinator in Danish name order in search_ids
    "sick_weeks": lambda: Case.sick_leave_start,  # earlier start = more weeks
    "next_deadline": lambda: Case.next_deadline,
    "last_activity": lambda: Case.last_activity_at,
    "case_number": lambda: Case.case_number,
}

# Editable from the case record's overview, with their Danish labels for error messages.
EDITABLE_TEXT = {
    "referring_jobcentre": ("Henvisende jobcenter", 120),
    "caseworker_name": ("Sagsbehandler", 120),
    "caseworker_phone": ("Sagsbehandlers telefon", 40),
    "caseworker_email": ("Sagsbehandlers e-mail", 200),
    "employer_name": ("Arbejdsgiver", 200),
    "employer_address": ("Arbejdsgivers adresse", 200),
    "job_title": ("Stilling", 120),
    "gp_name": ("Egen læge", 120),
    "gp_clinic": ("Lægepraksis", 200),
    "gp_phone": ("Lægens telefon", 40),
    "referral_text": ("Henvisningstekst", 5000),
}


OPEN_PHASES_AFTER_VISITATION = ("assessment", "plan", "intervention", "follow_up")


def _ids(session: Session, query: Select) -> list[int]:
    """The ids a one-column query returns, in its order, read straight from the driver's cursor.

    The case list asks for up to every case's id at each keystroke and sort; for 50,000 ids,
    SQLAlchemy's per-row result handling took longer than SQLite's whole query, and ids need none.
    Parameters go to the driver as they are, so only text and whole numbers are allowed; driver
    errors are wrapped as SQLAlchemy's, so the service layer still turns them into messages.
    """
    connection = session.connection()
    dialect = connection.dialect
    compiled = query.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    if any(v is not None and not isinstance(v, (str, int)) for v in params.values()):
        raise TypeError("_ids passes parameters unconverted; use session.scalars() for other types")
    if compiled.positional:
        params = tuple(params[name] for name in compiled.positiontup)
    sql = str(compiled)
    cursor = connection.connection.driver_connection.cursor()
    try:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]
    except dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(sql, params, exc, dialect.loaded_dbapi.Error, dialect=dialect) from exc
    finally:
        cursor.close()


class CaseService(ServiceBase):
    # -- the list -----------------------------------------------------------------------------
    def search_ids(self, actor: Actor, text: str = "", *, phase: str | None = None,
                   coordinator_id: int | None = None, subgroup: int | None = None, mine: bool = False,
                   include_closed: bool = True, sort: str = "last_activity", descending: bool = True,
                   log: bool = True) -> list[int]:
        """Ordered ids of the matching cases; searching and sorting happen in SQL.

        Names match by their folded form (å = aa, æ = ae, ø = oe, no accents), digits by CPR prefix or
        case number. With ``log=False`` the search is not written to the audit log: the case list
        searches at every keystroke and logs the finished search once with ``log_search``.
        """
        if sort not in SORT_KEYS:
            raise ValidationError("sort", "ukendt sorteringskolonne", label="Sortering")
        text = clean_text(text, field="search", label="Søgning", max_len=100)

        def work(s):
            # Each case carries its citizen's name keys, so only the CPR sort and CPR search read
            # the citizens; each order has a narrow index (db/models/case.py).
            q = select(Case.id)
            if sort == "cpr":
                q = q.join(Citizen, Citizen.id == Case.citizen_id)
            key = SORT_KEYS[sort]()
            conds = []
            if text:
                digits = text.replace("-", "").replace(" ", "")
                if digits.isdigit():
                    conds.append(or_(Case.citizen_id.in_(select(Citizen.id).where(Citizen.cpr.startswith(digits))),
                                     Case.case_number.contains(digits)))
                else:
                    for word in fold(text).split():
                        conds.append(Case.name_search.contains(word, autoescape=True))
            if phase:
                conds.append(Case.phase == phase)
            elif not include_closed:
                conds.append(Case.phase != "closed")
            if mine:
                conds.append(Case.coordinator_id == actor.user_id)
            elif coordinator_id:
                conds.append(Case.coordinator_id == coordinator_id)
            if subgroup:
                conds.append(Case.subgroup == subgroup)
            if conds:
                q = q.where(and_(*conds))
            tie = Case.id.desc() if descending else Case.id
            if sort == "coordinator":
                # A team has few coordinators: one index-ordered read per coordinator, in Danish
                # name order after the cases without one (an empty name), instead of joining the
                # users and sorting every case again.
                users = s.execute(select(User.id, User.full_name)).all()
                ranked = sorted(users, key=lambda u: (danish_order_key(u.full_name), u.id))
                groups = [q.where(key.is_(None))] + [q.where(key == u.id) for u in ranked]
                return [i for g in (reversed(groups) if descending else groups) for i in _ids(s, g.order_by(tie))]
            if sort == "next_deadline":
                # Cases without an open deadline last, either way: two index-ordered reads, since
                # an index keeps NULLs first and "NULLS LAST" would sort all rows again.
                return (_ids(s, q.where(key.is_not(None)).order_by(key.desc() if descending else key, tie))
                        + _ids(s, q.where(key.is_(None)).order_by(tie)))
            return _ids(s, q.order_by(key.desc() if descending else key.asc(), tie))
        ids = self._read(actor, "case.search", work)
        if log:
            self.log_search(actor, text)
        return ids

    def log_search(self, actor: Actor, text: str) -> None:
        """Write one audit entry for a finished search, with its text (Datatilsynet: every search of
        personal data is logged). An empty search field is a plain list view, not a search."""
        text = clean_text(text, field="search", label="Søgning", max_len=100)
        if text:
            self._write(actor, "case.search",
                        lambda s: self.audit(s, actor, "search", "tta_case", None, detail=text))

    def list_rows(self, actor: Actor, ids: list[int]) -> list[CaseListRow]:
        """Rows for the given ids, in the given order (the list fetches what it shows)."""
        if not ids:
            return []

        def work(s):
            q = (select(Case.id, Case.case_number, Citizen.first_name, Citizen.last_name, Citizen.cpr, Case.phase,
                        Case.subgroup, User.full_name, Case.sick_leave_start, Case.closed_date,
                        Case.next_deadline, Case.last_activity_at)
                 .join(Citizen, Citizen.id == Case.citizen_id)
                 .outerjoin(User, User.id == Case.coordinator_id)
                 .where(Case.id.in_(ids)))
            today = self.today()
            by_id = {}
            # Plain rows (Core), not ORM entities: this runs for every block the list paints.
            for r in s.connection().execute(q):
                end = r.closed_date or today
                by_id[r.id] = CaseListRow(r.id, r.case_number, f"{r.first_name} {r.last_name}", mask_cpr(r.cpr),
                                          r.phase, r.subgroup, r[7] or "", weeks_between(r.sick_leave_start, end),
                                          r[10], r.last_activity_at)
            return [by_id[i] for i in ids if i in by_id]
        return self._read(actor, "case.read", work)

    def total(self) -> int:
        """How many cases exist: a number, no personal data, so no actor is needed."""
        return self._read(None, None, lambda s: s.scalar(select(func.count(Case.id))) or 0)

    # -- one case -----------------------------------------------------------------------------
    def get_case(self, actor: Actor, case_id: int) -> CaseDetail:
        """The case record; the read is written to the audit log in the same transaction."""
        def work(s):
            c = get_or_404(s, Case, case_id, "Forløb")
            cit = c.citizen
            coord = s.get(User, c.coordinator_id) if c.coordinator_id else None
            outcome = s.get(CatalogItem, c.outcome_id).label if c.outcome_id else ""
            icd = list(s.scalars(select(CaseIcd10.code).where(CaseIcd10.case_id == c.id).order_by(CaseIcd10.code)))
            reasons = list(s.scalars(select(CatalogItem.label).join(
                CaseAbsenceReason, CaseAbsenceReason.reason_id == CatalogItem.id).where(
                CaseAbsenceReason.case_id == c.id).order_by(CatalogItem.sort_order)))
            contacts = [(w.kind, w.name, w.phone) for w in s.scalars(
                select(WorkplaceContact).where(WorkplaceContact.case_id == c.id).order_by(WorkplaceContact.id))]
            counts = {
                name: s.scalar(select(func.count()).select_from(model).where(model.case_id == c.id, *extra)) or 0
                for name, model, extra in (("assessments", Assessment, ()), ("plans", ActionPlan, ()),
                                           ("meetings", RoundTableMeeting, ()), ("journal", JournalNote, ()),
                                           ("open_tasks", Task, (Task.done_at.is_(None),)))
            }
            self.audit(s, actor, "read", "tta_case", c.id, case_id=c.id)
            end = c.closed_date or self.today()

            def label(item_id):
                return s.get(CatalogItem, item_id).label if item_id else ""
            team = list(s.scalars(select(CaseTeamMember.user_id).where(CaseTeamMember.case_id == c.id)))
            return CaseDetail(
                id=c.id, version=c.version, case_number=c.case_number, citizen_id=cit.id,
                name=f"{cit.first_name} {cit.last_name}", cpr_masked=mask_cpr(cit.cpr), birth_date=cit.birth_date,
                sex=cit.sex, address=", ".join(p for p in (cit.address, f"{cit.postcode} {cit.city}".strip()) if p),
                phone=cit.phone, email=cit.email, phase=c.phase, subgroup=c.subgroup,
                coordinator_id=c.coordinator_id, coordinator=coord.full_name if coord else "",
                referral_date=c.referral_date, sick_leave_start=c.sick_leave_start,
                sick_weeks=weeks_between(c.sick_leave_start, end), referring_jobcentre=c.referring_jobcentre,
                caseworker_name=c.caseworker_name, employment_status=c.employment_status,
                employer_name=c.employer_name, job_title=c.job_title, gp_name=c.gp_name,
                visitation_decision=c.visitation_decision, closed_date=c.closed_date, outcome=outcome,
                caseworker_phone=c.caseworker_phone, caseworker_email=c.caseworker_email,
                employer_address=c.employer_address, gp_clinic=c.gp_clinic, gp_phone=c.gp_phone,
                referral_text=c.referral_text, outside_criteria=c.outside_criteria,
                outside_criteria_reason=c.outside_criteria_reason, other_reason=label(c.other_reason_id),
                next_effort=label(c.next_effort_id), final_hours_per_week=c.final_hours_per_week,
                closing_note=c.closing_note, team_member_ids=team,
                icd10=icd, absence_reasons=reasons, contacts=contacts, counts=counts)
        return self._write(actor, "case.read", work, what="forløbet")

    def reveal_cpr(self, actor: Actor, case_id: int) -> str:
        """The full CPR number, on demand; logged."""
        def work(s):
            c = get_or_404(s, Case, case_id, "Forløb")
            self.audit(s, actor, "reveal_cpr", "citizen", c.citizen_id, case_id=c.id)
            return parse_cpr(c.citizen.cpr).formatted
        return self._write(actor, "case.reveal_cpr", work)

    def update_case(self, actor: Actor, case_id: int, *, expected_version: int, changes: dict[str, Any]) -> int:
        """Change editable fields of a case; returns the new version. A stale version is a conflict."""
        clean: dict[str, Any] = {}
        for name, value in changes.items():
            if name in EDITABLE_TEXT:
                label, max_len = EDITABLE_TEXT[name]
                clean[name] = clean_text(value, field=name, label=label, max_len=max_len)
            elif name == "subgroup":
                if value is not None and value not in range(1, 9):
                    raise ValidationError("subgroup", "skal være 1-8", label="Undergruppe")
                clean[name] = value
            elif name == "employment_status":
                if value not in codes.EMPLOYMENT_STATUSES:
                    raise ValidationError(name, "skal være en af de kendte ansættelsesformer",
                                          label="Ansættelsesforhold")
                clean[name] = value
            elif name == "coordinator_id":
                clean[name] = value
            elif name == "phase":
                if value not in OPEN_PHASES_AFTER_VISITATION:
                    raise ValidationError("phase", "kan kun sættes til udredning, handlingsplan, indsats eller "
                                          "opfølgning (visitation og afslutning har egne trin)", label="Fase")
                clean[name] = value
            elif name == "team_member_ids":
                clean[name] = sorted(set(value))
            else:
                raise ValidationError(name, "kan ikke rettes her", label=name)

        def work(s):
            c = get_or_404(s, Case, case_id, "Forløb")
            check_version(c, expected_version, "forløbet")
            if "coordinator_id" in clean and clean["coordinator_id"] is not None:
                u = s.get(User, clean["coordinator_id"])
                if u is None or not u.active:
                    raise ValidationError("coordinator_id", "skal være en aktiv bruger", label="Koordinator")
            team = clean.pop("team_member_ids", None)
            if "phase" in clean and c.phase not in OPEN_PHASES_AFTER_VISITATION:
                raise ValidationError("phase", "kan kun ændres på et visiteret, åbent forløb", label="Fase")
            changed = apply_changes(c, clean)
            if team is not None:
                current = {m.user_id: m for m in s.scalars(select(CaseTeamMember).where(
                    CaseTeamMember.case_id == c.id))}
                if set(current) != set(team):
                    for uid, m in current.items():
                        if uid not in team:
                            s.delete(m)
                    for uid in team:
                        if uid not in current:
                            if s.get(User, uid) is None:
                                raise ValidationError("team_member_ids", "ukendt bruger", label="Teammedlemmer")
                            s.add(CaseTeamMember(case_id=c.id, user_id=uid))
                    changed.append("team_member_ids")
                    c.updated_at = self.clock()  # bumps the version: the team is part of the case record
            if changed:
                c.last_activity_at = self.clock()
                s.flush()
                self.audit(s, actor, "update", "tta_case", c.id, case_id=c.id, fields=changed)
            return c.version
        return self._write(actor, "case.update", work, what="forløbet")
