"""Small text helpers shared by the services and the demo data."""
from __future__ import annotations


def slug(text: str, *, sep: str = "_", max_words: int | None = None, max_len: int | None = None) -> str:
    """The words of letters and digits in ``text``, case-folded and joined by ``sep``, e.g. a code
    made from a label: 'Samtaler hos psykolog (gruppe)' -> 'samtaler_hos_psykolog_gruppe'.
    Letters outside ASCII stay as they are. Empty when ``text`` has no letters or digits."""
    words = "".join(ch if ch.isalnum() else " " for ch in text.casefold()).split()
    return sep.join(words[:max_words])[:max_len]
