"""Administration › Begrundede adgange: the team lead reviews who opened a case they are not on, and why.

Every "Begrund adgang" is listed with its reason, the case and when it expires; reading the list is
itself logged."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from app.labels import ROLE_LABELS
from app.services import Actor, Services
from ui import fmt
from ui.i18n import label, tr
from ui.pages.admin.tab import AdminTab
from ui.tasks import runner
from ui.widgets.common import hint
from ui.widgets.simple_table import ListTableModel, make_table

PERIODS = ((7, "Seneste 7 dage"), (30, "Seneste 30 dage"), (90, "Seneste 3 måneder"), (365, "Seneste år"))


class AccessReviewTab(AdminTab):
    title = "Begrundede adgange"

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None):
        super().__init__(services, actor, parent)
        self.rows = []
        lay = self.tab_layout(tr("Her står hver gang, en medarbejder har åbnet et forløb, vedkommende ikke er "
                                 "tilknyttet, med den begrundelse, der blev givet. Gennemgå listen jævnligt; spørg "
                                 "ind til begrundelser, der ikke viser et arbejdsmæssigt behov."))
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Periode")))
        self.period = QComboBox()
        for days, text in PERIODS:
            self.period.addItem(tr(text), days)
        self.period.setCurrentIndex(1)
        self.period.currentIndexChanged.connect(lambda _i: self.refresh())
        bar.addWidget(self.period)
        bar.addStretch(1)
        lay.addLayout(bar)
        self.model = ListTableModel([tr("Tidspunkt"), tr("Medarbejder"), tr("Forløb"), tr("Begrundelse"),
                                     tr("Gælder til")])
        self.view = make_table(self.model, [130, 190, 230, 300])
        self.view.setObjectName("accessReview")
        lay.addWidget(self.view, 1)
        self.empty = hint("")
        lay.addWidget(self.empty)
        self.refresh()

    def refresh(self) -> None:
        review, actor = self.services.access_review, self.actor
        since = self.services.cases.today() - dt.timedelta(days=self.period.currentData())
        runner().query(lambda: review.list_grants(actor, since=since), self._show, parent=self,
                       key=f"review:{id(self)}")

    def _show(self, rows) -> None:
        self.rows = rows
        self.model.set_rows([[fmt.datetime_local(r.granted_at), f"{r.user} ({label(ROLE_LABELS, r.role)})",
                              f"{r.case_number} – {r.citizen}", r.reason,
                              fmt.datetime_local(r.expires_at) + ("" if r.active else tr(" (udløbet)"))]
                             for r in rows], [r.id for r in rows])
        self.empty.setText("" if rows else tr("Ingen begrundede adgange i perioden."))
