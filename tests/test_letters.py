"""Letters: templates checked before saving, a letter merged from a template, consent for the GP and
the employer, the employer letter's health check, the letter log with the exact PDF, the Word copy."""
from __future__ import annotations

import datetime as dt
import io
import re

import pdfplumber
import pytest
from docx import Document

from app.errors import PermissionDenied, ValidationError, ValidationErrors
from app.letter_templates import DEFAULT_TEMPLATES, health_content, template_problems
from db.models import Assessment
from tests.factories import make_user, referral_input

ICD = re.compile(r"\b[A-Z]\d{2}(\.\d)?\b")


@pytest.fixture
def world(services):
    coord = make_user(services, "coordinator", "koord", full_name="Karin Koordinator")
    lead = make_user(services, "team_lead", "leder", full_name="Lene Leder")
    case_id = services.referrals.create_referral(coord, referral_input())
    with services.db.write() as s:
        s.add(Assessment(case_id=case_id, author_id=coord.user_id, discipline="psychologist",
                         assessed_on=dt.date(2026, 11, 12),
                         summary="Borgeren har udtalt bekymringstanker og søvnbesvær gennem flere måneder."))
    return coord, lead, case_id


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_every_shipped_template_is_clean_and_the_employer_one_has_no_health_field():
    assert {t["code"] for t in DEFAULT_TEMPLATES} == {"start", "midtvejs", "afslutning", "laege", "arbejdsgiver",
                                                      "invitation"}
    for t in DEFAULT_TEMPLATES:
        assert template_problems(t["subject"], t["body"], t["recipient_kind"]) == [], t["code"]


def test_a_misspelt_field_or_a_lone_brace_is_reported_before_saving(services, world):
    _coord, lead, _case = world
    row = next(t for t in services.letters.templates(lead) if t.code == "start")
    with pytest.raises(ValidationErrors) as err:
        services.letters.save_template(lead, row.id, {**row.__dict__, "body": "Kære {sagsbehandlr}\n\nHilsen {"},
                                       expected_version=row.version)
    text = str(err.value)
    assert "ukendt flettefelt {sagsbehandlr} – mente du {sagsbehandler}?" in text
    assert "linje 3" in text and "krøllet parentes" in text
    assert next(t for t in services.letters.templates(lead) if t.code == "start").body == row.body   # not saved
    employer = next(t for t in services.letters.templates(lead) if t.code == "arbejdsgiver")
    with pytest.raises(ValidationErrors, match="aldrig stå i et brev til arbejdsgiveren"):
        services.letters.save_template(lead, employer.id,
                                       {**employer.__dict__, "body": employer.body + "\n{diagnoser}"},
                                       expected_version=employer.version)
    problems, preview = services.letters.preview_template(lead, "Emne {borger_navn}", "Kære {sagsbehandler}",
                                                          "jobcentre")
    assert problems == [] and "Mette Hansen" in preview and "{" not in preview
    services.letters.save_template(lead, row.id,
                                   {**row.__dict__, "body": row.body + "\nP.S. Ring på {koordinator_email}."},
                                   expected_version=row.version)
    coord = world[0]
    with pytest.raises(PermissionDenied):
        services.letters.templates(coord)


def test_closing_report_merged_printed_kept_in_the_log_with_the_exact_pdf(services, world):
    coord, _lead, case_id = world
    draft = services.letters.draft(coord, case_id, "afslutning")
    assert "{" not in draft.subject + draft.body
    assert draft.recipient.splitlines() == ["Bente Lund", "Jobcenter Aarhus"]
    assert "Kære Bente Lund" in draft.body and "Åse Østergaard" in draft.subject
    edited = draft.edited(body=draft.body.replace("Vurdering", "Vurdering\nBorgeren er tilbage på fuld tid.", 1))
    pdf = services.letters.letter_pdf(coord, edited)
    text = pdf_text(pdf)
    assert "Afsluttende rapport for Åse Østergaard" in text and "Borgeren er tilbage på fuld tid." in text
    letter_id = services.letters.send(coord, edited, pdf=pdf, how="printer")
    assert services.letters.stored_pdf(coord, letter_id) == pdf
    tab = services.letters.letter_tab(coord, case_id)
    assert [(x.title, x.sender, x.has_pdf) for x in tab.letters] == [(edited.subject, "Karin Koordinator", True)]
    assert any(e.kind == "letter" and e.title.startswith("Brev: Afsluttende rapport")
               for e in services.journal.timeline(coord, case_id))
    words = Document(io.BytesIO(services.letters.letter_docx(coord, edited))).paragraphs
    assert "Borgeren er tilbage på fuld tid." in "\n".join(p.text for p in words)


def test_employer_letter_needs_consent_and_never_carries_health_information(services, world):
    coord, _lead, case_id = world
    with pytest.raises(ValidationError, match="ikke givet samtykke til, at der skrives til arbejdsgiveren"):
        services.letters.draft(coord, case_id, "arbejdsgiver")
    with pytest.raises(ValidationError, match="egen læge"):
        services.letters.draft(coord, case_id, "laege")
    consent = services.letters.record_consent(coord, case_id, party="employer", given_date=dt.date(2026, 11, 20),
                                              given_to="Karen Holm", scope="Opgaver, timer og tilpasninger")
    draft = services.letters.draft(coord, case_id, "arbejdsgiver")
    assert draft.recipient.splitlines()[:2] == ["Karen Holm", "Aarhus Kommune"]
    merged = draft.subject + draft.body
    assert not ICD.search(merged) and health_content(merged) == []
    assert "stress" not in merged.lower() and "angst" not in merged.lower()
    # Whatever the coordinator adds, no ICD code, diagnosis word or finding goes to the employer.
    for added in ("Diagnose: F43.2.", "Hun har generaliseret angst.", "WHO-5 var 44.",
                  "Borgeren har udtalt bekymringstanker og søvnbesvær gennem flere måneder."):
        with pytest.raises(ValidationErrors, match="må ikke indeholde"):
            services.letters.letter_pdf(coord, draft.edited(body=draft.body + "\n\n" + added))
    pdf = services.letters.letter_pdf(coord, draft)
    assert not ICD.search(pdf_text(pdf))
    services.letters.send(coord, draft, pdf=pdf, how="pdf brev.pdf")
    # A withdrawn consent refuses the next letter.
    row = services.letters.letter_tab(coord, case_id).consents[0]
    assert (row.id, row.given_to) == (consent, "Karen Holm")
    services.letters.withdraw_consent(coord, consent, expected_version=row.version)
    with pytest.raises(ValidationError, match="samtykke"):
        services.letters.letter_pdf(coord, draft)
    # The GP letter (with consent) carries the diagnoses and the assessment.
    services.letters.record_consent(coord, case_id, party="gp", given_date=dt.date(2026, 11, 20),
                                    given_to="Lægerne i Vestergade", scope="Udredning og plan")
    gp = services.letters.draft(coord, case_id, "laege")
    assert "bekymringstanker" in gp.body


def test_print_letter_headless_writes_pdf_and_docx_and_logs_it(services, world, db_url, monkeypatch, tmp_path,
                                                              capsys):
    import main
    from app.cli import base as cli
    coord, _lead, case_id = world
    number = services.cases.get_case(coord, case_id).case_number
    monkeypatch.setenv(cli.PASSWORD_ENV, "hemmelig123")
    out, docx = tmp_path / "afslutning.pdf", tmp_path / "afslutning.docx"
    assert main.main(["print", "letter", "--db", db_url, "--user", "koord", "--case", number,
                      "--template", "afslutning", "--out", str(out), "--docx", str(docx)]) == 0
    assert "Afsluttende rapport for Åse Østergaard" in pdf_text(out.read_bytes())
    assert "Anbefalet næste indsats" in "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert [x.has_pdf for x in services.letters.letter_tab(coord, case_id).letters] == [True]
    assert main.main(["print", "letter", "--db", db_url, "--user", "koord", "--case", number,
                      "--template", "arbejdsgiver", "--out", str(tmp_path / "x.pdf")]) != 0
    assert "samtykke" in capsys.readouterr().err
    assert main.main(["print", "letter", "--db", db_url, "--user", "koord", "--case", number,
                      "--template", "afslutnig", "--out", str(tmp_path / "x.pdf")]) == 2
    assert "ingen brevskabelon ved navn afslutnig" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()
