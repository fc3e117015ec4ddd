"""Calendar arithmetic."""
from __future__ import annotations

import datetime as dt

import pytest

from app.dates import add_months


@pytest.mark.parametrize(("start", "months", "expected"), [
    (dt.date(2026, 3, 15), 3, dt.date(2026, 6, 15)),
    (dt.date(2026, 11, 30), 3, dt.date(2027, 2, 28)),  # into the next year, clamped to February
    (dt.date(2027, 11, 30), 3, dt.date(2028, 2, 29)),  # leap year
    (dt.date(2026, 1, 31), 12, dt.date(2027, 1, 31)),
    (dt.date(2026, 3, 31), -1, dt.date(2026, 2, 28)),
    (dt.date(2026, 1, 10), -1, dt.date(2025, 12, 10)),
])
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected
