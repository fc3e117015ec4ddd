"""Visitation: the referral against the criteria, and the decision (visiteret / ikke visiteret)."""
from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QLabel, QPlainTextEdit, QRadioButton, QVBoxLayout

from app.eligibility import MET, NOT_MET, STATUS_LABELS
from ui.dialogs.action import ActionDialog
from ui.i18n import label, tr
from ui.widgets.forms import DateField
from ui.widgets.simple_table import ListTableModel, make_table

STATUS_MARK = {MET: "✔", NOT_MET: "✘", "unknown": "?"}


class VisitationDialog(ActionDialog):
    ok_text = "Gem visitation"

    def __init__(self, services, actor, case_id, parent=None):
        super().__init__(services, actor, case_id, parent)
        self.view = None
        self.setWindowTitle(tr("Visitation"))
        self.resize(720, 540)
        self.outer.insertWidget(0, QLabel(tr("<b>Kriterier</b> (kan ændres under Administration)")))
        self.criteria = ListTableModel(["", tr("Kriterium"), tr("Vurdering"), tr("Grundlag")])
        self.criteria_table = make_table(self.criteria, [30, 330, 90])
        self.outer.insertWidget(1, self.criteria_table)
        self.accept_radio = QRadioButton(tr("Visiteret"))
        self.reject_radio = QRadioButton(tr("Ikke visiteret"))
        group = QButtonGroup(self)
        group.addButton(self.accept_radio)
        group.addButton(self.reject_radio)
        self.accept_radio.setChecked(True)
        row = QVBoxLayout()
        row.addWidget(self.accept_radio)
        row.addWidget(self.reject_radio)
        self.form.addRow(tr("Afgørelse"), row)
        self.fields["decision_date"] = DateField(services.cases.today(), field="decision_date",
                                                 label=tr("Visitationsdato"))
        self.form.addRow(tr("Dato *"), self.fields["decision_date"])
        self.form.addRow(tr("Årsag til afslag"), self.catalog_combo("rejection_reason", "rejection_reason",
                                                                     empty=tr("Vælg årsag")))
        self.outside = QPlainTextEdit()
        self.outside.setFixedHeight(60)
        self.fields["outside_criteria_reason"] = self.outside
        self.outside_label = QLabel(tr("Begrundelse for optagelse\nuden for kriterierne"))
        self.form.addRow(self.outside_label, self.outside)
        self.note = QPlainTextEdit()
        self.note.setFixedHeight(60)
        self.form.addRow(tr("Bemærkning"), self.note)
        self.accept_radio.toggled.connect(self._sync)
        self._sync()
        visitation = services.visitation
        self.load(lambda: visitation.visitation_view(actor, case_id), self._show_view)
        self.finish_layout()

    def _show_view(self, view) -> None:
        self.view = view
        self.setWindowTitle(tr("Visitation – {name}").format(name=view.name))
        self.criteria.set_rows([[STATUS_MARK[c.status], c.label, label(STATUS_LABELS, c.status), c.explanation]
                                for c in view.criteria])
        self.criteria_table.setFixedHeight(36 + 30 * len(view.criteria))
        if any(c.status != MET for c in view.criteria):
            self.outside_label.setText(tr("Begrundelse for optagelse\nuden for kriterierne *"))

    def _sync(self) -> None:
        accepted = self.accept_radio.isChecked()
        self.fields["rejection_reason"].setEnabled(not accepted)
        self.outside.setEnabled(accepted)

    def prepare(self):
        visitation, actor, case_id, version = self.services.visitation, self.actor, self.case_id, self.view.version
        args = dict(accepted=self.accept_radio.isChecked(), decision_date=self.fields["decision_date"].date(),
                    rejection_reason=self.fields["rejection_reason"].currentData(),
                    outside_criteria_reason=self.outside.toPlainText(), note=self.note.toPlainText())
        return lambda: visitation.visitate(actor, case_id, expected_version=version, **args)
