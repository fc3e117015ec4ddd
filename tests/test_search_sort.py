"""Searching and sorting Danish names in the case list, on SQLite and PostgreSQL: å = aa, æ = ae,
ø = oe in both directions, Danish alphabetical order, and one audit entry per finished search."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from app.errors import PermissionDenied, StorageUnavailable
from app.services import Services
from app.validation import fold, name_search_key
from db import migrate
from db.models import AuditEntry, Case, Citizen
from db.session import open_database
from tests.factories import make_case, make_user

DANISH_ORDER = ["Andersen", "Zacho", "Ærø", "Østergaard", "Aagaard", "Åse"]


def _names(services: Services, actor, ids: list[int]) -> list[str]:
    return [r.name for r in services.cases.list_rows(actor, ids)]


def _search_log(services: Services) -> list[tuple[str, str]]:
    with services.db.read() as s:
        return [(e.username, e.detail) for e in s.scalars(
            select(AuditEntry).where(AuditEntry.action == "search").order_by(AuditEntry.id))]


@pytest.fixture
def coord(services):
    return make_user(services, "coordinator", "mette")


def test_danish_letters_match_their_spelled_out_forms_both_ways(services, coord):
    for first, last in [("Åse", "Holm"), ("Aase", "Berg"), ("Søren", "Kjær"), ("Soeren", "Kjaer"),
                        ("Anne", "Mæhl"), ("Bo", "Maehl"), ("José", "Müller"), ("Ida", "Hansen")]:
        make_case(services, first_name=first, last_name=last)

    def found(query: str) -> set[str]:
        return set(_names(services, coord, services.cases.search_ids(coord, query, log=False)))

    aase = {"Åse Holm", "Aase Berg"}
    soeren = {"Søren Kjær", "Soeren Kjaer"}
    maehl = {"Anne Mæhl", "Bo Maehl"}
    assert found("aase") == found("Åse") == found("ÅSE") == found("AaSe") == aase
    assert found("Søren") == found("soeren") == found("SOEREN") == soeren
    assert found("Kjær") == found("kjaer") == soeren
    assert found("Mæhl") == found("maehl") == found("MÆHL") == maehl
    # Typing is a prefix at every keystroke: each one keeps the names it should.
    assert aase <= found("Å") and aase <= found("Ås") and found("Aas") == aase
    assert soeren <= found("Sø") and found("Søre") == soeren
    assert found("Mæ") == maehl
    # Accents are ignored; other letters are not equated.
    assert found("jose muller") == found("Müller") == found("JOSÉ") == {"José Müller"}
    assert found("Hansen") == {"Ida Hansen"} and found("Soren") == found("Mehl") == set()
    # Several words must all match, in any order; LIKE wildcards are plain characters.
    assert found("holm åse") == {"Åse Holm"}
    assert found("%") == found("_") == found("h_lm") == set()


def test_cpr_prefix_and_case_number_still_found(services, coord):
    case_id = make_case(services, first_name="Åse", last_name="Østergaard", birth=dt.date(1984, 12, 14))
    make_case(services, first_name="Bo", last_name="Berg", birth=dt.date(1990, 1, 2))
    assert services.cases.search_ids(coord, "7412", log=False) == [case_id]
    assert services.cases.search_ids(coord, "741284", log=False) == [case_id]
    number = services.cases.list_rows(coord, [case_id])[0].case_number
    assert services.cases.search_ids(coord, number.rsplit("-", 1)[1], log=False) == [case_id]


def test_names_sort_in_danish_order_last_name_then_first_name(services, coord):
    for last in reversed(DANISH_ORDER):
        make_case(services, first_name="Bo", last_name=last)
    make_case(services, first_name="Ærlig", last_name="Andersen")
    make_case(services, first_name="Aase", last_name="Andersen")
    make_case(services, first_name="Zenia", last_name="Andersen")
    expected = ["Bo Andersen", "Zenia Andersen", "Ærlig Andersen", "Aase Andersen"] + [
        f"Bo {last}" for last in DANISH_ORDER[1:]]
    ascending = _names(services, coord, services.cases.search_ids(coord, sort="name", descending=False))
    assert ascending == expected
    descending = _names(services, coord, services.cases.search_ids(coord, sort="name", descending=True))
    assert descending == list(reversed(expected))
    # The same order within a search.
    assert _names(services, coord, services.cases.search_ids(coord, "a", sort="name", descending=False,
                                                             log=False))[:2] == ["Bo Andersen", "Zenia Andersen"]


def test_coordinators_sort_in_danish_order_and_none_as_an_empty_name(services, coord):
    from db.models import User
    names = ["Åse Lund", "Zacho Berg", "Ærø Holm", "Anders Holm"]
    with services.db.write() as s:
        users = [User(username=f"k{i}", full_name=n, role="coordinator", password_hash="x")
                 for i, n in enumerate(names)]
        s.add_all(users)
        s.flush()
        uids = {u.full_name: u.id for u in users}
    cases = {n: make_case(services, coordinator_id=uids[n]) for n in names}
    none = make_case(services, coordinator_id=None)
    expected = [none] + [cases[n] for n in ("Anders Holm", "Zacho Berg", "Ærø Holm", "Åse Lund")]
    assert services.cases.search_ids(coord, sort="coordinator", descending=False) == expected
    assert services.cases.search_ids(coord, sort="coordinator", descending=True) == list(reversed(expected))


def test_renaming_a_citizen_keeps_the_keys_current(services, coord):
    case_id = make_case(services, first_name="Bo", last_name="Zacho")
    other = make_case(services, first_name="Bo", last_name="Østergaard")
    with services.db.write() as s:
        citizen = s.scalars(select(Citizen).where(Citizen.last_name == "Zacho")).one()
        citizen.last_name = "Aagaard"
    assert services.cases.search_ids(coord, "ågård", log=False) == [case_id]
    assert services.cases.search_ids(coord, "zacho", log=False) == []
    assert services.cases.search_ids(coord, sort="name", descending=False) == [other, case_id]


def test_search_is_logged_once_per_finished_search(services, coord):
    make_case(services, first_name="Hans", last_name="Hansen")
    for typed in ("h", "ha", "han", "hans"):  # keystrokes
        assert services.cases.search_ids(coord, typed, log=False)
    assert _search_log(services) == []
    services.cases.log_search(coord, " hans ")  # the user stopped typing, or opened a case
    assert _search_log(services) == [("mette", "hans")]
    services.cases.log_search(coord, "")  # an empty search field is no search
    services.cases.search_ids(coord, "", log=True)
    assert len(_search_log(services)) == 1
    # A caller that does not say otherwise logs each search itself.
    services.cases.search_ids(coord, "øster")
    assert _search_log(services) == [("mette", "hans"), ("mette", "øster")]
    admin = make_user(services, "admin")
    with pytest.raises(PermissionDenied):
        services.cases.log_search(admin, "hans")


def test_sort_key_order_ignores_postgresql_locale(pg_server, tmp_path):
    """A server whose default collation is ICU en-US would order 'æ', 'ø', 'å' next to a and o
    and ignore the sort key's '{', '|', '}'; the column's COLLATE "C" keeps the Danish order."""
    name = f"icu_{tmp_path.name[-20:]}".replace("-", "_").lower()
    admin = open_database(pg_server.url(), check=False, isolation_level="AUTOCOMMIT")
    with admin.engine.connect() as conn:
        conn.execute(text(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
                          "LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"))
    admin.dispose()
    db = open_database(pg_server.url(name))
    migrate.upgrade(db.engine)
    services = Services(db)
    try:
        coord = make_user(services, "coordinator", "icu")
        for last in reversed(DANISH_ORDER):
            make_case(services, first_name="Bo", last_name=last)
        with db.engine.connect() as conn:
            # Without the column collation this server would put Ærø and Aagaard among the a's.
            plain = conn.execute(text('SELECT last_name FROM citizen ORDER BY name_sort COLLATE "default"')).scalars()
            assert list(plain) != DANISH_ORDER
        ids = services.cases.search_ids(coord, sort="name", descending=False)
        assert [n.split(" ", 1)[1] for n in _names(services, coord, ids)] == DANISH_ORDER
    finally:
        services.close()


DANISH_LETTERS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøåABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅéüö -",
                         min_size=1, max_size=30)


@settings(max_examples=300, deadline=None)
@given(first=DANISH_LETTERS, last=DANISH_LETTERS, cut=st.integers(min_value=1, max_value=61))
def test_every_typed_prefix_of_a_name_matches_its_key(first, last, cut):
    typed = f"{first} {last}"[:cut]
    assert all(word in name_search_key(first, last) for word in fold(typed).split())


def test_long_names_fit_their_key_columns(services, coord):
    # Folding lengthens a name (å -> aa, ß -> ss); PostgreSQL enforces the column length.
    case_id = make_case(services, first_name="Å" * 100, last_name="ß" * 100)
    assert services.cases.search_ids(coord, "aaaa ssss", log=False) == [case_id]
    assert services.cases.search_ids(coord, sort="name") == [case_id]


def test_a_database_error_in_the_id_search_is_a_message(sqlite_url, clock):
    services = Services(open_database(sqlite_url), clock=clock)
    try:
        coord = make_user(services, "coordinator")
        make_case(services)
        with services.db.engine.begin() as conn:
            conn.execute(text("ALTER TABLE tta_case RENAME TO tta_case_gone"))
        with pytest.raises(StorageUnavailable, match="Databasen kunne ikke nås"):
            services.cases.search_ids(coord, "øster", log=False)
    finally:
        services.close()


def test_every_order_pages_the_same_as_the_whole_list(services, coord, clock):
    """The list paints its first rows from ``list_page`` and then fetches every id: for each column and
    direction the first rows are the start of the whole list. "Sygemeldt" merges closed cases (by
    their stored length) with open ones (by their start) and agrees with the weeks shown, ties by id."""
    today = services.cases.today()
    starts = [60, 10, 200, 60, 35, 120, 10, 400]
    closes = [None, None, 20, 25, None, None, 0, 340]  # days after the start; None: open
    births = [dt.date(1970, 1, 1), dt.date(1990, 6, 6), dt.date(1970, 1, 1), dt.date(1985, 3, 3)]
    for n, (start, close) in enumerate(zip(starts, closes, strict=True)):
        first_day = today - dt.timedelta(days=start)
        make_case(services, first_name=f"Navn{n}", birth=births[n % len(births)], sick_leave_start=first_day,
                  referral_date=first_day, closed_date=None if close is None else first_day + dt.timedelta(days=close),
                  coordinator_id=coord.user_id if n % 3 else None, subgroup=n % 4 or None)
    for sort in ("name", "cpr", "phase", "subgroup", "coordinator", "sick_weeks", "next_deadline",
                 "last_activity", "case_number"):
        for descending in (False, True):
            every = services.cases.search_ids(coord, sort=sort, descending=descending, log=False)
            assert sorted(every) == sorted(set(every)) and len(every) == len(starts), (sort, descending)
            for first in (1, 2, 3, 5, len(starts)):
                page = services.cases.list_page(coord, first=first, sort=sort, descending=descending)
                assert page.ids == every[:first], (sort, descending, first)
                assert page.complete == (first >= len(starts))
    lead = make_user(services, "team_lead")   # reads every case's row in full
    rows = {r.id: r for r in services.cases.list_rows(lead, services.cases.search_ids(lead, log=False))}

    def days(case_id: int) -> int:
        with services.db.read() as s:
            c = s.get(Case, case_id)
            return ((c.closed_date or today) - c.sick_leave_start).days
    expected = sorted(rows, key=lambda i: (days(i), i))
    assert services.cases.search_ids(lead, sort="sick_weeks", descending=False, log=False) == expected
    assert services.cases.search_ids(lead, sort="sick_weeks", descending=True, log=False) == expected[::-1]
    weeks = [rows[i].sick_weeks for i in expected]
    assert weeks == sorted(weeks)
    by_birth = services.cases.search_ids(coord, sort="cpr", descending=False, log=False)
    with services.db.read() as s:
        shown = [s.get(Case, i).citizen.birth_date for i in by_birth]
    assert shown == sorted(shown)


def test_a_case_one_is_not_on_shows_no_subgroup_or_sick_leave_and_is_not_ordered_by_them(services, coord, clock):
    """The subgroup says which illness: on the rows of cases the user is not on it stays empty, as
    does the sick leave, the subgroup filter does not find them, and ordering by either puts them
    after the user's own cases by number, so their place says nothing."""
    other = make_user(services, "coordinator")
    today = services.cases.today()
    mine = [make_case(services, coordinator_id=coord.user_id, subgroup=g,
                      sick_leave_start=today - dt.timedelta(days=d), referral_date=today - dt.timedelta(days=d))
            for g, d in ((3, 30), (1, 90))]
    theirs = [make_case(services, coordinator_id=other.user_id, subgroup=g,
                        sick_leave_start=today - dt.timedelta(days=d), referral_date=today - dt.timedelta(days=d))
              for g, d in ((4, 200), (3, 10), (1, 60))]
    rows = {r.id: r for r in services.cases.list_rows(coord, mine + theirs)}
    assert [(rows[i].subgroup, rows[i].sick_weeks) for i in theirs] == [(None, None)] * 3
    assert all(rows[i].subgroup and rows[i].sick_weeks for i in mine)
    assert services.cases.search_ids(coord, subgroup=3, log=False) == [mine[0]]
    for sort in ("subgroup", "sick_weeks"):
        for descending in (False, True):
            got = services.cases.search_ids(coord, sort=sort, descending=descending, log=False)
            assert got[2:] == sorted(theirs, reverse=descending), (sort, descending)
            page = services.cases.list_page(coord, first=3, sort=sort, descending=descending)
            assert page.ids == got[:3]
    assert services.cases.search_ids(coord, sort="subgroup", descending=False, log=False)[:2] == [mine[1], mine[0]]
    # The team lead reads every case in full: all of them by their values.
    lead = make_user(services, "team_lead")
    assert sorted(services.cases.search_ids(lead, subgroup=3, log=False)) == sorted([mine[0], theirs[1]])
