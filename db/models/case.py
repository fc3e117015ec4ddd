"""Citizen and case (forløb): referral, visitation, intake characteristics, closing, after-follow-up."""
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
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db import codes
from db.base import Base, Versioned, created_ts, fk, in_check, intpk
from db.names import NAME_KEY_LENGTH

# A name sort key (db/names.py) is compared byte by byte: COLLATE "C" keeps PostgreSQL's locale from
# reordering it; SQLite's default BINARY collation already compares bytes.
NameSortKey = String(NAME_KEY_LENGTH).with_variant(String(NAME_KEY_LENGTH, collation="C"), "postgresql")


class Citizen(Versioned, Base):
    """A person on sick leave. CPR is unique; a second case links to the same citizen."""
    __tablename__ = "citizen"
    __table_args__ = (CheckConstraint(in_check("sex", codes.SEXES), name="sex"),)
    id: Mapped[intpk]
    cpr: Mapped[str] = mapped_column(String(10), unique=True)  # ten digits, no dash
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    # Derived from the name by db.derived on every flush (db/names.py): "first last" folded for
    # searching (å = aa, æ = ae, ø = oe, no accents), and "last first" in Danish alphabetical order.
    name_search: Mapped[str] = mapped_column(String(NAME_KEY_LENGTH), index=True, default="", server_default="")
    name_sort: Mapped[str] = mapped_column(NameSortKey, default="", server_default="")
    birth_date: Mapped[dt.date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(10))
    address: Mapped[str] = mapped_column(String(200), default="", server_default="")
    postcode: Mapped[str] = mapped_column(String(10), default="", server_default="")
    city: Mapped[str] = mapped_column(String(100), default="", server_default="")
    phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    email: Mapped[str] = mapped_column(String(200), default="", server_default="")
    created_at: Mapped[created_ts]

    cases: Mapped[list[Case]] = relationship(back_populates="citizen")


class Case(Versioned, Base):
    """A return-to-work course (forløb), from referral to after-follow-up."""
    __tablename__ = "tta_case"
    __table_args__ = (
        CheckConstraint(in_check("phase", codes.PHASES), name="phase"),
        CheckConstraint(in_check("employment_status", codes.EMPLOYMENT_STATUSES), name="employment_status"),
        CheckConstraint(in_check("socio_economic_level", codes.SOCIO_ECONOMIC_LEVELS), name="socio_economic_level"),
        CheckConstraint(in_check("visitation_decision", codes.VISITATION_DECISIONS), name="visitation_decision"),
        CheckConstraint("subgroup IS NULL OR (subgroup BETWEEN 1 AND 8)", name="subgroup"),
        CheckConstraint("sick_leave_start <= referral_date", name="sick_leave_before_referral"),
        CheckConstraint("closed_date IS NULL OR closed_date >= referral_date", name="closed_after_referral"),
        CheckConstraint("(phase = 'closed') = (closed_date IS NOT NULL)", name="closed_has_date"),
        CheckConstraint("final_hours_per_week IS NULL OR (final_hours_per_week >= 0 AND final_hours_per_week <= 60)",
                        name="final_hours"),
        CheckConstraint("NOT outside_criteria OR length(outside_criteria_reason) > 0", name="outside_reason"),
        Index("ix_tta_case_phase_coordinator", "phase", "coordinator_id"),
        # The case list reads one narrow index per order without visiting the wide case rows: each
        # holds the sort key, the id and the folded name, so a name search in that order reads it too.
        # (next_deadline, case_number and coordinator_id have single-column indexes; on SQLite these
        # hold the rowid as well, which serves the order without a search.)
        Index("ix_tta_case_activity_list", "last_activity_at", "id", "citizen_id", "name_search"),
        Index("ix_tta_case_name_list", "name_sort", "id", "name_search"),
        Index("ix_tta_case_phase_list", "phase", "id", "name_search"),
        Index("ix_tta_case_subgroup_list", "subgroup", "id", "name_search"),
        Index("ix_tta_case_sick_leave_list", "sick_leave_start", "id", "name_search"),
        # "Sygemeldt": closed cases in the order of their stored day count, open ones (NULL) by start date.
        Index("ix_tta_case_sick_days_list", "closed_sick_days", "sick_leave_start", "id", "name_search"),
        Index("ix_tta_case_birth_date_list", "citizen_birth_date", "id", "name_search"),
    )
    id: Mapped[intpk]
    case_number: Mapped[str] = mapped_column(String(20), unique=True)
    citizen_id: Mapped[int] = fk("citizen.id")
    team_id: Mapped[int | None] = fk("team.id", nullable=True)
    coordinator_id: Mapped[int | None] = fk("user_account.id", nullable=True)
    phase: Mapped[str] = mapped_column(String(20), default="referral", server_default="referral")

    # Referral (henvisning)
    referral_date: Mapped[dt.date] = mapped_column(Date)
    referring_jobcentre: Mapped[str] = mapped_column(String(120), default="", server_default="")
    caseworker_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    caseworker_phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    caseworker_email: Mapped[str] = mapped_column(String(200), default="", server_default="")
    referral_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    sick_leave_start: Mapped[dt.date] = mapped_column(Date)

    # Employment and workplace
    employment_status: Mapped[str] = mapped_column(String(20))
    employer_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    employer_address: Mapped[str] = mapped_column(String(200), default="", server_default="")
    job_title: Mapped[str] = mapped_column(String(120), default="", server_default="")
    normal_hours_per_week: Mapped[float | None] = mapped_column(Float)

    # General practitioner
    gp_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    gp_clinic: Mapped[str] = mapped_column(String(200), default="", server_default="")
    gp_phone: Mapped[str] = mapped_column(String(40), default="", server_default="")

    # Intake characteristics (KIA report, table 1); None = not yet known
    socio_economic_level: Mapped[str] = mapped_column(String(20), default="other", server_default="other")
    absent_before_same_cause: Mapped[bool | None] = mapped_column(Boolean)
    expects_return_same_workplace: Mapped[bool | None] = mapped_column(Boolean)
    referred_to_psych: Mapped[bool | None] = mapped_column(Boolean)
    wage_earner: Mapped[bool | None] = mapped_column(Boolean)
    rtw_expectation: Mapped[int | None] = mapped_column(Integer)  # own return-to-work expectation 0-10

    subgroup: Mapped[int | None] = mapped_column(Integer)

    # Visitation
    visitation_decision: Mapped[str] = mapped_column(String(20), default="pending", server_default="pending")
    visitation_date: Mapped[dt.date | None] = mapped_column(Date)
    visitation_by_id: Mapped[int | None] = fk("user_account.id", nullable=True, index=False)
    rejection_reason_id: Mapped[int | None] = fk("catalog_item.id", nullable=True, index=False)
    visitation_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    outside_criteria: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    outside_criteria_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    # Closing (afslutning)
    closed_date: Mapped[dt.date | None] = mapped_column(Date)
    outcome_id: Mapped[int | None] = fk("catalog_item.id", nullable=True)
    other_reason_id: Mapped[int | None] = fk("catalog_item.id", nullable=True, index=False)
    next_effort_id: Mapped[int | None] = fk("catalog_item.id", nullable=True, index=False)
    closing_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    final_hours_per_week: Mapped[float | None] = mapped_column(Float)

    # When anything last happened on the case (journal, meeting, plan...): the case list sorts on it.
    last_activity_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    # Earliest due date of the case's open tasks; kept current by db.derived on every flush.
    next_deadline: Mapped[dt.date | None] = mapped_column(Date, index=True)
    # The citizen's name keys, copied by db.derived on every flush, so the case list searches and
    # sorts by name without joining the citizens.
    name_search: Mapped[str] = mapped_column(String(NAME_KEY_LENGTH), default="", server_default="")
    name_sort: Mapped[str] = mapped_column(NameSortKey, default="", server_default="")
    # The citizen's birth date (what the list shows of the CPR number), copied likewise, so the list
    # sorts by CPR from one narrow index.
    citizen_birth_date: Mapped[dt.date | None] = mapped_column(Date)
    # Days from sick_leave_start to closed_date, set by db.derived on every flush; None while open. The
    # list's "Sygemeldt" order merges these with the open cases' start dates (app/services/cases.py).
    closed_sick_days: Mapped[int | None] = mapped_column(Integer)

    created_at: Mapped[created_ts]
    citizen: Mapped[Citizen] = relationship(back_populates="cases")


class CaseIcd10(Base):
    __tablename__ = "case_icd10"
    __table_args__ = (UniqueConstraint("case_id", "code", name="uq_case_icd10_case_code"),)
    id: Mapped[intpk]
    case_id: Mapped[int] = fk("tta_case.id", ondelete="CASCADE")
    code: Mapped[str] = mapped_column(String(10))  # e.g. F43.2


class CaseAbsenceReason(Base):
    __tablename__ = "case_absence_reason"
    __table_args__ = (UniqueConstraint("case_id", "reason_id", name="uq_case_absence_reason_case_reason"),)
    id: Mapped[intpk]
    case_id: Mapped[int] = fk("tta_case.id", ondelete="CASCADE")
    reason_id: Mapped[int] = fk("catalog_item.id")
    other_text: Mapped[str] = mapped_column(String(200), default="", server_default="")


class WorkplaceContact(Versioned, Base):
    """Manager, HR or union representative at the citizen's workplace."""
    __tablename__ = "workplace_contact"
    __table_args__ = (CheckConstraint(in_check("kind", codes.CONTACT_KINDS), name="kind"),)
    id: Mapped[intpk]
    case_id: Mapped[int] = fk("tta_case.id", ondelete="CASCADE")
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    email: Mapped[str] = mapped_column(String(200), default="", server_default="")


class CaseTeamMember(Base):
    """Team members assigned to a case besides the coordinator."""
    __tablename__ = "case_team_member"
    __table_args__ = (UniqueConstraint("case_id", "user_id", name="uq_case_team_member_case_user"),)
    id: Mapped[intpk]
    case_id: Mapped[int] = fk("tta_case.id", ondelete="CASCADE")
    user_id: Mapped[int] = fk("user_account.id")


class Consent(Versioned, Base):
    """The citizen's consent to share information with employer, GP or others."""
    __tablename__ = "consent"
    __table_args__ = (CheckConstraint(in_check("party", codes.CONSENT_PARTIES), name="party"),
                      CheckConstraint("withdrawn_date IS NULL OR withdrawn_date >= given_date", name="withdrawn"))
    id: Mapped[intpk]
    case_id: Mapped[int] = fk("tta_case.id", ondelete="CASCADE")
    party: Mapped[str] = mapped_column(String(20))
    given_date: Mapped[dt.date] = mapped_column(Date)
    withdrawn_date: Mapped[dt.date | None] = mapped_column(Date)
    scope: Mapped[str] = mapped_column(Text, default="", server_default="")
    given_to: Mapped[str] = mapped_column(String(200), default="", server_default="")   # the named recipient
    recorded_by_id: Mapped[int | None] = fk("user_account.id", nullable=True, index=False)


class AfterFollowUp(Versioned, Base):
    """Status 3, 6 and 12 months after closing."""
    __tablename__ = "after_follow_up"
    __table_args__ = (UniqueConstraint("case_id", "months", name="uq_after_follow_up_case_months"),
                      CheckConstraint("months IN (3, 6, 12)", name="months"))
    id: Mapped[intpk]
    case_id: Mapped[int] = fk("tta_case.id", ondelete="CASCADE")
    months: Mapped[int] = mapped_column(Integer)
    due_date: Mapped[dt.date] = mapped_column(Date, index=True)
    recorded_date: Mapped[dt.date | None] = mapped_column(Date)
    outcome_id: Mapped[int | None] = fk("catalog_item.id", nullable=True, index=False)
    other_reason_id: Mapped[int | None] = fk("catalog_item.id", nullable=True, index=False)
    hours_per_week: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    recorded_by_id: Mapped[int | None] = fk("user_account.id", nullable=True, index=False)


class CaseReopening(Base):
    """A closed case reopened by the coordinator, with the stated reason."""
    __tablename__ = "case_reopening"
    id: Mapped[intpk]
    case_id: Mapped[int] = fk("tta_case.id", ondelete="CASCADE")
    reopened_at: Mapped[dt.datetime] = mapped_column(DateTime)
    reopened_by_id: Mapped[int] = fk("user_account.id", index=False)
    reason: Mapped[str] = mapped_column(Text)
    previous_closed_date: Mapped[dt.date] = mapped_column(Date)
    previous_outcome_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("catalog_item.id"))
