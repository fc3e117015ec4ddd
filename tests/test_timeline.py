"""The timeline speaks Danish: instrument and letter codes never reach the user."""
from __future__ import annotations

import datetime as dt

from db.models import InstrumentResult, Letter
from tests.factories import make_case, make_user


def test_timeline_shows_labels_not_codes(services):
    coord = make_user(services, "coordinator")
    case_id = make_case(services, coordinator_id=coord.user_id)
    with services.db.write() as s:
        for code, score in (("WHO5", 40.0), ("RTW_EXPECTATION", 3.0), ("MDI", 22.0)):
            s.add(InstrumentResult(case_id=case_id, instrument=code, taken_on=dt.date(2026, 10, 20),
                                   answers_json="[]", score=score, band="", recorded_by_id=coord.user_id))
        s.add(Letter(case_id=case_id, kind="status_start", recipient="Jobcenter", sent_on=dt.date(2026, 10, 21),
                     created_by_id=coord.user_id))
    titles = [e.title for e in services.journal.timeline(coord, case_id)]
    text = " ".join(titles)
    for code in ("WHO5", "RTW_EXPECTATION", "MDI:", "status_start"):
        assert code not in text, titles
    assert "WHO-5 trivselsindeks: 40" in titles
    assert "Forventning om at vende tilbage til arbejdet: 3" in titles
    assert "Brev: Statusbrev ved start" in titles
