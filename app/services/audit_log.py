"""The access log (adgangslog) as a user reads it: who saw or changed what and when, and its printout;
its integrity (``verify``), its retention (``purge``) and the extract about one citizen (GDPR art. 15).

Rows name people by their full name and cases by their case number: internal ids and login names
mean nothing to a citizen who asked for insight. Reading the log is itself logged. One case's log
follows ``app.access.require_case_log_access``: the administrator reads every case's log (to answer
requests for insight), the team lead the logs of the cases they read.
"""
from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass

from sqlalchemy import and_, func, literal, or_, select
from sqlalchemy.exc import OperationalError

from app.access import require_case_log_access
from app.audit_chain import PurgeResult, VerifyResult, purge_before, verify_chain
from app.dates import add_months
from app.errors import AppError, ValidationError
from app.services.admin import _validate_setting, read_setting
from app.services.base import Actor, ServiceBase, _storage_error, get_or_404, require
from app.validation import mask_cpr
from db.models import AuditEntry, Case, Citizen, Setting, User

__all__ = ["AccessLogCase", "AuditLogService", "AuditRetentionInvalid", "AuditRow", "CitizenExtract", "PurgeResult",
           "VerifyResult"]

# When the monthly purge last ran (naive UTC, ISO format); not a setting a user edits.
PURGE_LAST_RUN = "audit_purge_last_run"


class AuditRetentionInvalid(AppError):
    """The stored retention setting is outside what Administration allows, so nothing was purged."""


def retention_months(s) -> int:
    """``audit_retention_months`` as stored, checked against the rule Administration applies
    (1-120): a value edited beside the program (e.g. -1 or 0) must not purge the whole log."""
    value = read_setting(s, "audit_retention_months")
    try:
        _validate_setting("audit_retention_months", value)
    except ValidationError:
        shown = repr(value)[:20]
        raise AuditRetentionInvalid(
            f"Adgangsloggen er ikke ryddet op, og intet er slettet: indstillingen 'Opbevaring af log' har værdien "
            f"{shown} i databasen, men skal være et helt antal måneder mellem 1 og 120. Ret den under "
            "Administration.") from None
    return value


@dataclass(frozen=True)
class AuditRow:
    at: dt.datetime          # naive UTC
    user_id: int | None      # to filter on; not for display
    user: str                # full name; the typed login name only when no user matches (a failed login)
    action: str
    entity: str
    case_number: str         # "" when the entry concerns no case
    fields: str              # comma-separated field names (app.labels.field_names turns them into words)
    detail: str


@dataclass(frozen=True)
class AccessLogCase:
    case_id: int
    case_number: str
    citizen_name: str


@dataclass(frozen=True)
class CitizenExtract:
    """Everything the log holds about one citizen, oldest first. A row's ``case_number`` names the
    citizen's own case(s) only: a list entry that also showed other citizens names none of them."""
    citizen_id: int
    name: str
    cpr_masked: str
    cases: list[tuple[int, str]]     # (case id, case number), oldest first
    rows: list[AuditRow]
    retention_months: int


def _names_case(case_id: int):
    """The entry's ``case_ids`` (a list it showed) include ``case_id``."""
    return (literal(",") + AuditEntry.case_ids + literal(",")).contains(f",{case_id},")


def _filter_detail(user_id, action, since, until) -> str:
    parts = []
    if user_id is not None:
        parts.append(f"bruger-id {user_id}")
    if action:
        parts.append(f"handling {action}")
    if since:
        parts.append(f"fra {since:%d-%m-%Y}")
    if until:
        parts.append(f"til {until:%d-%m-%Y}")
    return ("filter: " + ", ".join(parts)) if parts else ""


class AuditLogService(ServiceBase):
    # -- reading ---------------------------------------------------------------------------------
    def entries(self, actor: Actor, *, case_id: int | None = None, user_id: int | None = None,
                action: str | None = None, since: dt.date | None = None, until: dt.date | None = None,
                limit: int = 5000) -> list[AuditRow]:
        """The audit log, newest first, filtered; for a case it answers a citizen's request for insight
        (including the lists that showed the case). The reading is logged, with the filter."""
        def work(s):
            if case_id is not None:
                require_case_log_access(s, actor, case_id, now=self.clock())
            rows = self._entries(s, case_id=case_id, user_id=user_id, action=action, since=since, until=until,
                                 limit=limit)
            self.audit(s, actor, "read", "audit_log", None, case_id=case_id,
                       detail=_filter_detail(user_id, action, since, until))
            return rows
        return self._write(actor, "audit.read", work)

    def _entries(self, s, *, case_id, user_id, action, since, until, limit) -> list[AuditRow]:
        q = (select(AuditEntry.at, AuditEntry.user_id, func.coalesce(User.full_name, AuditEntry.username),
                    AuditEntry.action, AuditEntry.entity, Case.case_number, AuditEntry.fields, AuditEntry.detail)
             .outerjoin(User, User.id == AuditEntry.user_id)
             .outerjoin(Case, Case.id == AuditEntry.case_id)
             .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit))
        if case_id is not None:
            q = q.where(or_(AuditEntry.case_id == case_id, _names_case(case_id)))
        if user_id is not None:
            q = q.where(AuditEntry.user_id == user_id)
        if action:
            q = q.where(AuditEntry.action == action)
        if since:
            q = q.where(AuditEntry.at >= dt.datetime.combine(since, dt.time()))
        if until:
            q = q.where(AuditEntry.at < dt.datetime.combine(until + dt.timedelta(days=1), dt.time()))
        return [AuditRow(r[0], r[1], r[2] or "", r[3], r[4], r[5] or "", r[6], r[7]) for r in s.execute(q)]

    def case_for_access_log(self, actor: Actor, case_number: str) -> AccessLogCase:
        """The case with this number, so an administrator, who may not open case records, can answer
        a citizen's request for insight from the access log alone. The look-up is logged."""
        number = (case_number or "").strip().upper()

        def work(s):
            row = s.execute(select(Case.id, Case.case_number, Citizen.first_name, Citizen.last_name)
                            .join(Citizen, Citizen.id == Case.citizen_id).where(Case.case_number == number)).first()
            if row is None:
                raise ValidationError("case_number", f"intet forløb med nummeret '{number}'", label="Forløbsnummer")
            require_case_log_access(s, actor, row[0], now=self.clock())
            self.audit(s, actor, "read", "audit_log", None, case_id=row[0], detail="adgangslog")
            return AccessLogCase(row[0], row[1], f"{row[2]} {row[3]}")
        return self._write(actor, "audit.read", work)

    def access_log_pdf(self, actor: Actor, case_id: int, *, user_id: int | None = None, action: str | None = None,
                       since: dt.date | None = None, until: dt.date | None = None, filter_text: str = "") -> bytes:
        """The case's access log as PDF bytes (for the preview). Reading it is logged like every
        other read of the log, with the filter; ``log_access_log_print`` records the print."""
        from app.printing.access_log import render_access_log_bytes  # ReportLab loads when something is printed

        def fetch(s):
            require_case_log_access(s, actor, case_id, now=self.clock())
            c = get_or_404(s, Case, case_id, "Forløb")
            cit = s.get(Citizen, c.citizen_id)
            rows = self._entries(s, case_id=case_id, user_id=user_id, action=action, since=since, until=until,
                                 limit=5000)
            filtered = _filter_detail(user_id, action, since, until)
            self.audit(s, actor, "read", "audit_log", None, case_id=case_id,
                       detail="adgangslog til udskrift" + (f", {filtered}" if filtered else ""))
            return rows, f"Forløb {c.case_number} – {cit.first_name} {cit.last_name}", read_setting(s, "letterhead")
        rows, subject, letterhead = self._write(actor, "audit.read", fetch)
        return render_access_log_bytes(letterhead=letterhead, title="Adgangslog", subject=subject, rows=rows,
                                       filter_text=filter_text or "Alle registreringer", printed_by=actor.full_name,
                                       printed_at=self.clock())

    def log_access_log_print(self, actor: Actor, case_id: int, how: str = "") -> None:
        """Record that the case's access log left the program (printer or file)."""
        def work(s):
            require_case_log_access(s, actor, case_id, now=self.clock())
            self.audit(s, actor, "print", "audit_log", None, case_id=case_id,
                       detail="adgangslog" + (f": {how}" if how else ""))
        self._write(actor, "audit.read", work)

    def print_access_log(self, actor: Actor, case_id: int, path: str | os.PathLike, *, user_id: int | None = None,
                         action: str | None = None, since: dt.date | None = None, until: dt.date | None = None,
                         filter_text: str = "") -> None:
        """Write the case's access log as a PDF file; the print itself is logged."""
        from app.printing.templates import write_pdf
        write_pdf(path, self.access_log_pdf(actor, case_id, user_id=user_id, action=action, since=since, until=until,
                                            filter_text=filter_text))
        # Logged once the PDF exists: a failed print is not recorded as a print.
        self.log_access_log_print(actor, case_id)

    # -- integrity -------------------------------------------------------------------------------
    def verify(self, actor: Actor) -> VerifyResult:
        """Check the whole chain and report the first broken link (a deleted, changed or inserted
        entry). The check is logged with its outcome."""
        require(actor, "audit.read")
        result = self.check_chain()
        detail = (f"kæden er hel ({result.checked} poster kontrolleret)" if result.ok
                  else f"kæden er brudt: {result.reason}")
        self._write(actor, "audit.read", lambda s: self.audit(s, actor, "verify", "audit_log", None, detail=detail))
        return result

    def check_chain(self) -> VerifyResult:
        """The same check without a user, for the start-up check in the background: it tells only
        whether the chain holds and where it breaks, nothing about anyone, so it is not logged."""
        try:
            return verify_chain(self.db)
        except OperationalError as exc:
            raise _storage_error(exc) from exc

    # -- retention -------------------------------------------------------------------------------
    def purge(self, actor: Actor) -> PurgeResult:
        """Remove the entries older than the retention setting (``audit_retention_months``), leaving
        a signed checkpoint; the chain is verified first and nothing is removed when it is broken
        (AuditChainBroken) or the stored setting is outside 1-120 (AuditRetentionInvalid). The purge
        is logged."""
        return self._write(actor, "settings.manage", lambda s: self._purge(s, actor), what="adgangsloggen")

    def purge_if_due(self) -> PurgeResult | None:
        """The monthly purge at start-up, run by the program itself: None when the last run is less
        than a month ago. Raises AuditChainBroken (removing nothing) when the chain is broken, and
        AuditRetentionInvalid (removing nothing) when the stored setting is outside 1-120."""
        def work(s):
            last = read_setting(s, PURGE_LAST_RUN)
            now = self._now()
            if last and dt.datetime.fromisoformat(last) > _months_before(now, 1):
                return None
            return self._purge(s, None)
        return self._write(None, None, work, what="adgangsloggen")

    def last_purge(self) -> dt.datetime | None:
        """When the purge last ran (naive UTC), for Administration."""
        last = self._read(None, None, lambda s: read_setting(s, PURGE_LAST_RUN))
        return dt.datetime.fromisoformat(last) if last else None

    def _now(self) -> dt.datetime:
        now = self.clock()
        return now.astimezone(dt.UTC).replace(tzinfo=None) if now.tzinfo else now

    def _purge(self, s, actor: Actor | None) -> PurgeResult:
        months = retention_months(s)
        now = self._now()
        result = purge_before(s, _months_before(now, months), now=now)
        payload = json.dumps(now.isoformat())
        row = s.get(Setting, PURGE_LAST_RUN)
        if row is None:
            s.add(Setting(key=PURGE_LAST_RUN, value_json=payload))
        else:
            row.value_json = payload
        self.audit(s, actor, "delete", "audit_log", None, username=None if actor else "system",
                   detail=f"{result.purged} poster fra før {result.cutoff:%d-%m-%Y} slettet "
                          f"(opbevaring {months} måneder)")
        return result

    # -- the citizen's extract (GDPR art. 15) ------------------------------------------------------
    def citizen_extract(self, actor: Actor, citizen: str) -> CitizenExtract:
        """Everything logged about the citizen with this case number or CPR number (all their cases),
        for a request for insight. The look-up is logged against the citizen and their cases."""
        def work(s):
            extract = self._extract(s, citizen)
            self.audit(s, actor, "read", "citizen", extract.citizen_id, case_ids=[i for i, _n in extract.cases],
                       detail="indsigt i adgangsloggen (GDPR art. 15)")
            return extract
        return self._write(actor, "audit.read", work)

    def print_citizen_extract(self, actor: Actor, citizen: str, path: str | os.PathLike) -> CitizenExtract:
        """Write the citizen's extract as a PDF; the export is logged once the file exists."""
        from app.printing.audit_extract import render_audit_extract  # ReportLab loads when something is printed
        extract, letterhead = self._read(actor, "audit.read",
                                         lambda s: (self._extract(s, citizen), read_setting(s, "letterhead")))
        render_audit_extract(path, extract, letterhead=letterhead, printed_by=actor.full_name,
                             printed_at=self.clock())
        self._write(actor, "audit.read", lambda s: self.audit(
            s, actor, "export", "citizen", extract.citizen_id, case_ids=[i for i, _n in extract.cases],
            detail="udtræk af adgangsloggen (GDPR art. 15)"))
        return extract

    def _extract(self, s, citizen: str) -> CitizenExtract:
        cit = _find_citizen(s, citizen)
        cases = [(i, n) for i, n in s.execute(select(Case.id, Case.case_number).where(Case.citizen_id == cit.id)
                                               .order_by(Case.referral_date, Case.id))]
        numbers = dict(cases)
        q = (select(AuditEntry.at, AuditEntry.user_id, func.coalesce(User.full_name, AuditEntry.username),
                    AuditEntry.action, AuditEntry.entity, AuditEntry.case_id, AuditEntry.case_ids, AuditEntry.fields,
                    AuditEntry.detail)
             .outerjoin(User, User.id == AuditEntry.user_id)
             .where(or_(AuditEntry.case_id.in_(list(numbers)),
                        and_(AuditEntry.entity == "citizen", AuditEntry.entity_id == cit.id),
                        *[_names_case(i) for i in numbers]))
             .order_by(AuditEntry.at, AuditEntry.id))
        rows = []
        for at, user_id, user, action, entity, case_id, listed, fields, detail in s.execute(q):
            if case_id in numbers:
                number = numbers[case_id]
            else:
                shown = {int(i) for i in listed.split(",") if i.strip().isdigit()} if listed else set()
                number = ", ".join(n for i, n in cases if i in shown)
            rows.append(AuditRow(at, user_id, user or "", action, entity, number, fields, detail))
        return CitizenExtract(cit.id, f"{cit.first_name} {cit.last_name}", mask_cpr(cit.cpr), cases, rows,
                              int(read_setting(s, "audit_retention_months") or 6))


def _find_citizen(s, text: str) -> Citizen:
    """The citizen with this CPR number (10 digits, with or without a dash) or case number."""
    value = (text or "").strip()
    digits = value.replace("-", "").replace(" ", "")
    if digits.isdigit() and len(digits) == 10:
        cit = s.scalar(select(Citizen).where(Citizen.cpr == digits))
    else:
        cit = s.scalar(select(Citizen).join(Case, Case.citizen_id == Citizen.id)
                       .where(Case.case_number == value.upper()))
    if cit is None:
        raise ValidationError("citizen", "ingen borger har dette forløbsnummer eller CPR-nummer", label="Borger")
    return cit


def _months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """Midnight (UTC) of the same day ``months`` earlier."""
    return dt.datetime.combine(add_months(moment.date(), -months), dt.time())
