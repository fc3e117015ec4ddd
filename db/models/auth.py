"""Login sessions: the service layer looks the acting user's session up on every call."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, fk, intpk


class UserSession(Base):
    """One login (or unlock after the idle lock). Only a hash of the token is stored, so a copy of
    the database does not hand out working sessions. A session is never reopened once ended."""
    __tablename__ = "user_session"
    id: Mapped[intpk]
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex of the random token
    user_id: Mapped[int] = fk("user_account.id")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # logout, replaced (unlocked with a new session), refused:<reason>, password_reset
    end_reason: Mapped[str] = mapped_column(String(40), default="", server_default="")
