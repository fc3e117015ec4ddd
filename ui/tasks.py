"""One worker thread for all database work; results come back on the GUI thread.

Every widget that needs the service layer goes through the one ``TaskRunner`` (``runner()``), so a
locked SQLite file or a slow PostgreSQL server never freezes the window:

- ``query(fn, on_done, key=...)``: a read. With a ``key``, a newer query of the same key overtakes an
  older one: the older is skipped if it has not started, and its result is dropped if it has.
- ``write(fn, on_done, disable=widget)``: a change. The widget that started it (a button, a form) is
  disabled until the write has finished, so it cannot be sent twice.
- ``job(fn, on_done, title=...)``: long work (demo data, import, reports, backups). ``fn`` receives a
  ``TaskState`` to report progress and to notice a cancel; a progress dialog appears after 300 ms.

A busy cursor appears when work has been running for 300 ms. Failures go to ``on_error`` or, by
default, to ``ui.errors.show_error``: the one error path. Callbacks whose ``parent`` widget has been
deleted meanwhile (a closed tab) are dropped. The idea follows Anki's ``CollectionOp``/``QueryOp`` and
``TaskManager``; job functions take a plain state object, as Orange3's concurrent helpers do, so a
test or a CLI command calls them without any GUI.
"""
from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget
from shiboken6 import isValid

BUSY_AFTER_MS = 300


class Cancelled(Exception):
    """Raised inside a job when the user pressed Annuller."""


class TaskState:
    """Progress and cancel for a long job; usable without Qt (tests, CLI commands)."""

    def __init__(self, on_progress: Callable[[int, int, str], None] | None = None):
        self._cancel = threading.Event()
        self._on_progress = on_progress
        self.done = 0
        self.total = 0
        self.text = ""

    def report(self, done: int, total: int | None = None, text: str | None = None) -> None:
        self.done = done
        if total is not None:
            self.total = total
        if text is not None:
            self.text = text
        if self._on_progress is not None:
            self._on_progress(self.done, self.total, self.text)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Call between steps: stops the job with ``Cancelled`` when the user asked."""
        if self._cancel.is_set():
            raise Cancelled()


@dataclass(eq=False)
class Task:
    fn: Callable[..., Any]
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None
    parent: QWidget | None
    key: str | None = None
    seq: int = 0
    disabled: list[QWidget] = field(default_factory=list)
    state: TaskState | None = None
    progress: QProgressDialog | None = None
    result: Any = None
    error: BaseException | None = None
    skipped: bool = False
    quiet: bool = False  # a background check: no busy cursor


class TaskRunner(QObject):
    """The single database worker thread and the GUI-side bookkeeping around it."""

    _finished = Signal(object)
    _progressed = Signal(object)
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tta-db")
        # Long checks that only read and take seconds (the audit chain at start-up) run beside the
        # worker, so the user's queries do not queue behind them; each opens its own session.
        self._checks = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tta-check")
        self._seq = itertools.count(1)
        self._latest: dict[str, int] = {}
        self._pending: set[Task] = set()
        self._soon: list[QTimer] = []
        self._busy_cursor = False
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_AFTER_MS)
        self._busy_timer.timeout.connect(self._show_busy)
        self._finished.connect(self._deliver, Qt.QueuedConnection)
        self._progressed.connect(self._show_progress, Qt.QueuedConnection)

    # -- public API ----------------------------------------------------------------------------
    def query(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None, *,
              parent: QWidget | None = None, key: str | None = None,
              on_error: Callable[[BaseException], None] | None = None) -> Task:
        """Read something; with ``key``, only the newest query of that key delivers its result."""
        return self._submit(Task(fn, on_done, on_error, parent, key))

    def write(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None, *,
              parent: QWidget | None = None, disable: QWidget | list[QWidget] | None = None,
              on_error: Callable[[BaseException], None] | None = None) -> Task:
        """Change something; ``disable`` (default: ``parent``) stays disabled until it has finished."""
        targets = disable if isinstance(disable, list) else [disable or parent] if (disable or parent) else []
        task = Task(fn, on_done, on_error, parent)
        for w in targets:
            if w is not None and w.isEnabled():
                w.setEnabled(False)
                task.disabled.append(w)
        return self._submit(task)

    def job(self, fn: Callable[[TaskState], Any], on_done: Callable[[Any], None] | None = None, *,
            title: str, parent: QWidget | None = None, cancellable: bool = True,
            on_error: Callable[[BaseException], None] | None = None) -> Task:
        """Long work with progress; ``fn(state)`` reports through ``state.report`` and calls
        ``state.check()`` between steps when it can be cancelled."""
        task = Task(fn, on_done, on_error, parent)
        task.state = TaskState(lambda *_a: self._progressed.emit(task))
        dlg = QProgressDialog(title, QCoreApplication.translate("tasks", "Annuller") if cancellable else "",
                              0, 0, parent)
        dlg.setWindowTitle("TTA-team")
        dlg.setWindowModality(Qt.WindowModal)
        dlg.setMinimumDuration(BUSY_AFTER_MS)
        dlg.setAutoClose(False)
        dlg.setAutoReset(False)
        if not cancellable:
            dlg.setCancelButton(None)
        dlg.canceled.connect(task.state.cancel)
        task.progress = dlg
        return self._submit(task)

    def check(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None, *,
              parent: QWidget | None = None, on_error: Callable[[BaseException], None] | None = None) -> Task:
        """A long background check beside the worker (no busy cursor: nobody waits for it)."""
        task = Task(fn, on_done, on_error, parent)
        task.seq = next(self._seq)
        task.quiet = True
        self._pending.add(task)
        self._checks.submit(self._run, task)
        return task

    def soon(self, timer: QTimer) -> None:
        """``timer``, while it runs, stands for work about to be submitted (the case list reads every id
        of a result once its first rows are painted, at the latest when ``timer`` fires): the runner
        is not idle meanwhile."""
        self._soon = [t for t in self._soon if isValid(t)] + [timer]

    def idle(self) -> bool:
        """No work queued, running or about to be submitted (tests wait on this)."""
        return not self._pending and not any(isValid(t) and t.isActive() for t in self._soon)

    def shutdown(self) -> None:
        """Finish what is running (never cut a write in half) and stop the thread."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._checks.shutdown(wait=True, cancel_futures=True)

    # -- worker side ---------------------------------------------------------------------------
    def _submit(self, task: Task) -> Task:
        task.seq = next(self._seq)
        if task.key is not None:
            self._latest[task.key] = task.seq
        self._pending.add(task)
        if not self._busy_timer.isActive() and not self._busy_cursor:
            self._busy_timer.start()
        self._pool.submit(self._run, task)
        return task

    def _run(self, task: Task) -> None:
        if task.key is not None and self._latest.get(task.key) != task.seq:
            task.skipped = True  # a newer query of the same kind is queued behind this one
        else:
            try:
                task.result = task.fn(task.state) if task.state is not None else task.fn()
            except BaseException as exc:  # noqa: BLE001 - every failure is delivered to the GUI thread
                task.error = exc
        self._finished.emit(task)

    # -- GUI side ------------------------------------------------------------------------------
    def _deliver(self, task: Task) -> None:
        self._pending.discard(task)
        for w in task.disabled:
            if isValid(w):
                w.setEnabled(True)
        if task.progress is not None and isValid(task.progress):
            task.progress.close()
            task.progress.deleteLater()
        if not self._waited_for():
            self._busy_timer.stop()
            if self._busy_cursor:
                self._busy_cursor = False
                QApplication.restoreOverrideCursor()
                self.busy_changed.emit(False)
        stale = task.key is not None and self._latest.get(task.key) != task.seq
        if task.skipped or stale:
            return
        if task.parent is not None and not isValid(task.parent):
            return  # the widget that asked is gone (a closed tab)
        if task.error is not None:
            if isinstance(task.error, Cancelled):
                return
            if task.on_error is not None:
                task.on_error(task.error)
            else:
                from ui.errors import show_error
                show_error(task.parent, task.error)
            return
        if task.on_done is not None:
            task.on_done(task.result)

    def _waited_for(self) -> bool:
        """Work the user is waiting for (background checks do not count)."""
        return any(not t.quiet for t in self._pending)

    def _show_busy(self) -> None:
        if self._waited_for() and not self._busy_cursor:
            self._busy_cursor = True
            QApplication.setOverrideCursor(Qt.BusyCursor)
            self.busy_changed.emit(True)

    def _show_progress(self, task: Task) -> None:
        dlg, state = task.progress, task.state
        if dlg is None or not isValid(dlg) or task not in self._pending:
            return
        if state.total:
            dlg.setMaximum(state.total)
            dlg.setValue(min(state.done, state.total))
        if state.text:
            dlg.setLabelText(state.text)


class TaskOwner:
    """For widgets (pages, record tabs): the runner's calls with the widget as their parent, so a
    result for a widget that is gone is dropped, and keyed queries that are this widget's own."""

    def query(self, fn: Callable[[], Any], on_done: Callable[[Any], None], *, key: str | None = None,
              on_error: Callable[[BaseException], None] | None = None) -> Task:
        return runner().query(fn, on_done, parent=self, key=f"{id(self)}:{key}" if key else None,
                              on_error=on_error)

    def write(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None, *,
              disable: QWidget | list[QWidget] | None = None,
              on_error: Callable[[BaseException], None] | None = None) -> Task:
        """``disable`` (default: the widget itself) stays disabled until the write has finished."""
        return runner().write(fn, on_done, parent=self, disable=disable or self, on_error=on_error)


_runner: TaskRunner | None = None


def runner() -> TaskRunner:
    """The application's one task runner (created with the first caller, after QApplication)."""
    global _runner
    if _runner is None or not isValid(_runner):
        _runner = TaskRunner(QCoreApplication.instance())
    return _runner
