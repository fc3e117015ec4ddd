"""The agenda of a weekly case conference: each case with why it is up, then the free items.
Printed before the meeting for the attendees (team members); it names the cases as the case list
does and holds no health data. Duck-typed like ``app.services.conferences.ConferenceDetail``."""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from app.printing.blocks import conference_facts, day, document_head, document_styles, heading, reason_text
from app.printing.styles import data_table
from app.printing.templates import TEXT_WIDTH, build_document, para


def render_agenda(doc) -> bytes:
    return build_document(doc, agenda_story, title=f"Dagsorden til casekonference {day(doc.held_on)}")


def agenda_story(doc) -> list[Flowable]:
    st = document_styles()
    story = document_head("Dagsorden", f"Casekonference {day(doc.held_on)}",
                          conference_facts(doc, str(len(doc.items))), st)
    story += heading("Punkter", st)
    if not doc.items:
        return story + [Paragraph("Ingen punkter på dagsordenen.", st["Empty"])]
    cell, head, muted = st["TableCell"], st["TableHead"], st["TableCellMuted"]
    data = [[Paragraph(h, head) for h in ("Nr.", "Forløb / emne", "Hvorfor")]]
    for n, i in enumerate(doc.items, 1):
        why = para(reason_text(i), cell)
        data.append([Paragraph(str(n), cell), para(i.heading, cell if i.case_id else muted), why])
    story.append(data_table(data, [10 * mm, 62 * mm, TEXT_WIDTH - 72 * mm]))
    return story
