"""The printed assessment summary (Udredning) of one case for the case file.

Data in (``app.services.assessments.SummaryData``, duck-typed), PDF out; no database access. The
scores over time first (a table of WHO-5 and MDI by date with their bands), then every assessment
oldest first: discipline, author, date, signed or draft, its instruments, its filled-in fields under
their headings, the ICF rows, and the addenda under it with author and time.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from app.assessment_fields import ASSESSMENT_FORMS, DEGREES, FORM_TITLES, ICF_ROWS
from app.fields import CHOICE, NUMBER, ROWS
from app.instruments import INSTRUMENTS
from app.labels import ICF_LABELS
from app.printing.styles import data_table, stylesheet
from app.printing.templates import TEXT_WIDTH, build_pdf, format_datetime, para, safe, write_pdf

HEADING = "Udredning"
NO_ASSESSMENTS = "Forløbet har ingen udredninger endnu."


def _date(d: dt.date | None) -> str:
    return d.strftime("%d-%m-%Y") if d else "–"


def _num(v: float) -> str:
    return f"{v:g}".replace(".", ",")


def _scores_table(points, st) -> list[Flowable]:
    if not points:
        return [Paragraph("Ingen udfyldte WHO-5 eller MDI endnu.", st["Empty"])]
    head, cell = st["TableHead"], st["TableCell"]
    data: list[list] = [[Paragraph(c, head) for c in ("Dato", "Test", "Score", "Niveau")]]
    for p in points:
        data.append([Paragraph(_date(p.taken_on), cell), para(INSTRUMENTS[p.instrument].name, cell),
                     Paragraph(_num(p.score), cell), para(p.band, cell)])
    return [data_table(data, [28 * mm, 70 * mm, 20 * mm, TEXT_WIDTH - 118 * mm])]


def _instrument_lines(a, st) -> list[Flowable]:
    out = []
    for code, e in a.instruments.items():
        name = INSTRUMENTS[code].name
        if e.score is None:
            text = f"<b>{safe(name)}:</b> ikke færdigudfyldt (ingen score)"
        else:
            text = f"<b>{safe(name)}:</b> {_num(e.score)} – {safe(e.band)}" + (f" ({safe(e.note)})" if e.note else "")
        out.append(Paragraph(text, st["BodyText"]))
    return out


def _field_text(f, value) -> str:
    if f.kind == CHOICE:
        return f.choice_label(value)
    if f.kind == NUMBER:
        return "" if value is None else f"{_num(value)} {f.unit}".strip()
    return str(value or "")


def _assessment(a, st) -> list[Flowable]:
    table = ASSESSMENT_FORMS.get(a.discipline, ASSESSMENT_FORMS["coordinator"])
    state = (f"Underskrevet {format_datetime(a.signed_at)}" if a.signed_at else "Kladde – ikke underskrevet")
    out: list[Flowable] = [
        Paragraph(safe(FORM_TITLES.get(a.discipline, a.discipline)), st["Heading1"]),
        para(f"{_date(a.assessed_on)} · {a.author} · {state}", st["Meta"]),
    ]
    out += _instrument_lines(a, st)
    section = None
    for f in table:
        if f.name == "assessed_on":
            continue
        value = a.values.get(f.name)
        if f.kind == ROWS:
            if value:
                out.append(Paragraph(safe(f.label), st["Heading2"]))
                out.append(_icf_table(value, st))
            continue
        text = _field_text(f, value)
        if not text.strip():
            continue
        if f.section != section:
            section = f.section
            out.append(Paragraph(safe(section), st["Heading2"]))
        out.append(Paragraph(f"<b>{safe(f.label)}:</b> {safe(text)}", st["BodyText"]))
    for add in a.addenda:
        out.append(KeepTogether([
            Paragraph(f"Tillæg {safe(format_datetime(add.created_at))} af {safe(add.author)}", st["Heading2"]),
            para(add.text, st["BodyText"])]))
    return out


def _icf_table(rows, st):
    head, cell = st["TableHead"], st["TableCell"]
    cols = [f for f in ICF_ROWS]
    data: list[list] = [[Paragraph(safe(f.label), head) for f in cols]]
    for r in rows:
        data.append([para(ICF_LABELS.get(r.get("heading"), "") if f.name == "heading" else
                          DEGREES.get(r.get("degree"), "") if f.name == "degree" else r.get(f.name) or "", cell)
                     for f in cols])
    fixed = [28 * mm, 30 * mm, 30 * mm, 22 * mm, 30 * mm]
    return data_table(data, fixed + [TEXT_WIDTH - sum(fixed)])


def assessment_summary_story(data) -> list[Flowable]:
    st = stylesheet()
    story: list[Flowable] = [
        Paragraph(HEADING, st["Title"]),
        para(f"Forløb {data.case_number} – {data.citizen}", st["Subtitle"]),
        Paragraph("Udvikling i WHO-5 og MDI", st["Heading1"]),
        *_scores_table(data.scores, st),
        Spacer(1, 3 * mm),
    ]
    if not data.assessments:
        story.append(Paragraph(NO_ASSESSMENTS, st["Empty"]))
    for a in data.assessments:
        story += _assessment(a, st)
    return story


def render_assessment_summary(data, path: str | os.PathLike | None, *, printed_by: str,
                              printed_at: dt.datetime) -> bytes:
    """The summary as PDF bytes, also written (atomically, for the user alone) to ``path`` if given."""
    subject = f"Forløb {data.case_number} – {data.citizen}"
    pdf = build_pdf(lambda: assessment_summary_story(data), letterhead=data.letterhead or {},
                    title=f"{HEADING} – {subject}", printed_by=printed_by, printed_at=printed_at, subject=subject)
    if path is not None:
        write_pdf(Path(path), pdf)
    return pdf
