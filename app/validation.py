"""Input rules shared by every service: text, e-mail addresses, postcodes, CPR numbers, ICD-10 codes.

Each failure raises ``ValidationError`` naming the field and the rule in Danish.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from app.errors import ValidationError

# The one folding of names for search (å = aa, æ = ae, ø = oe, accents stripped) and Danish sort order,
# shared with the storage layer that keeps the stored keys current (see db/names.py).
from db.names import danish_order_key, fold, name_search_key, name_sort_key  # noqa: F401

FICTITIOUS_DAY_OFFSET = 60  # demo/test CPR numbers carry day + 60 and can never belong to a real person


def normalise_text(value: str, *, field: str, label: str | None = None) -> str:
    """Unicode NFC; a lone surrogate (no character at all, and unstorable in UTF-8) is refused."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(field, "indeholder et ugyldigt tegn", label=label) from None
    return unicodedata.normalize("NFC", value)


def ascii_digits(value: str) -> str:
    """Digits of any script (Arabic-Indic ٠١٢, full-width ０１２ ...) as ASCII digits; the rest unchanged."""
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in value)


def clean_text(value: str | None, *, field: str, label: str, max_len: int | None = None,
               required: bool = False) -> str:
    """Strip surrounding white space; NFC; reject NUL, other control characters and lone surrogates
    so SQLite and PostgreSQL store the same thing."""
    text = normalise_text(value or "", field=field, label=label).strip()
    if any(ch == "\x00" or (unicodedata.category(ch) == "Cc" and ch not in "\n\r\t") for ch in text):
        raise ValidationError(field, "må ikke indeholde kontroltegn", label=label)
    if required and not text:
        raise ValidationError(field, "skal udfyldes", label=label)
    if max_len is not None and len(text) > max_len:
        raise ValidationError(field, f"må højst være {max_len} tegn", label=label)
    return text


EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def clean_email(value: str | None, *, field: str, label: str, max_len: int | None = None,
                required: bool = False) -> str:
    """An e-mail address: the one rule for citizens', caseworkers' and users' addresses."""
    text = clean_text(value, field=field, label=label, max_len=max_len, required=required)
    if text and not EMAIL_RE.match(text):
        raise ValidationError(field, "er ikke en gyldig e-mailadresse", label=label)
    return text


def clean_postcode(value: str | None, *, field: str, label: str, required: bool = False) -> str:
    """A Danish postcode: four digits."""
    text = ascii_digits(clean_text(value, field=field, label=label, required=required))
    if text and not re.fullmatch(r"[0-9]{4}", text):
        raise ValidationError(field, "skal være fire cifre", label=label)
    return text


@dataclass(frozen=True)
class CprInfo:
    digits: str
    birth_date: dt.date
    sex: str  # 'male' | 'female'
    fictitious: bool

    @property
    def formatted(self) -> str:
        return f"{self.digits[:6]}-{self.digits[6:]}"

    @property
    def masked(self) -> str:
        return mask_cpr(self.digits)


def mask_cpr(cpr: str) -> str:
    """The birth-date part only; the full number is shown on demand and logged."""
    return f"{cpr[:6]}-xxxx"


# A CPR number, or the start of one past its date part, inside free text: a plausible ddmmåå (days
# 01-31, or 61-91 for fictitious numbers; months 01-12) followed by 1-4 serial digits, 7 to 10
# digits in all. Any digit may be separated from the next by up to three characters that are neither
# letters nor digits (spaces of any kind, dashes of any kind, '/', '.', tabs ...): the case search
# ignores them, so "85 02 98 06 89" finds a CPR number just as "8502980689" does. Phone numbers
# (20 30 40 50, 20304050) and case numbers (TTA-2026-00012) have no valid month and stay. So does a
# date as the program writes it (dd-mm-åååå, 19xx or 20xx, e.g. "fra før 22-05-2026" in a purge's
# entry), unless one or two more digits end the run after it ("22-05-2026-12" is 220520-2612):
# without that exception every date in a detail would read as a CPR number.
_SEP = r"[\W_]{0,3}"
_DATE = (rf"(?:[0-2]{_SEP}[0-9]|3{_SEP}[01]|[6-8]{_SEP}[0-9]|9{_SEP}[01]){_SEP}"
         rf"(?:0{_SEP}[1-9]|1{_SEP}[0-2]){_SEP}[0-9]{_SEP}[0-9]")
_CPR_TAIL = rf"{_SEP}[0-9](?:{_SEP}[0-9])?(?!{_SEP}[0-9])"
_WRITTEN_DATE = rf"(?:[0-2][0-9]|3[01])-(?:0[1-9]|1[0-2])-(?:19|20)[0-9]{{2}}(?![0-9])(?!{_CPR_TAIL})"
# ... nor is a match started at a written date's year ("01-01-2008 – 30-09-2008": 20/08/30).
_IN_WRITTEN_DATE = r"(?<!(?:[0-2][0-9]|3[01])-(?:0[1-9]|1[0-2])-)"
_CPR_IN_TEXT = re.compile(rf"(?<![0-9]){_IN_WRITTEN_DATE}(?!{_WRITTEN_DATE})(?P<date>{_DATE})"
                          rf"(?:{_SEP}[0-9]){{1,4}}(?![0-9])")


def _visible(text: str) -> str:
    """``text`` without invisible format characters (zero-width space, soft hyphen, word joiner ...)
    and with digits of any script as ASCII digits, as the masking must see it."""
    return ascii_digits("".join(ch for ch in text if unicodedata.category(ch) != "Cf"))


def mask_cprs_in_text(text: str) -> str:
    """Every CPR number in ``text`` cut to its birth date (``ddmmåå-xxxx``): what the audit log
    stores of a search text or a detail, since its readers (the administrator) may not see CPR.
    Invisible characters are removed first, so they cannot split a number past the rule."""
    return _CPR_IN_TEXT.sub(lambda m: re.sub(r"[^0-9]", "", m.group("date")) + "-xxxx", _visible(text or ""))


def _century(digit7: int, yy: int) -> int:
    if digit7 <= 3:
        return 1900
    if digit7 in (4, 9):
        return 2000 if yy <= 36 else 1900
    return 2000 if yy <= 57 else 1800


def parse_cpr(value: str, *, field: str = "cpr", label: str = "CPR-nummer") -> CprInfo:
    """Validate format and date part. The modulus-11 check is deliberately not applied: numbers
    failing it have been issued since 2007."""
    raw = ascii_digits(normalise_text(value or "", field=field, label=label)).strip().replace("-", "").replace(" ", "")
    if not raw:
        raise ValidationError(field, "skal udfyldes", label=label)
    if not re.fullmatch(r"[0-9]{10}", raw):
        raise ValidationError(field, "skal være 10 cifre (ddmmåå-xxxx)", label=label)
    day, month, yy, d7 = int(raw[:2]), int(raw[2:4]), int(raw[4:6]), int(raw[6])
    fictitious = day > FICTITIOUS_DAY_OFFSET
    if fictitious:
        day -= FICTITIOUS_DAY_OFFSET
    try:
        birth = dt.date(_century(d7, yy) + yy, month, day)
    except ValueError:
        raise ValidationError(field, "datodelen (ddmmåå) er ikke en gyldig dato", label=label) from None
    if birth > dt.date.today():
        raise ValidationError(field, "fødselsdatoen ligger i fremtiden", label=label)
    sex = "male" if int(raw[9]) % 2 else "female"
    return CprInfo(raw, birth, sex, fictitious)


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


ICD10_RE = re.compile(r"^[A-TV-Z]\d{2}(\.\d{1,2})?$")


def clean_icd10(value: str, *, field: str = "icd10", label: str = "ICD-10-kode") -> str:
    code = (value or "").strip().upper().replace(" ", "")
    if code.startswith("D") and len(code) > 1 and code[1] == "F":  # Danish SKS style 'DF432'
        code = code[1:]
        if len(code) > 3 and "." not in code:
            code = code[:3] + "." + code[3:]
    if not ICD10_RE.match(code):
        raise ValidationError(field, f"'{value}' er ikke en gyldig kode (fx F43.2)", label=label)
    return code


def is_mental_health_code(code: str) -> bool:
    """F30-F39 (affective) or F40-F48 (neurotic and stress-related): the KIA target group."""
    if not code.startswith("F"):
        return False
    n = int(code[1:3])
    return 30 <= n <= 48 and n != 49
