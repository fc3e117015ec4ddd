"""Notices when the user has not touched mouse or keyboard for a while.

The watcher filters the events of the application's windows (``QWindow``), not of the whole
application: the platform's mouse and key events reach a window first and then its widgets, so the
window sees a few events per action, where an application-wide filter saw every event of every widget
(some two thousand, each through Python, while a case record is built)."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QWindow

ACTIVITY_EVENTS = {QEvent.MouseButtonPress, QEvent.MouseMove, QEvent.KeyPress, QEvent.Wheel, QEvent.TouchBegin}


class IdleWatcher(QObject):
    idle = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None):
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(int(minutes * 60_000))
        self.timer.timeout.connect(self.idle)
        self.timer.start()
        self._watching = False

    def watch(self, app: QGuiApplication) -> None:
        """Watch every window of ``app``, and each window that gets the focus later (dialogs)."""
        for window in app.topLevelWindows():
            self.watch_window(window)
        if not self._watching:
            self._watching = True
            app.focusWindowChanged.connect(self.watch_window)

    def unwatch(self, app: QGuiApplication) -> None:
        if self._watching:
            self._watching = False
            app.focusWindowChanged.disconnect(self.watch_window)
        for window in app.topLevelWindows():
            window.removeEventFilter(self)

    def watch_window(self, window: QWindow | None) -> None:
        if window is not None:
            window.installEventFilter(self)   # installed once: Qt replaces an earlier install

    def set_interval_ms(self, ms: int) -> None:
        self.timer.setInterval(ms)
        self.timer.start()

    def pause(self) -> None:
        self.timer.stop()

    def resume(self) -> None:
        self.timer.start()

    def eventFilter(self, obj, event):  # noqa: N802
        if event.type() in ACTIVITY_EVENTS and self.timer.isActive():
            self.timer.start()
        return False
