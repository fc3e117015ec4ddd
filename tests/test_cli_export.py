"""``export cases`` as a coordinator scripts it: the case list's rows to CSV or Excel, acting as a
named user with their need-to-know, one audit entry, a private file, clear refusals."""
from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
from sqlalchemy import select

import main
from app.cli import base as cli
from db.models import AuditEntry
from db.private_files import file_mode
from tests.factories import make_case, make_user


def _rows(path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_export_cases_writes_the_list_rows_the_user_may_see(services, db_url, monkeypatch, tmp_path, capsys):
    coord = make_user(services, "coordinator", "mette")
    other = make_user(services, "coordinator", "karl")
    make_user(services, "admin", "ada")
    mine = make_case(services, first_name="Anna", coordinator_id=coord.user_id, subgroup=3)
    make_case(services, first_name="Bent", coordinator_id=other.user_id, subgroup=4)
    make_case(services, first_name="Carl", coordinator_id=coord.user_id, closed_date=dt.date(2026, 11, 2),
              phase="closed")
    monkeypatch.setenv(cli.PASSWORD_ENV, "hemmelig123")
    out = tmp_path / "forloeb.csv"
    assert main.main(["export", "cases", "--db", db_url, "--user", "mette", "--out", str(out)]) == 0
    assert "2 forløb eksporteret" in capsys.readouterr().out
    rows = _rows(out)
    header = rows[0]
    body = {r[header.index("Navn")].split()[0]: r for r in rows[1:]}
    assert set(body) == {"Anna", "Bent"}                      # open cases; Carl is closed
    sub = header.index("Undergruppe")
    assert body["Anna"][sub] == "3" and body["Bent"][sub] == ""   # not on Bent's case: the list row only
    assert file_mode(out) == 0o600
    with services.db.read() as s:
        entry = s.execute(select(AuditEntry.username, AuditEntry.case_ids).where(AuditEntry.action == "export")).one()
    assert entry[0] == "mette" and str(mine) in entry[1].split(",")
    # Filters as in the list, and Excel.
    xlsx = tmp_path / "mine.xlsx"
    assert main.main(["export", "cases", "--db", db_url, "--user", "mette", "--mine", "--all",
                      "--out", str(xlsx)]) == 0
    sheet = openpyxl.load_workbook(xlsx).active
    names = sorted(str(r[0].value) for r in sheet.iter_rows(min_row=2) if r[0].value)
    assert len(names) == 2
    # The administrator reads no case; an unknown format is named.
    assert main.main(["export", "cases", "--db", db_url, "--user", "ada", "--out", str(out)]) == 1
    assert main.main(["export", "cases", "--db", db_url, "--user", "mette", "--out", str(tmp_path / "x.txt")]) == 1
    assert "--format csv eller xlsx" in capsys.readouterr().err
