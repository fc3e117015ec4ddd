"""Printing never crashes: random Unicode (emoji, right-to-left, combining marks, a 10,000-character
word, markup characters, lone surrogates) in every document builder gives a PDF, never an exception;
a character the font lacks shows the visible marker.

``BUILDERS`` lists every builder of ``app/printing`` as ``name -> render(text) -> PDF bytes``, the
text put into each of its user-text places. A new document joins with one line; a builder that is
not listed fails ``test_every_builder_is_listed``.
"""
from __future__ import annotations

import datetime as dt
import importlib
import io
import pkgutil

import pdfplumber
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import app.printing
from app.printing.templates import MISSING_GLYPH
from app.services.audit_log import AuditRow, CitizenExtract

AT = dt.datetime(2026, 11, 23, 9, 30)


def _short(t: str) -> str:
    """Where the app stores at most 200 characters (letterhead, names, titles)."""
    return t[:200]


def _letterhead(t: str) -> dict:
    t = _short(t)
    return {"organisation": t or "TTA", "department": t, "address": t, "postcode_city": t, "phone": t, "email": t,
            "cvr": t}


def _row(t: str) -> AuditRow:
    return AuditRow(AT, 1, _short(t), "read", "tta_case", "TTA-2026-00001", "job_title", t)   # the detail in full


def _access_log(t: str) -> bytes:
    from app.printing.access_log import render_access_log_bytes
    return render_access_log_bytes(letterhead=_letterhead(t), title=_short(t), subject=_short(t),
                                   rows=[_row(t)] * 2, filter_text=_short(t), printed_by=_short(t), printed_at=AT)


def _audit_extract(t: str) -> bytes:
    from app.printing.audit_extract import render_audit_extract_bytes
    extract = CitizenExtract(1, _short(t), "170584-xxxx", [(1, "TTA-2026-00001")], [_row(t)] * 2, 6)
    return render_audit_extract_bytes(extract, letterhead=_letterhead(t), printed_by=_short(t), printed_at=AT)


def _recovery_key(t: str) -> bytes:
    from app.printing.recovery_key import render_recovery_key_bytes
    return render_recovery_key_bytes(recovery_key="ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567", letterhead=_letterhead(t),
                                     database=t, created_by=_short(t), created_at=AT)


BUILDERS = {
    "access_log.render_access_log_bytes": _access_log,
    "audit_extract.render_audit_extract_bytes": _audit_extract,
    "recovery_key.render_recovery_key_bytes": _recovery_key,
}

NASTY = st.sampled_from([
    "😀👩‍👩‍👧 emoji", "שלום עולם مرحبا", "e\u0301\u0302\u0303\u0304 combining", "x" * 1000,
    "<b>&amp; <para> </i> & < > \" '", "Ж Ω ğ ł ő ß", "\u200f\u202e bidi", "tab\tline\nbreak\r",
    "\ud800 lone", "", " ", "\x00\x07 control", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "ﷺ ﷽", "🏳️‍🌈" * 50,
])
TEXT = st.text(max_size=300) | NASTY | st.lists(NASTY, min_size=2, max_size=4).map(" ".join)


def test_every_builder_is_listed():
    found = set()
    for mod in pkgutil.iter_modules(app.printing.__path__):
        module = importlib.import_module(f"app.printing.{mod.name}")
        found |= {f"{mod.name}.{n}" for n in vars(module)
                  if n.startswith("render_") and n.endswith("_bytes") and callable(getattr(module, n))
                  and getattr(module, n).__module__ == module.__name__}
    assert found == set(BUILDERS)


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=TEXT, name=st.sampled_from(sorted(BUILDERS)))
def test_random_unicode_always_gives_a_pdf(text, name):
    pdf = BUILDERS[name](text)
    assert pdf.startswith(b"%PDF")
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert doc.pages


def test_a_10000_character_word_is_printed_in_every_builder():
    for name, build in BUILDERS.items():
        assert build("ø" * 10_000).startswith(b"%PDF"), name


def test_a_glyph_the_font_lacks_is_a_visible_marker():
    for name, build in BUILDERS.items():
        with pdfplumber.open(io.BytesIO(build("😀 Ærø"))) as doc:
            words = "\n".join(p.extract_text() or "" for p in doc.pages)
        assert MISSING_GLYPH in words and "Ærø" in words, name
