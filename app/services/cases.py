"""Cases (forløb): the searchable list and the case record. Every read is logged.

Need-to-know (``app.access``): the list shows every case's row; the record, the full CPR number and
changes need full access, which a team member not on the case gets by stating a reason
(``grant_access``)."""
from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Date, Integer, Select, and_, cast, exists, func, literal, or_, select
from sqlalchemy import case as sql_case
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app import access
from app.case_fields import CASE_FIELDS
from app.dates import sick_week
from app.errors import PermissionDenied, ValidationError
from app.services.base import Actor, ServiceBase, get_or_404, require
from app.services.deadlines import sync_case_deadlines
from app.services.team import check_coordinator, may_join_case
from app.validation import clean_text, danish_order_key, fold, mask_cpr, parse_cpr
from db.models import (
    ActionPlan,
    Assessment,
    AuditEntry,
    Case,
    CaseAbsenceReason,
    CaseAccessGrant,
    CaseIcd10,
    CaseTeamMember,
    CatalogItem,
    Citizen,
    JournalNote,
    RoundTableMeeting,
    Task,
    User,
    WorkplaceContact,
)


@dataclass(frozen=True)
class CaseListRow:
    id: int
    case_number: str
    name: str
    cpr_masked: str
    phase: str
    subgroup: int | None       # None on a SUMMARY row: the subgroup says which illness
    coordinator: str
    sick_weeks: int | None     # None on a SUMMARY row
    next_deadline: dt.date | None
    last_activity: dt.datetime
    access: str   # app.access.FULL, or SUMMARY: the record opens only with a stated reason


@dataclass(frozen=True)
class AccessGrant:
    """A stated reason that opened a case: full access until ``expires_at`` (naive UTC)."""
    id: int
    case_id: int
    granted_at: dt.datetime
    expires_at: dt.datetime


@dataclass(frozen=True)
class CaseDetail:
    """One case as its record shows it. ``values`` holds every column field of ``CASE_FIELDS`` by
    name (the CPR number masked), which is what forms show and edit; the attributes are the case's
    identity, state and what is computed or collected from other rows."""
    id: int
    version: int
    case_number: str
    citizen_id: int
    name: str
    cpr_masked: str
    address: str                 # street, postcode and city on one line
    phase: str
    phase_editable: bool         # visitated and open: the phase may be set by hand
    coordinator: str             # the coordinator's name
    sick_weeks: int              # the sick-leave week today, or at closing for a closed case
    visitation_decision: str
    outside_criteria: bool
    outside_criteria_reason: str
    closed_date: dt.date | None
    outcome: str
    other_reason: str
    next_effort: str
    final_hours_per_week: float | None
    closing_note: str
    values: dict[str, Any]
    team_member_ids: list[int] = field(default_factory=list)
    icd10: list[str] = field(default_factory=list)
    absence_reasons: list[str] = field(default_factory=list)   # labels
    contacts: list[tuple[str, str, str]] = field(default_factory=list)  # kind, name, phone
    counts: dict[str, int] = field(default_factory=dict)


# The list's sortable columns as SQL expressions (some depend on the database and on today).
SORT_KEYS = {
    "name": lambda dialect, today: Case.name_sort,  # last name, first name, in Danish order (db/names.py)
    "cpr": lambda dialect, today: Case.citizen_birth_date,
    "phase": lambda dialect, today: Case.phase,
    "subgroup": lambda dialect, today: Case.subgroup,
    "coordinator": lambda dialect, today: Case.coordinator_id,  # grouped in Danish name order in search_ids
    "sick_weeks": lambda dialect, today: Case.closed_sick_days,  # merged with open cases: _by_sick_leave
    "next_deadline": lambda dialect, today: Case.next_deadline,
    "last_activity": lambda dialect, today: Case.last_activity_at,
    "case_number": lambda dialect, today: Case.case_number,
}

# Full CPR numbers one user may look up per hour (case search, the referral form's look-up). A full
# number finds a person's cases; without a limit, trying the four last digits after a birth date
# would spell out anyone's number. Every look-up is logged (the number cut to the birth date).
CPR_LOOKUPS_PER_HOUR = 30


def note_cpr_lookup(svc: ServiceBase, s: Session, actor: Actor, digits: str) -> None:
    """Log one look-up of a full CPR number and refuse it past ``CPR_LOOKUPS_PER_HOUR`` look-ups in
    the last hour (the team lead, who reads every case, is not limited)."""
    if actor.role not in access.READS_EVERY_CASE:
        since = svc.clock() - dt.timedelta(hours=1)
        earlier = s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.user_id == actor.user_id, AuditEntry.action == "search", AuditEntry.entity == "cpr",
            AuditEntry.at >= since)) or 0
        if earlier >= CPR_LOOKUPS_PER_HOUR:
            raise ValidationError("search", f"højst {CPR_LOOKUPS_PER_HOUR} opslag på fulde CPR-numre i timen; "
                                  "prøv igen senere, eller søg på navn eller forløbsnummer", label="Søgning")
    svc.audit(s, actor, "search", "cpr", None, detail=mask_cpr(digits))


def full_cpr(text: str) -> str | None:
    """The ten digits when a search text is a whole CPR number (with or without dash or spaces)."""
    digits = (text or "").replace("-", "").replace(" ", "")
    return digits if len(digits) == 10 and digits.isdigit() else None


# Columns a summary row (a case the user is not on) leaves empty, and so may not be ordered by.
HIDDEN_ON_SUMMARY_ROWS = frozenset({"subgroup", "sick_weeks"})

OPEN_PHASES_AFTER_VISITATION = ("assessment", "plan", "intervention", "follow_up")

LIST_PAGE = 100   # the most rows ``list_page`` returns: the case list's first screen and a block


@dataclass(frozen=True)
class CaseQuery:
    """What the case list asks for: the search text, the filters and the order."""
    text: str = ""
    phase: str | tuple[str, ...] | None = None
    coordinator_id: int | None = None
    subgroup: int | None = None
    mine: bool = False
    on_my_team: bool = False
    without_coordinator: bool = False
    include_closed: bool = True
    sort: str = "last_activity"
    descending: bool = True

    @classmethod
    def of(cls, text: str = "", **criteria: Any) -> CaseQuery:
        query = cls(clean_text(text, field="search", label="Søgning", max_len=100), **criteria)
        if query.sort not in SORT_KEYS:
            raise ValidationError("sort", "ukendt sorteringskolonne", label="Sortering")
        return query


@dataclass(frozen=True)
class ListPage:
    """The first matches of a search with their rows; ``complete`` when ``ids`` holds every match."""
    ids: list[int]
    rows: list[CaseListRow]
    complete: bool


def _columns(session: Session, query: Select) -> list[list[int]]:
    """The columns of a query of ids and whole-number sort keys, in its order, read straight from
    the driver's cursor.

    The case list asks for up to every case's id at each keystroke and sort; for 50,000 ids,
    SQLAlchemy's per-row result handling took longer than SQLite's whole query, and ids need none.
    On SQLite each column comes back as one text (``group_concat`` over the ordered query, which SQLite
    does not flatten, so the order holds and the columns stay aligned; no value may be NULL): the
    driver then steps the query without taking Python's lock once per row, and the window's painting
    on the GUI thread is not slowed down meanwhile. Parameters go to the driver as they are, so only
    text and whole numbers are allowed; driver errors are wrapped as SQLAlchemy's, so the service
    layer still turns them into messages.
    """
    width = len(query.selected_columns)
    connection = session.connection()
    dialect = connection.dialect
    compiled = query.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    if any(v is not None and not isinstance(v, (str, int)) for v in params.values()):
        rows = session.execute(query).all()  # dates and times need SQLAlchemy's conversion
        return [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in range(width)]
    if compiled.positional:
        params = tuple(params[name] for name in compiled.positiontup)
    sql = str(compiled)
    joined = dialect.name == "sqlite"
    if joined:
        names = [c.key for c in query.selected_columns]
        sql = f"SELECT {', '.join(f'group_concat(q.{n})' for n in names)} FROM ({sql}) AS q"
    cursor = connection.connection.driver_connection.cursor()
    try:
        cursor.execute(sql, params)
        if joined:
            texts = cursor.fetchone()
            return [list(map(int, t.split(","))) if t else [] for t in texts]
        rows = cursor.fetchall()
        return [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in range(width)]
    except dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(sql, params, exc, dialect.loaded_dbapi.Error, dialect=dialect) from exc
    finally:
        cursor.close()


def _in_parts(s: Session, parts: list[Select], limit: int | None) -> list[int]:
    """The ids of ``parts`` one after another, at most ``limit`` of them."""
    ids: list[int] = []
    for part in parts:
        if limit is not None:
            if len(ids) >= limit:
                break
            part = part.limit(limit - len(ids))
        ids.extend(_ids(s, part))
    return ids


def _ids(session: Session, query: Select) -> list[int]:
    """The ids a one-column query returns, in its order (``_columns``)."""
    return _columns(session, query)[0]


def _day_number(dialect: str, day):
    """A date as a whole number of days, in SQL (``_today_number`` gives today's in Python)."""
    if dialect == "sqlite":
        return cast(func.julianday(day), Integer)
    return day - literal(_EPOCH, Date)


def _day_number_of(dialect: str, day: dt.date) -> int:
    if dialect == "sqlite":
        return day.toordinal() + 1721424  # julianday of a date is its ordinal + 1721424.5
    return (day - _EPOCH).days


_EPOCH = dt.date(1970, 1, 1)


class CaseService(ServiceBase):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Cases shown by ``list_page`` and not yet logged, per session: (search text, case ids).
        self._unlogged: dict[str, tuple[str, set[int]]] = {}
        self._unlogged_lock = threading.Lock()
        # The last whole CPR number each session searched for, and when (``_note_full_cpr``).
        self._last_cpr: dict[str, tuple[str, dt.datetime]] = {}

    # -- the list -----------------------------------------------------------------------------
    def search_ids(self, actor: Actor, text: str = "", *, log: bool = True, **criteria: Any) -> list[int]:
        """Ordered ids of the matching cases; searching and sorting happen in SQL.

        Names match by their folded form (å = aa, æ = ae, ø = oe, no accents), digits by CPR prefix or
        case number. The criteria (``CaseQuery``): ``phase``: one phase or several (e.g. referral and
        visitation: awaiting visitation); ``mine``: cases the actor coordinates; ``on_my_team``: cases
        whose team includes the actor; ``without_coordinator``: cases nobody coordinates (the filters
        the dashboard's figures open); ``coordinator_id``, ``subgroup``, ``include_closed``, ``sort``,
        ``descending``. With ``log=False`` the search is not written to the audit log: the case list
        searches at every keystroke and logs the finished search once with ``log_search``.
        """
        query = CaseQuery.of(text, **criteria)
        self._note_full_cpr(actor, query.text)
        ids = self._read(actor, "case.search", lambda s: self._ordered_ids(s, actor, query, None))
        if log:
            self.log_search(actor, query.text)
        return ids

    def list_page(self, actor: Actor, text: str = "", *, first: int = LIST_PAGE, **criteria: Any) -> ListPage:
        """The first ``first`` matches with their rows, in one read: what the case list paints while
        ``search_ids`` fetches every id. The rows' read is not logged here, at each keystroke, but by
        the finished search's one entry (``log_search``), which names every case shown meanwhile."""
        if not 0 < first <= LIST_PAGE:
            raise ValidationError("first", f"mellem 1 og {LIST_PAGE}", label="Antal rækker")
        query = CaseQuery.of(text, **criteria)
        self._note_full_cpr(actor, query.text)

        def work(s):
            ids = self._ordered_ids(s, actor, query, first + 1)
            rows = self.rows_for_ids(s, actor, ids[:first])
            return ListPage(ids[:first], rows, complete=len(ids) <= first)
        page = self._read(actor, "case.search", work)
        with self._unlogged_lock:
            _text, shown = self._unlogged.get(actor.session_token or "", ("", set()))
            self._unlogged[actor.session_token or ""] = (query.text, shown | {r.id for r in page.rows})
        return page

    def _note_full_cpr(self, actor: Actor, text: str) -> None:
        """A search for a whole CPR number is one look-up (``note_cpr_lookup``): the list's first
        screen and its id search for the same text, or the same number searched again within ten
        minutes, count once."""
        digits = full_cpr(text)
        if digits is None:
            return
        now, key = self.clock(), actor.session_token or str(actor.user_id)
        with self._unlogged_lock:
            last = self._last_cpr.get(key)
            if last is not None and last[0] == digits and now - last[1] < dt.timedelta(minutes=10):
                return
        self._write(actor, "case.search", lambda s: note_cpr_lookup(self, s, actor, digits))
        with self._unlogged_lock:
            self._last_cpr[key] = (digits, now)

    def _ordered_ids(self, s: Session, actor: Actor, query: CaseQuery, limit: int | None) -> list[int]:
        """The matching ids in the query's order; at most ``limit`` of them."""
        # Each case carries its citizen's name keys and birth date, so only a CPR search reads the
        # citizens; each order has a narrow index (db/models/case.py).
        q = select(Case.id)
        key = SORT_KEYS[query.sort](s.get_bind().dialect.name, self.today())
        conds = [] if actor.role in access.CASE_READERS else [access.visible_clause(actor)]
        text = query.text
        if text:
            digits = text.replace("-", "").replace(" ", "")
            if digits.isdigit():
                conds.append(or_(self._cpr_match(actor, digits), Case.case_number.contains(digits)))
            else:
                for word in fold(text).split():
                    conds.append(Case.name_search.contains(word, autoescape=True))
        if isinstance(query.phase, str):
            conds.append(Case.phase == query.phase)
        elif query.phase:
            conds.append(Case.phase.in_(query.phase))
        elif not query.include_closed:
            conds.append(Case.phase != "closed")
        if query.mine:
            conds.append(Case.coordinator_id == actor.user_id)
        elif query.without_coordinator:
            conds.append(Case.coordinator_id.is_(None))
        elif query.coordinator_id:
            conds.append(Case.coordinator_id == query.coordinator_id)
        if query.on_my_team:
            conds.append(exists().where(CaseTeamMember.case_id == Case.id, CaseTeamMember.user_id == actor.user_id))
        full = access.full_access_clause(actor, self.clock())
        if query.subgroup:   # the subgroup says which illness: it finds only the cases read in full
            conds.append(and_(Case.subgroup == query.subgroup, full))
        if conds:
            q = q.where(and_(*conds))
        descending = query.descending
        tie = Case.id.desc() if descending else Case.id
        if query.sort == "coordinator":
            # A team has few coordinators: one index-ordered read per coordinator, in Danish
            # name order after the cases without one (an empty name), instead of joining the
            # users and sorting every case again.
            users = s.execute(select(User.id, User.full_name)).all()
            ranked = sorted(users, key=lambda u: (danish_order_key(u.full_name), u.id))
            groups = [q.where(key.is_(None))] + [q.where(key == u.id) for u in ranked]
            parts = [g.order_by(tie) for g in (reversed(groups) if descending else groups)]
        elif query.sort == "next_deadline":
            # Cases without an open deadline last, either way: two index-ordered reads, since
            # an index keeps NULLs first and "NULLS LAST" would sort all rows again.
            parts = [q.where(key.is_not(None)).order_by(key.desc() if descending else key, tie),
                     q.where(key.is_(None)).order_by(tie)]
        elif query.sort in HIDDEN_ON_SUMMARY_ROWS and actor.role not in access.READS_EVERY_CASE:
            # Ordered by a value a summary row does not show: the cases read in full in that order,
            # then the others by id, so their place in the order gives nothing away.
            ids = self._by_value(s, q.where(full), query.sort, key, descending, limit)
            if limit is None or len(ids) < limit:
                # (not "~full": where a coordinator is NULL the clause is NULL, and NOT NULL drops the row)
                rest = q.where(sql_case((full, 1), else_=0) == 0).order_by(tie)
                ids += _ids(s, rest if limit is None else rest.limit(limit - len(ids)))
            return ids
        elif query.sort == "sick_weeks":
            return self._by_sick_leave(s, q, descending, limit)
        else:
            parts = [q.order_by(key.desc() if descending else key.asc(), tie)]
        return _in_parts(s, parts, limit)

    def _by_value(self, s: Session, q: Select, sort: str, key, descending: bool, limit: int | None) -> list[int]:
        if sort == "sick_weeks":
            return self._by_sick_leave(s, q, descending, limit)
        tie = Case.id.desc() if descending else Case.id
        return _in_parts(s, [q.order_by(key.desc() if descending else key.asc(), tie)], limit)

    def _by_sick_leave(self, s: Session, q: Select, descending: bool, limit: int | None) -> list[int]:
        """The ids in the order of the list's "Sygemeldt" column: days of sick leave until today, or
        until the closed date, then the id. A closed case's length is stored (``closed_sick_days``),
        an open case's grows each day, in the reverse order of its start date; both come from one
        index in that order, and the two sorted runs are merged here, so a sort reads at most
        ``limit`` rows of each instead of computing and sorting every case's length."""
        dialect = s.get_bind().dialect.name
        today = _day_number_of(dialect, self.today())
        closed = q.where(Case.closed_sick_days.is_not(None)).add_columns(Case.closed_sick_days)
        running = q.where(Case.closed_sick_days.is_(None)).add_columns(
            _day_number(dialect, Case.sick_leave_start).label("start_day"))
        if descending:
            closed = closed.order_by(Case.closed_sick_days.desc(), Case.id.desc())
            running = running.order_by(Case.sick_leave_start, Case.id.desc())
        else:
            closed = closed.order_by(Case.closed_sick_days, Case.id)
            running = running.order_by(Case.sick_leave_start.desc(), Case.id)
        if limit is not None:
            closed, running = closed.limit(limit), running.limit(limit)
        closed_ids, closed_days = _columns(s, closed)
        running_ids, start_days = _columns(s, running)
        # Two sorted runs: Python's sort merges them in one pass.
        rows = list(zip(closed_days, closed_ids, strict=True))
        rows += zip([today - d for d in start_days], running_ids, strict=True)
        rows.sort(reverse=descending)
        return [i for _days, i in rows[:limit]]

    def _cpr_match(self, actor: Actor, digits: str):
        """Searching by CPR finds a person's cases without revealing more of the number than the list
        shows (the birth date): up to six digits match as a prefix, all ten exactly; seven to nine
        digits would let anyone spell out a full number a digit at a time, so they match as a prefix
        only on the cases the actor reads in full."""
        def citizens(cond):  # cases of the matching citizens, without joining every citizen
            return Case.citizen_id.in_(select(Citizen.id).where(cond))
        if len(digits) <= 6:
            return citizens(Citizen.cpr.startswith(digits))
        if len(digits) == 10:
            return citizens(Citizen.cpr == digits)
        return and_(citizens(Citizen.cpr.startswith(digits)), access.full_access_clause(actor, self.clock()))

    def log_search(self, actor: Actor, text: str) -> None:
        """Write one audit entry for a finished search, with its text (Datatilsynet: every search of
        personal data is logged) and the cases whose rows ``list_page`` showed meanwhile. An empty
        search field is a plain list view: its shown rows are logged as a list read."""
        text = clean_text(text, field="search", label="Søgning", max_len=100)
        with self._unlogged_lock:
            _text, shown = self._unlogged.pop(actor.session_token or "", ("", set()))
        if text or shown:
            self._write(actor, "case.search", lambda s: self.audit(
                s, actor, "search" if text else "read", "tta_case" if text else "case_list", None,
                detail=text, case_ids=sorted(shown)))

    def list_rows(self, actor: Actor, ids: list[int]) -> list[CaseListRow]:
        """Rows for the given ids, in the given order (the list fetches what it shows). A row is the
        summary every team member may see; ``access`` says whether the record opens without a reason.
        Each call (a block of the list, 100 rows in the UI) writes one audit entry naming the cases it
        returned: one entry per block, not per row, keeps scrolling fast and the log small."""
        if not ids:
            return []

        def work(s):
            rows = self.rows_for_ids(s, actor, ids)
            if rows:
                self.audit(s, actor, "read", "case_list", None, case_ids=[r.id for r in rows])
            return rows
        return self._write(actor, "case.read", work)

    def rows_for_ids(self, s: Session, actor: Actor, ids: list[int]) -> list[CaseListRow]:
        """The list rows of ``ids`` the actor may see, in the order given (inside a transaction; the
        caller writes the audit entry)."""
        if not ids:
            return []
        q = (select(Case.id, Case.case_number, Citizen.first_name, Citizen.last_name, Citizen.cpr, Case.phase,
                    Case.subgroup, User.full_name, Case.sick_leave_start, Case.closed_date,
                    Case.next_deadline, Case.last_activity_at)
             .join(Citizen, Citizen.id == Case.citizen_id)
             .outerjoin(User, User.id == Case.coordinator_id)
             .where(Case.id.in_(ids), access.visible_clause(actor)))
        full = set(s.scalars(select(Case.id).where(Case.id.in_(ids), access.full_access_clause(actor, self.clock()))))
        today = self.today()
        by_id = {}
        for r in s.execute(q):
            shown = r.id in full
            by_id[r.id] = CaseListRow(r.id, r.case_number, f"{r.first_name} {r.last_name}", mask_cpr(r.cpr),
                                      r.phase, r.subgroup if shown else None, r[7] or "",
                                      (sick_week(r.sick_leave_start, today, closed=r.closed_date) or 0) if shown
                                      else None,
                                      r[10], r.last_activity_at, access.FULL if shown else access.SUMMARY)
        return [by_id[i] for i in ids if i in by_id]

    def total(self) -> int:
        """How many cases exist: a number, no personal data, so no actor is needed."""
        return self._read(None, None, lambda s: s.scalar(select(func.count(Case.id))) or 0)

    # -- one case -----------------------------------------------------------------------------
    def get_case(self, actor: Actor, case_id: int) -> CaseDetail:
        """The case record; the read is written to the audit log in the same transaction. ``NeedToKnow``
        when the actor is not on the case and has stated no reason (``grant_access``)."""
        def work(s):
            self.require_case(s, actor, case_id)
            c = get_or_404(s, Case, case_id, "Forløb")
            cit = c.citizen
            coord = s.get(User, c.coordinator_id) if c.coordinator_id else None
            icd = list(s.scalars(select(CaseIcd10.code).where(CaseIcd10.case_id == c.id).order_by(CaseIcd10.code)))
            reasons = list(s.scalars(select(CatalogItem.label).join(
                CaseAbsenceReason, CaseAbsenceReason.reason_id == CatalogItem.id).where(
                CaseAbsenceReason.case_id == c.id).order_by(CatalogItem.sort_order)))
            contacts = [(w.kind, w.name, w.phone) for w in s.scalars(
                select(WorkplaceContact).where(WorkplaceContact.case_id == c.id).order_by(WorkplaceContact.id))]
            counted = (("assessments", Assessment, ()), ("plans", ActionPlan, ()),
                       ("meetings", RoundTableMeeting, ()), ("journal", JournalNote, ()),
                       ("open_tasks", Task, (Task.done_at.is_(None),)))
            counts = s.execute(select(*(
                select(func.count()).select_from(model).where(model.case_id == c.id, *extra)
                .scalar_subquery().label(name) for name, model, extra in counted))).one()._asdict()
            self.audit(s, actor, "read", "tta_case", c.id, case_id=c.id)
            item_ids = {i for i in (c.outcome_id, c.other_reason_id, c.next_effort_id) if i}
            labels = {row.id: row.label for row in s.execute(
                select(CatalogItem.id, CatalogItem.label).where(CatalogItem.id.in_(item_ids)))}

            def label(item_id):
                return labels[item_id] if item_id else ""
            team = sorted(s.scalars(select(CaseTeamMember.user_id).where(CaseTeamMember.case_id == c.id)))
            return CaseDetail(
                id=c.id, version=c.version, case_number=c.case_number, citizen_id=cit.id,
                name=f"{cit.first_name} {cit.last_name}", cpr_masked=mask_cpr(cit.cpr),
                address=", ".join(p for p in (cit.address, f"{cit.postcode} {cit.city}".strip()) if p),
                phase=c.phase, phase_editable=phase_editable(c.phase), coordinator=coord.full_name if coord else "",
                sick_weeks=sick_week(c.sick_leave_start, self.today(), closed=c.closed_date) or 0,
                visitation_decision=c.visitation_decision, outside_criteria=c.outside_criteria,
                outside_criteria_reason=c.outside_criteria_reason, closed_date=c.closed_date,
                outcome=label(c.outcome_id), other_reason=label(c.other_reason_id),
                next_effort=label(c.next_effort_id), final_hours_per_week=c.final_hours_per_week,
                closing_note=c.closing_note, values=CASE_FIELDS.read({Case: c, Citizen: cit}),
                team_member_ids=team, icd10=icd, absence_reasons=reasons, contacts=contacts, counts=counts)
        return self._write(actor, "case.read", work, what="forløbet")

    def reveal_cpr(self, actor: Actor, case_id: int) -> str:
        """The full CPR number, on demand; logged."""
        def work(s):
            self.require_case(s, actor, case_id, action="case.reveal_cpr")
            c = get_or_404(s, Case, case_id, "Forløb")
            self.audit(s, actor, "reveal_cpr", "citizen", c.citizen_id, case_id=c.id)
            return parse_cpr(c.citizen.cpr).formatted
        return self._write(actor, "case.reveal_cpr", work)

    def update_case(self, actor: Actor, case_id: int, *, expected_version: int,
                    changes: dict[str, Any]) -> int:
        """Change fields of a case; returns the new version. Each field is checked by its rules in
        ``CASE_FIELDS`` and needs the field's ``edit_action``: giving the case another coordinator
        is the team lead's (``case.reassign``). A stale version is a conflict; on any error nothing
        is saved."""
        for name in changes:
            f = CASE_FIELDS[name] if name in CASE_FIELDS else None
            if f is None or f.edit_action is None:
                raise ValidationError(name, "kan ikke rettes her", label=f.label if f else name)

        def work(s):
            c = self.case_for_change(s, actor, case_id, expected_version, action="case.update")
            team = set(s.scalars(select(CaseTeamMember.user_id).where(CaseTeamMember.case_id == c.id)))
            stored = {**CASE_FIELDS.read({Case: c, Citizen: c.citizen}), "team_member_ids": sorted(team)}
            clean = CASE_FIELDS.validate(changes, only=changes, context=stored, today=self.today())
            changed = [name for name, value in clean.items() if stored[name] != value]
            for name in changed:
                require(actor, CASE_FIELDS[name].edit_action)
            if "team_member_ids" in changed and not access.reads_without_reason(s, actor, c.id):
                # Putting oneself on the team would turn a reason that expires into lasting access.
                raise PermissionDenied("case.update", actor.role, "Med en begrundet adgang kan du ikke ændre, "
                                       "hvem der er på forløbet; det gør forløbets koordinator eller teamlederen.")
            if "phase" in changed:
                if not phase_editable(c.phase):
                    raise ValidationError("phase", "kan kun ændres på et visiteret, åbent forløb",
                                          label=CASE_FIELDS["phase"].label)
                if clean["phase"] not in OPEN_PHASES_AFTER_VISITATION:
                    raise ValidationError("phase", "kan kun sættes til udredning, handlingsplan, indsats eller "
                                          "opfølgning (visitation og afslutning har egne trin)",
                                          label=CASE_FIELDS["phase"].label)
            if "coordinator_id" in changed and clean["coordinator_id"] is not None:
                check_coordinator(s, clean["coordinator_id"])
            for name in changed:
                if name == "team_member_ids":
                    self._set_team(s, c, team, set(clean[name]))
                else:
                    setattr(c, name, clean[name])
            if changed:
                c.last_activity_at = self.clock()
                c.updated_at = self.clock()  # bumps the version even when only the team changed
                s.flush()
                if {"sick_leave_start", "coordinator_id", "subgroup", "employment_status"} & set(changed):
                    sync_case_deadlines(s, c.id, acting_user_id=actor.user_id)
                self.audit(s, actor, "update", "tta_case", c.id, case_id=c.id, fields=changed)
                if {"team_member_ids", "coordinator_id"} & set(changed):
                    self._hand_over_tasks(s, actor, c)
            return c.version
        return self._write(actor, "case.update", work, what="forløbet")

    def grant_access(self, actor: Actor, case_id: int, reason: str) -> AccessGrant | None:
        """"Begrund adgang": open a case the actor is not on by stating why. The reason is stored and
        logged, the team lead reviews it (``AccessReviewService.list_grants``), and the actor reads the
        case in full (and changes it within their role's rights) for ``app.access.GRANT_DURATION``.
        Each call is a new grant from now, also while an earlier one runs. Returns None, storing
        nothing, when the actor reads the case without a reason (its coordinator, on its team, the
        team lead)."""
        reason = access.clean_reason(reason)

        def work(s):
            if access.reads_without_reason(s, actor, case_id):
                return None
            now = self.clock()
            g = CaseAccessGrant(user_id=actor.user_id, case_id=case_id, reason=reason, granted_at=now,
                                expires_at=now + access.GRANT_DURATION)
            s.add(g)
            s.flush()
            self.audit(s, actor, "grant_access", "case_access_grant", g.id, case_id=case_id, fields=["reason"],
                       detail=reason)
            return AccessGrant(g.id, case_id, g.granted_at, g.expires_at)
        return self._write(actor, "case.read", work)

    def _hand_over_tasks(self, s, actor: Actor, case: Case) -> None:
        """Open tasks on the case whose owner is no longer on it (taken off its team, or no longer
        its coordinator) go to its coordinator, or to whoever made the change when it has none: a
        task's title and description are case data, shown in the owner's task list."""
        on_case = {case.coordinator_id, *s.scalars(select(CaseTeamMember.user_id)
                                                   .where(CaseTeamMember.case_id == case.id))}
        leads = set(s.scalars(select(User.id).where(User.role.in_(access.READS_EVERY_CASE))))
        heir = case.coordinator_id or actor.user_id
        for t in s.scalars(select(Task).where(Task.case_id == case.id, Task.done_at.is_(None))):
            if t.owner_id not in on_case and t.owner_id not in leads and t.owner_id != heir:
                t.owner_id = heir
                s.flush()
                self.audit(s, actor, "update", "task", t.id, case_id=case.id, fields=["owner_id"],
                           detail="ejeren er ikke længere på forløbet")

    def _set_team(self, s, case: Case, current: set[int], wanted: set[int]) -> None:
        for m in s.scalars(select(CaseTeamMember).where(CaseTeamMember.case_id == case.id,
                                                        CaseTeamMember.user_id.in_(current - wanted))):
            s.delete(m)
        for uid in sorted(wanted - current):
            if not may_join_case(s.get(User, uid)):
                raise ValidationError("team_member_ids", "skal være aktive medlemmer af teamet",
                                      label=CASE_FIELDS["team_member_ids"].label)
            s.add(CaseTeamMember(case_id=case.id, user_id=uid))


def phase_editable(phase: str) -> bool:
    """Whether the phase may be set by hand: only on a visitated, open case (visitation and closing
    are steps of their own)."""
    return phase in OPEN_PHASES_AFTER_VISITATION
