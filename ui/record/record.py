"""The case record: a header with the case's next steps and one tab per aspect of the case.

The tabs are listed once, in ``ui.record.TABS``; each is built the first time it is shown, so opening
a record costs one read (``get_case``) and one tab. The record talks to the case list through signals
(``title_changed``, ``status``) and to its tabs through theirs (``dirty_changed``, ``changed``).
"""
from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from app.labels import PHASE_LABELS
from app.services import Actor, Services
from app.services.cases import OPEN_PHASES_AFTER_VISITATION, CaseDetail
from ui.errors import ask, message
from ui.i18n import label, tr
from ui.record.base import RecordTab
from ui.tasks import runner


class CaseRecord(QWidget):
    title_changed = Signal(str)
    status = Signal(str)
    closed = Signal()

    def __init__(self, services: Services, actor: Actor, case_id: int | None, parent: QWidget | None = None, *,
                 summary: str = ""):
        """The record of ``case_id``; with None, a spare whose first tab is built ahead, for the next
        case opened (``attach``)."""
        from ui.record import TABS
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.case_id = case_id
        self.summary = summary  # the list row (name, case number) shown when a reason is asked for
        self.detail: CaseDetail | None = None
        self._full_cpr: str | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 8, 0, 0)
        top = QHBoxLayout()
        self.header = QLabel(tr("Henter forløbet …"))
        self.header.setObjectName("pageTitle")
        self.header.setWordWrap(True)  # a long name wraps rather than widening the window
        self.header.setMinimumWidth(200)
        top.addWidget(self.header, 1)
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (("reveal", tr("Vis fuldt CPR"), self.reveal_cpr),
                                ("visitate", tr("Visitér…"), self.visitate),
                                ("close", tr("Afslut forløb…"), self.close_case),
                                ("reopen", tr("Genåbn…"), self.reopen),
                                ("after", tr("Efteropfølgning…"), self.after_follow_up),
                                ("access", tr("Adgangslog…"), self.access_log)):
            b = QPushButton(text)
            b.setObjectName("btn_" + key)
            b.clicked.connect(slot)
            b.setVisible(False)
            self.buttons[key] = b
            top.addWidget(b)
        lay.addLayout(top)
        self.tabs = QTabWidget()
        self.tab_types = [cls for cls in TABS if cls.permission is None or actor.may(cls.permission)]
        self.tab_widgets: dict[type, RecordTab] = {}
        for cls in self.tab_types:
            self.tabs.addTab(QWidget(), tr(cls.title))  # an empty page; its tab is built when first shown
        self.tabs.currentChanged.connect(self._tab_shown)
        self.tabs.setVisible(False)  # until the case has arrived: never an empty form on screen
        lay.addWidget(self.tabs, 1)
        lay.addStretch(0)  # the header stays at the top while the tabs are hidden
        self.stale: set[RecordTab] = set()
        if case_id is not None:
            self.reload(force=True)
        # The first tab is built the next turn of the event loop, so that it is built where it stays
        # (the caller puts the record in its place). A spare builds it over several turns while the
        # user reads; a record opened with its case builds it at once, while the case is read.
        QTimer.singleShot(0, self, self._build_first_tab)

    def attach(self, case_id: int, summary: str = "") -> None:
        """Make a spare record (built with no case) the record of ``case_id``, and read the case."""
        assert self.case_id is None and self.detail is None, "only a spare record takes a case"
        self.case_id = case_id
        self.summary = summary
        for tab in self.tab_widgets.values():
            tab.case_id = case_id
        self.reload(force=True)

    def built(self) -> bool:
        """The first tab is built (a spare is worth taking)."""
        tab = self.tab_widgets.get(self.tab_types[self.tabs.currentIndex()])
        return tab is not None and tab.built()

    # -- tabs ----------------------------------------------------------------------------------
    def _build_first_tab(self) -> None:
        tab = self._build_tab(self.tabs.currentIndex())
        if self.case_id is not None:
            tab.complete()  # a turn of the event loop per part would only add paints to the wait

    def _build_tab(self, index: int) -> RecordTab:
        cls = self.tab_types[index]
        tab = self.tab_widgets.get(cls)
        if tab is None:
            # Built inside the page that is already in the tab widget: moving a built tab to another
            # parent would style every widget in it once more, which is most of the time opening takes.
            page = self.tabs.widget(index)
            tab = cls(self.services, self.actor, self.case_id, page)
            QVBoxLayout(page).setContentsMargins(0, 0, 0, 0)
            page.layout().addWidget(tab)
            tab.dirty_changed.connect(lambda _dirty: self._emit_title())
            tab.changed.connect(lambda: self.reload(force=True))
            tab.status.connect(self.status)
            self.tab_widgets[cls] = tab
            if self.detail is not None:
                tab.load(self.detail)
        return tab

    def _tab_shown(self, index: int) -> None:
        if self.detail is None or index < 0:
            return
        cls = self.tab_types[index]
        if cls not in self.tab_widgets:
            self._build_tab(index)
            return
        tab = self.tab_widgets[cls]
        if tab in self.stale:
            self.stale.discard(tab)
            tab.load(self.detail)

    def ready(self) -> bool:
        """The case is on screen: read, and the shown tab built and filled in."""
        tab = self.tab_widgets.get(self.tab_types[self.tabs.currentIndex()])
        return self.tabs.isVisible() and tab is not None and tab.ready()

    def tab(self, cls: type) -> RecordTab:
        """The tab of this class, built and shown (tests and links from other screens use this)."""
        index = self.tab_types.index(cls)
        self.tabs.setCurrentIndex(index)
        tab = self._build_tab(index)
        tab.complete()
        return tab

    # -- loading -------------------------------------------------------------------------------
    def reload(self, force: bool = False) -> None:
        if not force and self.has_unsaved_changes():
            return
        cases, actor, case_id = self.services.cases, self.actor, self.case_id
        runner().query(lambda: cases.get_case(actor, case_id), self._loaded, parent=self,
                       key=f"record:{id(self)}", on_error=self._load_failed)

    def _load_failed(self, exc: BaseException) -> None:
        from app.errors import NeedToKnow
        from ui.errors import show_error
        if isinstance(exc, NeedToKnow):
            self._ask_reason(exc.case_id)
            return
        show_error(self, exc)
        if self.detail is None:
            self.closed.emit()

    def _ask_reason(self, case_id: int) -> None:
        """Not on the case: the full record opens only with a stated reason (Begrund adgang)."""
        from ui.dialogs.access_reason import AccessReasonDialog
        self.header.setText(tr("Du er ikke tilknyttet forløbet – begrund din adgang for at åbne det."))
        dlg = AccessReasonDialog(self.services, self.actor, case_id, heading=self.summary, parent=self)
        self.last_dialog = dlg
        dlg.accepted.connect(lambda: self.reload(force=True))
        dlg.rejected.connect(self.closed.emit)
        dlg.open()

    def _loaded(self, d: CaseDetail) -> None:
        first = self.detail is None
        self.detail = d
        self._show_header()
        may = self.actor.may
        closed = d.phase == "closed"
        self.buttons["visitate"].setVisible(may("case.visitate") and d.phase in ("referral", "visitation"))
        self.buttons["close"].setVisible(may("case.close") and d.phase in OPEN_PHASES_AFTER_VISITATION)
        self.buttons["reopen"].setVisible(may("case.reopen") and closed)
        self.buttons["after"].setVisible(may("case.after_follow_up") and closed
                                         and d.visitation_decision == "accepted")
        self.buttons["access"].setVisible(may("audit.read"))
        self.buttons["reveal"].setVisible(may("case.reveal_cpr") and self._full_cpr is None)
        if first:
            tab = self.tab_widgets.get(self.tab_types[self.tabs.currentIndex()])
            if tab is None:
                self._build_tab(self.tabs.currentIndex())
            else:
                tab.load(d)
            self.tabs.setVisible(True)
            return
        current = self.tab_widgets.get(self.tab_types[self.tabs.currentIndex()])
        for tab in self.tab_widgets.values():
            if tab is current:
                tab.load(d)
            else:
                self.stale.add(tab)
        self._emit_title()

    def _show_header(self) -> None:
        d = self.detail
        cpr = self._full_cpr or d.cpr_masked
        self.header.setText(f"{d.name}  ·  {cpr}  ·  {d.case_number}  ·  {label(PHASE_LABELS, d.phase)}")
        self._emit_title()

    def _emit_title(self) -> None:
        if self.detail is not None:
            self.title_changed.emit(self.detail.name + (" *" if self.has_unsaved_changes() else ""))

    def tab_title(self) -> str:
        return self.detail.name if self.detail else ""

    def has_unsaved_changes(self) -> bool:
        return any(t.has_unsaved_changes() for t in self.tab_widgets.values())

    def confirm_close(self) -> bool:
        if not self.has_unsaved_changes():
            return True
        return ask(self, tr("Ikke gemte ændringer"),
                   tr("Forløbet for {name} har ændringer, der ikke er gemt. Vil du lukke og kassere dem?")
                   .format(name=self.detail.name), yes=tr("Kassér og luk"), destructive=True)

    # -- actions -------------------------------------------------------------------------------
    def _open_dialog(self, dlg) -> None:
        """Step dialogs are window-modal; on success the record reloads and says so."""
        self.last_dialog = dlg
        dlg.accepted.connect(lambda: (self.reload(force=True), self.status.emit(tr("Gemt."))))
        dlg.open()

    def _saved_first(self) -> bool:
        if self.has_unsaved_changes():
            message(self, tr("Gem først"), tr("Gem eller fortryd dine ændringer i forløbet først."))
            return False
        return self.detail is not None

    def visitate(self) -> None:
        from ui.dialogs.visitation import VisitationDialog
        if self._saved_first():
            self._open_dialog(VisitationDialog(self.services, self.actor, self.case_id, self))

    def close_case(self) -> None:
        from ui.dialogs.closing import CloseCaseDialog
        if self._saved_first():
            self._open_dialog(CloseCaseDialog(self.services, self.actor, self.case_id, version=self.detail.version,
                                              name=self.detail.name, parent=self))

    def reopen(self) -> None:
        from ui.dialogs.closing import ReopenDialog
        if self._saved_first():
            self._open_dialog(ReopenDialog(self.services, self.actor, self.case_id, version=self.detail.version,
                                           name=self.detail.name, parent=self))

    def after_follow_up(self) -> None:
        from ui.dialogs.after_follow_up import AfterFollowUpDialog
        if self._saved_first():
            self._open_dialog(AfterFollowUpDialog(self.services, self.actor, self.case_id, parent=self))

    def reveal_cpr(self) -> None:
        cases, actor, case_id = self.services.cases, self.actor, self.case_id
        runner().write(lambda: cases.reveal_cpr(actor, case_id), self._revealed, parent=self,
                       disable=self.buttons["reveal"])

    def _revealed(self, full: str) -> None:
        self._full_cpr = full
        self.buttons["reveal"].setVisible(False)
        self._show_header()

    def access_log(self) -> None:
        from ui.dialogs.access_log import AccessLogDialog
        dlg = AccessLogDialog(self.services, self.actor, self.case_id, self.detail, self)
        self.last_dialog = dlg
        dlg.open()
