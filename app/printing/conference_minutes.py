"""The minutes of a weekly case conference: per item the notes, the decision and the tasks given.
For the team only. Duck-typed like ``app.services.conferences.ConferenceDetail``."""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from app.printing.blocks import bullets, conference_facts, day, document_head, document_styles, heading, reason_text
from app.printing.templates import build_document, para, safe


def render_minutes(doc) -> bytes:
    return build_document(doc, minutes_story, title=f"Referat af casekonference {day(doc.held_on)}")


def minutes_story(doc) -> list[Flowable]:
    st = document_styles()
    decided = sum(1 for i in doc.items if i.decision)
    hidden = sum(1 for i in doc.items if not i.full_access)
    points = f"{len(doc.items)}, heraf {decided} med beslutning" + (
        f"; {hidden} kun som oversigt (forløb, du ikke er tilknyttet)" if hidden else "")
    story = document_head("Referat", f"Casekonference {day(doc.held_on)}", conference_facts(doc, points), st)
    if doc.notes:
        story += heading("Generelt", st) + [para(doc.notes, st["BodyText"])]
    story += heading("Punkter", st)
    for n, i in enumerate(doc.items, 1):
        block = [Paragraph(f"{n}. {safe(i.heading)}", st["Heading2"]),
                 para(reason_text(i), st["Meta"])]
        if not i.full_access:
            block.append(para("Noter, beslutning og opgaver vises kun for dem, der er tilknyttet forløbet "
                              "(eller har begrundet deres adgang).", st["Meta"]))
            story.append(KeepTogether(block))
            continue
        if i.notes:
            block.append(para(i.notes, st["BodyText"]))
        block.append(para("Beslutning: " + (i.decision or "ingen beslutning skrevet"), st["BodyText"]))
        if i.tasks:
            block += bullets(["Opgave – " + t for t in i.tasks], st)
        story.append(KeepTogether(block))
    if not doc.items:
        story.append(Paragraph("Ingen punkter.", st["Empty"]))
    story.append(Spacer(1, 4 * mm))
    return story
