"""Assessments (udredning): each discipline's assessment of a case, its instruments, signing and addenda.

Who does what (``app.permissions`` for the role, ``app.access`` for the case):
- the discipline that owns an assessment (its ``discipline`` is the author's role) writes it while it
  is a draft; its author signs it; once signed it never changes, and the owning discipline adds a
  dated addendum under it instead;
- everyone who reads the case in full (its team, its coordinator, the team lead, a stated reason)
  reads every assessment and its scores;
- everyone else sees nothing of them, not even that one exists (which discipline assessed the
  person says something of their health): the case list row is all they see.
Every view is logged; so is every change and print.

An instrument whose answers are incomplete is stored without a score and the assessment stays a
draft: it cannot be signed until every item is answered. A complete return-to-work expectation sets
the case's ``rtw_expectation`` (the statistics read it).
"""
from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.assessment_fields import (
    ASSESSMENT_FORMS,
    COLUMN_FIELDS,
    DISCIPLINES,
    FORM_TITLES,
    ICF_ROWS,
    INSTRUMENTS_BY_DISCIPLINE,
    own_field_names,
)
from app.errors import PermissionDenied, ValidationError
from app.instruments import INSTRUMENTS, MDI, RTW_EXPECTATION, WHO5, score, who5_change
from app.labels import ROLE_LABELS
from app.services.admin import read_setting
from app.services.base import Actor, ServiceBase, apply_changes, check_version, get_or_404
from app.validation import clean_text
from db.models import (
    Assessment,
    AssessmentAddendum,
    AssessmentSection,
    Case,
    Citizen,
    InstrumentResult,
    User,
)

WRITE = "assessment.write"
READ = "case.read"
CHARTED = (WHO5, MDI)


@dataclass(frozen=True)
class InstrumentEntry:
    instrument: str
    taken_on: dt.date
    answers: tuple[int | None, ...]
    score: float | None
    band: str
    note: str = ""

    @property
    def complete(self) -> bool:
        return self.score is not None


@dataclass(frozen=True)
class AddendumRow:
    id: int
    author: str
    created_at: dt.datetime
    text: str


@dataclass(frozen=True)
class AssessmentRow:
    """One line of the case's list."""
    id: int
    discipline: str
    assessed_on: dt.date
    signed_at: dt.datetime | None
    author: str
    key_scores: str = ""
    addenda: int = 0


@dataclass(frozen=True)
class AssessmentList:
    rows: list[AssessmentRow]


@dataclass(frozen=True)
class AssessmentDetail:
    id: int
    version: int
    case_id: int
    discipline: str
    author: str
    author_id: int
    assessed_on: dt.date
    signed_at: dt.datetime | None
    values: dict[str, Any]
    instruments: dict[str, InstrumentEntry]
    addenda: tuple[AddendumRow, ...] = field(default=())

    @property
    def signed(self) -> bool:
        return self.signed_at is not None


@dataclass(frozen=True)
class ScorePoint:
    taken_on: dt.date
    instrument: str
    score: float
    band: str


@dataclass(frozen=True)
class LatestScore:
    instrument: str
    taken_on: dt.date
    score: float
    band: str
    note: str
    change: float | None        # since the previous result of the same instrument
    relevant: bool              # WHO-5: a change of 10 points or more


@dataclass(frozen=True)
class SummaryData:
    """What the printed assessment summary shows (``app.printing.assessment_summary``)."""
    case_number: str
    citizen: str
    assessments: list[AssessmentDetail]
    scores: list[ScorePoint]
    letterhead: str


def _entry(r: InstrumentResult) -> InstrumentEntry:
    answers = tuple(json.loads(r.answers_json))
    note = ""
    if r.score is not None:
        try:
            note = score(r.instrument, answers).note
        except ValidationError:
            note = ""
    return InstrumentEntry(r.instrument, r.taken_on, answers, r.score, r.band, note)


def _fmt(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def key_scores(instruments: Mapping[str, InstrumentEntry]) -> str:
    """The scores of a list line: "WHO-5 44 · MDI 27"; an incomplete one says so."""
    names = {WHO5: "WHO-5", MDI: "MDI", RTW_EXPECTATION: "Forventning"}
    parts = []
    for code in (WHO5, MDI, RTW_EXPECTATION):
        e = instruments.get(code)
        if e is not None:
            parts.append(f"{names[code]} {_fmt(e.score)}" if e.complete else f"{names[code]} ufuldstændig")
    return " · ".join(parts)


class AssessmentService(ServiceBase):
    # -- reading -------------------------------------------------------------------------------
    def list_for_case(self, actor: Actor, case_id: int) -> AssessmentList:
        """The case's assessments, newest first (full access to the case)."""
        def work(s):
            self.require_case(s, actor, case_id)
            rows = s.execute(select(Assessment, User.full_name).join(User, User.id == Assessment.author_id)
                             .where(Assessment.case_id == case_id)
                             .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())).all()
            by_assessment = self._results(s, [a.id for a, _ in rows])
            addenda = self._addenda(s, [a.id for a, _ in rows])
            out = [AssessmentRow(a.id, a.discipline, a.assessed_on, a.signed_at, name,
                                 key_scores(by_assessment.get(a.id, {})), len(addenda.get(a.id, ())))
                   for a, name in rows]
            self.audit(s, actor, "read", "assessment", None, case_id=case_id)
            return AssessmentList(out)
        return self._write(actor, READ, work)

    def get(self, actor: Actor, assessment_id: int) -> AssessmentDetail:
        def work(s):
            a = get_or_404(s, Assessment, assessment_id, "Udredning")
            self.require_case(s, actor, a.case_id)
            self.audit(s, actor, "read", "assessment", a.id, case_id=a.case_id)
            return self._detail(s, a)
        return self._write(actor, READ, work)

    def scores_over_time(self, actor: Actor, case_id: int) -> list[ScorePoint]:
        """Every complete WHO-5 and MDI of the case, oldest first (the chart's points)."""
        def work(s):
            self.require_case(s, actor, case_id)
            self.audit(s, actor, "read", "instrument_result", None, case_id=case_id, detail="udvikling over tid")
            return self._points(s, case_id)
        return self._write(actor, READ, work)

    def latest_scores(self, actor: Actor, case_id: int, *, log: bool = True) -> list[LatestScore]:
        """The newest complete result of each instrument, with its change since the one before.
        ``log=False``: shown as part of the case record (its Oversigt), whose opening is the logged
        read (``CaseService.get_case``), so opening a record stays one entry in the access log."""
        def work(s):
            self.require_case(s, actor, case_id)
            rows = s.scalars(select(InstrumentResult).where(InstrumentResult.case_id == case_id,
                                                            InstrumentResult.score.is_not(None))
                             .order_by(InstrumentResult.taken_on, InstrumentResult.id)).all()
            if log:
                self.audit(s, actor, "read", "instrument_result", None, case_id=case_id, detail="seneste resultater")
            out = []
            for code in (WHO5, MDI, RTW_EXPECTATION):
                mine = [r for r in rows if r.instrument == code]
                if not mine:
                    continue
                last = mine[-1]
                prev = mine[-2].score if len(mine) > 1 else None
                change = who5_change(prev, last.score)
                out.append(LatestScore(code, last.taken_on, last.score, last.band, _entry(last).note,
                                       change[0] if change else None, bool(change and change[1] and code == WHO5)))
            return out
        return self._write(actor, READ, work)

    # -- writing -------------------------------------------------------------------------------
    def save_draft(self, actor: Actor, case_id: int, *, values: Mapping[str, Any],
                   instruments: Mapping[str, Sequence[int | None]] | None = None,
                   assessment_id: int | None = None, expected_version: int | None = None,
                   sign: bool = False) -> int:
        """Create (no ``assessment_id``) or change a draft of the actor's discipline. Answers are
        scored here; an instrument with every answer empty is left out, one with some answers is kept
        unscored. ``sign``: sign it in the same transaction (a refused signature saves nothing).
        Returns the assessment's id."""
        discipline = actor.role
        if discipline not in DISCIPLINES:
            raise PermissionDenied(WRITE, actor.role)
        table = ASSESSMENT_FORMS[discipline]
        clean = table.validate(values, today=self.today())
        scored = self._score_all(discipline, instruments or {})

        def work(s):
            if assessment_id is None:
                self.require_case(s, actor, case_id, action=WRITE)
                get_or_404(s, Case, case_id, "Forløb")
                a = Assessment(case_id=case_id, author_id=actor.user_id, discipline=discipline)
                s.add(a)
                changed = self._apply(a, clean, discipline)
                s.flush()
                action = "create"
            else:
                a = self._own_draft(s, actor, assessment_id, expected_version)
                if a.case_id != case_id:
                    raise ValidationError("case_id", "udredningen hører til et andet forløb", label="Forløb")
                changed = self._apply(a, clean, discipline)
                action = "update"
            changed += self._store_sections(s, a, clean["sections"])
            changed += self._store_instruments(s, actor, a, scored)
            s.flush()
            if changed or action == "create":
                self.audit(s, actor, action, "assessment", a.id, case_id=a.case_id, fields=sorted(set(changed)))
            if sign:
                self._sign(s, actor, a)
            return a.id
        return self._write(actor, WRITE, work, what="udredningen")

    def sign(self, actor: Actor, assessment_id: int, *, expected_version: int) -> None:
        """The author signs; from then on the assessment is read-only. Every instrument must be
        complete and the overall assessment written."""
        def work(s):
            self._sign(s, actor, self._own_draft(s, actor, assessment_id, expected_version))
        self._write(actor, WRITE, work, what="udredningen")

    def _sign(self, s: Session, actor: Actor, a: Assessment) -> None:
        if a.author_id != actor.user_id:
            raise PermissionDenied(WRITE, actor.role, "Kun den, der har skrevet udredningen, kan underskrive den.")
        for r in s.scalars(select(InstrumentResult).where(InstrumentResult.assessment_id == a.id)):
            if r.score is None:
                name = INSTRUMENTS[r.instrument].name
                raise ValidationError(r.instrument, "besvar alle spørgsmål før underskrift", label=name)
        if not (a.summary or "").strip():
            raise ValidationError("summary", "skal udfyldes før underskrift", label="Samlet vurdering")
        a.signed_at = self.clock()
        s.flush()
        self.audit(s, actor, "update", "assessment", a.id, case_id=a.case_id, fields=["signed_at"])

    def add_addendum(self, actor: Actor, assessment_id: int, text: str) -> int:
        """A dated addition under a signed assessment, by its owning discipline."""
        text = clean_text(text, field="text", label="Tillæg", max_len=20000, required=True)

        def work(s):
            a = get_or_404(s, Assessment, assessment_id, "Udredning")
            self.require_case(s, actor, a.case_id, action=WRITE)
            self._owning_discipline(actor, a)
            if a.signed_at is None:
                raise ValidationError("text", "en udredning, der ikke er underskrevet, rettes direkte", label="Tillæg")
            add = AssessmentAddendum(assessment_id=a.id, author_id=actor.user_id, text=text, created_at=self.clock())
            s.add(add)
            s.flush()
            self.audit(s, actor, "create", "assessment_addendum", add.id, case_id=a.case_id, fields=["text"])
            return add.id
        return self._write(actor, WRITE, work)

    # -- printing ------------------------------------------------------------------------------
    def summary_data(self, actor: Actor, case_id: int, *, action: str = "print") -> SummaryData:
        """The case's signed and draft assessments with their scores, for the printed summary; logged
        as ``action`` (a print, or a read when the summary is only previewed)."""
        def work(s):
            self.require_case(s, actor, case_id)
            c = get_or_404(s, Case, case_id, "Forløb")
            cit = s.get(Citizen, c.citizen_id)
            items = s.scalars(select(Assessment).where(Assessment.case_id == case_id)
                              .order_by(Assessment.assessed_on, Assessment.id)).all()
            data = SummaryData(c.case_number, f"{cit.first_name} {cit.last_name}",
                               [self._detail(s, a) for a in items], self._points(s, case_id),
                               read_setting(s, "letterhead"))
            self.audit(s, actor, action, "assessment", None, case_id=case_id, detail="udredningsresumé")
            return data
        return self._write(actor, READ, work)

    def summary_pdf(self, actor: Actor, case_id: int) -> bytes:
        """The summary as PDF bytes for the preview: logged as a read; ``log_summary_print`` records the print."""
        from app.printing.assessment_summary import render_assessment_summary
        data = self.summary_data(actor, case_id, action="read")
        return render_assessment_summary(data, None, printed_by=actor.full_name, printed_at=self.clock())

    def log_summary_print(self, actor: Actor, case_id: int, how: str) -> None:
        """Record that the summary left the program (``how``: "printer" or the PDF's file name)."""
        def work(s):
            self.require_case(s, actor, case_id)
            self.audit(s, actor, "print", "assessment", None, case_id=case_id, detail=f"udredningsresumé: {how}")
        self._write(actor, READ, work)

    def print_summary(self, actor: Actor, case_id: int, path: str | os.PathLike | None = None) -> bytes:
        """The assessment summary as a PDF: returned, and written to ``path`` when one is given."""
        from app.printing.assessment_summary import render_assessment_summary  # ReportLab loads on print
        data = self.summary_data(actor, case_id)
        return render_assessment_summary(data, path, printed_by=actor.full_name, printed_at=self.clock())

    # -- helpers -------------------------------------------------------------------------------
    def _owning_discipline(self, actor: Actor, a: Assessment) -> None:
        if actor.role != a.discipline:
            who = ROLE_LABELS.get(a.discipline, a.discipline).lower()
            raise PermissionDenied(WRITE, actor.role, f"Kun {who} kan skrive i denne udredning.")

    def _own_draft(self, s: Session, actor: Actor, assessment_id: int, expected_version: int | None) -> Assessment:
        a = get_or_404(s, Assessment, assessment_id, "Udredning")
        self.require_case(s, actor, a.case_id, action=WRITE)
        self._owning_discipline(actor, a)
        check_version(a, expected_version, "udredningen")
        if a.signed_at is not None:
            raise ValidationError("signed_at", "en underskrevet udredning kan ikke rettes, kun få et tillæg",
                                  label="Udredning")
        return a

    def _apply(self, a: Assessment, clean: Mapping[str, Any], discipline: str) -> list[str]:
        changes = {name: clean[name] for name in COLUMN_FIELDS}
        own = {name: clean.get(name) for name in own_field_names(discipline)}
        before = json.loads(a.details_json or "{}")
        changes["details_json"] = json.dumps(own, ensure_ascii=False, sort_keys=True)
        changed = apply_changes(a, changes)
        if "details_json" in changed:
            changed.remove("details_json")
            changed += [n for n in own if before.get(n) != own[n]]
        return changed

    def _store_sections(self, s: Session, a: Assessment, rows: list[dict[str, Any]]) -> list[str]:
        existing = {x.heading: x for x in s.scalars(select(AssessmentSection)
                                                     .where(AssessmentSection.assessment_id == a.id))}
        wanted = {}
        for row in rows:
            if row["heading"] in wanted:
                raise ValidationError("sections", "hvert ICF-område kan kun stå én gang", label="ICF-områder")
            wanted[row["heading"]] = row
        changed = False
        for heading, x in existing.items():
            if heading not in wanted:
                s.delete(x)
                changed = True
        for heading, row in wanted.items():
            values = {f.name: row.get(f.name, f.blank) for f in ICF_ROWS if f.name != "heading"}
            x = existing.get(heading)
            if x is None:
                s.add(AssessmentSection(assessment_id=a.id, heading=heading, **values))
                changed = True
            elif apply_changes(x, values):
                changed = True
        return ["sections"] if changed else []

    def _score_all(self, discipline: str, instruments: Mapping[str, Sequence[int | None]]):
        out = {}
        for code, answers in instruments.items():
            if code not in INSTRUMENTS_BY_DISCIPLINE[discipline]:
                raise ValidationError(code, "hører ikke til denne udredning", label=INSTRUMENTS[code].name
                                      if code in INSTRUMENTS else code)
            result = score(code, answers)
            out[code] = (list(answers), result)
        return out

    def _store_instruments(self, s: Session, actor: Actor, a: Assessment, scored) -> list[str]:
        existing = {r.instrument: r for r in s.scalars(select(InstrumentResult)
                                                       .where(InstrumentResult.assessment_id == a.id))}
        changed = []
        for code, (answers, result) in scored.items():
            r = existing.get(code)
            if all(v is None for v in answers):
                if r is not None:
                    s.delete(r)
                    changed.append(code)
                continue
            values = {"answers_json": json.dumps(answers), "score": result.value, "band": result.band,
                      "taken_on": a.assessed_on}
            if r is None:
                s.add(InstrumentResult(case_id=a.case_id, assessment_id=a.id, instrument=code,
                                       recorded_by_id=actor.user_id, **values))
                changed.append(code)
            elif apply_changes(r, values):
                changed.append(code)
            if code == RTW_EXPECTATION and result.complete:
                c = s.get(Case, a.case_id)
                if c.rtw_expectation != int(result.value):
                    c.rtw_expectation = int(result.value)
                    self.audit(s, actor, "update", "tta_case", c.id, case_id=c.id, fields=["rtw_expectation"])
        return changed

    @staticmethod
    def _results(s: Session, ids: list[int]) -> dict[int, dict[str, InstrumentEntry]]:
        out: dict[int, dict[str, InstrumentEntry]] = {}
        if ids:
            for r in s.scalars(select(InstrumentResult).where(InstrumentResult.assessment_id.in_(ids))):
                out.setdefault(r.assessment_id, {})[r.instrument] = _entry(r)
        return out

    @staticmethod
    def _addenda(s: Session, ids: list[int]) -> dict[int, list[AddendumRow]]:
        out: dict[int, list[AddendumRow]] = {}
        if ids:
            for x, name in s.execute(select(AssessmentAddendum, User.full_name)
                                     .join(User, User.id == AssessmentAddendum.author_id)
                                     .where(AssessmentAddendum.assessment_id.in_(ids))
                                     .order_by(AssessmentAddendum.created_at, AssessmentAddendum.id)):
                out.setdefault(x.assessment_id, []).append(AddendumRow(x.id, name, x.created_at, x.text))
        return out

    def _detail(self, s: Session, a: Assessment) -> AssessmentDetail:
        author = s.get(User, a.author_id).full_name
        table = ASSESSMENT_FORMS[a.discipline] if a.discipline in ASSESSMENT_FORMS else ASSESSMENT_FORMS["coordinator"]
        values = {name: getattr(a, name) for name in COLUMN_FIELDS}
        values.update({k: v for k, v in json.loads(a.details_json or "{}").items() if k in table})
        sections = s.scalars(select(AssessmentSection).where(AssessmentSection.assessment_id == a.id)
                             .order_by(AssessmentSection.id)).all()
        values["sections"] = [{f.name: getattr(x, f.name) for f in ICF_ROWS} for x in sections]
        return AssessmentDetail(a.id, a.version, a.case_id, a.discipline, author, a.author_id, a.assessed_on,
                                a.signed_at, values, self._results(s, [a.id]).get(a.id, {}),
                                tuple(self._addenda(s, [a.id]).get(a.id, ())))

    @staticmethod
    def _points(s: Session, case_id: int) -> list[ScorePoint]:
        rows = s.scalars(select(InstrumentResult).where(InstrumentResult.case_id == case_id,
                                                        InstrumentResult.instrument.in_(CHARTED),
                                                        InstrumentResult.score.is_not(None))
                         .order_by(InstrumentResult.taken_on, InstrumentResult.id))
        return [ScorePoint(r.taken_on, r.instrument, r.score, r.band) for r in rows]


__all__ = ["AssessmentService", "AssessmentDetail", "AssessmentList", "AssessmentRow", "AddendumRow",
           "InstrumentEntry", "LatestScore", "ScorePoint", "SummaryData", "FORM_TITLES", "key_scores"]
