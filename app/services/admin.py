"""Settings (eligibility criteria, idle lock, letterhead) and the editable catalogues."""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.errors import ConflictError, ValidationError, ValidationErrors
from app.reference import DEFAULT_SETTINGS
from app.services.base import Actor, ServiceBase, apply_changes, check_version, get_or_404
from app.text import slug
from app.validation import clean_text
from db import codes
from db.models import CatalogItem, Setting


@dataclass(frozen=True)
class CatalogRow:
    id: int
    kind: str
    code: str
    label: str
    active: bool
    sort_order: int
    counts_as_return: bool
    after_visitation: bool | None
    version: int


def _catalog_row(c: CatalogItem) -> CatalogRow:
    return CatalogRow(c.id, c.kind, c.code, c.label, c.active, c.sort_order, c.counts_as_return,
                      c.after_visitation, c.version)


def read_setting(session, key: str) -> Any:
    """A setting's value inside an open session, or its default when it was never stored."""
    row = session.get(Setting, key)
    return json.loads(row.value_json) if row else DEFAULT_SETTINGS.get(key)


def catalog_item(session, kind: str, code: str | None, *, field: str, label: str,
                 required: bool = True) -> CatalogItem | None:
    """The catalogue item ``code`` of ``kind`` inside an open session; a ValidationError naming the
    field when it is missing (and required) or unknown."""
    if not code:
        if required:
            raise ValidationError(field, "skal vælges", label=label)
        return None
    item = session.scalar(select(CatalogItem).where(CatalogItem.kind == kind, CatalogItem.code == code))
    if item is None:
        raise ValidationError(field, f"'{code}' findes ikke i kataloget", label=label)
    return item


@dataclass(frozen=True)
class StoredSettings:
    """Settings as read for editing: each key's value and the version to save it against (0: never
    saved, the default applies)."""
    values: dict[str, Any]
    versions: dict[str, int]


class SettingsService(ServiceBase):
    def get(self, key: str) -> Any:
        """Settings are not personal data; any logged-in component may read them."""
        return self._read(None, None, lambda s: read_setting(s, key))

    def read(self, keys: Iterable[str]) -> StoredSettings:
        """The values of ``keys`` with their versions, for a form that saves them with ``save``."""
        keys = [keys] if isinstance(keys, str) else list(keys) if isinstance(keys, Iterable) else [keys]
        unknown = [k for k in keys if not isinstance(k, str) or k not in DEFAULT_SETTINGS]
        if unknown:
            raise ValidationError("key", "er ikke en kendt indstilling", label=str(unknown[0]))

        def work(s):
            rows = {r.key: r for r in s.scalars(select(Setting).where(Setting.key.in_(keys)))}
            return StoredSettings({k: json.loads(rows[k].value_json) if k in rows else DEFAULT_SETTINGS.get(k)
                                   for k in keys}, {k: rows[k].version if k in rows else 0 for k in keys})
        return self._read(None, None, work)

    def save(self, actor: Actor, changes: dict[str, Any], *, expected_versions: Mapping[str, int]) -> dict[str, int]:
        """Validate every changed setting, then write them all in one transaction: either all are
        saved or none is. ``expected_versions`` names, per key, the version it was read at
        (``read``); a key somebody else saved since is a ``ConflictError`` and nothing is saved.
        One audit entry names the settings that changed. Returns the keys' new versions."""
        errors = []
        cleaned = {}
        for key, value in changes.items():
            try:
                if key not in DEFAULT_SETTINGS:
                    raise ValidationError("key", "er ikke en kendt indstilling", label=key)
                cleaned[key] = _validate_setting(key, value)
            except ValidationError as e:
                errors.append(e)
        if errors:
            raise ValidationErrors(errors)
        changes = cleaned
        if not isinstance(expected_versions, Mapping):
            expected_versions = {}
        for key in changes:
            expected = expected_versions.get(key)
            if isinstance(expected, bool) or not isinstance(expected, int):
                raise ValidationError("expected_version", "mangler: genindlæs og prøv igen", label=key)

        def work(s):
            changed = []
            for key, value in changes.items():
                row = s.get(Setting, key)
                if (row.version if row is not None else 0) != expected_versions[key]:
                    raise ConflictError("indstillingerne")
                payload = json.dumps(value, ensure_ascii=False)
                if row is None:
                    _insert_setting(s, key, payload)
                elif row.value_json == payload:
                    continue
                else:
                    row.value_json = payload
                changed.append(key)
            if changed:
                self.audit(s, actor, "update", "setting", None, fields=changed)
            s.flush()
            return {key: s.get(Setting, key).version for key in changes}
        return self._write(actor, "settings.manage", work, what="indstillingerne")


def _insert_setting(s, key: str, payload: str) -> None:
    """A key saved for the first time; somebody else saving it first at the same moment is a conflict."""
    try:
        with s.begin_nested():
            s.add(Setting(key=key, value_json=payload))
            s.flush()
    except IntegrityError as exc:
        raise ConflictError("indstillingerne") from exc


def _validate_setting(key: str, value: Any) -> Any:
    """The value as stored (the letterhead's texts cleaned like every text field), or ValidationError."""
    if key == "idle_lock_minutes":
        if type(value) is not int or not 1 <= value <= 120:
            raise ValidationError(key, "skal være et helt antal minutter mellem 1 og 120", label="Automatisk lås")
    elif key == "audit_retention_months":
        if type(value) is not int or not 1 <= value <= 120:
            raise ValidationError(key, "skal være mellem 1 og 120 måneder", label="Opbevaring af log")
    elif key == "letterhead":
        if not isinstance(value, dict):
            raise ValidationError(key, "har et forkert format", label="Brevhoved")
        for k, v in value.items():
            if not isinstance(v, str):
                raise ValidationError(f"letterhead.{k}", "skal være tekst", label="Brevhoved")
        value = {k: clean_text(v, field=f"letterhead.{k}", label="Brevhoved", max_len=200) for k, v in value.items()}
        if not value.get("organisation"):
            raise ValidationError("letterhead.organisation", "skal udfyldes", label="Organisation")
    elif key == "backup_folder":
        from app.services.backup import validate_folder
        value = validate_folder(value)
    elif key == "eligibility":
        if not isinstance(value, dict):
            raise ValidationError(key, "har et forkert format", label="Visitationskriterier")
        unknown = set(value) - set(DEFAULT_SETTINGS["eligibility"])
        if unknown:
            raise ValidationError("eligibility", f"ukendt kriterium: {next(iter(unknown))}",
                                  label="Visitationskriterier")
        for flag in ("require_wage_earner", "require_mental_health"):
            if flag in value and not isinstance(value[flag], bool):
                raise ValidationError(f"eligibility.{flag}", "skal være ja eller nej", label="Visitationskriterier")
        lo, hi = value.get("min_age"), value.get("max_age")
        if not (type(lo) is int and type(hi) is int and 0 <= lo <= hi <= 100):
            raise ValidationError("eligibility.age", "mindstealder skal være højst lig højestealder (0-100)",
                                  label="Alder")
        lo, hi = value.get("min_sick_weeks"), value.get("max_sick_weeks")
        if not (type(lo) is int and type(hi) is int and 0 <= lo <= hi <= 104):
            raise ValidationError("eligibility.weeks", "mindste antal uger skal være højst lig største (0-104)",
                                  label="Sygemeldingsuger")
    return value


class CatalogService(ServiceBase):
    def items(self, kind: str, *, include_inactive: bool = False) -> list[CatalogRow]:
        def work(s):
            q = select(CatalogItem).where(CatalogItem.kind == kind).order_by(CatalogItem.sort_order,
                                                                              CatalogItem.label)
            if not include_inactive:
                q = q.where(CatalogItem.active.is_(True))
            return [_catalog_row(c) for c in s.scalars(q)]
        return self._read(None, None, work)

    def add_item(self, actor: Actor, kind: str, label: str, *, code: str | None = None) -> CatalogRow:
        if kind not in codes.CATALOG_KINDS:
            raise ValidationError("kind", "er ikke et kendt katalog", label="Katalog")
        label = clean_text(label, field="label", label="Betegnelse", max_len=200, required=True)
        code = clean_text(code, field="code", label="Kode", max_len=40) or slug(label, max_len=40) or "punkt"

        def work(s):
            if s.scalar(select(CatalogItem.id).where(CatalogItem.kind == kind, CatalogItem.code == code)):
                raise ValidationError("code", f"'{code}' findes allerede i kataloget", label="Kode")
            order = (s.scalar(select(func.max(CatalogItem.sort_order)).where(CatalogItem.kind == kind)) or 0) + 1
            item = CatalogItem(kind=kind, code=code, label=label, sort_order=order)
            s.add(item)
            s.flush()
            self.audit(s, actor, "create", "catalog_item", item.id, fields=["label"])
            return _catalog_row(item)
        return self._write(actor, "catalog.manage", work)

    def update_item(self, actor: Actor, item_id: int, *, expected_version: int, label: str,
                    active: bool) -> CatalogRow:
        label = clean_text(label, field="label", label="Betegnelse", max_len=200, required=True)

        def work(s):
            item = get_or_404(s, CatalogItem, item_id, "Katalogpunkt")
            check_version(item, expected_version, "katalogpunktet")
            changed = apply_changes(item, {"label": label, "active": active})
            if changed:
                s.flush()
                self.audit(s, actor, "update", "catalog_item", item.id, fields=changed)
            return _catalog_row(item)
        return self._write(actor, "catalog.manage", work, what="katalogpunktet")
