"""Import of earlier cases: a valid file, every column's error named by row and column, BOM and both
delimiters, Excel, a repeated and a known CPR, --valid-only, and nothing half-imported."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from sqlalchemy import func, select

import main
from app.errors import ValidationError
from app.services.importing import COLUMNS
from db.models import AuditEntry, Case, CatalogItem, Citizen
from tests.factories import make_case, make_user

HEADER = list(COLUMNS)
GOOD = {"cpr": "010180-1234", "fornavn": "Åse", "efternavn": "Østergaard", "koen": "K",
        "henvisningsdato": "2008-01-10", "sygemeldt_fra": "01-12-2007", "startdato": "2008-01-20",
        "afslutningsdato": "2008-04-10", "ansaettelse": "ansat", "arbejdsgiver": "Københavns Kommune",
        "aarsager": "stress,angst", "undergruppe": "1", "visiteret": "ja", "visitation_begrundelse": "",
        "afslutningsstatus": "fuld_tid", "andet_aarsag": ""}
OPEN = {**GOOD, "cpr": "020275-4321", "fornavn": "Bo", "koen": "M", "afslutningsdato": "", "afslutningsstatus": "",
        "aarsager": "depression"}
OTHER = {**GOOD, "cpr": "030390-2468", "fornavn": "Carla", "afslutningsstatus": "andet",
         "andet_aarsag": "ikke_moedt"}


def write_csv(path, rows, *, delimiter=";", bom=False):
    def cell(v: str) -> str:
        return f'"{v}"' if delimiter in v or "," in v else v
    lines = [delimiter.join(HEADER)] + [delimiter.join(cell(r[c]) for c in HEADER) for r in rows]
    path.write_bytes(("\ufeff" if bom else "").encode() + "\n".join(lines).encode("utf-8"))
    return path


def cases(services) -> list[tuple]:
    with services.db.read() as s:
        return s.execute(select(Citizen.cpr, Case.phase, Case.closed_date, CatalogItem.code, Case.subgroup,
                                Case.visitation_decision)
                         .join(Citizen, Citizen.id == Case.citizen_id)
                         .outerjoin(CatalogItem, CatalogItem.id == Case.outcome_id).order_by(Case.id)).all()


@pytest.fixture
def lead(services):
    return make_user(services, "team_lead", "tove")


def test_a_valid_file_imports_every_row_in_one_logged_transaction(services, lead, tmp_path):
    path = write_csv(tmp_path / "f.csv", [GOOD, OPEN, OTHER])
    check = services.importing.check_file(lead, path)
    assert (check.rows, check.valid_rows, check.problems) == (3, 3, [])
    assert cases(services) == []   # the dry run wrote nothing
    result = services.importing.import_file(lead, path)
    assert (result.imported, result.refused) == (3, 0)
    assert cases(services) == [("0101801234", "closed", dt.date(2008, 4, 10), "full_return", 1, "accepted"),
                               ("0202754321", "intervention", None, None, 1, "accepted"),
                               ("0303902468", "closed", dt.date(2008, 4, 10), "other", 1, "accepted")]
    with services.db.read() as s:
        entries = s.execute(select(AuditEntry.action, AuditEntry.entity, AuditEntry.detail)
                            .where(AuditEntry.entity.in_(("case_import", "tta_case")))).all()
        male = s.scalar(select(Citizen.sex).where(Citizen.cpr == "0202754321"))
    assert male == "male"
    assert [e.action for e in entries if e.entity == "tta_case"] == ["create"] * 3
    assert ("create", "case_import", "3 forløb importeret fra f.csv (0 til kendte borgere, 0 rækker sprunget over)") \
        in entries


def test_an_error_in_every_column_is_named_by_row_and_column(services, lead, tmp_path):
    bad = {"cpr": "123", "fornavn": "", "efternavn": "", "koen": "X", "henvisningsdato": "31-02-2008",
           "sygemeldt_fra": "i går", "startdato": "2008-13-01", "afslutningsdato": "snart", "ansaettelse": "fyret",
           "arbejdsgiver": "", "aarsager": "hovedpine", "undergruppe": "9", "visiteret": "måske",
           "visitation_begrundelse": "", "afslutningsstatus": "rask", "andet_aarsag": "ukendt"}
    missing = {**GOOD, "arbejdsgiver": "", "visiteret": "nej", "startdato": "", "afslutningsdato": "",
               "afslutningsstatus": ""}
    path = write_csv(tmp_path / "f.csv", [GOOD, bad, missing])
    check = services.importing.check_file(lead, path)
    found = {(p.row, p.column) for p in check.problems}
    assert {(3, c) for c in HEADER if c not in ("arbejdsgiver", "visitation_begrundelse")} <= found
    assert {(4, "arbejdsgiver"), (4, "visitation_begrundelse")} <= found
    assert check.refused_rows == [3, 4] and check.valid_rows == 1
    texts = [p.text for p in check.problems]
    assert "Række 3, kolonne koen: ukendt værdi \"X\"; brug K, M" in texts
    assert "Række 3, kolonne undergruppe: skal være et tal fra 1 til 8 eller tom" in texts
    assert "Række 4, kolonne visitation_begrundelse: skal udfyldes, når borgeren ikke er visiteret" in texts
    assert any(t.startswith("Række 3, kolonne henvisningsdato: ugyldig dato") for t in texts)
    result = services.importing.import_file(lead, path)
    assert result.imported == 0 and cases(services) == []   # nothing half-imported


def test_bom_and_comma_delimiter_and_unknown_columns(services, lead, tmp_path):
    path = tmp_path / "f.csv"
    write_csv(path, [GOOD, OPEN], delimiter=",", bom=True)
    text = path.read_text(encoding="utf-8-sig").splitlines()
    path.write_text("\ufeff" + "\n".join([text[0] + ",telefon", *[line + ",1234" for line in text[1:]]]),
                    encoding="utf-8")
    result = services.importing.import_file(lead, path)
    assert result.imported == 2 and result.check.unknown_columns == ["telefon"]
    assert [c[0] for c in cases(services)] == ["0101801234", "0202754321"]


def test_excel_with_date_cells(services, lead, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append([dt.date(2008, 1, 10) if c == "henvisningsdato" else int(GOOD[c]) if c == "undergruppe" else GOOD[c]
               for c in HEADER])
    wb.save(tmp_path / "f.xlsx")
    result = services.importing.import_file(lead, tmp_path / "f.xlsx")
    assert result.imported == 1 and cases(services)[0][:3] == ("0101801234", "closed", dt.date(2008, 4, 10))


def test_a_repeated_and_a_known_cpr_link_to_one_citizen(services, lead, tmp_path):
    make_case(services, first_name="Kendt", birth=dt.date(1975, 2, 2), referral_date=dt.date(2007, 1, 1),
              sick_leave_start=dt.date(2006, 12, 1))
    with services.db.write() as s:
        known = s.scalars(select(Citizen)).one()
        c = s.scalars(select(Case)).one()
        c.phase, c.closed_date = "closed", dt.date(2007, 3, 1)
        known_cpr = known.cpr
    again = {**GOOD, "henvisningsdato": "2008-06-01", "sygemeldt_fra": "2008-05-01", "startdato": "2008-06-05",
             "afslutningsdato": "2008-08-01"}
    known_row = {**OPEN, "cpr": known_cpr}
    second_open = {**OPEN, "henvisningsdato": "2008-02-01", "startdato": "2008-02-05"}
    path = write_csv(tmp_path / "f.csv", [GOOD, again, known_row, OPEN, second_open])
    check = services.importing.check_file(lead, path)
    assert [p.text for p in check.problems] == ["Række 6, kolonne cpr: borgeren har allerede et åbent forløb i række 5"]
    result = services.importing.import_file(lead, path, valid_only=True)
    assert (result.imported, result.linked) == (4, 2)
    with services.db.read() as s:
        per_citizen = dict(s.execute(select(Citizen.cpr, func.count(Case.id)).join(Case).group_by(Citizen.cpr)).all())
    assert per_citizen == {"0101801234": 2, known_cpr: 2, "0202754321": 1}


def test_cli_dry_run_valid_only_and_exit_status(services, lead, db_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TTA_PASSWORD", "hemmelig123")
    path = write_csv(tmp_path / "f.csv", [GOOD, {**OPEN, "koen": "Q"}])
    args = ["import", "cases", str(path), "--db", db_url, "--user", "tove"]
    assert main.main([*args, "--dry-run"]) == 1
    out = capsys.readouterr()
    assert "Række 3, kolonne koen" in out.err and "Prøvekørsel: intet er importeret." in out.out
    assert main.main(args) == 1 and cases(services) == []
    assert "brug --valid-only" in capsys.readouterr().out
    assert main.main([*args, "--valid-only"]) == 1
    assert "1 forløb er importeret." in capsys.readouterr().out and len(cases(services)) == 1
    good = write_csv(tmp_path / "g.csv", [OTHER])
    assert main.main(["import", "cases", str(good), "--db", db_url, "--user", "tove"]) == 0


def test_a_cancelled_or_failed_import_leaves_nothing(services, lead, tmp_path):
    class Cancel:
        def report(self, *a):
            pass

        def check(self):
            raise RuntimeError("cancelled")
    path = write_csv(tmp_path / "f.csv", [GOOD, OPEN])
    with pytest.raises(RuntimeError):
        services.importing.import_file(lead, path, progress=Cancel())
    assert cases(services) == []
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    with pytest.raises(ValidationError, match="filen er tom"):
        services.importing.check_file(lead, tmp_path / "empty.csv")
    (tmp_path / "latin.csv").write_bytes(";".join(HEADER).encode() + b"\n\xe5")
    with pytest.raises(ValidationError, match="UTF-8"):
        services.importing.check_file(lead, tmp_path / "latin.csv")
    (tmp_path / "short.csv").write_text("cpr;fornavn\n010180-1234;Åse\n", encoding="utf-8")
    check = services.importing.check_file(lead, tmp_path / "short.csv")
    assert ("efternavn", "kolonnen mangler") in {(p.column, p.message) for p in check.problems if p.row == 1}


def test_the_administrator_neither_imports_nor_checks_a_file(services, tmp_path):
    """An import writes case data and its check says whether a person has an open case: the
    administrator, who reads no case, may do neither."""
    from app.errors import PermissionDenied
    admin = make_user(services, "admin")
    make_case(services)
    path = write_csv(tmp_path / "f.csv", [OPEN])
    with pytest.raises(PermissionDenied):
        services.importing.check_file(admin, path)
    with pytest.raises(PermissionDenied):
        services.importing.import_file(admin, path)
    assert len(cases(services)) == 1
