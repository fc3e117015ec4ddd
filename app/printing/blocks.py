"""Small building blocks the meeting and conference documents share: a heading that never ends a
page alone, a text section, a key-facts box and Danish dates."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Table, TableStyle

from app.printing.styles import RULE
from app.printing.templates import TEXT_WIDTH, para


def day(value: dt.date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


def clock(value: dt.time | None) -> str:
    return value.strftime("kl. %H.%M") if value else ""


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
