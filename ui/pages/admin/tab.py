"""What the Administration tabs share: the services and the acting user, a layout that opens with a
short explanation, a look-up row (a field and its button), and the ``status`` signal the page passes
on to the status bar."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.services import Actor, Services
from ui.widgets.common import hint

TEXT_WIDTH = 740  # explanations and messages stay readable on a wide screen


class AdminTab(QWidget):
    title = ""
    status = Signal(str)

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        self.services, self.actor = services, actor

    def tab_layout(self, intro: str) -> QVBoxLayout:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 14, 12, 8)
        text = hint(intro)
        text.setMaximumWidth(TEXT_WIDTH)
        lay.addWidget(text)
        return lay

    @staticmethod
    def lookup_row(form: QFormLayout, caption: str, edit: QLineEdit, button: QPushButton, slot) -> None:
        """A field with its button on one form row; Enter in the field does what the button does."""
        edit.setMinimumWidth(240)
        edit.setMaximumWidth(300)
        edit.returnPressed.connect(slot)
        button.clicked.connect(slot)
        row = QHBoxLayout()
        row.addWidget(edit)
        row.addWidget(button)
        row.addStretch(1)
        form.addRow(caption, row)

    def refresh(self) -> None:
        """Reload what the tab shows (when Administration is shown again)."""

    def has_unsaved_changes(self) -> bool:
        return False
