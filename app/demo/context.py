"""The state the demo generator shares between its parts.

``DemoContext`` lives for one run (random source, today, the team's users, the row writer, the
events that put cases on the weekly conference's agenda); ``CaseOutline`` is one case as planned
in the first pass; ``CaseTrack`` follows one case while its rows are written in the second pass.

Every random draw goes through ``DemoContext.rng`` in a fixed order: that is what makes a run
reproducible for a seed and a date, so reordering calls changes the data.
"""
from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import TypeVar

from app.demo.writer import RowWriter

T = TypeVar("T")


def weighted(rng: random.Random, pairs: Sequence[tuple[T, float]]) -> T:
    """One value drawn from ``(value, weight)`` pairs."""
    return rng.choices([p[0] for p in pairs], [p[1] for p in pairs])[0]


class DemoContext:
    """One generator run: what every part needs and what they collect for the conferences."""

    def __init__(self, writer: RowWriter, rng: random.Random, today: dt.date, *, users: dict[str, int],
                 user_names: dict[int, str], coordinators: list[int], team_id: int,
                 catalog: dict[tuple[str, str], int]):
        self.w = writer
        self.rng = rng
        self.today = today
        self.u = users  # role -> a user id (first demo user of that role)
        self.user_names = user_names
        self.coordinators = coordinators
        self.team_id = team_id
        self.cat = catalog  # (kind, code) -> catalogue item id
        # Tuesday -> (case id, reason) events that put a case on that week's conference agenda
        self.conf_events: dict[dt.date, list[tuple[int, str]]] = {}
        self.active: list[tuple[int, dt.date, dt.date, int]] = []  # case id, from, to, coordinator
        self.rule_sets: list = []   # the deadline rule sets (app.deadlines.RuleSet), read once

    def ts(self, d: dt.date) -> dt.datetime:
        """A time during office hours on ``d``."""
        r = self.rng
        return dt.datetime(d.year, d.month, d.day, r.randint(8, 15), r.randrange(0, 60, 5))

    def in_turn(self, key: str, options: Sequence[T]) -> T:
        """The next of ``options`` in turn (no random draw): a rare category still appears in a small
        demo, e.g. every reason a referral can end before the course starts."""
        turns = self.__dict__.setdefault("_turns", {})
        n = turns.get(key, 0)
        turns[key] = n + 1
        return options[n % len(options)]

    def weighted(self, pairs: Sequence[tuple[T, float]]) -> T:
        return weighted(self.rng, pairs)

    def conf_event(self, d: dt.date, case_id: int, reason: str) -> None:
        # The weekly conference is on Tuesdays: the first one on or after the event.
        tuesday = d + dt.timedelta(days=(1 - d.weekday()) % 7)
        self.conf_events.setdefault(tuesday, []).append((case_id, reason))


class CaseOutline:
    """The plan of one case before its rows are written: who, when, how it went.

    Days are counted from the referral (``referred_on``): ``vis`` the visitation, ``ass_start`` and
    ``ass_done`` the assessment, ``plan_created``/``plan_approved`` the first action plan,
    ``interv_end`` the end of the intervention, ``close`` the closing; ``t`` is today and
    ``last_day`` the last day with anything recorded.
    """
    __slots__ = ("phase", "kind", "sg", "sex", "first", "last", "birth", "cpr", "employment", "socio", "job",
                 "employer", "employer_address", "hours", "jobcentre", "postcode", "city", "referred_on", "t",
                 "vis", "ass_start", "ass_done", "plan_created", "plan_approved", "interv_end", "close",
                 "last_day", "outcome", "other_reason", "rejection", "outside", "sick_start", "wage_earner", "rtw",
                 "id", "number", "coordinator", "citizen_id")


class CaseTrack:
    """One case while its rows are written: its team, its workplace contacts and the latest day
    with past activity (which becomes the case's ``last_activity_at``)."""

    def __init__(self, outline: CaseOutline, users: dict[str, int]):
        self.c = outline
        self._users = users
        self.members: list[tuple[str, int]] = [("coordinator", outline.coordinator)]
        self.contacts: dict[str, tuple[str, str]] = {}  # kind -> (name, e-mail domain)
        self.latest = 0

    def day(self, x: int) -> dt.date:
        return self.c.referred_on + dt.timedelta(days=x)

    def touch(self, x: int) -> None:
        """Something happened on day ``x``; only the past counts as activity."""
        if x > self.latest and x <= self.c.last_day:
            self.latest = x

    @property
    def member_roles(self) -> set[str]:
        return {role for role, _ in self.members}

    def member(self, role: str) -> int:
        """The team member of ``role`` on this case, or its coordinator when nobody has that role."""
        return self._users[role] if role in self.member_roles else self.c.coordinator
