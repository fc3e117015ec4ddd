"""Printed documents: checked by the text a reader (or pdfplumber) gets out of the PDF, not bytes."""
from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path

import pdfplumber
import pytest

from app.labels import AUDIT_ACTION_LABELS
from app.printing.access_log import EMPTY_TEXT, render_access_log, render_access_log_bytes
from app.printing.fonts import fonts, load_font_set
from app.printing.templates import MISSING_GLYPH, format_datetime, printable, safe
from app.services.audit_log import AuditRow

LETTERHEAD = {"organisation": "TTA-teamet Århus", "department": "Jobcenter Øst", "address": "Rådhuspladsen 2",
              "postcode_city": "8000 Aarhus C", "phone": "89 40 20 00", "email": "tta@example.dk", "cvr": "55133018"}
SUBJECT = "Forløb TTA-2026-00012 – Åse Østergaard"
PRINTED_AT = dt.datetime(2026, 11, 22, 13, 5)      # naive UTC, as the application's clock gives it
STAMP = re.compile(r"\d{2}-\d{2}-\d{4} \d{2}:\d{2}:\d{2}")
LONG_DETAIL = " ".join(f"ord{i:04d}" for i in range(700))[:5000]   # 5,000 characters, every word unique
EMOJI_TEXT = "Zażółć gęślą jaźń · Съешь же ещё · smil 🦀 familie 👨‍👩‍👧 slut"
MARKUP_TEXT = "Kommentar <b>fed</b> & <script>x</script> > færdig"


Row = AuditRow  # the rows the service hands the printer


def _rows(n: int = 300) -> list[Row]:
    actions = list(AUDIT_ACTION_LABELS)
    rows = []
    for i in range(1, n + 1):
        detail = ""
        if i % 7 == 0:
            detail = "Ærø æøå ÆØÅ Østergård"
        if i % 11 == 0:
            detail = MARKUP_TEXT
        if i % 13 == 0:
            detail = EMOJI_TEXT
        if i == 150:
            detail = LONG_DETAIL
        rows.append(Row(dt.datetime(2026, 3, 1, 8, 0) + dt.timedelta(minutes=37 * i), i % 6, f"Bruger Nummer{i % 6}",
                        actions[i % len(actions)], "tta_case" if i % 2 else "journal_note", f"TTA-2026-{i:05d}",
                        "phase,status" if i % 3 == 0 else "", detail))
    return rows


def _render(path: Path, rows: list[Row], **kw) -> Path:
    args = dict(letterhead=LETTERHEAD, title="Adgangslog – TTA-2026-00012", subject=SUBJECT, rows=rows,
                filter_text="01-03-2026 – 31-03-2026, alle brugere", printed_by="Hanne Ærbøl",
                printed_at=PRINTED_AT)
    args.update(kw)
    return render_access_log(path, **args)


def _pages(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def _flat(text: str) -> str:
    """One line, single spaces: wrapped table cells read as the words they are."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def big_log(tmp_path_factory) -> tuple[Path, list[str]]:
    path = _render(tmp_path_factory.mktemp("print") / "adgangslog.pdf", _rows())
    return path, _pages(path)


def test_every_page_says_side_n_af_m_with_the_real_total(big_log):
    _, pages = big_log
    total = len(pages)
    assert total > 3
    for number, text in enumerate(pages, start=1):
        assert f"Side {number} af {total}" in text
        assert f"Udskrevet {format_datetime(PRINTED_AT)} af Hanne Ærbøl" in text
        assert text.count("Tidspunkt") == 1, f"the head row is repeated once on page {number}"


def test_heading_subject_filter_and_letterhead(big_log):
    _, pages = big_log
    first = pages[0]
    assert "Adgangslog" in first
    assert SUBJECT in first
    assert "Filter: 01-03-2026 – 31-03-2026, alle brugere" in first
    assert "300 registreringer" in first
    assert "TTA-teamet Århus" in first and "CVR-nr. 55133018" in first
    assert "CVR-nr." not in pages[1], "later pages carry only the running head"
    assert "TTA-teamet Århus · Jobcenter Øst" in pages[1]


def test_one_table_row_per_entry_and_nothing_lost(big_log):
    _, pages = big_log
    text = "\n".join(pages)
    assert len(STAMP.findall(text)) == 300
    # Danish record names, never an internal id; people by their names.
    assert len(re.findall(r"\bForløb\b", text)) >= 150 and len(re.findall(r"\bJournalnotat\b", text)) == 150
    assert "#" not in text and "Nummer5" in text
    assert "Fuldt CPR vist" in text and "Forkert" in text     # Danish action labels, not codes
    assert "reveal_cpr" not in text


def test_user_text_survives_extraction_literally(big_log):
    _, pages = big_log
    flat = _flat("\n".join(pages))
    assert "Ærø æøå ÆØÅ Østergård" in flat
    assert _flat(MARKUP_TEXT) in flat, "markup in user text is printed, not interpreted"
    assert "Zażółć gęślą jaźń · Съешь же ещё" in flat


def test_characters_without_a_glyph_become_a_visible_marker(big_log):
    _, pages = big_log
    flat = _flat("\n".join(pages))
    assert f"smil {MISSING_GLYPH} familie {MISSING_GLYPH} slut" in flat
    assert not any(ord(ch) > 0xFFFF for ch in flat)
    used = set(flat) - {" "}
    assert all(fonts().can_draw(ch) for ch in used)


def test_a_5000_character_cell_flows_over_pages_complete(big_log):
    _, pages = big_log
    words = re.findall(r"ord\d{4}", "\n".join(pages))
    assert words == LONG_DETAIL.split()[:len(words)] and len(words) == len(LONG_DETAIL.split())
    spanning = [i for i, text in enumerate(pages) if "ord0" in text]
    assert len(spanning) >= 2, "the long cell was split inside its row"


def test_the_fonts_are_embedded_dejavu(big_log):
    path, _ = big_log
    with pdfplumber.open(path) as pdf:
        names = {c["fontname"].split("+")[-1] for c in pdf.pages[0].chars}
    assert names <= {"DejaVuSans", "DejaVuSans-Bold"}, names


def test_an_empty_log_says_so(tmp_path):
    path = _render(tmp_path / "tom.pdf", [])
    pages = _pages(path)
    assert len(pages) == 1
    assert EMPTY_TEXT in pages[0]
    assert "Side 1 af 1" in pages[0]
    assert "Tidspunkt" not in pages[0]


def test_a_cell_longer_than_a_page_never_raises_layout_error(tmp_path):
    huge = " ".join(f"w{i}" for i in range(2500)) + " " + "x" * 3000    # pages long, then one unbroken word
    row = Row(dt.datetime(2026, 3, 1, 8, 0), 1, "Bruger Et", "update", "tta_case", "TTA-2026-00001", "", huge)
    pages = _pages(_render(tmp_path / "lang.pdf", [row]))
    assert len(pages) >= 4
    text = "\n".join(pages)
    assert [int(n) for n in re.findall(r"\bw(\d+)", text)] == list(range(2500))
    assert sum(len(run) for run in re.findall(r"x{10,}", text)) == 3000


def test_render_writes_atomically_and_returns_the_path(tmp_path):
    target = tmp_path / "ud" / "log.pdf"
    assert _render(target, _rows(3)) == target
    assert [p.name for p in target.parent.iterdir()] == ["log.pdf"]
    assert render_access_log_bytes(letterhead={}, title="t", subject="s", rows=[], filter_text="",
                                   printed_by="x", printed_at=PRINTED_AT).startswith(b"%PDF")


def test_times_print_in_local_time(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Copenhagen")
    time.tzset()
    try:
        assert format_datetime(dt.datetime(2026, 3, 28, 23, 30), seconds=True) == "29-03-2026 00:30:00"  # CET
        assert format_datetime(dt.datetime(2026, 3, 29, 1, 30)) == "29-03-2026 03:30"                     # CEST
        aware = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
        assert format_datetime(aware) == "01-06-2026 14:00"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_printable_and_safe():
    assert safe("<b>fed</b> & co") == "&lt;b&gt;fed&lt;/b&gt; &amp; co"
    assert safe("linje 1\r\nlinje 2") == "linje 1<br/>linje 2"
    assert printable("æøå ÆØÅ ż Ж") == "æøå ÆØÅ ż Ж"
    assert printable("a 🦀 b") == f"a {MISSING_GLYPH} b"
    assert printable("👍🏽") == MISSING_GLYPH, "an emoji with a skin tone is one marker"
    assert printable("👨‍👩‍👧") == MISSING_GLYPH, "a joined emoji sequence is one marker"
    assert printable("🦀🦀") == MISSING_GLYPH * 2
    assert printable("nul\x00tegn\tfane") == f"nul{MISSING_GLYPH}tegn fane"
    assert printable(None) == ""


def test_missing_font_files_fall_back_to_vera(tmp_path):
    font_set = load_font_set(tmp_path)
    assert font_set.family == "TTAVera"
    assert all(font_set.can_draw(c) for c in "æøåÆØÅ")
    assert not font_set.can_draw("Ж")
    assert printable("Ж æ", font_set) == f"{MISSING_GLYPH} æ"


def test_the_citizens_extract_lists_rows_over_pages_and_says_when_empty(tmp_path):
    from app.printing.audit_extract import EMPTY_TEXT as NO_ENTRIES
    from app.printing.audit_extract import render_audit_extract
    from app.services.audit_log import CitizenExtract
    rows = [Row(r.at, r.user_id, r.user, r.action, r.entity, "TTA-2026-00012", r.fields, r.detail) for r in _rows(120)]
    extract = CitizenExtract(7, "Åse Østergaard", "170584-xxxx", [(12, "TTA-2026-00012")], rows, 6)
    pages = _pages(render_audit_extract(tmp_path / "indsigt.pdf", extract, letterhead=LETTERHEAD,
                                        printed_by="Hanne Ærbøl", printed_at=PRINTED_AT))
    text = "\n".join(pages)
    assert len(pages) > 1 and f"Side 1 af {len(pages)}" in pages[0]
    assert "Udtræk af adgangsloggen" in pages[0] and "Åse Østergaard (170584-xxxx)" in pages[0]
    assert "120 registreringer" in pages[0] and "opbevares i 6 måneder" in pages[0]
    assert len(re.findall(r"\b\d{2}:\d{2}:\d{2}\b", text)) == 120   # one time (with seconds) per row
    assert _flat(MARKUP_TEXT) in _flat(text)   # user text escaped, not interpreted
    empty = CitizenExtract(7, "Åse Østergaard", "170584-xxxx", [(12, "TTA-2026-00012")], [], 6)
    page = _pages(render_audit_extract(tmp_path / "tom.pdf", empty, letterhead=LETTERHEAD, printed_by="x",
                                       printed_at=PRINTED_AT))[0]
    assert NO_ENTRIES in page and "Tidspunkt" not in page
