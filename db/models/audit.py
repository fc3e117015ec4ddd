"""The append-only audit log: who did what to which record, and when (UTC).

Each entry is sealed into an HMAC chain (``app.audit_chain``): ``seq`` numbers the entries without
gaps, ``mac`` is the HMAC of the entry's content and the previous entry's ``mac``. ``AuditChain``
is the chain's one-row head (the last link, and the signed checkpoint left by a purge); on
PostgreSQL its row lock serialises appending.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, CheckConstraint, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base

_BigId = BigInteger().with_variant(Integer, "sqlite")


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_case_at", "case_id", "at"),)
    id: Mapped[int] = mapped_column(_BigId, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer)  # no FK: the log outlives deleted users
    username: Mapped[str] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    case_id: Mapped[int | None] = mapped_column(Integer)  # the person's case id, never CPR
    fields: Mapped[str] = mapped_column(Text, default="", server_default="")  # comma-separated changed fields
    detail: Mapped[str] = mapped_column(Text, default="", server_default="")  # e.g. the search text (CPR masked)
    # Comma-separated ids of the cases a list showed (case list block, dashboard, meetings list).
    case_ids: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Position in the chain (1, 2, 3, ... without gaps) and the entry's HMAC; both set when the
    # writing transaction commits. NULL only for entries from before the chain (sealed at start-up).
    seq: Mapped[int | None] = mapped_column(BigInteger, unique=True, index=True)
    mac: Mapped[str | None] = mapped_column(String(64))


class AuditChain(Base):
    """The head of the audit chain: always the single row id 1."""
    __tablename__ = "audit_chain"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    key_id: Mapped[str] = mapped_column(String(16), default="", server_default="")  # fingerprint of the key
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    last_id: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    last_mac: Mapped[str] = mapped_column(String(64), default="", server_default="")
    head_sig: Mapped[str] = mapped_column(String(64), default="", server_default="")
    # The signed checkpoint a purge leaves: the last purged entry's seq and mac, and how many
    # entries were purged in all. Verification starts from it.
    checkpoint_seq: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    checkpoint_mac: Mapped[str] = mapped_column(String(64), default="", server_default="")
    checkpoint_count: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    checkpoint_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    checkpoint_sig: Mapped[str] = mapped_column(String(64), default="", server_default="")
    # Entries up to this id predate the chain (migration 0103); sealed once, then 0.
    unsealed_upto: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
