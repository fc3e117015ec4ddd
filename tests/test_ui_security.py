"""Security as a user meets it: stating a reason to open a case one is not on, a password that must
be changed first, an unlock that takes a new session, a refused session back at the login, and the
team lead's and administrator's views of the access log's safety."""
from __future__ import annotations

import pdfplumber
import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from app.services.base import Actor
from db.models import AuditEntry, CaseAccessGrant, User
from tests.factories import make_case, make_user
from tests.ui_helpers import log_in, start_app
from ui.app import AppFlow
from ui.main_window import MainWindow
from ui.pages.admin import AdminPage
from ui.pages.admin.access_review import AccessReviewTab
from ui.pages.admin.audit_integrity import AuditIntegrityTab
from ui.record.record import CaseRecord

pytestmark = [pytest.mark.ui, pytest.mark.sqlite_only]


def _start_and_log_in(qtbot, db_url, settle, username: str, password: str) -> AppFlow:
    flow, _ended = start_app(qtbot, db_url)
    log_in(qtbot, flow, settle, username, password)
    return flow


def test_a_case_one_is_not_on_opens_only_with_a_stated_reason(qtbot, services, settle):
    coord = make_user(services, "coordinator", "mette")
    psych = make_user(services, "psychologist", "pia", full_name="Pia Psykolog")
    lead = make_user(services, "team_lead", "tove")
    case_id = make_case(services, coordinator_id=coord.user_id)
    record = CaseRecord(services, psych, case_id, summary="Mette Østergaard (TTA-T-1)")
    qtbot.addWidget(record)
    closed = []
    record.closed.connect(lambda: closed.append(True))
    settle()
    dlg = record.last_dialog
    assert dlg.windowTitle() == "Begrund adgang" and record.detail is None
    # An empty reason is refused on the field, and nothing is granted.
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    settle()
    assert any("Begrundelse" in m for m in dlg.errors.messages())
    with services.db.read() as s:
        assert s.scalars(select(CaseAccessGrant)).all() == []
    qtbot.keyClicks(dlg.reason, "Dækker for koordinatoren under ferie")
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    settle()
    assert record.detail is not None and record.detail.id == case_id and closed == []
    # The team lead sees the reason in Administration.
    page = AdminPage(services, lead)
    qtbot.addWidget(page)
    tab = page.show_tab(AccessReviewTab)
    settle()
    assert tab.model.rowCount() == 1
    row = [tab.model.data(tab.model.index(0, c)) for c in range(tab.model.columnCount())]
    assert "Pia Psykolog" in row[1] and row[3] == "Dækker for koordinatoren under ferie"


def test_declining_to_state_a_reason_closes_the_record(qtbot, services, settle):
    coord = make_user(services, "coordinator", "mette")
    doctor = make_user(services, "doctor", "lars")
    case_id = make_case(services, coordinator_id=coord.user_id)
    record = CaseRecord(services, doctor, case_id)
    qtbot.addWidget(record)
    closed = []
    record.closed.connect(lambda: closed.append(True))
    settle()
    record.last_dialog.reject()
    assert closed == [True] and record.detail is None


def test_a_reset_password_must_be_changed_before_the_main_window(qtbot, db_url, services, settle):
    admin = make_user(services, "admin", "anne")
    user = make_user(services, "coordinator", "mette")
    services.users.reset_password(admin, user.user_id, "midlertidig123")
    flow = _start_and_log_in(qtbot, db_url, settle, "mette", "midlertidig123")
    settle()
    assert flow.window is None
    dlg = flow.password_dialog
    assert dlg.isVisible() and dlg.fields["old_password"].text() == "midlertidig123"
    qtbot.keyClicks(dlg.fields["new_password"], "minegenkode1")
    qtbot.keyClicks(dlg.fields["repeat"], "minegenkode2")
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    settle()
    assert flow.window is None and any("Gentag" in m for m in dlg.errors.messages())
    dlg.fields["repeat"].clear()
    qtbot.keyClicks(dlg.fields["repeat"], "minegenkode1")
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: flow.window is not None, timeout=10000)
    qtbot.addWidget(flow.window)
    assert not flow.window.actor.must_change_password
    with services.db.read() as s:
        assert s.scalar(select(User.must_change_password).where(User.username == "mette")) is False
    flow.window.close()
    flow.services.close()


def test_unlocking_takes_a_new_session_that_every_screen_uses(qtbot, services, settle):
    coord = make_user(services, "coordinator", "mette")
    case_id = make_case(services, coordinator_id=coord.user_id)
    window = MainWindow(services, coord, idle_minutes=10)
    qtbot.addWidget(window)
    window.show()
    page = window.show_section("cases")
    record = page.open_case(case_id)
    settle()
    old_token = coord.session_token
    window.lock(reason="manual")
    qtbot.keyClicks(window.lock_dialog.password, "hemmelig123")
    qtbot.mouseClick(window.lock_dialog.login_button, Qt.LeftButton)
    settle()
    assert not window.locked and coord.session_token != old_token
    # The old session is over; the open record goes on with the new one.
    stale = Actor(coord.user_id, coord.username, coord.full_name, coord.role, session_token=old_token)
    from app.errors import SessionInvalid
    with pytest.raises(SessionInvalid):
        services.cases.get_case(stale, case_id)
    record.reload(force=True)
    settle()
    assert record.detail.id == case_id


def test_a_demoted_user_is_sent_back_to_the_login(qtbot, db_url, services, settle, answer):
    admin = make_user(services, "admin", "anne")
    make_user(services, "coordinator", "mette")
    flow = _start_and_log_in(qtbot, db_url, settle, "mette", "hemmelig123")
    qtbot.waitUntil(lambda: flow.window is not None, timeout=10000)
    window = flow.window
    qtbot.addWidget(window)
    settle()
    with services.db.read() as s:
        row = s.execute(select(User.id, User.version, User.full_name).where(User.username == "mette")).one()
    services.users.update_user(admin, row.id, expected_version=row.version, full_name=row.full_name,
                               role="psychologist", email="", active=True)
    answer("ok")
    window.show_section("cases")
    settle()
    assert ("Log ind igen", "Din session er ikke længere gyldig. Log ind igen.") in answer.asked
    assert flow.window is None and flow.login is not None and flow.login.isVisible()
    qtbot.addWidget(flow.login)
    flow.services.close()


def test_the_access_log_check_and_the_citizens_extract_in_administration(qtbot, services, settle, tmp_path):
    admin = make_user(services, "admin", "anne")
    coord = make_user(services, "coordinator", "mette")
    case_id = make_case(services, first_name="Åse", last_name="Ærbøl", coordinator_id=coord.user_id)
    services.cases.get_case(coord, case_id)
    page = AdminPage(services, admin)
    qtbot.addWidget(page)
    tab = page.show_tab(AuditIntegrityTab)
    qtbot.mouseClick(tab.verify_button, Qt.LeftButton)
    settle()
    assert tab.result.text().startswith("✔ Adgangsloggen er intakt")
    # Someone edits the log behind the app's back: the check names it.
    with services.db.write() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "read")).first()
        entry.username = "en anden"
    qtbot.mouseClick(tab.verify_button, Qt.LeftButton)
    settle()
    assert tab.result.text().startswith("✘ Adgangsloggen er brudt")
    # The extract for a citizen: an unknown one is marked on the field, a known one is saved.
    tab.citizen.setText("TTA-0000-99999")
    tab.export(tmp_path / "x.pdf")
    settle()
    assert any("Borger" in m for m in tab.errors.messages())
    with services.db.read() as s:
        from db.models import Case
        number = s.get(Case, case_id).case_number
    tab.citizen.setText(number)
    tab.export(tmp_path / "udtraek.pdf")
    settle()
    with pdfplumber.open(tmp_path / "udtraek.pdf") as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    assert "Åse Ærbøl" in text and number in text


def test_a_broken_audit_log_is_reported_at_start_to_who_may_read_it(qtbot, db_url, services, settle, answer):
    make_user(services, "team_lead", "tove")
    coord = make_user(services, "coordinator", "mette")
    services.cases.get_case(coord, make_case(services, coordinator_id=coord.user_id))
    with services.db.write() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "read")).first()
        s.delete(entry)
    answer("ok")
    flow = _start_and_log_in(qtbot, db_url, settle, "tove", "hemmelig123")
    qtbot.waitUntil(lambda: flow.window is not None, timeout=10000)
    qtbot.addWidget(flow.window)
    settle()
    assert [title for title, _text in answer.asked] == ["Adgangsloggen"]
    assert "Loggens sikkerhed" in answer.asked[0][1]
    flow.window.close()
    flow.services.close()


def test_a_renamed_user_is_sent_back_to_the_login(qtbot, db_url, services, settle, answer):
    admin = make_user(services, "admin", "anne")
    make_user(services, "coordinator", "mette", full_name="Mette Holm")
    flow = _start_and_log_in(qtbot, db_url, settle, "mette", "hemmelig123")
    qtbot.waitUntil(lambda: flow.window is not None, timeout=10000)
    qtbot.addWidget(flow.window)
    settle()
    with services.db.read() as s:
        row = s.execute(select(User.id, User.version, User.role).where(User.username == "mette")).one()
    services.users.update_user(admin, row.id, expected_version=row.version, full_name="Mette Nyt-Navn",
                               role=row.role, email="", active=True)
    answer("ok")
    flow.window.show_section("cases")
    settle()
    assert ("Log ind igen", "Din session er ikke længere gyldig. Log ind igen.") in answer.asked
    assert flow.window is None and flow.login is not None and flow.login.isVisible()
    qtbot.addWidget(flow.login)
    flow.services.close()


def test_an_unlock_after_a_rename_opens_a_new_window_with_the_name_as_stored(qtbot, services, settle):
    admin = make_user(services, "admin", "anne")
    coord = make_user(services, "coordinator", "mette", full_name="Mette Holm")
    window = MainWindow(services, coord, idle_minutes=10)
    qtbot.addWidget(window)
    window.show()
    settle()
    renewed = []
    window.role_changed.connect(renewed.append)
    window.lock(reason="manual")
    with services.db.read() as s:
        row = s.execute(select(User.id, User.version, User.role).where(User.username == "mette")).one()
    services.users.update_user(admin, row.id, expected_version=row.version, full_name="Mette Nyt-Navn",
                               role=row.role, email="", active=True)
    qtbot.keyClicks(window.lock_dialog.password, "hemmelig123")
    qtbot.mouseClick(window.lock_dialog.login_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: bool(renewed), timeout=10000)
    assert renewed[0].full_name == "Mette Nyt-Navn"
    assert services.team.members(renewed[0])   # the new Actor's claim is the account as stored


def test_an_unlock_that_must_change_the_password_asks_for_it_first(qtbot, services, settle):
    admin = make_user(services, "admin", "anne")
    coord = make_user(services, "coordinator", "mette")
    window = MainWindow(services, coord, idle_minutes=10)
    qtbot.addWidget(window)
    window.show()
    settle()
    window.lock(reason="manual")
    services.users.reset_password(admin, coord.user_id, "midlertidig123")   # while the screen is locked
    qtbot.keyClicks(window.lock_dialog.password, "midlertidig123")
    qtbot.mouseClick(window.lock_dialog.login_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.password_dialog is not None and window.password_dialog.isVisible(),
                    timeout=10000)
    assert window.locked and not window.centralWidget().isVisible()   # no data before the new password
    dlg = window.password_dialog
    assert dlg.fields["old_password"].text() == "midlertidig123"
    qtbot.keyClicks(dlg.fields["new_password"], "minegenkode1")
    qtbot.keyClicks(dlg.fields["repeat"], "minegenkode1")
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not window.locked, timeout=10000)
    assert window.centralWidget().isVisible()
    assert services.team.members(coord)   # the window's Actor goes on with the unlocked session
    with services.db.read() as s:
        assert s.scalar(select(User.must_change_password).where(User.username == "mette")) is False
