"""Deadlines computed from rules held as data: pure evaluation, no database.

A rule set is in force from its valid-from date until the next set's. Each rule of a set computes
dates from a case's own dates (``CaseDates``); a computed deadline belongs to the set in force on its
nominal date, so a case that crosses a change date keeps the old set's deadlines before the date and
follows the new set after it. A due date on a weekend or a Danish public holiday moves to the
working day before.

The rule kinds (``kind``) and their numbers (``params``):
- ``first_follow_up`` {"week": 8}: the first personal follow-up by the end of week 8 of sickness,
  counted from the first day of absence.
- ``repeat_follow_up`` {"interval_months": 3, "active_interval_weeks": 4, "until_week": 52}: after the
  first follow-up at least every 3 months; every 4 weeks from when the person is partly back at work
  or in an offer.
- ``count_in_period`` {"count": 4, "months": 6, "first_week": 8}: at least ``count`` follow-ups in the
  first ``months`` months, the first by the end of ``first_week``, the rest spread evenly (the first
  is the ``first_follow_up`` rule's when the set has one).
- ``reassessment`` {"week": 22}: the reassessment (revurdering) by the end of that week.
- ``stop_after_first`` {"return_within_weeks": 13}: no legal follow-up after the first when return is
  expected within that many weeks of it (the 2025 change).
- ``plan_review`` {"interval_weeks": 4}: the action plan reviewed every 4 weeks from its approval
  until the planned end of the course.
- ``course_end`` {"groups_1_3": 13, "with_workplace": 26, "without_workplace": 52}: the planned end of
  the course, weeks from visitation by subgroup.
- ``round_table_follow_up`` {"weeks_after": 4}: a follow-up after each held round-table meeting.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.dates import add_months

# How far the rules reach: from the first day of absence (the legal rules, a 52-week course from week 58),
# and from a visitation, plan approval or meeting (a course of at most two years).
MAX_WEEKS = 110
MAX_COURSE_WEEKS = 104
LEGAL_KINDS = frozenset({"first_follow_up", "repeat_follow_up", "count_in_period", "reassessment"})
KIND_LABELS = {
    "first_follow_up": "Første opfølgning senest uge N",
    "repeat_follow_up": "Gentagen opfølgning (hver N. måned / hver N. uge ved delvis raskmelding eller tilbud)",
    "count_in_period": "Mindst N opfølgninger de første måneder",
    "reassessment": "Revurdering omkring uge N",
    "stop_after_first": "Stop efter første samtale ved forventet tilbagevenden",
    "plan_review": "Opfølgning på handlingsplanen",
    "course_end": "Forløbets planlagte afslutning",
    "round_table_follow_up": "Opfølgning efter rundbordssamtale",
}
# The numbers each kind reads, with their defaults: the rules editor shows and checks these.
KIND_PARAMS: dict[str, dict[str, int]] = {
    "first_follow_up": {"week": 8},
    "repeat_follow_up": {"interval_months": 3, "active_interval_weeks": 4, "until_week": 52},
    "count_in_period": {"count": 4, "months": 6, "first_week": 8},
    "reassessment": {"week": 22},
    "stop_after_first": {"return_within_weeks": 13},
    "plan_review": {"interval_weeks": 4},
    "course_end": {"groups_1_3": 13, "with_workplace": 26, "without_workplace": 52},
    "round_table_follow_up": {"weeks_after": 4},
}


@dataclass(frozen=True)
class Rule:
    id: int | None
    code: str
    kind: str
    label: str
    source: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def param(self, name: str) -> int:
        value = self.params.get(name, KIND_PARAMS[self.kind][name])
        return int(value)


@dataclass(frozen=True)
class RuleSet:
    name: str
    valid_from: dt.date
    rules: Sequence[Rule]


@dataclass(frozen=True)
class CaseDates:
    """What the rules read from a case."""
    sick_leave_start: dt.date
    visitation_date: dt.date | None = None      # accepted (visiteret) on; None when not accepted
    subgroup: int | None = None
    has_workplace: bool = True
    plan_approved_on: dt.date | None = None
    partial_return_start: dt.date | None = None  # first week of the gradual return
    expected_return: dt.date | None = None
    round_tables_held: Sequence[dt.date] = ()
    closed_date: dt.date | None = None


@dataclass(frozen=True)
class Deadline:
    key: str            # rule code and occurrence, stable across recomputations ("sdp_count:2")
    rule_id: int | None
    rule_code: str
    title: str
    source: str
    nominal: dt.date    # as the rule computes it
    due: dt.date        # moved to the working day before a weekend or holiday


def params_of(params_json: str) -> dict[str, Any]:
    try:
        value = json.loads(params_json or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


@functools.lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[dt.date]:
    import holidays
    return frozenset(holidays.Denmark(years=year))


def holiday_name(day: dt.date) -> str:
    import holidays
    return holidays.Denmark(years=day.year, language="da").get(day, "")


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def working_day_before(day: dt.date) -> dt.date:
    """``day`` itself when it is a working day, else the nearest working day before it."""
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def end_of_week(start: dt.date, week: int) -> dt.date:
    """The last day of week ``week`` counted from ``start`` (week 1 is the first seven days)."""
    return start + dt.timedelta(days=7 * week - 1)


def set_in_force(sets: Sequence[RuleSet], day: dt.date) -> RuleSet | None:
    current = None
    for s in sorted(sets, key=lambda s: s.valid_from):
        if s.valid_from <= day:
            current = s
    return current


def _first(rules: Iterable[Rule], kind: str) -> Rule | None:
    return next((r for r in rules if r.kind == kind), None)


def _course_end(rule: Rule, c: CaseDates) -> dt.date | None:
    if c.visitation_date is None:
        return None
    if c.subgroup is not None and c.subgroup <= 3:
        weeks = rule.param("groups_1_3")
    elif c.has_workplace:
        weeks = rule.param("with_workplace")
    else:
        weeks = rule.param("without_workplace")
    return c.visitation_date + dt.timedelta(weeks=weeks)


def _evaluate(rule: Rule, c: CaseDates, rules: Sequence[Rule]) -> list[tuple[int, dt.date, str]]:
    """(occurrence number, nominal date, title) for one rule over a case."""
    start = c.sick_leave_start
    kind = rule.kind
    if kind == "first_follow_up":
        return [(1, end_of_week(start, rule.param("week")), rule.label)]
    if kind == "reassessment":
        return [(1, end_of_week(start, rule.param("week")), rule.label)]
    if kind == "count_in_period":
        count = max(1, rule.param("count"))
        first = end_of_week(start, rule.param("first_week"))
        last = add_months(start, rule.param("months")) - dt.timedelta(days=1)
        if count == 1 or last <= first:
            return [(1, first, rule.label)]
        gap = (last - first) / (count - 1)
        # The first of them is the first follow-up when the set has that rule: not counted twice.
        skip = 1 if _first(rules, "first_follow_up") else 0
        months = rule.param("months")
        return [(n + 1, first + gap * n, f"{rule.label} ({n + 1} af mindst {count} på {months} mdr.)")
                for n in range(skip, count)]
    if kind == "repeat_follow_up":
        first_rule = _first(rules, "first_follow_up")
        first = end_of_week(start, first_rule.param("week") if first_rule else 8)
        until = end_of_week(start, rule.param("until_week"))
        active = [d for d in (c.partial_return_start, c.visitation_date) if d is not None]
        active_from = min(active) if active else None
        out: list[tuple[int, dt.date, str]] = []
        prev, n = first, 1
        while len(out) < 60:
            if active_from is not None and prev >= active_from:
                nxt = prev + dt.timedelta(weeks=rule.param("active_interval_weeks"))
            else:
                nxt = add_months(prev, rule.param("interval_months"))
                if active_from is not None and prev < active_from:
                    nxt = min(nxt, active_from + dt.timedelta(weeks=rule.param("active_interval_weeks")))
            if nxt > until:
                break
            n += 1
            out.append((n, nxt, f"{rule.label} ({n}. samtale)"))
            prev = nxt
        return out
    if kind == "course_end":
        end = _course_end(rule, c)
        return [(1, end, rule.label)] if end else []
    if kind == "plan_review":
        if c.plan_approved_on is None:
            return []
        end_rule = _first(rules, "course_end")
        end = _course_end(end_rule, c) if end_rule else None
        end = end or c.plan_approved_on + dt.timedelta(weeks=13)
        step = dt.timedelta(weeks=max(1, rule.param("interval_weeks")))
        out, day, n = [], c.plan_approved_on + step, 1
        while day < end and n <= 60:
            out.append((n, day, f"{rule.label} ({n})"))
            day, n = day + step, n + 1
        return out
    if kind == "round_table_follow_up":
        weeks = dt.timedelta(weeks=rule.param("weeks_after"))
        return [(n, held + weeks, f"{rule.label} ({held:%d-%m-%Y})")
                for n, held in enumerate(sorted(c.round_tables_held), 1)]
    return []   # stop_after_first changes the others; it has no date of its own


def compute_deadlines(c: CaseDates, sets: Sequence[RuleSet]) -> list[Deadline]:
    """Every deadline of a case under the rule sets, each from the set in force on its nominal date,
    sorted by due date. Nothing after the case was closed."""
    ordered = sorted(sets, key=lambda s: s.valid_from)
    later = [d for d in (c.visitation_date, c.plan_approved_on, *c.round_tables_held) if d is not None]
    horizon = c.closed_date or max([c.sick_leave_start + dt.timedelta(weeks=MAX_WEEKS),
                                    *(d + dt.timedelta(weeks=MAX_COURSE_WEEKS) for d in later)])
    out: list[Deadline] = []
    for i, rule_set in enumerate(ordered):
        period_end = ordered[i + 1].valid_from if i + 1 < len(ordered) else None
        if period_end is not None and period_end <= c.sick_leave_start or rule_set.valid_from > horizon:
            continue   # in force only before the sickness began or after anything a rule reaches
        rules = list(rule_set.rules)
        stop = _first(rules, "stop_after_first")
        stop_after: dt.date | None = None
        if stop is not None and c.expected_return is not None:
            first_rule = _first(rules, "first_follow_up")
            first = end_of_week(c.sick_leave_start, first_rule.param("week") if first_rule else 8)
            if c.expected_return <= first + dt.timedelta(weeks=stop.param("return_within_weeks")):
                stop_after = first
        for rule in rules:
            for n, nominal, title in _evaluate(rule, c, rules):
                if nominal < rule_set.valid_from or (period_end is not None and nominal >= period_end):
                    continue
                if c.closed_date is not None and nominal > c.closed_date:
                    continue
                if stop_after is not None and rule.kind in LEGAL_KINDS and nominal > stop_after:
                    continue
                out.append(Deadline(f"{rule.code}:{n}", rule.id, rule.code, title[:200], rule.source[:200],
                                    nominal, working_day_before(nominal)))
    unique = {d.key: d for d in reversed(out)}   # one per key (the earliest set's, should two sets agree)
    return sorted(unique.values(), key=lambda d: (d.due, d.key))


def validate_params(kind: str, params: Mapping[str, Any]) -> list[str]:
    """What is wrong with a rule's numbers (Danish, for the editor); empty when they are fine."""
    if kind not in KIND_PARAMS:
        return [f"ukendt regeltype: {kind}"]
    problems = []
    for name, value in params.items():
        if name not in KIND_PARAMS[kind]:
            problems.append(f"ukendt tal for denne regeltype: {name} (kendte: {', '.join(KIND_PARAMS[kind])})")
        elif isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 104:
            problems.append(f"{name} skal være et helt tal mellem 1 og 104")
    return problems
