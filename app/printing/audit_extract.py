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

from reportlab.platypus import Flowable, Paragraph

from app.printing.access_log import audit_rows_table
from app.printing.styles import stylesheet
from app.printing.templates import TEXT_WIDTH, build_pdf, para, write_pdf

HEADING = "Udtræk af adgangsloggen"
EMPTY_TEXT = "Adgangsloggen indeholder ingen registreringer om borgeren."
_FIXED_WIDTHS_MM = (30, 26, 22, 26, 22)  # time, person, action, case, record; details take the rest


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
    story += audit_rows_table(rows, empty_text=EMPTY_TEXT, width=width, fixed_mm=_FIXED_WIDTHS_MM, with_case=True)
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
