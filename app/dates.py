"""Calendar arithmetic shared by the services and the demo data."""
from __future__ import annotations

import calendar
import datetime as dt


def add_months(d: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (earlier when negative), or the month's last day when it is
    shorter: 31-01 + 1 month is 28-02 or 29-02."""
    m = d.month - 1 + months
    year, month = d.year + m // 12, m % 12 + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))
