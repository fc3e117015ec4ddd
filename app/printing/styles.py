"""The one stylesheet every printed document is set from.

Built like ReportLab's ``tools/docco/stylesheet.py``: a factory returns a fresh ``StyleSheet1``
whose styles inherit from ``Normal`` through ``parent=``, so a change of font or size here
changes every document. Calm and plain: dark grey text, one accent colour (#1f5f8b) for
headings and table heads, hairline rules.
"""
from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.platypus import Table, TableStyle

from app.printing.fonts import fonts

ACCENT = colors.HexColor("#1f5f8b")
ACCENT_TINT = colors.HexColor("#e4edf4")   # table heads
INK = colors.HexColor("#222222")            # body text
MUTED = colors.HexColor("#5f6b76")          # secondary text, footer
RULE = colors.HexColor("#c9d1d9")           # hairlines between table rows
ZEBRA = colors.HexColor("#f6f8fa")          # every other table row

BASE_SIZE = 9.5
SMALL_SIZE = 8
TABLE_SIZE = 8


def stylesheet() -> StyleSheet1:
    """A fresh stylesheet (callers may tweak their copy without affecting other documents)."""
    f = fonts()
    sheet = StyleSheet1()
    sheet.add(ParagraphStyle(
        "Normal", fontName=f.regular, fontSize=BASE_SIZE, leading=BASE_SIZE * 1.35,
        textColor=INK, alignment=TA_LEFT, splitLongWords=1, spaceBefore=0, spaceAfter=0))
    normal = sheet["Normal"]
    sheet.add(ParagraphStyle("BodyText", parent=normal, spaceAfter=6))
    sheet.add(ParagraphStyle("Small", parent=normal, fontSize=SMALL_SIZE, leading=SMALL_SIZE * 1.3,
                             textColor=MUTED))
    sheet.add(ParagraphStyle("Title", parent=normal, fontName=f.bold, fontSize=17, leading=21,
                             textColor=ACCENT, spaceAfter=2))
    sheet.add(ParagraphStyle("Subtitle", parent=normal, fontSize=11.5, leading=15, spaceAfter=8))
    sheet.add(ParagraphStyle("Heading1", parent=normal, fontName=f.bold, fontSize=13.5, leading=17,
                             textColor=ACCENT, spaceBefore=12, spaceAfter=4, keepWithNext=1))
    sheet.add(ParagraphStyle("Heading2", parent=normal, fontName=f.bold, fontSize=11, leading=14,
                             spaceBefore=9, spaceAfter=3, keepWithNext=1))
    sheet.add(ParagraphStyle("Meta", parent=sheet["Small"], spaceAfter=2))
    sheet.add(ParagraphStyle("Empty", parent=normal, textColor=MUTED, spaceBefore=10))
    sheet.add(ParagraphStyle("TableCell", parent=normal, fontSize=TABLE_SIZE, leading=TABLE_SIZE * 1.25))
    sheet.add(ParagraphStyle("TableCellMuted", parent=sheet["TableCell"], textColor=MUTED))
    sheet.add(ParagraphStyle("TableCellRight", parent=sheet["TableCell"], alignment=TA_RIGHT))
    sheet.add(ParagraphStyle("TableHead", parent=sheet["TableCell"], fontName=f.bold, textColor=ACCENT))
    # Drawn on the canvas by the page templates, kept here so sizes live in one place.
    sheet.add(ParagraphStyle("LetterheadOrganisation", parent=normal, fontName=f.bold, fontSize=13,
                             leading=16, textColor=ACCENT))
    sheet.add(ParagraphStyle("LetterheadLine", parent=normal, fontSize=8, leading=10, textColor=MUTED))
    sheet.add(ParagraphStyle("Footer", parent=normal, fontSize=7.5, leading=9.5, textColor=MUTED))
    return sheet


def table_style(*, header: bool = True, zebra: bool = True) -> TableStyle:
    """Hairline rows, a tinted head row with an accent rule under it, top-aligned cells."""
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
    ]
    first_body = 1 if header else 0
    if header:
        commands += [
            ("BACKGROUND", (0, 0), (-1, 0), ACCENT_TINT),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ]
    if zebra:
        commands.append(("ROWBACKGROUNDS", (0, first_body), (-1, -1), [colors.white, ZEBRA]))
    return TableStyle(commands)


class FlowingTable(Table):
    """A Table that splits between rows, and inside a row only when that row is tall.

    ReportLab splits between rows first; when the next row does not fit in the space left, the
    continuation table (with its repeated head row) is then split inside that row *on the same
    page*, printing a second head row mid-page over a sliver of the row. Here a short row simply
    moves to the next page, and a tall row is cut where the page ends. A row taller than a whole
    page is still split (``splitInRow``), so it never raises ``LayoutError``.
    """

    tall_row = 120.0     # points: rows at least this tall may be cut at the end of a page...
    min_piece = 36.0     # points: ...if at least this much room is left for the first piece

    def split(self, availWidth, availHeight):
        self._calc(availWidth, availHeight)
        if not (self.splitByRow and self.splitInRow):
            return super().split(availWidth, availHeight)
        parts = self._splitRows(availHeight, doInRowSplit=False)
        if len(parts) == 1:
            return parts
        head = self.repeatRows if isinstance(self.repeatRows, int) else max(self.repeatRows) + 1
        # The first row that does not fit (ReportLab refuses to leave only head rows behind).
        n = len(parts[0]._cellvalues) if parts else self._getFirstPossibleSplitRowPosition(availHeight, 1)
        if n < head or n >= len(self._rowHeights):
            return parts
        room = availHeight - sum(self._rowHeights[:n])
        if self._rowHeights[n] < self.tall_row or room < self.min_piece:
            return parts     # [] moves the rest of the table to the next page
        return self._splitRows(availHeight, doInRowSplit=True) or parts or super().split(availWidth, availHeight)


def data_table(data: list[list], col_widths: list[float], *, header: bool = True) -> Table:
    """A table of Paragraph cells that repeats its head row on every page and may split inside a
    row, so a cell taller than a page flows on instead of raising ``LayoutError``."""
    return FlowingTable(data, colWidths=col_widths, repeatRows=1 if header else 0, splitByRow=1, splitInRow=1,
                        style=table_style(header=header), hAlign="LEFT")
