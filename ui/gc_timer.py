"""Python's garbage collection on the GUI thread only.

Collection normally runs in whichever thread happens to allocate when a threshold is crossed, which
here is often the task runner's worker. A collected cycle that holds a Qt object (a widget, a timer, a
closure of a page) then destroys it off the GUI thread, and Qt crashes the process (a segmentation
fault in ``statistics.what_works`` while a page's closure was collected was the symptom). Automatic
collection is switched off, and a timer on the GUI thread collects each generation when its count
has passed the threshold Python would have used.

A collection of the oldest generation examines every object the program holds: about 60 ms with the
program's modules and classes loaded, a stall the user sees. Once the program has started
(``freeze_startup``, when the main window first opens), what is alive then (modules, classes, the
services) is set aside for good: later full collections examine only what came after (about 2 ms).
"""
from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.collect)
        self.timer.start()

    def collect(self) -> None:
        """Collect the oldest generation whose count has passed its threshold (and the younger ones)."""
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self.thresholds[generation]:
                gc.collect(generation)
                return


_collector: GuiThreadCollector | None = None
_frozen = False


def install(app: QObject) -> GuiThreadCollector:
    """Once per application: automatic collection off, the GUI thread's timer on."""
    global _collector
    if _collector is None:
        _collector = GuiThreadCollector(app)
    return _collector


def freeze_startup() -> None:
    """Once, when the program has started: what is alive now lives as long as the program, so no
    collection examines it again (``gc.freeze``). Later calls (a new login) do nothing: they would
    also set aside the previous window's garbage."""
    global _frozen
    if not _frozen:
        _frozen = True
        gc.freeze()
