"""The demo team and its users, one or more per role, all with the password ``DEMO_PASSWORD``."""
from __future__ import annotations

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.security import hash_password
from db.base import utcnow
from db.models import Team, User

DEMO_PASSWORD = "demo1234"
TEAM_NAME = "TTA-teamet"

# (username, full name, role, initials)
DEMO_USERS: list[tuple[str, str, str, str]] = [
    ("koordinator", "Mette Kjærgaard Holm", "coordinator", "MKH"),
    ("koordinator2", "Søren Østergaard Bech", "coordinator", "SØB"),
    ("koordinator3", "Sanne Bødker Lund", "coordinator", "SBL"),
    ("psykolog", "Signe Dahl Mikkelsen", "psychologist", "SDM"),
    ("fysioterapeut", "Rasmus Brøndum Kjær", "physiotherapist", "RBK"),
    ("laege", "Birgitte Vang Sørensen", "doctor", "BVS"),
    ("jobkonsulent", "Jesper Nørgaard Friis", "job_consultant", "JNF"),
    ("teamleder", "Annette Frøslev Madsen", "team_lead", "AFM"),
    ("admin", "Thomas Winther Ærenlund", "admin", "TWÆ"),
]


def ensure_team_and_users(session: Session, counts: dict[str, int]) -> tuple[int, dict[str, int]]:
    """Add the demo team and whichever demo users are missing; counts what was added.
    Returns the team's id and the user id of every demo user name."""
    team_id = session.scalar(select(Team.id).where(Team.name == TEAM_NAME))
    now = utcnow()
    if team_id is None:
        team_id = (session.scalar(select(func.max(Team.id))) or 0) + 1
        session.execute(insert(Team.__table__), [dict(id=team_id, name=TEAM_NAME, version=1, updated_at=now)])
        counts["team"] = 1
    existing = set(session.scalars(select(User.username)))
    missing = [u for u in DEMO_USERS if u[0] not in existing]
    if missing:
        pw_hash = hash_password(DEMO_PASSWORD)  # once: argon2 is deliberately slow
        next_id = (session.scalar(select(func.max(User.id))) or 0) + 1
        rows = []
        for i, (username, full_name, role, initials) in enumerate(missing):
            rows.append(dict(id=next_id + i, username=username, full_name=full_name, initials=initials, role=role,
                             email=f"{username}@tta-teamet.example", team_id=team_id, password_hash=pw_hash,
                             active=True, failed_logins=0, locked_until=None, must_change_password=False,
                             last_login_at=None, created_at=now, version=1, updated_at=now))
        session.execute(insert(User.__table__), rows)
        counts["user_account"] = len(rows)
    ids = dict(session.execute(select(User.username, User.id).where(
        User.username.in_([u[0] for u in DEMO_USERS]))).all())
    return team_id, ids
