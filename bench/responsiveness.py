"""Measuring how responsive the window stays when the database is slow.

``SlowServices`` wraps a ``Services`` object so that every service call sleeps first (as a locked
SQLite file or a slow PostgreSQL server would) and records any call made on the GUI thread, which
must be none. ``GapMeter`` measures the longest time between two ticks of a 10 ms timer on the GUI
thread: how long the window could not repaint. Used by ``bench/run.py`` and by
``tests/test_responsiveness.py``.
"""
from __future__ import annotations

import threading
import time

from PySide6.QtCore import QElapsedTimer, QTimer

PURE = {"today", "clock", "backend"}  # no database behind these


class SlowService:
    def __init__(self, inner, delay: float, log: list[str]):
        self._inner, self._delay, self._log = inner, delay, log

    def __getattr__(self, name):
        value = getattr(self._inner, name)
        if not callable(value) or name in PURE or name.startswith("_"):
            return value

        def slow(*args, **kwargs):
            if threading.current_thread() is threading.main_thread():
                self._log.append(f"{type(self._inner).__name__}.{name}")
            time.sleep(self._delay)
            return value(*args, **kwargs)
        return slow


class SlowServices:
    """Every service of ``inner`` made slow by ``delay`` seconds per call."""

    def __init__(self, inner, delay: float = 0.2):
        self._inner = inner
        self._delay = delay
        self.gui_thread_calls: list[str] = []

    def __getattr__(self, name):
        value = getattr(self._inner, name)
        if hasattr(value, "db") and hasattr(value, "clock"):  # a service
            return SlowService(value, self._delay, self.gui_thread_calls)
        return value


class GapMeter:
    """The longest gap (ms) between two ticks of a 10 ms timer on the GUI thread."""

    def __init__(self, interval_ms: int = 10):
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.clock = QElapsedTimer()
        self.longest = 0
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.longest = 0
        self.clock.start()
        self.timer.start()

    def _tick(self) -> None:
        self.longest = max(self.longest, self.clock.restart())

    def stop(self) -> int:
        self._tick()
        self.timer.stop()
        return self.longest
