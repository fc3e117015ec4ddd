"""Small building blocks the meeting and conference documents share: the stylesheet they print
with, the document's head (title, subtitle, key facts), a heading that never ends a page alone, a
text section, a key-facts box, the participants table and Danish dates."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer, Table, TableStyle

from app.printing.styles import RULE, data_table, stylesheet
from app.printing.templates import TEXT_WIDTH, para


def day(value: dt.date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


def clock(value: dt.time | None) -> str:
    return value.strftime("kl. %H.%M") if value else ""


def moment(date: dt.date | None, time: dt.time | None) -> str:
    """A meeting's date and time of day, "22-11-2026 kl. 10.00", or what of it is known."""
    return " ".join(t for t in (day(date), clock(time)) if t)


def heading(text: str, st) -> list[Flowable]:
    # Room for a heading and a few lines, so a heading never ends a page alone.
    return [CondPageBreak(30 * mm), Paragraph(text, st["Heading1"])]


def text_block(title: str, text: str | None, st, *, empty: str = "") -> list[Flowable]:
    """A heading and its text; nothing when the text is empty, unless ``empty`` says what to print."""
    if not (text or "").strip() and not empty:
        return []
    out = heading(title, st)
    out.append(para(text, st["BodyText"]) if (text or "").strip() else Paragraph(empty, st["Empty"]))
    return out


def bullets(items: Iterable[str], st) -> list[Flowable]:
    return [para("• " + i, st["BodyText"]) for i in items]


def facts(rows: list[tuple[str, str]], st, *, label_width: float = 32 * mm) -> Table:
    """Key facts as a two-column box with a rule under it."""
    t = Table([[Paragraph(k, st["TableHead"]), para(v, st["TableCell"])] for k, v in rows],
              colWidths=[label_width, TEXT_WIDTH - label_width], hAlign="LEFT")
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                           ("LINEBELOW", (0, -1), (-1, -1), 0.5, RULE)]))
    return t


def document_styles():
    """The stylesheet of a document built from these blocks: ``heading`` keeps a heading off the foot
    of a page, so Heading1 does not also carry the next paragraph along (which would leave half a
    page empty before a long text)."""
    st = stylesheet()
    st["Heading1"].keepWithNext = 0
    return st


def document_head(title: str, subtitle: str, rows: list[tuple[str, str]], st) -> list[Flowable]:
    """The top of a document: its title, a subtitle (who or what it is about) and the key facts."""
    return [Paragraph(title, st["Title"]), para(subtitle, st["Subtitle"]), facts(rows, st), Spacer(1, 3 * mm)]


def conference_facts(doc, points: str) -> list[tuple[str, str]]:
    """A case conference's key facts: who chairs it, who attends and its items (``points``)."""
    return [("Mødeleder", doc.chair or "–"), ("Deltagere", ", ".join(n for _i, n in doc.attendees) or "–"),
            ("Punkter", points)]


def reason_text(item) -> str:
    """Why a case is on a conference's agenda: the reason's label and its detail, if any."""
    return item.reason_label + (f": {item.reason_detail}" if item.reason_detail else "")


def participants(title: str, people: list[dict], st, *, attended: bool = False) -> list[Flowable]:
    """A meeting's participants under ``title``: name, role and organisation, and with ``attended``
    whether each came; nothing when there are none."""
    if not people:
        return []
    cell, head = st["TableCell"], st["TableHead"]
    columns = ("Navn", "Rolle", "Organisation") + (("Deltog",) if attended else ())
    data = [[Paragraph(h, head) for h in columns]]
    for p in people:
        row = [para(p["name"], cell), para(p["role_label"], cell), para(p["organisation"], cell)]
        if attended:
            row.append(Paragraph({True: "Ja", False: "Nej"}.get(p["attended"], "–"), cell))
        data.append(row)
    widths = ([55 * mm, 40 * mm, TEXT_WIDTH - 113 * mm, 18 * mm] if attended
              else [60 * mm, 45 * mm, TEXT_WIDTH - 105 * mm])
    return heading(title, st) + [data_table(data, widths)]
