"""Derived columns kept current by the storage layer itself, so no service can forget them.

``tta_case.next_deadline`` is the earliest due date of the case's open tasks. The case list sorts
on it; computing it per query cost one task lookup per case (0.17 s at 50,000 cases).

``citizen.name_search`` and ``citizen.name_sort`` are the folded search key and the Danish sort key
of the citizen's name (``db.names``), set on every flush of a new or changed citizen. Each case holds
a copy (``tta_case.name_search``, ``tta_case.name_sort``), refreshed after every flush that adds a
case, moves one to another citizen or renames a citizen: the case list searches and sorts 50,000
cases by name from one narrow index instead of joining the citizens. The citizen's birth date is
copied the same way (``tta_case.citizen_birth_date``: the CPR order).

``tta_case.closed_sick_days`` is a closed case's sick-leave length in days (closed date minus the
first sick day), None while the case is open, set on every flush of a new or changed case: the list's
"Sygemeldt" order reads it from an index instead of computing every case's length at each sort.

Bulk inserts that bypass the ORM (the demo generator, migrations) call ``db.names``,
``refresh_case_citizen_keys`` and ``refresh_closed_sick_days`` themselves.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, event, inspect, text
from sqlalchemy.orm import Session

from db.names import name_search_key, name_sort_key

_REFRESH = ("UPDATE tta_case SET next_deadline = (SELECT MIN(task.due_date) FROM task "
            "WHERE task.case_id = tta_case.id AND task.done_at IS NULL)")


_CASE_CITIZEN_KEYS = (
    "UPDATE tta_case SET "
    "name_search = (SELECT citizen.name_search FROM citizen WHERE citizen.id = tta_case.citizen_id), "
    "name_sort = (SELECT citizen.name_sort FROM citizen WHERE citizen.id = tta_case.citizen_id), "
    "citizen_birth_date = (SELECT citizen.birth_date FROM citizen WHERE citizen.id = tta_case.citizen_id)")

_CLOSED_SICK_DAYS = {
    "sqlite": "CAST(julianday(closed_date) - julianday(sick_leave_start) AS INTEGER)",
    "postgresql": "closed_date - sick_leave_start",
}


def _update_where_in(connection: Connection, statement: str, column: str, ids: Iterable[int] | None) -> None:
    """Run ``statement`` for the rows whose ``column`` is one of ``ids`` (all rows if None)."""
    if ids is None:
        connection.execute(text(statement))
        return
    ids = sorted({i for i in ids if i is not None})
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        params = {f"id{i}": v for i, v in enumerate(chunk)}
        connection.execute(text(f"{statement} WHERE {column} IN (" + ", ".join(f":{k}" for k in params) + ")"),
                           params)


def refresh_next_deadlines(connection: Connection, case_ids: Iterable[int] | None = None) -> None:
    """Recompute ``next_deadline`` for the given cases, or for all cases."""
    _update_where_in(connection, _REFRESH, "id", case_ids)


def refresh_case_citizen_keys(connection: Connection, *, case_ids: Iterable[int] | None = None,
                              citizen_ids: Iterable[int] | None = None) -> None:
    """Copy the citizen's name keys and birth date to the given cases, to the cases of the given
    citizens, or (neither given) to all cases."""
    if case_ids is None and citizen_ids is None:
        _update_where_in(connection, _CASE_CITIZEN_KEYS, "id", None)
    if case_ids is not None:
        _update_where_in(connection, _CASE_CITIZEN_KEYS, "id", case_ids)
    if citizen_ids is not None:
        _update_where_in(connection, _CASE_CITIZEN_KEYS, "citizen_id", citizen_ids)


def refresh_closed_sick_days(connection: Connection) -> None:
    """Set every case's ``closed_sick_days`` from its dates (None while it is open)."""
    days = _CLOSED_SICK_DAYS[connection.dialect.name]
    connection.execute(text(f"UPDATE tta_case SET closed_sick_days = CASE WHEN closed_date IS NULL "
                            f"THEN NULL ELSE {days} END"))


def closed_sick_days(closed_date, sick_leave_start) -> int | None:
    """A case's ``closed_sick_days`` from its dates."""
    if closed_date is None or sick_leave_start is None:
        return None
    return (closed_date - sick_leave_start).days


@event.listens_for(Session, "before_flush")
def _citizen_name_keys(session: Session, _context, _instances) -> None:
    from db.models.case import Citizen
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Citizen):
            first, last = obj.first_name or "", obj.last_name or ""
            keys = {"name_search": name_search_key(first, last), "name_sort": name_sort_key(first, last)}
            for attr, key in keys.items():
                if getattr(obj, attr) != key:
                    setattr(obj, attr, key)


@event.listens_for(Session, "before_flush")
def _case_sick_days(session: Session, _context, _instances) -> None:
    from db.models.case import Case
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Case):
            days = closed_sick_days(obj.closed_date, obj.sick_leave_start)
            if obj.closed_sick_days != days:
                obj.closed_sick_days = days


@event.listens_for(Session, "after_flush")
def _case_citizen_keys(session: Session, _context) -> None:
    from db.models.case import Case, Citizen
    case_ids: set[int] = set()
    citizen_ids: set[int] = set()
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Case) and (obj in session.new or inspect(obj).attrs.citizen_id.history.has_changes()):
            case_ids.add(obj.id)
        elif isinstance(obj, Citizen) and obj not in session.new and any(
                inspect(obj).attrs[a].history.has_changes() for a in ("name_search", "name_sort", "birth_date")):
            citizen_ids.add(obj.id)  # a new citizen has no cases yet; theirs arrive as new cases
    if case_ids:
        refresh_case_citizen_keys(session.connection(), case_ids=case_ids)
    if citizen_ids:
        refresh_case_citizen_keys(session.connection(), citizen_ids=citizen_ids)


@event.listens_for(Session, "after_flush")
def _tasks_changed(session: Session, _context) -> None:
    from db.models.work import Task
    case_ids: set[int] = set()
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, Task):
            case_ids.add(obj.case_id)
            # A task moved to another case changes both cases.
            case_ids.update(i for i in inspect(obj).attrs.case_id.history.deleted if i is not None)
    if case_ids - {None}:
        refresh_next_deadlines(session.connection(), case_ids)


def sync_sequences(connection: Connection) -> None:
    """After rows were inserted with explicit ids (bulk demo data), move PostgreSQL's id sequences
    past the highest id, so the next ordinary insert does not collide. SQLite needs nothing."""
    if connection.dialect.name != "postgresql":
        return
    from db.base import Base
    for table in Base.metadata.sorted_tables:
        pk = list(table.primary_key.columns)
        if len(pk) == 1 and pk[0].name == "id" and pk[0].autoincrement in (True, "auto"):
            connection.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 1), "
                f"(SELECT MAX(id) FROM {table.name}) IS NOT NULL)"))
