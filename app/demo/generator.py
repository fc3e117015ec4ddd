"""The demo generator's entry points: fill a session's database, or a database at a URL."""
from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.demo.cases import add_cases
from app.demo.conferences import add_attendees, add_conferences, add_next_conference
from app.demo.context import DemoContext
from app.demo.outline import plan_cases
from app.demo.tasks import add_team_tasks
from app.demo.users import DEMO_USERS, ensure_team_and_users
from app.demo.writer import RowWriter
from app.progress import NO_PROGRESS, Progress
from app.services.deadlines import load_rule_sets
from db.base import utcnow
from db.derived import refresh_case_citizen_keys, refresh_closed_sick_days, refresh_next_deadlines, sync_sequences
from db.models import AuditEntry, Case, CaseConference, CatalogItem, Citizen, User


def generate_demo(session: Session, *, cases: int, seed: int, today: dt.date | None = None,
                  progress: Progress = NO_PROGRESS) -> dict[str, int]:
    """Fill a migrated, reference-seeded database with ``cases`` fictitious cases and everything
    around them. Runs inside the caller's write transaction and does not commit. Returns the number
    of rows added per table. Deterministic for a given ``seed`` and ``today``. Reports progress per
    case and stops at ``progress.check()`` when cancelled (the transaction then rolls back)."""
    if cases < 0:
        raise ValueError("Antallet af forløb kan ikke være negativt.")
    if session.scalar(select(func.count()).select_from(Case)):
        raise ValueError("Databasen indeholder allerede forløb; demodata kan kun lægges i en tom database.")
    today = today or dt.date.today()
    catalog = {(k, c): i for i, k, c in session.execute(select(CatalogItem.id, CatalogItem.kind, CatalogItem.code))}
    needed = [("outcome", o) for o in ("full_return", "other")] + [("rejection_reason", "age")]
    if any(key not in catalog for key in needed):
        raise ValueError("Referencedata mangler; kør migrering og seed (prepare_database) først.")

    counts: dict[str, int] = {}
    team_id, user_ids = ensure_team_and_users(session, counts)
    role_of = {u[0]: u[2] for u in DEMO_USERS}
    by_role: dict[str, int] = {}
    for username, _full, role, _ini in DEMO_USERS:
        by_role.setdefault(role, user_ids[username])
    coordinators = [user_ids[u] for u in ("koordinator", "koordinator2", "koordinator3")
                    if role_of[u] == "coordinator"]

    ctx = DemoContext(RowWriter(session), random.Random(seed), today, users=by_role,
                      user_names=dict(session.execute(select(User.id, User.full_name)).all()),
                      coordinators=coordinators, team_id=team_id, catalog=catalog)
    ctx.rule_sets = load_rule_sets(session)
    existing_cprs = set(session.scalars(select(Citizen.cpr)))
    add_cases(ctx, plan_cases(ctx, cases, existing_cprs), progress)
    conferences = []
    if ctx.active:  # conferences and the team's own tasks start with the first case
        held = set(session.scalars(select(CaseConference.held_on)))
        conferences = add_conferences(ctx, held)
        add_team_tasks(ctx)
    ctx.w.flush()
    if ctx.active:   # the next conference's agenda is built from the stored cases, as the app builds it
        conferences += add_next_conference(session, ctx, held | {d for _i, d in conferences})
        add_attendees(session, ctx, conferences)
    # Through the ORM, not the bulk writer: the entry is sealed into the audit chain at commit.
    session.add(AuditEntry(at=utcnow(), user_id=None, username="system", action="create", entity="demo",
                           entity_id=None, case_id=None, fields="", case_ids="",
                           detail=f"Demodata: {cases} fiktive forløb (seed {seed}, dato {today})"))
    refresh_next_deadlines(session.connection())  # bulk inserts bypass the ORM's flush events
    refresh_case_citizen_keys(session.connection())
    refresh_closed_sick_days(session.connection())
    sync_sequences(session.connection())  # ids were assigned here, not by PostgreSQL's sequences
    for table, n in ctx.w.counts.items():
        if n:
            counts[table] = counts.get(table, 0) + n
    return counts


def run_demo(url: str, *, cases: int, seed: int, keyring=None, progress: Progress = NO_PROGRESS) -> dict[str, int]:
    """Migrate and seed the database at ``url``, then add demo data in one transaction.
    ``keyring`` opens an encrypted file (``app.bootstrap.start_encrypted_file``)."""
    from app.bootstrap import prepare_database

    services = prepare_database(url, keyring=keyring)
    try:
        with services.db.write() as s:
            counts = generate_demo(s, cases=cases, seed=seed, progress=progress)
    finally:
        services.db.dispose()
    return counts
