"""Conference mode: the weekly case conference run at speed, one agenda item at a time.

Left, the agenda (reorder with the arrows, remove, add a case by its number or a free item). Right,
the chosen item: why it is up, the case's key facts (phase, subgroup, latest scores, plan status,
next deadline: only with full access to the case, ``app.access``), the notes and the decision, and
"Ny opgave" (owner, due date) straight into the owner's task list. Ctrl+Page Down / Ctrl+Page Up
go to the next / previous item.

Nothing is lost if the window or the app closes mid-meeting: the notes and decision save by
themselves a moment after typing stops, when another item is chosen, and when the window closes.
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.services.conferences import AgendaItem, ConferenceDetail, KeyFacts
from ui import fmt
from ui.dialogs.print_preview import open_print_preview
from ui.errors import ask, show_error
from ui.i18n import tr
from ui.tasks import TaskOwner
from ui.widgets.common import hint, page_title, section_title, value_label
from ui.widgets.forms import DateField

AUTOSAVE_MS = 800


class ConferenceMode(TaskOwner, QDialog):
    def __init__(self, services, actor, conference_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.services, self.actor, self.conference_id = services, actor, conference_id
        self.can_write = actor.may("conference.write")
        self.detail: ConferenceDetail | None = None
        self.items: list[AgendaItem] = []
        self.versions: dict[int, int] = {}       # item id -> version after our last save
        self.current: AgendaItem | None = None
        self.last_dialog = None                  # the Begrund adgang dialog, when one was opened
        self._filling = False
        self._dirty = False
        self.setWindowTitle(tr("Konferencetilstand"))
        self.setWindowFlag(Qt.WindowMaximizeButtonHint, True)
        self.resize(1280, 800)
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self.heading = page_title(tr("Casekonference"))
        top.addWidget(self.heading, 1)
        self.prev_button = QPushButton(tr("‹ Forrige"))
        self.prev_button.setToolTip(tr("Forrige punkt (Ctrl+Page Up)"))
        self.prev_button.clicked.connect(lambda: self.go(-1))
        self.next_button = QPushButton(tr("Næste ›"))
        self.next_button.setToolTip(tr("Næste punkt (Ctrl+Page Down)"))
        self.next_button.clicked.connect(lambda: self.go(1))
        self.agenda_button = QPushButton(tr("Dagsorden…"))
        self.agenda_button.clicked.connect(lambda: self.print_document("agenda"))
        self.minutes_button = QPushButton(tr("Referat…"))
        self.minutes_button.clicked.connect(lambda: self.print_document("minutes"))
        self.close_conf_button = QPushButton(tr("Afslut konferencen"))
        self.close_conf_button.clicked.connect(self.close_conference)
        for b in (self.prev_button, self.next_button, self.agenda_button, self.minutes_button,
                  self.close_conf_button):
            top.addWidget(b)
        self.close_conf_button.setVisible(self.can_write)
        outer.addLayout(top)

        split = QSplitter()
        outer.addWidget(split, 1)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(section_title(tr("Dagsorden")))
        self.agenda = QListWidget()
        self.agenda.setObjectName("agendaList")
        self.agenda.setWordWrap(True)
        self.agenda.currentRowChanged.connect(self._chosen)
        ll.addWidget(self.agenda, 1)
        order = QHBoxLayout()
        self.up_button = QPushButton(tr("Op"))
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button = QPushButton(tr("Ned"))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.remove_button = QPushButton(tr("Fjern"))
        self.remove_button.clicked.connect(self.remove_current)
        for b in (self.up_button, self.down_button, self.remove_button):
            order.addWidget(b)
        ll.addLayout(order)
        add = QHBoxLayout()
        self.add_edit = QLineEdit()
        self.add_edit.setPlaceholderText(tr("Forløbsnummer eller emne"))
        self.add_case_button = QPushButton(tr("Tilføj forløb"))
        self.add_case_button.clicked.connect(self.add_case)
        self.add_free_button = QPushButton(tr("Frit punkt"))
        self.add_free_button.clicked.connect(self.add_free)
        add.addWidget(self.add_edit, 1)
        add.addWidget(self.add_case_button)
        add.addWidget(self.add_free_button)
        ll.addLayout(add)
        for w in (self.up_button, self.down_button, self.remove_button, self.add_edit, self.add_case_button,
                  self.add_free_button):
            w.setVisible(self.can_write)
        split.addWidget(left)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(8, 0, 0, 0)
        self.item_title = section_title("")
        self.item_title.setObjectName("itemTitle")
        rl.addWidget(self.item_title)
        self.reason = hint("")
        rl.addWidget(self.reason)
        facts_box = QGroupBox(tr("Nøgletal"))
        self.facts_form = QFormLayout(facts_box)
        self.facts: dict[str, QLabel] = {}
        for key, text in (("phase", "Fase"), ("subgroup", "Undergruppe"), ("coordinator", "Koordinator"),
                          ("scores", "Seneste test"), ("plan", "Handlingsplan"), ("deadline", "Næste frist")):
            self.facts[key] = value_label("")
            self.facts_form.addRow(tr(text), self.facts[key])
        rl.addWidget(facts_box)
        self.facts_box = facts_box
        self.no_access = QWidget()
        na = QHBoxLayout(self.no_access)
        na.setContentsMargins(0, 0, 0, 0)
        na.addWidget(hint(tr("Du er ikke tilknyttet forløbet og ser kun, hvorfor det er på dagsordenen. Noter, "
                             "beslutning og opgaver kræver, at du begrunder din adgang.")), 1)
        self.reason_button = QPushButton(tr("Begrund adgang…"))
        self.reason_button.clicked.connect(self.state_reason)
        na.addWidget(self.reason_button)
        rl.addWidget(self.no_access)
        rl.addWidget(QLabel(tr("Noter")))
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("conferenceNotes")
        self.notes.setPlaceholderText(tr("Hvad blev sagt …"))
        rl.addWidget(self.notes, 2)
        rl.addWidget(QLabel(tr("Beslutning")))
        self.decision = QPlainTextEdit()
        self.decision.setObjectName("conferenceDecision")
        self.decision.setPlaceholderText(tr("Hvad blev besluttet – vises på forløbets tidslinje"))
        rl.addWidget(self.decision, 1)
        for edit in (self.notes, self.decision):
            edit.setReadOnly(not self.can_write)
            edit.textChanged.connect(self._edited)
        task_box = QGroupBox(tr("Ny opgave"))
        tl = QHBoxLayout(task_box)
        self.task_title = QLineEdit()
        self.task_title.setPlaceholderText(tr("Hvad skal gøres"))
        self.task_owner = QComboBox()
        self.task_due = DateField(services.cases.today() + dt.timedelta(days=7), field="due_date", label=tr("Frist"))
        self.task_button = QPushButton(tr("Ny opgave"))
        self.task_button.clicked.connect(self.add_task)
        tl.addWidget(self.task_title, 2)
        tl.addWidget(self.task_owner, 1)
        tl.addWidget(self.task_due)
        tl.addWidget(self.task_button)
        task_box.setVisible(self.can_write)
        rl.addWidget(task_box)
        self.task_box = task_box
        self.tasks_label = hint("")
        rl.addWidget(self.tasks_label)
        self.saved = QLabel("")
        self.saved.setObjectName("saveState")
        rl.addWidget(self.saved)
        split.addWidget(right)
        split.setSizes([380, 900])

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.save_current)
        QShortcut(QKeySequence("Ctrl+PgDown"), self, activated=lambda: self.go(1))
        QShortcut(QKeySequence("Ctrl+PgUp"), self, activated=lambda: self.go(-1))
        self.reload()

    # -- loading -------------------------------------------------------------------------------
    def reload(self, keep: int | None = None) -> None:
        conferences, actor, cid = self.services.conferences, self.actor, self.conference_id
        self.query(lambda: conferences.conference(actor, cid), lambda d: self._show(d, keep), key="conference",
                   on_error=lambda exc: show_error(self, exc))

    def _show(self, d: ConferenceDetail, keep: int | None) -> None:
        self.detail = d
        self.items = d.items
        self.versions.update({i.id: i.version for i in d.items})
        self.heading.setText(tr("Casekonference {date} ({week})").format(date=fmt.date(d.held_on),
                                                                          week=fmt.week(d.held_on)))
        if self.task_owner.count() == 0:
            for uid, name in d.members:
                self.task_owner.addItem(name, uid)
        self.agenda.blockSignals(True)
        self.agenda.clear()
        for n, i in enumerate(d.items, 1):
            mark = " ✓" if i.decision else ""
            QListWidgetItem(f"{n}. {i.heading}{mark}\n    {tr(i.reason_label)}", self.agenda)
        self.agenda.blockSignals(False)
        ids = [i.id for i in d.items]
        row = ids.index(keep) if keep in ids else (0 if ids else -1)
        self.current = None
        self.agenda.setCurrentRow(row)
        if row < 0:
            self._chosen(-1)

    def _chosen(self, row: int) -> None:
        if self._dirty:
            self.save_current()
        self.current = self.items[row] if 0 <= row < len(self.items) else None
        i = self.current
        self._filling = True
        self.notes.setPlainText(i.notes if i else "")
        self.decision.setPlainText(i.decision if i else "")
        self._filling = False
        self._dirty = False
        n = len(self.items)
        self.prev_button.setEnabled(row > 0)
        self.next_button.setEnabled(0 <= row < n - 1)
        for w in (self.notes, self.decision, self.task_box):
            w.setEnabled(i is not None and i.full_access)
        if i is None:
            self.item_title.setText(tr("Ingen punkter på dagsordenen. Tilføj et forløb eller et frit punkt."))
            self.reason.setText("")
            self.facts_box.hide()
            self.no_access.hide()
            self.tasks_label.setText("")
            return
        self.item_title.setText(tr("Punkt {n} af {total}: {what}").format(n=row + 1, total=n, what=i.heading))
        self.reason.setText(tr(i.reason_label) + (f": {i.reason_detail}" if i.reason_detail else ""))
        self.tasks_label.setText("\n".join(tr("Opgave – {t}").format(t=t) for t in i.tasks))
        self.saved.setText("")
        self.no_access.setVisible(i.case_id is not None and not i.full_access)
        self.facts_box.setVisible(i.case_id is not None and i.full_access)
        if i.case_id is not None and i.full_access:
            for label in self.facts.values():
                label.setText("…")
            conferences, actor, cid = self.services.conferences, self.actor, i.case_id
            self.query(lambda: conferences.key_facts(actor, cid), self._show_facts, key="facts",
                       on_error=lambda exc: show_error(self, exc))

    def state_reason(self) -> None:
        """Begrund adgang for the shown item's case; granted, the agenda reloads with the item in full."""
        from ui.dialogs.access_reason import AccessReasonDialog
        i = self.current
        if i is None or i.case_id is None or i.full_access:
            return
        dlg = AccessReasonDialog(self.services, self.actor, i.case_id, heading=i.heading, parent=self)
        self.last_dialog = dlg
        dlg.accepted.connect(lambda: self.reload(i.id))
        dlg.open()

    def _show_facts(self, f: KeyFacts) -> None:
        self.facts["phase"].setText(tr(f.phase))
        self.facts["subgroup"].setText(str(f.subgroup) if f.subgroup else tr("Ikke placeret"))
        self.facts["coordinator"].setText(f.coordinator)
        self.facts["scores"].setText("\n".join(f.scores) or tr("Ingen test endnu"))
        self.facts["plan"].setText(tr(f.plan_status))
        self.facts["deadline"].setText(f.next_deadline)

    # -- navigation ----------------------------------------------------------------------------
    def go(self, step: int) -> None:
        row = self.agenda.currentRow() + step
        if 0 <= row < self.agenda.count():
            self.agenda.setCurrentRow(row)

    # -- saving --------------------------------------------------------------------------------
    def _edited(self) -> None:
        if self._filling or self.current is None or not self.can_write:
            return
        self._dirty = True
        self.saved.setText(tr("Ikke gemt endnu …"))
        self._timer.start()

    def save_current(self) -> None:
        """Save the shown item's notes and decision (autosave, item change, closing)."""
        self._timer.stop()
        i = self.current
        if i is None or not self._dirty:
            return
        self._dirty = False
        notes, decision = self.notes.toPlainText(), self.decision.toPlainText()
        conferences, actor, version = self.services.conferences, self.actor, self.versions.get(i.id, i.version)
        # The local copy follows at once, so coming back to the item shows what was typed.
        self.items = [x if x.id != i.id else _with(x, notes, decision) for x in self.items]
        self.current = next((x for x in self.items if x.id == i.id), None) if self.current else None
        self._mark_decided(i.id, bool(decision.strip()))

        def saved(new_version: int) -> None:
            self.versions[i.id] = new_version
            self.saved.setText(tr("Gemt {time}").format(time=fmt.datetime_local(self.services.cases.clock())[-5:]))
        self.write(lambda: conferences.save_item(actor, i.id, expected_version=version, notes=notes,
                                                 decision=decision), saved, disable=self.saved,
                   on_error=lambda exc: show_error(self, exc, on_conflict=lambda: self.reload(i.id)))

    def _mark_decided(self, item_id: int, decided: bool) -> None:
        ids = [x.id for x in self.items]
        if item_id in ids:
            row = ids.index(item_id)
            it = self.agenda.item(row)
            first, _, rest = it.text().partition("\n")
            first = first.removesuffix(" ✓") + (" ✓" if decided else "")
            it.setText(f"{first}\n{rest}")

    def has_unsaved_changes(self) -> bool:
        return self._dirty

    def closeEvent(self, event) -> None:  # noqa: N802
        self.save_current()
        super().closeEvent(event)

    def done(self, result: int) -> None:
        self.save_current()
        super().done(result)

    # -- the agenda ----------------------------------------------------------------------------
    def _agenda_write(self, fn, keep: int | None = None) -> None:
        self.save_current()
        self.write(fn, lambda result: self.reload(result if isinstance(result, int) else keep),
                   disable=[self.agenda, self.add_case_button, self.add_free_button],
                   on_error=lambda exc: show_error(self, exc))

    def move_current(self, step: int) -> None:
        if self.current is None:
            return
        conferences, actor, item_id = self.services.conferences, self.actor, self.current.id
        self._agenda_write(lambda: conferences.move_item(actor, item_id, step), keep=item_id)

    def remove_current(self) -> None:
        i = self.current
        if i is None or not ask(self, tr("Fjern punktet?"), tr("Fjern »{what}« fra dagsordenen?").format(
                what=i.heading), yes=tr("Fjern"), destructive=True):
            return
        conferences, actor = self.services.conferences, self.actor
        self._agenda_write(lambda: conferences.remove_item(actor, i.id))

    def add_case(self) -> None:
        number = self.add_edit.text().strip()
        if not number:
            self.add_edit.setFocus()
            return
        tasks, conferences, actor, cid = self.services.tasks, self.services.conferences, self.actor, self.conference_id
        self.add_edit.clear()
        self._agenda_write(lambda: conferences.add_item(actor, cid, case_id=tasks.find_case(actor, number)))

    def add_free(self) -> None:
        title = self.add_edit.text().strip()
        if not title:
            self.add_edit.setFocus()
            return
        conferences, actor, cid = self.services.conferences, self.actor, self.conference_id
        self.add_edit.clear()
        self._agenda_write(lambda: conferences.add_item(actor, cid, title=title))

    def add_task(self) -> None:
        i = self.current
        if i is None:
            return
        try:
            due = self.task_due.date()
        except Exception as exc:  # a ValidationError naming the field
            show_error(self, exc)
            return
        title, owner = self.task_title.text().strip(), self.task_owner.currentData()
        conferences, actor = self.services.conferences, self.actor
        owner_name = self.task_owner.currentText()

        def made(_task_id: int) -> None:
            self.task_title.clear()
            line = tr("{who}: {title} ({due})").format(who=owner_name, title=title, due=fmt.date(due))
            self.items = [x if x.id != i.id else _with(x, x.notes, x.decision, [*x.tasks, line])
                          for x in self.items]
            self.current = next(x for x in self.items if x.id == i.id)
            self.tasks_label.setText("\n".join(tr("Opgave – {t}").format(t=t) for t in self.current.tasks))
        self.write(lambda: conferences.add_task(actor, i.id, owner_id=owner, due=due, title=title), made,
                   disable=self.task_button, on_error=lambda exc: show_error(self, exc))

    # -- printing and closing ------------------------------------------------------------------
    def print_document(self, what: str) -> None:
        self.save_current()
        conferences, actor, cid = self.services.conferences, self.actor, self.conference_id
        held = self.detail.held_on if self.detail else None
        make = conferences.agenda_pdf if what == "agenda" else conferences.minutes_pdf
        name = tr("Dagsorden") if what == "agenda" else tr("Referat")
        self.preview = open_print_preview(
            self, title=f"{name} – {tr('casekonference')} {fmt.date(held)}",
            make_pdf=lambda: make(actor, cid),
            log_print=lambda how: conferences.log_print(actor, cid, what=what, how=how),
            file_name=f"{'dagsorden' if what == 'agenda' else 'referat'}-casekonference-{held}.pdf")

    def close_conference(self) -> None:
        if not ask(self, tr("Afslut konferencen?"), tr("Markér konferencen som afholdt? Noter og beslutninger "
                                                          "kan stadig rettes bagefter."), yes=tr("Afslut")):
            return
        self.save_current()
        conferences, actor, cid = self.services.conferences, self.actor, self.conference_id
        self.write(lambda: conferences.close_conference(actor, cid), lambda _r: self.accept(),
                   on_error=lambda exc: show_error(self, exc))


def _with(item: AgendaItem, notes: str, decision: str, tasks: list[str] | None = None) -> AgendaItem:
    return AgendaItem(**{**item.__dict__, "notes": notes, "decision": decision,
                         "tasks": item.tasks if tasks is None else tasks})
