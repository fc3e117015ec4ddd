"""Administration: one tab per file, each shown to the roles allowed to use it.

Every tab is a widget with ``refresh()``, ``has_unsaved_changes()`` and a ``status`` signal; the page
passes the signal on to the main window's status bar and asks the tabs about unsaved work.
"""
from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget

from app.services import Actor, Services
from ui.i18n import tr
from ui.pages.admin.access_log import AccessLogTab
from ui.pages.admin.access_review import AccessReviewTab
from ui.pages.admin.audit_integrity import AuditIntegrityTab
from ui.pages.admin.backup import BackupTab
from ui.pages.admin.catalogs import CatalogsTab
from ui.pages.admin.deadline_rules import DeadlineRulesTab
from ui.pages.admin.importing import ImportTab
from ui.pages.admin.letter_templates import LetterTemplatesTab
from ui.pages.admin.plan_templates import PlanTemplatesTab
from ui.pages.admin.settings import SettingsTab
from ui.pages.admin.users import UsersTab
from ui.pages.base import Page
from ui.theme import ACCENT, ACCENT_LIGHT
from ui.widgets.common import page_title

# Room below the text (Fusion's unselected tabs cut the descenders of g and y at this font size) and
# the chosen tab marked by the accent colour as well as by its white background.
TAB_STYLE = f"""
QTabBar::tab {{ background: #eef1f4; color: #3b4a58; border: 1px solid #d8dde2; border-bottom: none;
               border-top-left-radius: 4px; border-top-right-radius: 4px; padding: 6px 14px 7px 14px;
               margin-right: 2px; }}
QTabBar::tab:selected {{ background: #ffffff; color: #1b2a38; border-bottom: 2px solid {ACCENT}; }}
QTabBar::tab:hover:!selected {{ background: {ACCENT_LIGHT}; }}
"""

# (tab class, the permission that shows it), in the order the tabs appear.
TABS = ((UsersTab, "user.manage"), (CatalogsTab, "catalog.manage"), (PlanTemplatesTab, "plan.templates"),
        (LetterTemplatesTab, "letter.templates"), (DeadlineRulesTab, "deadline.rules"),
        (SettingsTab, "settings.manage"), (BackupTab, "settings.manage"),
        (AccessLogTab, "audit.read"), (AccessReviewTab, "access.review"), (AuditIntegrityTab, "audit.read"),
        (ImportTab, "case.import"))


class AdminPage(Page):
    title = "Administration"

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None):
        super().__init__(services, actor, parent)
        lay = self.page_layout()
        lay.addWidget(page_title(tr("Administration")))
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setStyleSheet(TAB_STYLE)
        for cls, permission in TABS:
            if actor.may(permission):
                tab = cls(services, actor)
                tab.status.connect(self.status)
                self.tabs.addTab(tab, tr(cls.title))
        lay.addWidget(self.tabs, 1)

    def tab(self, cls: type[QWidget]) -> QWidget | None:
        """The tab of this class, when the user's role shows it."""
        return next((w for w in map(self.tabs.widget, range(self.tabs.count())) if isinstance(w, cls)), None)

    def show_tab(self, cls: type[QWidget]) -> QWidget | None:
        tab = self.tab(cls)
        if tab is not None:
            self.tabs.setCurrentWidget(tab)
        return tab

    def refresh(self) -> None:
        for i in range(self.tabs.count()):
            self.tabs.widget(i).refresh()

    def has_unsaved_changes(self) -> bool:
        return any(self.tabs.widget(i).has_unsaved_changes() for i in range(self.tabs.count()))
