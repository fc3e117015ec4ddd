"""Drive the real case record: the whole course of a case through its dialogs and tabs, Stamdata
(Oversigt) as each role sees it, conflicts, unsaved changes, the timeline, and moving a caseload."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QLineEdit

from db.models import Case
from tests.factories import make_case, make_user, referral_input
from ui.dialogs.after_follow_up import AfterFollowUpDialog
from ui.dialogs.caseload import ReassignDialog
from ui.dialogs.closing import CloseCaseDialog
from ui.dialogs.referral import ReferralDialog
from ui.dialogs.visitation import VisitationDialog
from ui.pages.cases import CaseListPage
from ui.record.journal import JournalTab
from ui.record.overview import OverviewTab
from ui.record.record import CaseRecord
from ui.record.timeline import TimelineTab

pytestmark = [pytest.mark.ui, pytest.mark.sqlite_only]


def type_into(qtbot, widget, text):
    widget.clear()
    if text:
        qtbot.keyClicks(widget, text)


def click(qtbot, button, settle):
    qtbot.mouseClick(button, Qt.LeftButton)
    settle()


def open_record(qtbot, services, actor, case_id, settle) -> CaseRecord:
    record = CaseRecord(services, actor, case_id)
    qtbot.addWidget(record)
    settle()
    return record


def overview(record, settle) -> OverviewTab:
    tab = record.tab(OverviewTab)
    settle()
    return tab


def shown_inputs(tab: OverviewTab) -> set[str]:
    return {name for name, w in tab.inputs.items() if w.isVisibleTo(tab)}


def shown_value(tab: OverviewTab, name: str) -> str:
    label = tab.form.value_labels[name]
    assert label.isVisibleTo(tab), name
    return label.text().replace("\u00a0", " ")


def stored(services, case_id) -> Case:
    with services.db.read() as s:
        case = s.get(Case, case_id)
        s.expunge(case)
        return case


def test_whole_course_through_the_record(qtbot, services, clock, settle, answer):
    coord = make_user(services, "coordinator", "mette")
    dlg = ReferralDialog(services, coord)
    qtbot.addWidget(dlg)
    settle()
    # 61 years old and sick for 15 weeks at referral: outside the criteria.
    for name, text in (("cpr", "690165-1234"), ("first_name", "Åse"), ("last_name", "Østergaard"),
                       ("referring_jobcentre", "Jobcenter Aarhus"), ("caseworker_name", "Bente Lund"),
                       ("employer_name", "Aarhus Kommune"), ("referral_date", "10-11-2026"),
                       ("sick_leave_start", "28-07-2026")):
        type_into(qtbot, dlg.fields[name], text)
    dlg.fields["absence_reasons"].boxes["stress"].setChecked(True)
    dlg.fields["wage_earner"].setCurrentIndex(dlg.fields["wage_earner"].findText("Ja"))
    click(qtbot, dlg.save_button, settle)
    case_id = dlg.created_case_id
    assert case_id is not None
    record = open_record(qtbot, services, coord, case_id, settle)
    assert record.buttons["visitate"].isVisibleTo(record) and not record.buttons["close"].isVisibleTo(record)

    visit = VisitationDialog(services, coord, case_id, record)
    qtbot.addWidget(visit)
    settle()
    shown = [visit.criteria_table.model().rows[i][2] for i in range(4)]
    assert shown == ["Ikke opfyldt", "Ikke opfyldt", "Opfyldt", "Opfyldt"]
    click(qtbot, visit.ok_button, settle)
    assert visit.errors.messages()[0].startswith("Begrundelse for optagelse uden for kriterierne: skal udfyldes")
    qtbot.keyClicks(visit.outside, "Erfaringsindsamling efter aftale med jobcentret")
    click(qtbot, visit.ok_button, settle)
    assert visit.result() == 1
    record.reload(force=True)
    settle()
    assert "Udredning" in record.header.text() and record.buttons["close"].isVisibleTo(record)

    journal = record.tab(JournalTab)
    settle()
    click(qtbot, journal.add_button, settle)
    assert journal.errors.messages() == ["Notat: skal udfyldes"]
    type_into(qtbot, journal.date, "20-11-2026")
    qtbot.keyClicks(journal.text, "Første samtale med borgeren. Aftalt arbejdspladsbesøg.")
    journal.sign_now.setChecked(True)
    click(qtbot, journal.add_button, settle)
    assert journal.list.count() == 1 and "underskrevet" in journal.list.item(0).text()
    assert not record.has_unsaved_changes()
    # An unsigned note can be corrected by its author; a signed one cannot.
    qtbot.keyClicks(journal.text, "Telefon: borgeren aflyser.")
    click(qtbot, journal.add_button, settle)
    journal.list.setCurrentRow(0)  # newest first: the unsigned note, same date, higher id
    assert journal.edit_button.isEnabled()
    click(qtbot, journal.edit_button, settle)
    journal.text.setPlainText("Telefon: borgeren flytter samtalen til fredag.")
    click(qtbot, journal.add_button, settle)
    assert "flytter samtalen til fredag" in journal.list.item(0).text()
    journal.list.setCurrentRow(1)
    assert not journal.edit_button.isEnabled() and journal.annotate_button.isEnabled()

    close = CloseCaseDialog(services, coord, case_id, version=record.detail.version, name=record.detail.name,
                            parent=record)
    qtbot.addWidget(close)
    settle()
    close.fields["outcome"].setCurrentIndex(close.fields["outcome"].findData("part_time_return"))
    click(qtbot, close.ok_button, settle)
    assert close.errors.messages() == ["Timer pr. uge: skal udfyldes ved raskmelding på deltid"]
    close.hours.setValue(20)
    answer("no")
    click(qtbot, close.ok_button, settle)  # declined at the confirmation: nothing happens
    assert close.result() == 0 and stored(services, case_id).phase == "assessment"
    answer("yes")
    click(qtbot, close.ok_button, settle)
    assert "status 'Raskmeldt deltid'" in answer.asked[-1][1] and close.result() == 1
    record.reload(force=True)
    settle()
    assert "Afsluttet" in record.header.text() and record.buttons["after"].isVisibleTo(record)

    clock.advance(days=93)
    afu = AfterFollowUpDialog(services, coord, case_id, parent=record)
    qtbot.addWidget(afu)
    settle()
    afu.fields["outcome"].setCurrentIndex(afu.fields["outcome"].findData("full_return"))
    click(qtbot, afu.ok_button, settle)
    assert afu.result() == 1
    record.reload(force=True)
    settle()
    timeline = record.tab(TimelineTab)
    settle()
    titles = [e.title for e in timeline.events]
    # The note is dated 20-11, before the visitation on 22-11: the timeline follows the dates.
    assert titles == ["Sygemeldt", "Henvisning modtaget", "Journalnotat (Telefon)", "Journalnotat (Telefon)",
                      "Visiteret", "Afsluttet", "Efteropfølgning 3 mdr."]


def test_two_users_record_the_same_after_follow_up_the_second_is_told(qtbot, services, settle, answer, clock):
    coord, lead = make_user(services, "coordinator", "anna"), make_user(services, "team_lead", "bo")
    case_id = services.referrals.create_referral(coord, referral_input())
    services.visitation.visitate(coord, case_id, expected_version=1, accepted=True)
    services.closing.close_case(coord, case_id, expected_version=services.cases.get_case(coord, case_id).version,
                                closed_date=clock().date(), outcome="still_sick")
    clock.advance(days=93)
    dialogs = {}
    for who, actor, outcome in (("anna", coord, "full_return"), ("bo", lead, "rehabilitation")):
        dialogs[who] = AfterFollowUpDialog(services, actor, case_id)
        qtbot.addWidget(dialogs[who])
        settle()
        dialogs[who].fields["outcome"].setCurrentIndex(dialogs[who].fields["outcome"].findData(outcome))
    click(qtbot, dialogs["anna"].ok_button, settle)
    assert dialogs["anna"].result() == 1
    answer("ok")
    click(qtbot, dialogs["bo"].ok_button, settle)
    assert "En anden bruger har ændret efteropfølgningen" in answer.asked[-1][1] and dialogs["bo"].result() == 0
    assert services.after_follow_up.list_for_case(coord, case_id)[0].outcome == "Raskmeldt fuld tid"


def test_overview_edit_validation_and_conflict_offer_reload(qtbot, services, settle, answer):
    a = make_user(services, "coordinator", "anna")
    b = make_user(services, "team_lead", "bo")
    case_id = services.referrals.create_referral(a, referral_input())
    rec_a = open_record(qtbot, services, a, case_id, settle)
    rec_b = open_record(qtbot, services, b, case_id, settle)
    ov_a, ov_b = overview(rec_a, settle), overview(rec_b, settle)
    # A field error names the field; nothing is saved.
    type_into(qtbot, ov_a.inputs["caseworker_email"], "bente-at-jobcenter")
    assert rec_a.has_unsaved_changes()
    ov_a.save()
    settle()
    assert ov_a.form.errors.messages() == ["Sagsbehandlers e-mail: er ikke en gyldig e-mailadresse"]
    assert ov_a.inputs["caseworker_email"].styleSheet() != ""
    assert stored(services, case_id).caseworker_email == ""
    # Corrected: the mark goes at once, and the save goes through.
    type_into(qtbot, ov_a.inputs["caseworker_email"], "bente@jobcenter.example")
    assert ov_a.form.errors.messages() == [] and ov_a.inputs["caseworker_email"].styleSheet() == ""
    type_into(qtbot, ov_a.inputs["caseworker_name"], "Bente Lund-Hansen")
    type_into(qtbot, ov_b.inputs["job_title"], "Afdelingsleder")
    ov_a.save()
    settle()
    assert not rec_a.has_unsaved_changes() and stored(services, case_id).caseworker_name == "Bente Lund-Hansen"
    answer("yes")
    ov_b.save()
    settle()
    title, text = answer.asked[-1]
    assert "En anden bruger har ændret forløbet" in text and "genindlæse" in text
    assert stored(services, case_id).job_title == "Pædagog"
    # Reloaded: B now sees A's change, and B's unsaved edit is gone rather than written over A's.
    assert ov_b.inputs["caseworker_name"].text() == "Bente Lund-Hansen"
    assert ov_b.inputs["job_title"].text() == "Pædagog" and not rec_b.has_unsaved_changes()


def test_unsaved_changes_warning_when_closing_the_record_tab(qtbot, services, settle, answer):
    coord = make_user(services, "coordinator", "anna")
    case_id = services.referrals.create_referral(coord, referral_input())
    page = CaseListPage(services, coord)
    qtbot.addWidget(page)
    settle()
    record = page.open_case(case_id)
    settle()
    tab = overview(record, settle)
    type_into(qtbot, tab.inputs["job_title"], "Ny titel")
    assert page.tabs.tabText(1).endswith("*")
    answer("no")
    page._close_tab(1)
    assert page.open_records() == [record] and answer.asked[-1][0] == "Ikke gemte ændringer"  # kept, with the edit
    assert tab.inputs["job_title"].text() == "Ny titel"
    answer("yes")
    page._close_tab(1)
    assert page.open_records() == [] and page.tabs.currentIndex() == 0


def test_team_lead_moves_caseload_in_one_action(qtbot, services, settle):
    anna = make_user(services, "coordinator", "anna")
    bo = make_user(services, "coordinator", "bo", full_name="Bo Holm")
    lead = make_user(services, "team_lead", "tove")
    for i in range(3):
        services.referrals.create_referral(anna, referral_input(cpr=f"{61 + i:02d}0380-123{i}", first_name=f"Navn{i}",
                                                                last_name=f"Efternavn{i}"))
    dlg = ReassignDialog(services, lead)
    qtbot.addWidget(dlg)
    settle()
    dlg.source.setCurrentIndex(dlg.source.findText("Test Coordinator"))
    settle()
    assert dlg.cases.count() == 3
    dlg.cases.item(0).setCheckState(Qt.Unchecked)
    dlg.target.setCurrentIndex(dlg.target.findData(bo.user_id))
    click(qtbot, dlg.ok_button, settle)
    assert dlg.result() == 1 and dlg.moved == 2
    with services.db.read() as s:
        owners = sorted(c.coordinator_id for c in s.query(Case))
    assert owners == sorted([anna.user_id, bo.user_id, bo.user_id])


def test_opening_a_record_is_one_logged_read_and_tabs_load_when_shown(qtbot, services, settle):
    coord = make_user(services, "coordinator", "anna")
    lead = make_user(services, "team_lead")
    case_id = services.referrals.create_referral(coord, referral_input())
    services.journal.add_note(coord, case_id, note_date=dt.date(2026, 11, 20), kind="phone", text="Opkald")

    def reads():
        # The record's reads of the case; reading the log is logged too, and is left out here.
        return [(r.entity, r.detail) for r in services.audit_log.entries(lead, case_id=case_id, action="read")
                if r.entity != "audit_log"]
    record = open_record(qtbot, services, coord, case_id, settle)
    assert reads() == [("tta_case", "")]
    assert JournalTab not in record.tab_widgets  # not built, not loaded until shown
    journal = record.tab(JournalTab)
    settle()
    assert journal.list.count() == 1 and "Opkald" in journal.list.item(0).text()
    assert reads() == [("journal_note", ""), ("tta_case", "")]


def test_a_record_built_ahead_shows_only_the_case_opened_and_saves_to_it(qtbot, services, settle):
    """The list builds a spare record while the user reads; it reads no case until one is opened, and
    a second case opened into the next spare shows that case's values, not the first one's."""
    coord = make_user(services, "coordinator", "anna")
    lead = make_user(services, "team_lead")
    first = make_case(services, first_name="Åse", last_name="Holm", coordinator_id=coord.user_id)
    second = make_case(services, first_name="Bo", last_name="Berg", coordinator_id=coord.user_id)
    page = CaseListPage(services, coord)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(page.spare_ready, timeout=5000)
    settle()
    def case_reads():
        return sorted(e.case_number for e in services.audit_log.entries(lead, action="read")
                      if e.entity == "tta_case")
    assert case_reads() == []  # nothing read ahead
    spare = page._spare
    # Built in a hidden tab: not an open record, and nothing on screen but the list.
    assert page.open_records() == [] and page.tabs.currentIndex() == 0
    assert not page.tabs.isTabVisible(page.tabs.indexOf(spare))
    record = page.open_case(first)
    assert record is spare and page.tabs.currentWidget() is record
    index = page.tabs.indexOf(record)
    assert page.tabs.isTabVisible(index) and page.tabs.tabText(index) == "Åse Holm"
    qtbot.waitUntil(record.ready, timeout=5000)
    tab = record.tab(OverviewTab)
    type_into(qtbot, tab.inputs["job_title"], "Lærer")
    tab.save()
    settle()
    qtbot.waitUntil(page.spare_ready, timeout=5000)
    page._close_tab(page.tabs.indexOf(record))
    assert page.open_records() == [] and page.tabs.currentIndex() == 0  # the list, not the hidden spare
    record = page.open_case(second)
    assert record is not spare
    qtbot.waitUntil(record.ready, timeout=5000)
    tab = record.tab(OverviewTab)
    assert record.case_id == tab.case_id == second and "Bo Berg" in record.header.text()
    assert tab.inputs["job_title"].text() == ""
    type_into(qtbot, tab.inputs["job_title"], "Pædagog")
    tab.save()
    settle()
    assert (stored(services, first).job_title, stored(services, second).job_title) == ("Lærer", "Pædagog")
    # Each opened and read again after its save; no other case was read.
    assert set(case_reads()) == {stored(services, first).case_number, stored(services, second).case_number}


# -- Oversigt as each role sees it -----------------------------------------------------------------

def test_only_the_team_lead_may_give_the_case_another_coordinator(qtbot, services, settle):
    anna = make_user(services, "coordinator", "anna", full_name="Anna Berg")
    bo = make_user(services, "coordinator", "bo", full_name="Bo Holm")
    lead = make_user(services, "team_lead", "tove")
    case_id = services.referrals.create_referral(anna, referral_input())
    tab = overview(open_record(qtbot, services, anna, case_id, settle), settle)
    assert "coordinator_id" not in shown_inputs(tab) and "job_title" in shown_inputs(tab)
    assert shown_value(tab, "coordinator_id") == "Anna Berg"
    tab = overview(open_record(qtbot, services, lead, case_id, settle), settle)
    combo = tab.inputs["coordinator_id"]
    assert "coordinator_id" in shown_inputs(tab) and combo.currentText() == "Anna Berg"
    combo.setCurrentIndex(combo.findData(bo.user_id))
    tab.save()
    settle()
    assert stored(services, case_id).coordinator_id == bo.user_id


def test_the_phase_shows_the_true_phase_unless_it_may_be_set(qtbot, services, settle):
    coord = make_user(services, "coordinator", "anna")
    new = make_case(services, phase="referral", coordinator_id=coord.user_id)
    closed = make_case(services, phase="intervention", coordinator_id=coord.user_id, first_name="Lone")
    version = services.cases.get_case(coord, closed).version
    services.closing.close_case(coord, closed, expected_version=version, closed_date=services.cases.today(),
                                outcome="full_return")
    open_ = make_case(services, phase="plan", coordinator_id=coord.user_id, first_name="Jens")
    for case_id, phase in ((new, "Henvisning"), (closed, "Afsluttet")):
        tab = overview(open_record(qtbot, services, coord, case_id, settle), settle)
        assert "phase" not in shown_inputs(tab) and shown_value(tab, "phase") == phase
    tab = overview(open_record(qtbot, services, coord, open_, settle), settle)
    combo = tab.inputs["phase"]
    assert "phase" in shown_inputs(tab) and combo.currentText() == "Handlingsplan"
    assert [combo.itemText(i) for i in range(combo.count())] == ["Udredning", "Handlingsplan", "Indsats",
                                                                 "Opfølgning"]


def test_a_role_that_may_only_read_sees_values_and_no_buttons(qtbot, services, settle):
    coord = make_user(services, "coordinator", "anna", full_name="Anna Berg")
    psych = make_user(services, "psychologist", "signe", full_name="Signe Dahl")
    case_id = services.referrals.create_referral(coord, referral_input(phone="20 30 40 50"))
    version = services.cases.get_case(coord, case_id).version
    services.cases.update_case(coord, case_id, expected_version=version, changes={"team_member_ids": [psych.user_id]})
    tab = overview(open_record(qtbot, services, psych, case_id, settle), settle)
    assert shown_inputs(tab) == set() and tab.save_button is None
    assert [w for w in tab.findChildren(QLineEdit) if w.isVisibleTo(tab)] == []
    assert shown_value(tab, "employer_name") == "Aarhus Kommune"
    assert shown_value(tab, "phone") == "20 30 40 50"
    assert shown_value(tab, "employment_status") == "I ansættelse"
    assert shown_value(tab, "team_member_ids") == "Signe Dahl"
    assert shown_value(tab, "wage_earner") == "Ja"
    # A phone number is one unbreakable value: it never wraps in the middle.
    assert "\u00a0" in tab.form.value_labels["phone"].text()
    assert not tab.has_unsaved_changes()


def test_the_sick_leave_week_stops_at_closing(qtbot, services, clock, settle):
    coord = make_user(services, "coordinator", "anna")
    case_id = make_case(services, phase="intervention", coordinator_id=coord.user_id,
                        sick_leave_start=dt.date(2026, 9, 1))
    tab = overview(open_record(qtbot, services, coord, case_id, settle), settle)
    open_week = tab.state["sick_weeks"].text()
    version = services.cases.get_case(coord, case_id).version
    services.closing.close_case(coord, case_id, expected_version=version, closed_date=services.cases.today(),
                                outcome="full_return")
    clock.advance(days=60)
    tab = overview(open_record(qtbot, services, coord, case_id, settle), settle)
    closed_week = tab.state["sick_weeks"].text().replace("\u00a0", " ")
    assert closed_week == open_week.replace("\u00a0", " ") + " (ved afslutningen)"


@pytest.mark.parametrize("window", [(1280, 800), (1024, 700)])
def test_the_record_fits_without_sideways_scrolling(qtbot, services, settle, window):
    lead = make_user(services, "team_lead", "tove")
    for i in range(9):
        make_user(services, "physiotherapist", f"fys{i}", full_name=f"Rasmus Brøndum Kjærsgaard {i}")
    case_id = services.referrals.create_referral(lead, referral_input(
        address="Kettegård Allé 30, 1. tv., 2650 Hvidovre", employer_name="Region Hovedstaden, Hvidovre Hospital"))
    record = open_record(qtbot, services, lead, case_id, settle)
    # The record sits beside the navigation list and inside the page's margins.
    record.resize(window[0] - 240, window[1] - 150)
    record.show()
    tab = overview(record, settle)
    qtbot.waitUntil(lambda: tab.scroll.viewport().width() > 0)
    viewport = tab.scroll.viewport()
    assert tab.scroll.horizontalScrollBar().maximum() == 0
    for title, box in tab.form.boxes.items():
        right = box.mapTo(tab.form, QPoint(box.width(), 0)).x()
        assert right <= viewport.width(), (title, right, viewport.width())
    # The team list has its natural height: no scrolling list inside the scrolling page.
    team = tab.inputs["team_member_ids"]
    assert not isinstance(team, QAbstractScrollArea) and not team.findChildren(QAbstractScrollArea)
    for box in team.boxes.values():
        assert team.rect().contains(box.geometry()), box.text()


def test_ctrl_s_saves_and_says_so_and_the_tab_title_marks_unsaved_edits(qtbot, services, settle):
    coord = make_user(services, "coordinator", "anna")
    case_id = services.referrals.create_referral(coord, referral_input())
    page = CaseListPage(services, coord)
    qtbot.addWidget(page)
    page.show()
    settle()
    record = page.open_case(case_id)
    settle()
    tab = overview(record, settle)
    statuses = []
    record.status.connect(statuses.append)
    assert not page.tabs.tabText(1).endswith("*") and not tab.save_button.isEnabled()
    tab.inputs["job_title"].setFocus()
    type_into(qtbot, tab.inputs["job_title"], "Afdelingsleder")
    assert page.tabs.tabText(1).endswith("*") and tab.save_button.isEnabled()
    qtbot.keyClick(tab.inputs["job_title"], Qt.Key_S, Qt.ControlModifier)
    settle()
    assert stored(services, case_id).job_title == "Afdelingsleder"
    assert statuses == ["Ændringerne er gemt."]
    assert not page.tabs.tabText(1).endswith("*") and not tab.save_button.isEnabled()


def test_the_timeline_shows_the_sick_leave_week_and_whole_lines(qtbot, services, settle):
    coord = make_user(services, "coordinator", "anna")
    case_id = make_case(services, coordinator_id=coord.user_id, sick_leave_start=dt.date(2026, 9, 1),
                        referral_date=dt.date(2026, 10, 1))
    long_note = "Samtale med borgeren om arbejdspladsen, lederen og de aftaler, der skal gælde fremover. " * 2
    services.journal.add_note(coord, case_id, note_date=dt.date(2026, 8, 20), kind="phone", text="Før sygemelding")
    services.journal.add_note(coord, case_id, note_date=dt.date(2026, 10, 14), kind="meeting", text=long_note)
    record = open_record(qtbot, services, coord, case_id, settle)
    record.resize(800, 600)
    record.show()
    tab = record.tab(TimelineTab)
    settle()
    rows = {r[2] + r[3][:10]: r[1] for r in tab.model.rows}
    events = {e.title + e.detail[:10]: e for e in tab.events}
    for key, event in events.items():
        assert rows[key] == (f"uge {event.sick_week}" if event.sick_week else "")
    assert rows["Journalnotat (Telefon)Før sygeme"] == ""  # before the first day of absence
    assert rows["Sygemeldt"] == "uge 1"
    view = tab.view
    for width in (760, 520):
        record.resize(width, 600)
        qtbot.wait(10)
        for row in range(tab.model.rowCount()):
            assert view.rowHeight(row) >= view.sizeHintForRow(row), (width, tab.model.rows[row])
