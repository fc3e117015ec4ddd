"""Small reusable widgets with no knowledge of the app's services."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QMessageBox, QVBoxLayout, QWidget

from app.errors import AppError


def page_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("pageTitle")
    return label


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


class Card(QFrame):
    """A number with a caption, for the dashboard."""

    def __init__(self, caption: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("card")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        self.value = QLabel("–")
        self.value.setObjectName("cardValue")
        self.caption = QLabel(caption)
        self.caption.setObjectName("cardLabel")
        self.caption.setWordWrap(True)
        lay.addWidget(self.value)
        lay.addWidget(self.caption)

    def set_value(self, value: object) -> None:
        self.value.setText(str(value))


def show_error(parent: QWidget | None, exc: Exception, title: str = "Det lykkedes ikke") -> None:
    """An AppError is shown as its Danish message; anything else as a short, honest notice."""
    if isinstance(exc, AppError):
        text = exc.message
    else:
        text = f"Der opstod en uventet fejl, og handlingen blev ikke gennemført.\n\n({type(exc).__name__}: {exc})"
    box = QMessageBox(QMessageBox.Warning, title, text, QMessageBox.Ok, parent)
    box.setTextInteractionFlags(Qt.TextSelectableByMouse)
    box.exec()
