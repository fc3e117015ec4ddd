"""Small reusable widgets with no knowledge of the app's services."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui.i18n import tr


def page_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("pageTitle")
    return label


def section_title(text: str) -> QLabel:
    """A heading inside a page ("Forløb pr. fase")."""
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    return label


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


class Card(QFrame):
    """A number with a caption (the dashboard's key figures).

    A card that opens something (``set_target(text)``) looks and behaves like a button: it takes the
    keyboard focus (Tab), shows a pointing hand and a hover state, says what it opens in words
    ("Vis forløbene ›"), and emits ``activated`` on a click, Enter or Space. A card without a target
    is plainly a figure: no hand, no hover, no focus, no link text."""

    activated = Signal()

    def __init__(self, caption: str, parent: QWidget | None = None, *, compact: bool = False):
        super().__init__(parent)
        self.setObjectName("card")
        self.setAttribute(Qt.WA_Hover)  # the theme's hover state for a card that opens something
        self.setProperty("compact", compact)
        self._target = ""
        self._pressed = False
        lay = QHBoxLayout(self) if compact else QVBoxLayout(self)
        margin = (12, 8) if compact else (16, 12)
        lay.setContentsMargins(margin[0], margin[1], margin[0], margin[1])
        lay.setSpacing(8 if compact else 4)
        self.value = QLabel("–")
        self.value.setObjectName("cardValueSmall" if compact else "cardValue")
        self.caption = QLabel(caption)
        self.caption.setObjectName("cardLabel")
        self.caption.setWordWrap(not compact)
        self.link = QLabel("")
        self.link.setObjectName("cardLink")
        lay.addWidget(self.value)
        lay.addWidget(self.caption, 1)
        if not compact:
            lay.addStretch(1)
        lay.addWidget(self.link)
        self.set_target("")

    def set_value(self, value: object) -> None:
        self.value.setText(str(value))
        self._describe()

    def set_target(self, text: str) -> None:
        """``text`` says what a click opens ("Vis forløbene"); empty: the card opens nothing."""
        self._target = text
        clickable = bool(text)
        self.setProperty("clickable", clickable)
        self.setFocusPolicy(Qt.StrongFocus if clickable else Qt.NoFocus)
        self.setCursor(Qt.PointingHandCursor if clickable else Qt.ArrowCursor)
        self.link.setText(f"{text} ›" if clickable and not self.property("compact") else ("›" if clickable else ""))
        self.link.setVisible(clickable)
        self.setToolTip(tr("{what} (klik, Enter eller mellemrum)").format(what=text) if clickable else "")
        self._describe()
        self.style().unpolish(self)
        self.style().polish(self)

    def is_clickable(self) -> bool:
        return bool(self._target)

    def _describe(self) -> None:
        what = f"{self.value.text()} {self.caption.text()}"
        self.setAccessibleName(what)
        self.setAccessibleDescription(self._target)

    # -- behaving like a button ----------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._pressed = self.is_clickable() and event.button() == Qt.LeftButton
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        pressed, self._pressed = self._pressed, False
        if pressed and event.button() == Qt.LeftButton and self.rect().contains(event.position().toPoint()):
            self.activated.emit()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.is_clickable() and event.key() in (Qt.Key_Return, Qt.Key_Enter, Qt.Key_Space):
            self.activated.emit()
            return
        super().keyPressEvent(event)


class ValueLabel(QLabel):
    """A read-only value whose text the mouse can select. The selection machinery is made when the
    mouse first comes over the value: made for every value of a form at once, it was a quarter of
    the time a case record took to open."""

    def enterEvent(self, event) -> None:  # noqa: N802
        if not self.textInteractionFlags() & Qt.TextSelectableByMouse:
            self.setTextInteractionFlags(Qt.TextSelectableByMouse)
        super().enterEvent(event)


def value_label(text: str, *, no_wrap: bool = False) -> QLabel:
    """A read-only value in a form: selectable text, never an input that ignores typing.
    ``no_wrap`` keeps values such as phone numbers and addresses on one line."""
    label = ValueLabel(text or "–")
    label.setObjectName("value")
    label.setWordWrap(not no_wrap)
    return label
