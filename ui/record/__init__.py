"""The case record and its tabs. A new aspect of a case is one file here and one entry in ``TABS``."""
from __future__ import annotations

from ui.record.assessments import AssessmentsTab
from ui.record.journal import JournalTab
from ui.record.letters import LettersTab
from ui.record.meetings import MeetingsTab
from ui.record.overview import OverviewTab
from ui.record.plans import PlanTab
from ui.record.timeline import TimelineTab

TABS = [OverviewTab, JournalTab, AssessmentsTab, PlanTab, MeetingsTab, LettersTab, TimelineTab]
