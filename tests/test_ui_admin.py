"""Drive the real Administration page and the access-log dialog: users, catalogues, settings, the
access log on screen and as a PDF, and the first-start administrator form."""
from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pdfplumber
import pytest
from PySide6.QtCore import QSettings, QStandardPaths, Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton
from shiboken6 import isValid

from tests.factories import make_user, referral_input
from ui.dialogs.access_log import AccessLogDialog
from ui.dialogs.login import FirstAdminDialog
from ui.pages.admin import AdminPage
from ui.pages.admin.access_log import AccessLogTab
from ui.pages.admin.catalogs import CatalogsTab
from ui.pages.admin.settings import SettingsTab
from ui.pages.admin.users import UsersTab

pytestmark = [pytest.mark.ui, pytest.mark.sqlite_only]


def click(qtbot, button: QPushButton) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.LeftButton)


def closed(dlg) -> bool:
    """The dialog is gone (closed dialogs are deleted)."""
    return not isValid(dlg) or not dlg.isVisible()


def red_border(widget) -> bool:
    """The error marking's style rule selects this very widget (a name with a dot would select nothing)."""
    name = widget.objectName()
    return bool(re.fullmatch(r"\w+", name)) and widget.styleSheet().startswith(f"#{name} {{")


def type_into(qtbot, widget, text: str) -> None:
    widget.clear()
    qtbot.keyClicks(widget, text)


def admin_page(qtbot, services, actor, settle) -> AdminPage:
    page = AdminPage(services, actor)
    qtbot.addWidget(page)
    settle()
    return page


def statuses(page: AdminPage) -> list[str]:
    seen: list[str] = []
    page.status.connect(seen.append)
    return seen


def a_case(services, coordinator) -> tuple[int, str]:
    case_id = services.referrals.create_referral(coordinator, referral_input())
    return case_id, services.cases.get_case(coordinator, case_id).case_number


def pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as doc:
        return "\n".join(p.extract_text() or "" for p in doc.pages)


# -- the access log -------------------------------------------------------------------------------
def test_access_log_lists_reads_and_prints_pdf(qtbot, services, settle, answer, monkeypatch, tmp_path):
    coord = make_user(services, "coordinator", "anna", full_name="Anna Berg")
    lead = make_user(services, "team_lead", "tove", full_name="Tove Lund")
    case_id, number = a_case(services, coord)
    services.cases.reveal_cpr(coord, case_id)
    services.cases.get_case(lead, case_id)
    dlg = AccessLogDialog(services, lead, case_id, SimpleNamespace(name="Åse Østergaard", case_number=number))
    qtbot.addWidget(dlg)
    settled = statuses(dlg)
    dlg.open()
    settle()
    users = [r[1] for r in dlg.model.rows]
    actions = [r[2] for r in dlg.model.rows]
    # People by their full names, actions in Danish; never login names or codes.
    assert {"Anna Berg", "Tove Lund"} <= set(users) and not {"anna", "tove"} & set(users)
    assert {"Oprettet", "Læst", "Fuldt CPR vist"} <= set(actions) and "reveal_cpr" not in actions
    assert dlg.count.text() == f"{len(dlg.rows)} registreringer"
    # Filter on one user, chosen by full name.
    assert [dlg.user.itemText(i) for i in range(dlg.user.count())] == ["Alle brugere", "Anna Berg", "Tove Lund"]
    dlg.user.setCurrentIndex(dlg.user.findText("Anna Berg"))
    click(qtbot, dlg.filter_button)
    settle()
    assert {r[1] for r in dlg.model.rows} == {"Anna Berg"}
    # A wrong date is marked on its field; the rows stay as they were.
    type_into(qtbot, dlg.since, "31-02-2026")
    click(qtbot, dlg.filter_button)
    settle()
    assert dlg.errors.messages() == ["Fra dato: skal være en gyldig dato som dd-mm-åååå"]
    assert dlg.since.toolTip() and {r[1] for r in dlg.model.rows} == {"Anna Berg"}
    dlg.since.clear()
    click(qtbot, dlg.filter_button)
    settle()
    assert dlg.errors.isHidden()

    # Print: the save dialog opens in the documents folder; the user is told where the file went.
    QSettings().remove("files/lastFolder")
    asked_in = []

    def save_dialog(parent, title, directory, file_filter):
        asked_in.append(directory)
        return str(tmp_path / "log"), file_filter
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_dialog))
    click(qtbot, dlg.print_button)      # the preview opens with the PDF of what the dialog shows
    settle()
    qtbot.addWidget(dlg.preview)
    assert dlg.preview.document.pageCount() >= 1 and dlg.preview.state.text().endswith(("side", "sider"))
    click(qtbot, dlg.preview.save_button)
    settle()
    documents = Path(QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation))
    assert [Path(d) for d in asked_in] == [documents / f"adgangslog-{number}.pdf"]
    saved = tmp_path / "log.pdf"
    assert saved.exists() and dlg.preview.printed == ["pdf log.pdf"]
    assert settled == [f"Gemt som log.pdf i {tmp_path}"] and dlg.saved.text() == settled[0]

    text = pdf_text(saved)
    table = text.split("Udskrevet")[0]
    assert "Adgangslog" in text and "Åse Østergaard" in text and f"Forløb {number}" in text
    assert "Anna Berg" in table and "Tove Lund" not in table
    # The filter once, with its own prefix once.
    assert text.count("Filter:") == 1 and "Filter: bruger Anna Berg" in text
    # The case by its number, never an internal id; people by name, never their login names.
    assert not re.search(r"#\s*\d", text) and not re.search(r"\b(anna|tove)\b", text)
    assert any(r.action == "print" for r in services.audit_log.entries(lead, case_id=case_id))


def test_access_log_printout_without_filter_says_so_once(qtbot, services, settle, answer, monkeypatch, tmp_path):
    coord = make_user(services, "coordinator", "anna", full_name="Anna Berg")
    lead = make_user(services, "team_lead", "tove", full_name="Tove Lund")
    case_id, number = a_case(services, coord)
    dlg = AccessLogDialog(services, lead, case_id, SimpleNamespace(name="Åse Østergaard", case_number=number))
    qtbot.addWidget(dlg)
    settle()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *_a: (str(tmp_path / "alt.pdf"), "PDF (*.pdf)")))
    click(qtbot, dlg.print_button)
    settle()
    qtbot.addWidget(dlg.preview)
    click(qtbot, dlg.preview.save_button)
    settle()
    text = pdf_text(tmp_path / "alt.pdf")
    assert text.count("Filter:") == 1 and "Filter: Alle registreringer" in text
    assert f"Forløb {number} – Åse Østergaard" in text


def test_admin_finds_a_case_access_log_by_number_without_opening_the_case(qtbot, services, settle):
    coord = make_user(services, "coordinator", "anna", full_name="Anna Berg")
    admin = make_user(services, "admin", "chef", full_name="Carl Chef")
    case_id, number = a_case(services, coord)
    page = admin_page(qtbot, services, admin, settle)
    tab = page.show_tab(AccessLogTab)
    qtbot.keyClicks(tab.number, "tta-2026-99999")
    click(qtbot, tab.show_button)
    settle()
    assert tab.last_dialog is None
    assert tab.errors.messages() == ["Forløbsnummer: intet forløb med nummeret 'TTA-2026-99999'"]
    assert tab.number.toolTip() == tab.errors.messages()[0]
    type_into(qtbot, tab.number, number.lower())
    qtbot.keyClick(tab.number, Qt.Key_Return)
    settle()
    dlg = tab.last_dialog        # a child of the tab, deleted with it: not registered for closing
    assert dlg.isVisible() and tab.errors.isHidden()
    assert dlg.windowTitle() == f"Adgangslog – Åse Østergaard ({number})"
    rows = dlg.model.rows
    assert [r[1] for r in rows][-2:] == ["Anna Berg", "Anna Berg"]     # created, then read
    # The administrator's look-up is in the log; the case record itself was not opened.
    assert rows[0][1:4] == ["Carl Chef", "Læst", "Adgangslog"]
    assert not [r for r in rows if r[1] == "Carl Chef" and r[3] == "Forløb"]


# -- users -----------------------------------------------------------------------------------------
def test_user_email_lone_is_refused_on_the_field_and_nothing_saved(qtbot, services, settle):
    admin = make_user(services, "admin", "chef", full_name="Carl Chef")
    page = admin_page(qtbot, services, admin, settle)
    seen = statuses(page)
    tab = page.show_tab(UsersTab)
    click(qtbot, tab.new_button)
    dlg = tab.dialog
    assert dlg.isVisible() and dlg.windowTitle() == "Ny bruger"
    f = dlg.fields
    qtbot.keyClicks(f["username"], "lone")
    qtbot.keyClicks(f["full_name"], "Lone Berg")
    qtbot.keyClicks(f["email"], "lone")
    f["role"].setCurrentIndex(f["role"].findText("Psykolog"))
    qtbot.keyClicks(f["password"], "hemmelig123")
    qtbot.keyClicks(f["password_repeat"], "hemmelig12")
    click(qtbot, dlg.ok_button)
    settle()
    assert dlg.errors.messages() == ["Gentag adgangskode: skal være den samme som adgangskoden"]
    assert f["password_repeat"].toolTip()
    qtbot.keyClicks(f["password_repeat"], "3")
    click(qtbot, dlg.ok_button)
    settle()
    assert dlg.isVisible()
    assert dlg.errors.messages() == ["E-mail: er ikke en gyldig e-mailadresse"]
    assert f["email"].toolTip() == "E-mail: er ikke en gyldig e-mailadresse" and red_border(f["email"])
    assert not f["password_repeat"].toolTip()
    assert "lone" not in [u.username for u in services.users.list_users(admin)]
    type_into(qtbot, f["email"], "lone.berg@kommune.dk")
    click(qtbot, dlg.ok_button)
    settle()
    assert closed(dlg)
    lone = next(u for u in services.users.list_users(admin) if u.username == "lone")
    assert (lone.full_name, lone.email, lone.role) == ("Lone Berg", "lone.berg@kommune.dk", "psychologist")
    assert seen == ["Brugeren Lone Berg er oprettet."]
    assert ["Lone Berg", "lone", "Psykolog", "Aktiv", "lone.berg@kommune.dk"] in tab.model.rows

    # Editing refuses the same address on the field, and saves a good one.
    tab.view.selectRow(tab.model.keys.index(lone.id))
    click(qtbot, tab.edit_button)
    dlg = tab.dialog
    type_into(qtbot, dlg.fields["email"], "lone")
    click(qtbot, dlg.ok_button)
    settle()
    assert dlg.isVisible() and dlg.errors.messages() == ["E-mail: er ikke en gyldig e-mailadresse"]
    assert dlg.fields["email"].toolTip()
    assert next(u for u in services.users.list_users(admin) if u.id == lone.id).email == "lone.berg@kommune.dk"
    type_into(qtbot, dlg.fields["email"], "lb@kommune.dk")
    click(qtbot, dlg.ok_button)
    settle()
    assert closed(dlg) and seen[-1] == "Ændringerne til Lone Berg er gemt."
    assert next(u for u in services.users.list_users(admin) if u.id == lone.id).email == "lb@kommune.dk"


def test_reset_password_asks_twice_and_deactivation_asks_first(qtbot, services, settle, answer):
    admin = make_user(services, "admin", "chef", full_name="Carl Chef")
    bo = make_user(services, "psychologist", "bo", full_name="Bo Holm")
    page = admin_page(qtbot, services, admin, settle)
    seen = statuses(page)
    tab = page.show_tab(UsersTab)
    assert not tab.password_button.isEnabled()          # nothing chosen yet
    tab.view.selectRow(tab.model.keys.index(bo.user_id))
    click(qtbot, tab.password_button)
    dlg = tab.dialog
    assert dlg.windowTitle() == "Nulstil adgangskode – Bo Holm"
    qtbot.keyClicks(dlg.fields["password"], "nyt-kodeord-1")
    qtbot.keyClicks(dlg.fields["password_repeat"], "nyt-kodeord-2")
    click(qtbot, dlg.ok_button)
    settle()
    assert dlg.isVisible() and dlg.fields["password_repeat"].toolTip()
    type_into(qtbot, dlg.fields["password_repeat"], "nyt-kodeord-1")
    click(qtbot, dlg.ok_button)
    settle()
    assert closed(dlg)
    assert seen == ["Adgangskoden til Bo Holm er nulstillet; en eventuel lås er ophævet."]
    assert services.auth.login("bo", "nyt-kodeord-1").full_name == "Bo Holm"

    # Deactivating asks first; declining changes nothing.
    assert tab.active_button.text() == "Deaktivér…"
    answer("no")
    click(qtbot, tab.active_button)
    settle()
    assert answer.asked[-1][0] == "Deaktivér bruger?" and "Bo Holm kan ikke længere logge ind" in answer.asked[-1][1]
    assert next(u for u in services.users.list_users(admin) if u.id == bo.user_id).active
    answer("yes")
    click(qtbot, tab.active_button)
    settle()
    assert not next(u for u in services.users.list_users(admin) if u.id == bo.user_id).active
    assert seen[-1] == "Bo Holm er deaktiveret og kan ikke logge ind."
    assert tab.model.rows[tab.model.keys.index(bo.user_id)][3] == "Deaktiveret"
    assert tab.active_button.text() == "Aktivér"
    # Nobody can deactivate themselves.
    tab.view.selectRow(tab.model.keys.index(admin.user_id))
    assert not tab.active_button.isEnabled()


# -- catalogues ------------------------------------------------------------------------------------
def test_catalogue_add_rename_and_deactivate_with_the_question_answered(qtbot, services, settle, answer):
    lead = make_user(services, "team_lead", "tove", full_name="Tove Lund")
    page = admin_page(qtbot, services, lead, settle)
    # A team lead manages catalogues, plan and letter templates, reads access logs and imports; no users, settings
    # or deadline rules.
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == ["Kataloger", "Planskabeloner",
                                                                          "Brevskabeloner", "Adgangslog",
                                                                          "Begrundede adgange", "Loggens sikkerhed",
                                                                          "Import"]
    seen = statuses(page)
    tab = page.show_tab(CatalogsTab)
    tab.kind.setCurrentIndex(tab.kind.findText("Indsatser"))
    settle()
    before = len(tab.items)
    assert before and tab.model.headers == ["Betegnelse", "Status"]    # no codes on screen

    click(qtbot, tab.add_button)
    dlg = tab.dialog
    buttons = {b.text() for b in dlg.findChildren(QPushButton)}
    assert buttons == {"Tilføj", "Annuller"} and dlg.windowTitle() == "Tilføj til Indsatser"
    qtbot.keyClicks(dlg.fields["label"], "  Mindfulness i grupper ")
    click(qtbot, dlg.ok_button)
    settle()
    assert closed(dlg) and seen == ["'Mindfulness i grupper' er tilføjet til Indsatser."]
    labels = {i.label: i for i in services.catalog.items("intervention", include_inactive=True)}
    assert "Mindfulness i grupper" in labels and len(tab.items) == before + 1
    assert tab.selected().label == "Mindfulness i grupper"

    # The same label again is refused on the field.
    click(qtbot, tab.add_button)
    dlg = tab.dialog
    qtbot.keyClicks(dlg.fields["label"], "mindfulness i GRUPPER")
    click(qtbot, dlg.ok_button)
    settle()
    assert dlg.isVisible() and dlg.errors.messages() == ["Betegnelse: findes allerede i kataloget"]
    assert dlg.fields["label"].toolTip()
    dlg.reject()

    tab.select_label("Mindfulness i grupper")
    click(qtbot, tab.rename_button)
    dlg = tab.dialog
    assert dlg.fields["label"].text() == "Mindfulness i grupper"
    type_into(qtbot, dlg.fields["label"], "Mindfulness (gruppeforløb)")
    click(qtbot, dlg.ok_button)
    settle()
    item = next(i for i in services.catalog.items("intervention", include_inactive=True)
                if i.id == labels["Mindfulness i grupper"].id)
    assert item.label == "Mindfulness (gruppeforløb)" and seen[-1] == "Punktet hedder nu 'Mindfulness (gruppeforløb)'."

    assert tab.selected().label == "Mindfulness (gruppeforløb)" and tab.active_button.text() == "Deaktivér…"
    answer("no")
    click(qtbot, tab.active_button)
    settle()
    title, text = answer.asked[-1]
    assert title == "Deaktivér katalogpunkt?" and "beholder det" in text
    assert item.id in [i.id for i in services.catalog.items("intervention")]
    answer("yes")
    click(qtbot, tab.active_button)
    settle()
    assert item.id not in [i.id for i in services.catalog.items("intervention")]
    assert seen[-1] == "'Mindfulness (gruppeforløb)' er deaktiveret; eksisterende forløb beholder punktet."
    assert tab.model.rows[tab.model.keys.index(item.id)] == ["Mindfulness (gruppeforløb)", "Deaktiveret"]
    assert tab.active_button.text() == "Aktivér"


# -- settings --------------------------------------------------------------------------------------
def test_two_administrators_edit_the_settings_the_second_is_told_and_may_reload(qtbot, services, settle, answer):
    anne, bo = make_user(services, "admin", "anne"), make_user(services, "admin", "bo")
    page_a, page_b = admin_page(qtbot, services, anne, settle), admin_page(qtbot, services, bo, settle)
    tab_a, tab_b = page_a.show_tab(SettingsTab), page_b.show_tab(SettingsTab)
    settle()
    tab_a.idle.setValue(20)
    click(qtbot, tab_a.save_button)
    settle()
    tab_b.idle.setValue(30)
    answer("yes")                       # "Genindlæs"
    click(qtbot, tab_b.save_button)
    settle()
    title, text = answer.asked[-1]
    assert title == "Ændret af en anden" and "En anden bruger har ændret indstillingerne" in text
    assert services.settings.get("idle_lock_minutes") == 20
    assert tab_b.idle.value() == 20 and not tab_b.has_unsaved_changes()     # reloaded: Anne's value
    tab_b.idle.setValue(30)             # now saved against the version just loaded
    click(qtbot, tab_b.save_button)
    settle()
    assert services.settings.get("idle_lock_minutes") == 30 and len(answer.asked) == 1


def test_settings_are_saved_in_one_call_with_a_confirmation(qtbot, services, settle, monkeypatch):
    admin = make_user(services, "admin", "chef", full_name="Carl Chef")
    page = admin_page(qtbot, services, admin, settle)
    seen = statuses(page)
    tab = page.show_tab(SettingsTab)
    assert tab.letterhead["organisation"].text() == services.settings.get("letterhead")["organisation"]
    assert not page.has_unsaved_changes() and not tab.save_button.isEnabled()
    calls = []
    real_save = services.settings.save

    def counting_save(actor, changes, **versions):
        calls.append(sorted(changes))
        return real_save(actor, changes, **versions)
    monkeypatch.setattr(services.settings, "save", counting_save)

    # A broken rule is marked on its field and nothing is saved.
    tab.letterhead["organisation"].selectAll()
    qtbot.keyClick(tab.letterhead["organisation"], Qt.Key_Delete)
    tab.criteria["min_age"].setValue(70)
    assert page.has_unsaved_changes() and tab.state.text() == "Der er ændringer, som ikke er gemt."
    click(qtbot, tab.save_button)
    settle()
    assert tab.errors.messages()[0] == "Organisation: skal udfyldes"
    assert tab.letterhead["organisation"].toolTip() and red_border(tab.letterhead["organisation"])
    assert calls == [["eligibility", "letterhead"]] and seen == []
    assert services.settings.get("letterhead")["organisation"] == "TTA-teamet"

    type_into(qtbot, tab.letterhead["organisation"], "TTA-teamet Aarhus")
    click(qtbot, tab.save_button)
    settle()
    assert tab.errors.messages() == ["Alder: mindstealder skal være højst lig højestealder (0-100)"]
    assert tab.fields["eligibility.age"].toolTip() and red_border(tab.fields["eligibility.age"])
    assert not tab.letterhead["organisation"].toolTip()
    tab.criteria["min_age"].setValue(18)
    tab.idle.setValue(15)
    calls.clear()
    click(qtbot, tab.save_button)
    settle()
    assert calls == [["eligibility", "idle_lock_minutes", "letterhead"]]       # one call, all together
    assert services.settings.get("letterhead")["organisation"] == "TTA-teamet Aarhus"
    assert services.settings.get("idle_lock_minutes") == 15 and services.settings.get("eligibility")["min_age"] == 18
    assert seen == ["Indstillingerne er gemt."] and tab.errors.isHidden()
    assert tab.state.text().startswith("Indstillingerne er gemt.") and "næste login" in tab.state.text()
    assert not page.has_unsaved_changes() and not tab.save_button.isEnabled()
    # The audit entry names what changed.
    entry = next(r for r in services.audit_log.entries(admin) if r.entity == "setting")
    assert set(entry.fields.split(",")) == {"letterhead", "idle_lock_minutes", "eligibility"}

    # An edit made and undone again is no unsaved change.
    qtbot.keyClicks(tab.letterhead["phone"], "8940 0000")
    assert page.has_unsaved_changes()
    click(qtbot, tab.revert_button)
    assert not page.has_unsaved_changes() and tab.letterhead["phone"].text() == ""


# -- first start -----------------------------------------------------------------------------------
def test_first_admin_form_marks_its_fields(qtbot, services, settle):
    assert not services.auth.has_users()
    dlg = FirstAdminDialog(services.auth.create_first_admin)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClicks(dlg.name, "Carl Chef")
    qtbot.keyClicks(dlg.username, "chef")
    qtbot.keyClicks(dlg.password, "kort")
    qtbot.keyClicks(dlg.repeat, "kort")
    click(qtbot, dlg.create_button)
    settle()
    assert dlg.errors.messages() == ["Adgangskode: skal være mindst 8 tegn"] and dlg.password.toolTip()
    type_into(qtbot, dlg.password, "hemmelig123")
    click(qtbot, dlg.create_button)
    settle()
    assert dlg.errors.messages() == ["Gentag adgangskode: skal være den samme som adgangskoden"]
    assert dlg.repeat.toolTip() and not dlg.password.toolTip() and not services.auth.has_users()
    type_into(qtbot, dlg.repeat, "hemmelig123")
    click(qtbot, dlg.create_button)
    settle()
    assert dlg.result() == 1 and dlg.result_value.full_name == "Carl Chef"
    assert services.auth.has_users()
    assert {w.text() for w in dlg.findChildren(QLabel)} >= {"Navn", "Brugernavn", "Adgangskode"}
