"""The case list searches at every keystroke and writes one audit entry per finished search: when
typing stops, when a case is opened from the results, or when the list is left."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from db.models import AuditEntry
from tests.factories import make_case, make_user
from ui.pages.cases import SEARCH_LOG_IDLE_MS, CaseListPage

pytestmark = pytest.mark.ui


def _log(services) -> list[tuple[str, str]]:
    with services.db.read() as s:
        return [(e.action, e.detail or str(e.case_id)) for e in s.scalars(
            select(AuditEntry).where(AuditEntry.action.in_(("search", "read")), AuditEntry.entity == "tta_case")
            .order_by(AuditEntry.id))]


def test_case_list_logs_each_finished_search_once(qtbot, services, settle):
    coord = make_user(services, "coordinator", "mette")
    aase = make_case(services, first_name="Åse", last_name="Østergaard", coordinator_id=coord.user_id)
    make_case(services, first_name="Bo", last_name="Hansen", coordinator_id=coord.user_id)
    page = CaseListPage(services, coord)
    qtbot.addWidget(page)
    page.show()
    settle()

    # Typing: results at every pause of the debounce, no audit entry until typing has stopped.
    qtbot.keyClicks(page.search, "aase")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=2000)
    assert page.model.data(page.model.index(0, 0)) == "Åse Østergaard"
    assert _log(services) == []
    qtbot.waitUntil(lambda: _log(services) == [("search", "aase")], timeout=SEARCH_LOG_IDLE_MS + 2000)
    # Sorting or filtering the same results is the same search: its new rows are a list read.
    page._sorted("name", False)
    settle()
    qtbot.waitUntil(lambda: not page._search_log_timer.isActive(), timeout=SEARCH_LOG_IDLE_MS + 2000)
    settle()
    assert _log(services) == [("search", "aase")]

    # Opening a case from the results finishes the search at once, before the case is read.
    page.search.setText("øster")
    qtbot.waitUntil(lambda: not page._debounce.isActive(), timeout=2000)
    settle()  # the results for "øster" shown
    assert page.model.rowCount() == 1
    record = page.open_case(page.model.case_id(0))
    settle()
    assert record is not None and record.case_id == aase
    assert _log(services)[1:] == [("search", "øster"), ("read", str(aase))]
    assert not page._search_log_timer.isActive()

    # An emptied search field is no search; leaving the list finishes a shown search.
    page.search.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=2000)
    page.search.setText("hansen")
    qtbot.waitUntil(lambda: not page._debounce.isActive(), timeout=2000)
    settle()
    assert page.model.data(page.model.index(0, 0)) == "Bo Hansen"
    page.hide()
    settle()
    assert _log(services)[3:] == [("search", "hansen")]
    page.show()
    settle()
    assert len(_log(services)) == 4


def _shown(services) -> list[tuple[str, str, str, str]]:
    with services.db.read() as s:
        return [(e.action, e.entity, e.detail, e.case_ids) for e in s.scalars(
            select(AuditEntry).where(AuditEntry.action.in_(("search", "read")),
                                     AuditEntry.entity.in_(("tta_case", "case_list"))).order_by(AuditEntry.id))]


def test_rows_shown_while_typing_are_named_by_the_finished_search(qtbot, services, settle):
    """The first screen of rows is read without an entry per keystroke; the finished search's one
    entry names every case whose row was shown meanwhile, and a plain list view is a list read."""
    coord = make_user(services, "coordinator", "mette")
    aase = make_case(services, first_name="Åse", last_name="Østergaard", coordinator_id=coord.user_id)
    bo = make_case(services, first_name="Bo", last_name="Hansen", coordinator_id=coord.user_id)
    page = CaseListPage(services, coord)
    qtbot.addWidget(page)
    page.show()
    settle()
    assert page.model.rowCount() == 2
    page.log_finished_search()      # what the idle timer does
    settle()
    assert _shown(services) == [("read", "case_list", "", ",".join(map(str, sorted([aase, bo]))))]

    qtbot.keyClicks(page.search, "h")   # shows Bo Hansen (and Åse? no: no "h" in her name)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=2000)
    page.search.setText("øster")
    qtbot.waitUntil(lambda: not page._debounce.isActive(), timeout=2000)
    settle()
    assert page.model.rowCount() == 1 and len(_shown(services)) == 1   # nothing written while typing
    page.hide()
    settle()
    assert _shown(services)[1] == ("search", "tta_case", "øster", ",".join(map(str, sorted([aase, bo]))))
