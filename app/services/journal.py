"""Journal notes and the case timeline. Every call needs full access to the case (``app.access``)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.dates import sick_week
from app.errors import PermissionDenied, ValidationError
from app.labels import (
    CONFERENCE_REASON_LABELS,
    INSTRUMENT_LABELS,
    JOURNAL_LABELS,
    LETTER_KIND_LABELS,
    MEETING_STATUS_LABELS,
    PLAN_STATUS_LABELS,
    ROLE_LABELS,
)
from app.services.base import Actor, ServiceBase, apply_changes, check_version, get_or_404
from app.validation import clean_text
from db import codes
from db.models import (
    ActionPlan,
    AfterFollowUp,
    Assessment,
    Case,
    CaseConference,
    CaseReopening,
    CatalogItem,
    ConferenceItem,
    InstrumentResult,
    JournalNote,
    Letter,
    RoundTableMeeting,
    User,
)


@dataclass(frozen=True)
class NoteRow:
    id: int
    version: int
    note_date: dt.date
    kind: str
    author: str
    author_id: int
    text: str
    signed_at: dt.datetime | None
    annotates_id: int | None
    annotations: tuple[NoteRow, ...] = ()


@dataclass(frozen=True)
class TimelineEvent:
    when: dt.date
    kind: str
    title: str
    detail: str
    sick_week: int | None = None  # the sick-leave week on that day; it stops counting at closing


class JournalService(ServiceBase):
    def notes(self, actor: Actor, case_id: int) -> list[NoteRow]:
        """Notes newest first, each with its annotations (oldest first) attached."""
        def work(s):
            self.require_case(s, actor, case_id)
            rows = s.execute(select(JournalNote, User.full_name).join(User, User.id == JournalNote.author_id)
                             .where(JournalNote.case_id == case_id)
                             .order_by(JournalNote.note_date.desc(), JournalNote.id.desc())).all()
            self.audit(s, actor, "read", "journal_note", None, case_id=case_id)
            plain = {n.id: NoteRow(n.id, n.version, n.note_date, n.kind, name, n.author_id, n.text, n.signed_at,
                                   n.annotates_id) for n, name in rows}
            notes = []
            for n in plain.values():
                if n.annotates_id is None:
                    ann = tuple(sorted((a for a in plain.values() if a.annotates_id == n.id), key=lambda a: a.id))
                    notes.append(NoteRow(**{**n.__dict__, "annotations": ann}))
            return notes
        return self._write(actor, "case.read", work)

    def _clean(self, note_date: dt.date, kind: str, text: str) -> str:
        if kind not in codes.JOURNAL_KINDS:
            raise ValidationError("kind", "skal være telefon, møde, e-mail eller andet", label="Type")
        if note_date is None:
            raise ValidationError("note_date", "skal udfyldes", label="Dato")
        if note_date > self.today():
            raise ValidationError("note_date", "må ikke ligge i fremtiden", label="Dato")
        return clean_text(text, field="text", label="Notat", max_len=20000, required=True)

    def add_note(self, actor: Actor, case_id: int, *, note_date: dt.date, kind: str, text: str,
                 sign: bool = False) -> int:
        text = self._clean(note_date, kind, text)

        def work(s):
            self.require_case(s, actor, case_id, action="journal.write")
            c = get_or_404(s, Case, case_id, "Forløb")
            if note_date < c.referral_date - dt.timedelta(days=365):
                raise ValidationError("note_date", "ligger mere end et år før henvisningen", label="Dato")
            n = JournalNote(case_id=c.id, author_id=actor.user_id, note_date=note_date, kind=kind, text=text,
                            signed_at=self.clock() if sign else None)
            s.add(n)
            c.last_activity_at = self.clock()
            s.flush()
            self.audit(s, actor, "create", "journal_note", n.id, case_id=c.id,
                       fields=["text"] + (["signed_at"] if sign else []))
            return n.id
        return self._write(actor, "journal.write", work)

    def _own_unsigned(self, s, actor: Actor, note_id: int, expected_version: int) -> JournalNote:
        n = get_or_404(s, JournalNote, note_id, "Notat")
        self.require_case(s, actor, n.case_id, action="journal.write")
        check_version(n, expected_version, "notatet")
        if n.author_id != actor.user_id:
            raise PermissionDenied("journal.edit_others", actor.role)
        if n.signed_at is not None:
            raise ValidationError("signed_at", "et underskrevet notat kan ikke rettes, kun tilføjes en påtegning",
                                  label="Notat")
        return n

    def edit_note(self, actor: Actor, note_id: int, *, expected_version: int, note_date: dt.date, kind: str,
                  text: str) -> None:
        text = self._clean(note_date, kind, text)

        def work(s):
            n = self._own_unsigned(s, actor, note_id, expected_version)
            changed = apply_changes(n, {"note_date": note_date, "kind": kind, "text": text})
            if changed:
                s.flush()
                self.audit(s, actor, "update", "journal_note", n.id, case_id=n.case_id, fields=changed)
        self._write(actor, "journal.write", work, what="notatet")

    def sign_note(self, actor: Actor, note_id: int, *, expected_version: int) -> None:
        def work(s):
            n = self._own_unsigned(s, actor, note_id, expected_version)
            n.signed_at = self.clock()
            s.flush()
            self.audit(s, actor, "update", "journal_note", n.id, case_id=n.case_id, fields=["signed_at"])
        self._write(actor, "journal.write", work, what="notatet")

    def annotate(self, actor: Actor, note_id: int, text: str) -> int:
        """A signed, dated addition to a signed note (the note itself never changes)."""
        text = clean_text(text, field="text", label="Påtegning", max_len=20000, required=True)

        def work(s):
            n = get_or_404(s, JournalNote, note_id, "Notat")
            self.require_case(s, actor, n.case_id, action="journal.write")
            if n.signed_at is None:
                raise ValidationError("annotates_id", "et notat, der ikke er underskrevet, rettes direkte",
                                      label="Påtegning")
            a = JournalNote(case_id=n.case_id, author_id=actor.user_id, note_date=self.today(), kind=n.kind,
                            text=text, signed_at=self.clock(), annotates_id=n.id)
            s.add(a)
            s.flush()
            self.audit(s, actor, "create", "journal_note", a.id, case_id=n.case_id, fields=["annotates_id", "text"])
            return a.id
        return self._write(actor, "journal.write", work)

    # -- timeline ------------------------------------------------------------------------------
    def timeline(self, actor: Actor, case_id: int) -> list[TimelineEvent]:
        """Every event of the case in one chronological list (oldest first)."""
        def work(s):
            self.require_case(s, actor, case_id)
            c = get_or_404(s, Case, case_id, "Forløb")
            ev: list[tuple[dt.date, int, TimelineEvent]] = []

            def add(when, order, kind, title, detail=""):
                if when is not None:
                    when = when.date() if isinstance(when, dt.datetime) else when
                    week = sick_week(c.sick_leave_start, when, closed=c.closed_date)
                    ev.append((when, order, TimelineEvent(when, kind, title, detail, week)))
            add(c.sick_leave_start, 0, "sick_leave", "Sygemeldt")
            add(c.referral_date, 1, "referral", "Henvisning modtaget",
                f"{c.referring_jobcentre}, sagsbehandler {c.caseworker_name}".strip(", "))
            if c.visitation_date:
                add(c.visitation_date, 2, "visitation",
                    "Visiteret" if c.visitation_decision == "accepted" else "Ikke visiteret",
                    ("Optaget uden for kriterierne: " + c.outside_criteria_reason) if c.outside_criteria else "")
            for a, name in s.execute(select(Assessment, User.full_name).join(User, User.id == Assessment.author_id)
                                     .where(Assessment.case_id == c.id)):
                add(a.assessed_on, 3, "assessment", f"Udredning ({ROLE_LABELS.get(a.discipline, a.discipline)})",
                    name)
            for r in s.scalars(select(InstrumentResult).where(InstrumentResult.case_id == c.id,
                                                              InstrumentResult.score.is_not(None))):
                add(r.taken_on, 3, "instrument",
                    f"{INSTRUMENT_LABELS.get(r.instrument, 'Test')}: {r.score:g}".replace(".", ","), r.band)
            for p in s.scalars(select(ActionPlan).where(ActionPlan.case_id == c.id)):
                add(p.created_at, 4, "plan", f"Handlingsplan version {p.version_no} oprettet",
                    PLAN_STATUS_LABELS.get(p.status, p.status))
                if p.approved_at:
                    add(p.approved_at, 5, "plan", f"Handlingsplan version {p.version_no} godkendt")
            for m in s.scalars(select(RoundTableMeeting).where(RoundTableMeeting.case_id == c.id)):
                add(m.meeting_date, 6, "meeting", f"Rundbordssamtale nr. {m.sequence_no}",
                    f"{MEETING_STATUS_LABELS.get(m.status, m.status)} {m.location}".strip())
            for item, held in s.execute(select(ConferenceItem, CaseConference.held_on).join(
                    CaseConference, CaseConference.id == ConferenceItem.conference_id)
                    .where(ConferenceItem.case_id == c.id)):
                add(held, 7, "conference", "Casekonference: " + CONFERENCE_REASON_LABELS.get(item.reason, item.reason),
                    item.decision)
            for letter in s.scalars(select(Letter).where(Letter.case_id == c.id)):
                add(letter.sent_on, 8, "letter", f"Brev: {letter.title or LETTER_KIND_LABELS.get(letter.kind, 'Brev')}",
                    letter.recipient)
            for n in s.scalars(select(JournalNote).where(JournalNote.case_id == c.id,
                                                         JournalNote.annotates_id.is_(None))):
                add(n.note_date, 8, "journal", f"Journalnotat ({JOURNAL_LABELS.get(n.kind, n.kind)})",
                    n.text[:120] + ("…" if len(n.text) > 120 else ""))
            for r in s.scalars(select(CaseReopening).where(CaseReopening.case_id == c.id)):
                add(r.previous_closed_date, 9, "closing", "Afsluttet")
                add(r.reopened_at, 11, "reopen", "Genåbnet", r.reason)
            if c.closed_date:
                outcome = s.get(CatalogItem, c.outcome_id).label if c.outcome_id else ""
                add(c.closed_date, 9, "closing", "Afsluttet", outcome)
            out_label = aliased(CatalogItem)
            for a, label in s.execute(select(AfterFollowUp, out_label.label).outerjoin(
                    out_label, out_label.id == AfterFollowUp.outcome_id).where(AfterFollowUp.case_id == c.id)):
                if a.recorded_date:
                    add(a.recorded_date, 10, "after_follow_up", f"Efteropfølgning {a.months} mdr.", label or "")
            self.audit(s, actor, "read", "tta_case", c.id, case_id=c.id, detail="tidslinje")
            return [e for _w, _o, e in sorted(ev, key=lambda t: (t[0], t[1]))]
        return self._write(actor, "case.read", work)
