"""Small reusable widgets with no knowledge of the app's services."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget


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


def value_label(text: str, *, no_wrap: bool = False) -> QLabel:
    """A read-only value in a form: selectable text, never an input that ignores typing.
    ``no_wrap`` keeps values such as phone numbers and addresses on one line."""
    label = QLabel(text or "–")
    label.setObjectName("value")
    label.setTextInteractionFlags(Qt.TextSelectableByMouse)
    label.setWordWrap(not no_wrap)
    return label
