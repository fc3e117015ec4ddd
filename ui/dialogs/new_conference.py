"""Ny konference: the date (the next Tuesday by default) and who attends; the agenda is built from
the cases' data by the service, each item with its reason."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem

from ui.dialogs.action import ActionDialog
from ui.i18n import tr
from ui.widgets.forms import DateField

CONFERENCE_WEEKDAY = 1   # Tuesday


def next_conference_day(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=(CONFERENCE_WEEKDAY - today.weekday()) % 7)


class NewConferenceDialog(ActionDialog):
    ok_text = "Opret og byg dagsorden"

    def __init__(self, services, actor, parent=None):
        super().__init__(services, actor, None, parent)
        self.setWindowTitle(tr("Ny casekonference"))
        self.setMinimumWidth(420)
        self.held_on = DateField(next_conference_day(services.cases.today()), field="held_on", label=tr("Dato"))
        self.fields["held_on"] = self.held_on
        self.form.addRow(tr("Dato *"), self.held_on)
        self.attendees = QListWidget()
        self.attendees.setObjectName("attendees")
        self.fields["attendees"] = self.attendees
        self.form.addRow(tr("Deltagere"), self.attendees)
        self.outer.addWidget(QLabel(tr(
            "Dagsordenen bygges af data: nye henvisninger, udredninger underskrevet siden sidste konference, planer "
            "der venter på godkendelse, rundbordssamtaler den kommende uge, frister inden for 7 dage, forløb uden "
            "aktivitet i 21 dage og forløb tæt på afslutning. Du kan rette den bagefter.")))
        self.outer.itemAt(self.outer.count() - 1).widget().setWordWrap(True)
        team = services.team
        self.load(lambda: team.members(actor), self._fill)
        self.finish_layout()

    def _fill(self, members) -> None:
        for m in members:
            item = QListWidgetItem(m.full_name, self.attendees)
            item.setData(Qt.UserRole, m.id)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked)

    def prepare(self):
        held_on = self.held_on.date()
        ids = [self.attendees.item(r).data(Qt.UserRole) for r in range(self.attendees.count())
               if self.attendees.item(r).checkState() == Qt.Checked]
        conferences, actor = self.services.conferences, self.actor
        return lambda: conferences.new_conference(actor, held_on, attendee_ids=ids)
