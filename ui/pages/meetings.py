"""Rundbordssamtaler: the workplace round-table meetings of all cases.

"Vis kun kommende" shows the meetings not yet held, as the service decides it (planned, later today
or after); otherwise every meeting, newest first. Each column sorts by its value (the date column by
date and time of day); a double-click or Enter opens the meeting's case (its Rundbordssamtaler tab has the meeting).
"""
from __future__ import annotations

from PySide6.QtWidgets import QCheckBox

from app.labels import MEETING_STATUS_LABELS
from app.services.meetings import MEETING_TYPE_LABELS, MeetingRow
from ui import fmt
from ui.i18n import label, tr
from ui.pages.base import Page
from ui.widgets.common import hint, page_title
from ui.widgets.simple_table import Cell, ListTableModel, make_table


class MeetingsPage(Page):
    title = "Rundbordssamtaler"

    def __init__(self, services, actor, parent=None):
        super().__init__(services, actor, parent)
        lay = self.page_layout()
        lay.addWidget(page_title(tr("Rundbordssamtaler")))
        self.upcoming = QCheckBox(tr("Vis kun kommende"))
        self.upcoming.setToolTip(tr("Kun planlagte samtaler, som ikke er holdt endnu"))
        self.upcoming.setChecked(True)
        self.upcoming.toggled.connect(lambda _b: self.refresh())
        lay.addWidget(self.upcoming)
        self.model = ListTableModel([tr("Dato"), tr("Kl."), tr("Borger"), tr("Forløb"), tr("Samtale nr."),
                                     tr("Status"), tr("Sted"), tr("Type")])
        self.view = make_table(self.model, stretch=6)
        self.view.setObjectName("meetingTable")
        self.view.activated.connect(lambda index: self._open(index.row()))
        lay.addWidget(self.view, 1)
        self.empty = hint("")
        lay.addWidget(self.empty)
        self.refresh()

    def refresh(self) -> None:
        meetings, actor, upcoming = self.services.meetings, self.actor, self.upcoming.isChecked()
        self.query(lambda: meetings.list_meetings(actor, upcoming_only=upcoming), self._show, key="list")

    def _show(self, rows: list[MeetingRow]) -> None:
        self.model.set_rows([[Cell(fmt.date(r.meeting_date), (r.meeting_date, r.start_time)),
                              Cell(r.start_time.strftime("%H:%M") if r.start_time else "", r.start_time),
                              r.citizen,
                              Cell(r.case_number, whole=True),
                              Cell(str(r.sequence_no), r.sequence_no, align_right=True),
                              label(MEETING_STATUS_LABELS, r.status),
                              r.location,
                              tr(MEETING_TYPE_LABELS.get(r.meeting_type, r.meeting_type))] for r in rows], rows)
        if rows:
            self.empty.setText(tr("Dobbeltklik eller tryk Enter for at åbne forløbet. Klik på en kolonne for at "
                                  "sortere."))
        elif self.upcoming.isChecked():
            self.empty.setText(tr("Ingen kommende rundbordssamtaler. Fjern fluebenet i »Vis kun kommende« for at se "
                                  "de afholdte."))
        else:
            self.empty.setText(tr("Ingen rundbordssamtaler endnu."))

    def _open(self, row: int) -> None:
        meeting = self.model.key(row)
        if isinstance(meeting, MeetingRow):
            self.navigate.emit("cases", meeting.case_id)
