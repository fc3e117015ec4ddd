"""Export of the case list as the user sees it (the filtered cases in the shown order, the shown
columns) to CSV or Excel. Logged with the cases it held."""
from __future__ import annotations

import os
from pathlib import Path

from app.errors import ValidationError
from app.labels import PHASE_LABELS
from app.reports.export import Sheet, Value, write_sheets
from app.services.base import Actor, ServiceBase
from app.services.cases import CaseListRow, CaseService

# column key (as the case list names its columns) -> (title, the cell's value)
CASE_LIST_COLUMNS: dict[str, tuple[str, object]] = {
    "case_number": ("Forløb", lambda r: r.case_number),
    "name": ("Navn", lambda r: r.name),
    "cpr": ("CPR", lambda r: r.cpr_masked),
    "phase": ("Fase", lambda r: PHASE_LABELS.get(r.phase, r.phase)),
    "subgroup": ("Undergruppe", lambda r: r.subgroup),
    "coordinator": ("Koordinator", lambda r: r.coordinator),
    "sick_weeks": ("Sygemeldingsuge", lambda r: r.sick_weeks),
    "next_deadline": ("Næste frist", lambda r: r.next_deadline),
    "last_activity": ("Seneste aktivitet", lambda r: r.last_activity.date()),
}
EXPORT_FORMATS = ("csv", "xlsx")
CHUNK = 500   # ids per query (an IN list stays small)


def case_list_sheet(rows: list[CaseListRow], columns: list[str]) -> Sheet:
    keys = ["case_number", *[c for c in columns if c != "case_number"]]
    cells: list[list[Value]] = [[CASE_LIST_COLUMNS[k][1](r) for k in keys] for r in rows]
    return Sheet("Forløb", [CASE_LIST_COLUMNS[k][0] for k in keys], cells)


class ExportService(ServiceBase):
    def export_case_list(self, actor: Actor, ids: list[int], path: str | os.PathLike, fmt: str, *,
                         columns: list[str] | None = None, filter_text: str = "") -> int:
        """Write the cases ``ids`` (in that order; only those the actor may see) with ``columns`` to
        ``path``; returns how many rows were written. ``filter_text`` says in the log what was shown."""
        if fmt not in EXPORT_FORMATS:
            raise ValidationError("format", "vælg CSV eller Excel", label="Format")
        columns = list(columns) if columns is not None else list(CASE_LIST_COLUMNS)
        unknown = [c for c in columns if c not in CASE_LIST_COLUMNS]
        if unknown:
            raise ValidationError("columns", f"ukendt kolonne: {', '.join(unknown)}", label="Kolonner")
        lister = CaseService(self.db, self.clock)

        def work(s):
            rows = [r for i in range(0, len(ids), CHUNK) for r in lister.rows_for_ids(s, actor, ids[i:i + CHUNK])]
            write_sheets(Path(path), [case_list_sheet(rows, columns)], fmt)
            self.audit(s, actor, "export", "case_list", None, case_ids=[r.id for r in rows],
                       detail=f"{len(rows)} forløb til {fmt.upper()}" + (f"; {filter_text}" if filter_text else ""))
            return len(rows)
        return self._write(actor, "case.export", work)
