"""The statistics report as tables (``Sheet``) and as files: JSON (the fixed form other tools read),
CSV and Excel (one sheet per table, numbers as numbers). Also the one CSV/Excel writer the case
list's export uses.

Only formatting happens here; every number comes from ``app.services.statistics``'s data objects.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.reports.codes import OTHER_REASONS

if TYPE_CHECKING:
    from app.services.statistics import OutcomeTable, StatisticsReport, SubgroupRow

Value = str | int | float | dt.date | None

RETURN_LABEL = "Tilbage i arbejde (fuld tid, deltid og a-kasse)"


@dataclass(frozen=True)
class Sheet:
    title: str                    # the Excel sheet's name (at most 31 characters) and the CSV section's
    header: list[str]
    rows: list[list[Value]]


# -- JSON ----------------------------------------------------------------------------------------
def outcome_json(t: OutcomeTable) -> dict[str, Any]:
    """Table 2 in the issue's fixed JSON form."""
    quarters = [{"label": q, "closed": t.closed_per_quarter[i],
                 "counts": {r.code: r.quarters[i].count for r in t.rows},
                 "percent": {r.code: r.quarters[i].percent for r in t.rows}} for i, q in enumerate(t.quarters)]
    return {"quarters": quarters,
            "total": {"closed": t.closed, "counts": {r.code: r.total.count for r in t.rows},
                      "percent": {r.code: r.total.percent for r in t.rows}},
            "andet": {r.code: r.total for r in t.other_reasons},
            "return_to_work_percent": t.return_rate if t.return_rate is not None else 0}


# -- the tables ----------------------------------------------------------------------------------
def outcome_sheet(t: OutcomeTable) -> Sheet:
    header = ["Statuskategori", "Kommentar"]
    for q in [*t.quarters, "I alt"]:
        header += [f"{q} antal", f"{q} %"]
    rows: list[list[Value]] = []
    for r in t.rows:
        rows.append([r.label, ""] + [v for c in [*r.quarters, r.total] for v in (c.count, c.percent)])
    for o in t.other_reasons:
        rows.append([o.label, o.comment] + [v for n in [*o.quarters, o.total] for v in (n, None)])
    rows.append(["I alt", ""] + [v for n in [*t.closed_per_quarter, t.closed] for v in (n, None)])
    rows.append([RETURN_LABEL, ""] + [None, None] * len(t.quarters) + [t.returned, t.return_rate])
    return Sheet("Tabel 2 Afslutningsstatus", header, rows)


def intake_sheet(report: StatisticsReport) -> Sheet:
    t = report.intake
    rows: list[list[Value]] = [["Henviste i perioden", "", t.referred, None],
                               ["Gennemsnitsalder", "år", t.mean_age, None],
                               ["Yngste", "år", t.min_age, None], ["Ældste", "år", t.max_age, None]]
    for g in t.groups:
        rows += [[g.title, line.label, line.count, line.percent] for line in g.lines]
    return Sheet("Tabel 1 Karakteristika", ["Karakteristik", "Kategori", "Antal", "%"], rows)


def _subgroup_values(r: SubgroupRow) -> list[Value]:
    follow = [v for m in (3, 6, 12) for v in (r.follow_ups[m].recorded, r.follow_ups[m].percent)]
    return [r.label, r.closed, r.returned_at_closing, r.returned_percent, *follow, r.who5_cases, r.who5_first,
            r.who5_last, r.who5_change, r.mean_weeks]


WHAT_WORKS_HEADER = ["Undergruppe", "Afsluttede", "I arbejde ved afslutning", "%",
                     "3 mdr. registreret", "3 mdr. i arbejde %", "6 mdr. registreret", "6 mdr. i arbejde %",
                     "12 mdr. registreret", "12 mdr. i arbejde %", "WHO-5 forløb", "WHO-5 første",
                     "WHO-5 sidste", "WHO-5 ændring", "Forløbslængde (uger)"]


def what_works_sheet(report: StatisticsReport) -> Sheet:
    w = report.what_works
    return Sheet("Hvad virker for hvem", WHAT_WORKS_HEADER,
                 [_subgroup_values(r) for r in [*w.rows, w.outside_criteria]])


def fidelity_sheets(report: StatisticsReport) -> list[Sheet]:
    from app.services.statistics import FIDELITY_COMPONENTS
    f = report.fidelity
    totals = Sheet("Troskab mod modellen", ["Komponent", "Forløb", "%"],
                   [[line.label, line.count, line.percent] for line in f.totals]
                   + [[f"Forløb med {line.label} komponenter", line.count, line.percent] for line in f.distribution])
    per_case = Sheet("Troskab pr. forløb", ["Forløb", *[label for _c, label in FIDELITY_COMPONENTS], "I alt"],
                     [[c.case_number, *["Ja" if c.components[code] else "Nej" for code, _l in FIDELITY_COMPONENTS],
                       c.score] for c in f.cases])
    return [totals, per_case]


def report_sheets(report: StatisticsReport) -> list[Sheet]:
    return [outcome_sheet(report.outcomes), intake_sheet(report), what_works_sheet(report),
            *fidelity_sheets(report)]


# -- files ---------------------------------------------------------------------------------------
def _csv_value(v: Value) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:g}".replace(".", ",")
    if isinstance(v, dt.date):
        return f"{v:%d-%m-%Y}"   # as Danish users write dates   # Danish decimal comma: the CSV opens in a Danish Excel
    return str(v)


def csv_bytes(sheets: Sequence[Sheet]) -> bytes:
    """UTF-8 with BOM and ``;`` (what a Danish Excel opens directly); several tables follow each other,
    each under its title, with an empty line between."""
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for i, sheet in enumerate(sheets):
        if len(sheets) > 1:
            if i:
                w.writerow([])
            w.writerow([sheet.title])
        w.writerow(sheet.header)
        w.writerows([[_csv_value(v) for v in row] for row in sheet.rows])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title[:31])
        ws.append(sheet.header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            ws.append(list(row))
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "DD-MM-YYYY"
        ws.freeze_panes = "A2"
        for i, title in enumerate(sheet.header, start=1):
            longest = max([len(str(title))] + [len(str(r[i - 1])) for r in sheet.rows if r[i - 1] is not None])
            ws.column_dimensions[get_column_letter(i)].width = min(60, longest + 2)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def write_private(path: Path, data: bytes) -> Path:
    """Atomically, readable by the owner only: the file holds the team's data (``db.private_files``)."""
    from db.private_files import write_private_file
    return write_private_file(Path(path), data)


def write_sheets(path: Path, sheets: Sequence[Sheet], fmt: str) -> Path:
    return write_private(path, csv_bytes(sheets) if fmt == "csv" else xlsx_bytes(sheets))


def write_report(path: Path, report: StatisticsReport, fmt: str) -> Path:
    if fmt == "json":
        data = json.dumps(outcome_json(report.outcomes), ensure_ascii=False, indent=2).encode("utf-8")
        return write_private(path, data)
    return write_sheets(path, report_sheets(report), fmt)


__all__ = ["OTHER_REASONS", "Sheet", "csv_bytes", "outcome_json", "report_sheets", "write_report", "write_sheets",
           "xlsx_bytes"]
