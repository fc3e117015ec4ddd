"""Planlæg rundbordssamtale: type, date and time, length, place or video link, purpose and agenda, and
the participants chosen from the case's people (citizen, workplace contacts, GP, caseworker, team)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QSpinBox

from app.errors import ValidationError
from app.services.meetings import MEETING_TYPE_LABELS, Person
from ui.dialogs.action import ActionDialog
from ui.i18n import tr
from ui.widgets.forms import DateField

DEFAULT_AGENDA = ("1. Velkomst og formål\n2. Medarbejderens egen beretning\n3. Hvad kan lade sig gøre nu "
                  "(funktion, ikke diagnose)\n4. Arbejdspladsens muligheder\n5. Aftaler: hvem, hvad, hvornår\n"
                  "6. Hvad kollegerne får at vide\n7. Næste møde")


def parse_time(text: str) -> dt.time | None:
    """"10", "10:30", "10.30" or empty."""
    text = text.strip().replace(".", ":")
    if not text:
        return None
    try:
        hour, _, minute = text.partition(":")
        return dt.time(int(hour), int(minute or 0))
    except ValueError:
        raise ValidationError("start_time", "skal være et klokkeslæt som 10:30", label="Kl.") from None


class PlanMeetingDialog(ActionDialog):
    ok_text = "Planlæg"

    def __init__(self, services, actor, case_id: int, *, people: list[Person], parent=None):
        super().__init__(services, actor, case_id, parent)
        self.setWindowTitle(tr("Planlæg rundbordssamtale"))
        self.setMinimumWidth(560)
        self.kind = QComboBox()
        for code, text in MEETING_TYPE_LABELS.items():
            self.kind.addItem(tr(text), code)
        self.fields["meeting_type"] = self.kind
        self.form.addRow(tr("Type"), self.kind)
        self.date = DateField(services.cases.today() + dt.timedelta(days=7), field="meeting_date", label=tr("Dato"))
        self.fields["meeting_date"] = self.date
        self.form.addRow(tr("Dato *"), self.date)
        self.time = QLineEdit("10:00")
        self.time.setMaximumWidth(80)
        self.fields["start_time"] = self.time
        self.form.addRow(tr("Kl."), self.time)
        self.duration = QSpinBox()
        self.duration.setRange(15, 480)
        self.duration.setSingleStep(15)
        self.duration.setValue(60)
        self.duration.setSuffix(tr(" min."))
        self.fields["duration_minutes"] = self.duration
        self.form.addRow(tr("Varighed"), self.duration)
        self.location = QLineEdit()
        self.location.setPlaceholderText(tr("Adresse og lokale, eller et videolink"))
        self.fields["location"] = self.location
        self.form.addRow(tr("Sted eller videolink"), self.location)
        self.purpose = QPlainTextEdit()
        self.purpose.setFixedHeight(54)
        self.fields["purpose"] = self.purpose
        self.form.addRow(tr("Formål"), self.purpose)
        self.agenda = QPlainTextEdit(tr(DEFAULT_AGENDA))
        self.agenda.setFixedHeight(120)
        self.fields["agenda"] = self.agenda
        self.form.addRow(tr("Dagsorden"), self.agenda)
        self.people = QListWidget()
        self.people.setObjectName("meetingPeople")
        self.fields["participants"] = self.people
        for p in people:
            item = QListWidgetItem(f"{p.name} – {p.role_label}" + (f" ({p.organisation})" if p.organisation else ""),
                                   self.people)
            item.setData(Qt.UserRole, p)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            checked = p.role_label == "Borger" or p.user_id == actor.user_id or p.role_label == "Nærmeste leder"
            item.setCheckState(Qt.Checked if checked else Qt.Unchecked)
        self.form.addRow(tr("Deltagere"), self.people)
        self.finish_layout()

    def prepare(self):
        values = dict(meeting_type=self.kind.currentData(), meeting_date=self.date.date(),
                      start_time=parse_time(self.time.text()), duration_minutes=self.duration.value(),
                      location=self.location.text(), purpose=self.purpose.toPlainText(),
                      agenda=self.agenda.toPlainText())
        chosen = [self.people.item(r).data(Qt.UserRole) for r in range(self.people.count())
                  if self.people.item(r).checkState() == Qt.Checked]
        participants = [dict(name=p.name, role_label=p.role_label, organisation=p.organisation, user_id=p.user_id)
                        for p in chosen]
        meetings, actor, case_id = self.services.meetings, self.actor, self.case_id
        return lambda: meetings.plan_meeting(actor, case_id, values=values, participants=participants)
