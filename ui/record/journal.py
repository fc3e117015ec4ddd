"""Journal: dated notes, newest first; a signed note is never changed, only annotated."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.errors import ValidationError
from app.labels import JOURNAL_LABELS
from ui import fmt
from ui.errors import form_errors, show_error
from ui.i18n import label, tr
from ui.record.base import RecordTab
from ui.widgets.common import hint
from ui.widgets.forms import DateField, ErrorPanel


class JournalTab(RecordTab):
    title = "Journal"

    def __init__(self, services, actor, case_id, parent=None):
        super().__init__(services, actor, case_id, parent)
        self.can_write = actor.may("journal.write")
        lay = QHBoxLayout(self)
        split = QSplitter()
        lay.addWidget(split)
        left = QWidget()
        ll = QVBoxLayout(left)
        self.list = QListWidget()
        self.list.setObjectName("journalList")
        self.list.setWordWrap(True)
        # Whole notes: each item is as tall as its text wrapped at the list's width, worked out here
        # (the view's own estimate comes out a line short for some notes, which then end in "…").
        self.list.setTextElideMode(Qt.ElideNone)
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOn)
        self.list.viewport().installEventFilter(self)
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(2)
        self.list.currentRowChanged.connect(self._selected)
        ll.addWidget(self.list)
        bar = QHBoxLayout()
        self.edit_button = QPushButton(tr("Ret notat"))
        self.edit_button.clicked.connect(self.edit_selected)
        bar.addWidget(self.edit_button)
        self.sign_button = QPushButton(tr("Underskriv"))
        self.annotate_button = QPushButton(tr("Tilføj påtegning…"))
        self.sign_button.clicked.connect(self.sign_selected)
        self.annotate_button.clicked.connect(self.annotate_selected)
        bar.addWidget(self.sign_button)
        bar.addWidget(self.annotate_button)
        bar.addStretch(1)
        ll.addLayout(bar)
        self.empty = hint("")
        ll.addWidget(self.empty)
        split.addWidget(left)

        box = QGroupBox(tr("Nyt notat"))
        form = QFormLayout(box)
        self.date = DateField(services.cases.today(), field="note_date", label=tr("Dato"))
        self.kind = QComboBox()
        for code, text in JOURNAL_LABELS.items():
            self.kind.addItem(tr(text, "labels"), code)
        self.text = QPlainTextEdit()
        self.text.textChanged.connect(lambda: self.dirty_changed.emit(self.has_unsaved_changes()))
        self.text.setObjectName("journalText")
        self.text.setPlaceholderText(tr("Skriv notatet her …"))
        self.sign_now = QCheckBox(tr("Underskriv med det samme (kan derefter ikke rettes)"))
        form.addRow(tr("Dato"), self.date)
        form.addRow(tr("Type"), self.kind)
        form.addRow(self.text)
        form.addRow(self.sign_now)
        self.errors = ErrorPanel()
        form.addRow(self.errors)
        self.add_button = QPushButton(tr("Gem notat"))
        self.add_button.setObjectName("primary")
        self.add_button.clicked.connect(self.add_note)
        form.addRow(self.add_button)
        box.setVisible(self.can_write)  # a role that may only read sees no form
        split.addWidget(box)
        split.setSizes([600, 400])
        self.notes = []
        self.editing = None  # the unsigned note being corrected, or None for a new note

    def load(self, detail) -> None:
        super().load(detail)
        journal, actor, case_id = self.services.journal, self.actor, self.case_id
        self.query(lambda: journal.notes(actor, case_id), self._show, key="notes")

    def _show(self, notes) -> None:
        self.notes = notes
        self.list.clear()
        for n in self.notes:
            state = (tr("underskrevet {when}").format(when=fmt.datetime_local(n.signed_at)) if n.signed_at
                     else tr("ikke underskrevet"))
            text = f"{fmt.date(n.note_date)} · {label(JOURNAL_LABELS, n.kind)} · {n.author} ({state})\n{n.text}"
            for a in n.annotations:
                text += "\n   " + tr("Påtegning {when} af {who}: {text}").format(
                    when=fmt.datetime_local(a.signed_at), who=a.author, text=a.text)
            item = QListWidgetItem(text)
            item.setData(Qt.UserRole, n.id)
            self.list.addItem(item)
        self._fit_items()
        self.empty.setText("" if self.notes else tr("Ingen journalnotater endnu. Skriv det første til højre."))
        self._selected(self.list.currentRow())

    def eventFilter(self, watched, event) -> bool:
        if watched is self.list.viewport() and event.type() == QEvent.Resize:
            self._fit_items()
        return False

    def _fit_items(self) -> None:
        width = self.list.viewport().width() - 2 * self.list.spacing()
        metrics = self.list.fontMetrics()
        for i in range(self.list.count()):
            item = self.list.item(i)
            # A little narrower than the item, for the text's own margins: never a line too few.
            height = metrics.boundingRect(QRect(0, 0, max(width - 12, 50), 1 << 20), Qt.TextWordWrap,
                                          item.text()).height()
            item.setSizeHint(QSize(width, height + 6))

    def _selected(self, row: int) -> None:
        n = self.notes[row] if 0 <= row < len(self.notes) else None
        own_unsigned = bool(n and self.can_write and not n.signed_at and n.author_id == self.actor.user_id)
        self.sign_button.setEnabled(own_unsigned)
        self.edit_button.setEnabled(own_unsigned)
        self.annotate_button.setEnabled(bool(n and self.can_write and n.signed_at))

    def has_unsaved_changes(self) -> bool:
        if self.editing is not None:
            return self.text.toPlainText() != self.editing.text
        return bool(self.text.toPlainText().strip())

    def edit_selected(self) -> None:
        n = self.notes[self.list.currentRow()]
        self.editing = n
        self.date.set_date(n.note_date)
        self.kind.setCurrentIndex(self.kind.findData(n.kind))
        self.text.setPlainText(n.text)
        self.add_button.setText(tr("Gem rettelse"))
        self.text.setFocus()

    def add_note(self) -> None:
        fields = {"text": self.text, "note_date": self.date, "kind": self.kind}
        self.errors.clear_errors()
        try:
            note_date = self.date.date()  # read on the GUI thread; a bad date is a field error
        except ValidationError as exc:
            self.errors.show_error(exc, fields)
            return
        on_error = form_errors(self.errors, fields, parent=self, on_conflict=self.changed.emit)
        journal, actor, case_id = self.services.journal, self.actor, self.case_id
        kind, text, sign, editing = self.kind.currentData(), self.text.toPlainText(), self.sign_now.isChecked(), \
            self.editing

        def save():
            if editing is not None:
                journal.edit_note(actor, editing.id, expected_version=editing.version, note_date=note_date,
                                  kind=kind, text=text)
                if sign:
                    journal.sign_note(actor, editing.id, expected_version=editing.version + 1)
            else:
                journal.add_note(actor, case_id, note_date=note_date, kind=kind, text=text, sign=sign)
        self.write(save, self._saved, disable=self.add_button, on_error=on_error)

    def _saved(self, _result=None) -> None:
        self.errors.clear_errors()
        self.text.clear()
        self.sign_now.setChecked(False)
        self.editing = None
        self.add_button.setText(tr("Gem notat"))
        self.dirty_changed.emit(False)
        self.status.emit(tr("Journalnotatet er gemt."))
        self.changed.emit()

    def sign_selected(self) -> None:
        n = self.notes[self.list.currentRow()]
        journal, actor = self.services.journal, self.actor
        self.write(lambda: journal.sign_note(actor, n.id, expected_version=n.version),
                   lambda _r: (self.status.emit(tr("Notatet er underskrevet.")), self.changed.emit()),
                   disable=self.sign_button, on_error=self._failed)

    def annotate_selected(self) -> None:
        n = self.notes[self.list.currentRow()]
        text, ok = QInputDialog.getMultiLineText(self, tr("Påtegning"), tr(
            "Påtegningen tilføjes notatet med dato og dit navn. Selve notatet ændres ikke."))
        if not ok:
            return
        journal, actor = self.services.journal, self.actor
        self.write(lambda: journal.annotate(actor, n.id, text),
                   lambda _r: (self.status.emit(tr("Påtegningen er gemt.")), self.changed.emit()),
                   disable=self.annotate_button, on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        """A note changed by someone else meanwhile: offer to show the notes as they are now."""
        show_error(self, exc, on_conflict=self.changed.emit)
