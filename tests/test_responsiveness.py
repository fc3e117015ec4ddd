"""No widget calls the service layer on the GUI thread.

The services are wrapped in a slow double (every call sleeps 200 ms, as a locked SQLite file or a
slow PostgreSQL server would) that also records any call made on the GUI thread. The real UI is then
driven through search, opening a case, editing and saving, while a timer measures the longest gap in
the event loop: the window must keep repainting.
"""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from bench.responsiveness import GapMeter, SlowServices
from tests.factories import make_case, make_user
from ui.main_window import MainWindow
from ui.record.overview import OverviewTab
from ui.tasks import runner

pytestmark = [pytest.mark.ui, pytest.mark.sqlite_only]


def test_search_open_edit_and_save_never_block_the_gui_thread(qtbot, services):
    coord = make_user(services, "coordinator", "mette")
    for i in range(30):
        make_case(services, first_name=f"Hans{i}", last_name="Hansen", coordinator_id=coord.user_id)
    slow = SlowServices(services, delay=0.2)
    window = MainWindow(slow, coord, idle_minutes=60)
    qtbot.addWidget(window)
    window.show()
    page = window.show_section("cases")  # building the page is not database work: measured from here
    qtbot.waitUntil(lambda: page.model.rowCount() == 30, timeout=15000)
    meter = GapMeter()
    meter.start()
    qtbot.keyClicks(page.search, "hans1")
    qtbot.waitUntil(lambda: page.model.rowCount() == 11, timeout=15000)  # Hans1, Hans10..Hans19
    record = page.open_case(page.model.case_id(0))
    qtbot.waitUntil(lambda: record.detail is not None, timeout=15000)
    # The record builds its Oversigt in its own time, as a double-click does (record.tab() would
    # finish it at once, which only tests do).
    qtbot.waitUntil(lambda: OverviewTab in record.tab_widgets and record.tab_widgets[OverviewTab].ready()
                    and record.tab_widgets[OverviewTab].inputs["employer_name"].isVisible(), timeout=15000)
    tab = record.tab_widgets[OverviewTab]
    tab.inputs["employer_name"].setText("Ny Arbejdsgiver A/S")
    assert record.has_unsaved_changes()
    qtbot.mouseClick(tab.save_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not record.has_unsaved_changes() and runner().idle(), timeout=15000)
    meter.stop()
    assert slow.gui_thread_calls == []
    assert meter.longest < 100, f"the GUI thread was blocked for {meter.longest} ms"
    with services.db.read() as s:
        from db.models import Case
        assert s.get(Case, record.case_id).employer_name == "Ny Arbejdsgiver A/S"
    QApplication.processEvents()
