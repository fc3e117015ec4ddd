"""``python main.py report quarterly``: seed 000's Table 2 in the JSON, the Excel cells, the CSV and the
PDF text, acting as a named user; the export is logged."""
from __future__ import annotations

import csv
import io
import json
import re

import openpyxl
import pdfplumber
from sqlalchemy import select

import main
from db.models import AuditEntry
from tests import kia_seed
from tests.factories import make_user

PERIOD = ["--from", "2008-01-01", "--to", "2008-09-30"]


def run(db_url, out, fmt: str | None = None) -> int:
    return main.main(["report", "quarterly", *PERIOD, *(["--format", fmt] if fmt else []), "--out", str(out),
                      "--db", db_url, "--user", "tove"])


def test_json_has_the_fixed_form_and_the_seeds_quarters(services, db_url, monkeypatch, tmp_path, capsys):
    make_user(services, "team_lead", "tove")
    kia_seed.seed_quarters(services)
    monkeypatch.setenv("TTA_PASSWORD", "hemmelig123")
    out = tmp_path / "k.json"
    assert run(db_url, out) == 0
    assert "99 afsluttede forløb" in capsys.readouterr().out
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) == {"quarters", "total", "andet", "return_to_work_percent"}
    q1, q2, _q3 = data["quarters"]
    assert (q1["label"], q1["closed"], q2["label"], q2["closed"]) == ("2008 K1", 33, "2008 K2", 48)
    assert q1["counts"] == kia_seed.Q1 and q1["percent"] == kia_seed.Q1_PERCENT
    assert q2["counts"] == kia_seed.Q2 and q2["percent"] == kia_seed.Q2_PERCENT
    assert data["andet"] == kia_seed.ANDET and data["total"]["closed"] == 99
    with services.db.read() as s:
        detail = s.scalar(select(AuditEntry.detail).where(AuditEntry.action == "export",
                                                          AuditEntry.entity == "statistics"))
    assert detail == "kvartalsrapport 01-01-2008 – 30-09-2008 (json)"


def test_excel_has_one_sheet_per_table_with_numbers_as_numbers(services, db_url, monkeypatch, tmp_path):
    make_user(services, "team_lead", "tove")
    kia_seed.seed_quarters(services)
    monkeypatch.setenv("TTA_PASSWORD", "hemmelig123")
    out = tmp_path / "k.xlsx"
    assert run(db_url, out) == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Tabel 2 Afslutningsstatus", "Tabel 1 Karakteristika", "Hvad virker for hvem",
                             "Troskab mod modellen", "Troskab pr. forløb"]
    ws = wb["Tabel 2 Afslutningsstatus"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert [c.value for c in ws[1]][2:6] == ["2008 K1 antal", "2008 K1 %", "2008 K2 antal", "2008 K2 %"]
    assert rows["Raskmeldt fuld tid"][2:6] == (8, 24, 18, 38)
    assert rows["Fortsat sygemeldt"][2:6] == (15, 45, 15, 31)
    assert rows["Andet, herunder"][2:6] == (2, 6, 3, 6)
    assert rows["Raskmeldt før start"][1] == "Ikke visiteret" and rows["Raskmeldt før start"][-2] == 9
    assert rows["I alt"][2] == 33 and rows["I alt"][4] == 48 and isinstance(rows["I alt"][2], int)


def test_the_headline_43_percent_in_pdf_excel_and_csv(services, db_url, monkeypatch, tmp_path):
    make_user(services, "team_lead", "tove")
    kia_seed.seed_totals(services)
    monkeypatch.setenv("TTA_PASSWORD", "hemmelig123")
    assert run(db_url, tmp_path / "k.pdf") == 0
    with pdfplumber.open(tmp_path / "k.pdf") as pdf:
        text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "Tilbage i arbejde: 43 % (43 af 99 afsluttede forløb" in text
    assert re.search(r"Raskmeldt fuld tid .*26 26", text) and re.search(r"Fortsat sygemeldt .*34 34", text)
    assert re.search(r"Raskmeldt før start Ikke visiteret .*9", text)
    assert run(db_url, tmp_path / "k.xlsx") == 0
    ws = openpyxl.load_workbook(tmp_path / "k.xlsx")["Tabel 2 Afslutningsstatus"]
    last = list(ws.iter_rows(values_only=True))[-1]
    assert last[0].startswith("Tilbage i arbejde") and last[-2:] == (43, 43)
    assert run(db_url, tmp_path / "k.csv", "csv") == 0
    raw = (tmp_path / "k.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert ["Raskmeldt a-kasse", "", "0", "0", "0", "0", "4", "4", "4", "4"] in lines


def test_the_pdf_shows_the_seeds_quarter_columns(services, db_url, monkeypatch, tmp_path):
    make_user(services, "team_lead", "tove")
    kia_seed.seed_quarters(services)
    monkeypatch.setenv("TTA_PASSWORD", "hemmelig123")
    assert run(db_url, tmp_path / "k.pdf") == 0
    with pdfplumber.open(tmp_path / "k.pdf") as pdf:
        text = pdf.pages[0].extract_text()
    assert "K1 %" in text and "K2 %" in text and "Periode: 01-01-2008 – 30-09-2008" in text
    assert re.search(r"Raskmeldt fuld tid 8 24 18 38", text)
    assert re.search(r"Raskmeldt deltid 5 15 8 17", text)
    assert re.search(r"Fortsat sygemeldt 15 45 15 31", text)


def test_a_user_without_statistics_is_refused_without_a_file(services, db_url, monkeypatch, tmp_path, capsys):
    make_user(services, "psychologist", "tove")
    monkeypatch.setenv("TTA_PASSWORD", "hemmelig123")
    assert run(db_url, tmp_path / "k.pdf") == 1
    assert "error:" in capsys.readouterr().err and not (tmp_path / "k.pdf").exists()
    assert main.main(["report", "quarterly", "--from", "2008-13-01", "--to", "2008-12-31", "--out",
                      str(tmp_path / "x.pdf"), "--db", db_url, "--user", "tove"]) == 1
