"""Breve: the case's letter log (every letter sent, with its exact PDF), a new letter from a template
(edit the text, preview and print it, or save a Word copy), and the citizen's consent to write to the
employer or the GP."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.errors import ValidationError
from app.letter_templates import RECIPIENT_LABELS
from app.services.letters import CONSENT_PARTY_LABELS
from ui import fmt
from ui.dialogs.print_preview import open_print_preview
from ui.errors import ask, form_errors
from ui.i18n import tr
from ui.record.base import RecordTab
from ui.widgets.common import hint, section_title
from ui.widgets.files import ask_save_path, saved_message
from ui.widgets.forms import DateField, ErrorPanel
from ui.widgets.simple_table import Cell, ListTableModel, make_table


class LettersTab(RecordTab):
    title = "Breve"

    def __init__(self, services, actor, case_id, parent=None):
        super().__init__(services, actor, case_id, parent)
        self.can_write = actor.may("letter.print")
        self.can_consent = actor.may("consent.write")
        self.view = None
        self.draft = None        # the letter being written (LetterDraft), None when none
        self.preview = None
        lay = QHBoxLayout(self)
        split = QSplitter()
        lay.addWidget(split)

        # Left: the letter log and the consents.
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.addWidget(section_title(tr("Brevlog")))
        self.log_model = ListTableModel([tr("Dato"), tr("Brev"), tr("Modtager"), tr("Afsender"), tr("PDF")])
        self.log_table = make_table(self.log_model, [90, 260, 200, 140, 50], stretch=1)
        self.log_table.setObjectName("letterLog")
        self.log_table.doubleClicked.connect(lambda _i: self.show_letter())
        ll.addWidget(self.log_table, 2)
        self.log_empty = hint("")
        ll.addWidget(self.log_empty)
        self.show_button = QPushButton(tr("Vis brev…"))
        self.show_button.clicked.connect(self.show_letter)
        row = QHBoxLayout()
        row.addWidget(self.show_button)
        row.addStretch(1)
        ll.addLayout(row)

        ll.addWidget(section_title(tr("Samtykke")))
        self.consent_model = ListTableModel([tr("Gælder"), tr("Givet til"), tr("Omfang"), tr("Givet"),
                                             tr("Tilbagekaldt")])
        self.consent_table = make_table(self.consent_model, [110, 160, 220, 90, 90], stretch=2)
        self.consent_table.setObjectName("consentTable")
        ll.addWidget(self.consent_table, 1)
        self.consent_empty = hint("")
        ll.addWidget(self.consent_empty)
        consent_box = QGroupBox(tr("Registrér samtykke"))
        cf = QFormLayout(consent_box)
        self.party = QComboBox()
        for code, text in CONSENT_PARTY_LABELS.items():
            self.party.addItem(tr(text), code)
        self.given_to = QLineEdit()
        self.given_to.setPlaceholderText(tr("fx lederens eller lægens navn"))
        self.scope = QLineEdit()
        self.scope.setPlaceholderText(tr("hvad må deles, fx opgaver, timer og tilpasninger"))
        self.given_date = DateField(services.letters.today(), field="given_date", label=tr("Givet den"))
        cf.addRow(tr("Gælder"), self.party)
        cf.addRow(tr("Givet til"), self.given_to)
        cf.addRow(tr("Omfang"), self.scope)
        cf.addRow(tr("Givet den"), self.given_date)
        self.consent_errors = ErrorPanel()
        cf.addRow(self.consent_errors)
        buttons = QHBoxLayout()
        self.consent_button = QPushButton(tr("Registrér samtykke"))
        self.consent_button.clicked.connect(self.record_consent)
        self.withdraw_button = QPushButton(tr("Tilbagekald valgte"))
        self.withdraw_button.clicked.connect(self.withdraw_consent)
        buttons.addWidget(self.consent_button)
        buttons.addWidget(self.withdraw_button)
        buttons.addStretch(1)
        cf.addRow(buttons)
        consent_box.setVisible(self.can_consent)
        ll.addWidget(consent_box)
        split.addWidget(left)

        # Right: a new letter.
        right = QGroupBox(tr("Nyt brev"))
        rl = QVBoxLayout(right)
        pick = QHBoxLayout()
        self.template = QComboBox()
        self.template.setObjectName("letterTemplate")
        pick.addWidget(self.template, 1)
        self.write_button = QPushButton(tr("Skriv brev"))
        self.write_button.clicked.connect(self.start_letter)
        pick.addWidget(self.write_button)
        rl.addLayout(pick)
        self.draft_errors = ErrorPanel()
        rl.addWidget(self.draft_errors)
        form = QFormLayout()
        self.recipient = QPlainTextEdit()
        self.recipient.setMaximumHeight(70)
        self.subject = QLineEdit()
        self.body = QPlainTextEdit()
        self.body.setObjectName("letterBody")
        form.addRow(tr("Modtager"), self.recipient)
        form.addRow(tr("Emne"), self.subject)
        form.addRow(tr("Tekst"), self.body)
        rl.addLayout(form, 1)
        self.missing = hint("")
        rl.addWidget(self.missing)
        actions = QHBoxLayout()
        self.discard_button = QPushButton(tr("Kassér"))
        self.discard_button.clicked.connect(self.discard)
        self.docx_button = QPushButton(tr("Gem som Word…"))
        self.docx_button.clicked.connect(self.save_docx)
        self.print_button = QPushButton(tr("Vis og udskriv…"))
        self.print_button.setObjectName("primary")
        self.print_button.setToolTip(tr("Forhåndsvis brevet og udskriv det eller gem det som PDF (Ctrl+P)"))
        self.print_button.clicked.connect(self.print_letter)
        QShortcut(QKeySequence.Print, self, activated=self.print_letter, context=Qt.WidgetWithChildrenShortcut)
        actions.addWidget(self.discard_button)
        actions.addStretch(1)
        actions.addWidget(self.docx_button)
        actions.addWidget(self.print_button)
        rl.addLayout(actions)
        right.setVisible(self.can_write)
        split.addWidget(right)
        split.setSizes([560, 640])
        for w in (self.recipient, self.body):
            w.textChanged.connect(self._edited)
        self.subject.textChanged.connect(self._edited)
        self._set_draft(None)

    # -- loading -----------------------------------------------------------------------------
    def load(self, detail) -> None:
        super().load(detail)
        letters, actor, case_id = self.services.letters, self.actor, self.case_id
        self.query(lambda: letters.letter_tab(actor, case_id), self._show, key="letters")

    def _show(self, view) -> None:
        self.view = view
        self.log_model.set_rows(
            [[Cell(fmt.date(x.sent_on), x.sent_on), x.title or x.kind_label, x.recipient, x.sender,
              tr("ja") if x.has_pdf else "–"] for x in view.letters], keys=[x.id for x in view.letters])
        self.log_empty.setText("" if view.letters else tr(
            "Ingen breve endnu. Vælg en skabelon til højre og skriv det første."))
        self.consent_model.set_rows(
            [[tr(c.party_label), c.given_to, c.scope, Cell(fmt.date(c.given_date), c.given_date),
              Cell(fmt.date(c.withdrawn_date), c.withdrawn_date) if c.withdrawn_date else "–"]
             for c in view.consents], keys=[c.id for c in view.consents])
        self.consent_empty.setText("" if view.consents else tr(
            "Intet samtykke registreret. Uden samtykke kan der ikke skrives til arbejdsgiver eller egen læge."))
        current = self.template.currentData()
        self.template.clear()
        for code, name, to in view.templates:
            self.template.addItem(name, code)
            self.template.setItemData(self.template.count() - 1, tr("Til: {who}").format(
                who=tr(RECIPIENT_LABELS.get(to, to))), Qt.ToolTipRole)
        if current is not None and self.template.findData(current) >= 0:
            self.template.setCurrentIndex(self.template.findData(current))
        self.show_button.setEnabled(bool(view.letters))
        self.withdraw_button.setEnabled(bool(view.consents))

    # -- a new letter ----------------------------------------------------------------------
    def _set_draft(self, draft) -> None:
        self.draft = draft
        for w in (self.recipient, self.body):
            w.blockSignals(True)
        self.subject.blockSignals(True)
        self.recipient.setPlainText(draft.recipient if draft else "")
        self.subject.setText(draft.subject if draft else "")
        self.body.setPlainText(draft.body if draft else "")
        for w in (self.recipient, self.body, self.subject):
            w.blockSignals(False)
            w.setEnabled(draft is not None)
        for b in (self.print_button, self.docx_button, self.discard_button):
            b.setEnabled(draft is not None)
        self.missing.setText(tr("Ikke oplyst i forløbet: {fields}. Ret teksten, før brevet sendes.").format(
            fields=", ".join(draft.missing)) if draft and draft.missing else "")
        self.dirty_changed.emit(self.has_unsaved_changes())

    def _edited(self) -> None:
        self.dirty_changed.emit(self.has_unsaved_changes())

    def current_draft(self):
        return self.draft.edited(recipient=self.recipient.toPlainText(), subject=self.subject.text(),
                                 body=self.body.toPlainText()) if self.draft else None

    def has_unsaved_changes(self) -> bool:
        return self.draft is not None

    def start_letter(self) -> None:
        code = self.template.currentData()
        if code is None:
            return
        if self.draft is not None and not ask(self, tr("Nyt brev"), tr("Brevet, du er i gang med, kasseres. "
                                                                       "Fortsæt?"), yes=tr("Kassér og skriv nyt")):
            return
        self.draft_errors.clear_errors()
        letters, actor, case_id = self.services.letters, self.actor, self.case_id
        self.write(lambda: letters.draft(actor, case_id, code), self._set_draft, disable=self.write_button,
                   on_error=form_errors(self.draft_errors, self._draft_fields(), parent=self))

    def discard(self) -> None:
        self.draft_errors.clear_errors()
        self._set_draft(None)

    def _draft_fields(self) -> dict[str, QWidget]:
        return {"body": self.body, "subject": self.subject, "consent": self.template, "template": self.template}

    def print_letter(self) -> None:
        draft = self.current_draft()
        if draft is None or not self.print_button.isEnabled():
            return
        self.draft_errors.clear_errors()
        letters, actor = self.services.letters, self.actor
        made: dict[str, bytes] = {}

        def make_pdf() -> bytes:
            made["pdf"] = letters.letter_pdf(actor, draft)
            return made["pdf"]

        def log_print(how: str) -> None:
            letters.send(actor, draft, pdf=made["pdf"], how=how)

        # The letter is made (and checked) before the preview opens, so a refusal shows next to the text;
        # the preview shows those very bytes, and they are what the letter log keeps.
        def opened(_pdf: bytes) -> None:
            number = self.detail.case_number if self.detail else ""
            self.preview = open_print_preview(self, title=draft.subject, make_pdf=lambda: made["pdf"],
                                              log_print=log_print,
                                              file_name=f"brev-{draft.template_code}-{number}.pdf")
            self.preview.done.connect(self._sent)
        self.write(make_pdf, opened, disable=self.print_button,
                   on_error=form_errors(self.draft_errors, self._draft_fields(), parent=self))

    def _sent(self, text: str) -> None:
        self.status.emit(tr("Brevet er gemt i brevloggen. {how}").format(how=text))
        self._set_draft(None)
        # The preview queues the letter log's write right after this signal: reload after it.
        QTimer.singleShot(0, self.changed.emit)

    def save_docx(self) -> None:
        draft = self.current_draft()
        if draft is None:
            return
        number = self.detail.case_number if self.detail else ""
        path = ask_save_path(self, tr("Gem som Word"), f"brev-{draft.template_code}-{number}.docx",
                             filter_text="Word (*.docx)", suffix=".docx")
        if path is None:
            return
        letters, actor = self.services.letters, self.actor

        def save():
            from app.printing.templates import write_pdf  # the one atomic, private writer (any bytes)
            return write_pdf(path, letters.letter_docx(actor, draft))
        self.write(save, lambda p: self.status.emit(saved_message(p)), disable=self.docx_button,
                   on_error=form_errors(self.draft_errors, self._draft_fields(), parent=self))

    # -- the log and consents ------------------------------------------------------------------
    def _selected_key(self, table, model):
        rows = table.selectionModel().selectedRows()
        return model.key(rows[0].row()) if rows else None

    def show_letter(self) -> None:
        letter_id = self._selected_key(self.log_table, self.log_model)
        if letter_id is None and self.view and self.view.letters:
            letter_id = self.log_model.key(0)
        if letter_id is None:
            return
        letter = next(x for x in self.view.letters if x.id == letter_id)
        letters, actor = self.services.letters, self.actor
        if not letter.has_pdf:
            self.status.emit(tr("Brevet er registreret uden en PDF-kopi (fra før brevloggen gemte PDF'en)."))
            return
        self.preview = open_print_preview(self, title=letter.title,
                                          make_pdf=lambda: letters.stored_pdf(actor, letter_id),
                                          log_print=lambda how: letters.log_copy(actor, letter_id, how),
                                          file_name=f"brev-{letter.sent_on:%Y%m%d}.pdf")
        self.preview.done.connect(self.status)

    def record_consent(self) -> None:
        fields = {"party": self.party, "given_to": self.given_to, "scope": self.scope, "given_date": self.given_date}
        self.consent_errors.clear_errors()
        try:
            given = self.given_date.date()
        except ValidationError as exc:
            self.consent_errors.show_error(exc, fields)
            return
        letters, actor, case_id = self.services.letters, self.actor, self.case_id
        party, given_to, scope = self.party.currentData(), self.given_to.text(), self.scope.text()
        self.write(lambda: letters.record_consent(actor, case_id, party=party, given_date=given, given_to=given_to,
                                                  scope=scope),
                   self._consent_saved, disable=self.consent_button,
                   on_error=form_errors(self.consent_errors, fields, parent=self))

    def _consent_saved(self, _id=None) -> None:
        self.given_to.clear()
        self.scope.clear()
        self.status.emit(tr("Samtykket er registreret."))
        self.changed.emit()

    def withdraw_consent(self) -> None:
        consent_id = self._selected_key(self.consent_table, self.consent_model)
        row = next((c for c in (self.view.consents if self.view else []) if c.id == consent_id), None)
        if row is None:
            self.status.emit(tr("Vælg det samtykke, der skal tilbagekaldes."))
            return
        if not ask(self, tr("Tilbagekald samtykke"), tr("Samtykket til {who} tilbagekaldes i dag. Fortsæt?").format(
                who=row.given_to), yes=tr("Tilbagekald")):
            return
        letters, actor = self.services.letters, self.actor
        self.write(lambda: letters.withdraw_consent(actor, row.id, expected_version=row.version),
                   lambda _r: (self.status.emit(tr("Samtykket er tilbagekaldt.")), self.changed.emit()),
                   disable=self.withdraw_button,
                   on_error=form_errors(self.consent_errors, {}, parent=self, on_conflict=self.changed.emit))
