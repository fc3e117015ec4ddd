"""Start the GUI: login window first, then the database is prepared and the main window opens."""
from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication, QMessageBox

from ui import theme


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    QCoreApplication.setOrganizationName("TTA-team")
    QCoreApplication.setApplicationName("TTA-team")
    QLocale.setDefault(QLocale(QLocale.Danish, QLocale.Denmark))
    theme.apply(app)
    return app


def run_gui(url: str) -> int:
    app = make_application()
    from ui.dialogs.login import FirstAdminDialog, LoginDialog
    state = {"services": None}

    def services():
        # The database is opened (and migrated) on first use, after the login window is on screen.
        if state["services"] is None:
            from app.bootstrap import prepare_database
            state["services"] = prepare_database(url)
        return state["services"]

    def authenticate(username: str, password: str):
        return services().auth.login(username, password)

    try:
        while True:
            login = LoginDialog(authenticate)
            login.show()
            app.processEvents()
            if not services().auth.has_users():
                first = FirstAdminDialog(lambda u, n, p: services().auth.create_first_admin(u, n, p), login)
                if first.exec():
                    login.username.setText(first.username.text())
                    login.password.setFocus()
            if not login.exec():
                return 0
            from ui.main_window import MainWindow
            window = MainWindow(services(), login.result_value)
            window.show()
            relogin = {"again": False}
            window.logged_out.connect(lambda: relogin.update(again=True))
            app.exec()
            if not relogin["again"]:
                return 0
    except Exception as exc:  # a database that cannot be opened, a failed migration...
        from app.errors import AppError
        if isinstance(exc, AppError):
            QMessageBox.critical(None, "TTA-team kan ikke starte", str(exc))
            return 1
        raise
    finally:
        if state["services"] is not None:
            state["services"].close()
