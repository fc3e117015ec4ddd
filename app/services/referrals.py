"""New referrals (henvisning) and visitation: the first two steps of a case."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import eligibility
from app.errors import AppError, ValidationError, ValidationErrors
from app.services.base import Actor, ServiceBase, check_version, get_or_404
from app.validation import clean_icd10, clean_text, fold, mask_cpr, parse_cpr
from db import codes
from app.services.admin import read_setting
from db.models import Case, CaseAbsenceReason, CaseIcd10, CatalogItem, Citizen, Task, User, WorkplaceContact

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class ContactInput:
    kind: str
    name: str
    phone: str = ""
    email: str = ""


@dataclass
class ReferralInput:
    cpr: str = ""
    first_name: str = ""
    last_name: str = ""
    address: str = ""
    postcode: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    referral_date: dt.date | None = None
    sick_leave_start: dt.date | None = None
    referring_jobcentre: str = ""
    caseworker_name: str = ""
    caseworker_phone: str = ""
    caseworker_email: str = ""
    referral_text: str = ""
    employment_status: str = "employed"
    employer_name: str = ""
    employer_address: str = ""
    job_title: str = ""
    normal_hours_per_week: float | None = None
    contacts: list[ContactInput] = field(default_factory=list)
    gp_name: str = ""
    gp_clinic: str = ""
    gp_phone: str = ""
    absence_reasons: list[str] = field(default_factory=list)  # catalogue codes
    icd10_codes: list[str] = field(default_factory=list)
    socio_economic_level: str = "other"
    absent_before_same_cause: bool | None = None
    expects_return_same_workplace: bool | None = None
    referred_to_psych: bool | None = None
    wage_earner: bool | None = None
    coordinator_id: int | None = None
    confirm_similar_person: bool = False  # the user has seen the similar-person warning and goes on


@dataclass(frozen=True)
class ExistingPerson:
    citizen_id: int
    name: str
    cpr_masked: str
    cases: list[tuple[str, str, dt.date]]  # case number, phase, referral date


class SimilarPersonWarning(AppError):
    """Someone with a similar name and the same birth date exists under another CPR number."""

    def __init__(self, people: list[ExistingPerson]):
        self.people = people
        names = ", ".join(f"{p.name} ({p.cpr_masked})" for p in people)
        super().__init__(f"Der findes allerede en person med samme fødselsdato og lignende navn: {names}. "
                         "Kontrollér CPR-nummeret, før en ny person oprettes.")


@dataclass(frozen=True)
class VisitationView:
    case_id: int
    version: int
    name: str
    criteria: list[eligibility.CriterionResult]
    decision: str


def _name_words(name: str) -> set[str]:
    """Folded name words with Danish letters spelled out (Åse ~ Aase), ignoring initials."""
    spelled = fold(name).replace("-", " ")
    return {w for w in spelled.split() if len(w) > 2}


def _similar(a: str, b: str) -> bool:
    """With the same birth date already given, one shared name word is enough to ask."""
    return bool(_name_words(a) & _name_words(b))


class ReferralService(ServiceBase):
    def validate(self, data: ReferralInput) -> dict:
        """Check the whole form; raises ValidationErrors with every field that breaks a rule."""
        errors: list[ValidationError] = []
        out: dict = {}

        def attempt(name, fn):
            try:
                out[name] = fn()
            except ValidationError as e:
                errors.append(e)

        attempt("cpr", lambda: parse_cpr(data.cpr))
        for name, label, max_len, required in (
                ("first_name", "Fornavn", 100, True), ("last_name", "Efternavn", 100, True),
                ("address", "Adresse", 200, False), ("postcode", "Postnummer", 10, False),
                ("city", "By", 100, False), ("phone", "Telefon", 40, False), ("email", "E-mail", 200, False),
                ("referring_jobcentre", "Henvisende jobcenter", 120, True),
                ("caseworker_name", "Sagsbehandler", 120, True), ("caseworker_phone", "Sagsbehandlers telefon", 40,
                                                                   False),
                ("caseworker_email", "Sagsbehandlers e-mail", 200, False),
                ("referral_text", "Henvisningstekst", 5000, False),
                ("employer_name", "Arbejdsgiver", 200, data.employment_status == "employed"),
                ("employer_address", "Arbejdsgivers adresse", 200, False), ("job_title", "Stilling", 120, False),
                ("gp_name", "Egen læge", 120, False), ("gp_clinic", "Lægepraksis", 200, False),
                ("gp_phone", "Lægens telefon", 40, False)):
            attempt(name, lambda n=name, lb=label, m=max_len, r=required: clean_text(
                getattr(data, n), field=n, label=lb, max_len=m, required=r))
        for name, label in (("email", "E-mail"), ("caseworker_email", "Sagsbehandlers e-mail")):
            if out.get(name) and not EMAIL_RE.match(out[name]):
                errors.append(ValidationError(name, "er ikke en gyldig e-mailadresse", label=label))
        if out.get("postcode") and not re.fullmatch(r"\d{4}", out["postcode"]):
            errors.append(ValidationError("postcode", "skal være fire cifre", label="Postnummer"))
        today = self.today()
        if data.referral_date is None:
            errors.append(ValidationError("referral_date", "skal udfyldes", label="Henvisningsdato"))
        elif data.referral_date > today:
            errors.append(ValidationError("referral_date", "må ikke ligge i fremtiden", label="Henvisningsdato"))
        if data.sick_leave_start is None:
            errors.append(ValidationError("sick_leave_start", "skal udfyldes", label="Sygemeldt fra"))
        elif data.referral_date and data.sick_leave_start > data.referral_date:
            errors.append(ValidationError("sick_leave_start", "må ikke ligge efter henvisningsdatoen",
                                          label="Sygemeldt fra"))
        elif "cpr" in out and data.sick_leave_start < out["cpr"].birth_date:
            errors.append(ValidationError("sick_leave_start", "ligger før fødselsdatoen", label="Sygemeldt fra"))
        if data.employment_status not in codes.EMPLOYMENT_STATUSES:
            errors.append(ValidationError("employment_status", "skal vælges", label="Ansættelsesforhold"))
        if data.socio_economic_level not in codes.SOCIO_ECONOMIC_LEVELS:
            errors.append(ValidationError("socio_economic_level", "skal vælges", label="Socioøkonomisk niveau"))
        if data.normal_hours_per_week is not None and not 0 < data.normal_hours_per_week <= 60:
            errors.append(ValidationError("normal_hours_per_week", "skal være mellem 0 og 60 timer",
                                          label="Normal ugentlig arbejdstid"))
        if not data.absence_reasons:
            errors.append(ValidationError("absence_reasons", "vælg mindst én årsag", label="Årsager til fravær"))
        icd = []
        for code in data.icd10_codes:
            if code.strip():
                try:
                    icd.append(clean_icd10(code))
                except ValidationError as e:
                    errors.append(e)
        out["icd10"] = sorted(set(icd))
        contacts = []
        for i, c in enumerate(data.contacts):
            if c.kind not in codes.CONTACT_KINDS:
                errors.append(ValidationError(f"contact{i}", "ukendt type", label="Kontaktperson"))
                continue
            try:
                name = clean_text(c.name, field=f"contact{i}", label="Kontaktpersonens navn", max_len=120)
                phone = clean_text(c.phone, field=f"contact{i}", label="Kontaktpersonens telefon", max_len=40)
                email = clean_text(c.email, field=f"contact{i}", label="Kontaktpersonens e-mail", max_len=200)
            except ValidationError as e:
                errors.append(e)
                continue
            if name:
                contacts.append((c.kind, name, phone, email))
        out["contacts"] = contacts
        if errors:
            raise ValidationErrors(errors)
        return out

    def create_referral(self, actor: Actor, data: ReferralInput) -> int:
        """Create the case (and the citizen, or link to the known one). Returns the case id."""
        v = self.validate(data)
        cpr = v["cpr"]

        def work(s: Session) -> int:
            citizen = s.scalar(select(Citizen).where(Citizen.cpr == cpr.digits))
            if citizen is not None:
                open_case = s.execute(
                    select(Case.case_number, User.full_name).outerjoin(User, User.id == Case.coordinator_id)
                    .where(Case.citizen_id == citizen.id, Case.phase != "closed")).first()
                if open_case:
                    who = f", koordinator {open_case[1]}" if open_case[1] else ""
                    raise ValidationError("cpr", f"borgeren har allerede et åbent forløb ({open_case[0]}{who})",
                                          label="CPR-nummer")
            elif not data.confirm_similar_person:
                similar = self._similar_people(s, cpr.birth_date, f"{v['first_name']} {v['last_name']}")
                if similar:
                    raise SimilarPersonWarning(similar)
            reasons = {c.code: c.id for c in s.scalars(select(CatalogItem).where(
                CatalogItem.kind == "absence_reason", CatalogItem.code.in_(data.absence_reasons)))}
            unknown = set(data.absence_reasons) - set(reasons)
            if unknown:
                raise ValidationError("absence_reasons", f"ukendt årsag: {', '.join(sorted(unknown))}",
                                      label="Årsager til fravær")
            if data.coordinator_id is not None:
                u = s.get(User, data.coordinator_id)
                if u is None or not u.active:
                    raise ValidationError("coordinator_id", "skal være en aktiv bruger", label="Koordinator")
            now = self.clock()
            person = {"first_name": v["first_name"], "last_name": v["last_name"], "address": v["address"],
                      "postcode": v["postcode"], "city": v["city"], "phone": v["phone"], "email": v["email"]}
            if citizen is None:
                citizen = Citizen(cpr=cpr.digits, birth_date=cpr.birth_date, sex=cpr.sex, **person)
                s.add(citizen)
            else:
                for k, val in person.items():
                    if val and getattr(citizen, k) != val:
                        setattr(citizen, k, val)
            s.flush()
            year = data.referral_date.year
            prefix = f"TTA-{year}-"
            last = s.scalar(select(func.max(Case.case_number)).where(Case.case_number.startswith(prefix)))
            number = f"{prefix}{(int(last.rsplit('-', 1)[1]) if last else 0) + 1:05d}"
            case = Case(
                case_number=number, citizen_id=citizen.id, phase="referral",
                coordinator_id=data.coordinator_id if data.coordinator_id is not None else (
                    actor.user_id if actor.role == "coordinator" else None),
                referral_date=data.referral_date, sick_leave_start=data.sick_leave_start,
                referring_jobcentre=v["referring_jobcentre"], caseworker_name=v["caseworker_name"],
                caseworker_phone=v["caseworker_phone"], caseworker_email=v["caseworker_email"],
                referral_text=v["referral_text"], employment_status=data.employment_status,
                employer_name=v["employer_name"], employer_address=v["employer_address"], job_title=v["job_title"],
                normal_hours_per_week=data.normal_hours_per_week, gp_name=v["gp_name"], gp_clinic=v["gp_clinic"],
                gp_phone=v["gp_phone"], socio_economic_level=data.socio_economic_level,
                absent_before_same_cause=data.absent_before_same_cause,
                expects_return_same_workplace=data.expects_return_same_workplace,
                referred_to_psych=data.referred_to_psych, wage_earner=data.wage_earner, last_activity_at=now)
            s.add(case)
            s.flush()
            for code in v["icd10"]:
                s.add(CaseIcd10(case_id=case.id, code=code))
            for rid in reasons.values():
                s.add(CaseAbsenceReason(case_id=case.id, reason_id=rid))
            for kind, name, phone, email in v["contacts"]:
                s.add(WorkplaceContact(case_id=case.id, kind=kind, name=name, phone=phone, email=email))
            if case.coordinator_id:
                s.add(Task(case_id=case.id, title="Visitation af ny henvisning", owner_id=case.coordinator_id,
                           due_date=self.today() + dt.timedelta(days=7), kind="visitation",
                           created_by_id=actor.user_id))
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
        """The citizen with this CPR number, with earlier cases, if known (shown while typing)."""
        try:
            cpr = parse_cpr(cpr_text)
        except ValidationError:
            return None

        def work(s):
            cit = s.scalar(select(Citizen).where(Citizen.cpr == cpr.digits))
            if cit is None:
                return None
            self.audit(s, actor, "read", "citizen", cit.id, detail="CPR-opslag ved henvisning")
            return ExistingPerson(cit.id, f"{cit.first_name} {cit.last_name}", mask_cpr(cit.cpr),
                                  [(c.case_number, c.phase, c.referral_date) for c in cit.cases])
        return self._write(actor, "case.read", work)

    # -- visitation ----------------------------------------------------------------------------
    def _evaluate(self, s: Session, case: Case) -> list[eligibility.CriterionResult]:
        icd = list(s.scalars(select(CaseIcd10.code).where(CaseIcd10.case_id == case.id)))
        reasons = list(s.scalars(select(CatalogItem.code).join(
            CaseAbsenceReason, CaseAbsenceReason.reason_id == CatalogItem.id).where(
            CaseAbsenceReason.case_id == case.id)))
        return eligibility.evaluate(read_setting(s, "eligibility"), birth_date=case.citizen.birth_date,
                                    referral_date=case.referral_date, sick_leave_start=case.sick_leave_start,
                                    wage_earner=case.wage_earner, icd10_codes=icd, absence_reason_codes=reasons)

    def visitation_view(self, actor: Actor, case_id: int) -> VisitationView:
        def work(s):
            c = get_or_404(s, Case, case_id, "Forløb")
            self.audit(s, actor, "read", "tta_case", c.id, case_id=c.id, detail="visitation")
            return VisitationView(c.id, c.version, f"{c.citizen.first_name} {c.citizen.last_name}",
                                  self._evaluate(s, c), c.visitation_decision)
        return self._write(actor, "case.read", work)

    def visitate(self, actor: Actor, case_id: int, *, expected_version: int, accepted: bool,
                 decision_date: dt.date | None = None, rejection_reason: str | None = None,
                 outside_criteria_reason: str = "", note: str = "") -> None:
        """Record the decision. Accepting someone outside the criteria needs a stated reason;
        a rejection needs a reason from the catalogue and closes the case."""
        decision_date = decision_date or self.today()
        note = clean_text(note, field="visitation_note", label="Bemærkning", max_len=2000)
        outside_reason = clean_text(outside_criteria_reason, field="outside_criteria_reason",
                                    label="Begrundelse for optagelse uden for kriterierne", max_len=2000)
        if decision_date > self.today():
            raise ValidationError("decision_date", "må ikke ligge i fremtiden", label="Visitationsdato")

        def work(s):
            c = get_or_404(s, Case, case_id, "Forløb")
            check_version(c, expected_version, "forløbet")
            if c.phase not in ("referral", "visitation"):
                raise ValidationError("visitation", "forløbet er allerede visiteret", label="Visitation")
            if decision_date < c.referral_date:
                raise ValidationError("decision_date", "må ikke ligge før henvisningsdatoen", label="Visitationsdato")
            results = self._evaluate(s, c)
            c.visitation_date = decision_date
            c.visitation_by_id = actor.user_id
            c.visitation_note = note
            fields = ["visitation_decision", "visitation_date", "phase"]
            if accepted:
                outside = not eligibility.all_met(results)
                if outside and not outside_reason:
                    missing = ", ".join(r.label for r in results if r.status != eligibility.MET)
                    raise ValidationError("outside_criteria_reason",
                                          f"skal udfyldes, da kriterierne ikke alle er opfyldt ({missing})",
                                          label="Begrundelse for optagelse uden for kriterierne")
                c.visitation_decision = "accepted"
                c.outside_criteria = outside
                c.outside_criteria_reason = outside_reason if outside else ""
                c.phase = "assessment"
                if outside:
                    fields.append("outside_criteria")
            else:
                reason = s.scalar(select(CatalogItem).where(CatalogItem.kind == "rejection_reason",
                                                            CatalogItem.code == (rejection_reason or "")))
                if reason is None:
                    raise ValidationError("rejection_reason", "vælg en årsag til afslaget", label="Årsag")
                other = s.scalar(select(CatalogItem).where(CatalogItem.kind == "outcome",
                                                           CatalogItem.code == "other"))
                not_target = s.scalar(select(CatalogItem).where(CatalogItem.kind == "other_reason",
                                                                CatalogItem.code == "not_target_group"))
                c.visitation_decision = "rejected"
                c.rejection_reason_id = reason.id
                c.phase = "closed"
                c.closed_date = decision_date
                c.outcome_id = other.id if other else None
                c.other_reason_id = not_target.id if not_target else None
                fields += ["rejection_reason", "closed_date", "outcome"]
            for t in s.scalars(select(Task).where(Task.case_id == c.id, Task.kind == "visitation",
                                                  Task.done_at.is_(None))):
                t.done_at = self.clock()
            c.last_activity_at = self.clock()
            s.flush()
            self.audit(s, actor, "update", "tta_case", c.id, case_id=c.id, fields=fields,
                       detail="visiteret" if accepted else "ikke visiteret")
        self._write(actor, "case.visitate", work, what="forløbet")
