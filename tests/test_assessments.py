"""Assessments through the service: drafts with scored instruments, signing, addenda, who may write
which discipline's assessment, what a reader off the case sees, scores over time, the printed summary."""
from __future__ import annotations

import datetime as dt

import pdfplumber
import pytest

from app.errors import ConflictError, NeedToKnow, PermissionDenied, ValidationError
from db.models import AuditEntry, Case
from tests.factories import make_case, make_user

TODAY = dt.date(2026, 11, 20)
WHO5_44 = [2, 2, 2, 2, 3]          # 44: some risk
MDI_27 = [3, 3, 3, 3, 3, 2, 2, 4, 1, 2, 0, 2]   # 3*5+2+2+4+2+2 = 27: moderate


@pytest.fixture
def world(services, clock):
    clock.now = dt.datetime(2026, 11, 20, 10, 0)
    w = type("W", (), {})()
    w.coord = make_user(services, "coordinator", "koord")
    w.psych = make_user(services, "psychologist", "psyk", full_name="Pia Psykolog")
    w.physio = make_user(services, "physiotherapist", "fys")
    w.other_psych = make_user(services, "psychologist", "psyk2")
    w.lead = make_user(services, "team_lead", "leder")
    w.case = make_case(services, phase="assessment", coordinator_id=w.coord.user_id,
                       team_member_ids=[w.psych.user_id, w.physio.user_id])
    return w


def draft(services, w, **over):
    values = {"assessed_on": TODAY, "summary": "Moderat depression, motiveret for at vende tilbage.",
              "presenting_problems": "Nedsat koncentration", "psychological_findings": "Tristhed og uro",
              "sections": [{"heading": "function", "resources": "Hukommelse", "barriers": "Træthed", "degree": 2}]}
    values.update(over.pop("values", {}))
    instruments = over.pop("instruments", {"WHO5": WHO5_44, "MDI": MDI_27, "RTW_EXPECTATION": [6, 1]})
    return services.assessments.save_draft(w.psych, w.case, values=values, instruments=instruments, **over)


def test_a_draft_is_scored_signed_and_then_read_only(services, world):
    w = world
    aid = draft(services, w)
    d = services.assessments.get(w.coord, aid)
    assert (d.instruments["WHO5"].score, d.instruments["WHO5"].band) == (44, "Nogen risiko")
    assert (d.instruments["MDI"].score, d.instruments["MDI"].band) == (27, "Moderat depression")
    assert d.values["psychological_findings"] == "Tristhed og uro"
    assert d.values["sections"][0]["barriers"] == "Træthed"
    with services.db.read() as s:
        assert s.get(Case, w.case).rtw_expectation == 6
    services.assessments.sign(w.psych, aid, expected_version=d.version)
    signed = services.assessments.get(w.psych, aid)
    assert signed.signed
    with pytest.raises(ValidationError, match="underskrevet"):
        draft(services, w, assessment_id=aid, expected_version=signed.version)


def test_an_incomplete_instrument_is_a_draft_that_cannot_be_signed(services, world):
    w = world
    aid = draft(services, w, instruments={"WHO5": [2, 2, None, 2, 3]})
    d = services.assessments.get(w.psych, aid)
    assert d.instruments["WHO5"].score is None and d.instruments["WHO5"].band == ""
    assert services.assessments.scores_over_time(w.psych, w.case) == []
    with pytest.raises(ValidationError, match="besvar alle"):
        services.assessments.sign(w.psych, aid, expected_version=d.version)
    draft(services, w, assessment_id=aid, expected_version=d.version, instruments={"WHO5": WHO5_44})
    d = services.assessments.get(w.psych, aid)
    services.assessments.sign(w.psych, aid, expected_version=d.version)


def test_only_the_owning_discipline_writes_and_only_the_author_signs(services, world):
    w = world
    aid = draft(services, w)
    v = services.assessments.get(w.psych, aid).version
    with pytest.raises(PermissionDenied):
        services.assessments.save_draft(w.physio, w.case, assessment_id=aid, expected_version=v,
                                        values={"assessed_on": TODAY})
    with pytest.raises(PermissionDenied):
        services.assessments.sign(w.coord, aid, expected_version=v)
    with pytest.raises(ValidationError):   # the physiotherapist's form has no MDI
        services.assessments.save_draft(w.physio, w.case, values={"assessed_on": TODAY},
                                        instruments={"MDI": MDI_27})
    with pytest.raises(PermissionDenied):
        services.assessments.save_draft(w.lead, w.case, values={"assessed_on": TODAY})


def test_a_stale_version_is_a_conflict(services, world):
    w = world
    aid = draft(services, w)
    v = services.assessments.get(w.psych, aid).version
    draft(services, w, assessment_id=aid, expected_version=v, values={"summary": "Ny vurdering"})
    with pytest.raises(ConflictError):
        draft(services, w, assessment_id=aid, expected_version=v, values={"summary": "Min vurdering"})


def test_an_addendum_goes_under_a_signed_assessment_with_author_and_time(services, world, clock):
    w = world
    aid = draft(services, w)
    with pytest.raises(ValidationError):
        services.assessments.add_addendum(w.psych, aid, "For tidligt")
    services.assessments.sign(w.psych, aid, expected_version=services.assessments.get(w.psych, aid).version)
    clock.now = dt.datetime(2026, 11, 21, 9, 30)
    services.assessments.add_addendum(w.psych, aid, "MDI gentaget mundtligt, samme niveau.")
    with pytest.raises(PermissionDenied):
        services.assessments.add_addendum(w.physio, aid, "Ikke min faglighed")
    d = services.assessments.get(w.coord, aid)
    assert [(a.author, a.text) for a in d.addenda] == [("Pia Psykolog", "MDI gentaget mundtligt, samme niveau.")]
    assert d.addenda[0].created_at == dt.datetime(2026, 11, 21, 9, 30)


def test_a_reader_off_the_case_sees_nothing_of_the_assessments(services, world):
    """Not even that one exists: which discipline assessed the person says something of their health."""
    w = world
    aid = draft(services, w)
    with pytest.raises(NeedToKnow):
        services.assessments.list_for_case(w.other_psych, w.case)
    with pytest.raises(NeedToKnow):
        services.assessments.get(w.other_psych, aid)
    full = services.assessments.list_for_case(w.lead, w.case)
    assert full.rows[0].key_scores == "WHO-5 44 · MDI 27 · Forventning 6"


def test_every_view_is_logged(services, world):
    w = world
    aid = draft(services, w)
    services.assessments.get(w.coord, aid)
    services.assessments.list_for_case(w.lead, w.case)
    with services.db.read() as s:
        reads = s.query(AuditEntry).filter(AuditEntry.entity == "assessment", AuditEntry.action == "read").all()
        assert {(e.entity_id, e.case_id) for e in reads} == {(aid, w.case), (None, w.case)}


def test_scores_over_time_and_the_latest_with_the_change(services, world, clock):
    w = world
    first = draft(services, w, values={"assessed_on": dt.date(2026, 10, 1)},
                  instruments={"WHO5": [1, 1, 1, 1, 1], "MDI": MDI_27})
    services.assessments.sign(w.psych, first, expected_version=services.assessments.get(w.psych, first).version)
    draft(services, w, instruments={"WHO5": [3, 3, 3, 2, 3]})
    points = services.assessments.scores_over_time(w.coord, w.case)
    assert [(p.taken_on, p.instrument, p.score) for p in points] == [
        (dt.date(2026, 10, 1), "WHO5", 20), (dt.date(2026, 10, 1), "MDI", 27), (TODAY, "WHO5", 56)]
    latest = {x.instrument: x for x in services.assessments.latest_scores(w.coord, w.case)}
    assert (latest["WHO5"].score, latest["WHO5"].band, latest["WHO5"].change, latest["WHO5"].relevant) == (
        56, "Normal", 36, True)
    assert latest["MDI"].change is None


def test_the_printed_summary_holds_each_assessment_and_its_scores(services, world, tmp_path):
    w = world
    aid = draft(services, w)
    services.assessments.sign(w.psych, aid, expected_version=services.assessments.get(w.psych, aid).version)
    services.assessments.add_addendum(w.psych, aid, "Supplerende samtale holdt.")
    services.assessments.save_draft(w.physio, w.case, values={"assessed_on": TODAY, "hours_per_day": 4,
                                                             "work_physiology": "Behov for pauser"})
    out = tmp_path / "udredning.pdf"
    data = services.assessments.print_summary(w.coord, w.case, out)
    assert out.read_bytes() == data
    with pdfplumber.open(out) as pdf:
        text = "\n".join(p.extract_text() for p in pdf.pages)
    for expected in ("Udredning", "Psykologisk udredning", "Pia Psykolog", "WHO-5", "44", "Nogen risiko",
                     "Moderat depression", "Supplerende samtale holdt.", "Funktions- og arbejdsfysiologisk",
                     "Behov for pauser", "Kladde"):
        assert expected in text, expected
    with services.db.read() as s:
        assert s.query(AuditEntry).filter(AuditEntry.action == "print", AuditEntry.entity == "assessment").count() == 1


def test_print_assessments_headless(db_url, monkeypatch, tmp_path, capsys):
    import main
    from app.services import Services
    from db.session import open_database
    services = Services(open_database(db_url))
    coord = make_user(services, "coordinator", "mette")
    case_id = make_case(services, coordinator_id=coord.user_id)
    number = services.cases.get_case(coord, case_id).case_number
    monkeypatch.setenv("TTA_PASSWORD", "hemmelig123")
    out = tmp_path / "udredning.pdf"
    assert main.main(["print", "assessments", "--db", db_url, "--user", "mette", "--case", number,
                      "--out", str(out)]) == 0
    with pdfplumber.open(out) as pdf:
        assert number in pdf.pages[0].extract_text()
    assert main.main(["print", "assessments", "--db", db_url, "--user", "mette", "--case", "TTA-9999-9999",
                      "--out", str(out)]) == 2
    assert "intet forløb" in capsys.readouterr().err
    # Someone not on the case is told to state a reason; nothing is written.
    make_user(services, "coordinator", "karl")
    other = tmp_path / "andet.pdf"
    assert main.main(["print", "assessments", "--db", db_url, "--user", "karl", "--case", number,
                      "--out", str(other)]) == 1
    assert "begrund" in capsys.readouterr().err.lower() and not other.exists()
    services.close()
