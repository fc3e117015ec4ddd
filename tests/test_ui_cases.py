"""Drive the real case dialogs: referral (every kind of invalid input, then valid), visitation,
journal, closing, after-follow-up, the timeline, conflicts, caseload moves and the access log."""
from __future__ import annotations

import datetime as dt

import pdfplumber
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from db.models import Case, Citizen
from tests.factories import make_case, make_user, referral_input
from ui.app import make_application
from ui.dialogs.access_log import AccessLogDialog
from ui.dialogs.case_actions import AfterFollowUpDialog, CloseCaseDialog, ReassignDialog, VisitationDialog
from ui.dialogs.referral import ReferralDialog
from ui.pages.case_record import CaseRecord, OverviewTab
from ui.pages.journal import JournalTab, TimelineTab

pytestmark = pytest.mark.ui


@pytest.fixture
def backend():
    return "sqlite"


@pytest.fixture(autouse=True)
def _app(qapp):
    make_application()


def counts(services):
    with services.db.read() as s:
        return (s.scalar(select(func.count()).select_from(Case)), s.scalar(select(func.count()).select_from(Citizen)))


def type_into(qtbot, widget, text):
    widget.clear()
    if text:
        qtbot.keyClicks(widget, text)


def fill_valid(qtbot, dlg):
    f = dlg.fields
    for name, text in (("cpr", "741284-1234"), ("first_name", "Åse"), ("last_name", "Østergaard"),
                       ("postcode", "8000"), ("city", "Aarhus C"), ("referring_jobcentre", "Jobcenter Aarhus"),
                       ("caseworker_name", "Bente Lund"), ("employer_name", "Aarhus Kommune"),
                       ("referral_date", "10-11-2026"), ("sick_leave_start", "05-10-2026"), ("icd10", "F43.2"),
                       ("email", "")):
        type_into(qtbot, f[name], text)
    dlg.reason_boxes["stress"].setChecked(True)


def test_referral_dialog_rejects_each_invalid_input_then_creates(qtbot, services, clock):
    coord = make_user(services, "coordinator", "mette")
    dlg = ReferralDialog(services, coord)
    qtbot.addWidget(dlg)
    # Empty form: every required field is named.
    qtbot.mouseClick(dlg.save_button, Qt.LeftButton)
    msgs = dlg.errors.messages()
    for expected in ("CPR-nummer: skal udfyldes", "Fornavn: skal udfyldes", "Efternavn: skal udfyldes",
                     "Sygemeldt fra: skal udfyldes", "Henvisende jobcenter: skal udfyldes",
                     "Sagsbehandler: skal udfyldes", "Årsager til fravær: vælg mindst én årsag"):
        assert expected in msgs, msgs
    assert counts(services) == (0, 0)
    bad_inputs = [
        ("cpr", "12345", "CPR-nummer: skal være 10 cifre (ddmmåå-xxxx)"),
        ("cpr", "321384-1234", "CPR-nummer: datodelen (ddmmåå) er ikke en gyldig dato"),
        ("referral_date", "30-02-2026", "Henvisningsdato: skal være en gyldig dato som dd-mm-åååå"),
        ("referral_date", "01-12-2026", "Henvisningsdato: må ikke ligge i fremtiden"),
        ("sick_leave_start", "11-11-2026", "Sygemeldt fra: må ikke ligge efter henvisningsdatoen"),
        ("icd10", "F4x", "ICD-10-kode: 'F4x' er ikke en gyldig kode (fx F43.2)"),
        ("postcode", "80000", "Postnummer: skal være fire cifre"),
        ("email", "aase-at-post", "E-mail: er ikke en gyldig e-mailadresse"),
        ("employer_name", "", "Arbejdsgiver: skal udfyldes"),
    ]
    for field, text, message in bad_inputs:
        fill_valid(qtbot, dlg)
        type_into(qtbot, dlg.fields[field], text)
        qtbot.mouseClick(dlg.save_button, Qt.LeftButton)
        assert dlg.errors.messages() == [message], (field, dlg.errors.messages())
        assert dlg.fields[field].styleSheet() != ""  # the field itself is marked
        assert dlg.result() == 0 and counts(services) == (0, 0)
    fill_valid(qtbot, dlg)
    dlg.contact_fields["manager"][0].setText("Karen Holm")
    qtbot.mouseClick(dlg.save_button, Qt.LeftButton)
    assert dlg.result() == 1 and dlg.created_case_id and counts(services) == (1, 1)
    # The same CPR again: refused, naming the existing open case.
    again = ReferralDialog(services, coord)
    qtbot.addWidget(again)
    fill_valid(qtbot, again)
    qtbot.mouseClick(again.save_button, Qt.LeftButton)
    assert again.errors.messages() == ["CPR-nummer: borgeren har allerede et åbent forløb (TTA-2026-00001, "
                                       "koordinator Test Coordinator)"]
    again._cpr_entered()
    assert "Kendt borger: Åse Østergaard" in again.cpr_info.text()


def test_whole_course_through_the_record(qtbot, services, clock, monkeypatch):
    coord = make_user(services, "coordinator", "mette")
    dlg = ReferralDialog(services, coord)
    qtbot.addWidget(dlg)
    fill_valid(qtbot, dlg)
    # 61 years old and sick for 13 weeks at referral: outside the criteria.
    type_into(qtbot, dlg.fields["cpr"], "690165-1234")
    type_into(qtbot, dlg.fields["sick_leave_start"], "12-08-2026")
    qtbot.mouseClick(dlg.save_button, Qt.LeftButton)
    case_id = dlg.created_case_id
    record = CaseRecord(services, coord, case_id)
    qtbot.addWidget(record)
    assert record.buttons["visitate"].isVisibleTo(record) and not record.buttons["close"].isVisibleTo(record)

    visit = VisitationDialog(services, coord, case_id, record)
    qtbot.addWidget(visit)
    shown = [visit.criteria_table.model().rows[i][2] for i in range(4)]
    assert shown == ["Ikke opfyldt", "Ikke opfyldt", "Opfyldt", "Opfyldt"]
    qtbot.mouseClick(visit.ok_button, Qt.LeftButton)
    assert visit.errors.messages()[0].startswith("Begrundelse for optagelse uden for kriterierne: skal udfyldes")
    qtbot.keyClicks(visit.outside, "Erfaringsindsamling efter aftale med jobcentret")
    qtbot.mouseClick(visit.ok_button, Qt.LeftButton)
    assert visit.result() == 1
    record.reload(force=True)
    assert "Udredning" in record.header.text() and record.buttons["close"].isVisibleTo(record)

    journal = record.tab(JournalTab)
    record.tabs.setCurrentWidget(journal)
    qtbot.mouseClick(journal.add_button, Qt.LeftButton)
    assert journal.errors.messages() == ["Notat: skal udfyldes"]
    type_into(qtbot, journal.date, "20-11-2026")
    qtbot.keyClicks(journal.text, "Første samtale med borgeren. Aftalt arbejdspladsbesøg.")
    journal.sign_now.setChecked(True)
    qtbot.mouseClick(journal.add_button, Qt.LeftButton)
    assert journal.list.count() == 1 and "underskrevet" in journal.list.item(0).text()
    assert not record.has_unsaved_changes()
    # An unsigned note can be corrected by its author; a signed one cannot.
    qtbot.keyClicks(journal.text, "Telefon: borgeren aflyser.")
    qtbot.mouseClick(journal.add_button, Qt.LeftButton)
    journal.list.setCurrentRow(0)  # newest first: the unsigned note, same date, higher id
    assert journal.edit_button.isEnabled()
    qtbot.mouseClick(journal.edit_button, Qt.LeftButton)
    journal.text.setPlainText("Telefon: borgeren flytter samtalen til fredag.")
    qtbot.mouseClick(journal.add_button, Qt.LeftButton)
    assert "flytter samtalen til fredag" in journal.list.item(0).text()
    journal.list.setCurrentRow(1)
    assert not journal.edit_button.isEnabled() and journal.annotate_button.isEnabled()

    close = CloseCaseDialog(services, coord, case_id, version=record.detail.version, name=record.detail.name,
                            parent=record)
    qtbot.addWidget(close)
    close.fields["outcome"].setCurrentIndex(close.fields["outcome"].findData("part_time_return"))
    qtbot.mouseClick(close.ok_button, Qt.LeftButton)
    assert close.errors.messages() == ["Timer pr. uge: skal udfyldes ved raskmelding på deltid"]
    close.hours.setValue(20)
    asked = []
    answers = iter([QMessageBox.No, QMessageBox.Yes])
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda _p, _t, text, *a: asked.append(text)
                                                              or next(answers)))
    qtbot.mouseClick(close.ok_button, Qt.LeftButton)  # declined at the confirmation: nothing happens
    assert close.result() == 0 and services.cases.get_case(coord, case_id).phase == "assessment"
    qtbot.mouseClick(close.ok_button, Qt.LeftButton)
    assert "status 'Raskmeldt deltid'" in asked[1] and close.result() == 1
    record.reload(force=True)
    assert "Afsluttet" in record.header.text() and record.buttons["after"].isVisibleTo(record)

    clock.advance(days=93)
    afu = AfterFollowUpDialog(services, coord, case_id, months=[3, 6, 12], parent=record)
    qtbot.addWidget(afu)
    afu.fields["outcome"].setCurrentIndex(afu.fields["outcome"].findData("full_return"))
    qtbot.mouseClick(afu.ok_button, Qt.LeftButton)
    assert afu.result() == 1
    record.reload(force=True)
    record.tabs.setCurrentWidget(record.tab(TimelineTab))
    titles = [e.title for e in record.tab(TimelineTab).events]
    # The note is dated 20-11, before the visitation on 22-11: the timeline follows the dates.
    assert titles == ["Sygemeldt", "Henvisning modtaget", "Journalnotat (Telefon)", "Journalnotat (Telefon)",
                      "Visiteret", "Afsluttet", "Efteropfølgning 3 mdr."]


def test_overview_edit_validation_and_conflict_offer_reload(qtbot, services, monkeypatch):
    a = make_user(services, "coordinator", "anna")
    b = make_user(services, "team_lead", "bo")
    case_id = services.referrals.create_referral(a, referral_input())
    rec_a = CaseRecord(services, a, case_id)
    rec_b = CaseRecord(services, b, case_id)
    qtbot.addWidget(rec_a)
    qtbot.addWidget(rec_b)
    ov_a, ov_b = rec_a.tab(OverviewTab), rec_b.tab(OverviewTab)
    # A field error names the field; nothing is saved.
    type_into(qtbot, ov_a.inputs["caseworker_name"], "x" * 130)
    assert rec_a.has_unsaved_changes()
    ov_a.save()
    assert ov_a.errors.messages() == ["Sagsbehandler: må højst være 120 tegn"]
    assert services.cases.get_case(a, case_id).caseworker_name == "Bente Lund"
    type_into(qtbot, ov_a.inputs["caseworker_name"], "Bente Lund-Hansen")
    type_into(qtbot, ov_b.inputs["job_title"], "Afdelingsleder")
    assert ov_a.save() and not rec_a.has_unsaved_changes()
    asked = []

    def answer(parent, title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.Yes
    monkeypatch.setattr(QMessageBox, "question", staticmethod(answer))
    assert not ov_b.save()
    assert "En anden bruger har ændret forløbet" in asked[0] and "genindlæse" in asked[0]
    # Reloaded: B now sees A's change, and B's unsaved edit is gone rather than written over A's.
    assert ov_b.inputs["caseworker_name"].text() == "Bente Lund-Hansen"
    assert ov_b.inputs["job_title"].text() == "Pædagog" and not rec_b.has_unsaved_changes()


def test_unsaved_changes_warning_when_closing_the_record_tab(qtbot, services, monkeypatch):
    from ui.main_window import MainWindow
    coord = make_user(services, "coordinator", "anna")
    case_id = services.referrals.create_referral(coord, referral_input())
    window = MainWindow(services, coord, idle_minutes=10)
    qtbot.addWidget(window)
    page = window.show_section("cases")
    record = page.open_case(case_id)
    type_into(qtbot, record.tab(OverviewTab).inputs["job_title"], "Ny titel")
    assert page.tabs.tabText(1).endswith("*")
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.Cancel))
    page._close_tab(1)
    assert page.tabs.count() == 2  # kept, with the edit
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.Discard))
    page._close_tab(1)
    assert page.tabs.count() == 1


def test_team_lead_moves_caseload_in_one_action(qtbot, services, monkeypatch):
    anna = make_user(services, "coordinator", "anna")
    make_user(services, "coordinator", "bo")
    lead = make_user(services, "team_lead", "tove")
    for i in range(3):
        services.referrals.create_referral(anna, referral_input(cpr=f"{61 + i:02d}0380-123{i}", first_name=f"Navn{i}",
                                                          last_name=f"Efternavn{i}"))
    dlg = ReassignDialog(services, lead)
    qtbot.addWidget(dlg)
    dlg.source.setCurrentIndex(dlg.source.findText("Test Coordinator"))
    assert dlg.cases.count() == 3
    dlg.cases.item(0).setCheckState(Qt.Unchecked)
    dlg.target.setCurrentIndex([dlg.target.itemData(i) for i in range(dlg.target.count())].index(
        next(u.id for u in services.users.list_users(lead) if u.username == "bo")))
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    assert dlg.result() == 1 and dlg.moved == 2


def test_access_log_lists_reads_and_prints_pdf(qtbot, services, tmp_path):
    coord = make_user(services, "coordinator", "anna")
    lead = make_user(services, "team_lead", "tove")
    case_id = services.referrals.create_referral(coord, referral_input())
    services.cases.get_case(coord, case_id)
    services.cases.reveal_cpr(coord, case_id)
    record = CaseRecord(services, lead, case_id)
    qtbot.addWidget(record)
    dlg = AccessLogDialog(services, lead, case_id, record.detail, record)
    qtbot.addWidget(dlg)
    users = [r[1] for r in dlg.model.rows]
    actions = [r[2] for r in dlg.model.rows]
    assert {"anna", "tove"} <= set(users) and "Fuldt CPR vist" in actions and "Oprettet" in actions
    dlg.user.setCurrentIndex(dlg.user.findData("anna"))
    dlg.refresh()
    assert {r[1] for r in dlg.model.rows} == {"anna"}
    pdf = dlg.print_pdf(str(tmp_path / "log.pdf"))
    with pdfplumber.open(pdf) as doc:
        text = "\n".join(p.extract_text() for p in doc.pages)
    assert "Adgangslog" in text and "Åse Østergaard" in text and "anna" in text and "tove" not in text.split(
        "Udskrevet")[0]
    assert any(r.action == "print" for r in services.overview.audit_entries(lead, case_id=case_id))


def test_admin_finds_a_case_access_log_by_number_without_opening_the_case(qtbot, services):
    from ui.pages.admin import AccessLogTab, AdminPage
    coord = make_user(services, "coordinator", "anna")
    admin = make_user(services, "admin", "chef")
    case_id = services.referrals.create_referral(coord, referral_input())
    services.cases.get_case(coord, case_id)
    page = AdminPage(services, admin)
    qtbot.addWidget(page)
    tab = page.findChild(AccessLogTab)
    qtbot.keyClicks(tab.number, "tta-2026-99999")
    assert tab.show_log() is None and "intet forløb med nummeret 'TTA-2026-99999'" in tab.error.text()
    tab.number.setText("TTA-2026-00001")
    dlg = tab.show_log()
    qtbot.addWidget(dlg)
    assert "Åse Østergaard" in dlg.windowTitle()
    assert [r[1] for r in dlg.model.rows][-2:] == ["anna", "anna"]  # created, then read


def test_statistics_shows_outcomes_per_quarter_and_outside_criteria(qtbot, services):
    import datetime as dt

    from ui.pages.lists import StatisticsPage
    lead = make_user(services, "team_lead", "tove")
    for closed, outcome in ((dt.date(2026, 2, 1), "full_return"), (dt.date(2026, 5, 1), "still_sick"),
                            (dt.date(2026, 5, 2), "part_time_return")):
        cid = make_case(services, first_name=f"F{closed.day}{outcome[:3]}", referral_date=dt.date(2026, 1, 5),
                        sick_leave_start=dt.date(2025, 12, 1))
        v = services.cases.get_case(lead, cid).version
        services.closing.close_case(lead, cid, expected_version=v, closed_date=closed, outcome=outcome,
                                    final_hours_per_week=20 if outcome == "part_time_return" else None)
    page = StatisticsPage(services, lead)
    qtbot.addWidget(page)
    assert page.model.headers == ["Status", "2026 K1", "2026 K2", "I alt"]
    rows = {r[0]: r[1:] for r in page.model.rows}
    assert rows["Raskmeldt fuld tid"] == ["1 (100 %)", "–", "1 (33 %)"]
    assert rows["Raskmeldt deltid"] == ["–", "1 (50 %)", "1 (33 %)"]
    assert rows["Afsluttede i alt"] == ["1", "2", "3"]
    assert "67 %" in page.rate.text() and "af 3 afsluttede" in page.rate.text()


def test_opening_a_record_is_one_logged_read_and_tabs_load_when_shown(qtbot, services):
    coord = make_user(services, "coordinator", "anna")
    case_id = services.referrals.create_referral(coord, referral_input())
    services.journal.add_note(coord, case_id, note_date=dt.date(2026, 11, 20), kind="phone", text="Opkald")

    def reads():
        return [(r.entity, r.detail) for r in services.overview.audit_entries(
            make_user(services, "team_lead"), case_id=case_id, action="read")]
    record = CaseRecord(services, coord, case_id)
    qtbot.addWidget(record)
    assert reads() == [("tta_case", "")]
    journal = record.tab(JournalTab)
    assert journal.list.count() == 0  # not loaded until shown
    record.tabs.setCurrentWidget(journal)
    assert journal.list.count() == 1 and "Opkald" in journal.list.item(0).text()
    assert reads() == [("journal_note", ""), ("tta_case", "")]
