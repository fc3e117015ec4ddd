"""Closing a case (afslutning) with its outcome, and reopening a closed case with a stated reason."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPlainTextEdit

from ui.dialogs.action import ActionDialog
from ui.dialogs.outcome import OutcomeDialog
from ui.errors import ask
from ui.i18n import tr
from ui.widgets.forms import DateField


class CloseCaseDialog(OutcomeDialog):
    ok_text = "Afslut forløbet"

    def __init__(self, services, actor, case_id, *, version: int, name: str, parent=None):
        super().__init__(services, actor, case_id, parent)
        self.version = version
        self.setWindowTitle(tr("Afslut forløb – {name}").format(name=name))
        self.fields["closed_date"] = DateField(services.cases.today(), field="closed_date",
                                               label=tr("Afslutningsdato"))
        self.form.addRow(tr("Afslutningsdato *"), self.fields["closed_date"])
        self.add_outcome_fields()
        self.form.addRow(tr("Anbefalet næste indsats"), self.catalog_combo("next_effort", "next_effort", empty="–"))
        self.note = QPlainTextEdit()
        self.note.setFixedHeight(70)
        self.form.addRow(tr("Bemærkning"), self.note)
        self.outer.addWidget(QLabel(tr("Efteropfølgning efter 3, 6 og 12 måneder oprettes som opgaver til "
                                       "koordinatoren.")))
        self.finish_layout()

    def prepare(self):
        code, other, hours = self.outcome_values()
        closed = self.fields["closed_date"].date()
        complete = bool(code) and not (code == "part_time_return" and not hours) and not (code == "other"
                                                                                      and not other)
        # Confirm only a complete form; an incomplete one goes straight to the rules and their messages.
        if complete and not ask(self, tr("Afslut forløbet?"), tr(
                "Afslut forløbet pr. {date} med status '{status}'?\n\nOpgaver for efteropfølgning oprettes. "
                "Forløbet kan genåbnes af koordinatoren med en begrundelse.").format(
                    date=f"{closed:%d-%m-%Y}", status=self.fields["outcome"].currentText()),
                yes=tr("Afslut forløbet")):
            return None
        closing, actor, case_id, version = self.services.closing, self.actor, self.case_id, self.version
        args = dict(closed_date=closed, outcome=code, other_reason=other,
                    next_effort=self.fields["next_effort"].currentData(), final_hours_per_week=hours,
                    note=self.note.toPlainText())
        return lambda: closing.close_case(actor, case_id, expected_version=version, **args)


class ReopenDialog(ActionDialog):
    ok_text = "Genåbn forløbet"

    def __init__(self, services, actor, case_id, *, version: int, name: str, parent=None):
        super().__init__(services, actor, case_id, parent)
        self.version = version
        self.setWindowTitle(tr("Genåbn forløb – {name}").format(name=name))
        self.reason = QPlainTextEdit()
        self.reason.setFixedHeight(80)
        self.fields["reason"] = self.reason
        self.form.addRow(tr("Begrundelse *"), self.reason)
        self.outer.addWidget(QLabel(tr("Genåbningen logges med din begrundelse. Ikke-registrerede "
                                       "efteropfølgninger fjernes.")))
        self.finish_layout()

    def prepare(self):
        closing, actor, case_id, version = self.services.closing, self.actor, self.case_id, self.version
        reason = self.reason.toPlainText()
        return lambda: closing.reopen_case(actor, case_id, expected_version=version, reason=reason)
