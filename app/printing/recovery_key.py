"""The recovery key sheet (Gendannelsesnøgle): one page the administrator prints once and locks away.

The key is printed large in a fixed-width font (Courier, one of PDF's standard fonts; the key is
plain ASCII from the base32 alphabet, which has no 0/O or 1/I to confuse), with what it is for and
how to keep it. It appears on the page only: never in the PDF's title, subject or footer.
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from app.printing.styles import ACCENT, stylesheet
from app.printing.templates import TEXT_WIDTH, build_pdf, format_datetime, para, safe, write_pdf

TITLE = "Gendannelsesnøgle"
KEY_FONT = "Courier-Bold"


def recovery_key_story(*, recovery_key: str, database: str, created_by: str,
                       created_at: dt.datetime) -> list[Flowable]:
    st = stylesheet()
    key_style = ParagraphStyle("RecoveryKey", parent=st["BodyText"], fontName=KEY_FONT, fontSize=19, leading=26,
                               alignment=1, textColor=ACCENT)
    key_box = Table([[Paragraph(safe(recovery_key), key_style)]], colWidths=[TEXT_WIDTH],
                    style=TableStyle([("BOX", (0, 0), (-1, -1), 1.2, ACCENT),
                                      ("TOPPADDING", (0, 0), (-1, -1), 5 * mm),
                                      ("BOTTOMPADDING", (0, 0), (-1, -1), 5 * mm)]))
    return [
        Paragraph(TITLE, st["Title"]),
        para("TTA-team: den krypterede database", st["Subtitle"]),
        para(f"Database: {database}", st["Meta"]),
        para(f"Lavet {format_datetime(created_at)} af {created_by}", st["Meta"]),
        Spacer(1, 8 * mm),
        key_box,
        Spacer(1, 8 * mm),
        Paragraph("Hvad nøglen er til", st["Heading2"]),
        Paragraph("Databasen er krypteret. Til daglig åbnes den med brugernes egne adgangskoder. Har alle "
                  "administratorer glemt deres adgangskode, kan en administrator få en ny med denne nøgle: "
                  "luk TTA-team, kør <b>python main.py recover</b> (med <b>--db</b> og databasens placering, "
                  "hvis den ikke ligger i standardmappen) og skriv nøglen og den nye adgangskode. Store og små "
                  "bogstaver, mellemrum og bindestreger er ligegyldige.", st["BodyText"]),
        Paragraph("Sådan opbevares arket", st["Heading2"]),
        Paragraph("Læg arket aflåst og adskilt fra computeren, fx i et pengeskab. Den, der har både arket og "
                  "databasens nøglefil, kan læse alle data i databasen. Tag ikke kopi eller foto af arket, og "
                  "gem ikke nøglen i en fil eller en e-mail.", st["BodyText"]),
        Paragraph("Nøglen kan ikke vises igen. Er arket bortkommet, laver en administrator en ny nøgle under "
                  "Administration; den gamle holder da op med at virke, og det gamle ark destrueres, hvis det "
                  "findes igen.", st["BodyText"]),
    ]


def render_recovery_key_bytes(*, recovery_key: str, letterhead: Mapping[str, object], database: str,
                              created_by: str, created_at: dt.datetime) -> bytes:
    """The one-page sheet as PDF bytes."""
    return build_pdf(lambda: recovery_key_story(recovery_key=recovery_key, database=database,
                                                created_by=created_by, created_at=created_at),
                     letterhead=letterhead, title=TITLE, printed_by=created_by, printed_at=created_at)


def render_recovery_key(path: str | os.PathLike, *, recovery_key: str, letterhead: Mapping[str, object],
                        database: str, created_by: str, created_at: dt.datetime) -> Path:
    """Write the sheet to ``path`` (atomically, for the user alone) and return the path."""
    return write_pdf(path, render_recovery_key_bytes(recovery_key=recovery_key, letterhead=letterhead,
                                                     database=database, created_by=created_by,
                                                     created_at=created_at))
