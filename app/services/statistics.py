"""Statistics: the outcome table per quarter (the KIA report's table 2) and the visitation summary.

Everything is computed here and returned as typed rows; a page or a printout only formats them.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.dates import quarter_label
from app.services.base import Actor, ServiceBase
from db.models import Case, CatalogItem


@dataclass(frozen=True)
class OutcomeCell:
    count: int
    percent: int   # of the closed cases in the same column, rounded to a whole number


@dataclass(frozen=True)
class OutcomeRow:
    code: str
    label: str
    counts_as_return: bool
    quarters: list[OutcomeCell]   # one per ``OutcomeTable.quarters``, in that order
    total: OutcomeCell            # over all quarters


@dataclass(frozen=True)
class OutcomeTable:
    quarters: list[str]           # "2026 K1", oldest first
    rows: list[OutcomeRow]        # one per outcome status in catalogue order, also when no case has it
    totals: OutcomeRow            # "Afsluttede i alt": the closed cases per quarter and overall
    returned: int                 # closed with an outcome that counts as return to work
    closed: int                   # closed with an outcome
    return_rate: int | None       # returned / closed in whole percent; None when nothing is closed


@dataclass(frozen=True)
class VisitationSummary:
    accepted: int
    rejected: int
    pending: int
    outside_criteria: int         # accepted outside the criteria (shown separately)


def percent(part: int, whole: int) -> int:
    """Whole percent, halves rounded up (as a reader expects: 0.5 % -> 1 %)."""
    return (200 * part + whole) // (2 * whole) if whole else 0


class StatisticsService(ServiceBase):
    def outcome_table(self, actor: Actor) -> OutcomeTable:
        """Outcome status at closing per quarter of the closed date, with count and percent, and the
        headline return-to-work rate (full time + part time + a-kasse)."""
        def work(s):
            closed = s.execute(select(Case.closed_date, Case.outcome_id).where(
                Case.phase == "closed", Case.outcome_id.is_not(None))).all()
            items = list(s.scalars(select(CatalogItem).where(CatalogItem.kind == "outcome")
                                   .order_by(CatalogItem.sort_order, CatalogItem.label)))
            counts: dict[tuple[int, str], int] = {}
            for closed_date, outcome_id in closed:
                key = (outcome_id, quarter_label(closed_date))
                counts[key] = counts.get(key, 0) + 1
            quarters = sorted({q for _o, q in counts})
            per_quarter = {q: sum(n for (_o, qq), n in counts.items() if qq == q) for q in quarters}
            total = len(closed)
            used = {o for o, _q in counts}
            rows = []
            for item in items:
                if not item.active and item.id not in used:
                    continue  # a retired status nobody has: not a row
                cells = [OutcomeCell(counts.get((item.id, q), 0), percent(counts.get((item.id, q), 0), per_quarter[q]))
                         for q in quarters]
                n = sum(c.count for c in cells)
                rows.append(OutcomeRow(item.code, item.label, item.counts_as_return, cells,
                                       OutcomeCell(n, percent(n, total))))
            totals = OutcomeRow("total", "Afsluttede i alt", False,
                                [OutcomeCell(per_quarter[q], 100) for q in quarters],
                                OutcomeCell(total, 100 if total else 0))
            returned = sum(r.total.count for r in rows if r.counts_as_return)
            return OutcomeTable(quarters, rows, totals, returned, total, percent(returned, total) if total else None)
        return self._read(actor, "stats.read", work)

    def visitation_summary(self, actor: Actor) -> VisitationSummary:
        """Accepted, rejected and pending referrals, and how many were accepted outside the criteria."""
        def work(s):
            rows = dict(s.execute(select(Case.visitation_decision, func.count()).group_by(
                Case.visitation_decision)).all())
            outside = s.scalar(select(func.count()).select_from(Case).where(
                Case.visitation_decision == "accepted", Case.outside_criteria.is_(True))) or 0
            return VisitationSummary(rows.get("accepted", 0), rows.get("rejected", 0), rows.get("pending", 0), outside)
        return self._read(actor, "stats.read", work)
