"""Fixtures: a fresh database per test on SQLite and on a throwaway PostgreSQL server.

Each backend is migrated once into a template (an SQLite file, a PostgreSQL template database);
every test gets its own copy, so tests never see each other's rows.
"""
from __future__ import annotations

import itertools
import os
import shutil

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from sqlalchemy import text

from app.reference import seed_reference_data
from app.services import Services
from db import migrate
from db.session import open_database
from tests.factories import FakeClock
from tests.pg_server import PgServer

BACKENDS = ["sqlite", "postgresql"]
_counter = itertools.count()


@pytest.fixture(scope="session", autouse=True)
def private_settings(tmp_path_factory):
    """Keep the app's QSettings (window geometry, column layout) out of the developer's own config.

    Set before the first test, so before Qt reads the folder (it does on the first QSettings and
    then keeps it); the folder is one of pytest's own temporary ones, which pytest clears away."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
        yield


@pytest.fixture(scope="session", autouse=True)
def private_data_folder_and_audit_key(tmp_path_factory):
    """The app's data folder (SQLite key file, log) in a temporary folder, never the developer's own;
    and the audit log's key for PostgreSQL, which has no default (a fixed test key, for both
    backends; tests/test_audit_chain.py covers the SQLite key file)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data")))
        mp.setenv("TTA_AUDIT_KEY", "test-audit-key-" + "0123456789abcdef" * 2)
        mp.delenv("TTA_AUDIT_KEY_FILE", raising=False)
        yield


@pytest.fixture(scope="session")
def pg_server():
    with PgServer() as server:
        yield server


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "template.db"
    db = open_database(f"sqlite:///{path}")
    migrate.upgrade(db.engine)
    with db.write() as s:
        seed_reference_data(s)
    db.dispose()
    return path


@pytest.fixture(scope="session")
def pg_template(pg_server):
    admin = open_database(pg_server.url(), check=False, isolation_level="AUTOCOMMIT")
    with admin.engine.connect() as conn:
        conn.execute(text("CREATE DATABASE tta_template"))
    admin.dispose()
    db = open_database(pg_server.url("tta_template"))
    migrate.upgrade(db.engine)
    with db.write() as s:
        seed_reference_data(s)
    db.dispose()
    return "tta_template"


def new_database_url(backend: str, request, tmp_path) -> str:
    """A fresh, migrated, seeded database of the given backend for one test."""
    if backend == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "test.db"
        shutil.copyfile(template, path)
        return f"sqlite:///{path}"
    return _pg_database(request, template=request.getfixturevalue("pg_template"))


def _pg_database(request, *, template: str | None = None) -> str:
    """A new database on the test server: a copy of ``template``, or empty."""
    server = request.getfixturevalue("pg_server")
    name = f"t{os.getpid()}_{next(_counter)}"
    admin = open_database(server.url(), check=False, isolation_level="AUTOCOMMIT")
    with admin.engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"' + (f" TEMPLATE {template}" if template else "")))
    admin.dispose()
    return server.url(name)


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: the test's database is SQLite only (a UI test drives the "
                                       "screens; the services under them are tested on both backends)")


def pytest_generate_tests(metafunc):
    """Every test with a database runs on each backend, unless it is marked ``sqlite_only``."""
    if "backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker("sqlite_only") is None:
        metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture
def backend(request) -> str:
    return getattr(request, "param", "sqlite")


@pytest.fixture(autouse=True)
def qt_application(request):
    """A UI test (marked ``ui``) runs in the app's own QApplication: Danish locale and translations,
    the theme."""
    if request.node.get_closest_marker("ui") is None:
        return
    from ui.app import make_application
    request.getfixturevalue("qapp")
    make_application()


@pytest.fixture
def db_url(backend, request, tmp_path) -> str:
    return new_database_url(backend, request, tmp_path)


@pytest.fixture(scope="session")
def new_database(request, tmp_path_factory):
    """``new_database(backend)``: the URL of a fresh, migrated, seeded database, for a fixture that
    lives longer than one test (``db_url`` gives each test its own)."""
    return lambda backend: new_database_url(backend, request, tmp_path_factory.mktemp("db"))


@pytest.fixture
def sqlite_url(request, tmp_path) -> str:
    return new_database_url("sqlite", request, tmp_path)


@pytest.fixture
def postgresql_url(request, tmp_path) -> str:
    return new_database_url("postgresql", request, tmp_path)


@pytest.fixture
def empty_db_url(backend, request, tmp_path) -> str:
    """A database of the backend with no tables at all, to migrate from scratch or to an old revision."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    return _pg_database(request)


@pytest.fixture(autouse=True)
def collect_garbage_between_tests():
    """Once a UI test has made the application, Python collects garbage only from a timer on the GUI
    thread (ui/gc_timer.py), which does not run in a test that spins no event loop: collect here,
    between tests, as that timer would have."""
    yield
    import sys
    gc_timer = sys.modules.get("ui.gc_timer")
    if gc_timer is not None and gc_timer._collector is not None:
        gc_timer._collector.collect()


@pytest.fixture(autouse=True)
def no_unexpected_message_boxes(request, monkeypatch):
    """A modal message box in a UI test would wait forever for a click: fail with its text instead."""
    if "qtbot" not in request.fixturenames:
        return
    from PySide6.QtWidgets import QMessageBox

    def fail(self, *args):
        pytest.fail(f"unexpected message box: {self.windowTitle()}: {self.text()}")

    def fail_static(*args, **kwargs):
        texts = [a for a in args if isinstance(a, str)]
        pytest.fail(f"unexpected message box: {texts}")
    monkeypatch.setattr(QMessageBox, "exec", fail)
    for name in ("question", "information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(fail_static))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def services(db_url, clock):
    svc = Services(open_database(db_url), clock=clock)
    yield svc
    finish_ui_work()
    svc.close()


def finish_ui_work() -> None:
    """Before a test's services close: its windows are closed, and the work they queue in closing (a
    finished search's audit entry) is done. Left for later, it ran on the closed database during the
    next test (where it reopened a PostgreSQL connection that nothing closed)."""
    import sys
    import time
    if "ui.tasks" not in sys.modules:
        return
    from PySide6.QtWidgets import QApplication

    from ui.tasks import runner
    app = QApplication.instance()
    if app is None:
        return
    for widget in app.topLevelWidgets():
        if widget.isVisible():
            widget.close()
    deadline = time.monotonic() + 10
    while not runner().idle() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.001)
    app.processEvents()
@pytest.fixture
def settle(qtbot):
    """Wait until the task runner has delivered every result (UI tests drive the real worker)."""
    from ui.tasks import runner

    def wait(timeout: int = 10000) -> None:
        qtbot.waitUntil(runner().idle, timeout=timeout)
        qtbot.wait(1)  # let callbacks queued by those results run
        qtbot.waitUntil(runner().idle, timeout=timeout)
    return wait


@pytest.fixture
def answer(monkeypatch):
    """Answer message boxes instead of a person: ``answer("yes")`` clicks the accepting (or destructive)
    button of every following box, ``answer("no")`` the rejecting one, ``answer("ok")`` the only one.
    The boxes' titles and texts are kept in ``answer.asked``."""
    from PySide6.QtWidgets import QMessageBox
    roles = {"yes": (QMessageBox.AcceptRole, QMessageBox.YesRole, QMessageBox.DestructiveRole),
             "no": (QMessageBox.RejectRole, QMessageBox.NoRole),
             "ok": (QMessageBox.AcceptRole, QMessageBox.YesRole, QMessageBox.RejectRole)}
    state = {"choice": None}

    def exec_(box):
        answer.asked.append((box.windowTitle(), box.text()))
        if state["choice"] is None:
            pytest.fail(f"unexpected message box: {box.windowTitle()}: {box.text()}")
        for button in box.buttons():
            if box.buttonRole(button) in roles[state["choice"]]:
                button.click()
                return box.standardButton(button)
        pytest.fail(f"no '{state['choice']}' button in: {box.windowTitle()}")

    def answer(choice: str) -> None:
        state["choice"] = choice
    answer.asked = []
    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return answer


@pytest.fixture
def printed_pdf(monkeypatch, tmp_path):
    """The print dialog answered with a PDF printer: what a test prints from the preview lands in the
    returned file."""
    from PySide6.QtPrintSupport import QPrinter
    out = tmp_path / "printed.pdf"

    def pdf_printer(_parent):
        printer = QPrinter(QPrinter.HighResolution)
        printer.setOutputFormat(QPrinter.PdfFormat)
        printer.setOutputFileName(str(out))
        return printer
    monkeypatch.setattr("ui.dialogs.print_preview.ask_printer", pdf_printer)
    return out
