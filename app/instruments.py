"""The standard instruments of an assessment: WHO-5, MDI and the citizen's return-to-work expectation.

Each instrument is data (its Danish items and answer scale, exactly as the citizen reads them) and one
plain scoring function. Answers are a list with one entry per item, in item order: an integer on the
item's scale, or None for an item not answered yet. Scoring never guesses: a list with a missing
answer gives ``Score(complete=False, value=None)``, which is saved as a draft and never shown or
counted as a score. A value outside the scale, a list of the wrong length or something that is not a
whole number is a ``ValidationError`` (the form cannot produce one; an import or a script could).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.errors import ValidationError

WHO5 = "WHO5"
MDI = "MDI"
RTW_EXPECTATION = "RTW_EXPECTATION"


@dataclass(frozen=True)
class Item:
    key: str            # "1", "8a": how the published scoring names the item
    text: str           # the question as the citizen reads it


@dataclass(frozen=True)
class Band:
    upper: float        # the highest score in the band
    label: str


@dataclass(frozen=True)
class Instrument:
    code: str
    name: str
    intro: str                                  # the instruction above the items
    items: tuple[Item, ...]
    scale: tuple[tuple[int, str], ...]          # answer value -> its words, in the order shown
    low: float                                  # the lowest and highest possible score
    high: float
    bands: tuple[Band, ...]                     # ascending; the last one ends at ``high``
    item_scales: dict[str, tuple[tuple[int, str], ...]] | None = None  # an item with a scale of its own

    def scale_of(self, item: Item) -> tuple[tuple[int, str], ...]:
        return (self.item_scales or {}).get(item.key, self.scale)

    def band(self, score: float) -> str:
        for b in self.bands:
            if score <= b.upper:
                return b.label
        return self.bands[-1].label


@dataclass(frozen=True)
class Score:
    instrument: str
    value: float | None         # None until every item is answered
    band: str                   # "" until complete
    missing: tuple[str, ...]    # the keys of the items not answered
    note: str = ""              # a further reading of the score (WHO-5: suggests depression)

    @property
    def complete(self) -> bool:
        return not self.missing


# -- WHO-5 ------------------------------------------------------------------------------------------
# The Danish version of the WHO-Five Well-being Index (WHO Collaborating Centre in Mental Health,
# Psykiatrisk Center Nordsjælland, 1998). Scoring: raw sum 0-25 times 4 gives 0-100. Bands of the
# Danish occupational therapists: 0-35 high risk, 36-50 some risk, above 50 normal; 28 or below
# suggests depression; a change of 10 points is clinically relevant.
FREQUENCY_SCALE = ((5, "Hele tiden"), (4, "Det meste af tiden"), (3, "Lidt mere end halvdelen af tiden"),
                   (2, "Lidt mindre end halvdelen af tiden"), (1, "Lidt af tiden"), (0, "På intet tidspunkt"))

WHO5_INSTRUMENT = Instrument(
    WHO5, "WHO-5 Trivselsindeks", "I de sidste 2 uger …",
    (Item("1", "… har jeg været glad og i godt humør"),
     Item("2", "… har jeg følt mig rolig og afslappet"),
     Item("3", "… har jeg følt mig aktiv og energisk"),
     Item("4", "… er jeg vågnet frisk og udhvilet"),
     Item("5", "… har min dagligdag været fyldt med ting, der interesserer mig")),
    FREQUENCY_SCALE, 0, 100,
    (Band(35, "Høj risiko"), Band(50, "Nogen risiko"), Band(100, "Normal")))
WHO5_DEPRESSION_AT_OR_BELOW = 28
WHO5_RELEVANT_CHANGE = 10

# -- MDI --------------------------------------------------------------------------------------------
# Major Depression Inventory, Danish original (Bech P, Rasmussen NA, Olsen LR, Noerholm V, Abildgaard W.
# The sensitivity and specificity of the Major Depression Inventory, using the Present State
# Examination as the index of diagnostic validity. J Affect Disord 2001;66:159-164; Olsen LR, Jensen DV,
# Noerholm V, Martiny K, Bech P. The internal and external validity of the Major Depression Inventory
# in measuring severity of depressive states. Psychol Med 2003;33:351-356). Twelve answers 0-5 over
# the last two weeks; of 8a/8b and of 10a/10b only the higher counts, so ten item scores sum to 0-50.
# Severity after Bech: 0-20 no or doubtful, 21-25 mild, 26-30 moderate, 31-50 severe depression
# (some secondary sources shift the bands by one; these follow Bech).
MDI_INSTRUMENT = Instrument(
    MDI, "Major Depression Inventory (MDI)", "Hvor meget af tiden i de sidste 2 uger …",
    (Item("1", "Har du følt dig trist til mode, ked af det?"),
     Item("2", "Har du manglet interesse for dine daglige gøremål?"),
     Item("3", "Har du følt mangel på energi og kræfter?"),
     Item("4", "Har du haft mindre selvtillid?"),
     Item("5", "Har du haft dårlig samvittighed eller skyldfølelse?"),
     Item("6", "Har du følt, at livet ikke var værd at leve?"),
     Item("7", "Har du haft besvær med at koncentrere dig, f.eks. med at læse avis eller følge med i fjernsyn?"),
     Item("8a", "Har du følt dig meget rastløs?"),
     Item("8b", "Har du følt dig mere stille?"),
     Item("9", "Har du haft besvær med at sove om natten?"),
     Item("10a", "Har du haft nedsat appetit?"),
     Item("10b", "Har du haft øget appetit?")),
    FREQUENCY_SCALE, 0, 50,
    (Band(20, "Ingen eller tvivlsom depression"), Band(25, "Let depression"), Band(30, "Moderat depression"),
     Band(50, "Svær depression")))

# -- The citizen's own return-to-work expectation -------------------------------------------------
# Self-efficacy about returning is a strong predictor; the full Danish RTWSE-19 is long, so every
# assessment asks the two questions the statistics use: how sure (0-10, the case's expectation) and
# when. The score is the 0-10 rating; the "when" answer is kept with it.
RATING_SCALE = tuple((n, {0: "0 – slet ikke", 10: "10 – helt sikkert"}.get(n, str(n))) for n in range(11))
WHEN_SCALE = ((0, "Inden for 4 uger"), (1, "Om 1-3 måneder"), (2, "Om 3-6 måneder"), (3, "Senere end 6 måneder"),
              (4, "Forventer ikke at vende tilbage"), (5, "Ved ikke"))

RTW_INSTRUMENT = Instrument(
    RTW_EXPECTATION, "Forventning om tilbagevenden til arbejdet", "Borgerens egen vurdering",
    (Item("1", "Hvor sikker er du på, at du vender tilbage til din nuværende arbejdsplads?"),
     Item("2", "Hvornår forventer du at være tilbage i arbejde?")),
    RATING_SCALE, 0, 10,
    (Band(3, "Lav forventning"), Band(6, "Usikker forventning"), Band(10, "Høj forventning")),
    item_scales={"2": WHEN_SCALE})

INSTRUMENTS: dict[str, Instrument] = {i.code: i for i in (WHO5_INSTRUMENT, MDI_INSTRUMENT, RTW_INSTRUMENT)}


def _checked(instrument: Instrument, answers: Sequence[int | None]) -> list[int | None]:
    """The answers as a list, or ValidationError: one per item, each None or a value of its scale."""
    if isinstance(answers, (str, bytes)) or not isinstance(answers, Sequence):
        raise ValidationError(instrument.code, "skal være en liste af svar", label=instrument.name)
    out = list(answers)
    if len(out) != len(instrument.items):
        raise ValidationError(instrument.code, f"skal have {len(instrument.items)} svar, ikke {len(out)}",
                              label=instrument.name)
    for item, value in zip(instrument.items, out, strict=True):
        if value is None:
            continue
        allowed = {v for v, _ in instrument.scale_of(item)}
        if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
            raise ValidationError(instrument.code, f"spørgsmål {item.key}: {value!r} er ikke et af svarene",
                                  label=instrument.name)
    return out


def _missing(instrument: Instrument, answers: list[int | None]) -> tuple[str, ...]:
    return tuple(item.key for item, v in zip(instrument.items, answers, strict=True) if v is None)


def who5_score(answers: Sequence[int | None]) -> Score:
    """WHO-5: the raw sum of five items 0-5, times 4, gives 0-100."""
    a = _checked(WHO5_INSTRUMENT, answers)
    missing = _missing(WHO5_INSTRUMENT, a)
    if missing:
        return Score(WHO5, None, "", missing)
    value = float(sum(a) * 4)
    note = "Tyder på depression (28 eller derunder)" if value <= WHO5_DEPRESSION_AT_OR_BELOW else ""
    return Score(WHO5, value, WHO5_INSTRUMENT.band(value), (), note)


def mdi_score(answers: Sequence[int | None]) -> Score:
    """MDI: items 1-7, the higher of 8a/8b, 9, the higher of 10a/10b; 0-50. A pair counts as answered
    only when both halves are (the higher of the two cannot be known before)."""
    a = _checked(MDI_INSTRUMENT, answers)
    missing = _missing(MDI_INSTRUMENT, a)
    if missing:
        return Score(MDI, None, "", missing)
    value = float(sum(a[0:7]) + max(a[7], a[8]) + a[9] + max(a[10], a[11]))
    return Score(MDI, value, MDI_INSTRUMENT.band(value), ())


def rtw_expectation_score(answers: Sequence[int | None]) -> Score:
    """The citizen's 0-10 rating of returning to the current workplace; complete with the "when"."""
    a = _checked(RTW_INSTRUMENT, answers)
    missing = _missing(RTW_INSTRUMENT, a)
    if missing:
        return Score(RTW_EXPECTATION, None, "", missing)
    value = float(a[0])
    return Score(RTW_EXPECTATION, value, RTW_INSTRUMENT.band(value), (), dict(WHEN_SCALE)[a[1]])


SCORERS = {WHO5: who5_score, MDI: mdi_score, RTW_EXPECTATION: rtw_expectation_score}


def score(code: str, answers: Sequence[int | None]) -> Score:
    """Score ``answers`` to the instrument ``code`` (one of ``INSTRUMENTS``)."""
    if code not in SCORERS:
        raise ValidationError("instrument", "er ikke et kendt spørgeskema", label="Spørgeskema")
    return SCORERS[code](answers)


def who5_change(previous: float | None, current: float | None) -> tuple[float, bool] | None:
    """The change since the previous WHO-5 and whether it is clinically relevant (10 points or more)."""
    if previous is None or current is None:
        return None
    delta = current - previous
    return delta, abs(delta) >= WHO5_RELEVANT_CHANGE
