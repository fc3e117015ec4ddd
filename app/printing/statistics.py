"""The printed statistics (kvartalsrapport): Table 2 with the headline return-to-work rate and a
chart, Table 1, what works for whom, and the fidelity to the TTA model.

Data in, PDF out: the tables are the same ``Sheet``s the CSV and Excel files hold
(``app.reports.export``), so the three forms cannot disagree.
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from app.printing.fonts import fonts
from app.printing.styles import ACCENT, data_table, stylesheet
from app.printing.templates import TEXT_WIDTH, build_pdf, para, write_pdf
from app.reports.export import Sheet, fidelity_sheets, intake_sheet, outcome_sheet, what_works_sheet

if TYPE_CHECKING:
    from app.services.statistics import OutcomeTable, StatisticsReport

TITLE = "Statistik – status og evaluering"
# Table 2 prints at most this many quarters side by side; more continue in a table below.
QUARTERS_PER_TABLE = 4


def number(v: object) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.1f}".replace(".", ",")
    return str(v)


def sheet_table(sheet: Sheet, widths_mm: Sequence[float], columns: Sequence[int] | None = None) -> Flowable:
    """A sheet as a printed table: text left, numbers right; ``columns`` picks and orders columns."""
    st = stylesheet()
    cols = list(columns) if columns is not None else list(range(len(sheet.header)))
    head = [Paragraph(sheet.header[i], st["TableHead"]) for i in cols]
    body = [[para(number(row[i]), st["TableCellRight"] if isinstance(row[i], int | float) or row[i] is None
                  else st["TableCell"]) for i in cols] for row in sheet.rows]
    widths = [w * mm for w in widths_mm]
    rest = TEXT_WIDTH - sum(widths)
    widths += [rest / (len(cols) - len(widths))] * (len(cols) - len(widths)) if len(cols) > len(widths) else []
    return data_table([head, *body], widths)


def outcome_chart(t: OutcomeTable) -> Drawing:
    """The period's statuses as bars, with their percent at the end of each bar."""
    f = fonts()
    height = 16 + 14 * len(t.rows)
    d = Drawing(TEXT_WIDTH, height)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 110, 6, TEXT_WIDTH - 160, height - 12
    chart.data = [[r.total.percent for r in reversed(t.rows)]]
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, 100
    chart.valueAxis.visible = False
    chart.categoryAxis.categoryNames = [r.label for r in reversed(t.rows)]
    chart.categoryAxis.labels.fontName = f.regular
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.barLabelFormat = "%d %%"
    chart.barLabels.fontName = f.regular
    chart.barLabels.fontSize = 7.5
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    d.add(chart)
    return d


def outcome_story(t: OutcomeTable) -> list[Flowable]:
    st = stylesheet()
    story: list[Flowable] = [Paragraph("Tabel 2. Status ved afslutning", st["Heading1"])]
    if t.return_rate is None:
        story.append(Paragraph("Ingen forløb er afsluttet i perioden.", st["Empty"]))
    else:
        story.append(para(f"Tilbage i arbejde: {t.return_rate} % ({t.returned} af {t.closed} afsluttede forløb; "
                          "raskmeldt fuld tid, deltid og a-kasse).", st["Subtitle"]))
    sheet = outcome_sheet(t)
    n = len(t.quarters)
    chunks = [list(range(i, min(i + QUARTERS_PER_TABLE, n))) for i in range(0, n, QUARTERS_PER_TABLE)] or [[]]
    for k, chunk in enumerate(chunks):
        cols = [0, 1] + [c for q in chunk for c in (2 + 2 * q, 3 + 2 * q)]
        if k == len(chunks) - 1:
            cols += [2 + 2 * n, 3 + 2 * n]
        story += [sheet_table(sheet, (38, 22), cols), Spacer(1, 3 * mm)]
    story.append(para("Procent af de afsluttede forløb i samme kolonne, afrundet til hele procent. Kvartalerne er "
                      "kalenderkvartaler efter afslutningsdato.", st["Meta"]))
    if t.closed:
        story += [Spacer(1, 2 * mm), outcome_chart(t)]
    return story


def statistics_story(report: StatisticsReport) -> list[Flowable]:
    st = stylesheet()
    story: list[Flowable] = [Paragraph(TITLE, st["Title"]), para(f"Periode: {report.period.label}", st["Subtitle"])]
    story += outcome_story(report.outcomes)
    intake = report.intake
    story += [Paragraph("Tabel 1. Karakteristika ved start", st["Heading1"]),
              para(f"{intake.referred} forløb henvist i perioden.", st["Meta"]),
              sheet_table(intake_sheet(report), (70, 50, 25))]
    ww = what_works_sheet(report)
    story += [Paragraph("Hvad virker for hvem", st["Heading1"]),
              para("Afsluttede forløb i perioden efter undergruppe; forløb optaget uden for kriterierne står for sig. "
                   "I arbejde: raskmeldt fuld tid, deltid eller a-kasse.", st["Meta"]),
              Paragraph("Status ved afslutning og efteropfølgning", st["Heading2"]),
              sheet_table(ww, (62,), range(0, 10)),
              Paragraph("WHO-5 fra første til sidste måling og forløbets længde", st["Heading2"]),
              sheet_table(ww, (62,), [0, 1, *range(10, 15)])]
    fid = report.fidelity
    story += [Paragraph("Troskab mod TTA-modellen", st["Heading1"]),
              para(f"De fem komponenter i de {len(fid.cases)} forløb, der er afsluttet i perioden, ud fra hvad "
                   "forløbet indeholder. Listen pr. forløb står i regnearket.", st["Meta"]),
              sheet_table(fidelity_sheets(report)[0], (100,))]
    return story


def render_statistics_bytes(report: StatisticsReport, *, letterhead: Mapping[str, object], printed_by: str,
                            printed_at: dt.datetime) -> bytes:
    return build_pdf(lambda: statistics_story(report), letterhead=letterhead, title=TITLE, printed_by=printed_by,
                     printed_at=printed_at, subject=report.period.label)


def render_statistics(path: str | os.PathLike, report: StatisticsReport, *, letterhead: Mapping[str, object],
                      printed_by: str, printed_at: dt.datetime) -> Path:
    """Write the statistics PDF to ``path`` (atomically) and return the path."""
    return write_pdf(path, render_statistics_bytes(report, letterhead=letterhead, printed_by=printed_by,
                                                   printed_at=printed_at))
