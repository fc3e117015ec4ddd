"""The printed extract of the access log about one citizen (GDPR art. 15, "indsigt"): everything the
log holds about the citizen's cases, oldest first.

The extract is duck-typed like ``app.services.audit_log.CitizenExtract`` (name, cpr_masked,
cases as (id, case number), rows like ``AuditRow``, retention_months); rows name the citizen's own
case numbers only, never another citizen's. Laid out like the access log (``access_log``), with a
column for the case, since a citizen may have had several.
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from app.printing.access_log import action_label, details_markup, entity_label
from app.printing.styles import data_table, stylesheet
from app.printing.templates import TEXT_WIDTH, build_pdf, format_datetime, para, write_pdf

HEADING = "Udtræk af adgangsloggen"
EMPTY_TEXT = "Adgangsloggen indeholder ingen registreringer om borgeren."
COLUMNS = ("Tidspunkt", "Bruger", "Handling", "Forløb", "Post", "Felter / detaljer")
_FIXED_WIDTHS_MM = (30, 26, 22, 26, 22)


def intro_text(retention_months: int) -> str:
    return ("Alt, hvad adgangsloggen indeholder om borgerens forløb: hvem der har set, søgt, ændret, udskrevet "
            "eller eksporteret oplysninger, og hvornår (databeskyttelsesforordningens artikel 15). Loggen "
            f"opbevares i {retention_months} måneder; ældre registreringer er slettet.")


def audit_extract_story(extract, *, width: float = TEXT_WIDTH) -> list[Flowable]:
    st = stylesheet()
    rows = list(extract.rows)
    numbers = ", ".join(number for _id, number in extract.cases) or "–"
    story: list[Flowable] = [
        Paragraph(HEADING, st["Title"]),
        para(f"{extract.name} ({extract.cpr_masked})", st["Subtitle"]),
        para(intro_text(extract.retention_months), st["BodyText"]),
        para(f"Forløb: {numbers}", st["Meta"]),
    ]
    if not rows:
        story.append(Paragraph(EMPTY_TEXT, st["Empty"]))
        return story
    story += [para(f"{len(rows)} registrering" + ("" if len(rows) == 1 else "er"), st["Meta"]),
              Spacer(1, 4 * mm)]
    cell, muted, head = st["TableCell"], st["TableCellMuted"], st["TableHead"]
    data: list[list] = [[Paragraph(c, head) for c in COLUMNS]]
    for r in rows:
        data.append([
            Paragraph(format_datetime(r.at, seconds=True), cell),
            para(r.user or "–", cell),
            para(action_label(r.action), cell),
            para(r.case_number or "–", cell),
            para(entity_label(r.entity), muted),
            Paragraph(details_markup(r.fields, r.detail), cell),
        ])
    fixed = [w * mm for w in _FIXED_WIDTHS_MM]
    story.append(data_table(data, fixed + [width - sum(fixed)]))
    return story


def render_audit_extract_bytes(extract, *, letterhead: Mapping[str, object], printed_by: str,
                               printed_at: dt.datetime) -> bytes:
    return build_pdf(lambda: audit_extract_story(extract, width=TEXT_WIDTH), letterhead=letterhead,
                     title=HEADING, printed_by=printed_by, printed_at=printed_at,
                     subject=f"{extract.name} ({extract.cpr_masked})")


def render_audit_extract(path: str | os.PathLike, extract, *, letterhead: Mapping[str, object], printed_by: str,
                         printed_at: dt.datetime) -> Path:
    """Write the extract to ``path`` (atomically) and return the path."""
    return write_pdf(path, render_audit_extract_bytes(extract, letterhead=letterhead, printed_by=printed_by,
                                                      printed_at=printed_at))
