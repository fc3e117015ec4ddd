"""Casekonferencer, Rundbordssamtaler and Statistik: what exists so far, read-only.

Later issues add planning, minutes and printing on top of these lists.
"""
from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from app.labels import MEETING_STATUS_LABELS
from app.services import Actor, Services
from ui import fmt
from ui.widgets.common import hint, page_title
from ui.widgets.simple_table import ListTableModel, make_table


class ConferencesPage(QWidget):
    title = "Casekonferencer"

    def __init__(self, services: Services, actor: Actor, parent=None):
        super().__init__(parent)
        self.services, self.actor = services, actor
        lay = QVBoxLayout(self)
        lay.setContentsMargins(18, 14, 18, 14)
        lay.addWidget(page_title("Casekonferencer"))
        lay.addWidget(hint("Den ugentlige tværfaglige casekonference: forløb på dagsordenen og beslutninger."))
        self.model = ListTableModel(["Dato", "Uge", "Forløb på dagsordenen", "Beslutninger", "Status"])
        lay.addWidget(make_table(self.model, [110, 70, 170, 120]), 1)
        self.empty = hint("")
        lay.addWidget(self.empty)
        self.refresh()

    def refresh(self) -> None:
        rows = self.services.conferences.list_conferences(self.actor)
        self.model.set_rows([[fmt.date(r.held_on), fmt.week(r.held_on), str(r.items), str(r.decisions),
                              "Afholdt" if r.closed else "Kommende"] for r in rows], [r.id for r in rows])
        self.empty.setText("" if rows else "Ingen casekonferencer endnu.")


class MeetingsPage(QWidget):
    title = "Rundbordssamtaler"

    def __init__(self, services: Services, actor: Actor, parent=None):
        super().__init__(parent)
        self.services, self.actor = services, actor
        lay = QVBoxLayout(self)
        lay.setContentsMargins(18, 14, 18, 14)
        lay.addWidget(page_title("Rundbordssamtaler"))
        self.upcoming = QCheckBox("Vis kun kommende")
        self.upcoming.setChecked(True)
        self.upcoming.toggled.connect(lambda _b: self.refresh())
        lay.addWidget(self.upcoming)
        self.model = ListTableModel(["Dato", "Borger", "Samtale nr.", "Status", "Sted"])
        lay.addWidget(make_table(self.model, [110, 220, 90, 100]), 1)
        self.empty = hint("")
        lay.addWidget(self.empty)
        self.refresh()

    def refresh(self) -> None:
        rows = self.services.meetings.list_meetings(self.actor, upcoming_only=self.upcoming.isChecked())
        self.model.set_rows([[fmt.date(r.meeting_date), r.citizen, str(r.sequence_no),
                              MEETING_STATUS_LABELS.get(r.status, r.status), r.location] for r in rows],
                            [r.id for r in rows])
        self.empty.setText("" if rows else "Ingen rundbordssamtaler at vise.")


class StatisticsPage(QWidget):
    title = "Statistik"

    def __init__(self, services: Services, actor: Actor, parent=None):
        super().__init__(parent)
        self.services, self.actor = services, actor
        lay = QVBoxLayout(self)
        lay.setContentsMargins(18, 14, 18, 14)
        lay.addWidget(page_title("Statistik"))
        self.rate = QLabel()
        self.rate.setObjectName("rtwRate")
        lay.addWidget(self.rate)
        self.visitation = QLabel()
        self.visitation.setObjectName("visitationSummary")
        lay.addWidget(self.visitation)
        lay.addWidget(QLabel("<b>Status ved afslutning pr. kvartal</b> (antal og procent af kvartalets "
                             "afsluttede forløb)"))
        self.model = ListTableModel(["Status"])
        self.view = make_table(self.model, [220])
        lay.addWidget(self.view, 1)
        self.refresh()

    def refresh(self) -> None:
        t = self.services.statistics.outcome_table(self.actor)
        pct = fmt.number(t.return_rate, 0) if t.return_rate is not None else "–"
        self.rate.setText(f"Tilbage i arbejde (raskmeldt fuld tid, deltid eller til a-kasse): "
                          f"<b>{pct} %</b> af {t.closed} afsluttede forløb")
        v = self.services.statistics.visitation_summary(self.actor)
        self.visitation.setText(f"Visitation: {v.accepted} visiteret, heraf <b>{v.outside_criteria} uden for "
                                f"kriterierne</b>; {v.rejected} ikke visiteret; {v.pending} afventer.")
        # Statuses down, quarters across, as in the KIA report's table 2, plus a total column.
        self.model.headers = ["Status", *t.quarters, "I alt"]

        def cell(c):
            return f"{c.count} ({c.percent} %)" if c.count else "–"
        table = [[r.label, *[cell(c) for c in r.quarters], cell(r.total)] for r in t.rows]
        if t.closed:
            table.append([t.totals.label, *[str(c.count) for c in t.totals.quarters], str(t.totals.total.count)])
        self.model.set_rows(table)
        for i in range(1, len(t.quarters) + 2):
            self.view.setColumnWidth(i, 95)
