"""Clinical and coordination work on a case: assessments, action plans, meetings, conferences,
tasks, journal notes and letters."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from db import codes
from db.base import Base, Versioned, created_ts, fk, in_check, intpk


# --- Assessment (udredning) -------------------------------------------------------------------
class Assessment(Versioned, Base):
    """One discipline's assessment of a case, structured by the ICF headings."""
    __tablename__ = "assessment"
    __table_args__ = (CheckConstraint(in_check("discipline", codes.ROLES), name="discipline"),)
    id: Mapped[intpk]
    case_id: Mapped[int] = fk("tta_case.id", ondelete="CASCADE")
    author_id: Mapped[int] = fk("user_account.id", index=False)
    discipline: Mapped[str] = mapped_column(String(30))
    assessed_on: Mapped[dt.date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The common structured fields (app.assessment_fields): presenting problems, resources, barriers,
    # functional level at work, treatment status and the recommendation for the plan.
    presenting_problems: Mapped[str] = mapped_column(Text, default="", server_default="")
    resources: Mapped[str] = mapped_column(Text, default="", server_default="")
    barriers_personal: Mapped[str] = mapped_column(Text, default="", server_default="")
    barriers_workplace: Mapped[str] = mapped_column(Text, default="", server_default="")
    barriers_other: Mapped[str] = mapped_column(Text, default="", server_default="")
    functional_level: Mapped[str] = mapped_column(Text, default="", server_default="")
    treatment_status: Mapped[str] = mapped_column(Text, default="", server_default="")
    recommendation: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The discipline's own fields (e.g. the twelve elements of the ressourceprofil) by field name.
    details_json: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")
    signed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[created_ts]


class AssessmentAddendum(Base):
    """A signed correction or addition under a signed assessment (the assessment itself never changes)."""
    __tablename__ = "assessment_addendum"
    id: Mapped[intpk]
    assessment_id: Mapped[int] = fk("assessment.id", ondelete="CASCADE")
    author_id: Mapped[int] = fk("user_account.id", index=False)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[created_ts]


class AssessmentSection(Versioned, Base):
    """One ICF heading: resources, barriers, degree, proposed effort, interventions elsewhere."""
    __tablename__ = "assessment_section"
    __table_args__ = (UniqueConstraint("assessment_id", "heading", name="uq_assessment_section_assessment_heading"),
                      CheckConstraint(in_check("heading", codes.ICF_HEADINGS), name="heading"),
                      CheckConstraint("degree IS NULL OR (degree BETWEEN 0 AND 4)", name="degree"))
    id: Mapped[intpk]
    assessment_id: Mapped[int] = fk("assessment.id", ondelete="CASCADE")
    heading: Mapped[str] = mapped_column(String(30))
    resources: Mapped[str] = mapped_column(Text, default="", server_default="")
    barriers: Mapped[str] = mapped_column(Text, default="", server_default="")
    degree: Mapped[int | None] = mapped_column(Integer)  # ICF qualifier 0 (none) .. 4 (complete)
    proposed_effort: Mapped[str] = mapped_column(Text, default="", server_default="")
    running_elsewhere: Mapped[str] = mapped_column(Text, default="", server_default="")


class InstrumentResult(Versioned, Base):
    """Answers to a standard instrument (WHO-5, MDI, RTWSE-19...) with the computed score and band."""
    __tablename__ = "instrument_result"
    __table_args__ = (CheckConstraint(in_check("instrument", codes.INSTRUMENTS), name="instrument"),)
    id: Mapped[intpk]
    case_id: Mapped[int] = fk("tta_case.id", ondelete="CASCADE")
    assessment_id: Mapped[int | None] = fk("assessment.id", ondelete="SET NULL", nullable=True)
    instrument: Mapped[str] = mapped_column(String(20))
    taken_on: Mapped[dt.date] = mapped_column(Date)
    answers_json: Mapped[str] = mapped_column(Text)
    score: Mapped[float | None] = mapped_column(Float)  # None while answers are missing (a draft)
    band: Mapped[str] = mapped_column(String(40), default="", server_default="")
    recorded_by_id: Mapped[int] = fk("user_account.id", index=False)


# --- Action plan (TTA-handlingsplan) ----------------------------------------------------------
class ActionPlan(Versioned, Base):
    """One version of a case's action plan. A new version supersedes the approved one."""
    __tablename__ = "action_plan"
    __table_args__ = (UniqueConstraint("case_id", "version_no", name="uq_action_plan_case_version_no"),
                      CheckConstraint(in_check("status", codes.PLAN_STATUSES), name="status"),
                      CheckConstraint("version_no >= 1", name="version_no"),
                      CheckConstraint("status <> 'approved' OR approved_at IS NOT NULL", name="approved_has_time"),
                      CheckConstraint(in_check("overall_goal", codes.PLAN_GOALS), name="overall_goal"),
                      CheckConstraint("target_hours IS NULL OR (target_hours >= 0 AND target_hours <= 60)",
                                      name="target_hours"))
    id: Mapped[intpk]
    case_id: Mapped[int] = fk("tta_case.id", ondelete="CASCADE")
    version_no: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="draft", server_default="draft")
    purpose: Mapped[str] = mapped_column(Text, default="", server_default="")
    citizen_view: Mapped[str] = mapped_column(Text, default="", server_default="")
    expected_return_date: Mapped[dt.date | None] = mapped_column(Date)
    overall_goal: Mapped[str] = mapped_column(String(20), default="own_job", server_default="own_job")
    target_hours: Mapped[float | None] = mapped_column(Float)   # weekly hours the plan aims for
    # Tasks at work and adaptations agreed with the employer (the employer's printout shows these).
    work_adaptations: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_by_id: Mapped[int] = fk("user_account.id", index=False)
    approved_by_id: Mapped[int | None] = fk("user_account.id", nullable=True, index=False)
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[created_ts]


class PlanGoal(Versioned, Base):
    __tablename__ = "plan_goal"
    __table_args__ = (CheckConstraint(in_check("owner", codes.GOAL_OWNERS), name="owner"),)
    id: Mapped[intpk]
    plan_id: Mapped[int] = fk("action_plan.id", ondelete="CASCADE")
    owner: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    target_date: Mapped[dt.date | None] = mapped_column(Date)
    achieved: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    sort_order: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class PlanIntervention(Versioned, Base):
    __tablename__ = "plan_intervention"
    __table_args__ = (CheckConstraint("end_date IS NULL OR start_date IS NULL OR end_date >= start_date",
                                      name="dates"),
                      CheckConstraint(in_check("status", codes.INTERVENTION_STATUSES), name="status"))
    id: Mapped[intpk]
    plan_id: Mapped[int] = fk("action_plan.id", ondelete="CASCADE")
    intervention_id: Mapped[int] = fk("catalog_item.id", index=False)
    responsible_id: Mapped[int | None] = fk("user_account.id", nullable=True, index=False)
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    status: Mapped[str] = mapped_column(String(20), default="planned", server_default="planned")
    sort_order: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class PlanAssessment(Base):
    """An assessment a plan version rests on."""
    __tablename__ = "plan_assessment"
    plan_id: Mapped[int] = mapped_column(ForeignKey("action_plan.id", ondelete="CASCADE"), primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"), primary_key=True,
                                               index=True)


class PlanTemplate(Versioned, Base):
    """A team lead's starting point for new plans of the cases in some subgroups (the KIA courses)."""
    __tablename__ = "plan_template"
    __table_args__ = (CheckConstraint(in_check("workplace", codes.TEMPLATE_WORKPLACE), name="workplace"),
                      CheckConstraint(in_check("overall_goal", codes.PLAN_GOALS), name="overall_goal"),
                      CheckConstraint("weeks >= 1 AND weeks <= 104", name="weeks"))
    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(120), unique=True)
    subgroups: Mapped[str] = mapped_column(String(40))   # "1,2,3"
    workplace: Mapped[str] = mapped_column(String(10), default="any", server_default="any")
    overall_goal: Mapped[str] = mapped_column(String(20), default="own_job", server_default="own_job")
    weeks: Mapped[int] = mapped_column(Integer, default=12, server_default="12")
    purpose: Mapped[str] = mapped_column(Text, default="", server_default="")
    team_goals: Mapped[str] = mapped_column(Text, default="", server_default="")      # one per line
    interventions: Mapped[str] = mapped_column(Text, default="", server_default="")   # catalogue codes, commas
    gradual_weeks: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    gradual_start_hours: Mapped[float] = mapped_column(Float, default=8, server_default="8")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")


class GradualReturnWeek(Versioned, Base):
    """One week of a partial-return (delvis raskmelding) schedule."""
    __tablename__ = "gradual_return_week"
    __table_args__ = (UniqueConstraint("plan_id", "week_no", name="uq_gradual_return_week_plan_week_no"),
                      CheckConstraint("week_no >= 1", name="week_no"),
                      CheckConstraint("days_per_week IS NULL OR (days_per_week BETWEEN 0 AND 7)", name="days"),
                      CheckConstraint("hours_per_week >= 0 AND hours_per_week <= 60", name="hours"),
                      CheckConstraint("actual_hours IS NULL OR (actual_hours >= 0 AND actual_hours <= 80)",
                                      name="actual_hours"))
    id: Mapped[intpk]
    plan_id: Mapped[int] = fk("action_plan.id", ondelete="CASCADE")
    week_no: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[dt.date | None] = mapped_column(Date)
    days_per_week: Mapped[int | None] = mapped_column(Integer)
    hours_per_day: Mapped[float | None] = mapped_column(Float)
    hours_per_week: Mapped[float] = mapped_column(Float)
    actual_hours: Mapped[float | None] = mapped_column(Float)   # entered as the weeks pass
    weekdays: Mapped[str] = mapped_column(String(40), default="", server_default="")   # "man, tir, ons"
    tasks: Mapped[str] = mapped_column(Text, default="", server_default="")
    accommodations: Mapped[str] = mapped_column(Text, default="", server_default="")
    follow_up: Mapped[str] = mapped_column(Text, default="", server_default="")


# --- Round-table meeting (rundbordssamtale) --------------------------------------------------
class RoundTableMeeting(Versioned, Base):
    __tablename__ = "round_table_meeting"
    __table_args__ = (CheckConstraint(in_check("status", codes.MEETING_STATUSES), name="status"),
                      CheckConstraint(in_check("meeting_type", codes.MEETING_TYPES), name="meeting_type"),
                      CheckConstraint("duration_minutes BETWEEN 15 AND 480", name="duration_minutes"),
                      CheckConstraint("sequence_no >= 1", name="sequence_no"))
    id: Mapped[intpk]
    case_id: Mapped[int] = fk("tta_case.id", ondelete="CASCADE")
    sequence_no: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    meeting_date: Mapped[dt.date] = mapped_column(Date, index=True)
    start_time: Mapped[dt.time | None] = mapped_column(Time)
    location: Mapped[str] = mapped_column(String(200), default="", server_default="")
    purpose: Mapped[str] = mapped_column(Text, default="", server_default="")
    status: Mapped[str] = mapped_column(String(20), default="planned", server_default="planned")
    citizen_account: Mapped[str] = mapped_column(Text, default="", server_default="")
    function_description: Mapped[str] = mapped_column(Text, default="", server_default="")
    workplace_options: Mapped[str] = mapped_column(Text, default="", server_default="")
    next_meeting_date: Mapped[dt.date | None] = mapped_column(Date)
    # status, return plan or the future job (DOMAIN.md: a meeting may be repeated for each)
    meeting_type: Mapped[str] = mapped_column(String(20), default="status", server_default="status")
    agenda: Mapped[str] = mapped_column(Text, default="", server_default="")
    duration_minutes: Mapped[int] = mapped_column(Integer, default=60, server_default="60")
    # What colleagues may be told (agreed with the employee); goes on every copy of the minutes.
    colleagues_info: Mapped[str] = mapped_column(Text, default="", server_default="")
    facilitator_id: Mapped[int | None] = fk("user_account.id", nullable=True, index=False)
    created_at: Mapped[created_ts]


class MeetingParticipant(Versioned, Base):
    __tablename__ = "meeting_participant"
    id: Mapped[intpk]
    meeting_id: Mapped[int] = fk("round_table_meeting.id", ondelete="CASCADE")
    name: Mapped[str] = mapped_column(String(120))
    role_label: Mapped[str] = mapped_column(String(80))  # "Borger", "Nærmeste leder", "Tillidsrepræsentant"...
    organisation: Mapped[str] = mapped_column(String(200), default="", server_default="")
    user_id: Mapped[int | None] = fk("user_account.id", nullable=True, index=False)
    attended: Mapped[bool | None] = mapped_column(Boolean)
    receives_minutes: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")


class MeetingItem(Versioned, Base):
    """Obstacles (employee's / employer's view), solutions and agreements of a meeting."""
    __tablename__ = "meeting_item"
    __table_args__ = (CheckConstraint(in_check("kind", codes.MEETING_ITEM_KINDS), name="kind"),)
    id: Mapped[intpk]
    meeting_id: Mapped[int] = fk("round_table_meeting.id", ondelete="CASCADE")
    kind: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)
    responsible: Mapped[str] = mapped_column(String(120), default="", server_default="")
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    sort_order: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # An agreement's follow-up task, and when it was carried into the action plan as an intervention.
    task_id: Mapped[int | None] = fk("task.id", ondelete="SET NULL", nullable=True, index=False)
    carried_to_plan_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


# --- Weekly case conference (casekonference) ------------------------------------------------
class CaseConference(Versioned, Base):
    __tablename__ = "case_conference"
    id: Mapped[intpk]
    held_on: Mapped[dt.date] = mapped_column(Date, unique=True)
    chair_id: Mapped[int | None] = fk("user_account.id", nullable=True, index=False)
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    closed: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    created_at: Mapped[created_ts]


class ConferenceAttendee(Base):
    """A team member at a conference."""
    __tablename__ = "conference_attendee"
    conference_id: Mapped[int] = mapped_column(ForeignKey("case_conference.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True, index=True)


class ConferenceItem(Versioned, Base):
    """A case on a conference's agenda, why it came up, what was said and decided; a free item
    (``case_id`` None) has only a title."""
    __tablename__ = "conference_item"
    __table_args__ = (UniqueConstraint("conference_id", "case_id", name="uq_conference_item_conference_case"),
                      CheckConstraint(in_check("reason", codes.CONFERENCE_REASONS), name="reason"))
    id: Mapped[intpk]
    conference_id: Mapped[int] = fk("case_conference.id", ondelete="CASCADE")
    case_id: Mapped[int | None] = fk("tta_case.id", ondelete="CASCADE", nullable=True)
    reason: Mapped[str] = mapped_column(String(30))
    reason_detail: Mapped[str] = mapped_column(String(300), default="", server_default="")  # "signeret 12-11-2026"
    title: Mapped[str] = mapped_column(String(200), default="", server_default="")   # a free item's subject
    sort_order: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    decision: Mapped[str] = mapped_column(Text, default="", server_default="")


# --- Tasks, journal, letters -----------------------------------------------------------------
class Task(Versioned, Base):
    __tablename__ = "task"
    # "Next deadline" per case: MIN(due_date) of open tasks, answered from the index alone.
    __table_args__ = (Index("ix_task_case_open_due", "case_id", "done_at", "due_date"),
                      # Overblik's overdue count and task list, for everyone and per owner
                      Index("ix_task_open_due", "done_at", "due_date"),
                      Index("ix_task_owner_open_due", "owner_id", "done_at", "due_date"))
    id: Mapped[intpk]
    case_id: Mapped[int | None] = fk("tta_case.id", ondelete="CASCADE", nullable=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    owner_id: Mapped[int] = fk("user_account.id")
    due_date: Mapped[dt.date] = mapped_column(Date, index=True)
    done_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    kind: Mapped[str] = mapped_column(String(30), default="manual", server_default="manual")
    conference_item_id: Mapped[int | None] = fk("conference_item.id", ondelete="SET NULL", nullable=True,
                                                index=False)
    created_by_id: Mapped[int] = fk("user_account.id", index=False)
    created_at: Mapped[created_ts]
    # A deadline computed from a rule (kind "deadline"): the rule, which occurrence, and the source as it
    # read when computed (a completed deadline keeps it even if the rule is edited later).
    rule_id: Mapped[int | None] = fk("follow_up_rule.id", ondelete="SET NULL", nullable=True, index=False)
    rule_key: Mapped[str | None] = mapped_column(String(60))
    rule_source: Mapped[str] = mapped_column(String(200), default="", server_default="")


class JournalNote(Versioned, Base):
    """A dated journal note. Signed notes are never edited, only annotated (``annotates_id``)."""
    __tablename__ = "journal_note"
    __table_args__ = (CheckConstraint(in_check("kind", codes.JOURNAL_KINDS), name="kind"),
                      CheckConstraint("length(text) > 0", name="text_not_empty"))
    id: Mapped[intpk]
    case_id: Mapped[int] = fk("tta_case.id", ondelete="CASCADE")
    author_id: Mapped[int] = fk("user_account.id", index=False)
    note_date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    signed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    annotates_id: Mapped[int | None] = fk("journal_note.id", nullable=True, index=False)
    created_at: Mapped[created_ts]


class LetterTemplate(Versioned, Base):
    """A letter's text with merge fields (``{borger_navn}``), edited by the team lead or administrator."""
    __tablename__ = "letter_template"
    __table_args__ = (CheckConstraint(in_check("recipient_kind", codes.LETTER_RECIPIENTS), name="recipient_kind"),
                      CheckConstraint(in_check("letter_kind", codes.LETTER_KINDS), name="letter_kind"))
    id: Mapped[intpk]
    code: Mapped[str] = mapped_column(String(30), unique=True)   # start, midtvejs, afslutning, laege ...
    name: Mapped[str] = mapped_column(String(120))
    recipient_kind: Mapped[str] = mapped_column(String(20))
    letter_kind: Mapped[str] = mapped_column(String(30))
    subject: Mapped[str] = mapped_column(String(200), default="", server_default="")
    body: Mapped[str] = mapped_column(Text, default="", server_default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")


class Letter(Versioned, Base):
    """A document printed or sent: what, to whom, when, by whom; a letter written from a template keeps
    the exact PDF that left the program."""
    __tablename__ = "letter"
    __table_args__ = (CheckConstraint(in_check("kind", codes.LETTER_KINDS), name="kind"),
                      CheckConstraint("recipient_kind = '' OR " + in_check("recipient_kind", codes.LETTER_RECIPIENTS),
                                      name="recipient_kind"))
    id: Mapped[intpk]
    case_id: Mapped[int | None] = fk("tta_case.id", ondelete="CASCADE", nullable=True)
    kind: Mapped[str] = mapped_column(String(30))
    recipient: Mapped[str] = mapped_column(String(200), default="", server_default="")
    sent_on: Mapped[dt.date] = mapped_column(Date)
    created_by_id: Mapped[int] = fk("user_account.id", index=False)
    title: Mapped[str] = mapped_column(String(200), default="", server_default="")
    body: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[created_ts]
    template_code: Mapped[str] = mapped_column(String(30), default="", server_default="")
    recipient_kind: Mapped[str] = mapped_column(String(20), default="", server_default="")
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
