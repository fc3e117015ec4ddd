"""Form helpers: Danish date fields, tri-state yes/no, and showing field errors next to their fields."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from app.errors import AppError, ValidationError, ValidationErrors

ERROR_STYLE = "border: 2px solid #a4262c; border-radius: 3px;"


class DateField(QLineEdit):
    """A date typed as Danish users write it: dd-mm-åååå (also d/m/åååå or dd.mm.åååå)."""

    def __init__(self, value: dt.date | None = None, *, field: str, label: str, required: bool = True,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.field_name, self.label, self.required = field, label, required
        self.setPlaceholderText("dd-mm-åååå")
        self.setMaximumWidth(130)
        self.set_date(value)

    def set_date(self, value: dt.date | None) -> None:
        self.setText(value.strftime("%d-%m-%Y") if value else "")

    def date(self) -> dt.date | None:
        """The date, None when empty and optional; raises ValidationError naming the field otherwise."""
        text = self.text().strip()
        if not text:
            if self.required:
                raise ValidationError(self.field_name, "skal udfyldes", label=self.label)
            return None
        for sep in "./":
            text = text.replace(sep, "-")
        parts = text.split("-")
        try:
            if len(parts) != 3 or len(parts[2]) != 4:
                raise ValueError
            return dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            raise ValidationError(self.field_name, "skal være en gyldig dato som dd-mm-åååå",
                                  label=self.label) from None


class YesNoCombo(QComboBox):
    """Ja / Nej / Ukendt, for intake characteristics that may not be known yet."""

    def __init__(self, value: bool | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        for text, data in (("Ukendt", None), ("Ja", True), ("Nej", False)):
            self.addItem(text, data)
        self.set_value(value)

    def set_value(self, value: bool | None) -> None:
        self.setCurrentIndex({None: 0, True: 1, False: 2}[value])

    def value(self) -> bool | None:
        return self.currentData()


class ErrorPanel(QLabel):
    """The list of what is wrong, shown above a form's buttons; fields get a red border."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("error")
        self.setWordWrap(True)
        self.hide()
        self._marked: list[QWidget] = []

    def clear_errors(self) -> None:
        for w in self._marked:
            w.setStyleSheet("")
            w.setToolTip("")
        self._marked = []
        self.setText("")
        self.hide()

    def show_error(self, exc: AppError, fields: dict[str, QWidget] | None = None) -> None:
        self.clear_errors()
        errors = exc.errors if isinstance(exc, ValidationErrors) else [exc]
        if fields:
            order = {name: i for i, name in enumerate(fields)}
            errors = sorted(errors, key=lambda e: order.get(getattr(e, "field", ""), len(order)))
        lines = []
        first = None
        for e in errors:
            lines.append("• " + e.message)
            w = (fields or {}).get(getattr(e, "field", ""))
            if w is not None:
                # Style only the widget itself, not the children of a container (e.g. a group of checkboxes).
                if not w.objectName():
                    w.setObjectName(f"field_{e.field}")
                w.setStyleSheet(f"#{w.objectName()} {{ {ERROR_STYLE} }}")
                w.setToolTip(e.message)
                self._marked.append(w)
                first = first or w
        self.setText("\n".join(lines))
        self.show()
        if first is not None:
            first.setFocus()

    def messages(self) -> list[str]:
        return [line[2:] for line in self.text().splitlines() if line.startswith("• ")]
