"""The printed access log (Adgangslog) of one case: who saw or changed what, and when.

Rows are duck-typed like ``app.services.audit_log.AuditRow`` (at as naive UTC, user as a full
name, action, entity, case_number, fields, detail); times print in local time with seconds,
actions and records as Danish words; the case is named by its number in the heading, never by an
internal id.
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from app import labels
from app.printing.styles import data_table, stylesheet
from app.printing.templates import TEXT_WIDTH, build_pdf, format_datetime, para, safe, write_pdf

HEADING = "Adgangslog"
EMPTY_TEXT = "Ingen registreringer i den valgte periode."
COLUMNS = ("Tidspunkt", "Bruger", "Handling", "Post", "Felter / detaljer")
# Widths in mm for the 170 mm text width; the last column takes what is left. A full name mostly
# fits on one line; the details are often empty.
_FIXED_WIDTHS_MM = (33, 38, 24, 22)


def action_label(action: str) -> str:
    return labels.AUDIT_ACTION_LABELS.get(action, action)


def entity_label(entity: str) -> str:
    """The record's Danish name; the log is one case's, named with its number in the heading."""
    return labels.AUDIT_ENTITY_LABELS.get(entity, entity or "")


def details_markup(fields: str, detail: str) -> str:
    """Changed fields on one line (comma-separated in storage), the free-text detail under them."""
    parts = []
    names = labels.field_names(fields)
    if names:
        parts.append("<b>Felter:</b> " + safe(names))
    if detail:
        parts.append(safe(detail))
    return "<br/>".join(parts)


def access_log_story(*, subject: str, rows: Iterable, filter_text: str,
                     width: float = TEXT_WIDTH) -> list[Flowable]:
    """The flowables of the log; ``width`` is the frame width in points."""
    st = stylesheet()
    rows = list(rows)
    story: list[Flowable] = [
        Paragraph(HEADING, st["Title"]),
        para(subject, st["Subtitle"]),
        para(f"Filter: {filter_text}" if filter_text else "Filter: ingen (alle registreringer)", st["Meta"]),
    ]
    story += audit_rows_table(rows, empty_text=EMPTY_TEXT, width=width)
    return story


def audit_rows_table(rows: list, *, empty_text: str, width: float, fixed_mm: tuple[float, ...] = _FIXED_WIDTHS_MM,
                     with_case: bool = False) -> list[Flowable]:
    """The log's rows as a table under a count (or ``empty_text``): time, person, action, (case,)
    record, fields and details, the last column taking what ``fixed_mm`` leaves. Shared by the
    access log and the citizen's extract."""
    st = stylesheet()
    if not rows:
        return [Paragraph(empty_text, st["Empty"])]
    cell, muted, head = st["TableCell"], st["TableCellMuted"], st["TableHead"]
    columns = (*COLUMNS[:3], "Forløb", *COLUMNS[3:]) if with_case else COLUMNS
    data: list[list] = [[Paragraph(c, head) for c in columns]]
    for r in rows:
        case = [para(r.case_number or "–", cell)] if with_case else []
        data.append([Paragraph(format_datetime(r.at, seconds=True), cell), para(r.user or "–", cell),
                     para(action_label(r.action), cell), *case, para(entity_label(r.entity), muted),
                     Paragraph(details_markup(r.fields, r.detail), cell)])
    fixed = [w * mm for w in fixed_mm]
    return [para(f"{len(rows)} registrering" + ("" if len(rows) == 1 else "er"), st["Meta"]), Spacer(1, 4 * mm),
            data_table(data, fixed + [width - sum(fixed)])]


def render_access_log_bytes(*, letterhead: Mapping[str, object], title: str, subject: str, rows: Iterable,
                            filter_text: str, printed_by: str, printed_at: dt.datetime) -> bytes:
    rows = list(rows)   # read once: the story is built again for the second pass
    # The footer names the case on every page: a later page read on its own still says whose log it is.
    footer_title = f"{title} – {subject}" if subject and subject not in title else title
    return build_pdf(
        lambda: access_log_story(subject=subject, rows=rows, filter_text=filter_text, width=TEXT_WIDTH),
        letterhead=letterhead, title=footer_title, printed_by=printed_by, printed_at=printed_at, subject=subject)


def render_access_log(path: str | os.PathLike, *, letterhead: Mapping[str, object], title: str, subject: str,
                      rows: Iterable, filter_text: str, printed_by: str, printed_at: dt.datetime) -> Path:
    """Write the access log to ``path`` (atomically) and return the path."""
    data = render_access_log_bytes(letterhead=letterhead, title=title, subject=subject, rows=rows,
                                   filter_text=filter_text, printed_by=printed_by, printed_at=printed_at)
    return write_pdf(path, data)
