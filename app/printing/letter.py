"""A letter written from a template: the letterhead, the recipient's address block, date and case
number on the right, the subject in bold, the text paragraph by paragraph; and its Word copy.

The document is duck-typed like ``app.services.letters.LetterDocument``. No database access here.
A line of the text on its own, ending without a full stop and followed by text, is printed as a small
heading (the templates write "Handlingsplan", "Vurdering" on their own lines).
"""
from __future__ import annotations

import io
import re
import unicodedata

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from app.printing.styles import stylesheet
from app.printing.templates import MISSING_GLYPH, TEXT_WIDTH, build_pdf, para, safe

SALUTATIONS = ("med venlig hilsen", "venlig hilsen", "mvh", "kære", "hej")


def blocks(text: str) -> list[tuple[str, list[str]]]:
    """The text as ("heading" | "para", lines) blocks; blank lines separate paragraphs."""
    out: list[tuple[str, list[str]]] = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        lines = [ln.rstrip() for ln in chunk.strip("\n").split("\n")]
        if not any(ln.strip() for ln in lines):
            continue
        first = lines[0].strip()
        if (len(lines) > 1 and first and len(first) <= 60 and ":" not in first
                and not first.endswith((".", ",", "!", "?")) and not first.lower().startswith(SALUTATIONS)):
            out.append(("heading", [first]))
            lines = lines[1:]
        out.append(("para", lines))
    return out


def render_letter(doc) -> bytes:
    return build_pdf(lambda: letter_story(doc), letterhead=doc.letterhead, title=f"{doc.subject}",
                     printed_by=doc.sender, printed_at=doc.printed_at, subject=doc.case_number)


def letter_story(doc) -> list[Flowable]:
    st = stylesheet()
    address = "<br/>".join(safe(ln) for ln in doc.recipient.splitlines() if ln.strip()) or "&nbsp;"
    meta = "<br/>".join([f"Dato: {doc.date:%d-%m-%Y}", f"Forløb: {safe(doc.case_number)}",
                         f"Kontakt: {safe(doc.sender)}"])
    head = Table([[Paragraph(address, st["Normal"]), Paragraph(meta, st["Small"])]],
                 colWidths=[TEXT_WIDTH * 0.6, TEXT_WIDTH * 0.4])
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    story: list[Flowable] = [head, Spacer(1, 14 * mm), para(doc.subject, st["Heading2"]), Spacer(1, 3 * mm)]
    for kind, lines in blocks(doc.body):
        if kind == "heading":
            story.append(para(lines[0], st["Heading2"]))
        else:
            story.append(Paragraph("<br/>".join(safe(ln) for ln in lines), st["BodyText"]))
    return story


# What XML 1.0 (so a Word file) cannot hold: control characters but tab and line breaks, lone
# surrogates, U+FFFE/U+FFFF. lxml refuses them with an exception; here they become the visible marker.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]+")


def word_text(text: object) -> str:
    """User text as a Word file can hold it: NFC, every character XML refuses shown as the marker."""
    return unicodedata.normalize("NFC", _NOT_XML.sub(MISSING_GLYPH, str(text or "")))


def render_docx(doc) -> bytes:
    """The same letter as a Word document (for the jobcentre's systems)."""
    from docx import Document
    from docx.shared import Pt

    d = Document()
    d.core_properties.title = word_text(doc.subject)
    d.core_properties.author = word_text(doc.sender)
    style = d.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    head = [word_text(doc.letterhead.get(key)) for key in ("organisation", "department")]
    p = d.add_paragraph()
    p.add_run(" · ".join(h for h in head if h)).bold = True
    for line in word_text(doc.recipient).splitlines():
        if line.strip():
            d.add_paragraph(line)
    d.add_paragraph(f"Dato: {doc.date:%d-%m-%Y}    Forløb: {word_text(doc.case_number)}")
    subject = d.add_paragraph()
    subject.add_run(word_text(doc.subject)).bold = True
    for kind, lines in blocks(word_text(doc.body)):
        if kind == "heading":
            d.add_paragraph().add_run(lines[0]).bold = True
        else:
            d.add_paragraph("\n".join(lines))
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()
