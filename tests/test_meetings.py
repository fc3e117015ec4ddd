"""The meetings and conferences lists."""
from __future__ import annotations

import datetime as dt

from app.dates import local_now
from db.models import CaseConference, ConferenceItem, RoundTableMeeting
from tests.factories import make_case, make_user


def test_upcoming_means_planned_and_not_yet_held(services, clock):
    coord = make_user(services, "coordinator")
    case_id = make_case(services, coordinator_id=coord.user_id)
    now = local_now(clock())  # meeting times are the team's wall clock
    today = now.date()
    earlier, later = now - dt.timedelta(minutes=30), now + dt.timedelta(minutes=30)
    assert earlier.date() == today == later.date()  # the fake clock is mid-morning
    earlier, later = earlier.time(), later.time()
    meetings = [  # (sequence no, date, time, status)
        (1, today - dt.timedelta(days=1), dt.time(10, 0), "planned"),   # yesterday, never marked held
        (2, today, earlier, "planned"),                                 # today, already begun
        (3, today, later, "planned"),                                   # today, later
        (4, today, None, "planned"),                                    # today, no time given
        (5, today + dt.timedelta(days=3), dt.time(9, 0), "cancelled"),  # cancelled
        (6, today + dt.timedelta(days=3), dt.time(13, 0), "planned"),
        (7, today, later, "held"),                                      # held early
    ]
    with services.db.write() as s:
        for seq, day, at, status in meetings:
            s.add(RoundTableMeeting(case_id=case_id, sequence_no=seq, meeting_date=day, start_time=at, status=status,
                                    location="Jobcentret"))
    upcoming = services.meetings.list_meetings(coord, upcoming_only=True)
    assert [m.sequence_no for m in upcoming] == [4, 3, 6]
    assert upcoming[1].start_time == later and upcoming[0].start_time is None
    assert upcoming[0].case_number.startswith("TTA-T-") and upcoming[0].citizen == "Mette Østergaard"
    everything = services.meetings.list_meetings(coord)
    assert len(everything) == 7 and everything[0].meeting_date == today + dt.timedelta(days=3)


def test_conference_list_counts_agenda_and_decisions(services):
    coord = make_user(services, "coordinator")
    a, b = make_case(services, first_name="A"), make_case(services, first_name="B")
    with services.db.write() as s:
        conf = CaseConference(held_on=dt.date(2026, 11, 18), closed=True)
        s.add(conf)
        s.flush()
        s.add(ConferenceItem(conference_id=conf.id, case_id=a, reason="new_referral", decision="Visiteres"))
        s.add(ConferenceItem(conference_id=conf.id, case_id=b, reason="stalled"))
        s.add(CaseConference(held_on=dt.date(2026, 11, 25)))
    rows = services.conferences.list_conferences(coord)
    assert [(r.held_on, r.items, r.decisions, r.closed) for r in rows] == [
        (dt.date(2026, 11, 25), 0, 0, False), (dt.date(2026, 11, 18), 2, 1, True)]
