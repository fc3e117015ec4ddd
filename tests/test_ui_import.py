"""Administration → Import: the file's first rows and every problem before anything is imported;
importing all rows, or the valid rows only after a question; the result in the status bar."""
from __future__ import annotations

from tests.factories import make_user
from tests.test_import import GOOD, OPEN, OTHER, cases, write_csv
from ui.pages.admin import AdminPage
from ui.pages.admin.importing import ImportTab


def import_tab(qtbot, services, settle, role="team_lead") -> tuple[ImportTab, list[str]]:
    page = AdminPage(services, make_user(services, role, "tove"))
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    settle()
    tab = page.show_tab(ImportTab)
    seen: list[str] = []
    page.status.connect(seen.append)
    tab.page = page   # the page owns the tab: keep it alive for the test
    return tab, seen


def test_a_valid_file_is_previewed_then_imported_with_progress(qtbot, services, settle, tmp_path):
    tab, seen = import_tab(qtbot, services, settle)
    assert not tab.import_all.isEnabled() and "Vælg en fil" in tab.summary.text()
    tab.load(write_csv(tmp_path / "f.csv", [GOOD, OPEN, OTHER]))
    settle()
    assert tab.preview.headers[:3] == ["cpr", "fornavn", "efternavn"]
    assert [r[1] for r in tab.preview.rows] == ["Åse", "Bo", "Carla"]
    assert tab.summary.text() == "3 rækker, 3 gyldige, 0 med fejl." and tab.problems.rows == []
    assert cases(services) == []
    assert tab.import_all.isEnabled() and not tab.import_valid.isEnabled()
    tab.import_all.click()
    settle()
    assert len(cases(services)) == 3
    assert seen[-1] == "3 forløb importeret (0 til kendte borgere)."
    assert not tab.import_all.isEnabled()


def test_problems_are_listed_and_only_the_valid_rows_import_after_asking(qtbot, services, settle, tmp_path, answer):
    tab, seen = import_tab(qtbot, services, settle, role="team_lead")
    tab.load(write_csv(tmp_path / "f.csv", [GOOD, {**OPEN, "koen": "Q", "undergruppe": "12"}]))
    settle()
    assert tab.problems.rows == [["3", "koen", 'ukendt værdi "Q"; brug K, M'],
                                 ["3", "undergruppe", "skal være et tal fra 1 til 8 eller tom"]]
    assert "1 med fejl" in tab.summary.text()
    assert not tab.import_all.isEnabled() and tab.import_valid.isEnabled()
    answer("no")
    tab.import_valid.click()
    settle()
    assert cases(services) == []
    answer("yes")
    tab.import_valid.click()
    settle()
    assert len(cases(services)) == 1 and answer.asked[-1][0] == "Importér de gyldige rækker"
    assert seen[-1].startswith("1 forløb importeret")


def test_an_unreadable_file_is_explained(qtbot, services, settle, tmp_path, answer):
    tab, _seen = import_tab(qtbot, services, settle)
    (tmp_path / "tom.csv").write_text("", encoding="utf-8")
    answer("ok")
    tab.load(tmp_path / "tom.csv")
    settle()
    assert "filen er tom" in answer.asked[-1][1] and not tab.import_all.isEnabled()
