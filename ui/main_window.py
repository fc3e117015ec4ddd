"""The main window: a left navigation list of the sections and the section on the right."""
from __future__ import annotations

from PySide6.QtCore import QSettings, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QLabel, QListWidget, QMainWindow, QMessageBox,
                               QStackedWidget, QWidget)

from app.labels import ROLE_LABELS
from app.services import Actor, Services
from ui.dialogs.login import LoginDialog
from ui.idle import IdleWatcher
from ui.widgets.common import show_error


def _sections():
    # Imported here so the login window does not wait for every page module.
    from ui.pages.admin import AdminPage
    from ui.pages.cases import CaseListPage
    from ui.pages.dashboard import DashboardPage
    from ui.pages.lists import ConferencesPage, MeetingsPage, StatisticsPage
    return [  # (key, title, page class, permission needed)
        ("overview", "Overblik", DashboardPage, "case.read"),
        ("cases", "Forløb", CaseListPage, "case.read"),
        ("conferences", "Casekonferencer", ConferencesPage, "case.read"),
        ("meetings", "Rundbordssamtaler", MeetingsPage, "case.read"),
        ("statistics", "Statistik", StatisticsPage, "stats.read"),
        ("admin", "Administration", AdminPage, ("user.manage", "catalog.manage", "settings.manage",
                                                "audit.read")),
    ]


class MainWindow(QMainWindow):
    logged_out = Signal()

    def __init__(self, services: Services, actor: Actor, *, idle_minutes: float | None = None):
        super().__init__()
        self.services = services
        self.actor = actor
        self.locked = False
        self.setWindowTitle(f"TTA-team – {actor.full_name} ({ROLE_LABELS.get(actor.role, actor.role)})")
        central = QWidget()
        lay = QHBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(200)
        self.stack = QStackedWidget()
        lay.addWidget(self.nav)
        lay.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.sections = []
        for key, title, cls, perm in _sections():
            perms = perm if isinstance(perm, tuple) else (perm,)
            if any(actor.may(p) for p in perms):
                self.sections.append((key, title, cls))
                self.nav.addItem(title)
                self.stack.addWidget(QWidget())  # placeholder until first shown
        self.pages: dict[str, QWidget] = {}
        self.nav.currentRowChanged.connect(self._show_section)

        self.statusBar().addPermanentWidget(QLabel(
            f"{actor.full_name} · {ROLE_LABELS.get(actor.role, actor.role)} · database: {services.backend}"))
        self._build_menu()
        minutes = idle_minutes if idle_minutes is not None else float(services.settings.get("idle_lock_minutes"))
        self.idle = IdleWatcher(minutes, self)
        self.idle.idle.connect(self.lock)
        QApplication.instance().installEventFilter(self.idle)
        geometry = QSettings().value("mainWindow/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        if self.sections:
            self.nav.setCurrentRow(0)

    # -- navigation ----------------------------------------------------------------------------
    def section_keys(self) -> list[str]:
        return [k for k, _t, _c in self.sections]

    def show_section(self, key: str) -> QWidget:
        self.nav.setCurrentRow(self.section_keys().index(key))
        return self.pages[key]

    def _show_section(self, row: int) -> None:
        if row < 0:
            return
        key, _title, cls = self.sections[row]
        if key not in self.pages:
            try:
                page = cls(self.services, self.actor)
            except Exception as exc:
                show_error(self, exc)
                return
            old = self.stack.widget(row)
            self.stack.insertWidget(row, page)
            self.stack.removeWidget(old)
            old.deleteLater()
            self.pages[key] = page
        elif hasattr(self.pages[key], "refresh"):
            self.pages[key].refresh()
        self.stack.setCurrentIndex(row)

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu("&Filer")
        act = QAction("Lås skærmen", self)
        act.setShortcut(QKeySequence("Ctrl+L"))
        act.triggered.connect(self.lock)
        file_menu.addAction(act)
        act = QAction("Log ud", self)
        act.triggered.connect(self.logout)
        file_menu.addAction(act)
        file_menu.addSeparator()
        act = QAction("Afslut", self)
        act.setShortcut(QKeySequence.Quit)
        act.triggered.connect(self.close)
        file_menu.addAction(act)
        go = self.menuBar().addMenu("&Gå til")
        for i, (key, title, _cls) in enumerate(self.sections):
            act = QAction(title, self)
            act.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            act.triggered.connect(lambda _c=False, k=key: self.show_section(k))
            go.addAction(act)
        if "cases" in self.section_keys() and self.actor.may("case.create"):
            act = QAction("Ny henvisning…", self)
            act.setShortcut(QKeySequence.New)
            act.triggered.connect(lambda: self.show_section("cases").new_referral())
            go.addAction(act)
        if "cases" in self.section_keys():
            act = QAction("Søg forløb", self)
            act.setShortcut(QKeySequence.Find)
            act.triggered.connect(lambda: self.show_section("cases").focus_search())
            go.addAction(act)

    # -- locking and leaving -------------------------------------------------------------------
    def lock(self) -> None:
        """Hide the data and ask for the password again; nothing open is closed or lost."""
        if self.locked:
            return
        self.locked = True
        self.idle.pause()
        self.centralWidget().setVisible(False)
        dlg = LoginDialog(lambda _u, pw: self.services.auth.reauthenticate(self.actor, pw),
                          locked_user=self.actor.username, parent=self)
        self.lock_dialog = dlg
        dlg.finished.connect(self._lock_finished)
        dlg.open()

    def _lock_finished(self, result: int) -> None:
        dlg = self.lock_dialog
        self.lock_dialog = None
        if result:
            self.locked = False
            self.centralWidget().setVisible(True)
            self.idle.resume()
        elif dlg.logout_requested:
            self._discard_and_logout()
        else:
            self.locked = False
            self.lock()

    def _unsaved(self) -> bool:
        cases = self.pages.get("cases")
        return bool(cases and any(r.has_unsaved_changes() for r in cases.open_records()))

    def logout(self) -> None:
        if self._unsaved() and QMessageBox.question(
                self, "Ikke gemte ændringer", "Der er ændringer, som ikke er gemt. Vil du logge ud alligevel?",
                QMessageBox.Discard | QMessageBox.Cancel, QMessageBox.Cancel) != QMessageBox.Discard:
            return
        self._discard_and_logout()

    def _discard_and_logout(self) -> None:
        self._leaving = True
        self.services.auth.logout(self.actor)
        self.close()
        self.logged_out.emit()

    def closeEvent(self, event):  # noqa: N802
        if not getattr(self, "_leaving", False) and self._unsaved():
            answer = QMessageBox.question(self, "Ikke gemte ændringer",
                                          "Der er ændringer, som ikke er gemt. Vil du lukke alligevel?",
                                          QMessageBox.Discard | QMessageBox.Cancel, QMessageBox.Cancel)
            if answer != QMessageBox.Discard:
                event.ignore()
                return
        QSettings().setValue("mainWindow/geometry", self.saveGeometry())
        QApplication.instance().removeEventFilter(self.idle)
        super().closeEvent(event)
