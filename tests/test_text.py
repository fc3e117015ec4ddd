"""Small text helpers."""
from __future__ import annotations

import pytest

from app.text import slug


@pytest.mark.parametrize(("text", "kwargs", "expected"), [
    ("Samtaler hos psykolog (gruppe)", {}, "samtaler_hos_psykolog_gruppe"),
    ("  Kursus i   stresshåndtering ", {}, "kursus_i_stresshåndtering"),
    ("Bøgh & Friis Advokatfirma", {"sep": "-", "max_words": 2}, "bøgh-friis"),
    ("DataNord A/S", {"sep": "-"}, "datanord-a-s"),
    ("a" * 50, {"max_len": 40}, "a" * 40),
    ("–!?", {}, ""),
])
def test_slug(text, kwargs, expected):
    assert slug(text, **kwargs) == expected
