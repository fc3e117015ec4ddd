"""The outcome fields shared by closing a case and recording an after-follow-up: status, the reason
when the status is 'Andet', and the hours when the return is part-time."""
from __future__ import annotations

from PySide6.QtWidgets import QDoubleSpinBox

from ui.dialogs.action import ActionDialog
from ui.i18n import tr


class OutcomeDialog(ActionDialog):
    def add_outcome_fields(self) -> None:
        self.form.addRow(tr("Status *"), self.catalog_combo("outcome", "outcome", empty=tr("Vælg status")))
        self.form.addRow(tr("Årsag ved 'Andet'"), self.catalog_combo("other_reason", "other_reason", empty="–"))
        self.hours = QDoubleSpinBox()
        self.hours.setRange(0, 59.5)
        self.hours.setDecimals(1)
        self.hours.setSuffix(tr(" timer"))
        self.hours.setSpecialValueText("–")
        self.fields["hours_per_week"] = self.hours
        self.form.addRow(tr("Timer pr. uge (ved deltid)"), self.hours)
        self.fields["outcome"].currentIndexChanged.connect(self._sync_outcome)
        self._sync_outcome()

    def _sync_outcome(self) -> None:
        code = self.fields["outcome"].currentData()
        self.fields["other_reason"].setEnabled(code == "other")
        self.hours.setEnabled(code == "part_time_return")

    def outcome_values(self):
        code = self.fields["outcome"].currentData()
        other = self.fields["other_reason"].currentData() if code == "other" else None
        hours = self.hours.value() or None if code == "part_time_return" else None
        return code, other, hours
