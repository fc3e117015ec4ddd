"""Statistics and evaluation as the KIA report (seed 000): Table 2 (status at closing per quarter),
Table 1 (characteristics at intake), what works for whom, and the fidelity to the TTA model.

Everything is counted here and returned as plain data objects holding aggregates only: no name, no
CPR number (the fidelity view names a case by its case number). A page, a printout, the CSV, Excel
and JSON forms only format them. Each report read is one audit entry.
"""
from __future__ import annotations

import datetime as dt
import os
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from app import access
from app.case_fields import CASE_FIELDS
from app.dates import add_months, quarter_label
from app.errors import ValidationError
from app.reference import ABSENCE_REASONS, SUBGROUPS
from app.reports.codes import OTHER, OTHER_REASONS, REASON_BY_CATALOGUE, RETURN_STATUSES, STATUSES, status_code
from app.services.admin import read_setting
from app.services.base import Actor, ServiceBase
from db.models import (
    ActionPlan,
    AfterFollowUp,
    Assessment,
    Case,
    CaseAbsenceReason,
    CatalogItem,
    Citizen,
    InstrumentResult,
    RoundTableMeeting,
)

REPORT_FORMATS = ("pdf", "csv", "xlsx", "json")


def percent(part: int, whole: int) -> int:
    """Whole percent, halves rounded up (as a reader expects: 0.5 % -> 1 %)."""
    return (200 * part + whole) // (2 * whole) if whole else 0


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date   # inclusive

    @property
    def label(self) -> str:
        return f"{self.start:%d-%m-%Y} – {self.end:%d-%m-%Y}"


def quarters_between(start: dt.date, end: dt.date) -> list[str]:
    """The calendar quarters a period touches, oldest first ("2008 K1", "2008 K2", ...)."""
    out, y, q = [], start.year, (start.month - 1) // 3
    while (y, q) <= (end.year, (end.month - 1) // 3):
        out.append(f"{y} K{q + 1}")
        y, q = (y + 1, 0) if q == 3 else (y, q + 1)
    return out


# -- Table 2 -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class OutcomeCell:
    count: int
    percent: int   # of the closed cases in the same column, rounded half up to a whole number


@dataclass(frozen=True)
class OutcomeRow:
    code: str                     # the report's status code (app.reports.codes.STATUSES)
    label: str
    counts_as_return: bool
    quarters: list[OutcomeCell]   # one per ``OutcomeTable.quarters``, in that order
    total: OutcomeCell            # over the whole period


@dataclass(frozen=True)
class OtherReasonRow:
    code: str                     # app.reports.codes.OTHER_REASONS
    label: str
    comment: str                  # "Visiteret" / "Ikke visiteret"
    quarters: list[int]
    total: int


@dataclass(frozen=True)
class OutcomeTable:
    period: Period
    quarters: list[str]           # every calendar quarter of the period, "2026 K1", oldest first
    closed_per_quarter: list[int]
    closed: int                   # closed with an outcome in the period
    rows: list[OutcomeRow]        # the seven statuses in the seed's order, also when no case has one
    other_reasons: list[OtherReasonRow]  # the six reasons of "Andet", also when 0
    returned: int                 # full time + part time + a-kasse
    return_rate: int | None       # returned / closed in whole percent; None when nothing is closed


# -- Table 1 -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class CountLine:
    label: str
    count: int
    percent: int                  # of the group's base


@dataclass(frozen=True)
class CharacteristicGroup:
    title: str
    lines: list[CountLine]
    base: int                     # the cases the percents are of


@dataclass(frozen=True)
class IntakeTable:
    period: Period
    referred: int                 # cases referred in the period
    mean_age: float | None        # at referral
    min_age: int | None
    max_age: int | None
    groups: list[CharacteristicGroup]


# -- What works for whom ------------------------------------------------------------------------
@dataclass(frozen=True)
class FollowUpCell:
    recorded: int                 # after-follow-ups recorded at this point
    returned: int                 # of them in work (full time, part time, a-kasse)
    percent: int


@dataclass(frozen=True)
class SubgroupRow:
    label: str
    closed: int
    returned_at_closing: int
    returned_percent: int
    follow_ups: dict[int, FollowUpCell]   # 3, 6, 12 months
    who5_cases: int               # cases with at least two WHO-5 measurements
    who5_first: float | None      # mean of the first measurement
    who5_last: float | None       # mean of the last
    who5_change: float | None     # mean change, last - first
    mean_weeks: float | None      # course length, referral to closing


@dataclass(frozen=True)
class WhatWorks:
    period: Period
    rows: list[SubgroupRow]       # subgroups 1-8 and "Ingen undergruppe", within the criteria
    outside_criteria: SubgroupRow  # the cases taken in outside the criteria, shown separately


# -- Fidelity ----------------------------------------------------------------------------------
FIDELITY_COMPONENTS = (
    ("coordinator", "Koordinator"),
    ("assessment", "Tværfaglig udredning"),
    ("plan", "Handlingsplan"),
    ("workplace", "Arbejdspladskontakt/rundbordssamtale"),
    ("follow_up", "Opfølgning"),
)


@dataclass(frozen=True)
class FidelityCase:
    case_number: str
    components: dict[str, bool]

    @property
    def score(self) -> int:
        return sum(self.components.values())


@dataclass(frozen=True)
class Fidelity:
    period: Period
    cases: list[FidelityCase]     # the cases closed in the period
    totals: list[CountLine]       # per component: cases that had it
    distribution: list[CountLine]  # cases with 0..5 components
    not_listed: int = 0           # cases counted in the totals but not in ``cases`` (not read in full)


@dataclass(frozen=True)
class VisitationSummary:
    accepted: int
    rejected: int
    pending: int
    outside_criteria: int         # accepted outside the criteria (shown separately)


@dataclass(frozen=True)
class StatisticsReport:
    period: Period
    outcomes: OutcomeTable
    intake: IntakeTable
    what_works: WhatWorks
    fidelity: Fidelity
    visitation: VisitationSummary


# -- the counting, inside one read transaction --------------------------------------------------
def _catalogue(s: Session, kind: str) -> dict[int, str]:
    return dict(s.execute(select(CatalogItem.id, CatalogItem.code).where(CatalogItem.kind == kind)).all())


def outcome_table(s: Session, period: Period) -> OutcomeTable:
    outcomes, reasons = _catalogue(s, "outcome"), _catalogue(s, "other_reason")
    rows = s.execute(select(Case.closed_date, Case.outcome_id, Case.other_reason_id).where(
        Case.phase == "closed", Case.outcome_id.is_not(None),
        Case.closed_date >= period.start, Case.closed_date <= period.end)).all()
    quarters = quarters_between(period.start, period.end)
    status_n: Counter[tuple[str, str]] = Counter()
    reason_n: Counter[tuple[str, str]] = Counter()
    per_quarter: Counter[str] = Counter()
    for closed_date, outcome_id, reason_id in rows:
        q, code = quarter_label(closed_date), status_code(outcomes.get(outcome_id, ""))
        status_n[code, q] += 1
        per_quarter[q] += 1
        if code == OTHER and reason_id in reasons and reasons[reason_id] in REASON_BY_CATALOGUE:
            reason_n[REASON_BY_CATALOGUE[reasons[reason_id]], q] += 1
    total = len(rows)
    table_rows = []
    for code, (_cat, label) in STATUSES.items():
        cells = [OutcomeCell(status_n[code, q], percent(status_n[code, q], per_quarter[q])) for q in quarters]
        n = sum(c.count for c in cells)
        table_rows.append(OutcomeRow(code, label, code in RETURN_STATUSES, cells, OutcomeCell(n, percent(n, total))))
    reason_rows = [OtherReasonRow(code, label, comment, [reason_n[code, q] for q in quarters],
                                  sum(reason_n[code, q] for q in quarters))
                   for code, (_cat, label, comment) in OTHER_REASONS.items()]
    returned = sum(r.total.count for r in table_rows if r.counts_as_return)
    return OutcomeTable(period, quarters, [per_quarter[q] for q in quarters], total, table_rows, reason_rows,
                        returned, percent(returned, total) if total else None)


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _yes_no(title: str, values: list[bool | None]) -> CharacteristicGroup:
    base = len(values)
    lines = [CountLine(label, n, percent(n, base)) for label, n in (
        ("Ja", sum(v is True for v in values)), ("Nej", sum(v is False for v in values)),
        ("Ikke oplyst", sum(v is None for v in values)))]
    return CharacteristicGroup(title, [line for line in lines if line.label != "Ikke oplyst" or line.count], base)


def _choice(title: str, field: str, values: list[str]) -> CharacteristicGroup:
    counts, base = Counter(values), len(values)
    return CharacteristicGroup(title, [CountLine(label, counts[code], percent(counts[code], base))
                                       for code, label in CASE_FIELDS[field].choices.items()], base)


def intake_table(s: Session, period: Period) -> IntakeTable:
    rows = s.execute(select(
        Case.id, Case.referral_date, Citizen.birth_date, Citizen.sex, Case.socio_economic_level,
        Case.absent_before_same_cause, Case.expects_return_same_workplace, Case.employment_status,
        Case.referred_to_psych).join(Citizen, Citizen.id == Case.citizen_id).where(
        Case.referral_date >= period.start, Case.referral_date <= period.end)).all()
    n = len(rows)
    ages = [_age(r.birth_date, r.referral_date) for r in rows]
    sexes = Counter(r.sex for r in rows)
    groups = [CharacteristicGroup("Køn", [CountLine("Kvinder", sexes["female"], percent(sexes["female"], n)),
                                          CountLine("Mænd", sexes["male"], percent(sexes["male"], n))]
                                  + ([CountLine("Andet", sexes["other"], percent(sexes["other"], n))]
                                     if sexes["other"] else []), n),
              _choice("Socioøkonomisk status", "socio_economic_level", [r.socio_economic_level for r in rows]),
              _yes_no("Tidligere fraværende af samme årsag", [r.absent_before_same_cause for r in rows]),
              _yes_no("Forventning om at vende tilbage til nuværende arbejdsplads",
                      [r.expects_return_same_workplace for r in rows]),
              _choice("Ansættelsesforhold", "employment_status", [r.employment_status for r in rows]),
              _yes_no("Henvist til psykiater og/eller psykolog", [r.referred_to_psych for r in rows])]
    ids = {r.id for r in rows}
    reason_codes = _catalogue(s, "absence_reason")
    per_case: defaultdict[int, set[str]] = defaultdict(set)
    if ids:
        for case_id, reason_id in s.execute(select(CaseAbsenceReason.case_id, CaseAbsenceReason.reason_id).join(
                Case, Case.id == CaseAbsenceReason.case_id).where(
                Case.referral_date >= period.start, Case.referral_date <= period.end)):
            per_case[case_id].add(reason_codes.get(reason_id, ""))
    reason_lines = [CountLine(label, c, percent(c, n)) for code, label in ABSENCE_REASONS
                    for c in [sum(code in v for v in per_case.values())]]
    several = sum(len(v) > 1 for v in per_case.values())
    reason_lines.append(CountLine("Mere end én årsag", several, percent(several, n)))
    groups.append(CharacteristicGroup("Fraværsårsag", reason_lines, n))
    return IntakeTable(period, n, round(sum(ages) / n, 1) if n else None, min(ages, default=None),
                       max(ages, default=None), groups)


def _mean(values: list[float], digits: int = 1) -> float | None:
    return round(sum(values) / len(values), digits) if values else None


def what_works(s: Session, period: Period) -> WhatWorks:
    outcomes = _catalogue(s, "outcome")
    returning = {cat for code, (cat, _l) in STATUSES.items() if code in RETURN_STATUSES}
    cases = s.execute(select(Case.id, Case.subgroup, Case.outside_criteria, Case.referral_date, Case.closed_date,
                             Case.outcome_id).where(
        Case.phase == "closed", Case.outcome_id.is_not(None),
        Case.closed_date >= period.start, Case.closed_date <= period.end)).all()
    closed_ids = select(Case.id).where(Case.phase == "closed", Case.outcome_id.is_not(None),
                                       Case.closed_date >= period.start, Case.closed_date <= period.end)
    follow: dict[tuple[int, int], int] = {
        (case_id, months): outcome_id for case_id, months, outcome_id in s.execute(
            select(AfterFollowUp.case_id, AfterFollowUp.months, AfterFollowUp.outcome_id).where(
                AfterFollowUp.recorded_date.is_not(None), AfterFollowUp.outcome_id.is_not(None),
                AfterFollowUp.case_id.in_(closed_ids)))}
    who5: defaultdict[int, list[float]] = defaultdict(list)
    for case_id, score in s.execute(select(InstrumentResult.case_id, InstrumentResult.score).where(
            func.upper(InstrumentResult.instrument) == "WHO5", InstrumentResult.case_id.in_(closed_ids))
            .order_by(InstrumentResult.case_id, InstrumentResult.taken_on, InstrumentResult.id)):
        who5[case_id].append(score)

    def row(label: str, group: list) -> SubgroupRow:
        returned = sum(outcomes.get(c.outcome_id) in returning for c in group)
        cells = {}
        for months in (3, 6, 12):
            seen = [follow[c.id, months] for c in group if (c.id, months) in follow]
            back = sum(outcomes.get(o) in returning for o in seen)
            cells[months] = FollowUpCell(len(seen), back, percent(back, len(seen)))
        series = [who5[c.id] for c in group if len(who5[c.id]) >= 2]
        return SubgroupRow(label, len(group), returned, percent(returned, len(group)), cells, len(series),
                           _mean([x[0] for x in series]), _mean([x[-1] for x in series]),
                           _mean([x[-1] - x[0] for x in series]),
                           _mean([(c.closed_date - c.referral_date).days / 7 for c in group]))

    inside = [c for c in cases if not c.outside_criteria]
    rows = [row(label, [c for c in inside if c.subgroup == int(code)]) for code, label in SUBGROUPS]
    rows.append(row("Ingen undergruppe", [c for c in inside if c.subgroup is None]))
    return WhatWorks(period, rows, row("Optaget uden for kriterierne", [c for c in cases if c.outside_criteria]))


def fidelity(s: Session, period: Period, shown: ColumnElement[bool]) -> Fidelity:
    """The model's five components over the cases closed in the period. The totals count every case;
    the list per case holds only the cases ``shown`` selects (those the reader reads in full: which
    components one case had says what was done in it)."""
    cases = s.execute(select(Case.id, Case.case_number, Case.coordinator_id, shown).where(
        Case.phase == "closed", Case.closed_date >= period.start, Case.closed_date <= period.end)
        .order_by(Case.closed_date, Case.case_number)).all()
    closed_ids = select(Case.id).where(Case.phase == "closed", Case.closed_date >= period.start,
                                       Case.closed_date <= period.end)

    def having(stmt) -> set[int]:
        return set(s.scalars(stmt.where(stmt.selected_columns[0].in_(closed_ids)).distinct()))

    assessed = having(select(Assessment.case_id))
    planned = having(select(ActionPlan.case_id))
    met = having(select(RoundTableMeeting.case_id).where(RoundTableMeeting.status == "held"))
    followed = having(select(AfterFollowUp.case_id).where(AfterFollowUp.recorded_date.is_not(None)))
    out = [FidelityCase(c.case_number, {"coordinator": c.coordinator_id is not None, "assessment": c.id in assessed,
                                        "plan": c.id in planned, "workplace": c.id in met,
                                        "follow_up": c.id in followed}) for c in cases]
    n = len(out)
    totals = [CountLine(label, k, percent(k, n)) for code, label in FIDELITY_COMPONENTS
              for k in [sum(c.components[code] for c in out)]]
    scores = Counter(c.score for c in out)
    distribution = [CountLine(f"{k} af 5", scores[k], percent(scores[k], n)) for k in range(5, -1, -1)]
    listed = [f for f, c in zip(out, cases, strict=True) if c[3]]
    return Fidelity(period, listed, totals, distribution, not_listed=n - len(listed))


def visitation_summary(s: Session) -> VisitationSummary:
    rows = dict(s.execute(select(Case.visitation_decision, func.count()).group_by(Case.visitation_decision)).all())
    outside = s.scalar(select(func.count()).select_from(Case).where(
        Case.visitation_decision == "accepted", Case.outside_criteria.is_(True))) or 0
    return VisitationSummary(rows.get("accepted", 0), rows.get("rejected", 0), rows.get("pending", 0), outside)


def check_period(start: dt.date, end: dt.date) -> Period:
    if end < start:
        raise ValidationError("period", "slutdatoen ligger før startdatoen", label="Periode")
    if add_months(start, 12 * 50) < end:
        raise ValidationError("period", "højst 50 år ad gangen", label="Periode")
    return Period(start, end)


class StatisticsService(ServiceBase):
    def report(self, actor: Actor, start: dt.date, end: dt.date) -> StatisticsReport:
        """Every section of the statistics for the period, counted in one transaction; one audit entry."""
        period = check_period(start, end)
        return self._write(actor, "stats.read", lambda s: self._report(s, actor, period, "read", "statistik"))

    def years(self, actor: Actor) -> list[int]:
        """The years a case was referred or closed in, newest first (the period filter offers them)."""
        def work(s):
            lo = s.scalar(select(func.min(Case.referral_date)))
            hi = s.scalar(select(func.max(func.coalesce(Case.closed_date, Case.referral_date))))
            return list(range(hi.year, lo.year - 1, -1)) if lo and hi else []
        return self._read(actor, "stats.read", work)

    def visitation_summary(self, actor: Actor) -> VisitationSummary:
        """Accepted, rejected and pending referrals, and how many were accepted outside the criteria."""
        return self._read(actor, "stats.read", visitation_summary)

    def outcome_table(self, actor: Actor, start: dt.date, end: dt.date) -> OutcomeTable:
        """Table 2 alone (status at closing per quarter of the closing date)."""
        period = check_period(start, end)

        def work(s):
            self.audit(s, actor, "read", "statistics", None, detail=f"tabel 2, {period.label}")
            return outcome_table(s, period)
        return self._write(actor, "stats.read", work)

    def report_pdf(self, actor: Actor, start: dt.date, end: dt.date) -> bytes:
        """The report for the period as PDF bytes, for the preview; ``log_report_print`` records the print."""
        from app.printing.statistics import render_statistics_bytes
        period = check_period(start, end)
        report, letterhead = self._read(actor, "stats.read", lambda s: (
            self._report(s, actor, period, None, ""), read_setting(s, "letterhead")))
        return render_statistics_bytes(report, letterhead=letterhead, printed_by=actor.full_name,
                                       printed_at=self.clock())

    def log_report_print(self, actor: Actor, start: dt.date, end: dt.date, how: str) -> None:
        """Record that the statistics printout left the program (printer or file)."""
        period = check_period(start, end)
        self._write(actor, "stats.read", lambda s: self.audit(
            s, actor, "print", "statistics", None, detail=f"kvartalsrapport {period.label}: {how}"))

    def export_report(self, actor: Actor, start: dt.date, end: dt.date, path: str | os.PathLike,
                      fmt: str) -> StatisticsReport:
        """Write the report for the period as PDF, CSV, Excel or JSON to ``path``; logged as a print
        (PDF) or an export once the file exists."""
        from app.reports import export  # openpyxl and ReportLab load when something is written
        if fmt not in REPORT_FORMATS:
            raise ValidationError("format", f"ukendt format; vælg {', '.join(REPORT_FORMATS)}", label="Format")
        period = check_period(start, end)
        report, letterhead = self._read(actor, "stats.read", lambda s: (
            self._report(s, actor, period, None, ""), read_setting(s, "letterhead")))
        if fmt == "pdf":
            from app.printing.statistics import render_statistics
            render_statistics(path, report, letterhead=letterhead, printed_by=actor.full_name,
                              printed_at=self.clock())
        else:
            export.write_report(Path(path), report, fmt)
        action = "print" if fmt == "pdf" else "export"
        self._write(actor, "stats.read", lambda s: self.audit(
            s, actor, action, "statistics", None, detail=f"kvartalsrapport {period.label} ({fmt})"))
        return report

    def _report(self, s: Session, actor: Actor, period: Period, action: str | None, what: str) -> StatisticsReport:
        if action:
            self.audit(s, actor, action, "statistics", None, detail=f"{what}, {period.label}")
        return StatisticsReport(period, outcome_table(s, period), intake_table(s, period), what_works(s, period),
                                fidelity(s, period, access.full_access_clause(actor, self.clock())),
                                visitation_summary(s))

