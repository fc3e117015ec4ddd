"""Garbage is collected on the GUI thread only: a cycle dropped on a worker thread is not collected
there, and the GUI thread's timer collects it (a Qt object destroyed off the GUI thread crashes)."""
from __future__ import annotations

import gc
import threading

import pytest

from ui import gc_timer

pytestmark = pytest.mark.ui


class _Cycle:
    def __init__(self, collected: list[str]):
        self.me = self
        self.collected = collected

    def __del__(self):
        self.collected.append(threading.current_thread().name)


def test_cycles_are_collected_by_the_gui_threads_timer_not_by_a_worker(qtbot):
    collector = gc_timer.install(None)
    assert not gc.isenabled() and collector.timer.isActive()
    gc.collect()
    collected: list[str] = []

    def worker():
        _Cycle(collected)  # dropped at once: only a collection can free it
        junk = [[] for _ in range(gc.get_threshold()[0] * 3)]  # would trigger a collection here
        del junk
    t = threading.Thread(target=worker, name="worker")
    t.start()
    t.join()
    assert collected == []
    alive = [[] for _ in range(gc.get_threshold()[0] * 2)]  # well past generation 0's threshold, as in a busy app
    qtbot.waitUntil(lambda: collected != [], timeout=gc_timer.INTERVAL_MS * 5)
    assert collected == [threading.main_thread().name]
    del alive


def test_after_start_up_a_collection_examines_only_what_came_later_and_still_frees_it(qtbot, monkeypatch):
    """A full collection of everything the program holds stalls the window (about 60 ms); what is alive
    when the main window first opens is set aside once, and garbage made later is still freed."""
    gc_timer.install(None)
    monkeypatch.setattr(gc_timer, "_frozen", False)
    try:
        gc_timer.freeze_startup()
        frozen = gc.get_freeze_count()
        assert frozen > 1000  # the modules, classes and objects of the program so far
        collected: list[str] = []
        _Cycle(collected)
        gc_timer.freeze_startup()  # a second login sets nothing more aside
        assert gc.get_freeze_count() == frozen
        alive = [[] for _ in range(gc.get_threshold()[0] * 2)]
        qtbot.waitUntil(lambda: collected != [], timeout=gc_timer.INTERVAL_MS * 5)
        assert collected == [threading.main_thread().name]
        del alive
        assert len(gc.get_objects(2)) < frozen  # the oldest generation no longer holds the program
    finally:
        gc.unfreeze()
