"""Need-to-know: access to a case opened with a stated reason ("Begrund adgang").

A team member who is not on a case sees its list row only; to open the full record they state a
reason, which is stored here and expires by time (``app.access`` holds the rule and the duration).
Grants are never edited: a new reason is a new row, and the team lead reviews them as a list.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, fk, intpk


class CaseAccessGrant(Base):
    __tablename__ = "case_access_grant"
    __table_args__ = (
        CheckConstraint("expires_at > granted_at", name="expires_after_granted"),
        # The check on every call of a case service: this user's unexpired grants on this case.
        Index("ix_case_access_grant_user_case", "user_id", "case_id", "expires_at"),
    )
    id: Mapped[intpk]
    user_id: Mapped[int] = fk("user_account.id", index=False)   # who stated the reason
    case_id: Mapped[int] = fk("tta_case.id", ondelete="CASCADE")
    reason: Mapped[str] = mapped_column(String(200))
    granted_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)  # naive UTC
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)               # naive UTC
