"""Bulk writing for the demo generator.

Rows are plain dicts with their primary keys assigned here and written with Core bulk inserts in
dependency order; no ORM object is created per row, which keeps 10,000 cases well under a minute.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from db.models import (
    ActionPlan,
    AfterFollowUp,
    Assessment,
    AssessmentAddendum,
    AssessmentSection,
    Case,
    CaseAbsenceReason,
    CaseConference,
    CaseIcd10,
    CaseTeamMember,
    Citizen,
    ConferenceItem,
    Consent,
    GradualReturnWeek,
    InstrumentResult,
    JournalNote,
    Letter,
    MeetingItem,
    MeetingParticipant,
    PlanGoal,
    PlanIntervention,
    RoundTableMeeting,
    Task,
    WorkplaceContact,
)

# The tables the generator fills, parents before children.
TABLES: tuple[Table, ...] = tuple(m.__table__ for m in (
    Citizen, Case, CaseIcd10, CaseAbsenceReason, WorkplaceContact, CaseTeamMember, Consent, Assessment,
    AssessmentAddendum, AssessmentSection, InstrumentResult, ActionPlan, PlanGoal, PlanIntervention, GradualReturnWeek,
    RoundTableMeeting, MeetingParticipant, JournalNote, Letter, AfterFollowUp, CaseConference,
    ConferenceItem, Task, MeetingItem))   # a meeting's agreement points at its task

FLUSH_EVERY = 40_000  # buffered rows before writing; keeps memory flat for large runs


class RowWriter:
    """Buffers rows per table, assigns primary keys and bulk-inserts in dependency order."""

    def __init__(self, session: Session):
        self.session = session
        self.buf: dict[str, list[dict[str, Any]]] = {}
        self.next_id: dict[str, int] = {}
        self.defaults: dict[str, dict[str, Any]] = {}
        self.stamped: dict[str, tuple[bool, bool]] = {}
        self.counts: dict[str, int] = {}
        self.pending = 0
        for t in TABLES:
            self.buf[t.name] = []
            self.counts[t.name] = 0
            self.next_id[t.name] = (session.scalar(select(func.max(t.c.id))) or 0) + 1
            d = {}
            for c in t.columns:
                if c.name != "id":
                    d[c.name] = c.default.arg if c.default is not None and c.default.is_scalar else None
            self.defaults[t.name] = d
            self.stamped[t.name] = ("created_at" in d, "updated_at" in d)

    def add(self, table: str, at: dt.datetime | None, values: dict[str, Any]) -> int:
        """Buffer one row; ``at`` fills ``created_at``/``updated_at`` where the values leave them empty."""
        row = self.defaults[table].copy()
        row.update(values)
        ident = self.next_id[table]
        self.next_id[table] = ident + 1
        row["id"] = ident
        created, updated = self.stamped[table]
        if created and row["created_at"] is None:
            row["created_at"] = at
        if updated and row["updated_at"] is None:
            row["updated_at"] = at
        self.buf[table].append(row)
        self.pending += 1
        return ident

    def maybe_flush(self) -> None:
        if self.pending >= FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        for t in TABLES:
            rows = self.buf[t.name]
            if rows:
                self.session.execute(insert(t), rows)
                self.counts[t.name] += len(rows)
                self.buf[t.name] = []
        self.pending = 0
