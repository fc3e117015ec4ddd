"""Team members (users), teams, settings, catalogues and rules-as-data."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db import codes
from db.base import Base, Versioned, created_ts, fk, in_check, intpk


class Team(Versioned, Base):
    __tablename__ = "team"
    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(120), unique=True)


class User(Versioned, Base):
    """A team member who logs in. ``role`` decides what the service layer allows."""
    __tablename__ = "user_account"
    __table_args__ = (CheckConstraint(in_check("role", codes.ROLES), name="role"),
                      CheckConstraint("failed_logins >= 0", name="failed_logins"))
    id: Mapped[intpk]
    username: Mapped[str] = mapped_column(String(60), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    initials: Mapped[str] = mapped_column(String(10), default="", server_default="")
    role: Mapped[str] = mapped_column(String(30))
    email: Mapped[str] = mapped_column(String(200), default="", server_default="")
    team_id: Mapped[int | None] = fk("team.id", nullable=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[created_ts]


class Setting(Versioned, Base):
    """Key/value settings as JSON text: eligibility criteria, idle lock, letterhead, retention."""
    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value_json: Mapped[str] = mapped_column(Text)


class CatalogItem(Versioned, Base):
    """Editable catalogues: interventions, outcome categories, subgroups, reasons, next efforts."""
    __tablename__ = "catalog_item"
    __table_args__ = (UniqueConstraint("kind", "code", name="uq_catalog_item_kind_code"),
                      CheckConstraint(in_check("kind", codes.CATALOG_KINDS), name="kind"))
    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(String(30), index=True)
    code: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    # For outcomes: counts as return to work in the headline rate.
    counts_as_return: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # For "other" reasons: whether it applies after visitation (True) or to never-visitated (False).
    after_visitation: Mapped[bool | None] = mapped_column(Boolean)
    sort_order: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")


class DeadlineRuleSet(Versioned, Base):
    """A set of deadline rules in force from ``valid_from`` until the next set's valid-from date
    (the law changes often: a change is a new set, never code)."""
    __tablename__ = "deadline_rule_set"
    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(120))
    valid_from: Mapped[dt.date] = mapped_column(Date, unique=True)
    note: Mapped[str] = mapped_column(Text, default="", server_default="")


class FollowUpRule(Versioned, Base):
    """One deadline rule of a rule set: what it computes (``kind``, evaluated by ``app.deadlines``),
    its numbers (``params_json``) and its legal source as the user reads it."""
    __tablename__ = "follow_up_rule"
    __table_args__ = (CheckConstraint(in_check("kind", codes.DEADLINE_RULE_KINDS), name="kind"),)
    id: Mapped[intpk]
    rule_set_id: Mapped[int | None] = fk("deadline_rule_set.id", ondelete="CASCADE", nullable=True)
    kind: Mapped[str] = mapped_column(String(30), default="first_follow_up", server_default="first_follow_up")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    sort_order: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    code: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(200))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    # e.g. {"first_contact_by_week": 8, "interval_weeks": 13, "reassessment_week": 22}
    params_json: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")
    source: Mapped[str] = mapped_column(Text, default="", server_default="")
