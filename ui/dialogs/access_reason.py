"""Begrund adgang: a team member who is not on a case opens its full record only by stating why.

The reason is stored, written to the access log and shown to the team lead for review; the access
lasts a working day (``app.access.GRANT_DURATION``)."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit

from ui.dialogs.action import ActionDialog
from ui.i18n import tr


class AccessReasonDialog(ActionDialog):
    ok_text = "Åbn forløbet"

    def __init__(self, services, actor, case_id: int, *, heading: str = "", parent=None):
        super().__init__(services, actor, case_id, parent)
        self.setWindowTitle(tr("Begrund adgang"))
        self.setMinimumWidth(520)
        intro = QLabel(tr("Du er ikke koordinator eller teammedlem på forløbet{heading}. Skriv, hvorfor du har "
                          "brug for at se det. Begrundelsen gemmes i adgangsloggen og ses af teamlederen; adgangen "
                          "gælder resten af arbejdsdagen.").format(heading=f" ({heading})" if heading else ""))
        intro.setWordWrap(True)
        self.outer.insertWidget(0, intro)
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText(tr("fx Dækker for koordinatoren under ferie"))
        self.fields["reason"] = self.reason
        self.form.addRow(tr("Begrundelse *"), self.reason)
        self.finish_layout()
        self.reason.setFocus()

    def prepare(self):
        cases, actor, case_id, reason = self.services.cases, self.actor, self.case_id, self.reason.text()
        return lambda: cases.grant_access(actor, case_id, reason)
