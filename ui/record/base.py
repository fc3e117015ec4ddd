"""What every tab of the case record shares.

A tab is one file in ``ui/record/`` and one entry in ``ui.record.TABS``. It is built when it is first
shown, receives the case detail in ``load`` (again after a change), and talks to the record through
signals: ``dirty_changed`` (unsaved edits appeared or went), ``changed`` (it saved something, so the
record reloads), ``status`` (a confirmation for the status bar). A tab that needs a permission to be
useful names it in ``permission``; the record leaves it out for roles without it.
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from app.services import Actor, Services
from app.services.cases import CaseDetail
from ui.tasks import TaskOwner


class RecordTab(TaskOwner, QWidget):
    title = ""
    permission: str | None = None

    dirty_changed = Signal(bool)
    changed = Signal()
    status = Signal(str)

    def __init__(self, services: Services, actor: Actor, case_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.case_id = case_id
        self.detail: CaseDetail | None = None

    def load(self, detail: CaseDetail) -> None:
        """Show the case; tabs with data of their own fetch it here through ``self.query``."""
        self.detail = detail

    def has_unsaved_changes(self) -> bool:
        return False

    def built(self) -> bool:
        """Every widget is built (a tab may build itself over several turns of the event loop)."""
        return True

    def ready(self) -> bool:
        """Built and showing the case (benchmarks and tests wait for this)."""
        return self.built() and self.detail is not None

    def complete(self) -> None:
        """Finish building now (a tab may build itself over several turns of the event loop)."""
