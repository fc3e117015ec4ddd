"""Letters (Breve): templates with merge fields, a letter written from one for a case, edited, previewed,
printed and kept in the case's letter log with the exact PDF; the Word copy; consent.

A letter to the GP or the employer needs the citizen's consent for that recipient, recorded and not
withdrawn on the day; without it the letter is refused with the reason. The text of a letter to the
employer is checked after merging and after every edit (``app.letter_templates.health_content``):
no ICD code, diagnosis word, score or assessment finding leaves with it, whatever the template or
the coordinator wrote. Every call on a case needs full access to it (``app.access``) and is logged.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from app.dates import sick_week
from app.errors import NotFound, ValidationError, ValidationErrors
from app.labels import INSTRUMENT_LABELS, LETTER_KIND_LABELS, ROLE_LABELS
from app.letter_templates import (
    CONSENT_NEEDED,
    MERGE_FIELDS,
    RECIPIENT_LABELS,
    fields_used,
    health_content,
    merge,
    template_problems,
)
from app.services.admin import read_setting
from app.services.base import Actor, ServiceBase, check_version, get_or_404
from app.validation import clean_text, mask_cpr
from db import codes
from db.models import (
    ActionPlan,
    Assessment,
    AssessmentSection,
    Case,
    CaseAbsenceReason,
    CaseIcd10,
    CatalogItem,
    Citizen,
    Consent,
    GradualReturnWeek,
    InstrumentResult,
    Letter,
    LetterTemplate,
    PlanGoal,
    PlanIntervention,
    RoundTableMeeting,
    User,
    WorkplaceContact,
)

CONSENT_PARTY_LABELS = {"employer": "Arbejdsgiver", "gp": "Egen læge", "other": "Andre"}
NOT_GIVEN = "(ikke oplyst)"
TEMPLATE_LABELS = {"code": "Kort navn", "name": "Navn", "recipient_kind": "Modtager", "subject": "Emne",
                   "body": "Tekst"}


@dataclass(frozen=True)
class TemplateRow:
    id: int
    version: int
    code: str
    name: str
    recipient_kind: str
    letter_kind: str
    subject: str
    body: str
    active: bool


@dataclass(frozen=True)
class ConsentRow:
    id: int
    version: int
    party: str
    party_label: str
    given_to: str
    scope: str
    given_date: dt.date
    withdrawn_date: dt.date | None
    recorded_by: str

    def in_force(self, day: dt.date) -> bool:
        return self.given_date <= day and (self.withdrawn_date is None or self.withdrawn_date > day)


@dataclass(frozen=True)
class LetterRow:
    id: int
    sent_on: dt.date
    kind_label: str
    title: str
    recipient: str
    recipient_label: str
    sender: str
    has_pdf: bool


@dataclass(frozen=True)
class LetterTab:
    letters: list[LetterRow]
    consents: list[ConsentRow]
    templates: list[tuple[str, str, str]]     # (code, name, recipient kind) of the active templates
    today: dt.date


@dataclass(frozen=True)
class LetterDraft:
    """A letter being written: merged from a template, then edited by the coordinator."""
    case_id: int
    template_code: str
    recipient_kind: str
    letter_kind: str
    recipient: str        # the address block, one line each
    subject: str
    body: str
    missing: tuple[str, ...] = ()   # the fields the template uses that the case has no value for (labels)

    def edited(self, **changes: str) -> LetterDraft:
        return replace(self, **changes)


@dataclass(frozen=True)
class LetterDocument:
    """What ``app.printing.letter`` needs."""
    case_number: str
    recipient: str
    subject: str
    body: str
    date: dt.date
    sender: str
    letterhead: dict[str, Any]
    printed_at: dt.datetime


def _day(d: dt.date | None) -> str:
    return d.strftime("%d-%m-%Y") if d else NOT_GIVEN


def _hours(h: float | None) -> str:
    return f"{h:g}".replace(".", ",") if h is not None else NOT_GIVEN


def _lines(items: list[str]) -> str:
    return "\n".join(f"- {i}" for i in items if i) or NOT_GIVEN


class LetterService(ServiceBase):
    # -- templates -----------------------------------------------------------------------------
    def templates(self, actor: Actor) -> list[TemplateRow]:
        def work(s):
            return [_template_row(t) for t in s.scalars(select(LetterTemplate).order_by(LetterTemplate.name))]
        return self._read(actor, "letter.templates", work)

    def preview_template(self, actor: Actor, subject: str, body: str, recipient_kind: str) -> tuple[list[str], str]:
        """The problems of a template being edited, and its text with example values (nothing is read)."""
        problems = [str(p) for p in template_problems(subject, body, recipient_kind)]
        values = dict(EXAMPLE_VALUES)
        return problems, merge(subject, values) + "\n\n" + merge(body, values)

    def save_template(self, actor: Actor, template_id: int | None, values: Mapping[str, Any], *,
                      expected_version: int | None = None) -> int:
        """Create or change a template; a misspelt or unknown field, a lone brace or a health field in a
        letter to the employer is reported (with the line) and nothing is saved."""
        clean = {k: str(values.get(k) or "").strip() for k in ("code", "name", "recipient_kind", "letter_kind",
                                                               "subject", "body")}
        errors = [ValidationError(k, "skal udfyldes", label=TEMPLATE_LABELS[k])
                  for k in ("code", "name", "subject", "body") if not clean[k]]
        if clean["recipient_kind"] not in codes.LETTER_RECIPIENTS:
            errors.append(ValidationError("recipient_kind", "vælg en modtager", label="Modtager"))
        clean["letter_kind"] = clean["letter_kind"] or "other"
        if clean["letter_kind"] not in codes.LETTER_KINDS:
            errors.append(ValidationError("letter_kind", "ukendt brevtype", label="Brevtype"))
        for p in template_problems(clean["subject"], clean["body"], clean["recipient_kind"]):
            errors.append(ValidationError("subject" if p.where == "Emne" else "body", p.message, label=p.where))
        if errors:
            raise ValidationErrors(errors)
        active = bool(values.get("active", True))

        def work(s):
            return self.save_record(s, actor, LetterTemplate, template_id, {**clean, "active": active},
                                    expected_version=expected_version, entity="letter_template",
                                    not_found="Brevskabelon", what="brevskabelonen")
        return self._write(actor, "letter.templates", work, what="brevskabelonen")

    # -- the Breve tab -------------------------------------------------------------------------
    def letter_tab(self, actor: Actor, case_id: int) -> LetterTab:
        def work(s):
            self.require_case(s, actor, case_id)
            get_or_404(s, Case, case_id, "Forløb")
            names = dict(s.execute(select(User.id, User.full_name)).all())
            letters = [LetterRow(x.id, x.sent_on, LETTER_KIND_LABELS.get(x.kind, x.kind), x.title, x.recipient,
                                 RECIPIENT_LABELS.get(x.recipient_kind, ""), names.get(x.created_by_id, ""),
                                 has_pdf)
                       for x, has_pdf in s.execute(select(Letter, Letter.pdf.is_not(None))
                                                   .where(Letter.case_id == case_id)
                                                   .order_by(Letter.sent_on.desc(), Letter.id.desc()))]
            templates = [(t.code, t.name, t.recipient_kind) for t in s.scalars(
                select(LetterTemplate).where(LetterTemplate.active.is_(True)).order_by(LetterTemplate.name))]
            self.audit(s, actor, "read", "letter", None, case_id=case_id, detail="brevlog og samtykker")
            return LetterTab(letters, _consents(s, case_id, names), templates, self.today())
        return self._write(actor, "case.read", work)

    def draft(self, actor: Actor, case_id: int, template_code: str) -> LetterDraft:
        """A new letter from a template, merged with the case; refused without the consent it needs."""
        def work(s):
            self.require_case(s, actor, case_id, action="letter.print")
            c = get_or_404(s, Case, case_id, "Forløb")
            t = s.scalar(select(LetterTemplate).where(LetterTemplate.code == template_code))
            if t is None:
                raise NotFound("Brevskabelon", template_code)
            problems = template_problems(t.subject, t.body, t.recipient_kind)
            if problems:   # edited outside the app: never print template code
                raise ValidationErrors([ValidationError("template", str(p), label=t.name) for p in problems])
            self._require_consent(s, c, t.recipient_kind)
            values = self._values(s, c, actor)
            missing = tuple(MERGE_FIELDS[f].split(" – ")[0] for f in fields_used(t.subject, t.body)
                            if values[f] == NOT_GIVEN)
            draft = LetterDraft(case_id, t.code, t.recipient_kind, t.letter_kind,
                                self._recipient(s, c, t.recipient_kind), merge(t.subject, values),
                                merge(t.body, values), missing)
            self.audit(s, actor, "read", "letter_template", t.id, case_id=case_id, detail=f"nyt brev: {t.code}")
            return draft
        return self._write(actor, "letter.print", work)

    def letter_pdf(self, actor: Actor, draft: LetterDraft) -> bytes:
        """The letter as PDF for the preview; refused as ``send`` would refuse it. Not logged as sent."""
        from app.printing.letter import render_letter
        return render_letter(self._document(actor, draft, "forhåndsvisning"))

    def letter_docx(self, actor: Actor, draft: LetterDraft) -> bytes:
        """A Word copy of the letter (checked like the PDF); the export is logged."""
        from app.printing.letter import render_docx
        return render_docx(self._document(actor, draft, "Word-kopi"))

    def send(self, actor: Actor, draft: LetterDraft, *, pdf: bytes, how: str) -> int:
        """Keep the letter that left the program (printer, PDF file) in the case's letter log: the exact
        PDF, the recipient, the sender and the date. Returns the letter's id."""
        if not pdf.startswith(b"%PDF"):
            raise ValidationError("pdf", "er ikke en PDF", label="Brev")
        # The text as it is kept in the letter log: no control characters (PostgreSQL refuses NUL).
        draft = draft.edited(body=clean_text(draft.body, field="body", label="Tekst"))

        def work(s):
            c = self._check(s, actor, draft)
            x = Letter(case_id=c.id, kind=draft.letter_kind, recipient=" ".join(draft.recipient.split())[:200],
                       sent_on=self.today(), created_by_id=actor.user_id, title=draft.subject[:200], body=draft.body,
                       template_code=draft.template_code, recipient_kind=draft.recipient_kind, pdf=pdf)
            s.add(x)
            c.last_activity_at = self.clock()
            s.flush()
            self.audit(s, actor, "print", "letter", x.id, case_id=c.id,
                       detail=f"{draft.template_code} til {RECIPIENT_LABELS[draft.recipient_kind].lower()}: {how}")
            return x.id
        return self._write(actor, "letter.print", work)

    def stored_pdf(self, actor: Actor, letter_id: int) -> bytes:
        """The exact PDF of a letter in the log (NotFound for a letter logged without one)."""
        def work(s):
            x = s.scalar(select(Letter).options(undefer(Letter.pdf)).where(Letter.id == letter_id))
            if x is None or x.case_id is None:
                raise NotFound("Brev", letter_id)
            self.require_case(s, actor, x.case_id)
            if x.pdf is None:
                raise NotFound("Brevets PDF (brevet er registreret uden en kopi)", letter_id)
            self.audit(s, actor, "read", "letter", x.id, case_id=x.case_id, detail="PDF fra brevloggen")
            return x.pdf
        return self._write(actor, "case.read", work)

    def log_copy(self, actor: Actor, letter_id: int, how: str) -> None:
        """A copy of a logged letter left the program again (printer or file)."""
        def work(s):
            x = get_or_404(s, Letter, letter_id, "Brev")
            self.require_case(s, actor, x.case_id, action="letter.print")
            self.audit(s, actor, "print", "letter", x.id, case_id=x.case_id, detail=f"kopi fra brevloggen: {how}")
        self._write(actor, "letter.print", work)

    # -- consent -------------------------------------------------------------------------------
    def record_consent(self, actor: Actor, case_id: int, *, party: str, given_date: dt.date, given_to: str,
                       scope: str) -> int:
        """The citizen's consent to share with ``party`` (employer, gp, other): when, to whom, about what."""
        given_to = clean_text(given_to, field="given_to", label="Givet til", max_len=200)
        scope = clean_text(scope, field="scope", label="Omfang")
        errors = []
        if party not in codes.CONSENT_PARTIES:
            errors.append(ValidationError("party", "vælg hvem samtykket gælder", label="Modtager"))
        if not given_to:
            errors.append(ValidationError("given_to", "skal udfyldes (fx lederens eller lægens navn)",
                                          label="Givet til"))
        if not scope:
            errors.append(ValidationError("scope", "skal udfyldes: hvad må deles", label="Omfang"))
        if given_date > self.today():
            errors.append(ValidationError("given_date", "må ikke ligge i fremtiden", label="Dato"))
        if errors:
            raise ValidationErrors(errors)

        def work(s):
            self.require_case(s, actor, case_id, action="consent.write")
            get_or_404(s, Case, case_id, "Forløb")
            x = Consent(case_id=case_id, party=party, given_date=given_date, given_to=given_to, scope=scope,
                        recorded_by_id=actor.user_id)
            s.add(x)
            s.flush()
            self.audit(s, actor, "create", "consent", x.id, case_id=case_id, fields=["party", "given_to", "scope"],
                       detail=CONSENT_PARTY_LABELS[party])
            return x.id
        return self._write(actor, "consent.write", work)

    def withdraw_consent(self, actor: Actor, consent_id: int, *, expected_version: int,
                         withdrawn_date: dt.date | None = None) -> None:
        withdrawn_date = withdrawn_date or self.today()

        def work(s):
            x = get_or_404(s, Consent, consent_id, "Samtykke")
            self.require_case(s, actor, x.case_id, action="consent.write")
            check_version(x, expected_version, "samtykket")
            if x.withdrawn_date is not None:
                raise ValidationError("withdrawn_date", "samtykket er allerede tilbagekaldt", label="Samtykke")
            if withdrawn_date < x.given_date:
                raise ValidationError("withdrawn_date", "må ikke ligge før samtykket blev givet", label="Dato")
            x.withdrawn_date = withdrawn_date
            s.flush()
            self.audit(s, actor, "update", "consent", x.id, case_id=x.case_id, fields=["withdrawn_date"])
        self._write(actor, "consent.write", work, what="samtykket")

    # -- inside ------------------------------------------------------------------------------
    def _require_consent(self, s: Session, c: Case, recipient_kind: str) -> None:
        party = CONSENT_NEEDED.get(recipient_kind)
        if party is None:
            return
        today = self.today()
        for x in s.scalars(select(Consent).where(Consent.case_id == c.id, Consent.party == party)):
            if x.given_date <= today and (x.withdrawn_date is None or x.withdrawn_date > today):
                return
        who = "arbejdsgiveren" if party == "employer" else "egen læge"
        raise ValidationError("consent", f"borgeren har ikke givet samtykke til, at der skrives til {who}. "
                                         "Registrér samtykket under Samtykke først", label="Samtykke mangler")

    def _check(self, s: Session, actor: Actor, draft: LetterDraft) -> Case:
        """Everything ``send``, the preview and the Word copy refuse: no access, no consent, template
        code left in the text, health content in a letter to the employer."""
        self.require_case(s, actor, draft.case_id, action="letter.print")
        c = get_or_404(s, Case, draft.case_id, "Forløb")
        if draft.recipient_kind not in codes.LETTER_RECIPIENTS or draft.letter_kind not in codes.LETTER_KINDS:
            raise ValidationError("recipient_kind", "ukendt modtager eller brevtype", label="Brev")
        self._require_consent(s, c, draft.recipient_kind)
        errors = [ValidationError("body", f"{p.message}", label=p.where)
                  for p in template_problems(draft.subject, draft.body, "")]
        if not draft.body.strip():
            errors.append(ValidationError("body", "brevet har ingen tekst", label="Tekst"))
        if draft.recipient_kind == "employer":
            found = health_content("\n".join((draft.recipient, draft.subject, draft.body)), _findings(s, c.id))
            if found:
                errors.append(ValidationError("body", "et brev til arbejdsgiveren må ikke indeholde diagnoser, "
                                              "ICD-koder, testresultater eller udredningens fund. Fjern: "
                                              + ", ".join(found), label="Tekst"))
        if errors:
            raise ValidationErrors(errors)
        return c

    def _document(self, actor: Actor, draft: LetterDraft, what: str) -> LetterDocument:
        def work(s):
            c = self._check(s, actor, draft)
            self.audit(s, actor, "read" if what == "forhåndsvisning" else "export", "letter", None, case_id=c.id,
                       detail=f"{draft.template_code}: {what}")
            return LetterDocument(c.case_number, draft.recipient, draft.subject, draft.body, self.today(),
                                  actor.full_name, read_setting(s, "letterhead"), self.clock())
        return self._write(actor, "letter.print", work)

    def _recipient(self, s: Session, c: Case, kind: str) -> str:
        cit = s.get(Citizen, c.citizen_id)
        if kind == "jobcentre":
            lines = [c.caseworker_name, c.referring_jobcentre]
        elif kind == "gp":
            lines = [c.gp_name, c.gp_clinic]
        elif kind == "employer":
            lines = [_manager(s, c.id), c.employer_name, c.employer_address]
        else:
            lines = [f"{cit.first_name} {cit.last_name}", cit.address, f"{cit.postcode} {cit.city}".strip()]
        return "\n".join(x for x in lines if x and x.strip())

    def _values(self, s: Session, c: Case, actor: Actor) -> dict[str, str]:
        """Every merge field's value for the case (``MERGE_FIELDS``)."""
        cit = s.get(Citizen, c.citizen_id)
        coordinator = s.get(User, c.coordinator_id) if c.coordinator_id else None
        head = read_setting(s, "letterhead") or {}
        plan = s.scalar(select(ActionPlan).where(ActionPlan.case_id == c.id, ActionPlan.status != "superseded")
                        .order_by(ActionPlan.version_no.desc()).limit(1))
        goals, interventions, weeks = [], [], []
        if plan is not None:
            goals = [g.text for g in s.scalars(select(PlanGoal).where(PlanGoal.plan_id == plan.id)
                                               .order_by(PlanGoal.sort_order, PlanGoal.id))]
            interventions = [f"{label}" + (f" ({who})" if who else "") for label, who in s.execute(
                select(CatalogItem.label, User.full_name).join(PlanIntervention,
                                                               PlanIntervention.intervention_id == CatalogItem.id)
                .outerjoin(User, User.id == PlanIntervention.responsible_id).where(PlanIntervention.plan_id == plan.id)
                .order_by(PlanIntervention.sort_order, PlanIntervention.id))]
            weeks = [f"Uge {w.week_no}" + (f" (fra {w.starts_on:%d-%m-%Y})" if w.starts_on else "")
                     + f": {_hours(w.hours_per_week)} timer" + (f" – {w.tasks}" if w.tasks else "")
                     for w in s.scalars(select(GradualReturnWeek).where(GradualReturnWeek.plan_id == plan.id)
                                        .order_by(GradualReturnWeek.week_no))]
        meeting = s.scalar(select(RoundTableMeeting).where(RoundTableMeeting.case_id == c.id,
                                                           RoundTableMeeting.status == "planned")
                           .order_by(RoundTableMeeting.meeting_date).limit(1))

        def label(item_id: int | None) -> str:
            return s.get(CatalogItem, item_id).label if item_id else NOT_GIVEN

        icd = list(s.scalars(select(CaseIcd10.code).where(CaseIcd10.case_id == c.id).order_by(CaseIcd10.code)))
        reasons = list(s.scalars(select(CatalogItem.label).join(CaseAbsenceReason,
                                                                CaseAbsenceReason.reason_id == CatalogItem.id)
                                 .where(CaseAbsenceReason.case_id == c.id)))
        scores = [f"{INSTRUMENT_LABELS.get(r.instrument, r.instrument)}: {r.score:g} ({r.taken_on:%d-%m-%Y})"
                  .replace(".", ",", 1) + (f", {r.band}" if r.band else "")
                  for r in s.scalars(select(InstrumentResult).where(InstrumentResult.case_id == c.id,
                                                                    InstrumentResult.score.is_not(None))
                                     .order_by(InstrumentResult.taken_on))]
        assessments = [f"{ROLE_LABELS.get(a.discipline, a.discipline)} ({a.assessed_on:%d-%m-%Y}): {a.summary}"
                       for a in s.scalars(select(Assessment).where(Assessment.case_id == c.id)
                                          .order_by(Assessment.assessed_on)) if a.summary]
        today = self.today()
        week = sick_week(c.sick_leave_start, today, closed=c.closed_date)
        values = {
            "dato": _day(today),
            "borger_navn": f"{cit.first_name} {cit.last_name}",
            "borger_adresse": ", ".join(x for x in (cit.address, f"{cit.postcode} {cit.city}".strip()) if x)
            or NOT_GIVEN,
            "borger_cpr": mask_cpr(cit.cpr),
            "forloeb_nr": c.case_number,
            "koordinator": coordinator.full_name if coordinator else NOT_GIVEN,
            "koordinator_email": (coordinator.email if coordinator else "") or NOT_GIVEN,
            "afsender": actor.full_name,
            "team": head.get("organisation") or "TTA-teamet",
            "jobcenter": c.referring_jobcentre or NOT_GIVEN,
            "sagsbehandler": c.caseworker_name or "sagsbehandler",
            "arbejdsgiver": c.employer_name or NOT_GIVEN,
            "stilling": c.job_title or NOT_GIVEN,
            "leder": _manager(s, c.id) or "leder",
            "laege": c.gp_name or "læge",
            "laege_klinik": c.gp_clinic or NOT_GIVEN,
            "sygemeldt_siden": _day(c.sick_leave_start),
            "sygeuge": str(week) if week is not None else NOT_GIVEN,
            "visiteret_dato": _day(c.visitation_date),
            "formaal": (plan.purpose if plan else "") or NOT_GIVEN,
            "forventet_tilbagevenden": _day(plan.expected_return_date if plan else None),
            "maal": _lines(goals),
            "indsatser": _lines(interventions),
            "aftaler": (plan.work_adaptations if plan else "") or NOT_GIVEN,
            "timeplan": _lines(weeks),
            "borgerens_syn": (plan.citizen_view if plan else "") or NOT_GIVEN,
            "status_ved_afslutning": label(c.outcome_id) if c.closed_date else "forløbet er ikke afsluttet",
            "timer_ved_afslutning": _hours(c.final_hours_per_week),
            "afslutningsdato": _day(c.closed_date),
            "anbefalet_indsats": label(c.next_effort_id),
            "afslutningsnotat": c.closing_note or NOT_GIVEN,
            "moede_dato": _day(meeting.meeting_date if meeting else None),
            "moede_tid": meeting.start_time.strftime("%H.%M") if meeting and meeting.start_time else NOT_GIVEN,
            "moede_sted": (meeting.location if meeting else "") or NOT_GIVEN,
            "diagnoser": ", ".join(icd) or NOT_GIVEN,
            "fravaersaarsager": ", ".join(reasons) or NOT_GIVEN,
            "testresultater": _lines(scores),
            "udredning": _lines(assessments),
        }
        assert set(values) == set(MERGE_FIELDS)
        return values


def _manager(s: Session, case_id: int) -> str:
    return s.scalar(select(WorkplaceContact.name).where(WorkplaceContact.case_id == case_id,
                                                        WorkplaceContact.kind == "manager").limit(1)) or ""


def _findings(s: Session, case_id: int) -> list[str]:
    """The case's assessment texts: none of it may be quoted to the employer."""
    out = []
    for a in s.scalars(select(Assessment).where(Assessment.case_id == case_id)):
        out += [a.summary, a.presenting_problems, a.barriers_personal, a.barriers_other, a.functional_level,
                a.treatment_status, a.recommendation]
        for sec in s.scalars(select(AssessmentSection).where(AssessmentSection.assessment_id == a.id)):
            out += [sec.resources, sec.barriers]
    return [x for x in out if x]


def _consents(s: Session, case_id: int, names: Mapping[int, str]) -> list[ConsentRow]:
    return [ConsentRow(x.id, x.version, x.party, CONSENT_PARTY_LABELS.get(x.party, x.party), x.given_to, x.scope,
                       x.given_date, x.withdrawn_date, names.get(x.recorded_by_id, "") if x.recorded_by_id else "")
            for x in s.scalars(select(Consent).where(Consent.case_id == case_id)
                               .order_by(Consent.given_date.desc(), Consent.id.desc()))]


def _template_row(t: LetterTemplate) -> TemplateRow:
    return TemplateRow(t.id, t.version, t.code, t.name, t.recipient_kind, t.letter_kind, t.subject, t.body, t.active)


# What the template editor's preview shows for each field (no case is read).
EXAMPLE_VALUES = {
    "dato": "23-11-2026", "borger_navn": "Mette Hansen", "borger_adresse": "Nørregade 4, 2200 København N",
    "borger_cpr": "010180-xxxx", "forloeb_nr": "TTA-2026-00107", "koordinator": "Anne Koordinator",
    "koordinator_email": "anne@tta.example", "afsender": "Anne Koordinator", "team": "TTA-teamet",
    "jobcenter": "Jobcenter København", "sagsbehandler": "Lars Sagsbehandler", "arbejdsgiver": "Firma A/S",
    "stilling": "Bogholder", "leder": "Per Leder", "laege": "Læge Jensen", "laege_klinik": "Lægehuset",
    "sygemeldt_siden": "01-09-2026", "sygeuge": "12", "visiteret_dato": "20-10-2026",
    "formaal": "At vende tilbage til eget job på fuld tid.", "forventet_tilbagevenden": "15-01-2027",
    "maal": "- Fuld tid ved forløbets slutning", "indsatser": "- Rundbordssamtale (Anne Koordinator)",
    "aftaler": "Færre møder, eget kontor de første uger.", "timeplan": "- Uge 1: 10 timer\n- Uge 2: 15 timer",
    "borgerens_syn": "Vil gerne tilbage, men i roligt tempo.", "status_ved_afslutning": "Raskmeldt fuld tid",
    "timer_ved_afslutning": "37", "afslutningsdato": "15-01-2027", "anbefalet_indsats": "Opfølgning på arbejdspladsen",
    "afslutningsnotat": "Forløbet er gennemført som planlagt.", "moede_dato": "02-12-2026", "moede_tid": "10.00",
    "moede_sted": "Firma A/S, mødelokale 2", "diagnoser": "F43.2", "fravaersaarsager": "Stress",
    "testresultater": "- WHO-5 trivselsindeks: 44", "udredning": "- Psykolog: sammenfatning",
}
