"""Udredning: the case's assessments by discipline, each discipline's form with its instruments, the
scores over time, signing, addenda and the printed summary.

Left: the list (date, discipline, author, draft or signed, key scores), "Ny udredning" for a role
with a discipline, "Udskriv" (Ctrl+P), and the WHO-5/MDI charts. Right: the chosen assessment as its
discipline's form (``app.assessment_fields``) with the instruments' answers and live scores; inputs
only while it is the user's own discipline's draft, values once signed, and the addenda under it.
A reader who is not on the case sees only that assessments exist.
"""
from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.assessment_fields import ASSESSMENT_FORMS, DISCIPLINES, FORM_TITLES, INSTRUMENTS_BY_DISCIPLINE
from app.errors import ValidationErrors
from app.instruments import INSTRUMENTS, MDI, WHO5
from app.labels import ROLE_LABELS
from ui import fmt
from ui.dialogs.print_preview import open_print_preview
from ui.errors import ask, form_errors
from ui.i18n import label, tr
from ui.record.base import RecordTab
from ui.widgets.common import hint, section_title, value_label
from ui.widgets.field_form import FieldForm
from ui.widgets.forms import ErrorPanel
from ui.widgets.instrument_form import InstrumentForm
from ui.widgets.score_chart import ScoreCharts
from ui.widgets.simple_table import ListTableModel, make_table

HEADERS = ["Dato", "Faglighed", "Forfatter", "Status", "Testresultater"]


class _Editor:
    """One discipline's form and instrument boxes, built once and reused for each of its assessments."""

    def __init__(self, discipline: str, today, parent: QWidget):
        table = ASSESSMENT_FORMS[discipline]
        self.form = FieldForm(table, inputs=table.names, today=today, parent=parent)
        self.instruments = {code: InstrumentForm(INSTRUMENTS[code], parent) for code in
                            INSTRUMENTS_BY_DISCIPLINE[discipline]}

    def widgets(self) -> list[QWidget]:
        return [self.form, *self.instruments.values()]

    def state(self) -> tuple[dict, dict]:
        return self.form.values(), {code: f.answers() for code, f in self.instruments.items()}


class AssessmentsTab(RecordTab):
    title = "Udredning"

    def __init__(self, services, actor, case_id, parent=None):
        super().__init__(services, actor, case_id, parent)
        self.discipline = actor.role if actor.role in DISCIPLINES else None
        self.can_write = actor.may("assessment.write") and self.discipline is not None
        self.rows = []
        self.current = None            # the AssessmentDetail shown, or None (nothing, or a new one)
        self.showing_new = False
        self.editor: _Editor | None = None
        self._editors: dict[str, _Editor] = {}
        self._loaded_state = None      # the editable state as loaded or saved
        self._dirty = False
        self._may_add = False          # the shown assessment is signed and of the user's discipline

        lay = QHBoxLayout(self)
        split = QSplitter(Qt.Horizontal)
        lay.addWidget(split)

        left = QWidget()
        ll = QVBoxLayout(left)
        self.model = ListTableModel([tr(h) for h in HEADERS], self)
        self.table = make_table(self.model, [90, 170, 150, 150])
        self.table.setObjectName("assessmentList")
        self.table.setMinimumHeight(self.table.verticalHeader().defaultSectionSize() * 4 + 40)   # four rows
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._row_chosen(cur.row()))
        ll.addWidget(self.table, 2)
        self.empty = hint("")
        ll.addWidget(self.empty)
        bar = QHBoxLayout()
        self.new_button = QPushButton(tr("Ny udredning"))
        self.new_button.setObjectName("newAssessment")
        self.new_button.clicked.connect(self.new_assessment)
        self.new_button.setVisible(self.can_write)
        self.print_button = QPushButton(tr("Udskriv… (Ctrl+P)"))
        self.print_button.clicked.connect(self.print_summary)
        bar.addWidget(self.new_button)
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        ll.addLayout(bar)
        ll.addWidget(section_title(tr("Udvikling over tid")))
        self.charts = ScoreCharts([INSTRUMENTS[WHO5], INSTRUMENTS[MDI]])
        ll.addWidget(self.charts, 3)
        # The list and the charts scroll together on a low screen rather than being cut off.
        left_scroll = QScrollArea()
        left_scroll.setWidgetResizable(True)
        left_scroll.setFrameShape(QFrame.NoFrame)
        left_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        left_scroll.setWidget(left)
        split.addWidget(left_scroll)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        body = QWidget()
        self.body = QVBoxLayout(body)
        self.heading = section_title("")
        self.state_label = hint("")
        self.body.addWidget(self.heading)
        self.body.addWidget(self.state_label)
        self.editor_area = QVBoxLayout()
        self.body.addLayout(self.editor_area)
        self.addenda = QVBoxLayout()
        self.body.addLayout(self.addenda)
        self.addendum_text = QPlainTextEdit()
        self.addendum_text.setObjectName("addendumText")
        self.addendum_text.setPlaceholderText(tr("Tillæg til den underskrevne udredning (rettelse eller supplement) …"))
        self.addendum_text.setMaximumHeight(90)
        self.addendum_text.textChanged.connect(self._edited)
        self.addendum_button = QPushButton(tr("Tilføj tillæg"))
        self.addendum_button.clicked.connect(self.add_addendum)
        self.body.addWidget(self.addendum_text)
        self.body.addWidget(self.addendum_button, 0, Qt.AlignLeft)
        self.errors = ErrorPanel()
        self.body.addWidget(self.errors)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(tr("Gem kladde (Ctrl+S)"))
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        self.sign_button = QPushButton(tr("Underskriv…"))
        self.sign_button.clicked.connect(self.sign)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.sign_button)
        self.body.addLayout(buttons)
        self.body.addStretch(1)
        self.placeholder = hint(tr("Vælg en udredning i listen for at læse den."))
        self.body.insertWidget(0, self.placeholder)
        self.scroll.setWidget(body)
        split.addWidget(self.scroll)
        split.setSizes([700, 580])
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 4)
        QShortcut(QKeySequence.Save, self, activated=self.save, context=Qt.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence.Print, self, activated=self.print_summary, context=Qt.WidgetWithChildrenShortcut)
        self._show_editor(None)

    # -- loading -------------------------------------------------------------------------------
    def load(self, detail) -> None:
        super().load(detail)
        svc, actor, case_id = self.services.assessments, self.actor, self.case_id
        self.query(lambda: svc.list_for_case(actor, case_id), self._show_list, key="list")

    def _show_list(self, listing) -> None:
        self.rows = listing.rows
        cells = []
        for r in self.rows:
            state = (tr("Underskrevet {when}").format(when=fmt.date(r.signed_at)) if r.signed_at else tr("Kladde"))
            if r.addenda:
                state += tr(", {n} tillæg").format(n=r.addenda)
            cells.append([fmt.date(r.assessed_on), label(ROLE_LABELS, r.discipline), r.author or "–", state,
                          r.key_scores or "–"])
        blocked = self.table.selectionModel().blockSignals(True)
        self.model.set_rows(cells, [r.id for r in self.rows])
        self.table.selectionModel().blockSignals(blocked)
        self.empty.setText("" if self.rows else (tr("Ingen udredninger endnu. Opret den første med \"Ny udredning\".")
                                                 if self.can_write else tr("Ingen udredninger endnu.")))
        svc, actor, case_id = self.services.assessments, self.actor, self.case_id
        self.query(lambda: svc.scores_over_time(actor, case_id), self.charts.set_points, key="scores")
        if self.current is not None and not self.showing_new:
            self._select_row(self.current.id)
            self.open_assessment(self.current.id)

    def _select_row(self, assessment_id: int) -> None:
        if assessment_id in self.model.keys:
            blocked = self.table.selectionModel().blockSignals(True)
            self.table.selectRow(self.model.keys.index(assessment_id))
            self.table.selectionModel().blockSignals(blocked)

    def _row_chosen(self, row: int) -> None:
        if not 0 <= row < len(self.model.keys):
            return
        aid = self.model.keys[row]
        if self.current is not None and self.current.id == aid and not self.showing_new:
            return
        if not self._may_leave():
            return
        self.open_assessment(aid)

    def open_assessment(self, assessment_id: int) -> None:
        svc, actor = self.services.assessments, self.actor
        self.query(lambda: svc.get(actor, assessment_id), self._show_detail, key="detail")

    def _may_leave(self) -> bool:
        return not self.has_unsaved_changes() or ask(
            self, tr("Ikke gemte ændringer"), tr("Udredningen har ændringer, der ikke er gemt. Vil du kassere dem?"),
            yes=tr("Kassér"), destructive=True)

    # -- the editor ----------------------------------------------------------------------------
    def _editor_for(self, discipline: str) -> _Editor:
        ed = self._editors.get(discipline)
        if ed is None:
            ed = _Editor(discipline, self.services.cases.today, self.scroll.widget())
            for w in ed.widgets():
                self.editor_area.addWidget(w)
            ed.form.edited.connect(self._edited)
            for f in ed.instruments.values():
                f.changed.connect(self._edited)
            self._editors[discipline] = ed
        return ed

    def _show_editor(self, discipline: str | None) -> None:
        self.editor = self._editor_for(discipline) if discipline else None
        for d, ed in self._editors.items():
            for w in ed.widgets():
                w.setVisible(d == discipline)
        self.placeholder.setVisible(discipline is None)
        self.heading.setVisible(discipline is not None)
        self.state_label.setVisible(discipline is not None)
        if discipline is None:
            self.current, self.showing_new = None, False
            for w in (self.save_button, self.sign_button, self.addendum_text, self.addendum_button):
                w.hide()
            self._may_add = False
            self._clear_addenda()
            self._loaded_state = None
            self._update_dirty()

    def _editable(self) -> bool:
        if not self.can_write or self.editor is None:
            return False
        if self.showing_new:
            return True
        return (self.current is not None and not self.current.signed and self.current.discipline == self.discipline)

    def _apply_mode(self) -> None:
        editable = self._editable()
        ed = self.editor
        ed.form.set_editable(set(ed.form.inputs) if editable else set())
        for f in ed.instruments.values():
            f.set_read_only(not editable)
        own = self.current is not None and self.current.author_id == self.actor.user_id
        self.save_button.setVisible(editable)
        self.sign_button.setVisible(editable and (self.showing_new or own))
        self._may_add = bool(self.can_write and self.current is not None and self.current.signed
                             and self.current.discipline == self.discipline)
        self.addendum_text.setVisible(self._may_add)
        self.addendum_button.setVisible(self._may_add)
        self._loaded_state = ed.state()
        self._update_dirty()

    def new_assessment(self) -> None:
        if not self.can_write or not self._may_leave():
            return
        self._show_editor(self.discipline)
        self.showing_new, self.current = True, None
        self.heading.setText(tr("Ny: {title}").format(title=tr(FORM_TITLES[self.discipline])))
        self.state_label.setText(tr("Kladde – gem undervejs; underskriv, når udredningen er færdig."))
        self.editor.form.set_values({"assessed_on": self.services.cases.today()})
        for f in self.editor.instruments.values():
            f.set_answers(None)
        self._clear_addenda()
        self.table.clearSelection()
        self._apply_mode()

    def _show_detail(self, d) -> None:
        self._show_editor(d.discipline)
        self.current, self.showing_new = d, False
        self.heading.setText(tr(FORM_TITLES.get(d.discipline, d.discipline)))
        state = (tr("Underskrevet {when} af {who}. Kan ikke rettes; tilføj et tillæg.").format(
            when=fmt.datetime_local(d.signed_at), who=d.author) if d.signed
            else tr("Kladde af {who}, ikke underskrevet.").format(who=d.author))
        self.state_label.setText(state)
        self.editor.form.set_values(d.values)
        for code, f in self.editor.instruments.items():
            entry = d.instruments.get(code)
            f.set_answers(entry.answers if entry else None)
        self._show_addenda(d.addenda)
        self._select_row(d.id)
        self._apply_mode()

    def _clear_addenda(self) -> None:
        while self.addenda.count():
            w = self.addenda.takeAt(0).widget()
            if w is not None:
                w.deleteLater()

    def _show_addenda(self, addenda) -> None:
        self._clear_addenda()
        for a in addenda:
            box = QLabel(tr("<b>Tillæg {when} af {who}</b>").format(when=fmt.datetime_local(a.created_at),
                                                                    who=html.escape(a.author)))
            box.setObjectName("addendumHeading")
            self.addenda.addWidget(box)
            text = value_label(a.text)
            text.setObjectName("addendum")
            self.addenda.addWidget(text)

    # -- unsaved changes -----------------------------------------------------------------------
    def has_unsaved_changes(self) -> bool:
        if self._may_add and self.addendum_text.toPlainText().strip():
            return True
        return bool(self.editor is not None and self._loaded_state is not None and self._editable()
                    and self.editor.state() != self._loaded_state)

    def _edited(self) -> None:
        self._update_dirty()

    def _update_dirty(self) -> None:
        dirty = self.has_unsaved_changes()
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)

    # -- actions -------------------------------------------------------------------------------
    def _read_form(self):
        """The values and answers for the service, or None after showing what cannot be read."""
        self.errors.clear_errors()
        try:
            values = self.editor.form.read()
        except ValidationErrors as exc:
            self.errors.show_error(exc, self.editor.form.inputs)
            return None
        return values, {code: f.answers() for code, f in self.editor.instruments.items()}

    def _save_call(self, values, answers, *, sign: bool = False):
        """The save (and signing) as a closure for the worker: a new draft or a change of the shown one;
        one transaction, so a refused signature saves nothing either."""
        svc, actor, case_id = self.services.assessments, self.actor, self.case_id
        current = None if self.showing_new else self.current
        if current is None:
            return lambda: svc.save_draft(actor, case_id, values=values, instruments=answers, sign=sign)
        return lambda: svc.save_draft(actor, case_id, values=values, instruments=answers, sign=sign,
                                      assessment_id=current.id, expected_version=current.version)

    def _fields(self) -> dict[str, QWidget]:
        return {**self.editor.form.inputs, **self.editor.instruments} if self.editor else {}

    def save(self) -> None:
        if not self._editable() or not self.save_button.isEnabled():
            return
        read = self._read_form()
        if read is None:
            return
        self.write(self._save_call(*read), lambda aid: self._saved(aid, tr("Udredningen er gemt som kladde.")),
                   disable=[self.save_button, self.sign_button],
                   on_error=form_errors(self.errors, self._fields, parent=self, on_conflict=self._reload))

    def sign(self) -> None:
        if not self._editable():
            return
        read = self._read_form()
        if read is None:
            return
        if not ask(self, tr("Underskriv udredningen"), tr(
                "Når udredningen er underskrevet, kan den ikke rettes. Rettelser og tilføjelser skrives derefter "
                "som tillæg med dit navn og tidspunktet. Underskriv nu?"), yes=tr("Underskriv")):
            return
        self.write(self._save_call(*read, sign=True), lambda aid: self._saved(aid, tr("Udredningen er underskrevet.")),
                   disable=[self.save_button, self.sign_button],
                   on_error=form_errors(self.errors, self._fields, parent=self, on_conflict=self._reload))

    def _saved(self, aid: int, text: str) -> None:
        self.errors.clear_errors()
        self.showing_new = False
        self._loaded_state = self.editor.state()
        self._update_dirty()
        self.current = _Pending(aid)
        self.status.emit(text)
        self.changed.emit()

    def _reload(self) -> None:
        self._loaded_state = None
        self._update_dirty()
        self.changed.emit()

    def add_addendum(self) -> None:
        if self.current is None:
            return
        text, svc, actor, aid = self.addendum_text.toPlainText(), self.services.assessments, self.actor, \
            self.current.id

        def added(_r):
            self.addendum_text.clear()
            self._update_dirty()
            self.status.emit(tr("Tillægget er gemt."))
            self.changed.emit()
        self.write(lambda: svc.add_addendum(actor, aid, text), added, disable=self.addendum_button,
                   on_error=form_errors(self.errors, {"text": self.addendum_text}, parent=self))

    def print_summary(self) -> None:
        """The assessment summary in the print preview (print or save as PDF from there)."""
        if self.detail is None:
            return
        svc, actor, case_id = self.services.assessments, self.actor, self.case_id
        self.preview = open_print_preview(
            self, title=tr("Udredning – {case}").format(case=self.detail.case_number),
            make_pdf=lambda: svc.summary_pdf(actor, case_id),
            log_print=lambda how: svc.log_summary_print(actor, case_id, how),
            file_name=f"Udredning {self.detail.case_number}.pdf")
        self.preview.done.connect(self.status)


class _Pending:
    """The assessment just saved, until the record's reload brings its detail (read-only meanwhile)."""
    signed = True
    discipline = author_id = version = None

    def __init__(self, assessment_id: int):
        self.id = assessment_id
