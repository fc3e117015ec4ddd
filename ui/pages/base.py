"""What every section page of the main window shares.

A page receives the services and the acting user, talks to the service layer only through the task
runner (``self.query`` / ``self.write``), and speaks to the rest of the window through signals:
``navigate`` asks the main window to show another section (with an argument such as a case id or a
filter), ``status`` puts a short confirmation in the status bar.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.services import Actor, Services
from ui.tasks import Task, runner


class Page(QWidget):
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

    # -- the service layer, off the GUI thread --------------------------------------------------
    def query(self, fn: Callable[[], Any], on_done: Callable[[Any], None], *, key: str | None = None,
              on_error: Callable[[BaseException], None] | None = None) -> Task:
        return runner().query(fn, on_done, parent=self, key=f"{id(self)}:{key}" if key else None,
                              on_error=on_error)

    def write(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None, *,
              disable: QWidget | list[QWidget] | None = None,
              on_error: Callable[[BaseException], None] | None = None) -> Task:
        return runner().write(fn, on_done, parent=self, disable=disable or self, on_error=on_error)

    # -- what the main window asks -------------------------------------------------------------
    def refresh(self) -> None:
        """Load or reload what the page shows (called when the section is shown again)."""

    def open_target(self, argument: object) -> None:
        """Show what ``navigate`` pointed at (a filter, a case id); the default just refreshes."""
        self.refresh()

    def has_unsaved_changes(self) -> bool:
        return False
