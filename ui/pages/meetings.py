"""Rundbordssamtaler: the workplace round-table meetings of all cases."""
from __future__ import annotations

from PySide6.QtWidgets import QCheckBox

from app.labels import MEETING_STATUS_LABELS
from ui import fmt
from ui.i18n import label, tr
from ui.pages.base import Page
from ui.widgets.common import hint, page_title
from ui.widgets.simple_table import ListTableModel, make_table


class MeetingsPage(Page):
    title = "Rundbordssamtaler"

    def __init__(self, services, actor, parent=None):
        super().__init__(services, actor, parent)
        lay = self.page_layout()
        lay.addWidget(page_title(tr("Rundbordssamtaler")))
        self.upcoming = QCheckBox(tr("Vis kun kommende"))
        self.upcoming.setChecked(True)
        self.upcoming.toggled.connect(lambda _b: self.refresh())
        lay.addWidget(self.upcoming)
        self.model = ListTableModel([tr("Dato"), tr("Borger"), tr("Samtale nr."), tr("Status"), tr("Sted")])
        self.view = make_table(self.model, [110, 220, 90, 100])
        lay.addWidget(self.view, 1)
        self.empty = hint("")
        lay.addWidget(self.empty)
        self.refresh()

    def refresh(self) -> None:
        meetings, actor, upcoming = self.services.meetings, self.actor, self.upcoming.isChecked()
        self.query(lambda: meetings.list_meetings(actor, upcoming_only=upcoming), self._show, key="list")

    def _show(self, rows) -> None:
        self.model.set_rows([[fmt.date(r.meeting_date), r.citizen, str(r.sequence_no),
                              label(MEETING_STATUS_LABELS, r.status), r.location] for r in rows],
                            [r.id for r in rows])
        self.empty.setText("" if rows else tr("Ingen rundbordssamtaler at vise."))
