"""Dates and numbers as Danish users write them."""
from __future__ import annotations

import datetime as dt


def date(d: dt.date | dt.datetime | None) -> str:
    return d.strftime("%d-%m-%Y") if d else ""


def datetime_local(d: dt.datetime | None) -> str:
    """A naive UTC timestamp shown in local time."""
    if d is None:
        return ""
    return d.replace(tzinfo=dt.UTC).astimezone().strftime("%d-%m-%Y %H:%M")


def week(d: dt.date) -> str:
    return f"uge {d.isocalendar()[1]}"


def number(x: float, decimals: int = 1) -> str:
    s = f"{x:,.{decimals}f}"
    return s.replace(",", "X").replace(".", ",").replace("X", ".")
