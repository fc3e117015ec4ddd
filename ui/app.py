"""Start the GUI: the login window appears at once while the database is opened on the task runner
(health check, migrations); "Log ind" is enabled when the database is ready. One event loop runs for
the whole session: login, main window, idle lock, log out and log in again are steps of ``AppFlow``.
"""
from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QCoreApplication, QLocale, QObject, Signal
from PySide6.QtWidgets import QApplication

from ui import theme
from ui.i18n import install_translations, tr


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    QCoreApplication.setOrganizationName("TTA-team")
    QCoreApplication.setApplicationName("TTA-team")
    QLocale.setDefault(QLocale(QLocale.Danish, QLocale.Denmark))
    install_translations(app)
    theme.apply(app)
    return app


def configure_logging() -> None:
    """The log file ``tta-team.log`` in the user's data folder (tracebacks of unexpected errors)."""
    from app.config import data_dir
    logging.basicConfig(filename=str(data_dir() / "tta-team.log"), level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


class AppFlow(QObject):
    """Login -> main window -> (log out -> login)*; quits when the user leaves."""

    finished = Signal(int)

    def __init__(self, url: str, parent: QObject | None = None):
        super().__init__(parent)
        self.url = url
        self.services = None
        self.health_error: BaseException | None = None
        self.health_done = False
        self.login = None
        self.window = None

    # -- start ---------------------------------------------------------------------------------
    def start(self) -> None:
        from ui.tasks import runner
        url = self.url

        def prepare():
            # Imported in the worker: SQLAlchemy and Alembic load while the window is already on screen.
            from app.bootstrap import prepare_database
            services = prepare_database(url, check=False)
            return services, services.auth.has_users()
        self._show_login()
        self.login.set_busy(tr("Åbner databasen …"))
        runner().query(prepare, self._prepared, on_error=self._fatal)

    def _prepared(self, result) -> None:
        from app.bootstrap import health_check
        from ui.tasks import runner
        self.services, has_users = result
        # The full-file health check runs while the user types; the main window waits for its verdict.
        runner().query(lambda: health_check(self.services), self._healthy, on_error=self._unhealthy)
        self.login.set_authenticate(self.services.auth.login)
        self.login.set_busy(None)
        if not has_users:
            self._first_admin()

    def _healthy(self, _result) -> None:
        self.health_done = True
        self._maybe_open_main()

    def _unhealthy(self, exc: BaseException) -> None:
        self.health_done = True
        self.health_error = exc
        self._maybe_open_main()

    def _fatal(self, exc: BaseException) -> None:
        from ui.errors import show_error
        show_error(self.login, exc)
        self.finished.emit(1)

    # -- login ---------------------------------------------------------------------------------
    def _show_login(self) -> None:
        from ui.dialogs.login import LoginDialog
        self.login = LoginDialog(self.services.auth.login if self.services else None)
        self.login.accepted.connect(self._logged_in)
        self.login.rejected.connect(lambda: self.finished.emit(0))
        self.login.show()

    def _first_admin(self) -> None:
        from ui.dialogs.login import FirstAdminDialog
        dlg = FirstAdminDialog(self.services.auth.create_first_admin, self.login)
        dlg.accepted.connect(lambda: (self.login.username.setText(dlg.username.text()),
                                      self.login.password.setFocus()))
        dlg.open()
        self.first_admin = dlg

    def _logged_in(self) -> None:
        self.actor = self.login.result_value
        if not self.health_done:
            self.login.show()
            self.login.set_busy(tr("Kontrollerer databasen …"))
        self._maybe_open_main()

    def _maybe_open_main(self) -> None:
        if self.health_error is not None:
            self._fatal(self.health_error)
            return
        if not self.health_done or self.login is None or self.login.result_value is None:
            return
        from ui.main_window import MainWindow
        self.login.hide()
        self.login.deleteLater()
        self.login = None
        self.window = MainWindow(self.services, self.actor)
        self.window.logged_out.connect(self._logged_out)
        self.window.closed.connect(lambda: self.finished.emit(0))
        self.window.show()

    def _logged_out(self) -> None:
        self.window = None
        self._show_login()


def run_gui(url: str) -> int:
    app = make_application()
    configure_logging()
    from ui.errors import install_excepthook
    from ui.tasks import runner
    install_excepthook()
    app.setQuitOnLastWindowClosed(False)
    flow = AppFlow(url)
    flow.finished.connect(app.exit)
    flow.start()
    code = app.exec()
    runner().shutdown()
    if flow.services is not None:
        flow.services.close()
    return code
