"""Rundbordssamtaler: the case's round-table meetings, planned and written up.

Left, the meetings (newest first) and "Planlæg rundbordssamtale…". Right, the chosen meeting as one
form: when and where, participants (who attended), the person's own account, health as function,
the workplace's options, the obstacles, solutions and agreements (who, what, by when), what
colleagues may be told, and the next meeting. Saving turns each new agreement into a task; "Før over
i handlingsplanen" carries the chosen agreement into the plan. The invitation and the minutes (the
participants' copy or the employer's) print through the preview; "Kalenderfil…" saves an .ics file
for Outlook.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError, ValidationError
from app.labels import MEETING_STATUS_LABELS
from app.services.meetings import (
    AUDIENCE_LABELS,
    ITEM_KIND_LABELS,
    MEETING_TYPE_LABELS,
    TEXT_FIELDS,
    MeetingDetail,
    MeetingTab,
)
from ui import fmt
from ui.dialogs.print_preview import open_print_preview
from ui.dialogs.round_table import PlanMeetingDialog, parse_time
from ui.errors import form_errors, show_error
from ui.i18n import label, tr
from ui.record.base import RecordTab
from ui.widgets.common import hint, section_title
from ui.widgets.files import ask_save_path, saved_message
from ui.widgets.forms import DateField, ErrorPanel
from ui.widgets.rows_table import RowsTable, rows_with_buttons
from ui.widgets.simple_table import Cell, ListTableModel, make_table

ATTENDED = {"yes": "Ja", "no": "Nej"}


class MeetingsTab(RecordTab):
    title = "Rundbordssamtaler"

    def __init__(self, services, actor, case_id, parent=None):
        super().__init__(services, actor, case_id, parent)
        self.can_write = actor.may("meeting.write")
        self.can_print = actor.may("letter.print")
        self.can_carry = actor.may("plan.write")
        self.view: MeetingTab | None = None
        self.meeting: MeetingDetail | None = None
        self._loading = False
        self._dirty = False
        self.plan_dialog: PlanMeetingDialog | None = None
        outer = QHBoxLayout(self)
        split = QSplitter()
        outer.addWidget(split)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.new_button = QPushButton(tr("Planlæg rundbordssamtale…"))
        self.new_button.setObjectName("primary")
        self.new_button.clicked.connect(self.plan_meeting)
        self.new_button.setVisible(self.can_write)
        ll.addWidget(self.new_button)
        self.list_model = ListTableModel([tr("Nr."), tr("Dato"), tr("Kl."), tr("Type"), tr("Status")])
        self.list_view = make_table(self.list_model, stretch=3)
        self.list_view.setObjectName("caseMeetings")
        self.list_view.clicked.connect(lambda index: self._choose(self.list_model.key(index.row())))
        self.list_view.activated.connect(lambda index: self._choose(self.list_model.key(index.row())))
        ll.addWidget(self.list_view, 1)
        self.empty = hint("")
        ll.addWidget(self.empty)
        split.addWidget(left)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(8, 0, 0, 0)
        bar = QHBoxLayout()
        self.heading = section_title("")
        bar.addWidget(self.heading, 1)
        self.save_button = QPushButton(tr("Gem"))
        self.save_button.setToolTip(tr("Gem samtalen (Ctrl+S); nye aftaler bliver til opgaver"))
        self.save_button.clicked.connect(self.save)
        self.invite_button = QPushButton(tr("Invitation…"))
        self.invite_button.clicked.connect(lambda: self.print_document("invitation"))
        self.audience = QComboBox()
        for code, text in AUDIENCE_LABELS.items():
            self.audience.addItem(tr(text), code)
        self.minutes_button = QPushButton(tr("Referat…"))
        self.minutes_button.clicked.connect(lambda: self.print_document("minutes"))
        self.ics_button = QPushButton(tr("Kalenderfil…"))
        self.ics_button.setToolTip(tr("Gem mødet som .ics-fil til Outlook"))
        self.ics_button.clicked.connect(self.save_ics)
        for w in (self.save_button, self.invite_button, self.audience, self.minutes_button, self.ics_button):
            bar.addWidget(w)
        rl.addLayout(bar)
        self.save_button.setVisible(self.can_write)
        for w in (self.invite_button, self.audience, self.minutes_button):
            w.setVisible(self.can_print)
        self.errors = ErrorPanel()
        rl.addWidget(self.errors)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        form_lay = QVBoxLayout(body)
        top = QFormLayout()
        self.fields: dict[str, QWidget] = {}
        self.kind = QComboBox()
        for code, text in MEETING_TYPE_LABELS.items():
            self.kind.addItem(tr(text), code)
        self.status_box = QComboBox()
        for code in MEETING_STATUS_LABELS:
            self.status_box.addItem(label(MEETING_STATUS_LABELS, code), code)
        self.date = DateField(None, field="meeting_date", label=tr("Dato"))
        self.time = QLineEdit()
        self.time.setMaximumWidth(80)
        self.duration = QSpinBox()
        self.duration.setRange(15, 480)
        self.duration.setSingleStep(15)
        self.duration.setSuffix(tr(" min."))
        self.facilitator = QComboBox()
        self.next_date = DateField(None, field="next_meeting_date", label=tr("Næste møde"), required=False)
        self.fields.update(meeting_type=self.kind, status=self.status_box, meeting_date=self.date, start_time=self.time,
                           duration_minutes=self.duration, facilitator_id=self.facilitator,
                           next_meeting_date=self.next_date)
        when = QHBoxLayout()
        for w in (self.date, QLabel(tr("kl.")), self.time, self.duration):
            when.addWidget(w)
        when.addStretch(1)
        top.addRow(tr("Type"), self.kind)
        top.addRow(tr("Status"), self.status_box)
        top.addRow(tr("Tidspunkt"), when)
        self.texts: dict[str, QWidget] = {}
        self.texts["location"] = QLineEdit()
        top.addRow(tr(TEXT_FIELDS["location"][0]), self.texts["location"])
        top.addRow(tr("Mødeleder"), self.facilitator)
        for name in ("purpose", "agenda"):
            self.texts[name] = self._text_edit(70)
            top.addRow(tr(TEXT_FIELDS[name][0]), self.texts[name])
        form_lay.addLayout(top)

        form_lay.addWidget(section_title(tr("Deltagere")))
        self.participants = RowsTable([("name", tr("Navn"), "text"), ("role_label", tr("Rolle"), "text"),
                                       ("organisation", tr("Organisation"), "text"),
                                       ("attended", tr("Deltog"), ATTENDED)])
        self.participants.setObjectName("participants")
        form_lay.addLayout(self._with_buttons(self.participants, tr("Tilføj deltager"), lambda: {}))
        self.fields["participants"] = self.participants

        during = QFormLayout()
        for name in ("citizen_account", "function_description", "workplace_options"):
            self.texts[name] = self._text_edit(64)
            during.addRow(tr(TEXT_FIELDS[name][0]), self.texts[name])
        form_lay.addLayout(during)
        form_lay.addWidget(section_title(tr("Forhindringer, løsninger og aftaler")))
        form_lay.addWidget(hint(tr("En aftale er hvem, hvad og hvornår. Når du gemmer, bliver hver ny aftale en "
                                   "opgave til mødelederen.")))
        self.items = RowsTable([("kind", tr("Slags"), {k: tr(v) for k, v in ITEM_KIND_LABELS.items()}),
                                ("text", tr("Hvad"), "text"), ("responsible", tr("Hvem"), "text"),
                                ("due_date", tr("Hvornår"), "date")])
        self.items.setObjectName("meetingItems")
        self.items.setMinimumHeight(170)
        items_box = self._with_buttons(self.items, tr("Tilføj punkt"), lambda: {"kind": "agreement"})
        self.carry_button = QPushButton(tr("Før aftalen over i handlingsplanen"))
        self.carry_button.setToolTip(tr("Den valgte aftale bliver en indsats i handlingsplanens kladde"))
        self.carry_button.clicked.connect(self.carry_selected)
        self.carry_button.setVisible(self.can_carry)
        items_box.itemAt(items_box.count() - 1).layout().insertWidget(2, self.carry_button)
        form_lay.addLayout(items_box)
        self.fields["items"] = self.items
        after = QFormLayout()
        self.texts["colleagues_info"] = self._text_edit(54)
        after.addRow(tr(TEXT_FIELDS["colleagues_info"][0]), self.texts["colleagues_info"])
        after.addRow(tr("Næste møde"), self.next_date)
        form_lay.addLayout(after)
        form_lay.addStretch(1)
        self.fields.update(self.texts)
        scroll.setWidget(body)
        rl.addWidget(scroll, 1)
        self.form_body = body
        split.addWidget(right)
        split.setSizes([330, 950])
        for w in (self.kind, self.status_box, self.facilitator):
            w.currentIndexChanged.connect(self._edited)
        for w in (self.date, self.time, self.next_date, self.texts["location"]):
            w.textChanged.connect(self._edited)
        self.duration.valueChanged.connect(self._edited)
        for name in ("purpose", "agenda", "citizen_account", "function_description", "workplace_options",
                     "colleagues_info"):
            self.texts[name].textChanged.connect(self._edited)
        for table in (self.participants, self.items):
            table.itemChanged.connect(self._edited)
            table.editable = self.can_write
        body.setEnabled(False)
        QShortcut(QKeySequence.Save, self, activated=self.save, context=Qt.WidgetWithChildrenShortcut)

    # -- helpers -------------------------------------------------------------------------------
    def _text_edit(self, height: int) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setFixedHeight(height)
        edit.setReadOnly(not self.can_write)
        return edit

    def _with_buttons(self, table: RowsTable, add_text: str, new_row) -> QVBoxLayout:
        return rows_with_buttons(table, add_text, new_row, self._edited, visible=self.can_write)

    # -- loading -------------------------------------------------------------------------------
    def load(self, detail) -> None:
        super().load(detail)
        self.reload()

    def reload(self, choose: int | None = None) -> None:
        meetings, actor, case_id = self.services.meetings, self.actor, self.case_id
        self.query(lambda: meetings.meeting_tab(actor, case_id), lambda v: self._show_list(v, choose), key="tab",
                   on_error=lambda exc: show_error(self, exc))

    def _show_list(self, view: MeetingTab, choose: int | None) -> None:
        self.view = view
        self.list_model.set_rows([[Cell(str(m.sequence_no), m.sequence_no, align_right=True),
                                   Cell(fmt.date(m.meeting_date), m.meeting_date),
                                   Cell(m.start_time.strftime("%H:%M") if m.start_time else "", m.start_time),
                                   tr(MEETING_TYPE_LABELS.get(m.meeting_type, m.meeting_type)),
                                   label(MEETING_STATUS_LABELS, m.status)] for m in view.meetings],
                                 [m.id for m in view.meetings])
        self.facilitator.blockSignals(True)
        self.facilitator.clear()
        for uid, name in view.facilitators:
            self.facilitator.addItem(name, uid)
        self.facilitator.blockSignals(False)
        if view.meetings:
            self.empty.setText(tr("Vælg en samtale for at se og skrive referatet."))
            ids = [m.id for m in view.meetings]
            wanted = choose if choose in ids else (self.meeting.id if self.meeting and self.meeting.id in ids
                                                   else ids[0])
            self.list_view.selectRow(ids.index(wanted))
            self._choose(wanted)
        else:
            self.empty.setText(tr("Ingen rundbordssamtaler endnu.") + (
                " " + tr("Planlæg den første med knappen ovenfor.") if self.can_write else ""))
            self.meeting = None
            self.heading.setText("")
            self.form_body.setEnabled(False)
            for w in (self.save_button, self.invite_button, self.minutes_button, self.ics_button):
                w.setEnabled(False)

    def _choose(self, meeting_id: Any) -> None:
        if not isinstance(meeting_id, int) or (self.meeting and self.meeting.id == meeting_id and not self._dirty):
            return
        meetings, actor = self.services.meetings, self.actor
        self.query(lambda: meetings.meeting(actor, meeting_id), self._show_meeting, key="meeting",
                   on_error=lambda exc: show_error(self, exc))

    def _show_meeting(self, m: MeetingDetail) -> None:
        self._loading = True
        self.meeting = m
        v = m.values
        self.heading.setText(tr("Rundbordssamtale nr. {n} – {date}").format(n=m.sequence_no,
                                                                            date=fmt.date(v["meeting_date"])))
        self.kind.setCurrentIndex(max(0, self.kind.findData(v["meeting_type"])))
        self.status_box.setCurrentIndex(max(0, self.status_box.findData(v["status"])))
        self.date.set_date(v["meeting_date"])
        self.time.setText(v["start_time"].strftime("%H:%M") if v["start_time"] else "")
        self.duration.setValue(v["duration_minutes"])
        self.facilitator.setCurrentIndex(max(0, self.facilitator.findData(v["facilitator_id"])))
        self.next_date.set_date(v["next_meeting_date"])
        for name, w in self.texts.items():
            (w.setText if isinstance(w, QLineEdit) else w.setPlainText)(v[name] or "")
        self.participants.set_rows([{**p, "attended": {True: "yes", False: "no"}.get(p["attended"])}
                                    for p in m.participants])
        self.items.set_rows(m.items)
        text_col = 1
        for row, item in enumerate(m.items):
            cell = self.items.item(row, text_col)
            cell.setData(Qt.UserRole, item["id"])
            if item["carried_to_plan_at"]:
                cell.setToolTip(tr("Ført over i handlingsplanen {date}").format(
                    date=fmt.date(item["carried_to_plan_at"])))
        self.form_body.setEnabled(True)
        for w in (self.save_button, self.invite_button, self.minutes_button, self.ics_button):
            w.setEnabled(True)
        self.errors.clear_errors()
        self._loading = False
        self._set_dirty(False)

    # -- editing and saving --------------------------------------------------------------------
    def _edited(self, *_args) -> None:
        if not self._loading and self.meeting is not None and self.can_write:
            self._set_dirty(True)

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)

    def has_unsaved_changes(self) -> bool:
        return self._dirty

    def _values(self) -> tuple[dict, list, list]:
        values: dict[str, Any] = dict(meeting_type=self.kind.currentData(), status=self.status_box.currentData(),
                                      meeting_date=self.date.date(), start_time=parse_time(self.time.text()),
                                      duration_minutes=self.duration.value(),
                                      facilitator_id=self.facilitator.currentData(),
                                      next_meeting_date=self.next_date.date())
        for name, w in self.texts.items():
            values[name] = w.text() if isinstance(w, QLineEdit) else w.toPlainText()
        people = [{**p, "attended": {"yes": True, "no": False}.get(p["attended"])}
                  for p in self.participants.values(tr("Deltagere"))]
        items = self.items.values(tr("Punkter"))
        for row, item in enumerate(items):
            cell = self.items.item(row, 1)
            item["id"] = cell.data(Qt.UserRole) if cell else None
            if not item["kind"]:
                raise ValidationError("items", tr("vælg hvilken slags punkt det er"),
                                      label=tr("Punkter – række {n}").format(n=row + 1))
        return values, people, items

    def save(self, then=None) -> None:
        if self.meeting is None or not self.can_write:
            return
        self.errors.clear_errors()
        try:
            values, people, items = self._values()
        except AppError as exc:
            self.errors.show_error(exc, self.fields)
            return
        meetings, actor, m = self.services.meetings, self.actor, self.meeting

        def done(_version: int) -> None:
            self._set_dirty(False)
            self.status.emit(tr("Rundbordssamtalen er gemt."))
            self.meeting = None
            self.reload(m.id)
            self.changed.emit()
            if then:
                then()
        self.write(lambda: meetings.save_meeting(actor, m.id, expected_version=m.version, values=values,
                                                 participants=people, items=items), done,
                   disable=self.save_button,
                   on_error=form_errors(self.errors, self.fields, parent=self, on_conflict=lambda: self.reload(m.id)))

    def plan_meeting(self) -> None:
        if self.view is None:
            return
        self.plan_dialog = dlg = PlanMeetingDialog(self.services, self.actor, self.case_id, people=self.view.people,
                                                   parent=self)
        dlg.finished.connect(lambda result: self._planned(dlg) if result else None)
        dlg.open()

    def _planned(self, dlg: PlanMeetingDialog) -> None:
        self.status.emit(tr("Rundbordssamtalen er planlagt. Udskriv invitationen med »Invitation…«."))
        self.meeting = None
        self.reload(dlg.result_value)
        self.changed.emit()

    def carry_selected(self) -> None:
        row = self.items.currentRow()
        cell = self.items.item(row, 1) if row >= 0 else None
        item_id = cell.data(Qt.UserRole) if cell else None
        kind = self.items.cellWidget(row, 0).currentData() if row >= 0 else None
        if item_id is None or kind != "agreement":
            self.status.emit(tr("Vælg en gemt aftale i listen først."))
            return
        if self._dirty:
            self.save(then=lambda: self._carry(item_id))
        else:
            self._carry(item_id)

    def _carry(self, item_id: int) -> None:
        meetings, actor = self.services.meetings, self.actor
        self.write(lambda: meetings.carry_into_plan(actor, item_id),
                   lambda _plan: (self.status.emit(tr("Aftalen står nu i handlingsplanens kladde.")),
                                  self.reload(), self.changed.emit()),
                   disable=self.carry_button, on_error=lambda exc: show_error(self, exc))

    # -- documents -----------------------------------------------------------------------------
    def print_document(self, what: str) -> None:
        m = self.meeting
        if m is None:
            return
        meetings, actor = self.services.meetings, self.actor
        number = self.detail.case_number if self.detail else ""
        audience = self.audience.currentData()
        if what == "invitation":
            title, name = tr("Invitation til rundbordssamtale"), f"invitation-{number}-{m.sequence_no}.pdf"
        else:
            title = tr("Referat – {who}").format(who=tr(AUDIENCE_LABELS[audience]))
            name = f"referat-{number}-{m.sequence_no}-{audience}.pdf"
            what = f"referat ({audience})"

        def make() -> bytes:
            if what == "invitation":
                return meetings.invitation_pdf(actor, m.id)
            return meetings.minutes_pdf(actor, m.id, audience=audience)
        self.preview = open_print_preview(self, title=title, make_pdf=make, file_name=name,
                                          log_print=lambda how: meetings.log_print(actor, m.id, what=what, how=how))
        self.preview.done.connect(self.status)

    def save_ics(self) -> None:
        m = self.meeting
        if m is None:
            return
        number = self.detail.case_number if self.detail else "tta"
        path = ask_save_path(self, tr("Gem kalenderfil"), f"rundbordssamtale-{number}-{m.sequence_no}.ics",
                             filter_text=tr("Kalenderfil (*.ics)"))
        if path is None:
            return
        meetings, actor = self.services.meetings, self.actor

        self.write(lambda: meetings.write_ics(actor, m.id, path), lambda p: self.status.emit(saved_message(p)),
                   disable=self.ics_button, on_error=lambda exc: show_error(self, exc))
