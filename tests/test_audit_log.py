"""What the audit log holds: search texts without full CPR numbers, an entry for every read path,
retention (purge) and the extract about one citizen (GDPR art. 15)."""
from __future__ import annotations

import datetime as dt
import re

import pdfplumber
import pytest
from sqlalchemy import select, text

from app.audit_chain import AuditChainBroken
from app.bootstrap import audit_log_startup
from app.errors import PermissionDenied, ValidationError
from app.validation import mask_cprs_in_text
from db.models import AuditEntry, Case, CaseConference, Citizen, RoundTableMeeting, Task
from tests.factories import make_case, make_user, save_settings


def _entries(services, **where):
    with services.db.read() as s:
        q = select(AuditEntry).order_by(AuditEntry.id)
        for k, v in where.items():
            q = q.where(getattr(AuditEntry, k) == v)
        entries = list(s.scalars(q))
        s.expunge_all()   # loaded, and kept so when the read transaction ends
        return entries


# -- CPR numbers in stored texts ------------------------------------------------------------------------
def test_cpr_numbers_in_text_are_cut_to_the_birth_date():
    assert mask_cprs_in_text("1705841234") == "170584-xxxx"
    assert mask_cprs_in_text("170584-1234 og 170584 1234") == "170584-xxxx og 170584-xxxx"
    assert mask_cprs_in_text("søgte 7705841234, så 1705841") == "søgte 770584-xxxx, så 170584-xxxx"
    # A birth date alone, a phone number, a case number, an 11-digit number: left as they are.
    for kept in ("170584", "20 30 40 50", "20304050", "TTA-2026-00012", "17058412345", "Åse Østergaard",
                 "fra før 22-05-2026", "fra 01-12-1999 til 31-01-2000", "01-01-2026 – 31-03-2026",
                 "kvartalsrapport 01-01-2008 – 30-09-2008 (json)",
                 "22-05-2026 1234"):
        assert mask_cprs_in_text(kept) == kept


def test_search_texts_and_typed_user_names_are_stored_masked(services):
    coord = make_user(services, "coordinator", "mette")
    make_case(services)
    services.cases.search_ids(coord, "170584-1234")
    services.cases.search_ids(coord, "1705841234")
    services.cases.search_ids(coord, "østergaard")
    from app.errors import AuthenticationError
    try:
        services.auth.login("170584-1234", "forkert")
    except AuthenticationError:
        pass
    # Masking lengthens the text: a typed name of 60 characters still fits the column (PostgreSQL refuses more).
    try:
        services.auth.login("x" * 50 + "1705841234", "forkert")
    except AuthenticationError:
        pass
    assert [e.detail for e in _entries(services, action="search") if e.entity == "tta_case"] == [
        "170584-xxxx", "170584-xxxx", "østergaard"]
    assert [e.username for e in _entries(services, action="login_failed")] == ["170584-xxxx",
                                                                                "x" * 50 + "170584-xxx"]


# The case search ignores every '-' and space, so each of these finds the citizen 850298-0689 and
# must not reach the log in full.
SPLIT_CPRS = ["85 02 98 06 89", "8 5 0 2 9 8 0 6 8 9", "850298--0689", "850298 - 0689", "8502-98-0689",
              "850298\u20130689", "850298\u00a00689", "850298/0689", "85.02.98.0689", "850298\t0689",
              "850298\u200b0689", "850298\u00ad0689", "850298\u2009\u20140689",
              "".join(chr(0xFF10 + int(d)) for d in "8502980689")]   # full-width digits


@pytest.mark.parametrize("typed", SPLIT_CPRS)
def test_cpr_numbers_split_by_any_separator_are_masked(typed):
    assert mask_cprs_in_text(typed) == "850298-xxxx"
    assert mask_cprs_in_text("22-05-2026-12") == mask_cprs_in_text("22-05-2026 1") == "220520-xxxx"
    assert mask_cprs_in_text(f"Åse {typed} Ærbøl") == "Åse 850298-xxxx Ærbøl"


def test_split_cpr_numbers_in_search_texts_and_typed_user_names_are_stored_masked(services):
    from app.errors import AuthenticationError
    coord = make_user(services, "coordinator", "mette")
    make_case(services)
    for typed in SPLIT_CPRS:
        services.cases.search_ids(coord, typed)
        with pytest.raises(AuthenticationError):
            services.auth.login(typed, "forkert")
    details = [e.detail for e in _entries(services, action="search") if e.entity == "tta_case"]
    names = [e.username for e in _entries(services, action="login_failed")]
    assert details == ["850298-xxxx"] * len(SPLIT_CPRS)
    assert names == ["850298-xxxx"] * len(SPLIT_CPRS)
    for e in _entries(services):
        assert not re.search(r"0\D{0,3}6\D{0,3}8\D{0,3}9", e.detail + e.username)


# -- every read path writes its entry ------------------------------------------------------------------------
def _read_entries(services, user_id):
    return [(e.entity, e.case_id, e.case_ids) for e in _entries(services, user_id=user_id, action="read")]


def test_every_read_path_writes_its_entry(services, clock):
    coord = make_user(services, "coordinator", "mette")
    lead = make_user(services, "team_lead", "tove")
    first = make_case(services, coordinator_id=coord.user_id)
    second = make_case(services, first_name="Bo", last_name="Holm", coordinator_id=coord.user_id)
    today = clock().date()
    with services.db.write() as s:
        s.add(Task(case_id=second, title="Ring til lægen", owner_id=coord.user_id,
                   due_date=today - dt.timedelta(days=1), created_by_id=coord.user_id))
        s.add(RoundTableMeeting(case_id=first, meeting_date=today + dt.timedelta(days=2)))
        s.add(CaseConference(held_on=today))

    ids = services.cases.search_ids(coord)                       # no text: not a search, no entry
    assert services.cases.list_rows(coord, ids) and services.cases.list_rows(coord, []) == []
    services.dashboard.dashboard(coord)
    services.meetings.list_meetings(coord)
    services.after_follow_up.list_for_case(coord, first)
    assert _read_entries(services, coord.user_id) == [
        ("case_list", None, f"{second},{first}"),     # one entry per block, naming its cases in order
        ("dashboard", None, f"{second}"),             # the cases the task list names
        ("meeting_list", None, f"{first}"),
        ("after_follow_up", first, ""),
    ]
    services.conferences.list_conferences(lead)
    services.dashboard.dashboard(lead)
    services.audit_log.entries(lead, case_id=first, action="read")
    assert _read_entries(services, lead.user_id) == [
        ("conference_list", None, ""), ("dashboard", None, f"{second}"), ("audit_log", first, "")]
    assert _entries(services, user_id=lead.user_id)[-1].detail == "filter: handling read"


def test_a_case_access_log_includes_the_lists_that_showed_it(services):
    coord = make_user(services, "coordinator", "mette", full_name="Mette Holm")
    lead = make_user(services, "team_lead", "tove")
    first = make_case(services, coordinator_id=coord.user_id)
    second = make_case(services, coordinator_id=coord.user_id)
    services.cases.list_rows(coord, [first, second])
    services.cases.list_rows(coord, [second])
    services.cases.get_case(coord, first)
    rows = services.audit_log.entries(lead, case_id=first)
    assert [(r.user, r.action, r.entity) for r in rows] == [("Mette Holm", "read", "tta_case"),
                                                            ("Mette Holm", "read", "case_list")]
    # Case 11 is not case 1: the ids are matched whole.
    eleventh = first
    while eleventh < int(f"{first}1"):
        eleventh = make_case(services, coordinator_id=coord.user_id)
    assert eleventh == int(f"{first}1")
    assert services.audit_log.entries(lead, case_id=eleventh) == []


def test_the_access_log_pdf_logs_its_reading(services):
    coord = make_user(services, "coordinator", "mette")
    admin = make_user(services, "admin", "anne")
    case_id = make_case(services, coordinator_id=coord.user_id)
    services.cases.get_case(coord, case_id)
    before = len(_entries(services))
    pdf = services.audit_log.access_log_pdf(admin, case_id, action="read")
    assert pdf.startswith(b"%PDF")
    new = _entries(services)[before:]
    assert [(e.user_id, e.action, e.entity, e.case_id, e.detail) for e in new] == [
        (admin.user_id, "read", "audit_log", case_id, "adgangslog til udskrift, filter: handling read")]
    with pytest.raises(PermissionDenied):
        services.audit_log.access_log_pdf(coord, case_id)


def test_the_log_holds_no_free_text_about_a_case(services, clock):
    """The administrator reads the log: a task's title, a reopening's reason and a case item's title
    are free text about a case, so the entries name the fields only. A free conference item's
    subject names no case and stays."""
    lead = make_user(services, "team_lead", "tove")
    coord = make_user(services, "coordinator", "mette")
    case_id = make_case(services, phase="assessment", coordinator_id=coord.user_id)
    secret = "Hemmelig tekst om misbrug"
    services.tasks.create_task(coord, case_id, title=secret, due=clock().date(), description=secret)
    conference = services.conferences.new_conference(coord, clock().date())
    raised = make_case(services, first_name="Bo", coordinator_id=coord.user_id)
    services.conferences.add_item(coord, conference, case_id=raised, title=secret)
    services.conferences.add_item(coord, conference, title="Fælles emne: ferieplan")
    v = services.cases.get_case(lead, case_id).version
    services.closing.close_case(lead, case_id, expected_version=v, closed_date=clock().date(),
                                outcome="full_return")
    v = services.cases.get_case(lead, case_id).version
    services.closing.reopen_case(coord, case_id, expected_version=v, reason=secret)
    entries = _entries(services)
    assert not [e for e in entries if "Hemmelig" in e.detail]
    task = next(e for e in entries if (e.action, e.entity) == ("create", "task"))
    assert (task.fields, task.detail) == ("description,due_date,owner,title", "")
    items = [(e.case_id, e.fields, e.detail) for e in entries if e.entity == "conference_item"]
    assert items[-2:] == [(raised, "title", ""), (None, "", "Fælles emne: ferieplan")]
    reopened = next(e for e in entries if e.detail == "genåbnet")
    assert "reason" in reopened.fields.split(",")


# -- retention ----------------------------------------------------------------------------------------------
def _history(services, clock):
    """Entries from January and from November 2026 (retention 6 months: January's are due)."""
    clock.now = dt.datetime(2026, 1, 10, 9, 0)
    coord = make_user(services, "coordinator", "mette")
    case_id = make_case(services, coordinator_id=coord.user_id)
    for _ in range(3):
        services.cases.get_case(coord, case_id)
    clock.now = dt.datetime(2026, 11, 22, 9, 0)
    services.cases.reveal_cpr(coord, case_id)
    return coord, case_id


def test_purge_removes_what_retention_allows_and_the_chain_still_verifies(services, clock):
    coord, case_id = _history(services, clock)
    admin = make_user(services, "admin", "anne")
    old = [e.id for e in _entries(services) if e.at < dt.datetime(2026, 5, 22)]
    assert len(old) == 4   # a login, three reads
    result = services.audit_log.purge(admin)
    assert (result.purged, result.cutoff, result.checkpoint_seq) == (4, dt.datetime(2026, 5, 22), 4)
    assert not {e.id for e in _entries(services)} & set(old)
    check = services.audit_log.check_chain()
    assert check.ok and check.checked == len(_entries(services))
    last = _entries(services)[-1]
    assert (last.action, last.entity, last.username) == ("delete", "audit_log", "anne")
    assert last.detail == "4 poster fra før 22-05-2026 slettet (opbevaring 6 måneder)"

    # The chain goes on from the checkpoint, and still tells tampering apart.
    services.cases.get_case(coord, case_id)
    assert services.audit_log.check_chain().ok
    assert services.audit_log.purge(admin).purged == 0
    first_kept = _entries(services)[0].id
    with services.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": first_kept})
    assert services.audit_log.check_chain().first_broken_id == _entries(services)[0].id
    with services.db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_chain SET checkpoint_count = checkpoint_count - 1"))
    assert "Kontrolpunktet" in services.audit_log.check_chain().reason


def test_purge_follows_the_retention_setting_and_needs_an_administrator(services, clock):
    _history(services, clock)
    admin = make_user(services, "admin", "anne")
    save_settings(services, admin, {"audit_retention_months": 12})
    assert services.audit_log.purge(admin).purged == 0
    with pytest.raises(PermissionDenied):
        services.audit_log.purge(make_user(services, "team_lead"))


def test_a_broken_chain_is_never_purged(services, clock):
    _history(services, clock)
    admin = make_user(services, "admin", "anne")
    second = _entries(services)[1].id
    with services.db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET detail = 'ingenting' WHERE id = :id"), {"id": second})
    before = len(_entries(services))
    with pytest.raises(AuditChainBroken) as info:
        services.audit_log.purge(admin)
    assert info.value.result.first_broken_id == second
    assert len(_entries(services)) == before   # the evidence stays


def _store_retention(services, value_json: str) -> None:
    """The retention setting edited beside the program (an SQL tool), past Administration's check."""
    from db.models import Setting
    with services.db.write() as s:
        row = s.get(Setting, "audit_retention_months")
        if row is None:
            s.add(Setting(key="audit_retention_months", value_json=value_json))
        else:
            row.value_json = value_json


@pytest.mark.parametrize("stored", ["-1", "0", "121", '"6"', "2.5", "null", "true"])
def test_a_retention_setting_outside_1_to_120_purges_nothing(services, clock, db_url, monkeypatch, capsys, stored):
    import main
    from app.services.audit_log import AuditRetentionInvalid
    _history(services, clock)
    admin = make_user(services, "admin", "anne")
    _store_retention(services, stored)
    before = {e.id for e in _entries(services)}
    with pytest.raises(AuditRetentionInvalid, match="mellem 1 og 120") as info:
        services.audit_log.purge(admin)
    assert "intet er slettet" in info.value.message
    report = audit_log_startup(services)       # the monthly purge at start-up
    assert report.purge is None and "mellem 1 og 120" in report.purge_error and report.verify.ok
    monkeypatch.setenv("TTA_PASSWORD", "hemmelig123")
    assert main.main(["audit", "purge", "--db", db_url, "--user", "anne"]) == 1
    assert "mellem 1 og 120" in capsys.readouterr().err
    assert before <= {e.id for e in _entries(services)} and services.audit_log.last_purge() is None


def test_monthly_purge_at_start_up(services, clock):
    _history(services, clock)
    first = audit_log_startup(services)
    assert first.purge.purged == 4 and first.verify.ok and first.purge_error == ""
    assert _entries(services)[-1].username == "system"
    assert services.audit_log.last_purge() == clock()
    clock.advance(days=20)
    again = audit_log_startup(services)
    assert again.purge is None and again.verify.ok
    clock.advance(days=15)
    assert audit_log_startup(services).purge is not None


def test_start_up_reports_a_broken_chain_and_purges_nothing(services, clock):
    _history(services, clock)
    with services.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE id = (SELECT MIN(id) FROM audit_log)"))
    report = audit_log_startup(services)
    assert report.purge is None and "intet er slettet" in report.purge_error
    assert not report.verify.ok and report.verify.first_broken_id == _entries(services)[0].id
    assert services.audit_log.last_purge() is None   # tried again at the next start


# -- the citizen's extract (GDPR art. 15) --------------------------------------------------------------------
def _second_case_for(services, case_id: int, number: str) -> int:
    """The same citizen referred again: a second case."""
    with services.db.write() as s:
        first = s.get(Case, case_id)
        again = Case(case_number=number, citizen_id=first.citizen_id, phase="referral",
                     referral_date=dt.date(2026, 11, 1), sick_leave_start=dt.date(2026, 10, 1),
                     employment_status="employed", last_activity_at=dt.datetime(2026, 11, 1),
                     coordinator_id=first.coordinator_id)
        s.add(again)
        s.flush()
        return again.id


def _pdf_text(path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_the_extract_lists_the_citizens_entries_and_nothing_of_others(services, tmp_path):
    coord = make_user(services, "coordinator", "mette", full_name="Mette Holm")
    lead = make_user(services, "team_lead", "tove", full_name="Tove Lund")
    admin = make_user(services, "admin", "anne", full_name="Anne Admin")
    mine = make_case(services, first_name="Åse", last_name="Ærbøl", coordinator_id=coord.user_id)
    again = _second_case_for(services, mine, "TTA-2026-99001")
    other = make_case(services, first_name="Bent", last_name="Andersen", coordinator_id=coord.user_id)
    services.cases.get_case(coord, mine)
    services.cases.reveal_cpr(coord, mine)
    services.cases.get_case(coord, other)
    services.cases.reveal_cpr(lead, other)
    services.cases.list_rows(coord, [other, again])        # a list showing both citizens
    services.cases.list_rows(coord, [other])
    services.journal.notes(coord, again)

    with services.db.read() as s:
        my_number, cpr = s.execute(select(Case.case_number, Citizen.cpr).join(Citizen)
                                   .where(Case.id == mine)).one()
        other_number = s.scalar(select(Case.case_number).where(Case.id == other))
    by_number = services.audit_log.citizen_extract(lead, my_number.lower())
    by_cpr = services.audit_log.citizen_extract(lead, f"{cpr[:6]}-{cpr[6:]}")
    assert by_cpr.rows[:-1] == by_number.rows   # by CPR number too; the first look-up is logged in between
    assert (by_number.name, by_number.cpr_masked) == ("Åse Ærbøl", f"{cpr[:6]}-xxxx")
    assert by_number.cases == [(again, "TTA-2026-99001"), (mine, my_number)] or \
        by_number.cases == [(mine, my_number), (again, "TTA-2026-99001")]
    assert [(r.user, r.action, r.entity, r.case_number) for r in by_cpr.rows] == [
        ("Mette Holm", "read", "tta_case", my_number),
        ("Mette Holm", "reveal_cpr", "citizen", my_number),
        ("Mette Holm", "read", "case_list", "TTA-2026-99001"),   # the other citizen's case is not named
        ("Mette Holm", "read", "journal_note", "TTA-2026-99001"),
        ("Tove Lund", "read", "citizen", f"{', '.join(n for _i, n in by_number.cases)}"),  # the first extract
    ]

    path = tmp_path / "indsigt.pdf"
    services.audit_log.print_citizen_extract(admin, cpr, path)
    content = _pdf_text(path)
    for expected in ("Udtræk af adgangsloggen", "Åse Ærbøl", f"{cpr[:6]}-xxxx", my_number, "TTA-2026-99001",
                     "Mette Holm", "Fuldt CPR vist", "Forløbsliste", "Journalnotat", "artikel 15",
                     "opbevares i 6 måneder", "6 registreringer", "Anne Admin"):
        assert expected in content, expected
    for foreign in ("Bent", "Andersen", other_number, cpr):
        assert foreign not in content, foreign
    assert not re.search(r"\d{6}-?\d{4}", content)
    last = _entries(services)[-1]
    assert (last.action, last.entity, last.username) == ("export", "citizen", "anne")
    assert sorted(last.case_ids.split(",")) == sorted([str(mine), str(again)])


def test_the_extract_needs_audit_rights_and_a_known_citizen(services):
    lead = make_user(services, "team_lead")
    with pytest.raises(PermissionDenied):
        services.audit_log.citizen_extract(make_user(services, "coordinator"), "TTA-T-00001")
    with pytest.raises(ValidationError, match="ingen borger"):
        services.audit_log.citizen_extract(lead, "TTA-2020-00000")
    with pytest.raises(ValidationError, match="ingen borger"):
        services.audit_log.citizen_extract(lead, "010180-1234")
