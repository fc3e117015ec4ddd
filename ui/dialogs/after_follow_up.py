"""Efteropfølgning: the status 3, 6 and 12 months after closing."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QPlainTextEdit

from ui.dialogs.outcome import OutcomeDialog
from ui.i18n import tr
from ui.widgets.forms import DateField


class AfterFollowUpDialog(OutcomeDialog):
    ok_text = "Registrér"

    def __init__(self, services, actor, case_id, parent=None):
        super().__init__(services, actor, case_id, parent)
        self.setWindowTitle(tr("Efteropfølgning"))
        self.months = QComboBox()
        self.fields["months"] = self.months
        self.form.addRow(tr("Tidspunkt"), self.months)
        self.fields["recorded_date"] = DateField(services.cases.today(), field="recorded_date", label=tr("Dato"))
        self.form.addRow(tr("Dato *"), self.fields["recorded_date"])
        self.add_outcome_fields()
        self._versions: dict[int, int] = {}    # months -> the version listed, saved against
        self.note = QPlainTextEdit()
        self.note.setFixedHeight(70)
        self.form.addRow(tr("Bemærkning"), self.note)
        afu = services.after_follow_up
        self.load(lambda: afu.list_for_case(actor, case_id), self._show_due)
        self.finish_layout()

    def _show_due(self, rows) -> None:
        for a in rows:
            if a.recorded_date is None:
                self._versions[a.months] = a.version
                self.months.addItem(tr("{m} måneder efter afslutning").format(m=a.months), a.months)
        if self.months.count() == 0:
            self.months.addItem(tr("Alle efteropfølgninger er registreret"), None)
            self.months.setEnabled(False)

    def prepare(self):
        code, other, hours = self.outcome_values()
        afu, actor, case_id = self.services.after_follow_up, self.actor, self.case_id
        months = self.months.currentData()
        args = dict(months=months, expected_version=self._versions.get(months),
                    recorded_date=self.fields["recorded_date"].date(), outcome=code,
                    other_reason=other, hours_per_week=hours, note=self.note.toPlainText())
        return lambda: afu.record(actor, case_id, **args)
