"""Form helpers: Danish date fields, tri-state yes/no, and showing field errors next to their fields.

``ErrorPanel`` lists what is wrong above a form's buttons, in form order, and marks each field it
names; ``clear_field`` takes one field's line and mark away again (a form calls it as soon as the
user has corrected that field). ``mark``/``unmark`` put the same mark on a widget without a line in
the panel, for something a form notices while the user types.
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from app.errors import AppError, ValidationError, ValidationErrors
from ui.i18n import tr

# The padding keeps a marked input exactly as tall as before: marking a field never moves the form.
ERROR_STYLE = "border: 2px solid #a4262c; border-radius: 3px; padding: 1px 0px;"


def parse_date(text: str) -> dt.date | None:
    """A date as Danish users write it (dd-mm-åååå, d/m/åååå, dd.mm.åååå); None when empty.
    Raises ValueError when the text is not such a date."""
    text = text.strip()
    if not text:
        return None
    for sep in "./":
        text = text.replace(sep, "-")
    parts = text.split("-")
    if len(parts) != 3 or len(parts[2]) != 4:
        raise ValueError(text)
    return dt.date(int(parts[2]), int(parts[1]), int(parts[0]))


class DateField(QLineEdit):
    """A date typed as Danish users write it: dd-mm-åååå (also d/m/åååå or dd.mm.åååå)."""

    value_changed = Signal()

    def __init__(self, value: dt.date | None = None, *, field: str, label: str, required: bool = True,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.field_name, self.label, self.required = field, label, required
        self.setPlaceholderText("dd-mm-åååå")
        self.setMaximumWidth(130)
        self.set_date(value)
        self.textChanged.connect(self.value_changed)

    def set_date(self, value: dt.date | None) -> None:
        self.setText(value.strftime("%d-%m-%Y") if value else "")

    def date(self) -> dt.date | None:
        """The date, None when empty and optional; raises ValidationError naming the field otherwise."""
        value = self.field_value()
        if isinstance(value, str):
            raise ValidationError(self.field_name, "skal være en gyldig dato som dd-mm-åååå", label=self.label)
        if value is None and self.required:
            raise ValidationError(self.field_name, "skal udfyldes", label=self.label)
        return value

    # The protocol of ui.widgets.field_form's inputs.
    def field_value(self) -> dt.date | str | None:
        """The date, None when empty, or the typed text when it is not a date."""
        try:
            return parse_date(self.text())
        except ValueError:
            return self.text().strip()

    def set_field_value(self, value: dt.date | None) -> None:
        self.set_date(value)


class YesNoCombo(QComboBox):
    """Ja / Nej / Ukendt, for intake characteristics that may not be known yet."""

    value_changed = Signal()

    def __init__(self, value: bool | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        for text, data in ((tr("Ukendt"), None), (tr("Ja"), True), (tr("Nej"), False)):
            self.addItem(text, data)
        self.set_value(value)
        self.currentIndexChanged.connect(self.value_changed)

    def set_value(self, value: bool | None) -> None:
        self.setCurrentIndex({None: 0, True: 1, False: 2}[value])

    def value(self) -> bool | None:
        return self.currentData()

    field_value = value
    set_field_value = set_value


def mark(widget: QWidget, message: str) -> None:
    """Draw the error border on ``widget`` (only on it, not on the children of a container)."""
    if not widget.objectName():
        widget.setObjectName(f"field_{id(widget)}")
    widget.setStyleSheet(f"#{widget.objectName()} {{ {ERROR_STYLE} }}")
    widget.setToolTip(message)


def unmark(widget: QWidget) -> None:
    widget.setStyleSheet("")
    widget.setToolTip("")


class ErrorPanel(QLabel):
    """The list of what is wrong, shown above a form's buttons; fields get a red border."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("error")
        self.setWordWrap(True)
        self.hide()
        self._errors: list[tuple[str, str, QWidget | None]] = []  # field, message, marked widget

    def clear_errors(self) -> None:
        for _field, _message, w in self._errors:
            if w is not None:
                unmark(w)
        self._errors = []
        self._render()

    def show_error(self, exc: AppError, fields: dict[str, QWidget] | None = None) -> None:
        self.clear_errors()
        errors = exc.errors if isinstance(exc, ValidationErrors) else [exc]
        if fields:
            order = {name: i for i, name in enumerate(fields)}
            errors = sorted(errors, key=lambda e: order.get(getattr(e, "field", ""), len(order)))
        first = None
        for e in errors:
            name = getattr(e, "field", "")
            w = (fields or {}).get(name)
            if w is not None:
                mark(w, e.message)
                first = first or w
            self._errors.append((name, e.message, w))
        self._render()
        if first is not None:
            first.setFocus()

    def clear_field(self, name: str) -> None:
        """The user has corrected ``name``: its lines and its mark go."""
        for _field, _message, w in (e for e in self._errors if e[0] == name):
            if w is not None:
                unmark(w)
        self._errors = [e for e in self._errors if e[0] != name]
        self._render()

    def fields_with_errors(self) -> list[str]:
        return list(dict.fromkeys(name for name, _m, _w in self._errors if name))

    def messages(self) -> list[str]:
        return [message for _f, message, _w in self._errors]

    def _render(self) -> None:
        self.setText("\n".join("• " + message for _f, message, _w in self._errors))
        self.setVisible(bool(self._errors))
