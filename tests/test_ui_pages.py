"""Drive the section pages as a user would: Overblik per role and its cards and tasks, the case list's
layout and filters, Rundbordssamtaler, Casekonferencer and Statistik, the short lists' sorting, and
the main window's keyboard and status bar."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QHeaderView, QTableView

from app.dates import local_now
from db.models import CaseConference, ConferenceItem, RoundTableMeeting
from tests.factories import add_task, make_case, make_user
from tests.ui_helpers import window
from ui.models.case_table import BLOCK, COLUMNS, CaseFilter
from ui.pages.cases import CaseListPage
from ui.pages.conferences import ConferencesPage
from ui.pages.dashboard import DashboardPage
from ui.pages.meetings import MeetingsPage
from ui.widgets.common import Card
from ui.widgets.simple_table import Cell, ListTableModel, header_width, make_table

pytestmark = [pytest.mark.ui, pytest.mark.sqlite_only]

TODAY = dt.date(2026, 11, 22)  # the FakeClock's day


# -- builders -----------------------------------------------------------------------------------
def add_meeting(services, case_id, *, day, time=None, status="planned", location="På arbejdspladsen", n=1):
    with services.db.write() as s:
        s.add(RoundTableMeeting(case_id=case_id, meeting_date=day, start_time=time, status=status, location=location,
                                sequence_no=n))


def close(services, actor, case_id, *, on=dt.date(2026, 11, 2), outcome="full_return"):
    version = services.cases.get_case(actor, case_id).version
    services.closing.close_case(actor, case_id, expected_version=version, closed_date=on, outcome=outcome)


def put_on_team(services, coordinator, case_id, member):
    version = services.cases.get_case(coordinator, case_id).version
    services.cases.update_case(coordinator, case_id, expected_version=version,
                               changes={"team_member_ids": [member.user_id]})


@pytest.fixture
def opened(monkeypatch) -> list[int]:
    """The case ids the case list was asked to open as records (the record itself is tested with the
    record's tabs; here it only matters that the right case is asked for)."""
    calls: list[int] = []
    monkeypatch.setattr(CaseListPage, "open_case", lambda self, case_id: calls.append(case_id))
    return calls


def page(qtbot, cls, services, actor, settle, size=(1100, 700)):
    p = cls(services, actor)
    qtbot.addWidget(p)
    p.resize(*size)
    p.show()
    settle()
    return p


def texts(model, column) -> list[str]:
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


def double_click(qtbot, view: QTableView, index) -> None:
    """As a mouse does it: press and release, then the double-click."""
    pos = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=pos)
    qtbot.mouseDClick(view.viewport(), Qt.LeftButton, pos=pos)


def click_header(qtbot, view: QTableView, column: int) -> None:
    header = view.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.LeftButton, pos=QPoint(x, header.height() // 2))


def assert_titles_whole(view: QTableView) -> None:
    """Every column title fits its column, and every column lies inside the visible table."""
    header = view.horizontalHeader()
    model = view.model()
    for col in range(model.columnCount()):
        title = model.headerData(col, Qt.Horizontal, Qt.DisplayRole)
        assert not header.isSectionHidden(col), title
        assert header.sectionSize(col) >= header_width(view, col), title
        widest_line = max(header.fontMetrics().horizontalAdvance(line) for line in title.split("\n"))
        assert header.sectionSize(col) >= widest_line, title


# -- short lists --------------------------------------------------------------------------------
def test_short_list_sorts_by_value_in_danish_order_and_keeps_each_rows_key(qtbot, qtmodeltester):
    model = ListTableModel(["Navn", "Dato", "Antal"])
    rows = [("Åse", dt.date(2026, 12, 2), 9), ("Ærø", dt.date(2026, 11, 30), 10), ("Zenia", None, 2),
            ("Aase", dt.date(2025, 1, 15), 100), ("Birte", dt.date(2026, 11, 30), 1)]
    model.set_rows([[name, Cell(d.strftime("%d-%m-%Y") if d else "", d), Cell(str(n), n)] for name, d, n in rows],
                   [name for name, _d, _n in rows])
    view = make_table(model)
    qtbot.addWidget(view)
    view.sortByColumn(0, Qt.AscendingOrder)
    assert texts(model, 0) == ["Birte", "Zenia", "Ærø", "Åse", "Aase"]  # æ, ø, å after z; "aa" is "å"
    view.sortByColumn(1, Qt.AscendingOrder)
    # by date, not by text ("02-12-2026" < "15-01-2025" as text); the empty date last
    assert texts(model, 1) == ["15-01-2025", "30-11-2026", "30-11-2026", "02-12-2026", ""]
    view.sortByColumn(1, Qt.DescendingOrder)
    assert texts(model, 1) == ["02-12-2026", "30-11-2026", "30-11-2026", "15-01-2025", ""]
    view.sortByColumn(2, Qt.AscendingOrder)
    assert texts(model, 2) == ["1", "2", "9", "10", "100"]
    assert [model.key(r) for r in range(5)] == ["Birte", "Zenia", "Åse", "Ærø", "Aase"]
    assert all(model.rows[r][0] == model.key(r) for r in range(5))
    qtmodeltester.check(model)
    view.sortByColumn(-1, Qt.AscendingOrder)  # no sort: the caller's order again
    assert model.keys == [name for name, _d, _n in rows]


def test_short_list_sorts_plain_danish_dates_by_date_and_mixed_columns_without_error(qtbot):
    model = ListTableModel(["Tidspunkt", "Blandet"])
    model.set_rows([["02-12-2026 09:00", "uge 10"], ["30-11-2026 14:05", "12-01-2026"], ["30-11-2026 08:15", "uge 9"],
                    ["", "Åse"]])
    view = make_table(model)
    qtbot.addWidget(view)
    view.sortByColumn(0, Qt.AscendingOrder)
    assert texts(model, 0) == ["30-11-2026 08:15", "30-11-2026 14:05", "02-12-2026 09:00", ""]
    view.sortByColumn(1, Qt.AscendingOrder)
    assert texts(model, 1)[-2:] == ["uge 9", "uge 10"] or texts(model, 1)[:2] == ["uge 9", "uge 10"]


def test_short_list_titles_are_never_cut(qtbot):
    model = ListTableModel(["Dato", "Forløb på dagsordenen med en meget lang titel", "Status"])
    model.set_rows([["01-12-2026", "1", "Afholdt"]])
    view = make_table(model, stretch=2)
    qtbot.addWidget(view)
    view.resize(420, 200)
    view.show()
    qtbot.waitExposed(view)
    assert_titles_whole(view)


# -- Overblik -----------------------------------------------------------------------------------
def cards(p: DashboardPage) -> dict[str, Card]:
    return {c.caption.text(): c for c in p.cards.values()}


def test_dashboard_shows_each_role_its_own_figures(qtbot, services, settle):
    coord = make_user(services, "coordinator", "mette", full_name="Mette Holm")
    psych = make_user(services, "psychologist", "signe", full_name="Signe Dahl")
    lead = make_user(services, "team_lead", "tove", full_name="Tove Lund")
    mine = make_case(services, first_name="Åse", coordinator_id=coord.user_id)
    make_case(services, first_name="Bent", coordinator_id=coord.user_id, phase="visitation")
    make_case(services, first_name="Carl", coordinator_id=None)
    put_on_team(services, coord, mine, psych)
    add_task(services, coord, title="Ring til arbejdsgiveren", due=TODAY - dt.timedelta(days=3), case_id=mine)
    add_task(services, psych, title="Psykologisk udredning", due=TODAY - dt.timedelta(days=1), case_id=mine)

    c = page(qtbot, DashboardPage, services, coord, settle)
    assert list(cards(c)) == ["åbne forløb, hvor du er koordinator", "af dine forløb venter på visitation",
                              "af dine opgaver er over fristen",
                              "rundbordssamtaler i dine forløb de næste 14 dage",
                              "efteropfølgninger i dine forløb er forfaldne"]
    assert cards(c)["åbne forløb, hvor du er koordinator"].value.text() == "2"
    assert c.tasks_title.text() == "Dine åbne opgaver" and c.tasks.headers == ["Frist", "Opgave", "Borger"]
    assert [r[1] for r in c.tasks.rows] == ["Ring til arbejdsgiveren"]

    p = page(qtbot, DashboardPage, services, psych, settle)
    assert list(cards(p)) == ["åbne forløb, hvor du er med i teamet", "af dine opgaver er over fristen",
                              "rundbordssamtaler i dine forløb de næste 14 dage"]
    assert not any("koordinator" in caption or "visitation" in caption for caption in cards(p))
    assert cards(p)["åbne forløb, hvor du er med i teamet"].value.text() == "1"
    assert [r[1] for r in p.tasks.rows] == ["Psykologisk udredning"]

    t = page(qtbot, DashboardPage, services, lead, settle)
    assert list(cards(t))[:2] == ["åbne forløb i teamet", "åbne forløb uden koordinator"]
    assert cards(t)["åbne forløb uden koordinator"].value.text() == "1"
    assert t.tasks_title.text() == "Teamets opgaver over fristen"
    assert t.tasks.headers == ["Frist", "Opgave", "Borger", "Ansvarlig"]
    owners = {r[1]: r[3] for r in t.tasks.rows}
    assert owners == {"Ring til arbejdsgiveren": "Mette Holm", "Psykologisk udredning": "Signe Dahl"}
    # Overdue is shown by a sign and words, not colour alone.
    due = t.tasks.index(0, 0)
    assert t.tasks.data(due, Qt.DecorationRole) is not None
    assert "over fristen" in t.tasks.data(due, Qt.ToolTipRole)


def test_a_figure_card_opens_the_case_list_with_what_it_counts(qtbot, services, settle):
    coord = make_user(services, "coordinator", "mette")
    other = make_user(services, "coordinator", "soren")
    for name in ("Åse", "Bent"):
        make_case(services, first_name=name, coordinator_id=coord.user_id)
    close(services, coord, make_case(services, first_name="Closed", coordinator_id=coord.user_id))
    make_case(services, first_name="Other", coordinator_id=other.user_id)
    w = window(qtbot, services, coord, settle)
    dash = w.pages["overview"]
    card = cards(dash)["åbne forløb, hvor du er koordinator"]
    assert card.is_clickable() and card.cursor().shape() == Qt.PointingHandCursor
    assert card.focusPolicy() & Qt.TabFocus and "Vis forløbene" in card.link.text()
    qtbot.mouseClick(card, Qt.LeftButton)
    settle()
    cases = w.pages["cases"]
    assert w.stack.currentWidget() is cases
    assert cases.phase.currentText() == "Alle åbne" and cases.mine.isChecked()
    assert sorted(texts(cases.model, 0)) == ["Bent Østergaard", "Åse Østergaard"]

    # Keyboard: the card takes the focus and opens on Enter, as a button would.
    w.show_section("overview")
    cases.clear_filters()
    settle()
    assert cases.model.rowCount() == 4
    waiting = cards(dash)["af dine forløb venter på visitation"]
    assert not waiting.is_clickable()  # none waiting: nothing to open
    card.setFocus()
    qtbot.keyClick(card, Qt.Key_Return)
    settle()
    assert w.stack.currentWidget() is cases and cases.model.rowCount() == 2

    # A figure no list can show yet is a plain number: no hand, no focus, a click does nothing.
    overdue = cards(dash)["af dine opgaver er over fristen"]
    assert not overdue.is_clickable() and overdue.cursor().shape() == Qt.ArrowCursor
    assert overdue.focusPolicy() == Qt.NoFocus and not overdue.link.isVisible()
    w.show_section("overview")
    qtbot.mouseClick(overdue, Qt.LeftButton)
    settle()
    assert w.stack.currentWidget() is dash


@pytest.mark.parametrize("role", ["coordinator", "psychologist", "team_lead"])
def test_every_clickable_figure_opens_a_list_as_long_as_its_number(qtbot, services, settle, role):
    coord = make_user(services, "coordinator", "mette")
    other = make_user(services, "coordinator", "soren")
    psych = make_user(services, "psychologist", "signe")
    lead = make_user(services, "team_lead", "tove")
    ids = [make_case(services, first_name=f"N{i}", coordinator_id=c, phase=phase)
           for i, (c, phase) in enumerate([(coord.user_id, "referral"), (coord.user_id, "visitation"),
                                           (coord.user_id, "plan"), (other.user_id, "assessment"),
                                           (None, "referral"), (None, "intervention")])]
    close(services, coord, make_case(services, first_name="Lukket", coordinator_id=coord.user_id))
    for case_id in ids[2:4]:
        put_on_team(services, lead, case_id, psych)
    actor = {"coordinator": coord, "psychologist": psych, "team_lead": lead}[role]
    w = window(qtbot, services, actor, settle)
    dash = w.pages["overview"]
    clickable = [c for c in [*dash.cards.values(), *dash.phase_cards.values()] if c.is_clickable()]
    assert len(clickable) >= 3
    for card in clickable:
        w.show_section("overview")
        settle()
        qtbot.mouseClick(card, Qt.LeftButton)
        settle()
        assert w.pages["cases"].model.rowCount() == int(card.value.text()), card.caption.text()


def test_team_leads_unassigned_card_lists_the_cases_without_coordinator(qtbot, services, settle):
    lead = make_user(services, "team_lead", "tove")
    coord = make_user(services, "coordinator", "mette")
    make_case(services, first_name="Ingen", coordinator_id=None)
    close(services, lead, make_case(services, first_name="Lukket", coordinator_id=None))
    make_case(services, first_name="Har", coordinator_id=coord.user_id)
    w = window(qtbot, services, lead, settle)
    qtbot.mouseClick(cards(w.pages["overview"])["åbne forløb uden koordinator"], Qt.LeftButton)
    settle()
    cases = w.pages["cases"]
    assert cases.coordinator.currentText() == "Uden koordinator" and not cases.mine.isChecked()
    assert texts(cases.model, 0) == ["Ingen Østergaard"]


def test_a_phase_count_opens_the_list_on_that_phase(qtbot, services, settle):
    psych = make_user(services, "psychologist", "signe")
    coord = make_user(services, "coordinator", "mette")
    on_team = make_case(services, first_name="Med", coordinator_id=coord.user_id, phase="plan")
    make_case(services, first_name="Uden", coordinator_id=coord.user_id, phase="plan")
    put_on_team(services, coord, on_team, psych)
    w = window(qtbot, services, psych, settle)
    plan = w.pages["overview"].phase_cards["plan"]
    assert plan.value.text() == "1" and plan.is_clickable()
    assert not w.pages["overview"].phase_cards["closed"].is_clickable()
    qtbot.mouseClick(plan, Qt.LeftButton)
    settle()
    cases = w.pages["cases"]
    assert cases.phase.currentText() == "Handlingsplan" and cases.mine.isChecked()
    assert texts(cases.model, 0) == ["Med Østergaard"]  # the cases whose team the psychologist is on


def open_case_from_task(qtbot, dash, settle) -> None:
    """The task opened as itself: its dialog's "Åbn forløbet"."""
    settle()
    qtbot.waitUntil(lambda: dash.task_dialog is not None and dash.task_dialog.isVisible(), timeout=3000)
    qtbot.mouseClick(dash.task_dialog.case_button, Qt.LeftButton)
    settle()


def test_a_task_opens_on_double_click_and_enter_and_from_there_its_case(qtbot, services, settle, opened):
    coord = make_user(services, "coordinator", "mette")
    first = make_case(services, first_name="Åse", coordinator_id=coord.user_id)
    second = make_case(services, first_name="Bent", coordinator_id=coord.user_id)
    add_task(services, coord, title="Ring til lægen", due=TODAY, case_id=first)
    add_task(services, coord, title="Send status", due=TODAY + dt.timedelta(days=2), case_id=second)
    add_task(services, coord, title="Læs op på loven", due=TODAY + dt.timedelta(days=3))
    w = window(qtbot, services, coord, settle)
    dash = w.pages["overview"]
    tasks, model = dash.task_view, dash.tasks
    titles = [model.key(r).title for r in range(model.rowCount())]
    double_click(qtbot, tasks, model.index(titles.index("Ring til lægen"), 1))
    open_case_from_task(qtbot, dash, settle)
    assert w.stack.currentWidget() is w.pages["cases"] and opened == [first]

    w.show_section("overview")
    tasks.sortByColumn(1, Qt.DescendingOrder)  # the row's task moves with it
    titles = [model.key(r).title for r in range(model.rowCount())]
    assert [r[1] for r in model.rows] == titles
    tasks.setFocus()
    tasks.setCurrentIndex(model.index(titles.index("Send status"), 0))
    qtbot.keyClick(tasks, Qt.Key_Return)
    open_case_from_task(qtbot, dash, settle)
    assert w.stack.currentWidget() is w.pages["cases"] and opened == [first, second]

    # A task that belongs to no case opens as itself, with no case to open.
    w.show_section("overview")
    tasks.setCurrentIndex(model.index(titles.index("Læs op på loven"), 0))
    qtbot.keyClick(tasks, Qt.Key_Return)
    settle()
    qtbot.waitUntil(lambda: dash.task_dialog.task.title == "Læs op på loven", timeout=3000)
    assert not dash.task_dialog.case_button.isVisible()
    dash.task_dialog.reject()
    assert w.stack.currentWidget() is dash and opened == [first, second]


# -- Rundbordssamtaler ---------------------------------------------------------------------------
def test_meetings_show_the_time_and_sort_by_date_and_time(qtbot, services, settle):
    coord = make_user(services, "coordinator", "mette")
    a = make_case(services, first_name="Anne", coordinator_id=coord.user_id)
    b = make_case(services, first_name="Bo", coordinator_id=coord.user_id)
    c = make_case(services, first_name="Cille", coordinator_id=coord.user_id)
    add_meeting(services, a, day=dt.date(2026, 12, 2), time=dt.time(9, 30))
    add_meeting(services, b, day=dt.date(2026, 11, 30), time=dt.time(14, 0))
    add_meeting(services, c, day=dt.date(2026, 11, 30), time=dt.time(9, 0))
    p = page(qtbot, MeetingsPage, services, coord, settle)
    assert p.model.headers[:2] == ["Dato", "Kl."]
    assert {(r[0], r[1], r[2]) for r in p.model.rows} == {
        ("02-12-2026", "09:30", "Anne Østergaard"), ("30-11-2026", "14:00", "Bo Østergaard"),
        ("30-11-2026", "09:00", "Cille Østergaard")}

    click_header(qtbot, p.view, 0)
    order = p.view.horizontalHeader().sortIndicatorOrder()
    expected = [("30-11-2026", "09:00"), ("30-11-2026", "14:00"), ("02-12-2026", "09:30")]  # by date, then time
    if order == Qt.DescendingOrder:
        expected.reverse()
    assert [(r[0], r[1]) for r in p.model.rows] == expected
    click_header(qtbot, p.view, 0)
    assert [(r[0], r[1]) for r in p.model.rows] == list(reversed(expected))
    # Each row still opens its own meeting's case after sorting.
    assert [p.model.key(r).citizen for r in range(3)] == [r[2] for r in p.model.rows]
    p.view.sortByColumn(1, Qt.AscendingOrder)
    assert [r[1] for r in p.model.rows] == ["09:00", "09:30", "14:00"]


def test_upcoming_meetings_hide_one_held_today(qtbot, services, settle, clock):
    coord = make_user(services, "coordinator", "mette")
    held = make_case(services, first_name="Holdt", coordinator_id=coord.user_id)
    later = make_case(services, first_name="Senere", coordinator_id=coord.user_id)
    earlier = make_case(services, first_name="Tidligere", coordinator_id=coord.user_id)
    now = local_now(clock())
    assert dt.time(0, 1) < now.time() < dt.time(23, 30)  # the premise: "now" lies between the two times
    add_meeting(services, held, day=now.date(), time=dt.time(23, 30), status="held")
    add_meeting(services, later, day=now.date(), time=dt.time(23, 30))
    add_meeting(services, earlier, day=now.date(), time=dt.time(0, 1))
    p = page(qtbot, MeetingsPage, services, coord, settle)
    assert p.upcoming.isChecked()
    assert [r[2] for r in p.model.rows] == ["Senere Østergaard"]
    p.upcoming.setChecked(False)
    settle()
    assert sorted(r[2] for r in p.model.rows) == ["Holdt Østergaard", "Senere Østergaard", "Tidligere Østergaard"]
    assert "Afholdt" in [r[5] for r in p.model.rows]


def test_double_clicking_a_meeting_opens_its_case(qtbot, services, settle, opened):
    coord = make_user(services, "coordinator", "mette")
    case_id = make_case(services, first_name="Anne", coordinator_id=coord.user_id)
    add_meeting(services, case_id, day=TODAY + dt.timedelta(days=3), time=dt.time(10, 0))
    w = window(qtbot, services, coord, settle)
    meetings = w.show_section("meetings")
    settle()
    double_click(qtbot, meetings.view, meetings.model.index(0, 2))
    settle()
    assert w.stack.currentWidget() is w.pages["cases"] and opened == [case_id]


# -- Casekonferencer -----------------------------------------------------------------------------
def test_conference_titles_are_whole_and_columns_sort(qtbot, services, settle):
    coord = make_user(services, "coordinator", "mette")
    case_ids = [make_case(services, first_name=f"N{i}", coordinator_id=coord.user_id) for i in range(12)]
    with services.db.write() as s:
        for held_on, items in ((dt.date(2026, 11, 3), 12), (dt.date(2026, 11, 10), 9), (dt.date(2026, 11, 17), 2)):
            conf = CaseConference(held_on=held_on, closed=True)
            s.add(conf)
            s.flush()
            for case_id in case_ids[:items]:
                s.add(ConferenceItem(conference_id=conf.id, case_id=case_id, reason="other", decision="Fortsæt"))
    for size in ((1280 - 176, 800), (1024 - 176, 700)):
        p = page(qtbot, ConferencesPage, services, coord, settle, size=size)
        assert_titles_whole(p.view)
        title = p.model.headers.index("Forløb på dagsordenen")
        assert p.view.horizontalHeader().sectionSize(title) >= header_width(p.view, title)
    p.view.sortByColumn(title, Qt.AscendingOrder)
    assert texts(p.model, title) == ["2", "9", "12"]  # by number, not as text ("12" < "2")


# -- Statistik -------------------------------------------------------------------------------------
# -- the case list -------------------------------------------------------------------------------
def make_list_cases(services, coordinator_id):
    names = [("Josefine Marie", "Jørgensen-Kristiansen"), ("Åse", "Østergaard"), ("Bo", "Li")]
    return [make_case(services, first_name=f, last_name=last, coordinator_id=coordinator_id, subgroup=i + 1)
            for i, (f, last) in enumerate(names)]


def assert_case_list_fits(cases: CaseListPage) -> None:
    table = cases.table
    header = table.horizontalHeader()
    assert not table.horizontalScrollBar().isVisible()
    for col in range(len(COLUMNS)):
        assert not header.isSectionHidden(col)
        assert header.sectionViewportPosition(col) >= 0
        assert header.sectionViewportPosition(col) + header.sectionSize(col) <= table.viewport().width(), COLUMNS[col]
    assert_titles_whole(table)


@pytest.mark.parametrize("size", [(1280, 800), (1024, 700)])
def test_case_list_shows_every_column_without_a_horizontal_scrollbar(qtbot, services, settle, size):
    coord = make_user(services, "coordinator", "mette", full_name="Søren Østergaard Bechmann-Nielsen")
    make_list_cases(services, coord.user_id)
    w = window(qtbot, services, coord, settle, size=size)
    cases = w.show_section("cases")
    settle()
    assert cases.model.rowCount() == 3
    assert_case_list_fits(cases)
    name = cases.table.horizontalHeader().sectionSize(0)
    assert name >= 110  # the names keep a fair share


def test_an_old_saved_column_layout_does_not_hide_the_last_column(qtbot, services, settle):
    coord = make_user(services, "coordinator", "mette")
    make_list_cases(services, coord.user_id)
    # What an earlier version saved: wide, interactive columns, the last one pushed out of sight.
    old = QTableView()
    qtbot.addWidget(old)
    model = ListTableModel([title for title, _k in COLUMNS])
    old.setModel(model)
    old.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
    for col, width in enumerate((400, 100, 105, 100, 150, 80, 95, 125)):
        old.setColumnWidth(col, width)
    old.horizontalHeader().hideSection(7)
    QSettings().setValue("caseList/header", old.horizontalHeader().saveState())
    w = window(qtbot, services, coord, settle, size=(1024, 700))
    cases = w.show_section("cases")
    settle()
    assert_case_list_fits(cases)
    assert QSettings().value("caseList/header") is None

    # A layout the user made is kept: the order and a width dragged by hand.
    header = cases.table.horizontalHeader()
    header.moveSection(header.visualIndex(2), 1)
    header.resizeSection(4, header.sectionSize(4) - 5)
    w.close()
    w2 = window(qtbot, services, coord, settle, size=(1280, 800))
    cases2 = w2.show_section("cases")
    settle()
    header2 = cases2.table.horizontalHeader()
    assert header2.logicalIndex(1) == 2
    assert cases2.fitter.preferred.get(4) == header.sectionSize(4)
    assert_case_list_fits(cases2)
    QSettings().remove("caseList/columns")


def test_case_list_model_passes_the_model_tester(qtbot, services, settle, qtmodeltester):
    coord = make_user(services, "coordinator", "mette")
    make_list_cases(services, coord.user_id)
    cases = page(qtbot, CaseListPage, services, coord, settle)
    assert cases.model.rowCount() == 3
    qtmodeltester.check(cases.model)
    settle()


def test_a_long_list_shows_every_case_and_scrolls_to_the_last(qtbot, services, settle):
    """The first screen of rows comes first; every other case follows, so the scroll bar covers the
    whole list, the count is right, and a sort starts again from its first screen."""
    coord = make_user(services, "coordinator", "mette")
    n = BLOCK * 2 + 17
    for i in range(n):
        make_case(services, first_name=f"Person{i:03d}", last_name="Holm", coordinator_id=coord.user_id)
    cases = page(qtbot, CaseListPage, services, coord, settle)
    assert cases.model.rowCount() == n
    assert cases.status_label.text().startswith(f"{n} forløb")
    cases._sorted("name", True)
    settle()
    assert cases.model.rowCount() == n
    assert cases.model.data(cases.model.index(0, 0)) == f"Person{n - 1:03d} Holm"
    cases.table.scrollToBottom()
    qtbot.waitUntil(lambda: cases.model.data(cases.model.index(n - 1, 0)) == "Person000 Holm", timeout=5000)
    settle()


def test_meeting_model_passes_the_model_tester(qtbot, services, settle, qtmodeltester):
    coord = make_user(services, "coordinator", "mette")
    case_id = make_case(services, coordinator_id=coord.user_id)
    add_meeting(services, case_id, day=TODAY + dt.timedelta(days=1), time=dt.time(10, 0))
    add_meeting(services, case_id, day=TODAY + dt.timedelta(days=2), time=None, n=2)
    p = page(qtbot, MeetingsPage, services, coord, settle)
    p.view.sortByColumn(0, Qt.DescendingOrder)
    qtmodeltester.check(p.model)


def test_empty_case_list_says_what_to_do_next(qtbot, services, settle):
    coord = make_user(services, "coordinator", "mette")
    psych = make_user(services, "psychologist", "signe")
    cases = page(qtbot, CaseListPage, services, coord, settle)
    assert cases.list_stack.currentWidget() is cases.empty
    assert "opret en henvisning med Ctrl+N" in cases.empty_text.text().replace("Opret", "opret")
    assert not cases.empty_clear.isVisible()
    make_case(services, first_name="Åse", coordinator_id=coord.user_id)
    qtbot.keyClicks(cases.search, "zzz")
    qtbot.waitUntil(lambda: "Ingen forløb matcher" in cases.empty_text.text(), timeout=3000)
    settle()
    assert cases.empty_clear.isVisible()
    qtbot.mouseClick(cases.empty_clear, Qt.LeftButton)
    settle()
    assert cases.search.text() == "" and cases.model.rowCount() == 1
    assert cases.list_stack.currentWidget() is cases.table
    other = page(qtbot, CaseListPage, services, psych, settle)
    other.open_target(CaseFilter(phase="closed"))
    settle()
    assert "Ingen forløb matcher" in other.empty_text.text()


# -- the main window -----------------------------------------------------------------------------
def test_ctrl_digits_switch_sections(qtbot, services, settle):
    coord = make_user(services, "coordinator", "mette")
    w = window(qtbot, services, coord, settle)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=2000)
    assert w.section_keys() == ["overview", "cases", "tasks", "conferences", "meetings", "deadlines", "statistics"]
    for i in reversed(range(len(w.section_keys()))):
        qtbot.keyClick(w, Qt.Key_1 + i, Qt.ControlModifier)
        settle()
        key = w.section_keys()[i]
        assert w.stack.currentWidget() is w.pages[key], key
    qtbot.keyClick(w, Qt.Key_F, Qt.ControlModifier)
    assert w.stack.currentWidget() is w.pages["cases"]
    qtbot.waitUntil(w.pages["cases"].search.hasFocus, timeout=2000)


def test_a_save_is_confirmed_in_the_status_bar(qtbot, services, settle):
    lead = make_user(services, "team_lead", "tove")
    a = make_user(services, "coordinator", "anna", full_name="Anna Berg")
    make_user(services, "coordinator", "bo", full_name="Bo Holm")
    make_case(services, first_name="Åse", coordinator_id=a.user_id)
    w = window(qtbot, services, lead, settle)
    cases = w.show_section("cases")
    settle()
    cases.reassign()
    dlg = cases.last_dialog
    settle()
    dlg.source.setCurrentIndex(dlg.source.findText("Anna Berg"))
    dlg.target.setCurrentIndex(dlg.target.findText("Bo Holm"))
    settle()
    assert dlg.cases.count() == 1
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    settle()
    assert w.statusBar().currentMessage() == "1 forløb er flyttet."
    assert texts(cases.model, 4) == ["Bo Holm"]
