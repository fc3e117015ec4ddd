"""Field tables: each entity's fields declared once, and everything derived from them.

A ``Field`` is one field of an entity: its name (the model attribute and the key in value dicts),
its Danish label, the form section it belongs to, its kind (which widget a form shows and which
rules apply), whether it is required, the permission needed to change it after creation, and for
a choice the Danish label of each code. Its maximum length is read from the SQLAlchemy column,
so ``db/models`` stays the one place for lengths.

A ``FieldTable`` holds one entity's fields in form order and derives from them:

- validation: ``table.validate(values)`` checks required fields, lengths, e-mail addresses,
  postcodes, choices, dates and control characters (through ``app.validation``) and reports every
  broken rule at once as ``ValidationErrors``;
- labels: ``table.labels()``, from which ``app.labels.FIELD_LABELS`` names fields in the audit log;
- data objects: ``table.column_values(clean, Model)`` gives the keyword arguments to create a row,
  ``table.read({Model: row, ...})`` the values a detail object carries;
- forms: ``table.sections()``, ``table.fields_in_section(section)``, ``table.creation_fields()`` and
  ``table.editable_fields(actor)``; a form builds one widget per field from ``kind``, ``label``,
  ``max_len``, ``choices``/``catalog`` and ``placeholder``, and hands back a dict keyed by name.

The case and citizen fields of a referral are ``app.case_fields.CASE_FIELDS``. A later entity
(assessment, action plan, meeting) declares its own table the same way, in its own module, and
gets validation, audit labels and forms from it without repeating a field anywhere else.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import String

from app.errors import ValidationError, ValidationErrors
from app.validation import ascii_digits, clean_email, clean_icd10, clean_postcode, clean_text, mask_cpr, parse_cpr

# Kinds: what a form shows and which rules apply.
TEXT = "text"              # one line of text
MULTILINE = "multiline"    # several lines of text
EMAIL = "email"            # an e-mail address
PHONE = "phone"            # a phone number (free text: Danish and foreign numbers are both written)
POSTCODE = "postcode"      # a Danish postcode, four digits
CHOICE = "choice"          # one code of ``choices`` (or of the catalogue named by ``catalog``)
DATE = "date"              # a calendar date
NUMBER = "number"          # a number, optionally within ``bounds``
YESNO = "yesno"            # True, False or None (not known)
CPR = "cpr"                # a CPR number; read back masked, never in full
ICD10 = "icd10"            # a list of ICD-10 codes
CATALOG_SET = "catalog_set"  # several codes of the catalogue named by ``catalog``
ROWS = "rows"              # a list of rows, each a dict checked by the sub-table ``rows``
USER = "user"              # one team member's id
USERS = "users"            # several team members' ids

TEXT_KINDS = frozenset({TEXT, MULTILINE, EMAIL, PHONE, POSTCODE})
LIST_KINDS = frozenset({ICD10, CATALOG_SET, ROWS, USERS})


class MayAct(Protocol):
    """Whoever acts (``app.services.Actor``): asked whether their role allows an action."""

    def may(self, action: str) -> bool: ...


@dataclass(frozen=True, eq=False)
class Field:
    name: str
    label: str
    section: str
    kind: str = TEXT
    # The mapped attribute holding the value (``Case.job_title``); None for fields stored in
    # rows of their own (lists). Its String length is the field's maximum length.
    column: Any = None
    # True, or a rule over the form's values (required only when another field says so).
    required: bool | Callable[[Mapping[str, Any]], bool] = False
    required_rule: str = ""                      # the message when it is missing, if not the kind's
    edit_action: str | None = None               # permission to change it after creation; None: read-only
    choices: Mapping[Any, str] | None = None     # code -> Danish label, in the order a form lists them
    catalog: str | None = None                   # catalogue kind whose active items are the choices
    on_create: bool = True                       # asked when the entity is created
    default: Any = None                          # the value when a form leaves the field out
    limit: int | None = None                     # maximum length of a Text column (which has none)
    bounds: tuple[float, float] | None = None    # numbers: above the first, at most the second
    unit: str = ""                               # numbers: "timer"
    past_only: bool = False                      # dates: not after today
    rows: FieldTable | None = None               # ROWS: the table each row is checked against
    placeholder: str = ""

    @property
    def model(self) -> type | None:
        return self.column.class_ if self.column is not None else None

    @property
    def column_length(self) -> int | None:
        """The String length of the column, if it has one (Text has none)."""
        if self.column is not None:
            col_type = self.column.property.columns[0].type
            if isinstance(col_type, String) and col_type.length:
                return col_type.length
        return None

    @property
    def max_len(self) -> int | None:
        return self.column_length or self.limit

    @property
    def blank(self) -> Any:
        """The value of an empty field."""
        if self.kind in TEXT_KINDS:
            return ""
        if self.kind in LIST_KINDS:
            return []
        return None

    def is_required(self, values: Mapping[str, Any]) -> bool:
        return self.required(values) if callable(self.required) else bool(self.required)

    def choice_label(self, code: Any) -> str:
        """The Danish word for a stored code (the code itself when unknown)."""
        if self.kind == YESNO:
            return "Ukendt" if code is None else ("Ja" if code else "Nej")
        if self.choices is not None:
            return self.choices.get(code, "" if code is None else str(code))
        return "" if code is None else str(code)

    # -- rules ---------------------------------------------------------------------------------
    def clean(self, value: Any, values: Mapping[str, Any], today: dt.date | None = None) -> Any:
        """The value as stored, or ValidationError naming this field and the broken rule."""
        required = self.is_required(values)
        name, label = self.name, self.label
        if self.kind in (TEXT, MULTILINE, PHONE):
            text = clean_text(_text(value, name, label), field=name, label=label, max_len=self.max_len)
            return self._present(ascii_digits(text) if self.kind == PHONE else text, required)
        if self.kind == EMAIL:
            text = clean_email(_text(value, name, label), field=name, label=label, max_len=self.max_len)
            return self._present(text, required)
        if self.kind == POSTCODE:
            return self._present(clean_postcode(_text(value, name, label), field=name, label=label), required)
        if self.kind == CPR:
            return parse_cpr(_text(value, name, label), field=name, label=label)
        if value is None or value == "" or (self.kind in LIST_KINDS and not value):
            if required:
                raise ValidationError(name, self.required_rule or _MISSING.get(self.kind, "skal udfyldes"),
                                      label=label)
            return self.blank
        if self.kind == CHOICE:
            # The same type as the code, too: True == 1 in Python, but a bool is no subgroup number.
            if self.choices is not None and not any(value == k and type(value) is type(k) for k in self.choices):
                raise ValidationError(name, "skal være en af valgmulighederne", label=label)
            return value
        if self.kind == DATE:
            if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
                raise ValidationError(name, "skal være en gyldig dato", label=label)
            if self.past_only:
                if today is None:
                    raise AssertionError(f"{name}: today is needed to check a date")
                if value > today:
                    raise ValidationError(name, "må ikke ligge i fremtiden", label=label)
            return value
        if self.kind == NUMBER:
            if isinstance(value, bool) or not isinstance(value, (int, float)) or (
                    isinstance(value, float) and not math.isfinite(value)):
                raise ValidationError(name, "skal være et tal", label=label)
            if self.bounds is not None and not self.bounds[0] < value <= self.bounds[1]:
                lo, hi = (f"{b:g}" for b in self.bounds)
                raise ValidationError(name, f"skal være mellem {lo} og {hi}" + (f" {self.unit}" if self.unit else ""),
                                      label=label)
            return value
        if self.kind == YESNO:
            if not isinstance(value, bool):
                raise ValidationError(name, "skal være ja, nej eller ukendt", label=label)
            return value
        if self.kind == USER:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValidationError(name, "skal være en bruger", label=label)
            return value
        if self.kind == USERS:
            if any(isinstance(v, bool) or not isinstance(v, int) for v in value):
                raise ValidationError(name, "skal være brugere", label=label)
            return sorted(set(value))
        if self.kind == ICD10:
            return sorted({clean_icd10(code, field=name) for code in value if str(code or "").strip()})
        if self.kind == CATALOG_SET:
            if isinstance(value, str) or not all(isinstance(v, str) for v in value):
                raise ValidationError(name, "skal være en liste af koder", label=label)
            return list(dict.fromkeys(value))
        if self.kind == ROWS:
            return self._clean_rows(value, today)
        raise AssertionError(f"unknown field kind {self.kind!r}")

    @property
    def preset_in_rows(self) -> bool:
        """A required choice always shows a word in a form's new row, so its value says nothing about
        whether the user filled the row in; any other value (a text, a date, a number, a person, an
        optional choice such as a degree) makes the row one to check rather than an empty line."""
        return self.kind in (CHOICE, YESNO) and self.required is True

    def _present(self, text: str, required: bool) -> str:
        if required and not text:
            raise ValidationError(self.name, self.required_rule or "skal udfyldes", label=self.label)
        return text

    def _clean_rows(self, rows: Iterable[Mapping[str, Any]], today: dt.date | None) -> list[dict[str, Any]]:
        assert self.rows is not None, f"{self.name}: a ROWS field needs its sub-table"
        out = []
        for number, row in enumerate(rows, start=1):
            if all(_blank(v) for k, v in row.items() if k in self.rows and not self.rows[k].preset_in_rows):
                continue  # an empty line of the form: nothing entered but the choices it starts with
            try:
                out.append(self.rows.validate(row, today=today))
            except ValidationErrors as errors:
                first = errors.errors[0]
                # Named as the form's table names a cell it cannot read: the row and the column.
                raise ValidationError(self.name, first.rule,
                                      label=f"{self.label} – række {number}, {first.label.lower()}") from None
        return out


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value in ([], ())


_MISSING = {CHOICE: "skal vælges", USER: "skal vælges", USERS: "vælg mindst én", CATALOG_SET: "vælg mindst én",
            ICD10: "skal udfyldes", ROWS: "skal udfyldes"}


def _text(value: Any, name: str, label: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValidationError(name, "skal være tekst", label=label)
    return value


class FieldTable:
    """One entity's fields, in the order a form shows them."""

    def __init__(self, entity: str, fields: Iterable[Field]):
        self.entity = entity
        self.fields: tuple[Field, ...] = tuple(fields)
        self._by_name = {f.name: f for f in self.fields}
        if len(self._by_name) != len(self.fields):
            raise ValueError(f"{entity}: a field name occurs twice")
        for f in self.fields:
            # The name is the model attribute as well: value dicts and rows line up without a mapping.
            if f.column is not None and f.column.key != f.name:
                raise ValueError(f"{entity}.{f.name}: the field is named after its column ({f.column.key})")
            if f.limit is not None and f.column_length is not None:
                raise ValueError(f"{entity}.{f.name}: the length comes from its column; limit is for Text columns")
            if f.kind == ROWS and f.rows is None:
                raise ValueError(f"{entity}.{f.name}: a ROWS field needs a sub-table")
            if f.kind == CHOICE and f.choices is None and f.catalog is None:
                raise ValueError(f"{entity}.{f.name}: a choice needs choices or a catalogue")

    def __iter__(self) -> Iterator[Field]:
        return iter(self.fields)

    def __getitem__(self, name: str) -> Field:
        return self._by_name[name]

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    # -- forms ---------------------------------------------------------------------------------
    def sections(self, *, on_create: bool | None = None) -> list[str]:
        """Section headings in form order; ``on_create=True``: only those a creation form shows."""
        return list(dict.fromkeys(f.section for f in self.fields if on_create is None or f.on_create == on_create))

    def fields_in_section(self, section: str, *, on_create: bool | None = None) -> list[Field]:
        return [f for f in self.fields if f.section == section and (on_create is None or f.on_create == on_create)]

    def creation_fields(self) -> list[Field]:
        """The fields a creation form asks for (e.g. the referral dialog), in form order."""
        return [f for f in self.fields if f.on_create]

    def editable_fields(self, actor: MayAct) -> list[Field]:
        """The fields ``actor`` may change after creation, in form order; the rest are read-only."""
        return [f for f in self.fields if f.edit_action is not None and actor.may(f.edit_action)]

    # -- labels --------------------------------------------------------------------------------
    def labels(self) -> dict[str, str]:
        return {f.name: f.label for f in self.fields}

    # -- validation ----------------------------------------------------------------------------
    def validate(self, values: Mapping[str, Any], *, only: Iterable[str] | None = None,
                 context: Mapping[str, Any] | None = None, today: dt.date | None = None) -> dict[str, Any]:
        """Check ``values`` field by field; return the clean values, or raise ValidationErrors
        listing every broken rule in form order.

        Without ``only``, every field of the table is checked (a missing key counts as the field's
        default). With ``only``, just those names (a form with part of the fields, or an update);
        ``context`` holds the other values that conditional rules (``required=lambda v: ...``) may
        look at, e.g. the stored ones. ``today`` is needed for ``past_only`` dates."""
        clean, errors = self.check(values, only=only, context=context, today=today)
        if errors:
            raise ValidationErrors(errors)
        return clean

    def check(self, values: Mapping[str, Any], *, only: Iterable[str] | None = None,
              context: Mapping[str, Any] | None = None,
              today: dt.date | None = None) -> tuple[dict[str, Any], list[ValidationError]]:
        """Like ``validate``, but returns (the clean values of the valid fields, the errors), so a
        service can go on to check rules across fields before it reports everything at once."""
        if only is None:
            chosen = list(self.fields)
        else:
            wanted = set(only)
            unknown = sorted(wanted - set(self._by_name))
            if unknown:
                return {}, [ValidationError(n, "kan ikke angives her", label=n) for n in unknown]
            chosen = [f for f in self.fields if f.name in wanted]
        merged = {**(context or {}), **values}
        clean: dict[str, Any] = {}
        errors: list[ValidationError] = []
        for f in chosen:
            value = values.get(f.name, f.default if f.default is not None else f.blank)
            try:
                # Rules may look at the fields before this one as cleaned (defaults filled in).
                clean[f.name] = f.clean(value, {**merged, **clean}, today)
            except ValidationError as e:
                errors.append(e)
        return clean, errors

    # -- data objects --------------------------------------------------------------------------
    def column_values(self, clean: Mapping[str, Any], model: type, *, on_create: bool = True) -> dict[str, Any]:
        """Keyword arguments for ``model(...)`` (or attributes to set) from clean values: the
        table's fields stored in a column of ``model``."""
        out = {}
        for f in self.fields:
            if f.model is model and f.name in clean and (f.on_create or not on_create):
                value = clean[f.name]
                out[f.name] = value.digits if f.kind == CPR else value
        return out

    def read(self, rows: Mapping[type, Any]) -> dict[str, Any]:
        """The stored value of every column field whose model is in ``rows`` (model -> row).
        A CPR number is read back masked: the full number is shown on demand only, and logged."""
        out = {}
        for f in self.fields:
            row = rows.get(f.model) if f.model is not None else None
            if row is not None:
                value = getattr(row, f.name)
                out[f.name] = mask_cpr(value) if f.kind == CPR else value
        return out


__all__ = ["Field", "FieldTable", "MayAct", "TEXT", "MULTILINE", "EMAIL", "PHONE", "POSTCODE", "CHOICE", "DATE",
           "NUMBER", "YESNO", "CPR", "ICD10", "CATALOG_SET", "ROWS", "USER", "USERS"]
