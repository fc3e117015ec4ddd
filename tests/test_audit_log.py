"""What the audit log holds: search texts without full CPR numbers, an entry for every read path,
retention (purge) and the extract about one citizen (GDPR art. 15)."""
from __future__ import annotations

from sqlalchemy import select

from app.validation import mask_cprs_in_text
from db.models import AuditEntry
from tests.factories import make_case, make_user


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
    for text in ("170584", "20 30 40 50", "20304050", "TTA-2026-00012", "17058412345", "Åse Østergaard"):
        assert mask_cprs_in_text(text) == text


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
    assert [e.detail for e in _entries(services, action="search")] == ["170584-xxxx", "170584-xxxx", "østergaard"]
    assert [e.username for e in _entries(services, action="login_failed")] == ["170584-xxxx"]
