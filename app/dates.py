"""Calendar arithmetic the services share: months, sick-leave weeks, quarters, local time.

Timestamps are stored as naive UTC; dates (referral, meeting, closing) are the team's local
calendar dates.
"""
from __future__ import annotations

import calendar
import datetime as dt


def add_months(d: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it is shorter (31-01 + 1 = 28-02)."""
    m = d.month - 1 + months
    year, month = d.year + m // 12, m % 12 + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def weeks_between(start: dt.date, end: dt.date) -> int:
    """Whole sick-leave weeks from ``start`` to ``end``; week 1 starts on the first day."""
    return (end - start).days // 7 + 1


def sick_week(start: dt.date, on: dt.date, *, closed: dt.date | None = None) -> int | None:
    """The sick-leave week on ``on``. The count stops at the case's closed date: a day after
    closing still shows the week it was closed in. None before the first day of absence."""
    if closed is not None and on > closed:
        on = closed
    if on < start:
        return None
    return weeks_between(start, on)


def quarter_label(d: dt.date) -> str:
    """'2026 K1': the year and quarter (kvartal) a date falls in, as statistics print it."""
    return f"{d.year} K{(d.month - 1) // 3 + 1}"


def local_now(utc_now: dt.datetime) -> dt.datetime:
    """A naive UTC timestamp (the services' clock) as naive local wall-clock time."""
    return utc_now.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)
