"""The Handlingsplan tab driven as a coordinator and a team lead do: build a plan with interventions and a
six-week schedule, approve it (tasks appear), change it (a new version), print the old version through
the preview, enter actual hours and see them against the plan."""
from __future__ import annotations

import datetime as dt

import pdfplumber
from PySide6.QtCore import Qt

from app.services.plans import PlanService
from tests.factories import make_case, make_user
from tests.ui_helpers import choose, record_tab, set_cell
from ui.record.plans import PlanTab


def click(qtbot, button, settle) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.LeftButton)
    settle()


def test_build_approve_change_and_print_the_old_version(qtbot, printed_pdf, services, settle, answer):
    coord = make_user(services, "coordinator", "koord", full_name="Karin Koordinator")
    psych = make_user(services, "psychologist", "psyk", full_name="Per Psykolog")
    case_id = make_case(services, first_name="Åse", coordinator_id=coord.user_id, normal_hours=37.0, subgroup=None)
    _record, tab = record_tab(qtbot, services, coord, case_id, settle, PlanTab)
    assert "ingen handlingsplan endnu" in tab.empty.text()
    click(qtbot, tab.start_button, settle)
    assert tab.version_box.currentText() == "Version 1 – Kladde" and tab.save_button.isVisible()

    tab.citizen_view.setPlainText("Jeg vil gerne tilbage på mit eget hold.")
    tab.target_hours.setValue(30)
    click(qtbot, tab.goals.add_button, settle)
    set_cell(tab.goals, 0, "text", "Gå en tur hver dag")
    for row, (code, who) in enumerate((("psych_conversations", psych), ("round_table", coord))):
        click(qtbot, tab.interventions.add_button, settle)
        choose(tab.interventions, row, "intervention", code)
        choose(tab.interventions, row, "responsible_id", who.user_id)
        set_cell(tab.interventions, row, "start_date", "30-11-2026")
    for week, hours in enumerate((8, 12, 16, 20, 25, 30)):
        click(qtbot, tab.weeks.add_button, settle)
        set_cell(tab.weeks, week, "hours_per_week", str(hours))
        set_cell(tab.weeks, week, "tasks", "Kendte opgaver")
    assert tab.has_unsaved_changes()

    # A week above the contract hours is refused with the week named on the form.
    set_cell(tab.weeks, 5, "hours_per_week", "40")
    click(qtbot, tab.save_button, settle)
    assert tab.errors.messages() == ["Gradvis tilbagevenden – uge 6: 40 timer er over kontraktens 37 timer om ugen"]
    set_cell(tab.weeks, 5, "hours_per_week", "30")
    click(qtbot, tab.save_button, settle)
    assert tab.errors.isHidden() and not tab.has_unsaved_changes()
    assert [w["hours_per_week"] for w in tab.view.plan.weeks] == [8, 12, 16, 20, 25, 30]

    answer("yes")
    click(qtbot, tab.approve_button, settle)
    assert tab.state.text().startswith("Godkendt") and "Karin Koordinator" in tab.state.text()
    assert not tab.save_button.isVisible() and tab.revise_button.isVisible()
    titles = {t.title: t.owner for t in services.dashboard.dashboard(psych).tasks}
    assert titles == {"Handlingsplan: Individuelle støttende og afklarende samtaler med psykolog": "Per Psykolog"}

    # Actual hours are entered on the approved plan and drawn against it.
    set_cell(tab.weeks, 0, "actual_hours", "7,5")
    set_cell(tab.weeks, 1, "actual_hours", "12")
    click(qtbot, tab.actual_button, settle)
    assert [w["actual_hours"] for w in tab.view.plan.weeks][:3] == [7.5, 12.0, None]
    assert tab.chart.planned == [8, 12, 16, 20, 25, 30] and tab.chart.actual[:3] == [7.5, 12.0, None]

    # Changing it makes version 2; version 1 stays readable and printable.
    click(qtbot, tab.revise_button, settle)
    assert tab.version_box.currentText() == "Version 2 – Kladde"
    tab.citizen_view.setPlainText("Nu også med cykling til arbejde.")
    click(qtbot, tab.save_button, settle)
    tab.version_box.setCurrentIndex(tab.version_box.findData(1))
    tab.version_box.activated.emit(tab.version_box.currentIndex())
    settle()
    assert tab.view.plan.version_no == 1 and "eget hold" in tab.citizen_view.toPlainText()

    out = printed_pdf
    tab.audience.setCurrentIndex(tab.audience.findData("citizen"))
    qtbot.keyClick(tab, Qt.Key_P, Qt.ControlModifier)
    settle()
    preview = tab.preview
    qtbot.addWidget(preview)
    assert preview.document.pageCount() >= 1
    click(qtbot, preview.print_button, settle)
    assert preview.printed == ["printer"] and out.exists()
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) == preview.document.pageCount()
    logged = [r.detail for r in services.audit_log.entries(make_user(services, "team_lead", "leder"), case_id=case_id)
              if r.action == "print"]
    assert logged == ["version 1, borgerens version: printer"]


def test_a_read_only_role_sees_the_plan_without_editing(qtbot, services, settle):
    coord = make_user(services, "coordinator", "koord")
    psych = make_user(services, "psychologist", "psyk")
    case_id = make_case(services, coordinator_id=coord.user_id, normal_hours=37.0, team_member_ids=[psych.user_id])
    PlanService.start_plan(services.plans, coord, case_id)
    _record, tab = record_tab(qtbot, services, psych, case_id, settle, PlanTab)
    assert tab.version_box.currentText() == "Version 1 – Kladde"
    assert not tab.save_button.isVisible() and not tab.approve_button.isVisible()
    assert not tab.goals.add_button.isEnabled() and tab.purpose.isReadOnly()
    assert not tab.print_button.isEnabled()
    assert dt.date  # the module's date import is used by the first test's data


def test_the_team_lead_edits_a_template_and_a_new_plan_starts_from_it(qtbot, services, settle):
    from ui.pages.admin import AdminPage
    from ui.pages.admin.plan_templates import PlanTemplatesTab
    lead = make_user(services, "team_lead", "leder")
    page = AdminPage(services, lead)
    qtbot.addWidget(page)
    settle()
    tab = page.show_tab(PlanTemplatesTab)
    settle()
    assert [tab.list.item(i).text() for i in range(tab.list.count())] == [
        "Grupper 1-3: fastholdelse i tre måneder", "Grupper 4-8 med arbejdsplads: gradvis start",
        "Grupper 4-8 uden arbejdsplads: afklaring"]
    tab.list.setCurrentRow(0)
    tab.form.inputs["purpose"].setPlainText("Fastholdelse med fokus på arbejdsglæde.")
    tab.form.inputs["subgroups"].setText("1,2,3,x")
    qtbot.mouseClick(tab.save_button, Qt.LeftButton)
    settle()
    assert tab.form.errors.messages() == ["Undergrupper: skal være undergrupper 1-8 adskilt af komma"]
    tab.form.inputs["subgroups"].setText("1,2,3")
    qtbot.mouseClick(tab.save_button, Qt.LeftButton)
    settle()
    assert tab.form.errors.isHidden()
    case_id = make_case(services, coordinator_id=lead.user_id, normal_hours=37.0, subgroup=3)
    services.plans.start_plan(lead, case_id)
    assert services.plans.plan_tab(lead, case_id).plan.values["purpose"] == "Fastholdelse med fokus på arbejdsglæde."


def test_a_plan_from_the_template_keeps_its_weeks_when_saved_and_a_week_without_hours_is_named(
        qtbot, services, settle):
    """The template fills in weeks with a date and hours only; saving the draft keeps them all. A week
    added and left without hours is refused naming its row, and nothing is saved."""
    coord = make_user(services, "coordinator", "koord")
    case_id = make_case(services, coordinator_id=coord.user_id, normal_hours=37.0, subgroup=2)
    _record, tab = record_tab(qtbot, services, coord, case_id, settle, PlanTab)
    click(qtbot, tab.start_button, settle)
    assert tab.weeks.rowCount() == 6 and tab.weeks.cell_text(0, "tasks") == ""
    tab.citizen_view.setPlainText("Tilbage på fuld tid til sommer.")
    click(qtbot, tab.save_button, settle)
    assert tab.errors.isHidden() and len(tab.view.plan.weeks) == 6
    click(qtbot, tab.weeks.add_button, settle)  # a date is filled in; the hours are not
    set_cell(tab.weeks, 6, "hours_per_week", "")
    click(qtbot, tab.save_button, settle)
    assert tab.errors.messages() == ["Gradvis tilbagevenden – række 7, timer pr. uge: skal udfyldes"]
    assert len(services.plans.plan_tab(coord, case_id).plan.weeks) == 6
