"""The service layer: every read and change of case data goes through one of these.

One feature per module, named for it; ``Services`` holds one instance of each over one database.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from app.services.access_review import AccessReviewService
from app.services.admin import CatalogService, SettingsService
from app.services.after_follow_up import AfterFollowUpService
from app.services.assessments import AssessmentService
from app.services.audit_log import AuditLogService
from app.services.backup import BackupService
from app.services.base import SYSTEM, Actor, Clock
from app.services.caseload import CaseloadService
from app.services.cases import CaseService
from app.services.closing import ClosingService
from app.services.conferences import ConferenceService
from app.services.dashboard import DashboardService
from app.services.deadlines import DeadlineService
from app.services.exports import ExportService
from app.services.importing import ImportService
from app.services.journal import JournalService
from app.services.letters import LetterService
from app.services.meetings import MeetingService
from app.services.plans import PlanService
from app.services.referrals import ReferralService
from app.services.statistics import StatisticsService
from app.services.tasks import TaskService
from app.services.team import TeamService
from app.services.user_keys import KeyedUserService
from app.services.users import AuthService, UserService
from app.services.visitation import VisitationService
from db.base import utcnow
from db.session import Database

if TYPE_CHECKING:
    from app.keys import Keyring


class Services:
    """All services over one database; the UI receives this and never a session."""

    def __init__(self, db: Database, clock: Clock = utcnow, *, keyring: Keyring | None = None):
        self.db = db
        self.auth = AuthService(db, clock)
        self.users = UserService(db, clock) if keyring is None else KeyedUserService(db, clock, keyring=keyring)
        self.settings = SettingsService(db, clock)
        self.catalog = CatalogService(db, clock)
        self.cases = CaseService(db, clock)
        self.referrals = ReferralService(db, clock)
        self.visitation = VisitationService(db, clock)
        self.closing = ClosingService(db, clock)
        self.after_follow_up = AfterFollowUpService(db, clock)
        self.caseload = CaseloadService(db, clock)
        self.journal = JournalService(db, clock)
        self.assessments = AssessmentService(db, clock)
        self.dashboard = DashboardService(db, clock)
        self.meetings = MeetingService(db, clock)
        self.conferences = ConferenceService(db, clock)
        self.plans = PlanService(db, clock)
        self.statistics = StatisticsService(db, clock)
        self.importing = ImportService(db, clock)
        self.exports = ExportService(db, clock)
        self.audit_log = AuditLogService(db, clock)
        self.team = TeamService(db, clock)
        self.tasks = TaskService(db, clock)
        self.access_review = AccessReviewService(db, clock)
        self.backup = BackupService(db, clock)
        self.deadlines = DeadlineService(db, clock)
        self.letters = LetterService(db, clock)

    @property
    def keyring(self) -> Keyring | None:
        """An encrypted file's unlocked data key (the logged-in user's), else None; the user service
        holds it so that creating users and setting passwords re-wrap it."""
        return getattr(self.users, "keyring", None)

    @property
    def backend(self) -> str:
        return self.db.engine.dialect.name

    def close(self) -> None:
        self.db.dispose()


__all__ = ["Services", "Actor", "SYSTEM"]
