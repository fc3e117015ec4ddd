"""Forms laid out from a field table (``app.fields``): the one builder behind every form of an entity.

``FieldForm`` shows the fields of a ``FieldTable`` grouped in a box per section, the boxes side by
side as far as the width allows and stacked when it does not (``Columns``), so nothing is ever
cut off sideways. Each field's widget follows its kind: line edits limited to the column's length,
dates typed the Danish way, choices, yes/no, numbers, check boxes for a catalogue set, ICD-10 codes
with a picker, team members, rows of a sub-table. A field is either an input or a read-only value
(``set_editable``): read-only values are selectable text that never wraps inside a value, never a
greyed input that ignores typing.

Values go in by field name (``set_values``, e.g. ``CaseDetail.values``) and come back the same way
(``values``, or ``read`` which refuses what cannot be read, such as a date that is not a date), ready
for the service. A required field's caption carries an asterisk that follows the table's rule while
the user types (Arbejdsgiver only while employed). Field errors go to ``errors``, an ``ErrorPanel``
that marks the field; a field's mark and line go as soon as the user has corrected it.

Choices from a catalogue and the team's members are fetched once on the task runner
(``load_choices``); static choices come from the field itself.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyleOptionComboBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import ValidationError, ValidationErrors
from app.fields import (
    CATALOG_SET,
    CHOICE,
    CPR,
    DATE,
    ICD10,
    MULTILINE,
    NUMBER,
    PHONE,
    ROWS,
    TEXT_KINDS,
    USER,
    USERS,
    YESNO,
    Field,
    FieldTable,
)
from app.icd10 import COMMON_CODES
from app.labels import ROLE_LABELS
from ui import fmt
from ui.i18n import label, tr
from ui.tasks import runner
from ui.widgets.common import value_label
from ui.widgets.forms import DateField, ErrorPanel, YesNoCombo

NBSP = "\u00a0"
WIDE_KINDS = frozenset({ROWS, USERS, CATALOG_SET})  # inputs laid out across the box, below their caption
ICD_NAMES = dict(COMMON_CODES)


def _t(text: str) -> str:
    """A field's label or a choice's word, translated like every other domain label."""
    return QCoreApplication.translate("labels", text)


def keep_together(text: str) -> str:
    """A value that may wrap only after a comma: 'Kettegård Allé 30, 2650 Hvidovre' breaks between
    the two parts, a phone number or a name never in the middle."""
    return ", ".join(part.replace(" ", NBSP) for part in text.split(", "))


def two_lines(caption: str, longest: int = 24) -> str:
    """A long caption on two lines, broken at the space nearest its middle, so one long caption
    does not widen every row of its box. (A word-wrapped label in a form row is cut off instead.)"""
    if len(caption) <= longest or " " not in caption:
        return caption
    middle = len(caption) // 2
    at = min((i for i, ch in enumerate(caption) if ch == " "), key=lambda i: abs(i - middle))
    return caption[:at] + "\n" + caption[at + 1:]


# -- layout ----------------------------------------------------------------------------------------
class Columns(QWidget):
    """Child widgets in up to ``max_columns`` columns of equal width: as many columns as fit at the
    widest child's minimum width, one when narrow. Each column takes a run of children in order, the
    runs chosen so that the tallest column is as short as it can be. Its height follows its width
    (height for width), so a scroll area around it scrolls vertically only.

    A widget that places its children itself rather than a ``QLayout`` subclass: PySide6 loses a
    reference to ``None`` each time a Python ``QLayout.itemAt`` answers "no more items", and Qt asks
    that on every layout pass."""

    def __init__(self, parent: QWidget | None = None, *, max_columns: int = 2, spacing: int = 10):
        super().__init__(parent)
        self._children: list[QWidget] = []
        self._max_columns = max_columns
        self._spacing = spacing
        self._heights: dict[int, int] = {}  # height for width, until a child changes
        self._cache: tuple[list[QWidget], int] | None = None  # shown children, widest minimum width
        policy = QSizePolicy(QSizePolicy.Preferred, QSizePolicy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def add(self, widget: QWidget) -> None:
        if widget.parentWidget() is not self:
            widget.setParent(self)
        self._children.append(widget)
        if self.isVisible() and not _hidden_by_hand(widget):
            widget.show()  # children added after the first show are not shown with it
        # Placed once for all the children added in one go (the record adds them by the dozen):
        # Qt merges the posted layout requests into one.
        self._heights.clear()
        self._cache = None
        self.updateGeometry()
        QCoreApplication.postEvent(self, QEvent(QEvent.LayoutRequest))

    def _relayout(self) -> None:
        self._heights.clear()
        self._cache = None
        self.updateGeometry()
        self._place()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.LayoutRequest:  # a child's size or visibility changed
            self._relayout()
            return True
        if event.type() == QEvent.ChildRemoved:
            self._children = [w for w in self._children if w is not event.child()]
        return super().event(event)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place()

    def _place(self) -> None:
        if self.isVisible() or self.testAttribute(Qt.WA_Resized):
            self._arrange(self.width(), apply=True)

    # sizes
    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        if width not in self._heights:
            self._heights[width] = self._arrange(width, apply=False)
        return self._heights[width]

    def _measure(self) -> tuple[list[QWidget], int]:
        if self._cache is None:
            shown = [w for w in self._children if not _hidden_by_hand(w)]
            widest = max((max(w.minimumSizeHint().width(), w.minimumWidth()) for w in shown), default=0)
            self._cache = (shown, widest)
        return self._cache

    def _shown(self) -> list[QWidget]:
        return self._measure()[0]

    def minimumSizeHint(self) -> QSize:
        shown, widest = self._measure()
        return QSize(widest, max((w.minimumSizeHint().height() for w in shown), default=0))

    def sizeHint(self) -> QSize:
        shown = self._shown()
        n = min(self._max_columns, len(shown)) or 1
        width = max((w.sizeHint().width() for w in shown), default=0) * n + self._spacing * (n - 1)
        return QSize(width, self.heightForWidth(width))

    # placing
    def columns_for(self, width: int) -> int:
        """How many columns fit side by side in ``width``."""
        shown, need = self._measure()
        if not shown:
            return 1
        n = min(self._max_columns, len(shown))
        while n > 1 and (width - self._spacing * (n - 1)) // n < need:
            n -= 1
        return n

    def _arrange(self, width: int, *, apply: bool) -> int:
        shown = self._shown()
        if not shown:
            return 0
        n = self.columns_for(width)
        col_width = (width - self._spacing * (n - 1)) // n
        heights = [w.heightForWidth(col_width) if w.hasHeightForWidth() else w.sizeHint().height()
                   for w in shown]
        tallest = start = 0
        for col, length in enumerate(_balanced_runs(heights, n, self._spacing)):
            x = col * (col_width + self._spacing)
            y = 0
            for i in range(start, start + length):
                if apply:
                    shown[i].setGeometry(QRect(x, y, col_width, heights[i]))
                y += heights[i] + self._spacing
            tallest = max(tallest, y - self._spacing)
            start += length
        return tallest


def _hidden_by_hand(w: QWidget) -> bool:
    """Hidden with hide()/setVisible(False), not merely not shown yet (as every new child is)."""
    return w.testAttribute(Qt.WA_WState_ExplicitShowHide) and w.testAttribute(Qt.WA_WState_Hidden)


def _balanced_runs(heights: Sequence[int], n: int, spacing: int) -> list[int]:
    """Split ``heights`` into at most ``n`` runs, in order, so the tallest run is as short as possible;
    returns the run lengths."""
    count = len(heights)
    n = max(1, min(n, count))
    best: dict[tuple[int, int], tuple[int, list[int]]] = {}

    def solve(start: int, cols: int) -> tuple[int, list[int]]:
        if (start, cols) in best:
            return best[start, cols]
        if cols == 1:
            result = (sum(heights[start:]) + spacing * (count - start - 1), [count - start])
        else:
            result = (1 << 30, [])
            run = -spacing
            for end in range(start + 1, count - cols + 2):
                run += heights[end - 1] + spacing
                rest, lengths = solve(end, cols - 1)
                tallest = max(run, rest)
                if tallest < result[0]:
                    result = (tallest, [end - start, *lengths])
        best[start, cols] = result
        return result
    return solve(0, n)[1]


# -- inputs ----------------------------------------------------------------------------------------
# Every input speaks the same small protocol: ``field_value()``, ``set_field_value(value)`` and the
# signal ``value_changed``, so the form reads, fills and watches each kind the same way.

class _WheelNeedsFocus:
    """A combo or spin box inside a scrolling form ignores the mouse wheel until it has focus:
    scrolling the form must never change a value by accident."""

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class LineInput(QLineEdit):
    value_changed = Signal()

    def __init__(self, max_len: int | None = None, placeholder: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        if max_len:
            self.setMaxLength(max_len)
        self.setPlaceholderText(placeholder)
        self.textChanged.connect(self.value_changed)

    def field_value(self) -> str:
        return self.text()

    def set_field_value(self, value: Any) -> None:
        self.setText("" if value is None else str(value))


class TextInput(QPlainTextEdit):
    value_changed = Signal()

    def __init__(self, placeholder: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.textChanged.connect(self.value_changed)

    def field_value(self) -> str:
        return self.toPlainText()

    def set_field_value(self, value: Any) -> None:
        self.setPlainText(value or "")


class ChoiceInput(_WheelNeedsFocus, QComboBox):
    """One code of a list; a value set before the list has arrived is selected when it arrives."""
    value_changed = Signal()

    def __init__(self, empty: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._empty = empty
        self._wanted: Any = None
        self.setFocusPolicy(Qt.StrongFocus)
        self.setMinimumContentsLength(8)
        self.currentIndexChanged.connect(self._changed)
        self.set_choices([])
        self._arrived = False  # until the real choices are set, the value is the one asked for

    # Long labels (subgroups) must not make the form wider; the open list shows them in full. This
    # is Qt's AdjustToMinimumContentsLengthWithIcon, computed here: setting that policy builds the
    # popup list at once, 3 ms a box and most of the time a form takes to build.
    def sizeHint(self) -> QSize:  # noqa: N802
        if self.sizeAdjustPolicy() != QComboBox.AdjustToContentsOnFirstShow:
            return super().sizeHint()   # a box told to fit its words (a short list)
        opt = QStyleOptionComboBox()
        self.initStyleOption(opt)
        fm = self.fontMetrics()
        icon = self.iconSize()
        inner = QSize(fm.horizontalAdvance("x") * self.minimumContentsLength() + icon.width() + 4,
                      max(fm.height(), icon.height()))
        return self.style().sizeFromContents(QStyle.CT_ComboBox, opt, inner, self)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.sizeHint() if self.sizeAdjustPolicy() == QComboBox.AdjustToContentsOnFirstShow \
            else super().minimumSizeHint()

    def set_choices(self, pairs: Iterable[tuple[Any, str]]) -> None:
        blocked = self.blockSignals(True)
        self.clear()
        if self._empty is not None:
            self.addItem(self._empty, None)
        for code, text in pairs:
            self.addItem(text, code)
        self.blockSignals(blocked)
        self._arrived = True
        self.set_field_value(self._wanted)

    def _changed(self, _index: int) -> None:
        self._wanted = self.currentData()
        self.value_changed.emit()

    def showPopup(self) -> None:
        # The open list is as wide as its longest line, measured only when it is first opened.
        self.view().setMinimumWidth(self.view().sizeHintForColumn(0) + 24)
        super().showPopup()

    def has_choice(self, value: Any) -> bool:
        return any(self.itemData(i) == value for i in range(self.count()))

    def field_value(self) -> Any:
        return self.currentData() if self._arrived and self.currentIndex() >= 0 else self._wanted

    def set_field_value(self, value: Any) -> None:
        index = next((i for i in range(self.count()) if self.itemData(i) == value), -1)
        self.setCurrentIndex(max(index, 0) if self.count() else -1)
        self._wanted = value


class YesNoInput(_WheelNeedsFocus, YesNoCombo):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(None, parent)
        self.setFocusPolicy(Qt.StrongFocus)


class NumberInput(_WheelNeedsFocus, QDoubleSpinBox):
    """A number within the field's bounds; the lowest value reads 'Ikke oplyst' and means no value."""
    value_changed = Signal()

    def __init__(self, bounds: tuple[float, float] | None, unit: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        low, high = bounds or (0, 1_000_000)
        self.setRange(low, high)
        self.setDecimals(1)
        self.setSpecialValueText(tr("Ikke oplyst"))
        if unit:
            self.setSuffix(" " + tr(unit))
        self.setFocusPolicy(Qt.StrongFocus)
        self.setMaximumWidth(160)
        self.valueChanged.connect(self.value_changed)

    def field_value(self) -> float | None:
        return None if self.value() == self.minimum() else self.value()

    def set_field_value(self, value: float | None) -> None:
        self.setValue(self.minimum() if value is None else value)


class CheckGrid(Columns):
    """Several codes of a list as check boxes, in as many columns as fit."""
    value_changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, spacing=2)
        self.setAttribute(Qt.WA_StyledBackground)  # so an error border shows around the boxes
        self.boxes: dict[Any, QCheckBox] = {}
        self._wanted: list[Any] = []

    def set_items(self, pairs: Iterable[tuple[Any, str]]) -> None:
        for box in self.boxes.values():
            box.deleteLater()
        self.boxes = {}
        for code, text in pairs:
            box = QCheckBox(text, self)
            box.setObjectName(f"check_{code}")
            box.toggled.connect(self._changed)
            self.boxes[code] = box
            self.add(box)
        self.set_field_value(self._wanted)

    def _changed(self, _on: bool) -> None:
        self._wanted = self.field_value()
        self.value_changed.emit()

    def field_value(self) -> list[Any]:
        if not self.boxes:
            return list(self._wanted)
        return [code for code, box in self.boxes.items() if box.isChecked()]

    def set_field_value(self, value: Iterable[Any] | None) -> None:
        self._wanted = list(value or [])
        for code, box in self.boxes.items():
            blocked = box.blockSignals(True)
            box.setChecked(code in self._wanted)
            box.blockSignals(blocked)


class IcdInput(QWidget):
    """ICD-10 codes typed with commas, and a picker that finds a code by its Danish name: choosing one
    adds its code (once) and empties the picker for the next."""
    value_changed = Signal()

    def __init__(self, placeholder: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setAttribute(Qt.WA_StyledBackground)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        self.codes = QLineEdit(self)
        self.codes.setObjectName("icd10_codes")
        self.codes.setPlaceholderText(placeholder)
        self.codes.textChanged.connect(self.value_changed)
        self.picker = QLineEdit(self)
        self.picker.setObjectName("icd10_picker")
        self.picker.setPlaceholderText(tr("Søg diagnose efter navn eller kode …"))
        self.picker.setClearButtonEnabled(True)
        completer = QCompleter([f"{code} {name}" for code, name in COMMON_CODES], self)
        completer.setCaseSensitivity(Qt.CaseInsensitive)
        completer.setFilterMode(Qt.MatchContains)
        completer.activated.connect(self.add_choice)
        self.picker.setCompleter(completer)
        lay.addWidget(self.codes)
        lay.addWidget(self.picker)
        self.setFocusProxy(self.codes)

    def add_choice(self, text: str) -> None:
        """A line of the picker was chosen ('F43.2 Tilpasningsreaktion'): add its code."""
        code = text.split()[0] if text.split() else ""
        codes = self.field_value()
        if code and code not in codes:
            self.codes.setText(", ".join([*codes, code]))
        # The completer writes the chosen line into the picker after this slot: empty it afterwards.
        QTimer.singleShot(0, self.picker.clear)

    def field_value(self) -> list[str]:
        return [c.strip() for c in self.codes.text().replace(";", ",").split(",") if c.strip()]

    def set_field_value(self, value: Iterable[str] | None) -> None:
        self.codes.setText(", ".join(value or []))


class RowsInput(QWidget):
    """Rows of a sub-table (a case's workplace contacts): one line of inputs per row, built by the
    same rules as the form's own fields, and a button for one more row. Empty lines are left out."""
    value_changed = Signal()

    def __init__(self, field: Field, today: Callable[[], dt.date], parent: QWidget | None = None):
        super().__init__(parent)
        self.setAttribute(Qt.WA_StyledBackground)
        self.sub = field.rows
        self._today = today
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(6)
        self.grid.setVerticalSpacing(4)
        for col, f in enumerate(self.sub):
            head = QLabel(_t(f.label), self)
            head.setObjectName("hint")
            self.grid.addWidget(head, 0, col)
            self.grid.setColumnStretch(col, 0 if f.kind == CHOICE else 2 if f.kind in (TEXT_KINDS - {PHONE}) else 1)
        self.rows: list[dict[str, QWidget]] = []
        self.add_button = QPushButton(tr("Tilføj endnu en"), self)
        self.add_button.clicked.connect(self.add_row)
        self.add_row()

    def add_row(self) -> dict[str, QWidget]:
        r = len(self.rows) + 1
        row = {}
        for col, f in enumerate(self.sub):
            w = make_input(f, self._today, parent=self)
            if isinstance(w, QComboBox):
                w.setSizeAdjustPolicy(QComboBox.AdjustToContents)  # a short list: show its words whole
            w.value_changed.connect(self.value_changed)
            self.grid.addWidget(w, r, col)
            row[f.name] = w
        self.rows.append(row)
        self.grid.removeWidget(self.add_button)
        self.grid.addWidget(self.add_button, r + 1, 0, 1, len(self.sub.fields), Qt.AlignLeft)
        return row

    def field_value(self) -> list[dict[str, Any]]:
        out = []
        for row in self.rows:
            values = {name: w.field_value() for name, w in row.items()}
            if any(str(v or "").strip() for name, v in values.items() if self.sub[name].kind in TEXT_KINDS):
                out.append(values)
        return out

    def set_field_value(self, value: Iterable[Mapping[str, Any]] | None) -> None:
        rows = list(value or [])
        while len(self.rows) < max(len(rows), 1):
            self.add_row()
        for i, row in enumerate(self.rows):
            for name, w in row.items():
                f = self.sub[name]
                w.set_field_value(rows[i].get(name, f.default) if i < len(rows) else f.default)


def _empty_choice(field: Field, offered: bool) -> str | None:
    """The text of the 'nothing chosen' entry, or None when a choice must always be made."""
    if field.kind == USER:
        return tr("Ingen")
    if offered or field.default is not None or field.is_required({}):
        return None
    return tr("Ikke valgt")


def make_input(field: Field, today: Callable[[], dt.date], offer: Collection[Any] | None = None, *,
               parent: QWidget | None = None) -> QWidget:
    """The input widget for ``field``'s kind (choices from a catalogue or the team are filled later).
    Built inside ``parent``: moving a built widget under another parent would style it all again."""
    kind = field.kind
    placeholder = _t(field.placeholder) if field.placeholder else ""
    if kind == MULTILINE:
        w: QWidget = TextInput(placeholder, parent)
    elif kind == DATE:
        w = DateField(None, field=field.name, label=field.label, required=False, parent=parent)
    elif kind in (CHOICE, USER):
        w = ChoiceInput(_empty_choice(field, offer is not None), parent)
        if field.choices is not None:
            w.set_choices((code, _t(text)) for code, text in field.choices.items()
                          if offer is None or code in offer)
    elif kind == YESNO:
        w = YesNoInput(parent)
    elif kind == NUMBER:
        w = NumberInput(field.bounds, field.unit, parent)
    elif kind in (CATALOG_SET, USERS):
        w = CheckGrid(parent)
    elif kind == ICD10:
        w = IcdInput(placeholder, parent)
    elif kind == ROWS:
        w = RowsInput(field, today, parent)
    else:  # TEXT, EMAIL, PHONE, POSTCODE, CPR: one line, no longer than the column
        w = LineInput(11 if kind == CPR else field.max_len, placeholder, parent)
    w.setObjectName(field.name)
    return w


# -- the form --------------------------------------------------------------------------------------
class FieldForm(QWidget):
    """A table's fields in boxes per section; inputs for the editable ones, values for the rest."""

    edited = Signal()          # the user changed a value
    choices_loaded = Signal()  # catalogues and team members have arrived

    def __init__(self, table: FieldTable, fields: Iterable[Field] | None = None, *, inputs: Collection[str] = (),
                 sections: Sequence[str] | None = None, offer: Mapping[str, Collection[Any]] | None = None,
                 today: Callable[[], dt.date], max_columns: int = 2, deferred: bool = False,
                 parent: QWidget | None = None):
        """``deferred``: build nothing yet; the owner calls ``build_step`` (one section a call, e.g.
        one per turn of the event loop) or ``build``. Build it inside its final parent: moving a
        built form to another parent styles every widget in it again."""
        super().__init__(parent)
        self.table = table
        self.fields = list(table if fields is None else fields)
        self._today = today
        self.inputs: dict[str, QWidget] = {}
        self.captions: dict[str, QLabel] = {}
        self.value_labels: dict[str, QLabel] = {}
        self.boxes: dict[str, QGroupBox] = {}
        self._forms: dict[str, QFormLayout] = {}
        self._editable: set[str] = set()
        self._values: dict[str, Any] = {}
        self._display: dict[str, str] = {}
        self._catalog_labels: dict[str, dict[str, str]] = {}
        self._people: dict[int, str] = {}
        self.errors = ErrorPanel()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.columns = Columns(self, max_columns=max_columns)
        lay.addWidget(self.columns)
        order = list(sections or [])
        order += [s for s in dict.fromkeys(f.section for f in self.fields) if s not in order]
        self._plan = [(section, [f for f in self.fields if f.section == section]) for section in order]
        self._wanted_inputs = set(inputs)
        self._offer = dict(offer or {})
        self.built = False
        self.choices_ready = False
        if not deferred:
            self.build()

    def build_step(self) -> bool:
        """Build the next section (styled, so showing it later costs little); True once all are."""
        if self._plan:
            section, fields = self._plan.pop(0)
            self._section(section)
            for f in fields:
                self._add_field(f, f.name in self._wanted_inputs, self._offer.get(f.name))
            self.boxes[section].ensurePolished()
        if not self._plan and not self.built:
            self.built = True
            self.choices_ready = not self._needs_choices()
            self.set_editable(self._wanted_inputs)
        return self.built

    def build(self) -> None:
        while not self.build_step():
            pass

    # -- building ------------------------------------------------------------------------------
    def _section(self, title: str) -> QFormLayout:
        if title not in self._forms:
            box = QGroupBox(_t(title), self.columns)
            form = QFormLayout(box)
            form.setContentsMargins(6, 6, 6, 8)
            form.setLabelAlignment(Qt.AlignLeft | Qt.AlignTop)
            form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
            self.boxes[title] = box
            self._forms[title] = form
            self.columns.add(box)
        return self._forms[title]

    def _add_field(self, f: Field, as_input: bool, offer: Collection[Any] | None) -> None:
        form = self._forms[f.section]
        box = self.boxes[f.section]
        caption = QLabel(two_lines(_t(f.label)), box)
        self.captions[f.name] = caption
        if not as_input:
            form.addRow(caption, self._value_label(f, box))
            return
        w = make_input(f, self._today, offer, parent=box)
        w.value_changed.connect(self._input_changed)
        self.inputs[f.name] = w
        caption.setBuddy(w)
        if f.kind in WIDE_KINDS:  # the caption above, the rows or check boxes across the whole box
            form.addRow(caption)
            form.addRow(w)
        else:
            form.addRow(caption, w)

    def _value_label(self, f: Field, parent: QWidget) -> QLabel:
        label_ = value_label(self.display_text(f, self._value_of(f)))
        label_.setParent(parent)
        label_.setObjectName("value_" + f.name)
        self.value_labels[f.name] = label_
        return label_

    def _read_only_beside(self, name: str) -> None:
        """An input field shown read-only for once (a phase that may not be set now): its value label
        goes beside the input in the same row, and one of the two is shown."""
        f = self.table[name]
        w = self.inputs[name]
        box = self.boxes[f.section]
        cell = QWidget(box)
        self._forms[f.section].replaceWidget(w, cell)
        lay = QVBoxLayout(cell)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(w)
        lay.addWidget(self._value_label(f, cell))

    def add_box(self, widget: QWidget) -> None:
        """Another box among the sections (e.g. a record's activity counts); build it with
        ``form.columns`` as its parent."""
        self.columns.add(widget)

    def add_info(self, section: str, caption: str, *, first: bool = False) -> QLabel:
        """A read-only line that is not a field of the table (a case number, a computed week)."""
        form = self._section(section)
        box = self.boxes[section]
        label_ = value_label("")
        label_.setParent(box)
        caption_ = QLabel(two_lines(caption), box)
        if first:
            form.insertRow(0, caption_, label_)
        else:
            form.addRow(caption_, label_)
        return label_

    def add_hint(self, name: str, *, lines: int = 2) -> QLabel:
        """A hint under a field's input, with room for ``lines`` lines kept whether it says anything
        or not, so the form never moves under the user's pointer when it changes."""
        section = self.table[name].section
        form = self._forms[section]
        row, _role = form.getWidgetPosition(self.inputs[name])
        hint = QLabel("", self.boxes[section])
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignLeft | Qt.AlignTop)
        hint.setFixedHeight(hint.fontMetrics().lineSpacing() * lines + 4)
        form.insertRow(row + 1, hint)
        return hint

    def set_row_visible(self, widget: QWidget, visible: bool) -> None:
        for form in self._forms.values():
            if form.indexOf(widget) >= 0:
                form.setRowVisible(widget, visible)

    # -- editable or read-only -----------------------------------------------------------------
    def set_editable(self, names: Collection[str]) -> None:
        """Show the named fields (of those built as inputs) as inputs and every other as its value."""
        self._editable = set(names) & set(self.inputs)
        for name, w in self.inputs.items():
            on = name in self._editable
            if not on and name not in self.value_labels:
                self._read_only_beside(name)
            if name in self.value_labels:
                w.setVisible(on)
                self.value_labels[name].setVisible(not on)
        self._update_required()

    # -- values --------------------------------------------------------------------------------
    def _value_of(self, f: Field) -> Any:
        if f.name in self._values:
            return self._values[f.name]
        return f.default if f.default is not None else f.blank

    def set_values(self, values: Mapping[str, Any], display: Mapping[str, str] | None = None) -> None:
        """Fill inputs and values; ``display`` gives the text of a read-only value the form cannot
        work out itself (a coordinator's name). Clears any errors shown."""
        self._values = dict(values)
        self._display = dict(display or {})
        self.setUpdatesEnabled(False)
        for f in self.fields:
            value = self._value_of(f)
            w = self.inputs.get(f.name)
            if w is not None:
                blocked = w.blockSignals(True)
                w.set_field_value(value)
                w.blockSignals(blocked)
            if f.name in self.value_labels:
                self.value_labels[f.name].setText(self.display_text(f, value))
        self.errors.clear_errors()
        self._update_required()
        self.setUpdatesEnabled(True)

    def set_value(self, name: str, value: Any) -> None:
        """Put a value into one input as the form's own suggestion: not counted as the user's edit."""
        w = self.inputs[name]
        blocked = w.blockSignals(True)
        w.set_field_value(value)
        w.blockSignals(blocked)
        self._update_required()

    def values(self) -> dict[str, Any]:
        """The editable fields' values by name, as typed (a date that is not a date stays text)."""
        return {name: w.field_value() for name, w in self.inputs.items() if name in self._editable}

    def read(self) -> dict[str, Any]:
        """The values for the service; raises ValidationErrors when something cannot be read (a
        date that is not a date), together with every rule the other fields break, in form order."""
        values = self.values()
        bad = [ValidationError(name, "skal være en gyldig dato som dd-mm-åååå", label=self.table[name].label)
               for name, value in values.items() if self.table[name].kind == DATE and isinstance(value, str)]
        if not bad:
            return values
        rest = {k: v for k, v in values.items() if k not in {e.field for e in bad}}
        _clean, more = self.table.check(rest, only=rest, context=self._values, today=self._today())
        order = {name: i for i, name in enumerate(self.inputs)}
        raise ValidationErrors(sorted(bad + more, key=lambda e: order.get(e.field, len(order))))

    def display_text(self, f: Field, value: Any) -> str:
        """A value as the read-only form shows it."""
        if f.name in self._display:
            return self._display[f.name] or "–"
        kind = f.kind
        if kind == YESNO:
            return _t(f.choice_label(value))
        if value is None or value == "" or value == []:
            return "–"
        if kind == DATE:
            return fmt.date(value)
        if kind == NUMBER:
            return fmt.number(value, 0 if float(value).is_integer() else 1) + (f" {tr(f.unit)}" if f.unit else "")
        if kind == CHOICE:  # words, which may wrap like any text
            if f.choices is not None:
                return label(f.choices, value, str(value))
            return self._catalog_labels.get(f.catalog, {}).get(value, str(value))
        if kind == CATALOG_SET:
            names = self._catalog_labels.get(f.catalog, {})
            return ", ".join(keep_together(names.get(v, str(v))) for v in value)
        if kind == ICD10:
            return "\n".join(f"{code} {ICD_NAMES[code]}" if code in ICD_NAMES else code for code in value)
        if kind == USER:
            return keep_together(self._people.get(value, "…"))
        if kind == USERS:
            return "\n".join(keep_together(self._people.get(v, "…")) for v in value)
        if kind == ROWS:
            return "\n".join(self._row_text(f.rows, row) for row in value)
        if kind == MULTILINE:
            return str(value)
        return keep_together(str(value))

    def _row_text(self, sub: FieldTable, row: Mapping[str, Any]) -> str:
        words = [_t(f.choice_label(row.get(f.name))) if f.kind == CHOICE else str(row.get(f.name) or "")
                 for f in sub]
        head, *rest = [keep_together(w) for w in words if w] or ["–"]
        return head + ": " + ", ".join(rest) if rest else head  # may wrap between the parts only

    # -- choices from the database -------------------------------------------------------------
    def _needs(self) -> tuple[list[str], bool, bool]:
        """The catalogues the inputs offer, and whether coordinators and team members are needed
        (to choose, or to name the members of a read-only team)."""
        kinds = sorted({f.catalog for f in self.fields
                        if f.catalog and f.choices is None and f.name in self.inputs})
        coordinators = any(f.kind == USER and f.name in self.inputs for f in self.fields)
        members = any(f.kind == USERS for f in self.fields)
        return kinds, coordinators, members

    def _needs_choices(self) -> bool:
        kinds, coordinators, members = self._needs()
        return bool(kinds) or coordinators or members

    def load_choices(self, services, actor) -> None:
        """Fetch the catalogues and team lists the fields need, once, on the task runner."""
        if not self._needs_choices():
            return
        kinds, coordinators, members = self._needs()
        catalog, team = services.catalog, services.team

        def fetch():
            # A case's coordinator is one of the team's coordinators (the service's rule); its team
            # members are anyone on the team.
            return ({kind: catalog.items(kind) for kind in kinds},
                    team.coordinators(actor) if coordinators else [], team.members(actor) if members else [])
        runner().query(fetch, self._choices_arrived, parent=self)

    def _choices_arrived(self, result) -> None:
        catalogs, coordinators, members = result
        self._catalog_labels = {kind: {item.code: item.label for item in items} for kind, items in catalogs.items()}
        self._people = {p.id: p.full_name for p in [*coordinators, *members]}
        for f in self.fields:
            w = self.inputs.get(f.name)
            if w is None:
                continue
            blocked = w.blockSignals(True)
            if f.kind == CHOICE and f.choices is None:
                w.set_choices((item.code, item.label) for item in catalogs[f.catalog])
            elif f.kind == CATALOG_SET:
                w.set_items((item.code, item.label) for item in catalogs[f.catalog])
            elif f.kind == USER:
                w.set_choices((p.id, p.full_name) for p in coordinators)
            elif f.kind == USERS:
                w.set_items((p.id, f"{p.full_name} ({label(ROLE_LABELS, p.role)})") for p in members)
            w.blockSignals(blocked)
        for name, label_ in self.value_labels.items():
            label_.setText(self.display_text(self.table[name], self._value_of(self.table[name])))
        self.choices_ready = True
        self._update_required()
        self.choices_loaded.emit()

    # -- live rules ----------------------------------------------------------------------------
    def _input_changed(self) -> None:
        self._user_edited(self.sender().objectName())  # an input is named after its field

    def _user_edited(self, name: str) -> None:
        self._update_required()
        wrong = self.errors.fields_with_errors()
        if wrong:
            current = self.values()
            merged = {**self._values, **current}
            for other in wrong:
                f = self.table[other] if other in self.table else None
                # The edited field, and fields whose requirement depends on others, are checked again.
                if f is not None and other in current and (other == name or callable(f.required)) \
                        and self._passes(f, current[other], merged):
                    self.errors.clear_field(other)
        self.edited.emit()

    def _passes(self, f: Field, value: Any, values: Mapping[str, Any]) -> bool:
        if f.kind == DATE and isinstance(value, str):
            return False
        try:
            f.clean(value, values, self._today())
        except ValidationError:
            return False
        return True

    def _update_required(self) -> None:
        merged = {**self._values, **self.values()}
        for f in self.fields:
            caption = self.captions.get(f.name)
            if caption is None:
                continue
            text = two_lines(_t(f.label) + (" *" if f.name in self._editable and f.is_required(merged) else ""))
            if caption.text() != text:
                caption.setText(text)
