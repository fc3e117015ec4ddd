"""Tidslinje: everything that happened in the case, in date order, with the sick-leave week of each."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QVBoxLayout

from app.services.journal import TimelineEvent
from ui import fmt
from ui.i18n import tr
from ui.record.base import RecordTab
from ui.widgets.common import hint
from ui.widgets.simple_table import ListTableModel, make_table


def week_text(event: TimelineEvent) -> str:
    """'uge 7': the sick-leave week on the event's day; empty before the first day of absence."""
    return tr("uge {n}").format(n=event.sick_week) if event.sick_week else ""


class TimelineTab(RecordTab):
    title = "Tidslinje"

    def __init__(self, services, actor, case_id, parent=None):
        super().__init__(services, actor, case_id, parent)
        lay = QVBoxLayout(self)
        lay.addWidget(hint(tr("Alt, der er sket i forløbet, i tidsorden. Uge er sygemeldingsugen på dagen.")))
        self.model = ListTableModel([tr("Dato"), tr("Uge"), tr("Hændelse"), tr("Detaljer")])
        self.view = make_table(self.model)
        self.view.setObjectName("timeline")
        # Whole lines: long titles and details wrap, and every row is as tall as its text at the
        # current width (also after the window or a column is resized).
        self.view.setWordWrap(True)
        self.view.setTextElideMode(Qt.ElideNone)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.Interactive)
        header.setSectionResizeMode(3, QHeaderView.Stretch)
        self.view.setColumnWidth(2, 280)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        lay.addWidget(self.view)
        self.events: list[TimelineEvent] = []

    def load(self, detail) -> None:
        super().load(detail)
        journal, actor, case_id = self.services.journal, self.actor, self.case_id
        self.query(lambda: journal.timeline(actor, case_id), self._show, key="timeline")

    def _show(self, events: list[TimelineEvent]) -> None:
        self.events = events
        self.model.set_rows([[fmt.date(e.when), week_text(e), e.title, e.detail] for e in events])
