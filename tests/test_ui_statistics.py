"""The Statistik page: the period filter, seed 000's Table 2 and the 43 % headline on screen, the
charts, and printing and exporting through the service (logged)."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pdfplumber
from sqlalchemy import select

from db.models import AuditEntry
from tests import kia_seed
from tests.factories import make_user
from ui.pages import statistics as statistics_page
from ui.pages.statistics import StatisticsPage


def show(qtbot, services, settle, actor) -> StatisticsPage:
    p = StatisticsPage(services, actor)
    qtbot.addWidget(p)
    p.resize(1280, 800)
    p.show()
    settle()
    p.set_period(*kia_seed.PERIOD)
    settle()
    return p


def test_the_page_shows_the_seeds_quarter_columns_and_charts(qtbot, services, settle):
    lead = make_user(services, "team_lead", "tove")
    kia_seed.seed_quarters(services)
    p = show(qtbot, services, settle, lead)
    model = p.models["outcomes"]
    assert model.headers[2:6] == ["2008 K1 antal", "2008 K1 %", "2008 K2 antal", "2008 K2 %"]
    rows = {r[0]: r[1:] for r in model.rows}
    assert rows["Raskmeldt fuld tid"][1:5] == ["8", "24", "18", "38"]
    assert rows["Raskmeldt deltid"][1:5] == ["5", "15", "8", "17"]
    assert rows["Fortsat sygemeldt"][1:5] == ["15", "45", "15", "31"]
    assert rows["Andet, herunder"][1:5] == ["2", "6", "3", "6"]
    assert rows["Raskmeldt før start"][0] == "Ikke visiteret" and rows["I alt"][1:5] == ["33", "–", "48", "–"]
    assert p.period_label.text() == "01-01-2008 – 30-09-2008"
    assert set(p.charts) == {"outcomes", "what_works"}
    assert p.tabs.count() == 4 and p.tabs.tabText(1) == "Tabel 1: Karakteristika"


def test_the_headline_is_43_percent_for_the_seeds_total_column(qtbot, services, settle):
    lead = make_user(services, "team_lead", "tove")
    kia_seed.seed_totals(services)
    p = show(qtbot, services, settle, lead)
    assert "<b>43 %</b> (43 af 99 afsluttede forløb" in p.rate.text()
    totals = {r[0]: r[-2:] for r in p.models["outcomes"].rows}
    assert totals["Raskmeldt a-kasse"] == ["4", "4"] and totals["Fortsat sygemeldt"] == ["34", "34"]


def test_a_quarter_or_a_year_is_chosen_with_the_filter(qtbot, services, settle):
    lead = make_user(services, "team_lead", "tove")
    p = show(qtbot, services, settle, lead)
    p.kind.setCurrentIndex(p.kind.findData(statistics_page.QUARTER))
    p.year.setCurrentIndex(p.year.findData(2026))
    p.quarter.setCurrentIndex(3)
    settle()
    assert p.period() == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert p.report.outcomes.quarters == ["2026 K4"] and "ingen forløb er afsluttet" in p.rate.text()
    assert not p.charts   # nothing to draw
    p.kind.setCurrentIndex(p.kind.findData(statistics_page.YEAR))
    settle()
    assert p.report.outcomes.quarters == ["2026 K1", "2026 K2", "2026 K3", "2026 K4"]


def test_print_and_export_write_the_files_and_log_them(qtbot, services, settle, tmp_path, monkeypatch):
    lead = make_user(services, "team_lead", "tove")
    kia_seed.seed_totals(services)
    p = show(qtbot, services, settle, lead)
    from ui.dialogs import print_preview
    targets = iter([tmp_path / "s.xlsx", tmp_path / "s.csv"])
    monkeypatch.setattr(print_preview, "ask_save_path", lambda *a, **k: tmp_path / "s.pdf")
    monkeypatch.setattr(statistics_page, "ask_export_path", lambda *a, **k: next(targets))
    p.print_pdf()                 # the preview, with "Gem som PDF…"
    settle()
    preview = p.preview
    qtbot.addWidget(preview)
    assert preview.document.pageCount() >= 1
    preview.save_button.click()
    settle()
    p.export("xlsx")
    settle()
    p.export("csv")
    settle()
    with pdfplumber.open(tmp_path / "s.pdf") as pdf:
        assert "Tilbage i arbejde: 43 %" in pdf.pages[0].extract_text()
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx")["Tabel 2 Afslutningsstatus"]
    assert [c.value for c in ws[2]][-2:] == [26, 26]
    assert "Raskmeldt a-kasse" in (tmp_path / "s.csv").read_text(encoding="utf-8-sig")
    with services.db.read() as s:
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.entity == "statistics")).all()
    assert actions.count("print") == 1 and actions.count("export") == 2


def test_the_case_list_exports_what_it_shows_and_logs_it(qtbot, services, settle, tmp_path, monkeypatch):
    from tests.factories import make_case
    from ui.pages import cases as cases_page
    lead = make_user(services, "team_lead", "tove")
    for name in ("Anna", "Bent", "Carl"):
        make_case(services, first_name=name)
    p = cases_page.CaseListPage(services, lead)
    qtbot.addWidget(p)
    p.resize(1280, 800)
    p.show()
    settle()
    p.search.setText("bent")
    qtbot.waitUntil(lambda: p.model.rowCount() == 1)
    monkeypatch.setattr(cases_page, "ask_export_path", lambda *a, **k: tmp_path / "liste.xlsx")
    p.export("xlsx")
    settle()
    ws = openpyxl.load_workbook(tmp_path / "liste.xlsx").active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("Forløb", "Navn", "CPR") and len(rows) == 2 and rows[1][1] == "Bent Østergaard"
    with services.db.read() as s:
        entry = s.execute(select(AuditEntry.detail, AuditEntry.case_ids).where(AuditEntry.action == "export")).one()
    assert entry.detail == "1 forløb til XLSX; søgning: bent" and entry.case_ids
