"""The one declarative base, naming convention and shared column types for all models."""
from __future__ import annotations

import datetime as dt
from typing import Annotated

from sqlalchemy import DateTime, ForeignKey, Integer, MetaData, String, Text, func
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

# Alembic's batch mode on SQLite needs named constraints to alter them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """Timezone-aware UTC now; stored as naive UTC for portability between databases."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


intpk = Annotated[int, mapped_column(Integer, primary_key=True)]
str40 = Annotated[str, mapped_column(String(40))]
str80 = Annotated[str, mapped_column(String(80))]
str200 = Annotated[str, mapped_column(String(200))]
text = Annotated[str, mapped_column(Text)]
created_ts = Annotated[dt.datetime, mapped_column(DateTime, default=utcnow, server_default=func.current_timestamp())]


def fk(target: str, *, ondelete: str | None = None, index: bool = True, nullable: bool = False):
    """A foreign-key integer column, indexed by default."""
    return mapped_column(Integer, ForeignKey(target, ondelete=ondelete), index=index, nullable=nullable)


class Versioned:
    """Mixin for every editable record: optimistic concurrency through ``version_id_col``.

    A stale UPDATE raises ``StaleDataError``, which the service layer turns into a
    ``ConflictError`` with a message the user can act on.
    """

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow, nullable=False,
                                                    server_default=func.current_timestamp())

    @declared_attr.directive
    def __mapper_args__(cls):  # noqa: N805
        return {"version_id_col": cls.version}


def in_check(column: str, values) -> str:
    """SQL text for a CHECK that ``column`` takes one of ``values`` (domain codes)."""
    quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return f"{column} IN ({quoted})"
