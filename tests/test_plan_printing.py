"""The printed action plan, read back as text: the team's, the citizen's and the employer's version."""
from __future__ import annotations

import io

import pdfplumber
import pytest
from sqlalchemy import select

from app.errors import ValidationErrors
from db.models import CaseAbsenceReason, CaseIcd10, CatalogItem, InstrumentResult
from tests.factories import make_case, make_user, plan_values

LONG = ("Borgeren beskriver en arbejdsdag med mange afbrydelser, og ønsker at øve sig i at sige fra. " * 34)[:3000]


def pages(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [p.extract_text() or "" for p in pdf.pages]


@pytest.fixture
def printed(services):
    """An approved plan for a citizen with a diagnosis code, a reason and a WHO-5 score on file."""
    coord = make_user(services, "coordinator", "koord", full_name="Karin Koordinator")
    lead = make_user(services, "team_lead", "leder", full_name="Lene Leder")
    case_id = make_case(services, first_name="Åse", last_name="Østergaard-Bæk", coordinator_id=coord.user_id,
                        normal_hours=37.0)
    with services.db.write() as s:
        s.add(CaseIcd10(case_id=case_id, code="F43.2"))
        reason = s.scalar(select(CatalogItem.id).where(CatalogItem.kind == "absence_reason",
                                                       CatalogItem.code == "depression"))
        s.add(CaseAbsenceReason(case_id=case_id, reason_id=reason))
        s.add(InstrumentResult(case_id=case_id, instrument="WHO5", taken_on=services.plans.today(),
                               answers_json="[]", score=44, band="nedsat trivsel", recorded_by_id=coord.user_id))
    pid = services.plans.start_plan(coord, case_id)
    values = plan_values(citizen_view=LONG, work_adaptations="Arbejder på <kontoret> & i haven – 🌻 ønsker ro")
    for i in values["interventions"]:
        i["responsible_id"] = coord.user_id
    services.plans.save_plan(coord, pid, expected_version=services.plans.plan_tab(coord, case_id).plan.version,
                             values=values)
    services.plans.approve(lead, pid, expected_version=services.plans.plan_tab(coord, case_id).plan.version)
    return services, lead, case_id


def test_the_team_version_holds_everything(printed):
    services, lead, case_id = printed
    text = pages(services.plans.plan_pdf(lead, case_id, audience="team"))
    whole = "\n".join(text)
    assert "Handlingsplan" in whole and "Åse Østergaard-Bæk" in whole
    # A table cell wraps, and text extraction reads a table row by row across its cells.
    assert "Individuelle støttende og" in whole and "afklarende samtaler med psykolog" in whole
    assert "Rundbordssamtale" in whole
    for week in range(1, 7):
        assert any(line.startswith(f"{week} ") for line in whole.splitlines()), week
    assert "Version 1 – Godkendt" in whole and "af Lene Leder" in whole
    assert "F43.2" in whole and "WHO-5" in whole
    assert "<kontoret> & i haven – [?] ønsker ro" in whole
    assert "Side 1 af" in text[0]
    assert "Borger" in text[-1] and "Koordinator" in text[-1] and "Arbejdsgiver" in text[-1]


def test_a_long_paragraph_wraps_onto_the_next_page(printed):
    services, lead, case_id = printed
    text = pages(services.plans.plan_pdf(lead, case_id, audience="citizen"))
    assert len(text) >= 2
    tail = LONG[-60:].split()[-4:]
    assert " ".join(tail) in " ".join(text[1].split())
    assert "ønsker at øve sig" in text[0]


def test_the_employer_version_holds_no_health_information(printed):
    services, lead, case_id = printed
    whole = "\n".join(pages(services.plans.plan_pdf(lead, case_id, audience="employer")))
    assert "Åse Østergaard-Bæk" in whole and "Aftalte timer uge for uge" in whole
    assert "Fast pause" in whole and "Rundbordssamtale" in whole
    for word in ("F43", "ICD", "diagnose", "Diagnose", "depression", "Depression", "WHO-5", "score", "44",
                 "psykolog", "Udredning", "trivsel"):
        assert word not in whole, word


def test_the_citizen_version_speaks_plain_danish(printed):
    services, lead, case_id = printed
    whole = "\n".join(pages(services.plans.plan_pdf(lead, case_id, audience="citizen")))
    assert "Din handlingsplan" in whole and "Dine egne mål" in whole and "Gå en tur hver dag" in whole
    assert "F43.2" not in whole and "WHO-5" not in whole


def test_a_schedule_above_the_contract_hours_gets_a_message_not_a_pdf(printed):
    services, lead, case_id = printed
    from db.models import Case
    with services.db.write() as s:
        s.get(Case, case_id).normal_hours_per_week = 20.0
    with pytest.raises(ValidationErrors, match="uge 5: 25 timer er over kontraktens 20 timer"):
        services.plans.plan_pdf(lead, case_id)
