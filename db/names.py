"""Stored keys for searching and sorting Danish names, identical on SQLite and PostgreSQL.

Both keys are computed here, in Python, and the databases only compare them: the search key by
substring, the sort key byte by byte (``COLLATE "C"`` on PostgreSQL, SQLite's default BINARY), so
neither the server's locale nor ICU can change what matches or the order. ``app.validation``
re-exports these functions for the services; they live in ``db`` because the migration that
backfills the keys and the listener that keeps them current (``db.derived``) need them too.
"""
from __future__ import annotations

import unicodedata

# Both key columns are String(NAME_KEY_LENGTH). Folding can lengthen a name (å -> aa, ß -> ss), so
# the keys are cut to fit; only a name of absurd length loses its tail.
NAME_KEY_LENGTH = 210

# Search: the Danish letters spelled out, so 'aase' finds 'Åse', 'Soeren' finds 'Søren' and back.
_SPELLED = {"æ": "ae", "ø": "oe"}

# Sort: Danish alphabet order, æ < ø < å after z, on characters that sort after 'z' byte-wise
# ('{' 0x7B, '|' 0x7C, '}' 0x7D). As in Danish collation (CLDR 'da'), ä sorts as æ, ö as ø, ü as y,
# and 'aa' as å (Aagaard after Zacho).
_DANISH_ORDER = {"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}", "ü": "y"}
# Between last name and first name: below every character a name part can hold, so 'Holm, Ole'
# comes before 'Holm-Jensen, Anne' and 'Holmberg, Bo'. Inside a name part, spaces and hyphens
# become '!' (the next character up), so 'Holm Jensen' and 'Holm-Jensen' sort alike.
_PART_SEPARATOR = " "
_WORD_SEPARATOR = "!"


def _strip_accents(text: str) -> str:
    """'é' -> 'e', 'ü' -> 'u', 'ﬁ' -> 'fi'; letters without a decomposition (æ, ø, ß) stay."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def fold(text: str) -> str:
    """The search form of a name or of what the user typed: case-folded, å/æ/ø spelled aa/ae/oe,
    accents stripped, white space collapsed.

    'Åse Østergaard' -> 'aase oestergaard', 'Mæhl' -> 'maehl', 'José Müller' -> 'jose muller'.
    Stored names and queries go through the same function, so a typed prefix still matches.
    """
    # å decomposes to a + ring, so it is spelled out before accents are stripped; æ and ø have no
    # decomposition and are spelled out after (which also catches ǿ, ǣ).
    text = unicodedata.normalize("NFC", text).casefold().replace("å", "aa")
    text = "".join(_SPELLED.get(c, c) for c in _strip_accents(text))
    return " ".join(text.split())


def name_search_key(first_name: str, last_name: str) -> str:
    """``citizen.name_search``: the folded full name, searched by substring."""
    return fold(f"{first_name} {last_name}")[:NAME_KEY_LENGTH]


def danish_order_key(text: str) -> str:
    """A key for one name (or any short text) whose byte order is Danish alphabetical order:
    case-insensitive, æ < ø < å after z, aa = å, accents ignored, spaces and hyphens alike."""
    text = unicodedata.normalize("NFC", text).casefold().replace("aa", "å")
    out: list[str] = []
    for ch in text:
        mapped = _DANISH_ORDER.get(ch)
        if mapped is not None:
            out.append(mapped)
            continue
        for c in _strip_accents(ch):
            if c in _DANISH_ORDER:
                out.append(_DANISH_ORDER[c])
            elif c.isascii() and c.isalnum():
                out.append(c)
            elif c.isspace() or c in "-_":
                if out and out[-1] != _WORD_SEPARATOR:
                    out.append(_WORD_SEPARATOR)
            elif not c.isascii():
                out.append(c)  # other scripts: after the Danish alphabet, in code point order
            # ASCII punctuation (O'Brien, St. Clair) is ignored.
    return "".join(out).strip(_WORD_SEPARATOR)


def name_sort_key(first_name: str, last_name: str) -> str:
    """``citizen.name_sort``: last name, then first name, in Danish alphabetical order when the
    strings are compared byte by byte.

    >>> sorted(["Åse", "Aagaard", "Zacho", "Ærø", "Østergaard", "Andersen"], key=lambda n: name_sort_key("", n))
    ['Andersen', 'Zacho', 'Ærø', 'Østergaard', 'Aagaard', 'Åse']
    """
    return f"{danish_order_key(last_name)}{_PART_SEPARATOR}{danish_order_key(first_name)}"[:NAME_KEY_LENGTH]
