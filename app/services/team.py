"""The team: who works on cases, and the one rule for who may be a case's coordinator.

Every service that sets a coordinator (a new referral, a change in the record, a caseload move)
checks it with ``check_coordinator``; every list of coordinators a form offers comes from
``TeamService.coordinators``. Both use ``may_coordinate``, so the choices and the check agree.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.services.base import Actor, ServiceBase
from db.models import User


@dataclass(frozen=True)
class TeamMember:
    id: int
    full_name: str
    role: str


def may_coordinate(user: User | None) -> bool:
    """The rule: an active user with the coordinator role may own a case."""
    return user is not None and user.active and user.role == "coordinator"


def may_join_case(user: User | None) -> bool:
    """Anyone active on the team except administrators (who never see case data) may be on a case's team."""
    return user is not None and user.active and user.role != "admin"


def check_coordinator(session: Session, user_id: int, *, field: str = "coordinator_id",
                      label: str = "Koordinator") -> User:
    """The user, if ``may_coordinate``; otherwise a ValidationError naming the field."""
    user = session.get(User, user_id)
    if not may_coordinate(user):
        raise ValidationError(field, "skal være en aktiv TTA-koordinator", label=label)
    return user


class TeamService(ServiceBase):
    def members(self, actor: Actor) -> list[TeamMember]:
        """Active users who may work on cases (everyone but administrators), by name."""
        def work(s):
            users = s.scalars(select(User).where(User.active.is_(True)).order_by(User.full_name, User.id))
            return [_member(u) for u in users if may_join_case(u)]
        # Every team member may see who is on the team (to choose a coordinator, assign tasks).
        return self._read(actor, None, work)

    def coordinators(self, actor: Actor) -> list[TeamMember]:
        """The users a case may have as coordinator, by name."""
        def work(s):
            users = s.scalars(select(User).where(User.active.is_(True)).order_by(User.full_name, User.id))
            return [_member(u) for u in users if may_coordinate(u)]
        return self._read(actor, None, work)


def _member(u: User) -> TeamMember:
    return TeamMember(u.id, u.full_name, u.role)
