"""The main window: a left navigation list of the sections and the section on the right."""
from __future__ import annotations

from PySide6.QtCore import QSettings, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QListWidget, QMainWindow, QStackedWidget, QWidget

from app.labels import ROLE_LABELS
from app.services import Actor, Services
from ui.dialogs.login import LoginDialog
from ui.errors import ask
from ui.i18n import label, tr
from ui.idle import IdleWatcher
from ui.pages.base import Page
from ui.tasks import runner

DEFAULT_IDLE_MINUTES = 10.0
BUILD_AHEAD_AFTER_MS = 1000  # the case list page and a spare record, this long after the window is shown


def storage_label(services: Services) -> str:
    """Where the data lives, as the status bar says it: an encrypted or a plain file, or a server."""
    if services.backend != "sqlite":
        return tr("Database: server ({backend})").format(backend=services.backend)
    return tr("Database: krypteret fil") if services.db.encrypted else tr("Database: ukrypteret fil")


def _sections():
    # Imported here so the login window does not wait for every page module.
    from ui.pages.admin import AdminPage
    from ui.pages.cases import CaseListPage
    from ui.pages.conferences import ConferencesPage
    from ui.pages.dashboard import DashboardPage
    from ui.pages.deadlines import DeadlinesPage
    from ui.pages.meetings import MeetingsPage
    from ui.pages.statistics import StatisticsPage
    from ui.pages.tasks import TasksPage
    return [  # (key, title, page class, permissions: any of them shows the section)
        ("overview", tr("Overblik"), DashboardPage, ("case.read",)),
        ("cases", tr("Forløb"), CaseListPage, ("case.read",)),
        ("tasks", tr("Opgaver"), TasksPage, ("task.write",)),
        ("conferences", tr("Casekonferencer"), ConferencesPage, ("case.read",)),
        ("meetings", tr("Rundbordssamtaler"), MeetingsPage, ("case.read",)),
        ("deadlines", tr("Frister"), DeadlinesPage, ("case.read",)),
        ("statistics", tr("Statistik"), StatisticsPage, ("stats.read",)),
        ("admin", tr("Administration"), AdminPage, ("user.manage", "catalog.manage", "settings.manage",
                                                    "audit.read", "access.review", "case.import",
                                                    "letter.templates", "deadline.rules")),
    ]


class MainWindow(QMainWindow):
    logged_out = Signal()
    closed = Signal()
    role_changed = Signal(object)  # the new Actor after an unlock found another role

    def __init__(self, services: Services, actor: Actor, *, idle_minutes: float | None = None):
        super().__init__()
        self.services = services
        self.actor = actor
        self.locked = False
        self.lock_dialog: LoginDialog | None = None
        self.password_dialog = None   # the new password asked for after an unlock, when one is due
        self._leaving = False
        role = label(ROLE_LABELS, actor.role)
        self.setWindowTitle(f"TTA-team – {actor.full_name} ({role})")
        central = QWidget()
        lay = QHBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(176)
        self.stack = QStackedWidget()
        lay.addWidget(self.nav)
        lay.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.sections = []
        for key, title, cls, perms in _sections():
            if any(actor.may(p) for p in perms):
                self.sections.append((key, title, cls))
                self.nav.addItem(title)
                self.nav.item(self.nav.count() - 1).setToolTip(f"{title} (Ctrl+{len(self.sections)})")
                self.stack.addWidget(QWidget())  # placeholder until first shown
        self.pages: dict[str, Page] = {}
        self._ahead_timer = QTimer(self)
        self._ahead_timer.setSingleShot(True)
        self._ahead_timer.setInterval(BUILD_AHEAD_AFTER_MS)
        self._ahead_timer.timeout.connect(self._build_ahead)
        self.nav.currentRowChanged.connect(self._show_section)

        self.statusBar().addPermanentWidget(QLabel(f"{actor.full_name} · {role} · {storage_label(services)}"))
        self._build_menu()
        self.idle = IdleWatcher(idle_minutes or DEFAULT_IDLE_MINUTES, self)
        self.idle.idle.connect(lambda: self.lock(reason="idle"))
        self.idle.watch(QApplication.instance())
        if idle_minutes is None:
            runner().query(lambda: float(services.settings.get("idle_lock_minutes")),
                           lambda minutes: self.idle.set_interval_ms(int(minutes * 60_000)), parent=self)
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

    def show_section(self, key: str) -> Page:
        self.nav.setCurrentRow(self.section_keys().index(key))
        return self.pages[key]

    def navigate(self, key: str, argument: object = None) -> None:
        """A page asked to show another section, e.g. the case list filtered, or one case."""
        if key not in self.section_keys():
            return
        page = self.show_section(key)
        if argument is not None:
            page.open_target(argument)

    def _show_section(self, row: int) -> None:
        if row < 0:
            return
        key = self.sections[row][0]
        if key not in self.pages:
            self._build_page(row)
        else:
            self.pages[key].refresh()
        self.stack.setCurrentIndex(row)

    def _build_page(self, row: int, **kwargs) -> Page:
        key, _title, cls = self.sections[row]
        page = cls(self.services, self.actor, **kwargs)
        page.navigate.connect(self.navigate)
        page.status.connect(lambda text: self.statusBar().showMessage(text, 6000))
        old = self.stack.widget(row)
        self.stack.insertWidget(row, page)
        self.stack.removeWidget(old)
        old.deleteLater()
        self.pages[key] = page
        return page

    def _build_ahead(self) -> None:
        """The case list page and a spare record, built while the user reads Overblik: a case opened
        from there (or the list opened) then only reads. Nothing of a case is read ahead: the list
        reads its rows when it is first shown."""
        if "cases" in self.pages or self.locked or not self.isVisible():
            return
        page = self._build_page(self.section_keys().index("cases"), read=False)
        page.build_spare_ahead()

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu(tr("&Filer"))
        act = QAction(tr("Lås skærmen"), self)
        act.setShortcut(QKeySequence("Ctrl+L"))
        act.triggered.connect(lambda: self.lock(reason="manual"))
        file_menu.addAction(act)
        act = QAction(tr("Log ud"), self)
        act.triggered.connect(self.logout)
        file_menu.addAction(act)
        file_menu.addSeparator()
        act = QAction(tr("Afslut"), self)
        act.setShortcut(QKeySequence.Quit)
        act.triggered.connect(self.close)
        file_menu.addAction(act)
        go = self.menuBar().addMenu(tr("&Gå til"))
        for i, (key, title, _cls) in enumerate(self.sections):
            act = QAction(title, self)
            act.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            act.triggered.connect(lambda _c=False, k=key: self.show_section(k))
            go.addAction(act)
        if "cases" in self.section_keys() and self.actor.may("case.create"):
            act = QAction(tr("Ny henvisning…"), self)
            act.setShortcut(QKeySequence.New)
            act.triggered.connect(lambda: self.show_section("cases").new_referral())
            go.addAction(act)
        if "cases" in self.section_keys():
            act = QAction(tr("Søg forløb"), self)
            act.setShortcut(QKeySequence.Find)
            act.triggered.connect(lambda: self.show_section("cases").focus_search())
            go.addAction(act)

    # -- locking and leaving -------------------------------------------------------------------
    def lock(self, reason: str = "idle") -> None:
        """Hide the data and ask for the password again; nothing open is closed or lost."""
        if self.locked:
            return
        self.locked = True
        self.idle.pause()
        self.centralWidget().setVisible(False)
        # The pages still hold this Actor, so its session stays open; the Actor returned here is
        # to be swapped in (and the previous session ended) once the UI can hand it to every page.
        auth, actor = self.services.auth, self.actor

        def unlock(_username: str, password: str):
            new = auth.reauthenticate(actor, password)  # a new session; the old one ends
            if actor.same_account(new):
                # Adopted on the worker, before any queued call runs with the ended session.
                actor.adopt_session(new)
            return new
        dlg = LoginDialog(unlock,
                          locked_user=self.actor.username, parent=self, reason=reason)
        self.lock_dialog = dlg
        dlg.finished.connect(lambda result: self._lock_finished(dlg, result, reason))
        dlg.open()

    def _lock_finished(self, dlg: LoginDialog, result: int, reason: str) -> None:
        self.lock_dialog = None
        dlg.deleteLater()
        if result:
            new = dlg.result_value
            if not self.actor.same_account(new):
                # The account changed while the screen was locked (role or name): a new window for the
                # account as stored (the service layer refuses the old Actor's claim).
                self._leaving = True
                self.close()
                self.role_changed.emit(new)
                return
            if new.must_change_password:
                # An administrator reset the password meanwhile: the new one is chosen before the data
                # is shown again (every other call would be refused with PasswordChangeRequired).
                self._change_password_after_unlock(new, dlg.password.text())
                return
            self._resume_after_unlock()
        elif dlg.logout_requested:
            self._discard_and_logout()
        else:
            self.locked = False
            self.lock(reason)

    def _resume_after_unlock(self) -> None:
        self.password_dialog = None
        self.locked = False
        self.centralWidget().setVisible(True)
        self.idle.resume()

    def _change_password_after_unlock(self, new: Actor, typed: str) -> None:
        """The unlocked session must change its password first; giving up logs out."""
        from ui.dialogs.change_password import ChangePasswordDialog
        dlg = ChangePasswordDialog(self.services, new, self)
        dlg.fields["old_password"].setText(typed)
        dlg.accepted.connect(self._resume_after_unlock)
        dlg.rejected.connect(self._discard_and_logout)
        dlg.open()
        self.password_dialog = dlg

    def _unsaved(self) -> bool:
        return any(p.has_unsaved_changes() for p in self.pages.values())

    def _confirm_discard(self, question: str, verb: str) -> bool:
        return not self._unsaved() or ask(self, tr("Ikke gemte ændringer"), question, yes=verb, destructive=True)

    def logout(self) -> None:
        if self._confirm_discard(tr("Der er ændringer, som ikke er gemt. Vil du logge ud og kassere dem?"),
                                 tr("Kassér og log ud")):
            self._discard_and_logout()

    def _discard_and_logout(self) -> None:
        self._leaving = True
        actor = self.actor
        runner().write(lambda: self.services.auth.logout(actor), None)
        self.close()
        self.logged_out.emit()

    def close_without_logout(self) -> None:
        """The session was refused (deactivated, demoted, replaced): close without asking."""
        self._leaving = True
        self.close()

    def showEvent(self, event):  # noqa: N802
        super().showEvent(event)
        self.idle.watch(QApplication.instance())   # this window's QWindow exists once shown
        if "cases" in self.section_keys() and "cases" not in self.pages:
            self._ahead_timer.start()  # the case list is built ahead, once Overblik is up

    def closeEvent(self, event):  # noqa: N802
        if not self._leaving and not self._confirm_discard(
                tr("Der er ændringer, som ikke er gemt. Vil du lukke og kassere dem?"), tr("Kassér og luk")):
            event.ignore()
            return
        QSettings().setValue("mainWindow/geometry", self.saveGeometry())
        self.idle.unwatch(QApplication.instance())
        super().closeEvent(event)
        if not self._leaving:
            self.closed.emit()

