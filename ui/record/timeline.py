"""Tidslinje: everything that happened in the case, in date order."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout

from ui import fmt
from ui.i18n import tr
from ui.record.base import RecordTab
from ui.widgets.simple_table import ListTableModel, make_table


class TimelineTab(RecordTab):
    title = "Tidslinje"

    def __init__(self, services, actor, case_id, parent=None):
        super().__init__(services, actor, case_id, parent)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(tr("Alt, der er sket i forløbet, i tidsorden.")))
        self.model = ListTableModel([tr("Dato"), tr("Uge"), tr("Hændelse"), tr("Detaljer")])
        self.view = make_table(self.model, [100, 70, 300])
        self.view.setObjectName("timeline")
        self.view.setWordWrap(True)
        lay.addWidget(self.view)
        self.events = []

    def load(self, detail) -> None:
        super().load(detail)
        journal, actor, case_id = self.services.journal, self.actor, self.case_id
        self.query(lambda: journal.timeline(actor, case_id), self._show, key="timeline")

    def _show(self, events) -> None:
        self.events = events
        self.model.set_rows([[fmt.date(e.when), fmt.week(e.when), e.title, e.detail] for e in events])
        self.view.resizeRowsToContents()
