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
        rows = self.services.overview.conferences(self.actor)
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
        rows = self.services.overview.meetings(self.actor, upcoming_only=self.upcoming.isChecked())
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
        returned, total = self.services.overview.return_to_work_rate(self.actor)
        pct = fmt.number(100.0 * returned / total, 0) if total else "–"
        self.rate.setText(f"Tilbage i arbejde (raskmeldt fuld tid, deltid eller til a-kasse): "
                          f"<b>{pct} %</b> af {total} afsluttede forløb")
        v = self.services.overview.visitation_summary(self.actor)
        self.visitation.setText(f"Visitation: {v['accepted']} visiteret, heraf <b>{v['outside_criteria']} uden for "
                                f"kriterierne</b>; {v['rejected']} ikke visiteret; {v['pending']} afventer.")
        rows = self.services.overview.outcomes_by_quarter(self.actor)
        # Statuses down, quarters across, as in the KIA report's table 2, plus a total column.
        quarters = sorted({r.quarter for r in rows})
        labels = list(dict.fromkeys(r.label for r in rows))
        cell = {(r.label, r.quarter): r for r in rows}
        totals = {lb: sum(r.count for r in rows if r.label == lb) for lb in labels}
        grand = sum(totals.values())
        self.model.headers = ["Status", *quarters, "I alt"]
        table = []
        for lb in labels:
            line = [lb]
            for q in quarters:
                r = cell.get((lb, q))
                line.append(f"{r.count} ({fmt.number(r.percent, 0)} %)" if r and r.count else "–")
            line.append(f"{totals[lb]} ({fmt.number(100.0 * totals[lb] / grand, 0)} %)" if grand else "–")
            table.append(line)
        if labels:
            counts = {q: sum(r.count for r in rows if r.quarter == q) for q in quarters}
            table.append(["Afsluttede i alt", *[str(counts[q]) for q in quarters], str(grand)])
        self.model.set_rows(table)
        for i in range(1, len(quarters) + 2):
            self.view.setColumnWidth(i, 95)
