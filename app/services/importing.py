"""Import of earlier cases from a CSV file (UTF-8 with or without BOM, ``;`` or ``,``) or an Excel file.

The columns are documented in ``docs/import.md``. Every row goes through the same rules as a new
referral (``ReferralService.validate`` over ``CASE_FIELDS``), then the import's own rules (visitation,
closing status, dates in order). A dry run lists every row's problems by row number and column in
Danish; an import writes nothing when any row has an error, unless the user chose to import the
valid rows only. The whole import is one transaction, logged, and a known CPR number links the
case to that citizen.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import ValidationError, ValidationErrors
from app.progress import NO_PROGRESS, Progress
from app.reports.codes import OTHER_REASONS, STATUSES
from app.services.base import Actor, ServiceBase
from app.services.referrals import ReferralService, next_case_number, open_case
from db.models import Case, CaseAbsenceReason, CatalogItem, Citizen

# Import column -> the referral field it fills (None: the import's own column).
COLUMNS: dict[str, str | None] = {
    "cpr": "cpr", "fornavn": "first_name", "efternavn": "last_name", "koen": None,
    "henvisningsdato": "referral_date", "sygemeldt_fra": "sick_leave_start", "startdato": None,
    "afslutningsdato": None, "ansaettelse": "employment_status", "arbejdsgiver": "employer_name",
    "aarsager": "absence_reasons", "undergruppe": None, "visiteret": None, "visitation_begrundelse": None,
    "afslutningsstatus": None, "andet_aarsag": None,
}
REQUIRED_COLUMNS = ("cpr", "fornavn", "efternavn", "koen", "henvisningsdato", "sygemeldt_fra", "ansaettelse",
                    "aarsager")
COLUMN_OF_FIELD = {f: c for c, f in COLUMNS.items() if f}
SEXES = {"K": "female", "M": "male"}
EMPLOYMENT = {"ansat": "employed", "opsagt": "dismissed", "selv_opsagt": "resigned", "ledig": "unemployed"}
REASONS = {"stress": "stress", "depression": "depression", "angst": "anxiety", "udbraendthed": "burnout",
           "kronisk_traethed": "chronic_fatigue", "andet": "other"}
YES_NO = {"ja": True, "nej": False}
PREVIEW_ROWS = 10
HEADER_ROW = 1


@dataclass(frozen=True)
class RowProblem:
    row: int          # the row in the file, the header being row 1 (as a spreadsheet numbers it)
    column: str       # the file's column name
    message: str      # Danish

    @property
    def text(self) -> str:
        return f"Række {self.row}, kolonne {self.column}: {self.message}"


@dataclass
class ImportRow:
    row: int
    raw: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)   # clean values when the row is valid


@dataclass(frozen=True)
class ImportCheck:
    """A dry run: what the file holds and what is wrong with it."""
    header: list[str]
    preview: list[list[str]]          # the first rows as the file has them
    rows: int                         # data rows
    valid_rows: int
    problems: list[RowProblem]        # every row's problems, in row and column order
    unknown_columns: list[str]        # reported, then ignored

    @property
    def refused_rows(self) -> list[int]:
        return sorted({p.row for p in self.problems if p.row > HEADER_ROW})

    @property
    def file_error(self) -> bool:
        """A problem with the file itself (a missing column): no row can be imported."""
        return any(p.row == HEADER_ROW for p in self.problems)


@dataclass(frozen=True)
class ImportResult:
    check: ImportCheck
    imported: int
    linked: int                       # of them linked to a citizen already known

    @property
    def refused(self) -> int:
        return self.check.rows - self.imported


# -- reading the file -----------------------------------------------------------------------------
def _cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def read_table(path: str | os.PathLike) -> list[list[str]]:
    """The file's rows as text: an Excel file's first sheet, or a CSV file in UTF-8 (a BOM is allowed)
    with ``;`` or ``,`` between the columns (whichever the header line uses)."""
    p = Path(path)
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook
        wb = load_workbook(p, read_only=True, data_only=True)
        try:
            rows = [[_cell_text(v) for v in r] for r in wb.worksheets[0].iter_rows(values_only=True)]
        finally:
            wb.close()
    else:
        try:
            text = p.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError("file", "filen er ikke gemt som UTF-8; gem den igen som \"CSV UTF-8\"",
                                  label="Fil") from None
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") >= first.count(",") else ","
        rows = [[c.strip() for c in r] for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise ValidationError("file", "filen er tom", label="Fil")
    return rows


def parse_date(text: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise ValueError(text)


# -- checking one row -----------------------------------------------------------------------------
class _RowChecker:
    def __init__(self, referrals: ReferralService, today: dt.date):
        self.referrals, self.today = referrals, today

    def check(self, row: ImportRow) -> list[RowProblem]:
        raw, problems = row.raw, []

        def problem(column: str, message: str) -> None:
            problems.append(RowProblem(row.row, column, message))

        def date(column: str) -> dt.date | None:
            text = raw.get(column, "")
            if not text:
                return None
            try:
                return parse_date(text)
            except ValueError:
                problem(column, "ugyldig dato; skriv ÅÅÅÅ-MM-DD eller DD-MM-ÅÅÅÅ")
                return None

        def choice(column: str, table: dict[str, Any], *, lower: bool = True) -> Any:
            text = raw.get(column, "")
            key = text.lower() if lower else text.upper()
            if text and key not in table:
                problem(column, f"ukendt værdi \"{text}\"; brug {', '.join(table)}")
            return table.get(key)

        referral: dict[str, Any] = {"cpr": raw.get("cpr", ""), "first_name": raw.get("fornavn", ""),
                                    "last_name": raw.get("efternavn", ""), "employer_name": raw.get("arbejdsgiver", "")}
        for column, name in (("henvisningsdato", "referral_date"), ("sygemeldt_fra", "sick_leave_start")):
            referral[name] = date(column) if raw.get(column) else None
        referral["employment_status"] = choice("ansaettelse", EMPLOYMENT)
        reasons = [r.strip().lower() for r in raw.get("aarsager", "").split(",") if r.strip()]
        unknown = [r for r in reasons if r not in REASONS]
        if unknown:
            problem("aarsager", f"ukendt årsag \"{', '.join(unknown)}\"; brug {', '.join(REASONS)}")
        referral["absence_reasons"] = [REASONS[r] for r in reasons if r in REASONS]
        sex = choice("koen", SEXES, lower=False)
        if not raw.get("koen"):
            problem("koen", "skal udfyldes (K eller M)")
        try:
            clean = self.referrals.validate(referral, only=list(referral))
        except ValidationErrors as errors:
            clean = {}
            for e in errors.errors:
                column = COLUMN_OF_FIELD.get(e.field, e.field)
                if any(p.column == column for p in problems):
                    continue   # the value could not be read: said once
                problem(column, e.rule)
        start, closed = date("startdato"), date("afslutningsdato")
        subgroup = None
        if raw.get("undergruppe"):
            if raw["undergruppe"].isdigit() and 1 <= int(raw["undergruppe"]) <= 8:
                subgroup = int(raw["undergruppe"])
            else:
                problem("undergruppe", "skal være et tal fra 1 til 8 eller tom")
        visited = choice("visiteret", YES_NO)
        reason_text = raw.get("visitation_begrundelse", "")
        if visited is False and not reason_text:
            problem("visitation_begrundelse", "skal udfyldes, når borgeren ikke er visiteret")
        if len(reason_text) > 2000:
            problem("visitation_begrundelse", "højst 2000 tegn")
        status = raw.get("afslutningsstatus", "").lower()
        if status and status not in STATUSES:
            problem("afslutningsstatus", f"ukendt status \"{raw['afslutningsstatus']}\"; brug {', '.join(STATUSES)}")
        other = raw.get("andet_aarsag", "").lower()
        if other and other not in OTHER_REASONS:
            problem("andet_aarsag", f"ukendt årsag \"{raw['andet_aarsag']}\"; brug {', '.join(OTHER_REASONS)}")
        if visited is False and not status:
            status = "andet"   # not visitated: the case ends there, as a visitation refusal ends it
        if status == "andet" and not other:
            if visited is False:
                other = "ikke_i_maalgruppen"
            else:
                problem("andet_aarsag", "skal udfyldes, når afslutningsstatus er andet")
        if other and status != "andet" and status in STATUSES:
            problem("andet_aarsag", "må kun udfyldes, når afslutningsstatus er andet")
        if raw.get("afslutningsstatus") and not raw.get("afslutningsdato"):
            problem("afslutningsdato", "skal udfyldes, når forløbet har en afslutningsstatus")
        if closed and not raw.get("afslutningsstatus") and visited is not False:
            problem("afslutningsstatus", "skal udfyldes, når forløbet har en afslutningsdato")
        referred = clean.get("referral_date")
        for column, d in (("startdato", start), ("afslutningsdato", closed)):
            if d and d > self.today:
                problem(column, "må ikke ligge i fremtiden")
            elif d and referred and d < referred:
                problem(column, "må ikke ligge før henvisningsdatoen")
        if start and closed and closed < start:
            problem("afslutningsdato", "må ikke ligge før startdatoen")
        if start and visited is not True and not problems:
            problem("startdato", "kun et visiteret forløb har en startdato")
        if not problems:
            row.values = {**clean, "sex": sex, "start": start, "closed": closed or (referred if visited is False
                                                                                    else None),
                          "subgroup": subgroup, "visited": visited, "visitation_note": reason_text,
                          "status": status or None, "other_reason": other or None}
        return problems


def _order(problems: list[RowProblem]) -> list[RowProblem]:
    columns = {c: i for i, c in enumerate(COLUMNS)}
    return sorted(problems, key=lambda p: (p.row, columns.get(p.column, len(columns))))


class ImportService(ServiceBase):
    def check_file(self, actor: Actor, path: str | os.PathLike) -> ImportCheck:
        """The dry run: every problem of every row, nothing written (the check itself is logged)."""
        def work(s):
            check, _rows = self._check(s, path)
            self.audit(s, actor, "read", "case_import", None,
                       detail=f"prøveimport af {Path(path).name}: {check.rows} rækker, {check.valid_rows} gyldige")
            return check
        return self._write(actor, "case.import", work)

    def import_file(self, actor: Actor, path: str | os.PathLike, *, valid_only: bool = False,
                    progress: Progress = NO_PROGRESS) -> ImportResult:
        """Import the file's cases in one transaction. With an error in any row nothing is imported,
        unless ``valid_only``: then the valid rows are, and the others are reported."""
        def work(s):
            check, rows = self._check(s, path)
            if check.file_error or (check.problems and not valid_only):
                self.audit(s, actor, "read", "case_import", None,
                           detail=f"import af {Path(path).name} afvist: {len(check.refused_rows)} rækker med fejl")
                return ImportResult(check, 0, 0)
            imported, linked = self._insert(s, actor, [r for r in rows if r.values], progress)
            self.audit(s, actor, "create", "case_import", None,
                       detail=f"{imported} forløb importeret fra {Path(path).name}"
                              f" ({linked} til kendte borgere, {check.rows - imported} rækker sprunget over)")
            return ImportResult(check, imported, linked)
        return self._write(actor, "case.import", work)

    # -- inside the transaction ----------------------------------------------------------------
    def _check(self, s: Session, path: str | os.PathLike) -> tuple[ImportCheck, list[ImportRow]]:
        table = read_table(path)
        header = [h.strip().lstrip("\ufeff").lower() for h in table[0]]
        problems = [RowProblem(HEADER_ROW, c, "kolonnen mangler") for c in REQUIRED_COLUMNS if c not in header]
        unknown = [h for h in header if h and h not in COLUMNS]
        problems += [RowProblem(HEADER_ROW, c, "kolonnen står to gange") for c in COLUMNS if header.count(c) > 1]
        rows = [ImportRow(i, {h: (r[j] if j < len(r) else "") for j, h in enumerate(header) if h in COLUMNS})
                for i, r in enumerate(table[1:], start=HEADER_ROW + 1) if any(r)]
        if not problems:
            checker = _RowChecker(ReferralService(self.db, self.clock), self.today())
            for row in rows:
                problems += checker.check(row)
            problems += self._open_case_problems(s, rows)
            refused = {p.row for p in problems}
            for row in rows:
                if row.row in refused:
                    row.values = {}
        valid = sum(1 for r in rows if r.values)
        return ImportCheck(header=table[0], preview=table[1:PREVIEW_ROWS + 1], rows=len(rows), valid_rows=valid,
                           problems=_order(problems), unknown_columns=unknown), rows

    def _open_case_problems(self, s: Session, rows: list[ImportRow]) -> list[RowProblem]:
        """A citizen has at most one open case, counting the database and the rows before."""
        out = []
        open_in_file: dict[str, int] = {}
        for row in rows:
            if not row.values:
                continue
            digits = row.values["cpr"].digits
            known = s.scalar(select(Citizen.id).where(Citizen.cpr == digits))
            still_open = open_case(s, known) if known else None
            if row.values["closed"] is None:
                if still_open:
                    out.append(RowProblem(row.row, "cpr", f"borgeren har allerede et åbent forløb ({still_open[0]})"))
                elif digits in open_in_file:
                    out.append(RowProblem(row.row, "cpr", f"borgeren har allerede et åbent forløb i række "
                                                          f"{open_in_file[digits]}"))
                else:
                    open_in_file[digits] = row.row
        return out

    def _insert(self, s: Session, actor: Actor, rows: list[ImportRow], progress: Progress) -> tuple[int, int]:
        cat = {(k, c): i for i, k, c in s.execute(select(CatalogItem.id, CatalogItem.kind, CatalogItem.code))}
        now, linked = self.clock(), 0
        for i, row in enumerate(rows):
            if i % 50 == 0:
                progress.check()
                progress.report(i, len(rows), "forløb")
            v = row.values
            citizen = s.scalar(select(Citizen).where(Citizen.cpr == v["cpr"].digits))
            if citizen is None:
                citizen = Citizen(cpr=v["cpr"].digits, first_name=v["first_name"], last_name=v["last_name"],
                                  birth_date=v["cpr"].birth_date, sex=v["sex"])
                s.add(citizen)
                s.flush()
            else:
                linked += 1
            status, visited = v["status"], v["visited"]
            decision = {True: "accepted", False: "rejected", None: "pending"}[visited]
            phase = "closed" if v["closed"] else ("intervention" if visited else "referral")
            case = Case(case_number=next_case_number(s, v["referral_date"].year), citizen_id=citizen.id,
                        phase=phase, referral_date=v["referral_date"], sick_leave_start=v["sick_leave_start"],
                        employment_status=v["employment_status"], employer_name=v["employer_name"],
                        subgroup=v["subgroup"], visitation_decision=decision, visitation_note=v["visitation_note"],
                        visitation_date=v["start"] if visited else (v["closed"] if visited is False else None),
                        rejection_reason_id=cat.get(("rejection_reason", "other")) if visited is False else None,
                        closed_date=v["closed"], last_activity_at=now,
                        outcome_id=cat[("outcome", STATUSES[status][0])] if status else None,
                        other_reason_id=cat[("other_reason", OTHER_REASONS[v["other_reason"]][0])]
                        if v["other_reason"] else None)
            s.add(case)
            s.flush()
            for code in v["absence_reasons"]:
                s.add(CaseAbsenceReason(case_id=case.id, reason_id=cat[("absence_reason", code)]))
            self.audit(s, actor, "create", "tta_case", case.id, case_id=case.id,
                       fields=["citizen", "referral", "import"] + (["linked_existing_citizen"]
                                                                    if citizen.cases[:-1] else []))
        progress.report(len(rows), len(rows), "forløb")
        return len(rows), linked

