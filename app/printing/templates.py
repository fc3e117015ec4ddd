"""Page layouts and text helpers shared by every printed document.

Follows ReportLab's ``tools/docco/rltemplate.py``: each page layout is a ``PageTemplate`` that
draws its own header and footer in ``afterDrawPage``. The first page carries the full letterhead,
later pages a one-line running head; every page has a footer with the document title, who printed
it and when, and "Side x af y". The total page count is known only at the end: the document is
laid out once on a canvas that keeps each finished page (``_NumberedCanvas``) and writes the page
numbers onto all of them when the last page is done. (A second layout pass, as rst2pdf's
``createpdf.py`` does, doubled the time of every printout.) Documents pass a story *factory*.

User text never goes into a ``Paragraph`` raw: ``safe()`` escapes markup characters (an unescaped
``<`` or ``&`` raises, or worse, is interpreted) and replaces characters the embedded font cannot
draw with a visible marker instead of letting the PDF show an empty box.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import unicodedata
from collections.abc import Callable, Mapping
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from app.printing.fonts import FontSet, fonts
from app.printing.styles import ACCENT, INK, MUTED, RULE

PAGE_SIZE = A4
MARGIN = 20 * mm
TEXT_WIDTH = PAGE_SIZE[0] - 2 * MARGIN   # the frame width on every page
MISSING_GLYPH = "[?]"   # what a character the font cannot draw becomes; plain ASCII, so always drawable

LETTERHEAD_KEYS = ("organisation", "department", "address", "postcode_city", "phone", "email", "cvr")

StoryFactory = Callable[[], list[Flowable]]

# Code points that only modify the character before them (emoji joiners, variation selectors,
# skin tones, tag characters): after a replaced character they belong to the same marker.
_JOINER = 0x200D


def _is_modifier(cp: int) -> bool:
    return (cp == _JOINER or 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF
            or 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F or cp == 0x20E3)


# -- text -------------------------------------------------------------------------------------------
def printable(text: object, font_set: FontSet | None = None) -> str:
    """``text`` as the font can draw it: NFC-normalised, newlines kept, every character without a
    glyph replaced by ``MISSING_GLYPH``. An emoji sequence (base + joiners/modifiers) gives one
    marker, not one per code point. No markup escaping; see ``safe`` for Paragraph text."""
    if text is None:
        return ""
    f = font_set or fonts()
    s = unicodedata.normalize("NFC", str(text)).replace("\r\n", "\n").replace("\r", "\n")
    out: list[str] = []
    after_marker = False      # the previous output was a marker: swallow its modifiers
    after_joiner = False      # ...and a joiner inside it: the next character is part of it too
    for ch in s:
        cp = ord(ch)
        if ch == "\n":
            out.append(ch)
            after_marker = after_joiner = False
        elif after_marker and _is_modifier(cp):
            after_joiner = cp == _JOINER
        elif after_marker and after_joiner:
            after_joiner = False   # the person/object joined onto the sequence already marked
        elif cp in f.covered:
            out.append(ch)
            after_marker = after_joiner = False
        elif ch.isspace():
            out.append(" ")        # tabs, odd Unicode spaces
            after_marker = after_joiner = False
        elif unicodedata.category(ch) == "Cf" and _is_modifier(cp):
            pass                   # a stray invisible joiner/selector draws nothing either way
        else:
            out.append(MISSING_GLYPH)
            after_marker, after_joiner = True, False
    return "".join(out)


def safe(text: object) -> str:
    """User text made safe for ``Paragraph`` markup: drawable, escaped, line breaks kept."""
    return escape(printable(text)).replace("\n", "<br/>")


def para(text: object, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of *user* text (escaped). Build markup yourself only from constant strings."""
    return Paragraph(safe(text), style)


def line(text: object) -> str:
    """Printable text for a single canvas line (headers, footers): no line breaks."""
    return " ".join(printable(text).split())


def local_time(value: dt.datetime) -> dt.datetime:
    """A naive datetime is UTC (how the application stores time); shown in the PC's local time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone()


def format_datetime(value: dt.datetime | None, *, seconds: bool = False) -> str:
    """dd-mm-åååå hh:mm[:ss] in local time; empty for None."""
    if value is None:
        return ""
    return local_time(value).strftime("%d-%m-%Y %H:%M:%S" if seconds else "%d-%m-%Y %H:%M")


def fit(text: str, font_name: str, size: float, width: float) -> str:
    """Shorten ``text`` with an ellipsis so it fits ``width`` points."""
    if stringWidth(text, font_name, size) <= width:
        return text
    ellipsis = "…" if ord("…") in fonts().covered else "..."
    while text and stringWidth(text + ellipsis, font_name, size) > width:
        text = text[:-1]
    return text.rstrip() + ellipsis


# -- page layouts -----------------------------------------------------------------------------------
# Vertical positions measured from the top (header) and bottom (footer) paper edges.
_FIRST_HEAD_BASELINE = 16 * mm
_FIRST_HEAD_RULE = 36 * mm
_FIRST_FRAME_TOP = 42 * mm
_LATER_HEAD_BASELINE = 12 * mm
_LATER_HEAD_RULE = 14.5 * mm
_LATER_FRAME_TOP = MARGIN
_FOOT_RULE = 15.5 * mm
_FOOT_LINE_1 = 11.5 * mm
_FOOT_LINE_2 = 8 * mm
_FRAME_BOTTOM = MARGIN


class _LetterheadPage(PageTemplate):
    """A page with the footer; subclasses draw their own head in ``draw_head``."""

    frame_top: float = MARGIN

    def __init__(self, template_id: str, page_size: tuple[float, float], **kw):
        width, height = page_size
        frame = Frame(MARGIN, _FRAME_BOTTOM, width - 2 * MARGIN, height - self.frame_top - _FRAME_BOTTOM,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=f"{template_id}-body")
        super().__init__(id=template_id, frames=[frame], pagesize=page_size, **kw)
        # The text column's edges and the paper's height, which every head and footer draws against.
        self.left, self.right, self.height = MARGIN, width - MARGIN, height

    def afterDrawPage(self, canv, doc: LetterheadDocTemplate) -> None:
        canv.saveState()
        try:
            self.draw_head(canv, doc)
            self.draw_footer(canv, doc)
        finally:
            canv.restoreState()

    def draw_head(self, canv, doc: LetterheadDocTemplate) -> None:
        raise NotImplementedError

    def rule(self, canv, y: float, colour=RULE, line_width: float = 0.5) -> None:
        """A rule across the text column, ``y`` up from the bottom edge."""
        canv.setStrokeColor(colour)
        canv.setLineWidth(line_width)
        canv.line(self.left, y, self.right, y)

    def draw_footer(self, canv, doc: LetterheadDocTemplate) -> None:
        f = fonts()
        left, right = self.left, self.right
        self.rule(canv, _FOOT_RULE)
        size = _PAGE_NUMBER_SIZE
        # "Side x af y" is written by the canvas once the page count is known (_NumberedCanvas).
        room = right - left - stringWidth("Side 999 af 999", f.bold, size) - 8 * mm
        canv.setFont(f.regular, size)
        canv.drawString(left, _FOOT_LINE_1, fit(line(doc.doc_title), f.regular, size, room))
        canv.setFillColor(MUTED)
        printed = f"Udskrevet {format_datetime(doc.printed_at)} af {line(doc.printed_by)}"
        canv.drawString(left, _FOOT_LINE_2, fit(printed, f.regular, size, room))


class FirstPage(_LetterheadPage):
    """The full letterhead: organisation and department on the left, address and contact on the
    right, an accent rule under it."""

    frame_top = _FIRST_FRAME_TOP

    def draw_head(self, canv, doc: LetterheadDocTemplate) -> None:
        f = fonts()
        left, right, height = self.left, self.right, self.height
        head = doc.letterhead
        half = (right - left) / 2 - 4 * mm
        y = height - _FIRST_HEAD_BASELINE
        canv.setFillColor(ACCENT)
        canv.setFont(f.bold, 13)
        if head["organisation"]:
            canv.drawString(left, y, fit(head["organisation"], f.bold, 13, half))
        if head["department"]:
            canv.setFillColor(INK)
            canv.setFont(f.regular, 9.5)
            canv.drawString(left, y - 13, fit(head["department"], f.regular, 9.5, half))
        contact = [head["address"], head["postcode_city"],
                   f"Tlf. {head['phone']}" if head["phone"] else "",
                   head["email"], f"CVR-nr. {head['cvr']}" if head["cvr"] else ""]
        canv.setFillColor(MUTED)
        canv.setFont(f.regular, 8)
        for i, text in enumerate(t for t in contact if t):
            canv.drawRightString(right, y - i * 10, fit(text, f.regular, 8, half))
        self.rule(canv, height - _FIRST_HEAD_RULE, ACCENT, 0.8)


class LaterPage(_LetterheadPage):
    """A one-line running head: organisation and department, hairline under it."""

    frame_top = _LATER_FRAME_TOP

    def draw_head(self, canv, doc: LetterheadDocTemplate) -> None:
        f = fonts()
        left, right, height = self.left, self.right, self.height
        head = doc.letterhead
        text = " · ".join(t for t in (head["organisation"], head["department"]) if t)
        canv.setFillColor(MUTED)
        canv.setFont(f.regular, 7.5)
        canv.drawString(left, height - _LATER_HEAD_BASELINE, fit(text, f.regular, 7.5, right - left))
        self.rule(canv, height - _LATER_HEAD_RULE)


_PAGE_NUMBER_SIZE = 7.5


class _NumberedCanvas(Canvas):
    """Keeps every finished page until the document is complete, then writes "Side x af y" on each
    (right-aligned on the footer's first line) and only then emits the pages."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._finished_pages: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._finished_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._finished_pages)
        f = fonts()
        for state in self._finished_pages:
            self.__dict__.update(state)
            self.saveState()
            self.setFont(f.bold, _PAGE_NUMBER_SIZE)
            self.setFillColor(INK)
            self.drawRightString(self._pagesize[0] - MARGIN, _FOOT_LINE_1, f"Side {self._pageNumber} af {total}")
            self.restoreState()
            super().showPage()
        super().save()


class LetterheadDocTemplate(BaseDocTemplate):
    """A4 portrait, 20 mm margins, letterhead on page one, footer with "Side x af y" on all; use
    ``build_pdf`` rather than building this directly (its canvas writes the page numbers)."""

    def __init__(self, filename, *, letterhead: Mapping[str, object], title: str, printed_by: str,
                 printed_at: dt.datetime, subject: str = "", **kw):
        kw.setdefault("pagesize", PAGE_SIZE)
        for side in ("leftMargin", "rightMargin", "topMargin", "bottomMargin"):
            kw.setdefault(side, MARGIN)
        super().__init__(filename, title=line(title), subject=line(subject), author=line(printed_by),
                         creator="TTA-team", lang="da-DK", **kw)
        self.letterhead = {key: line(letterhead.get(key) or "") for key in LETTERHEAD_KEYS}
        self.doc_title = title
        self.printed_by = printed_by
        self.printed_at = printed_at
        first = FirstPage("first", self.pagesize, autoNextPageTemplate="later")
        later = LaterPage("later", self.pagesize)
        self.addPageTemplates([first, later])


def build_pdf(make_story: StoryFactory, *, letterhead: Mapping[str, object], title: str, printed_by: str,
              printed_at: dt.datetime, subject: str = "") -> bytes:
    """Lay the story out once and return the PDF bytes, every page numbered "Side x af y"."""
    buffer = io.BytesIO()
    doc = LetterheadDocTemplate(buffer, letterhead=letterhead, title=title, printed_by=printed_by,
                                printed_at=printed_at, subject=subject)
    doc.build(make_story(), canvasmaker=_NumberedCanvas)
    return buffer.getvalue()


def build_document(doc, make_story: Callable[[object], list[Flowable]], *, title: str, subject: str = "") -> bytes:
    """``build_pdf`` for a document object that carries its letterhead and who printed it when
    (``letterhead``, ``printed_by``, ``printed_at``); ``make_story(doc)`` lays out its content."""
    return build_pdf(lambda: make_story(doc), letterhead=doc.letterhead, title=title, printed_by=doc.printed_by,
                     printed_at=doc.printed_at, subject=subject)


def write_pdf(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically and for the user alone (``db.private_files``), so a
    failed print never leaves half a PDF behind and a printed health record is not left readable
    by every user of the PC."""
    from db.private_files import private_dir, write_private_file
    target = Path(path)
    if not target.parent.is_dir():   # a folder made for printouts is the user's alone (an existing one is left)
        private_dir(target.parent)
    return write_private_file(target, data)
