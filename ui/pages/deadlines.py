"""Frister: the coming and overdue deadlines computed from the rules (``app.deadlines``), each with the
rule and its source; the user's own, or the whole team's for the team lead. Filtered by rule,
coordinator and week; exported as a calendar (.ics) on request. A double-click opens the case."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QPushButton

from app.services.deadlines import DeadlineRow, DeadlineView
from ui import fmt
from ui.i18n import tr
from ui.pages.base import Page
from ui.widgets.common import hint, page_title
from ui.widgets.files import ask_save_path, saved_message
from ui.widgets.simple_table import Cell, ListTableModel, make_table

WEEKS_SHOWN = 26   # the week filter offers the weeks from 4 back to this many ahead


class DeadlinesPage(Page):
    title = "Frister"

    def __init__(self, services, actor, parent=None):
        super().__init__(services, actor, parent)
        self.view: DeadlineView | None = None
        lay = self.page_layout()
        lay.addWidget(page_title(tr("Frister")))
        bar = QHBoxLayout()
        self.scope = QComboBox()
        self.scope.addItem(tr("Mine frister"), False)
        if actor.role == "team_lead":
            self.scope.addItem(tr("Hele teamets frister"), True)
            self.scope.setCurrentIndex(1)
        self.rule = QComboBox()
        self.rule.addItem(tr("Alle regler"), None)
        self.coordinator = QComboBox()
        self.coordinator.addItem(tr("Alle koordinatorer"), None)
        self.week = QComboBox()
        self.week.addItem(tr("Alle uger"), None)
        today = services.deadlines.today()
        monday = today - dt.timedelta(days=today.weekday())
        for k in range(-4, WEEKS_SHOWN + 1):
            start = monday + dt.timedelta(weeks=k)
            self.week.addItem(tr("Uge {n} ({start} – {end})").format(
                n=start.isocalendar()[1], start=fmt.date(start)[:5], end=fmt.date(start + dt.timedelta(days=6))[:5]),
                start)
        self.done = QCheckBox(tr("Vis også udførte"))
        for label, box in ((tr("Vis"), self.scope), (tr("Regel"), self.rule), (tr("Koordinator"), self.coordinator),
                           (tr("Uge"), self.week)):
            bar.addWidget(QLabel(label))
            bar.addWidget(box)
        bar.addWidget(self.done)
        bar.addStretch(1)
        self.export_button = QPushButton(tr("Eksportér kalender (.ics)…"))
        self.export_button.setToolTip(tr("De viste frister som heldagsbegivenheder med forløbsnummer og regel – "
                                         "uden borgerens navn"))
        self.export_button.clicked.connect(self.export)
        bar.addWidget(self.export_button)
        lay.addLayout(bar)
        for box in (self.scope, self.rule, self.coordinator, self.week):
            box.activated.connect(lambda _i: self.refresh())
        self.done.toggled.connect(lambda _b: self.refresh())
        self.summary = QLabel("")
        lay.addWidget(self.summary)
        self.model = ListTableModel([tr("Frist"), tr("Forløb"), tr("Borger"), tr("Frist for"), tr("Kilde"),
                                     tr("Koordinator"), tr("Status")])
        self.table = make_table(self.model, [90, 130, 170, 320, 260, 150, 90], stretch=3)
        self.table.setObjectName("deadlineTable")
        self.table.activated.connect(lambda index: self._open(index.row()))
        lay.addWidget(self.table, 1)
        self.empty = hint("")
        lay.addWidget(self.empty)
        self.refresh()

    def refresh(self) -> None:
        deadlines, actor = self.services.deadlines, self.actor
        team, rule, coordinator = self.scope.currentData(), self.rule.currentData(), self.coordinator.currentData()
        week, done = self.week.currentData(), self.done.isChecked()
        self.query(lambda: deadlines.deadlines(actor, team=bool(team), rule_code=rule, coordinator_id=coordinator,
                                               week=week, include_done=done), self._show, key="deadlines")

    def _fill(self, box: QComboBox, items: list[tuple[object, str]]) -> None:
        current = box.currentData()
        first = box.itemText(0)
        box.clear()
        box.addItem(first, None)
        for value, text in items:
            box.addItem(text, value)
        box.setCurrentIndex(max(0, box.findData(current)))

    def _show(self, view: DeadlineView) -> None:
        self.view = view
        self._fill(self.rule, [(code, text) for code, text in view.rule_choices])
        self._fill(self.coordinator, [(uid, name) for uid, name in view.coordinators])
        today = view.today
        overdue = [r for r in view.rows if r.overdue(today)]
        rows = []
        for r in view.rows:
            late = r.overdue(today)
            state = tr("Udført") if r.done else (tr("Overskredet") if late else (
                tr("I dag") if r.due == today else tr("Kommende")))
            state_cell = Cell(state, (r.done, not late), bold=late)
            rows.append([Cell(fmt.date(r.due), r.due, bold=late), Cell(r.case_number, whole=True), r.citizen,
                         r.title, r.source, r.coordinator, state_cell])
        self.model.set_rows(rows, view.rows)
        self.summary.setText(tr("{n} frister, heraf {late} overskredet").format(n=len(view.rows), late=len(overdue))
                             if view.rows else "")
        self.export_button.setEnabled(bool(view.rows))
        self.empty.setText(tr("Dobbeltklik for at åbne forløbet.") if view.rows else tr(
            "Ingen frister med disse valg. Frister beregnes af reglerne, når et forløb henvises, visiteres, får en "
            "godkendt handlingsplan eller afsluttes."))

    def _open(self, row: int) -> None:
        key = self.model.key(row)
        if isinstance(key, DeadlineRow):
            self.navigate.emit("cases", key.case_id)

    def export(self) -> None:
        rows = list(self.view.rows) if self.view else []
        if not rows:
            return
        path = ask_save_path(self, tr("Eksportér frister som kalender"), "tta-frister.ics",
                             filter_text=tr("Kalender (*.ics)"), suffix=".ics")
        if path is None:
            return
        deadlines, actor = self.services.deadlines, self.actor

        def save():
            from app.printing.templates import write_pdf  # the one atomic, private writer (any bytes)
            return write_pdf(path, deadlines.calendar(actor, rows))
        self.write(save, lambda p: self.status.emit(saved_message(p)), disable=self.export_button)
