"""New referrals (henvisning): the first step of a case, from the jobcentre's referral.

A referral is a dict keyed by the names of ``app.case_fields.CASE_FIELDS`` (the fields a creation
form asks for); contacts are dicts keyed by ``CONTACT_FIELDS``.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.case_fields import CASE_FIELDS, CONTACT_FIELDS
from app.errors import AppError, ValidationError, ValidationErrors
from app.services.base import Actor, ServiceBase
from app.services.cases import note_cpr_lookup
from app.services.deadlines import sync_case_deadlines
from app.services.team import check_coordinator, may_coordinate
from app.validation import fold, mask_cpr, parse_cpr
from db.models import Case, CaseAbsenceReason, CaseIcd10, CatalogItem, Citizen, Task, User, WorkplaceContact


@dataclass(frozen=True)
class ExistingPerson:
    citizen_id: int
    name: str
    cpr_masked: str
    cases: list[tuple[str, str, dt.date]]  # case number, phase, referral date
    first_name: str = ""
    last_name: str = ""
    open_case: tuple[str, str] | None = None  # the case still open: its number and its coordinator's name


class SimilarPersonWarning(AppError):
    """Someone with a similar name and the same birth date exists under another CPR number."""

    def __init__(self, people: list[ExistingPerson]):
        self.people = people
        names = ", ".join(f"{p.name} ({p.cpr_masked})" for p in people)
        super().__init__(f"Der findes allerede en person med samme fødselsdato og lignende navn: {names}. "
                         "Kontrollér CPR-nummeret, før en ny person oprettes.")


def _name_words(name: str) -> set[str]:
    """Folded name words with Danish letters spelled out (Åse ~ Aase), ignoring initials."""
    spelled = fold(name).replace("-", " ")
    return {w for w in spelled.split() if len(w) > 2}


def _similar(a: str, b: str) -> bool:
    """With the same birth date already given, one shared name word is enough to ask."""
    return bool(_name_words(a) & _name_words(b))


class ReferralService(ServiceBase):
    def validate(self, values: Mapping[str, Any], *, only: list[str] | None = None) -> dict[str, Any]:
        """Check the whole referral form: each field by its rules in the table, then the rules across
        fields. Returns the clean values; raises ValidationErrors naming every broken rule.
        ``only``: the fields an import file holds (the others are not asked for there)."""
        names = only if only is not None else [f.name for f in CASE_FIELDS.creation_fields()]
        clean, errors = CASE_FIELDS.check(values, only=names, today=self.today())
        start, referred, cpr = clean.get("sick_leave_start"), clean.get("referral_date"), clean.get("cpr")
        label = CASE_FIELDS["sick_leave_start"].label
        if start and referred and start > referred:
            errors.append(ValidationError("sick_leave_start", "må ikke ligge efter henvisningsdatoen", label=label))
        elif start and cpr and start < cpr.birth_date:
            errors.append(ValidationError("sick_leave_start", "ligger før fødselsdatoen", label=label))
        if errors:
            order = {n: i for i, n in enumerate(names)}
            raise ValidationErrors(sorted(errors, key=lambda e: order.get(e.field, len(order))))
        return clean

    def create_referral(self, actor: Actor, values: Mapping[str, Any], *,
                        confirm_similar_person: bool = False) -> int:
        """Create the case (and the citizen, or link to the known one). Returns the case id.
        ``confirm_similar_person``: the user has seen the similar-person warning and goes on."""
        v = self.validate(values)
        cpr = v["cpr"]

        def work(s: Session) -> int:
            citizen = s.scalar(select(Citizen).where(Citizen.cpr == cpr.digits))
            if citizen is not None:
                still_open = open_case(s, citizen.id)
                if still_open:
                    who = f", koordinator {still_open[1]}" if still_open[1] else ""
                    raise ValidationError("cpr", f"borgeren har allerede et åbent forløb ({still_open[0]}{who})",
                                          label=CASE_FIELDS["cpr"].label)
            elif not confirm_similar_person:
                similar = self._similar_people(s, cpr.birth_date, f"{v['first_name']} {v['last_name']}")
                if similar:
                    raise SimilarPersonWarning(similar)
            reasons = {c.code: c.id for c in s.scalars(select(CatalogItem).where(
                CatalogItem.kind == "absence_reason", CatalogItem.code.in_(v["absence_reasons"])))}
            unknown = [code for code in v["absence_reasons"] if code not in reasons]
            if unknown:
                raise ValidationError("absence_reasons", f"ukendt årsag: {', '.join(unknown)}",
                                      label=CASE_FIELDS["absence_reasons"].label)
            if v["coordinator_id"] is not None:
                coordinator_id = check_coordinator(s, v["coordinator_id"]).id
            else:
                # A coordinator's own referral is theirs unless they chose someone else.
                coordinator_id = actor.user_id if may_coordinate(s.get(User, actor.user_id)) else None
            now = self.clock()
            person = CASE_FIELDS.column_values(v, Citizen)
            if citizen is None:
                citizen = Citizen(**person, birth_date=cpr.birth_date, sex=cpr.sex)
                s.add(citizen)
            else:
                for name, value in person.items():
                    if value and getattr(citizen, name) != value:
                        setattr(citizen, name, value)
            s.flush()
            number = next_case_number(s, v["referral_date"].year)
            case = Case(**{**CASE_FIELDS.column_values(v, Case), "coordinator_id": coordinator_id},
                        case_number=number, citizen_id=citizen.id, phase="referral", last_activity_at=now)
            s.add(case)
            s.flush()
            for code in v["icd10"]:
                s.add(CaseIcd10(case_id=case.id, code=code))
            for code in v["absence_reasons"]:
                s.add(CaseAbsenceReason(case_id=case.id, reason_id=reasons[code]))
            for row in v["contacts"]:
                s.add(WorkplaceContact(case_id=case.id, **CONTACT_FIELDS.column_values(row, WorkplaceContact)))
            if case.coordinator_id:
                s.add(Task(case_id=case.id, title="Visitation af ny henvisning", owner_id=case.coordinator_id,
                           due_date=self.today() + dt.timedelta(days=7), kind="visitation",
                           created_by_id=actor.user_id))
            sync_case_deadlines(s, case.id, acting_user_id=actor.user_id)
            self.audit(s, actor, "create", "tta_case", case.id, case_id=case.id,
                       fields=["citizen", "referral"] + (["linked_existing_citizen"] if citizen.cases[:-1] else []))
            return case.id
        return self._write(actor, "case.create", work)

    def _similar_people(self, s: Session, birth: dt.date, name: str) -> list[ExistingPerson]:
        out = []
        for cit in s.scalars(select(Citizen).where(Citizen.birth_date == birth)):
            if _similar(f"{cit.first_name} {cit.last_name}", name):
                cases = [(c.case_number, c.phase, c.referral_date) for c in cit.cases]
                out.append(ExistingPerson(cit.id, f"{cit.first_name} {cit.last_name}", mask_cpr(cit.cpr), cases))
        return out

    def known_person(self, actor: Actor, cpr_text: str) -> ExistingPerson | None:
        """The citizen with this CPR number, with earlier cases and the open one, if known (shown
        while typing, so the form can say at once that a new referral would be refused)."""
        try:
            cpr = parse_cpr(cpr_text)
        except ValidationError:
            return None

        def work(s):
            note_cpr_lookup(self, s, actor, cpr.digits)
            cit = s.scalar(select(Citizen).where(Citizen.cpr == cpr.digits))
            if cit is None:
                return None
            self.audit(s, actor, "read", "citizen", cit.id, detail="CPR-opslag ved henvisning")
            return ExistingPerson(cit.id, f"{cit.first_name} {cit.last_name}", mask_cpr(cit.cpr),
                                  [(c.case_number, c.phase, c.referral_date) for c in cit.cases],
                                  cit.first_name, cit.last_name, open_case(s, cit.id))
        return self._write(actor, "case.create", work)


def next_case_number(s: Session, year: int) -> str:
    """The next free case number of the referral year: TTA-2026-00001, TTA-2026-00002 ..."""
    prefix = f"TTA-{year}-"
    last = s.scalar(select(func.max(Case.case_number)).where(Case.case_number.startswith(prefix)))
    return f"{prefix}{(int(last.rsplit('-', 1)[1]) if last else 0) + 1:05d}"


def open_case(s: Session, citizen_id: int) -> tuple[str, str] | None:
    """The citizen's case that is not closed, as (case number, coordinator's name or "")."""
    row = s.execute(select(Case.case_number, User.full_name).outerjoin(User, User.id == Case.coordinator_id)
                    .where(Case.citizen_id == citizen_id, Case.phase != "closed")).first()
    return (row[0], row[1] or "") if row else None
