"""Oversigt: every field of the case from ``CASE_FIELDS``, by section, and the case's state.

Everything is shown read-only; the fields the acting user may change (``CASE_FIELDS.editable_fields``)
are inputs, saved together as one transaction (Ctrl+S). A role that may change nothing sees values
only and no buttons. The form is built once per tab; a reload only fills in the values again.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFormLayout, QFrame, QGroupBox, QHBoxLayout, QPushButton, QScrollArea, QVBoxLayout

from app.case_fields import CASE_FIELDS, COURSE
from app.errors import ValidationErrors
from app.labels import VISITATION_LABELS
from app.services.cases import OPEN_PHASES_AFTER_VISITATION, CaseDetail
from ui import fmt
from ui.errors import form_errors
from ui.i18n import label, tr
from ui.record.base import RecordTab
from ui.widgets.common import hint, value_label
from ui.widgets.field_form import FieldForm, keep_together
from ui.widgets.latest_scores import LatestScores

ACTIVITY = [("assessments", "{n} udredninger"), ("plans", "{n} versioner af handlingsplanen"),
            ("meetings", "{n} rundbordssamtaler"), ("journal", "{n} journalnotater"),
            ("open_tasks", "{n} åbne opgaver")]


def _values(d: CaseDetail) -> dict:
    """The case's values by field name: the column fields, and the lists the detail carries."""
    return {**d.values, "team_member_ids": d.team_member_ids, "icd10": d.icd10,
            "absence_reasons": d.absence_reasons,  # already the catalogue's words
            "contacts": [{"kind": kind, "name": name, "phone": phone} for kind, name, phone in d.contacts]}


class OverviewTab(RecordTab):
    title = "Oversigt"

    def __init__(self, services, actor, case_id, parent=None):
        super().__init__(services, actor, case_id, parent)
        self.editable = [f.name for f in CASE_FIELDS.editable_fields(actor)]
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 6, 0, 0)
        self.scroll = scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.hide()  # until the form is built and filled: it never appears half-done
        lay.addWidget(scroll, 1)
        # Built where it stays (in the scroll area), one section per turn of the event loop while the
        # case is read, so the window never stops answering and each widget is styled only once.
        self.form = FieldForm(CASE_FIELDS, inputs=self.editable, sections=[COURSE], today=services.cases.today,
                              offer={"phase": OPEN_PHASES_AFTER_VISITATION}, deferred=True,
                              parent=scroll.viewport())
        self.inputs = self.form.inputs
        self._loaded: dict | None = None   # the editable values as last loaded or saved
        self._edited_since_load = False
        self._dirty = False
        self._building = True
        self.save_button = self.revert_button = None
        if self.editable:
            self.form.errors.setParent(self)
            lay.addWidget(self.form.errors)
            bar = QHBoxLayout()
            note = hint(tr("Felter med hvid baggrund kan rettes; de gemmes samlet."))
            note.setParent(self)
            bar.addWidget(note, 1)
            self.revert_button = QPushButton(tr("Fortryd"), self)
            self.save_button = QPushButton(tr("Gem ændringer (Ctrl+S)"), self)
            self.save_button.setObjectName("primary")
            bar.addWidget(self.revert_button)
            bar.addWidget(self.save_button)
            lay.addLayout(bar)
            self.save_button.clicked.connect(self.save)
            self.revert_button.clicked.connect(self.revert)
            QShortcut(QKeySequence.Save, self, activated=self.save, context=Qt.WidgetWithChildrenShortcut)
            self.form.edited.connect(self._edited)
            self._update_buttons()
        self.form.choices_loaded.connect(self._choices_loaded)
        self.form.resize(1, 1)  # sized by the scroll area: no size hint of the whole form is worked out first
        scroll.setWidget(self.form)
        QTimer.singleShot(0, self, self._build_step)

    # -- building ------------------------------------------------------------------------------
    def _build_step(self) -> None:
        if self._building:
            self._next_part()
            QTimer.singleShot(0, self, self._build_step)

    def built(self) -> bool:
        return not self._building

    def complete(self) -> None:
        while self._building:
            self._next_part()

    def _next_part(self) -> None:
        """One section of the form, or (once they are all built) the case's state; then fill it in."""
        if not self.form.built:
            self.form.build_step()
            return
        self._building = False
        self._add_state_rows()
        self.form.load_choices(self.services, self.actor)
        if self.detail is not None:
            self.load(self.detail)

    def _add_state_rows(self) -> None:
        """The case's state beside its fields: number, sick-leave week, visitation and closing."""
        form = self.form
        self.state = {"case_number": form.add_info(COURSE, tr("Forløbsnummer"), first=True)}
        for key, caption in (("sick_weeks", "Sygemeldingsuge"), ("visitation", "Visitation"),
                             ("outside_reason", "Begrundelse for optagelse"), ("closed", "Afsluttet"),
                             ("outcome", "Status ved afslutning"), ("next_effort", "Anbefalet næste indsats")):
            self.state[key] = form.add_info(COURSE, tr(caption))
        self.activity_box = QGroupBox(tr("Aktivitet"), form.columns)
        self.activity = value_label("")
        self.activity.setParent(self.activity_box)
        QVBoxLayout(self.activity_box).addWidget(self.activity)
        form.add_box(self.activity_box)
        self.scores_box = LatestScores(form.columns)  # the latest WHO-5, MDI and expectation with their bands
        form.add_box(self.scores_box)
        self.after_box = QGroupBox(tr("Efteropfølgning"), form.columns)
        self.after_rows = QFormLayout(self.after_box)
        self.after_box.hide()
        form.add_box(self.after_box)
        for box in (form.boxes[COURSE], self.activity_box, self.after_box):
            box.ensurePolished()

    # -- showing the case ----------------------------------------------------------------------
    def load(self, d: CaseDetail) -> None:
        super().load(d)
        if self._building:
            return  # shown when the form is built
        form = self.form
        form.setUpdatesEnabled(False)
        editable = set(self.inputs)
        if not d.phase_editable:
            editable.discard("phase")  # visitation and closing are steps of their own
        form.set_editable(editable)
        form.set_values(_values(d), display={"coordinator_id": keep_together(d.coordinator)})
        self._show_state(d)
        # Never narrower than one column of the form as filled: nothing is cut off at the side.
        self.scroll.setMinimumWidth(form.minimumSizeHint().width() + self.scroll.verticalScrollBar().sizeHint().width())
        form.setUpdatesEnabled(True)
        self._loaded = form.values()
        self._edited_since_load = False
        self._update_buttons()
        self.scroll.show()
        svc, actor, case_id = self.services.assessments, self.actor, self.case_id
        self.query(lambda: svc.latest_scores(actor, case_id, log=False), self.scores_box.show_scores, key="scores")
        if d.closed_date:
            afu, actor, case_id = self.services.after_follow_up, self.actor, self.case_id
            self.query(lambda: afu.list_for_case(actor, case_id), self._show_after_follow_ups, key="afu")

    def _show_state(self, d: CaseDetail) -> None:
        s = self.state
        s["case_number"].setText(d.case_number)
        weeks = tr("uge {n}").format(n=d.sick_weeks)
        s["sick_weeks"].setText(keep_together(tr("{weeks} (ved afslutningen)").format(weeks=weeks)
                                              if d.closed_date else weeks))
        s["visitation"].setText(label(VISITATION_LABELS, d.visitation_decision)
                                + (tr(", uden for kriterierne") if d.outside_criteria else ""))
        s["outside_reason"].setText(d.outside_criteria_reason or "–")
        s["closed"].setText(fmt.date(d.closed_date) or "–")
        outcome = d.outcome + (f" – {d.other_reason}" if d.other_reason else "")
        if d.final_hours_per_week:
            outcome += tr(", {hours} timer pr. uge").format(hours=fmt.number(d.final_hours_per_week))
        s["outcome"].setText(outcome or "–")
        s["next_effort"].setText(d.next_effort or "–")
        self.form.set_row_visible(s["outside_reason"], d.outside_criteria)
        for key in ("closed", "outcome", "next_effort"):
            self.form.set_row_visible(s[key], d.closed_date is not None)
        self.activity.setText("\n".join(tr(text).format(n=d.counts.get(key, 0)) for key, text in ACTIVITY))
        self.after_box.setVisible(d.closed_date is not None)

    def _show_after_follow_ups(self, rows) -> None:
        while self.after_rows.rowCount():
            self.after_rows.removeRow(0)
        for a in rows:
            text = (tr("{outcome}, registreret {when}").format(outcome=a.outcome, when=fmt.date(a.recorded_date))
                    if a.recorded_date else tr("Ikke registreret endnu"))
            self.after_rows.addRow(tr("{m} mdr. (forfalder {due})").format(m=a.months, due=fmt.date(a.due_date)),
                                   value_label(text))

    def _choices_loaded(self) -> None:
        # A value the lists could not show (a coordinator who has left) reads as empty now.
        if self.detail is not None and not self._edited_since_load:
            self._loaded = self.form.values()
            self._update_buttons()

    # -- editing -------------------------------------------------------------------------------
    def has_unsaved_changes(self) -> bool:
        return self._loaded is not None and self.form.values() != self._loaded

    def ready(self) -> bool:
        """Built, and the case and the choices have arrived: what is shown can be edited and saved."""
        return not self._building and self._loaded is not None and self.form.choices_ready

    def _edited(self) -> None:
        self._edited_since_load = True
        self._update_buttons()

    def _update_buttons(self) -> None:
        dirty = self.has_unsaved_changes()
        if self.save_button is not None:
            self.save_button.setEnabled(dirty)
            self.revert_button.setEnabled(dirty)
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)

    def revert(self) -> None:
        if self.detail is not None:
            self.load(self.detail)

    def save(self) -> None:
        if self.save_button is None or not self.has_unsaved_changes() or not self.save_button.isEnabled():
            return
        self.form.errors.clear_errors()
        try:
            current = self.form.read()
        except ValidationErrors as exc:
            self.form.errors.show_error(exc, self.inputs)
            return
        changes = {name: value for name, value in current.items() if self._loaded.get(name) != value}
        cases, actor, case_id, version = self.services.cases, self.actor, self.case_id, self.detail.version
        self.write(lambda: cases.update_case(actor, case_id, expected_version=version, changes=changes),
                   self._saved, disable=[self.save_button, self.revert_button, self.form],
                   on_error=form_errors(self.form.errors, self.inputs, parent=self, on_conflict=self._reload))

    def _saved(self, _version: int) -> None:
        self._loaded = self.form.values()
        self._update_buttons()
        self.status.emit(tr("Ændringerne er gemt."))
        self.changed.emit()

    def _reload(self) -> None:
        """Another user saved first: show their version (this user's edits are discarded)."""
        self._loaded = None
        self._update_buttons()
        self.changed.emit()
