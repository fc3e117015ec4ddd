"""The journal (dated notes, newest first; signed notes are only annotated) and the timeline tab."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QInputDialog, QLabel,
                               QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton, QSplitter, QVBoxLayout,
                               QWidget)

from app.errors import AppError
from app.labels import JOURNAL_LABELS
from app.services import Actor, Services
from ui import fmt
from ui.widgets.common import hint, show_error
from ui.widgets.forms import DateField, ErrorPanel
from ui.widgets.simple_table import ListTableModel, make_table


class JournalTab(QWidget):
    title = "Journal"

    def __init__(self, services: Services, actor: Actor, case_id: int, record):
        super().__init__()
        self.services, self.actor, self.case_id, self.record = services, actor, case_id, record
        self.can_write = actor.may("journal.write")
        lay = QHBoxLayout(self)
        split = QSplitter()
        lay.addWidget(split)
        left = QWidget()
        ll = QVBoxLayout(left)
        self.list = QListWidget()
        self.list.setObjectName("journalList")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(2)
        self.list.currentRowChanged.connect(self._selected)
        ll.addWidget(self.list)
        bar = QHBoxLayout()
        self.edit_button = QPushButton("Ret notat")
        self.edit_button.clicked.connect(self.edit_selected)
        bar.addWidget(self.edit_button)
        self.sign_button = QPushButton("Underskriv")
        self.annotate_button = QPushButton("Tilføj påtegning…")
        self.sign_button.clicked.connect(self.sign_selected)
        self.annotate_button.clicked.connect(self.annotate_selected)
        bar.addWidget(self.sign_button)
        bar.addWidget(self.annotate_button)
        bar.addStretch(1)
        ll.addLayout(bar)
        self.empty = hint("")
        ll.addWidget(self.empty)
        split.addWidget(left)

        box = QGroupBox("Nyt notat")
        form = QFormLayout(box)
        self.date = DateField(services.cases.today(), field="note_date", label="Dato")
        self.kind = QComboBox()
        for code, label in JOURNAL_LABELS.items():
            self.kind.addItem(label, code)
        self.text = QPlainTextEdit()
        self.text.setObjectName("journalText")
        self.text.setPlaceholderText("Skriv notatet her …")
        self.sign_now = QCheckBox("Underskriv med det samme (kan derefter ikke rettes)")
        form.addRow("Dato", self.date)
        form.addRow("Type", self.kind)
        form.addRow(self.text)
        form.addRow(self.sign_now)
        self.errors = ErrorPanel()
        form.addRow(self.errors)
        self.add_button = QPushButton("Gem notat")
        self.add_button.setObjectName("primary")
        self.add_button.clicked.connect(self.add_note)
        form.addRow(self.add_button)
        box.setEnabled(self.can_write)
        split.addWidget(box)
        split.setSizes([600, 400])
        self.notes = []
        self.editing = None  # the unsigned note being corrected, or None for a new note

    def reload(self, _detail=None) -> None:
        self.notes = self.services.journal.notes(self.actor, self.case_id)
        self.list.clear()
        for n in self.notes:
            state = f"underskrevet {fmt.datetime_local(n.signed_at)}" if n.signed_at else "ikke underskrevet"
            text = f"{fmt.date(n.note_date)} · {JOURNAL_LABELS.get(n.kind, n.kind)} · {n.author} ({state})\n{n.text}"
            for a in n.annotations:
                text += f"\n   Påtegning {fmt.datetime_local(a.signed_at)} af {a.author}: {a.text}"
            item = QListWidgetItem(text)
            item.setData(Qt.UserRole, n.id)
            self.list.addItem(item)
        self.empty.setText("" if self.notes else "Ingen journalnotater endnu. Skriv det første til højre.")
        self._selected(self.list.currentRow())

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
        self.add_button.setText("Gem rettelse")
        self.text.setFocus()

    def add_note(self) -> None:
        try:
            if self.editing is not None:
                self.services.journal.edit_note(self.actor, self.editing.id, expected_version=self.editing.version,
                                                note_date=self.date.date(), kind=self.kind.currentData(),
                                                text=self.text.toPlainText())
                if self.sign_now.isChecked():
                    self.services.journal.sign_note(self.actor, self.editing.id,
                                                    expected_version=self.editing.version + 1)
            else:
                self.services.journal.add_note(self.actor, self.case_id, note_date=self.date.date(),
                                               kind=self.kind.currentData(), text=self.text.toPlainText(),
                                               sign=self.sign_now.isChecked())
        except AppError as exc:
            self.errors.show_error(exc, {"text": self.text, "note_date": self.date, "kind": self.kind})
            return
        self.errors.clear_errors()
        self.text.clear()
        self.sign_now.setChecked(False)
        self.editing = None
        self.add_button.setText("Gem notat")
        self.record.reload(force=True)

    def sign_selected(self) -> None:
        n = self.notes[self.list.currentRow()]
        try:
            self.services.journal.sign_note(self.actor, n.id, expected_version=n.version)
        except AppError as exc:
            show_error(self, exc)
        self.reload()

    def annotate_selected(self) -> None:
        n = self.notes[self.list.currentRow()]
        text, ok = QInputDialog.getMultiLineText(self, "Påtegning", "Påtegningen tilføjes notatet med dato og "
                                                 "dit navn. Selve notatet ændres ikke.")
        if not ok:
            return
        try:
            self.services.journal.annotate(self.actor, n.id, text)
        except AppError as exc:
            show_error(self, exc)
        self.reload()


class TimelineTab(QWidget):
    title = "Tidslinje"

    def __init__(self, services: Services, actor: Actor, case_id: int, record):
        super().__init__()
        self.services, self.actor, self.case_id = services, actor, case_id
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("Alt, der er sket i forløbet, i tidsorden."))
        self.model = ListTableModel(["Dato", "Uge", "Hændelse", "Detaljer"])
        self.view = make_table(self.model, [100, 70, 300])
        self.view.setObjectName("timeline")
        lay.addWidget(self.view)

    def reload(self, _detail=None) -> None:
        events = self.services.journal.timeline(self.actor, self.case_id)
        self.events = events
        self.model.set_rows([[fmt.date(e.when), fmt.week(e.when), e.title, e.detail] for e in events])
