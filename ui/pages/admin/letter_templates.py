"""Administration › Brevskabeloner: the letters' texts with named merge fields ({borger_navn}), edited by
the team lead or administrator. The field list inserts a field at the cursor; the preview shows the
letter with example values and every problem (an unknown or misspelt field, a lone brace, a health
field in a letter to the employer), which also stops the save."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.labels import LETTER_KIND_LABELS
from app.letter_templates import MERGE_FIELDS, RECIPIENT_LABELS
from ui.errors import form_errors
from ui.i18n import tr
from ui.pages.admin.tab import AdminTab
from ui.tasks import runner
from ui.widgets.common import hint
from ui.widgets.forms import ErrorPanel


class LetterTemplatesTab(AdminTab):
    title = "Brevskabeloner"

    def __init__(self, services, actor, parent: QWidget | None = None):
        super().__init__(services, actor, parent)
        lay = self.tab_layout(tr(
            "Brevenes tekst med flettefelter i krøllede parenteser, fx {borger_navn}. Dobbeltklik på et felt for at "
            "sætte det ind. Et ukendt eller stavet forkert felt vises, før skabelonen gemmes; et brev til "
            "arbejdsgiveren kan aldrig indeholde diagnoser, testresultater eller udredningens fund."))
        split = QSplitter()
        self.list = QListWidget()
        self.list.currentRowChanged.connect(self._selected)
        split.addWidget(self.list)

        middle = QWidget()
        ml = QVBoxLayout(middle)
        ml.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.name = QLineEdit()
        self.code = QLineEdit()
        self.code.setMaximumWidth(160)
        self.recipient = QComboBox()
        for code, text in RECIPIENT_LABELS.items():
            self.recipient.addItem(tr(text), code)
        self.kind = QComboBox()
        for code, text in LETTER_KIND_LABELS.items():
            self.kind.addItem(tr(text), code)
        self.subject = QLineEdit()
        self.body = QPlainTextEdit()
        self.body.setObjectName("templateBody")
        self.active = QCheckBox(tr("Aktiv (kan vælges, når et brev skrives)"))
        form.addRow(tr("Navn"), self.name)
        form.addRow(tr("Kort navn"), self.code)
        form.addRow(tr("Modtager"), self.recipient)
        form.addRow(tr("Brevtype"), self.kind)
        form.addRow(tr("Emne"), self.subject)
        form.addRow(tr("Tekst"), self.body)
        form.addRow("", self.active)
        ml.addLayout(form, 1)
        self.errors = ErrorPanel()
        ml.addWidget(self.errors)
        buttons = QHBoxLayout()
        self.new_button = QPushButton(tr("Ny skabelon"))
        self.new_button.clicked.connect(self.new_template)
        self.preview_button = QPushButton(tr("Forhåndsvis"))
        self.preview_button.clicked.connect(self.preview)
        self.save_button = QPushButton(tr("Gem skabelon"))
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.save_button)
        ml.addLayout(buttons)
        split.addWidget(middle)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(QLabel(tr("Flettefelter")))
        self.fields = QListWidget()
        for name, description in MERGE_FIELDS.items():
            item = QListWidgetItem(f"{{{name}}}  {description}")
            item.setData(Qt.UserRole, name)
            self.fields.addItem(item)
        self.fields.itemDoubleClicked.connect(self._insert_field)
        rl.addWidget(self.fields, 1)
        rl.addWidget(QLabel(tr("Forhåndsvisning med eksempler")))
        self.preview_text = QPlainTextEdit()
        self.preview_text.setReadOnly(True)
        rl.addWidget(self.preview_text, 1)
        self.problems = hint("")
        rl.addWidget(self.problems)
        split.addWidget(right)
        split.setSizes([220, 560, 420])
        lay.addWidget(split, 1)
        self.rows = []
        self.current = None
        self.loaded: tuple = ()
        self.refresh()

    def refresh(self) -> None:
        letters, actor = self.services.letters, self.actor
        runner().query(lambda: letters.templates(actor), self._show, parent=self, key=f"{id(self)}:templates")

    def _show(self, rows, select_id: int | None = None) -> None:
        self.rows = rows
        keep = select_id if select_id is not None else (self.current.id if self.current else None)
        self.list.clear()
        for t in rows:
            self.list.addItem(t.name + ("" if t.active else tr(" (ikke aktiv)")))
        index = next((i for i, t in enumerate(rows) if t.id == keep), 0 if rows else -1)
        self.list.setCurrentRow(index)
        if index < 0:
            self.new_template()

    def _values(self) -> dict:
        return dict(name=self.name.text(), code=self.code.text(), recipient_kind=self.recipient.currentData(),
                    letter_kind=self.kind.currentData(), subject=self.subject.text(), body=self.body.toPlainText(),
                    active=self.active.isChecked())

    def _load(self, values: dict) -> None:
        self.name.setText(values["name"])
        self.code.setText(values["code"])
        self.recipient.setCurrentIndex(max(0, self.recipient.findData(values["recipient_kind"])))
        self.kind.setCurrentIndex(max(0, self.kind.findData(values["letter_kind"])))
        self.subject.setText(values["subject"])
        self.body.setPlainText(values["body"])
        self.active.setChecked(values["active"])
        self.loaded = tuple(self._values().items())
        self.errors.clear_errors()
        self.preview()

    def _selected(self, row: int) -> None:
        self.current = self.rows[row] if 0 <= row < len(self.rows) else None
        if self.current is not None:
            t = self.current
            self._load(dict(name=t.name, code=t.code, recipient_kind=t.recipient_kind, letter_kind=t.letter_kind,
                            subject=t.subject, body=t.body, active=t.active))

    def new_template(self) -> None:
        self.current = None
        self.list.clearSelection()
        self._load(dict(name="", code="", recipient_kind="jobcentre", letter_kind="other", subject="",
                        body="Kære {sagsbehandler}\n\n\n\nMed venlig hilsen\n{afsender}\nTTA-koordinator, {team}",
                        active=True))

    def has_unsaved_changes(self) -> bool:
        return tuple(self._values().items()) != self.loaded

    def _insert_field(self, item: QListWidgetItem) -> None:
        self.body.insertPlainText("{" + item.data(Qt.UserRole) + "}")
        self.body.setFocus()

    def preview(self) -> None:
        letters, actor, v = self.services.letters, self.actor, self._values()
        runner().query(lambda: letters.preview_template(actor, v["subject"], v["body"], v["recipient_kind"]),
                       self._previewed, parent=self, key=f"{id(self)}:preview")

    def _previewed(self, result) -> None:
        problems, text = result
        self.preview_text.setPlainText(text)
        self.problems.setText("\n".join(problems) if problems else tr("Ingen fejl i skabelonen."))

    def save(self) -> None:
        self.errors.clear_errors()
        fields = {"name": self.name, "code": self.code, "subject": self.subject, "body": self.body,
                  "recipient_kind": self.recipient, "letter_kind": self.kind}
        current, values = self.current, self._values()
        letters, actor = self.services.letters, self.actor
        runner().write(lambda: letters.save_template(actor, current.id if current else None, values,
                                                     expected_version=current.version if current else None),
                       self._saved, parent=self, disable=self.save_button,
                       on_error=form_errors(self.errors, fields, parent=self, on_conflict=self.refresh))

    def _saved(self, template_id: int) -> None:
        self.status.emit(tr("Brevskabelonen er gemt."))
        letters, actor = self.services.letters, self.actor
        runner().query(lambda: letters.templates(actor), lambda rows: self._show(rows, template_id), parent=self,
                       key=f"{id(self)}:templates")
