"""Start the GUI: the login window appears at once while the database is opened on the task runner
(health check, migrations); "Log ind" is enabled when the database is ready. One event loop runs for
the whole session: login, main window, idle lock, log out and log in again are steps of ``AppFlow``.
"""
from __future__ import annotations

import datetime as dt
import sys

from PySide6.QtCore import QCoreApplication, QLocale, QObject, Signal
from PySide6.QtWidgets import QApplication

from ui import gc_timer, theme
from ui.i18n import install_translations, tr


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    QCoreApplication.setOrganizationName("TTA-team")
    QCoreApplication.setApplicationName("TTA-team")
    QLocale.setDefault(QLocale(QLocale.Danish, QLocale.Denmark))
    install_translations(app)
    theme.apply(app)
    gc_timer.install(app)  # garbage collection on the GUI thread only (ui/gc_timer.py)
    return app


class AppFlow(QObject):
    """Login -> (new password) -> main window -> (log out -> login)*; quits when the user leaves.

    The database is opened on the task runner behind the login window. An encrypted file can only
    be opened with a user's password, so it is opened by the login itself (``open_encrypted``); a
    new embedded database is created encrypted when SQLCipher is available, and its recovery key is
    shown once. An administrator who logs in to a plain embedded file is offered its encryption.
    """

    finished = Signal(int)

    def __init__(self, url: str, parent: QObject | None = None):
        super().__init__(parent)
        self.url = url
        self.services = None
        self.storage = None
        self.health_error: BaseException | None = None
        self.health_done = False
        self.login = None
        self.window = None
        self.actor = None
        self._password = ""  # held only between login and an offered encryption
        self.instance_lock = None   # held for the session (db.instance_lock); None for a server
        self._location_checked = False   # the synced/network-folder warning: once a run
        self._restored: tuple[str, str] | None = None   # a backup restored before login: (backup, file kept)
        self.finished.connect(lambda _code: self.release_lock())

    # -- start ---------------------------------------------------------------------------------
    def start(self) -> None:
        from ui.errors import events
        events.session_ended.connect(self._session_ended)
        self._show_login()
        self._open_database()

    def _open_database(self) -> None:
        from ui.tasks import runner
        url = self.url

        def prepare():
            # Imported in the worker: SQLAlchemy and Alembic load while the window is already on screen.
            from app import bootstrap
            state = bootstrap.storage_state(url)   # refuses an empty, foreign, newer, damaged, locked file
            if self.instance_lock is None:
                self.instance_lock = bootstrap.lock_instance(url)
            if state == bootstrap.ENCRYPTED:
                return state, None, True
            if state == bootstrap.NEW and bootstrap.encryption_available():
                return state, None, False
            services = bootstrap.prepare_database(url, check=False)
            return state, services, services.auth.has_users()
        self.login.set_busy(tr("Åbner databasen …"))
        runner().query(prepare, self._prepared, on_error=self._fatal)

    def _prepared(self, result) -> None:
        from app import bootstrap
        self.storage, self.services, has_users = result
        if self.storage == bootstrap.ENCRYPTED:
            url = self.url
            self.login.set_authenticate(lambda u, p: bootstrap.open_encrypted(url, u, p))
        else:
            self._check_health()
            self.login.set_authenticate(self.services.auth.login)
        self.login.set_busy(None)
        self._first_admin_due = not has_users
        if self._first_admin_due and self.services is None:
            self._first_admin()   # a new file; a plain one waits for its health check

    def _check_health(self) -> None:
        from app.bootstrap import health_check
        from ui.tasks import runner
        self.health_done, self.health_error = False, None
        # The full-file health check runs while the user types; the main window waits for its verdict.
        # After an unclean shutdown (the last session's lock file was left behind) the full check.
        full = bool(self.instance_lock and self.instance_lock.unclean)
        runner().query(lambda: health_check(self.services, full=full), self._healthy, on_error=self._unhealthy)

    def _healthy(self, _result) -> None:
        self.health_done = True
        if getattr(self, "_first_admin_due", False):
            self._first_admin_due = False
            self._first_admin()
        self._maybe_open_main()

    def _unhealthy(self, exc: BaseException) -> None:
        self.health_done = True
        self.health_error = exc
        self._maybe_open_main()

    def _fatal(self, exc: BaseException) -> None:
        from app.bootstrap import FileRefused
        from ui.errors import show_error
        if isinstance(exc, FileRefused) and exc.state == "locked" and self.window is None:
            self._wait_until_free(exc)
            return
        if isinstance(exc, FileRefused) and exc.state == "damaged" and self._offer_restore(exc):
            return
        show_error(self.login, exc)
        self.finished.emit(1)

    def release_lock(self) -> None:
        if self.instance_lock is not None:
            self.instance_lock.release()
            self.instance_lock = None

    def _wait_until_free(self, exc) -> None:
        """A file another program holds: wait (with a cancel button) until it is free, then start."""
        from app.bootstrap import file_locked
        from ui.tasks import runner
        url = self.url

        def wait(state):
            import time
            state.report(0, 0, exc.message + "\n\n" + tr("Venter på, at databasen bliver ledig …"))
            while not state.cancelled:
                if not file_locked(url):
                    return True
                time.sleep(0.3)
            return False

        def waited(free):
            if free:
                self._restart()
            else:
                self.finished.emit(1)
        self.login.set_busy(tr("Databasen bruges af en anden …"))
        self.waiting = runner().job(wait, waited, title=tr("Databasen bruges af en anden"), parent=self.login,
                                    on_error=self._fatal)

    def _restart(self) -> None:
        self._open_database()

    def _offer_restore(self, exc) -> bool:
        """A damaged file: offer to put the latest verified backup in its place (the damaged file is kept)."""
        from app.services.backup import latest_verified
        from ui.errors import ask
        path = exc.path
        latest = latest_verified(path) if path is not None else None
        if latest is None or self.window is not None:
            return False
        from ui import fmt
        if not ask(self.login, tr("Databasen er beskadiget"), exc.message + "\n\n" + tr(
                "Vil du gendanne sikkerhedskopien fra {when}? Den beskadigede fil gemmes ved siden af.").format(
                when=fmt.datetime_local(latest.taken_at)), yes=tr("Gendan sikkerhedskopien"), no=tr("Luk programmet")):
            return False
        from ui.tasks import runner
        services = self.services

        def restore(state):
            from app.services.backup import restore_file
            state.report(0, 0, tr("Gendanner sikkerhedskopien …"))
            if services is not None:
                services.close()
            return restore_file(path, latest.path, now=dt.datetime.now(dt.UTC).replace(tzinfo=None))

        def restored(aside) -> None:
            self._restored = (latest.path.name, aside.name)   # credited to the first login (_open_main)
            self._restart()
        self.services = None
        runner().job(restore, restored, title=tr("Gendanner sikkerhedskopien …"),
                     parent=self.login, cancellable=False, on_error=self._fatal)
        return True

    # -- login ---------------------------------------------------------------------------------
    def _show_login(self) -> None:
        from app import bootstrap
        from ui.dialogs.login import LoginDialog
        if self.storage == bootstrap.ENCRYPTED:
            url = self.url
            authenticate = lambda u, p: bootstrap.open_encrypted(url, u, p)  # noqa: E731
        else:
            authenticate = self.services.auth.login if self.services else None
        self.login = LoginDialog(authenticate)
        self.login.accepted.connect(self._logged_in)
        self.login.rejected.connect(lambda: self.finished.emit(0))
        self.login.show()

    def _first_admin(self) -> None:
        from app import bootstrap
        from ui.dialogs.login import FirstAdminDialog
        if self.storage == bootstrap.NEW and self.services is None:
            url = self.url

            def create(username, full_name, password):
                return bootstrap.create_encrypted_database(url, username=username, full_name=full_name,
                                                           password=password)
            dlg = FirstAdminDialog(create, self.login)
            dlg.accepted.connect(lambda: self._encrypted_first_start(dlg.result_value))
        else:
            dlg = FirstAdminDialog(self.services.auth.create_first_admin, self.login)
            dlg.accepted.connect(lambda: (self.login.username.setText(dlg.username.text()),
                                          self.login.password.setFocus()))
        dlg.open()
        self.first_admin = dlg

    def _encrypted_first_start(self, first) -> None:
        """A new encrypted database and its administrator, logged in: show the recovery key once."""
        from app import bootstrap
        from ui.dialogs.recovery_key import RecoveryKeyDialog
        self.storage = bootstrap.ENCRYPTED
        self.services, self.actor = first.services, first.actor
        self.health_done = True
        dlg = RecoveryKeyDialog(first.recovery_key, database=self.url, created_by=first.actor.full_name,
                                parent=self.login)
        dlg.finished.connect(lambda _r: self._open_main())
        dlg.open()
        self.recovery_dialog = dlg

    def _logged_in(self) -> None:
        from app import bootstrap
        result = self.login.result_value
        if self.storage == bootstrap.ENCRYPTED:
            if self.services is not None and self.services is not result.services:
                self.services.close()
            self.services, self.actor = result.services, result.actor
            self._check_health()
        else:
            self.actor = result
        self._password = self.login.password.text()
        if self.actor.must_change_password:
            self._change_password()
            return
        if not self.health_done:
            self.login.show()
            self.login.set_busy(tr("Kontrollerer databasen …"))
        self._maybe_open_main()

    def _change_password(self) -> None:
        from ui.dialogs.change_password import ChangePasswordDialog
        self.login.show()
        dlg = ChangePasswordDialog(self.services, self.actor, self.login)
        dlg.fields["old_password"].setText(self._password)

        def changed():
            self.actor = dlg.result_value
            self._password = dlg.fields["new_password"].text()
            self._maybe_open_main()
        dlg.accepted.connect(changed)
        dlg.rejected.connect(self._back_to_login)
        dlg.open()
        self.password_dialog = dlg

    def _maybe_open_main(self) -> None:
        if self.health_error is not None:
            self._fatal(self.health_error)
            return
        if not self.health_done or self.actor is None or self.actor.must_change_password:
            return
        if self._offer_encryption():
            return
        self._open_main()

    def _open_main(self) -> None:
        from ui.main_window import MainWindow
        self._password = ""
        if self.login is not None:
            self.login.hide()
            self.login.deleteLater()
            self.login = None
        gc_timer.freeze_startup()  # full collections from now on examine only what comes later
        self.window = MainWindow(self.services, self.actor)
        self.window.logged_out.connect(self._logged_out)
        self.window.role_changed.connect(self._role_changed)
        self.window.closed.connect(self._closing)
        self.window.show()
        self._record_restore()
        self._check_audit_log()
        self._check_location()
        self._daily_backup()

    def _record_restore(self) -> None:
        """A backup the app restored before anyone logged in goes into the audit log at the first login."""
        if self._restored is None:
            return
        from ui.tasks import runner
        (backup, aside), self._restored = self._restored, None
        services, actor = self.services, self.actor
        runner().check(lambda: services.backup.record_restore(actor, backup, aside, at_start=True), None,
                       on_error=lambda exc: log_startup_problem(exc))

    def _daily_backup(self) -> None:
        """The working day's first login takes a verified backup, beside the worker (nobody waits)."""
        from ui.tasks import runner
        services = self.services
        runner().check(services.backup.take_if_due, None, on_error=lambda exc: log_startup_problem(exc))

    def _check_location(self) -> None:
        """Once a run, after the first login: a database in a synced or network folder (OneDrive,
        Dropbox, SMB, NFS ...) is not safe for SQLite; everybody is told, not only the administrator.
        The check reads the mount table, so it runs beside the worker."""
        from app.bootstrap import database_location_warning
        from ui.tasks import runner
        if self._location_checked:
            return
        self._location_checked = True
        services = self.services
        runner().check(lambda: database_location_warning(services), self._location_known, parent=self.window,
                       on_error=lambda exc: log_startup_problem(exc))

    def _location_known(self, warning: str) -> None:
        from ui.errors import message
        if warning and self.window is not None:
            message(self.window, tr("Databasens placering"), warning + "\n\n" + tr(
                "Advarslen står også under Administration → Sikkerhedskopi."))

    def _closing(self) -> None:
        """Closing the app takes a verified backup (SQLite), shown with progress, then quits."""
        from ui.tasks import runner
        services, self.window = self.services, None
        if services is None or not services.db.is_sqlite:
            self.finished.emit(0)
            return

        def backup(state):
            state.report(0, 0, tr("Tager en sikkerhedskopi …"))
            return services.backup.take(reason="closing")

        def failed(exc):
            log_startup_problem(exc)
            self.finished.emit(0)
        runner().job(backup, lambda _info: self.finished.emit(0), title=tr("Tager en sikkerhedskopi …"),
                     cancellable=False, on_error=failed)

    def _check_audit_log(self) -> None:
        """The audit log's start-up routine beside the worker (it reads the whole log, seconds on a
        large one, and the user's queries must not wait behind it): the monthly purge when due, then
        a check of the whole chain; whoever may read the log is told at once when it is broken."""
        from app.bootstrap import audit_log_startup
        from ui.tasks import runner
        services, window = self.services, self.window
        runner().check(lambda: audit_log_startup(services), self._audit_checked, parent=window,
                       on_error=lambda exc: log_startup_problem(exc))

    def _audit_checked(self, check) -> None:
        from ui.errors import message
        if self.window is None or not self.actor.may("audit.read"):
            return
        problems = [] if check.verify.ok else [check.verify.reason]
        if check.purge_error:
            problems.append(check.purge_error)
        if problems:
            message(self.window, tr("Adgangsloggen"), tr(
                "Kontrollen af adgangsloggen ved start fandt et problem:\n\n{problems}\n\nSe Administration → "
                "Loggens sikkerhed.").format(problems="\n".join(problems)))

    # -- encrypting a plain file ---------------------------------------------------------------
    def _offer_encryption(self) -> bool:
        """An administrator on a plain embedded file is offered its encryption (with a backup first)."""
        from app import bootstrap
        from ui.errors import ask
        if (self.storage != bootstrap.PLAIN or self.actor.role != "admin" or not self._password
                or not bootstrap.encryption_available()):
            return False
        if not ask(self.login, tr("Kryptér databasen"), tr(
                "Databasen på denne pc er ikke krypteret. Vil du kryptere den nu? Der tages en sikkerhedskopi "
                "først, og bagefter åbner hver bruger den med sin egen adgangskode. Brugere, der ikke har "
                "logget ind siden, skal have nulstillet deres adgangskode af en administrator."),
                yes=tr("Kryptér nu"), no=tr("Ikke nu")):
            return False
        from ui.tasks import runner
        url, username, password, services = self.url, self.actor.username, self._password, self.services

        def convert(state):
            state.report(0, 0, tr("Krypterer databasen …"))
            services.close()
            result = bootstrap.encrypt_database(url, username, password)
            opened = bootstrap.open_encrypted(url, username, password)
            return result, opened
        runner().job(convert, self._encrypted, title=tr("Krypterer databasen …"), parent=self.login,
                     cancellable=False, on_error=self._fatal)
        return True

    def _encrypted(self, result) -> None:
        from app import bootstrap
        from ui.dialogs.recovery_key import RecoveryKeyDialog
        conversion, opened = result
        self.storage = bootstrap.ENCRYPTED
        self.services, self.actor = opened.services, opened.actor
        dlg = RecoveryKeyDialog(conversion.recovery_key, database=self.url, created_by=self.actor.full_name,
                                parent=self.login)
        dlg.finished.connect(lambda _r: (self._tell_backups(conversion), self._open_main()))
        dlg.open()
        self.recovery_dialog = dlg

    def _tell_backups(self, conversion) -> None:
        """After a conversion: the fresh encrypted backup and the unencrypted ones removed (or why not)."""
        from ui.errors import message
        if conversion.fresh_backup is not None:
            text = tr("Der er taget en ny, krypteret og kontrolleret sikkerhedskopi.")
            if conversion.plain_backups_removed:
                text += " " + tr("{n} ældre ukrypterede sikkerhedskopier er slettet fra mappen med "
                                 "sikkerhedskopier.").format(n=conversion.plain_backups_removed)
            message(self.login, tr("Sikkerhedskopier"), text)
        else:
            message(self.login, tr("Sikkerhedskopier"), tr(
                "Der kunne ikke tages en krypteret sikkerhedskopi ({why}), så de ældre ukrypterede "
                "sikkerhedskopier er ikke slettet. Tag en sikkerhedskopi under Administration → "
                "Sikkerhedskopi, og slet derefter de ukrypterede.").format(why=conversion.backup_error))

    # -- leaving -------------------------------------------------------------------------------
    def _logged_out(self) -> None:
        self.window = None
        self.actor = None
        self._show_login()

    def _back_to_login(self) -> None:
        self.actor = None
        if self.login is not None:
            self.login.password.clear()
            self.login.result_value = None
            self.login.show()

    def _session_ended(self) -> None:
        """A refused session (deactivated, demoted, replaced): back to the login window."""
        if self.window is not None:
            window, self.window = self.window, None
            window.close_without_logout()
            self.actor = None
            self._show_login()

    def _role_changed(self, actor) -> None:
        """After an unlock the account had another role: a new window for the role as stored now."""
        self.window = None
        self.actor = actor
        self._open_main()


def log_startup_problem(exc: BaseException) -> None:
    """A start-up routine that failed is not the user's business right now; the log has it."""
    from ui.errors import log_unexpected
    log_unexpected(exc)


def run_gui(url: str) -> int:
    from app.logs import configure_logging
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
    flow.release_lock()
    return code
