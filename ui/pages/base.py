"""What every section page of the main window shares.

A page receives the services and the acting user, talks to the service layer only through the task
runner (``self.query`` / ``self.write``), and speaks to the rest of the window through signals:
``navigate`` asks the main window to show another section (with an argument such as a case id or a
filter), ``status`` puts a short confirmation in the status bar.
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.services import Actor, Services
from ui.tasks import TaskOwner


class Page(TaskOwner, QWidget):
    title = ""
    navigate = Signal(str, object)  # section key, argument
    status = Signal(str)

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.actor = actor

    def page_layout(self) -> QVBoxLayout:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(18, 14, 18, 14)
        return lay

    # -- what the main window asks -------------------------------------------------------------
    def refresh(self) -> None:
        """Load or reload what the page shows (called when the section is shown again)."""

    def open_target(self, argument: object) -> None:
        """Show what ``navigate`` pointed at (a filter, a case id); the default just refreshes."""
        self.refresh()

    def has_unsaved_changes(self) -> bool:
        return False
