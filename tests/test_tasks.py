"""The task runner: database work on one worker thread, results on the GUI thread, stale queries
dropped, the starting widget disabled during a write, failures through the one error path."""
from __future__ import annotations

import logging
import threading
import time

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QPushButton

from app.errors import ConflictError, ValidationError
from ui import errors
from ui.tasks import TaskState, runner

pytestmark = pytest.mark.ui


@pytest.fixture
def tasks(qtbot):
    r = runner()
    yield r
    qtbot.waitUntil(r.idle, timeout=5000)


def test_query_runs_on_the_worker_and_delivers_on_the_gui_thread(qtbot, tasks):
    seen = {}

    def work():
        seen["worker"] = threading.current_thread().name
        return 42

    def done(value):
        seen["value"] = value
        seen["gui"] = QThread.currentThread() is QApplication.instance().thread()
    tasks.query(work, done)
    qtbot.waitUntil(lambda: "value" in seen, timeout=5000)
    assert seen["value"] == 42
    assert seen["worker"].startswith("tta-db")
    assert seen["gui"] is True


def test_a_newer_query_of_the_same_key_overtakes_an_older_one(qtbot, tasks):
    delivered = []
    gate = threading.Event()
    tasks.query(lambda: gate.wait(5), None)  # keeps the worker busy while the queries queue up
    for text in ("h", "ha", "han", "hans"):
        tasks.query(lambda t=text: t, delivered.append, key="search")
    gate.set()
    qtbot.waitUntil(tasks.idle, timeout=5000)
    assert delivered == ["hans"]


def test_a_result_that_arrives_after_a_newer_query_started_is_dropped(qtbot, tasks):
    delivered = []
    started = threading.Event()

    def slow():
        started.set()
        time.sleep(0.2)
        return "old"
    tasks.query(slow, delivered.append, key="k")
    assert started.wait(5)
    tasks.query(lambda: "new", delivered.append, key="k")
    qtbot.waitUntil(tasks.idle, timeout=5000)
    assert delivered == ["new"]


def test_the_widget_that_started_a_write_stays_disabled_until_it_finishes(qtbot, tasks):
    button = QPushButton("Gem")
    qtbot.addWidget(button)
    gate = threading.Event()
    done = []
    tasks.write(lambda: gate.wait(5), done.append, disable=button)
    assert not button.isEnabled()
    qtbot.wait(50)
    assert not button.isEnabled()
    gate.set()
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    assert button.isEnabled()


def test_a_failure_goes_to_on_error_on_the_gui_thread(qtbot, tasks):
    got = []

    def fail():
        raise ValidationError("cpr", "skal udfyldes", label="CPR-nummer")
    tasks.query(fail, lambda _v: got.append("done"), on_error=got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    assert isinstance(got[0], ValidationError) and got[0].message == "CPR-nummer: skal udfyldes"


def test_an_unexpected_error_becomes_one_danish_message_with_a_reference_in_the_log(
        qtbot, tasks, monkeypatch, caplog):
    shown = []
    monkeypatch.setattr(errors, "message", lambda parent, title, text, **kw: shown.append((title, text)))

    def fail():
        raise KeyError("Åse Østergaard 010190-1234")
    with caplog.at_level(logging.ERROR, logger="tta.ui"):
        tasks.query(fail, None)
        qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    title, text = shown[0]
    assert title == "Uventet fejl"
    ref = text.split("Reference: ")[1].split()[0]
    assert ref in caplog.text
    # The log has where it happened, never the exception's text (it may hold a name or a CPR number).
    assert "Østergaard" not in caplog.text and "010190" not in caplog.text


def test_a_conflict_offers_to_reload(qtbot, tasks, monkeypatch):
    monkeypatch.setattr(errors, "ask", lambda *a, **kw: True)
    reloaded = []
    errors.show_error(None, ConflictError("forløbet"), on_conflict=lambda: reloaded.append(True))
    assert reloaded == [True]


def test_a_long_job_reports_progress_and_can_be_cancelled(qtbot, tasks):
    steps = []
    result = []

    def job(state: TaskState):
        for i in range(200):
            state.check()
            state.report(i, 200, f"Trin {i}")
            steps.append(i)
            time.sleep(0.005)
        return "done"
    task = tasks.job(job, result.append, title="Laver demodata …")
    qtbot.waitUntil(lambda: len(steps) > 5, timeout=5000)
    task.state.cancel()
    qtbot.waitUntil(tasks.idle, timeout=5000)
    assert result == []  # cancelled: no result delivered
    assert len(steps) < 200


def test_a_job_function_runs_without_any_gui():
    state = TaskState()
    reports = []
    state._on_progress = lambda done, total, text: reports.append((done, total))
    state.report(1, 3)
    state.report(2)
    assert reports == [(1, 3), (2, 3)]


def test_the_busy_cursor_appears_after_300_ms_and_goes_away(qtbot, tasks):
    gate = threading.Event()
    tasks.query(lambda: gate.wait(5), None)
    qtbot.wait(100)
    assert QApplication.overrideCursor() is None
    qtbot.waitUntil(lambda: QApplication.overrideCursor() is not None, timeout=2000)
    gate.set()
    qtbot.waitUntil(tasks.idle, timeout=5000)
    assert QApplication.overrideCursor() is None


def test_a_background_check_runs_beside_the_worker_without_a_busy_cursor(qtbot, tasks):
    gate = threading.Event()
    checked, queried = [], []
    tasks.check(lambda: gate.wait(5), checked.append)
    tasks.query(lambda: "svar", queried.append)  # not queued behind the check
    qtbot.waitUntil(lambda: bool(queried), timeout=2000)
    qtbot.wait(400)
    assert QApplication.overrideCursor() is None and checked == []
    gate.set()
    qtbot.waitUntil(lambda: bool(checked), timeout=5000)
