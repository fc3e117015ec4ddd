"""The tamper-evident audit log: every entry sealed into an HMAC chain, verified, and purged behind a
signed checkpoint.

Each entry gets the next number ``seq`` (1, 2, 3, ... with no gaps) and ``mac``, the HMAC-SHA256 of
its content (``seq``, ``id`` and every column a reader sees) and the previous entry's ``mac``. The
key lives outside the database (``app.audit_key``), so whoever can edit the database can delete,
change or insert rows but cannot make the chain fit again:

- a deleted entry leaves a gap in ``seq`` at the next entry (or the chain ends before its head);
- a changed entry no longer matches its own ``mac``;
- an inserted entry has no ``seq`` or a ``mac`` that does not fit.

Sealing happens when the writing transaction commits (a ``before_commit`` listener), for every
``AuditEntry`` the session added, so no service can forget it. The chain's head (the one row of
``audit_chain``) is locked first: ``SELECT ... FOR UPDATE`` on PostgreSQL, so concurrent writers
append one after the other; on SQLite the write transaction (``BEGIN IMMEDIATE``) already holds the
only write lock. The lock is taken last in the transaction and released at its commit.

A purge removes the oldest entries (a prefix of the chain) and leaves a signed checkpoint, the last
purged entry's ``seq`` and ``mac`` and the number purged, from which verification starts. A purge
verifies what it removes first and removes nothing when that is broken, so it never launders
tampering.

The head's signature covers its last link, ``unsealed_upto`` and ``key_id``. The program never
signs a head it cannot trust (its signature does not verify, or it does not name the table's actual
last sealed entry) and never seals legacy entries under one: it chains new entries onto the actual
last sealed entry, so people can go on working, and leaves a "broken" marker in place of the
signature, so verification keeps reporting the break until the data are restored. A missing head is
recreated that way.

What the chain cannot show on its own: the log emptied completely together with its head reset (or
every entry unsealed and the head reset to the state migration 0103 leaves), or an older copy of
head and entries put back; that needs the head anchored outside the database.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, event, func, inspect, or_, select, update
from sqlalchemy.orm import Session

from app.audit_key import AuditKey, AuditKeyMissing, audit_key
from app.errors import AppError
from db.models import AuditChain, AuditEntry
from db.session import Database

HEAD_ID = 1
VERIFY_CHUNK = 2000
_PENDING = "tta_audit_pending"   # session.info key: entries this transaction added

# What an entry's HMAC covers, in this order (and its own mac after them when read back).
SEALED_COLUMNS = (AuditEntry.seq, AuditEntry.id, AuditEntry.at, AuditEntry.user_id, AuditEntry.username,
                  AuditEntry.action, AuditEntry.entity, AuditEntry.entity_id, AuditEntry.case_id, AuditEntry.fields,
                  AuditEntry.detail, AuditEntry.case_ids)


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int                   # entries whose seal was checked
    first_broken_id: int | None    # the first entry, in chain order, that fails (None: none can be named)
    reason: str                    # Danish, for the administrator; "" when ok


@dataclass(frozen=True)
class PurgeResult:
    purged: int
    cutoff: dt.datetime            # entries before this (naive UTC) were due
    checkpoint_seq: int            # verification now starts after this entry number


class AuditChainBroken(AppError):
    """The chain does not verify, so nothing was purged."""

    def __init__(self, result: VerifyResult):
        self.result = result
        super().__init__(f"Adgangsloggen er ikke intakt, så intet er slettet. {result.reason}")


# -- the seal ---------------------------------------------------------------------------------------
def _stamp(at: dt.datetime | None) -> str:
    return at.isoformat(sep=" ", timespec="microseconds") if at is not None else ""


def _payload(values: Sequence) -> bytes:
    seq, ident, at, *rest = values
    return json.dumps([seq, ident, _stamp(at), *rest], ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def entry_mac(key: AuditKey, prev_mac: str, values: Sequence) -> str:
    """The HMAC of one entry: ``values`` in the order of ``SEALED_COLUMNS``, chained to ``prev_mac``."""
    return hmac.new(key.secret, prev_mac.encode("ascii") + b"\n" + _payload(values), hashlib.sha256).hexdigest()


def _sign(key: AuditKey, *parts: object) -> str:
    return hmac.new(key.secret, "\n".join(str(p) for p in parts).encode("utf-8"), hashlib.sha256).hexdigest()


def head_signature(key: AuditKey, head) -> str:
    """The head's signature: its last link, the legacy bound and the key's fingerprint."""
    return _sign(key, "head/2", head.last_seq, head.last_id, head.last_mac, head.unsealed_upto, head.key_id)


def head_signature_v1(key: AuditKey, head) -> str:
    """The signature written before it covered ``unsealed_upto`` and ``key_id``: trusted only for a
    head with nothing left to seal, and re-signed in the current format at the next write or start."""
    return _sign(key, "head", head.last_seq, head.last_id, head.last_mac)


# A head the program found broken keeps one of these instead of a signature (never a valid HMAC,
# which is 64 hex digits), with the number of the last entry before it went on writing, so that
# verification keeps reporting the break.
BROKEN = "broken"          # the head did not verify or did not match the table's last entry
RECREATED = "recreated"    # the head row was missing and was recreated from the table


def _marker(sig: str | None) -> tuple[str, int] | None:
    kind, _sep, seq = (sig or "").partition(":")
    if kind in (BROKEN, RECREATED) and seq.isdigit():
        return kind, int(seq)
    return None


def _is_fresh(head) -> bool:
    """A head nothing was ever sealed under (a new database, or straight after migration 0103)."""
    return (head.last_seq == 0 and head.last_id == 0 and not head.last_mac and not head.head_sig
            and not head.checkpoint_seq and not head.checkpoint_count and not head.checkpoint_mac)


def head_trust(key: AuditKey, head) -> str:
    """"signed" (current format), "signed_v1" (old format, to be re-signed), "fresh", or "" when the
    head cannot be trusted (changed beside the program, marked broken, or sealed with another key)."""
    if head.key_id and head.key_id != key.key_id:
        return ""
    if _same(head_signature(key, head), head.head_sig):
        return "signed"
    if not head.unsealed_upto and _same(head_signature_v1(key, head), head.head_sig):
        return "signed_v1"
    if _is_fresh(head):
        return "fresh"
    return ""


def checkpoint_signature(key: AuditKey, head) -> str:
    return _sign(key, "checkpoint", head.checkpoint_seq, head.checkpoint_mac, head.checkpoint_count,
                 _stamp(head.checkpoint_at))


def _same(a: str, b: str | None) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), (b or "").encode("utf-8"))


def _values(entry: AuditEntry) -> tuple:
    return tuple(getattr(entry, c.key) for c in SEALED_COLUMNS)


def _key_for(session: Session) -> AuditKey:
    return audit_key(session.get_bind().dialect.name, session.connection())


def _tail(session: Session) -> tuple[int, int, str] | None:
    """The table's actual last sealed entry (seq, id, mac): two look-ups on the seq index."""
    last = session.scalar(select(func.max(AuditEntry.seq)))
    if last is None:
        return None
    ident, mac = session.execute(select(AuditEntry.id, AuditEntry.mac).where(AuditEntry.seq == last)).one()
    return last, ident, mac or ""


def _agrees(head: AuditChain, tail: tuple[int, int, str] | None) -> bool:
    """The head names the table's actual last sealed entry (or the checkpoint when none is left)."""
    if tail is None:
        return head.last_seq == head.checkpoint_seq and head.last_mac == head.checkpoint_mac
    return (head.last_seq, head.last_id, head.last_mac) == tail


def _rewind(head: AuditChain, tail: tuple[int, int, str] | None) -> None:
    """Point an untrusted head at the table's actual last sealed entry, so new entries follow it
    (and never collide with an existing ``seq``)."""
    if tail is not None and tail[0] >= head.checkpoint_seq:
        head.last_seq, head.last_id, head.last_mac = tail
    else:
        head.last_seq, head.last_id, head.last_mac = head.checkpoint_seq, 0, head.checkpoint_mac


def _lock_head(session: Session, key: AuditKey) -> tuple[AuditChain, bool]:
    """The chain head, row-locked until the transaction ends (PostgreSQL; SQLite's write transaction
    is exclusive already), and whether it can be trusted.

    A trusted head is validly signed (or fresh) and names the table's actual last sealed entry; an
    old-format signature is replaced by the current one here. Otherwise the head is pointed at the
    table's actual last sealed entry and keeps a "broken" marker instead of a signature: writing
    goes on (people can still log in and work), the program never signs it again, and verification
    keeps reporting the break. A missing head is recreated that way ("recreated")."""
    head = session.execute(select(AuditChain).where(AuditChain.id == HEAD_ID).with_for_update()
                           .execution_options(populate_existing=True)).scalar_one_or_none()
    tail = _tail(session)
    if head is None:
        # Migration 0103 creates the head with the table, so a missing one was deleted.
        head = AuditChain(id=HEAD_ID, key_id=key.key_id, last_seq=0, last_id=0, last_mac="", head_sig="",
                          checkpoint_seq=0, checkpoint_mac="", checkpoint_count=0, checkpoint_sig="", unsealed_upto=0)
        _rewind(head, tail)
        head.head_sig = f"{RECREATED}:{head.last_seq}"
        session.add(head)
        session.flush()
        return head, False
    trust = head_trust(key, head)
    if trust and _agrees(head, tail):
        if trust == "signed_v1" or not head.key_id:
            head.key_id = key.key_id
            head.head_sig = head_signature(key, head)
        return head, True
    _rewind(head, tail)
    if _marker(head.head_sig) is None:
        head.head_sig = f"{BROKEN}:{head.last_seq}"
    return head, False


def _append(head: AuditChain, key: AuditKey, entry: AuditEntry) -> None:
    head.last_seq += 1
    entry.seq = head.last_seq
    entry.mac = entry_mac(key, head.last_mac, _values(entry))
    head.last_mac = entry.mac
    head.last_id = entry.id


def seal(session: Session) -> int:
    """Seal the entries this session added and has not sealed yet; returns how many. Runs by itself
    when a session commits; call it directly only to seal before that."""
    if not session.info.get(_PENDING) and not any(isinstance(o, AuditEntry) for o in session.new):
        return 0
    session.flush()   # inserts them (ids) and collects them into the pending list
    pending = [e for e in session.info.pop(_PENDING, []) if inspect(e).persistent and e.seq is None]
    if not pending:
        return 0
    key = _key_for(session)
    head, trusted = _lock_head(session, key)
    if trusted and head.unsealed_upto:
        _seal_legacy(session, head, key)
    for entry in sorted(pending, key=lambda e: e.id):
        _append(head, key, entry)
    if trusted:
        head.head_sig = head_signature(key, head)
    session.flush()
    return len(pending)


def _seal_legacy(session: Session, head: AuditChain, key: AuditKey) -> int:
    """Seal the entries written before the chain existed (in id order), once; only under a trusted
    head (``unsealed_upto`` is covered by its signature). Plain UPDATEs in batches, not ORM objects:
    an old log may hold hundreds of thousands of entries."""
    table = AuditEntry.__table__
    store = (update(table).where(table.c.id == bindparam("ident"))
             .values(seq=bindparam("new_seq"), mac=bindparam("new_mac")))
    done, after = 0, 0
    while True:
        rows = session.execute(select(*SEALED_COLUMNS).where(
            AuditEntry.seq.is_(None), AuditEntry.id > after, AuditEntry.id <= head.unsealed_upto)
            .order_by(AuditEntry.id).limit(2000)).all()
        if not rows:
            break
        params = []
        for row in rows:
            seq = head.last_seq + 1
            mac = entry_mac(key, head.last_mac, (seq, *row[1:]))
            params.append({"ident": row.id, "new_seq": seq, "new_mac": mac})
            head.last_seq, head.last_mac, head.last_id = seq, mac, row.id
        session.execute(store, params)
        after = rows[-1].id
        done += len(rows)
    head.unsealed_upto = 0
    return done


def seal_legacy_entries(session: Session) -> int:
    """At start-up, inside a write transaction: seal the entries a database had before migration
    0103 (after their CPR numbers were masked), and re-sign a head signed in the old format, once.
    Nothing happens under a head that does not verify (verification reports it). Returns how many
    entries were sealed."""
    head = session.get(AuditChain, HEAD_ID)
    if head is None:
        return 0
    key = _key_for(session)
    trust = head_trust(key, head)
    if not trust or (trust != "signed_v1" and not head.unsealed_upto):
        return 0
    head, trusted = _lock_head(session, key)
    if not trusted:
        return 0
    done = _seal_legacy(session, head, key) if head.unsealed_upto else 0
    head.head_sig = head_signature(key, head)
    return done


@event.listens_for(Session, "before_flush")
def _collect_new_entries(session: Session, _context, _instances) -> None:
    new = [o for o in session.new if isinstance(o, AuditEntry)]
    if new:
        session.info.setdefault(_PENDING, []).extend(new)


@event.listens_for(Session, "before_commit")
def _seal_on_commit(session: Session) -> None:
    seal(session)


# -- verification -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Head:
    key_id: str
    last_seq: int
    last_id: int
    last_mac: str
    head_sig: str
    checkpoint_seq: int
    checkpoint_mac: str
    checkpoint_count: int
    checkpoint_at: dt.datetime | None
    checkpoint_sig: str
    unsealed_upto: int


def _snapshot(head: AuditChain | None) -> _Head | None:
    if head is None:
        return None
    return _Head(head.key_id, head.last_seq, head.last_id, head.last_mac, head.head_sig, head.checkpoint_seq,
                 head.checkpoint_mac, head.checkpoint_count, head.checkpoint_at, head.checkpoint_sig,
                 head.unsealed_upto)


def _rows_after(session: Session, after_seq: int, last_seq: int | None, limit: int) -> list:
    q = select(*SEALED_COLUMNS, AuditEntry.mac).where(AuditEntry.seq > after_seq)
    if last_seq is not None:
        q = q.where(AuditEntry.seq <= last_seq)
    return session.execute(q.order_by(AuditEntry.seq).limit(limit)).all()


def _walk(run, key: AuditKey, prev: str, expect: int, last: int | None, chunk: int):
    """Check the entries from number ``expect`` (chained to ``prev``) to ``last`` (None: to the
    table's end). Returns (checked, last mac, next number expected, (entry id, reason) or None)."""
    checked = 0
    while last is None or expect <= last:
        rows = run(lambda s, after=expect - 1: _rows_after(s, after, last, chunk))
        if not rows:
            break
        for row in rows:
            values, mac = tuple(row[:-1]), row[-1]
            seq, ident = values[0], values[1]
            if seq != expect:
                return checked, prev, expect, (ident, f"Kæden er brudt før post {ident}: en eller flere poster er "
                                                      "slettet.")
            if not _same(entry_mac(key, prev, values), mac):
                return checked, prev, expect, (ident, f"Post {ident} er ændret eller indsat uden om programmet.")
            prev, expect, checked = mac, expect + 1, checked + 1
    return checked, prev, expect, None


def _unchained_entry(session: Session) -> int | None:
    return session.scalar(select(func.min(AuditEntry.id)).where(AuditEntry.seq.is_(None)))


def _entry_at(session: Session, seq: int) -> int | None:
    return session.scalar(select(AuditEntry.id).where(AuditEntry.seq == seq))


_UNTRUSTWORTHY = "Loggen kan ikke stoles på, før data er genskabt fra en sikkerhedskopi."


def _verify_untrusted(run, key: AuditKey, head: _Head, chunk: int) -> VerifyResult:
    """A head that does not verify: its last link cannot be trusted, so the chain is walked to the
    table's actual end, and the result names the first entry that breaks, or else the first one
    after the last link it can trust."""
    marker = _marker(head.head_sig)
    what = ("Adgangsloggens kædehoved manglede i databasen (slettet) og er genskabt ud fra den sidste post"
            if marker and marker[0] == RECREATED else "Adgangsloggens kædehoved er ændret uden om programmet")
    early = run(lambda s: _first_before_checkpoint(s, head.checkpoint_seq))
    if early is not None:
        return _broken(0, early, f"{what}. Post {early} ligger før kontrolpunktet fra den seneste sletning og er "
                                 "indsat uden om programmet.")
    checked, _prev, expect, failure = _walk(run, key, head.checkpoint_mac, head.checkpoint_seq + 1, None, chunk)
    if failure is not None:
        return _broken(checked, failure[0], f"{what}. {failure[1]} {_UNTRUSTWORTHY}")
    stray = run(_unchained_entry)
    if stray is not None:
        return _broken(checked, stray, f"{what}. Post {stray} er ikke en del af kæden (indsat uden om programmet). "
                                       f"{_UNTRUSTWORTHY}")
    if marker is not None:
        after = run(lambda s: _entry_at(s, marker[1] + 1))
        if after is not None:
            return _broken(checked, after, f"{what}; det blev opdaget efter post nr. {marker[1]}. Poster før post "
                                           f"{after} kan være slettet eller ændret. {_UNTRUSTWORTHY}")
    return _broken(checked, None, f"{what}. Poster efter nr. {expect - 1}, den sidste der kunne kontrolleres, kan "
                                  f"være slettet. {_UNTRUSTWORTHY}")


def _stray_entry(session: Session) -> int | None:
    """The first entry outside the chain: no seq, or a seq past the head (one statement, so a commit
    in between cannot make a fresh entry look stray)."""
    last = select(AuditChain.last_seq).where(AuditChain.id == HEAD_ID).scalar_subquery()
    return session.scalar(select(func.min(AuditEntry.id)).where(or_(AuditEntry.seq.is_(None), AuditEntry.seq > last)))


def _first_before_checkpoint(session: Session, checkpoint_seq: int) -> int | None:
    return session.scalar(select(func.min(AuditEntry.id)).where(AuditEntry.seq <= checkpoint_seq))


def _count(session: Session) -> int:
    return session.scalar(select(func.count(AuditEntry.id))) or 0


def _first_id(session: Session) -> int | None:
    return session.scalar(select(func.min(AuditEntry.id)))


def _broken(checked: int, ident: int | None, reason: str) -> VerifyResult:
    return VerifyResult(False, checked, ident, reason)


def _verify(run: Callable[[Callable[[Session], object]], object], backend: str, *,
            chunk: int = VERIFY_CHUNK, upto: int | None = None) -> VerifyResult:
    """Check the chain: its head and checkpoint, then every entry in order. ``run(fn)`` calls
    ``fn(session)``: in a fresh read session per call (verification while others write) or in one
    open transaction (a purge). ``upto``: walk only to this entry number (what a purge removes)."""
    head: _Head | None = run(lambda s: _snapshot(s.get(AuditChain, HEAD_ID)))
    if head is None:
        if run(_count) == 0:
            return VerifyResult(True, 0, None, "")
        return _broken(0, run(_first_id), "Adgangsloggens kædehoved mangler i databasen (slettet).")
    try:
        key = run(lambda s: audit_key(backend, s.connection()))
    except AuditKeyMissing:
        return _broken(0, None, "Adgangsloggens nøgle mangler eller kan ikke læses på denne pc, så loggen kan ikke "
                                "kontrolleres (se README, 'Adgangsloggens nøgle').")
    if head.key_id and head.key_id != key.key_id:
        return _broken(0, None, "Adgangsloggen er beseglet med en anden nøgle end den, denne pc har (nøglefilen er "
                                "udskiftet eller mangler), så loggen kan ikke kontrolleres.")
    if (head.checkpoint_seq or head.checkpoint_count) and not _same(checkpoint_signature(key, head),
                                                                     head.checkpoint_sig):
        return _broken(0, None, "Kontrolpunktet fra den seneste sletning af gamle poster er ændret.")
    if not head_trust(key, head):
        return _verify_untrusted(run, key, head, chunk)
    early = run(lambda s: _first_before_checkpoint(s, head.checkpoint_seq))
    if early is not None:
        return _broken(0, early, f"Post {early} ligger før kontrolpunktet fra den seneste sletning og er indsat "
                                 "uden om programmet.")

    last = head.last_seq if upto is None else min(upto, head.last_seq)
    checked, prev, expect, failure = _walk(run, key, head.checkpoint_mac, head.checkpoint_seq + 1, last, chunk)
    if failure is not None:
        return _broken(checked, *failure)
    if upto is not None:
        if expect != last + 1:
            return _broken(checked, None, f"Poster til og med nr. {last} mangler (slettet).")
        return VerifyResult(True, checked, None, "")
    if expect != head.last_seq + 1:
        return _broken(checked, None, f"De nyeste poster er slettet: kæden slutter ved nr. {expect - 1}, men "
                                      f"skulle gå til nr. {head.last_seq} (post {head.last_id}).")
    if head.last_seq and not _same(prev, head.last_mac):
        return _broken(checked, head.last_id, "Kædehovedet passer ikke til den sidste post.")
    stray = run(_stray_entry)
    if stray is not None:
        if stray <= head.unsealed_upto:
            return _broken(checked, stray, "Poster fra før opgraderingen er endnu ikke beseglet; start programmet "
                                           "igen, så det sker.")
        return _broken(checked, stray, f"Post {stray} er indsat uden om programmet (den er ikke en del af kæden).")
    return VerifyResult(True, checked, None, "")


def verify_chain(db: Database, *, chunk: int = VERIFY_CHUNK) -> VerifyResult:
    """Verify the audit chain of ``db`` in short read transactions, so writers are not held up. A
    purge that ran meanwhile moves the checkpoint; the check then starts again from the new one."""
    def run(fn):
        with db.read() as s:
            return fn(s)

    def checkpoint():
        return run(lambda s: s.scalar(select(AuditChain.checkpoint_seq).where(AuditChain.id == HEAD_ID)))

    backend = db.engine.dialect.name
    for _attempt in range(3):
        before = checkpoint()
        result = _verify(run, backend, chunk=chunk)
        if result.ok or checkpoint() == before:
            return result
    return result


def verify_in_session(session: Session, *, chunk: int = VERIFY_CHUNK, upto: int | None = None) -> VerifyResult:
    """Verify within an open transaction (which then sees one consistent state); ``upto``: only the
    entries to this number."""
    return _verify(lambda fn: fn(session), session.get_bind().dialect.name, chunk=chunk, upto=upto)


# -- purge ------------------------------------------------------------------------------------------
def purge_before(session: Session, cutoff: dt.datetime, *, now: dt.datetime) -> PurgeResult:
    """Remove the entries older than ``cutoff`` (naive UTC) from the start of the chain and leave a
    signed checkpoint. Only a prefix of the chain can go: an entry stays while any entry before it in
    the chain is younger than ``cutoff`` (clocks of several PCs may disagree a little). Runs in the
    caller's write transaction, holding the chain's head.

    What is to be removed is verified first (head, checkpoint, and every entry up to the last one to
    go); if that fails, nothing is removed (AuditChainBroken). The entries kept need no check here:
    they stay chained to the checkpoint, so any damage to them still shows afterwards; and the head
    stays locked for a month's entries, not for the whole log."""
    key = _key_for(session)
    head, trusted = _lock_head(session, key)
    if not trusted:
        raise AuditChainBroken(verify_in_session(session))
    if head.unsealed_upto:
        _seal_legacy(session, head, key)
        head.head_sig = head_signature(key, head)
    session.flush()
    first_kept = session.scalar(select(func.min(AuditEntry.seq)).where(AuditEntry.seq > head.checkpoint_seq,
                                                                         AuditEntry.at >= cutoff))
    last = first_kept - 1 if first_kept is not None else head.last_seq
    if last <= head.checkpoint_seq:
        return PurgeResult(0, cutoff, head.checkpoint_seq)
    result = verify_in_session(session, upto=last)
    if not result.ok:
        raise AuditChainBroken(result)
    last_mac = session.scalar(select(AuditEntry.mac).where(AuditEntry.seq == last))
    purged = session.execute(delete(AuditEntry).where(AuditEntry.seq <= last)
                             .execution_options(synchronize_session=False)).rowcount
    head.checkpoint_seq = last
    head.checkpoint_mac = last_mac
    head.checkpoint_count += purged
    head.checkpoint_at = now
    head.checkpoint_sig = checkpoint_signature(key, head)
    session.flush()
    return PurgeResult(purged, cutoff, last)
