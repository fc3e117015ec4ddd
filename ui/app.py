"""Start the GUI: the login window appears at once while the database is opened in the background
(health check, migrations); "Log ind" is enabled when the database is ready."""
from __future__ import annotations

import sys
from concurrent.futures import Future, ThreadPoolExecutor

from PySide6.QtCore import QCoreApplication, QEventLoop, QLocale, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from ui import theme


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    QCoreApplication.setOrganizationName("TTA-team")
    QCoreApplication.setApplicationName("TTA-team")
    QLocale.setDefault(QLocale(QLocale.Danish, QLocale.Denmark))
    theme.apply(app)
    return app


def install_error_handler() -> None:
    """An unexpected error becomes a short Danish message and a log entry, never a bare traceback.
    The log (with the traceback) is ``tta-team.log`` in the user's data folder."""
    import logging
    import traceback
    from app.config import data_dir

    logging.basicConfig(filename=str(data_dir() / "tta-team.log"), level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    def handler(exc_type, exc, tb):
        logging.getLogger("tta").error("unexpected error:\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
        from app.errors import AppError
        text = exc.message if isinstance(exc, AppError) else (
            "Der opstod en uventet fejl. Handlingen blev ikke gennemført, og intet halvt arbejde er gemt.\n\n"
            f"Fejlen er skrevet i logfilen {data_dir() / 'tta-team.log'}.")
        QMessageBox.warning(QApplication.activeWindow(), "TTA-team", text)
    sys.excepthook = handler


def wait_for(future: Future, poll_ms: int = 30) -> None:
    """Keep the GUI responsive until a background job is done."""
    if future.done():
        return
    loop = QEventLoop()
    timer = QTimer()
    timer.timeout.connect(lambda: loop.quit() if future.done() else None)
    timer.start(poll_ms)
    loop.exec()
    timer.stop()


def run_gui(url: str) -> int:
    app = make_application()
    install_error_handler()
    from ui.dialogs.login import FirstAdminDialog, LoginDialog
    from app.errors import AppError

    def prepare():
        # Imported in the worker: SQLAlchemy and Alembic load while the window is already on screen.
        from app.bootstrap import prepare_database
        return prepare_database(url, check=False)

    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="tta-open-db")
    future = pool.submit(prepare)
    login = LoginDialog(lambda u, p: future.result().auth.login(u, p))
    login.set_busy("Åbner databasen …")
    login.show()
    wait_for(future)
    try:
        services = future.result()
    except AppError as exc:
        QMessageBox.critical(login, "TTA-team kan ikke starte", exc.message)
        return 1
    # The full-file health check runs while the user types; the main window waits for its verdict.
    from app.bootstrap import health_check
    checked = pool.submit(health_check, services)
    pool.shutdown(wait=False)
    login.set_busy(None)
    try:
        while True:
            if not services.auth.has_users():
                first = FirstAdminDialog(services.auth.create_first_admin, login)
                if first.exec():
                    login.username.setText(first.username.text())
                    login.password.setFocus()
            if not login.exec():
                return 0
            if not checked.done():
                login.show()
                login.set_busy("Kontrollerer databasen …")
                wait_for(checked)
                login.hide()
            checked.result()  # a damaged file stops here with its message
            from ui.main_window import MainWindow
            window = MainWindow(services, login.result_value)
            window.show()
            relogin = {"again": False}
            window.logged_out.connect(lambda: relogin.update(again=True))
            app.exec()
            if not relogin["again"]:
                return 0
            login = LoginDialog(services.auth.login)
    except AppError as exc:
        QMessageBox.critical(None, "TTA-team", exc.message)
        return 1
    finally:
        services.close()
