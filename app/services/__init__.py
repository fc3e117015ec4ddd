"""The service layer: every read and change of case data goes through one of these."""
from __future__ import annotations

from app.services.admin import CatalogService, SettingsService
from app.services.base import SYSTEM, Actor, Clock
from app.services.cases import CaseService
from app.services.closing import ClosingService
from app.services.journal import JournalService
from app.services.referrals import ReferralService
from app.services.overview import OverviewService
from app.services.users import AuthService, UserService
from db.base import utcnow
from db.session import Database


class Services:
    """All services over one database; the UI receives this and never a session."""

    def __init__(self, db: Database, clock: Clock = utcnow):
        self.db = db
        self.auth = AuthService(db, clock)
        self.users = UserService(db, clock)
        self.settings = SettingsService(db, clock)
        self.catalog = CatalogService(db, clock)
        self.cases = CaseService(db, clock)
        self.overview = OverviewService(db, clock)
        self.referrals = ReferralService(db, clock)
        self.closing = ClosingService(db, clock)
        self.journal = JournalService(db, clock)

    @property
    def backend(self) -> str:
        return self.db.engine.dialect.name

    def close(self) -> None:
        self.db.dispose()


__all__ = ["Services", "Actor", "SYSTEM"]
