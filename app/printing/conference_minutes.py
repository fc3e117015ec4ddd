"""The minutes of a weekly case conference: per item the notes, the decision and the tasks given.
For the team only. Duck-typed like ``app.services.conferences.ConferenceDetail``."""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from app.printing.blocks import bullets, day, facts, heading
from app.printing.styles import stylesheet
from app.printing.templates import build_pdf, para, safe


def render_minutes(doc) -> bytes:
    return build_pdf(lambda: minutes_story(doc), letterhead=doc.letterhead,
                     title=f"Referat af casekonference {day(doc.held_on)}", printed_by=doc.printed_by,
                     printed_at=doc.printed_at)


def minutes_story(doc) -> list[Flowable]:
    st = stylesheet()
    st["Heading1"].keepWithNext = 0
    decided = sum(1 for i in doc.items if i.decision)
    story: list[Flowable] = [Paragraph("Referat", st["Title"]),
                             para(f"Casekonference {day(doc.held_on)}", st["Subtitle"]),
                             facts([("Mødeleder", doc.chair or "–"),
                                    ("Deltagere", ", ".join(n for _i, n in doc.attendees) or "–"),
                                    ("Punkter", f"{len(doc.items)}, heraf {decided} med beslutning")], st),
                             Spacer(1, 3 * mm)]
    if doc.notes:
        story += heading("Generelt", st) + [para(doc.notes, st["BodyText"])]
    story += heading("Punkter", st)
    for n, i in enumerate(doc.items, 1):
        block = [Paragraph(f"{n}. {safe(i.heading)}", st["Heading2"]),
                 para(i.reason_label + (f": {i.reason_detail}" if i.reason_detail else ""), st["Meta"])]
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
