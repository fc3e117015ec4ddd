"""All models, imported here so Alembic and ``Base.metadata`` see every table."""
import db.derived  # noqa: F401  (registers the listeners that keep derived columns current)
from db.models.access import CaseAccessGrant
from db.models.audit import AuditChain, AuditEntry
from db.models.auth import UserSession
from db.models.case import (
    AfterFollowUp,
    Case,
    CaseAbsenceReason,
    CaseIcd10,
    CaseReopening,
    CaseTeamMember,
    Citizen,
    Consent,
    WorkplaceContact,
)
from db.models.org import CatalogItem, DeadlineRuleSet, FollowUpRule, Setting, Team, User
from db.models.work import (
    ActionPlan,
    Assessment,
    AssessmentAddendum,
    AssessmentSection,
    CaseConference,
    ConferenceAttendee,
    ConferenceItem,
    GradualReturnWeek,
    InstrumentResult,
    JournalNote,
    Letter,
    LetterTemplate,
    MeetingItem,
    MeetingParticipant,
    PlanAssessment,
    PlanGoal,
    PlanIntervention,
    PlanTemplate,
    RoundTableMeeting,
    Task,
)

__all__ = [
    "AuditChain", "AuditEntry",
    "AfterFollowUp", "CaseAbsenceReason", "Case", "CaseIcd10", "CaseReopening", "CaseTeamMember",
    "Citizen", "Consent", "WorkplaceContact", "CatalogItem", "DeadlineRuleSet", "FollowUpRule", "Setting", "Team",
    "User",
    "UserSession",
    "ActionPlan", "Assessment", "AssessmentAddendum", "AssessmentSection", "CaseConference",
    "ConferenceAttendee", "ConferenceItem", "GradualReturnWeek", "InstrumentResult", "JournalNote", "Letter",
    "LetterTemplate", "MeetingItem", "MeetingParticipant",
    "PlanAssessment", "PlanGoal", "PlanIntervention", "PlanTemplate", "RoundTableMeeting", "Task",
    "CaseAccessGrant",
]
