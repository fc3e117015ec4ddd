"""Scoring of WHO-5, MDI and the return-to-work expectation: known answer vectors, every band
boundary, missing answers, the a/b rule of the MDI, and properties over every possible answer list."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app import instruments as ins
from app.errors import ValidationError


@pytest.mark.parametrize(("answers", "value", "band"), [
    ([0, 0, 0, 0, 0], 0, "Høj risiko"),
    ([5, 5, 5, 5, 5], 100, "Normal"),
    ([3, 3, 3, 2, 3], 56, "Normal"),
    ([2, 2, 2, 2, 1], 36, "Nogen risiko"),    # lowest "some risk"
    ([2, 2, 2, 1, 1], 32, "Høj risiko"),      # below 36
    ([3, 3, 2, 2, 2], 48, "Nogen risiko"),
    ([3, 3, 3, 2, 2], 52, "Normal"),          # above 50
])
def test_who5_known_vectors(answers, value, band):
    s = ins.who5_score(answers)
    assert (s.value, s.band, s.complete) == (value, band, True)


def test_who5_band_boundaries_on_the_0_100_scale():
    band = ins.WHO5_INSTRUMENT.band
    assert [band(v) for v in (35, 36, 50, 51)] == ["Høj risiko", "Nogen risiko", "Nogen risiko", "Normal"]


def test_who5_28_or_below_suggests_depression():
    assert "depression" in ins.who5_score([2, 2, 1, 1, 1]).note      # 28
    assert ins.who5_score([2, 2, 2, 1, 1]).note == ""                 # 32


def test_who5_change_of_ten_points_is_relevant():
    assert ins.who5_change(40, 52) == (12, True)
    assert ins.who5_change(40, 48) == (8, False)
    assert ins.who5_change(60, 50) == (-10, True)
    assert ins.who5_change(None, 50) is None


@pytest.mark.parametrize(("answers", "value", "band"), [
    ([0] * 12, 0, "Ingen eller tvivlsom depression"),
    ([5] * 12, 50, "Svær depression"),
    ([2] * 7 + [2, 0] + [2] + [2, 0], 20, "Ingen eller tvivlsom depression"),
    ([3] + [2] * 6 + [2, 0] + [2] + [2, 0], 21, "Let depression"),
    ([3] * 5 + [2] * 2 + [2, 0] + [2] + [2, 0], 25, "Let depression"),
    ([3] * 6 + [2] + [2, 0] + [2] + [2, 0], 26, "Moderat depression"),
    ([3] * 7 + [3, 0] + [3] + [3, 0], 30, "Moderat depression"),
    ([4] + [3] * 6 + [3, 0] + [3] + [3, 0], 31, "Svær depression"),
])
def test_mdi_known_vectors_and_bech_boundaries(answers, value, band):
    s = ins.mdi_score(answers)
    assert (s.value, s.band) == (value, band)


def test_mdi_counts_only_the_higher_of_8a_8b_and_10a_10b():
    base = [1] * 7
    assert ins.mdi_score(base + [4, 1] + [1] + [0, 3]).value == 7 + 4 + 1 + 3
    assert ins.mdi_score(base + [1, 4] + [1] + [3, 0]).value == 7 + 4 + 1 + 3
    assert ins.mdi_score(base + [5, 5] + [0] + [5, 5]).value == 7 + 5 + 0 + 5


def test_a_missing_answer_leaves_the_form_unscored():
    s = ins.who5_score([5, 5, None, 5, 5])
    assert (s.value, s.band, s.complete, s.missing) == (None, "", False, ("3",))
    # One half of a pair missing: the higher of the two is not known, so no score either.
    s = ins.mdi_score([0] * 7 + [5, None] + [0] + [0, 0])
    assert (s.value, s.missing) == (None, ("8b",))
    assert ins.rtw_expectation_score([7, None]).value is None


def test_return_to_work_expectation_is_the_rating_with_the_when_beside_it():
    s = ins.rtw_expectation_score([7, 1])
    assert (s.value, s.band, s.note) == (7, "Høj forventning", "Om 1-3 måneder")
    assert ins.rtw_expectation_score([3, 5]).band == "Lav forventning"
    assert ins.rtw_expectation_score([4, 5]).band == "Usikker forventning"
    with pytest.raises(ValidationError):
        ins.rtw_expectation_score([7, 6])      # no such "when"


@pytest.mark.parametrize("answers", [[0, 0, 0, 0], [0, 0, 0, 0, 0, 0], [6, 0, 0, 0, 0], [-1, 0, 0, 0, 0],
                                     [True, 0, 0, 0, 0], [1.5, 0, 0, 0, 0], "00000", None])
def test_answers_that_no_form_can_give_are_refused(answers):
    with pytest.raises(ValidationError):
        ins.who5_score(answers)


def test_the_items_are_the_published_ones():
    assert [i.key for i in ins.MDI_INSTRUMENT.items] == ["1", "2", "3", "4", "5", "6", "7", "8a", "8b", "9",
                                                          "10a", "10b"]
    assert len(ins.WHO5_INSTRUMENT.items) == 5
    assert ins.WHO5_INSTRUMENT.items[0].text == "… har jeg været glad og i godt humør"
    assert [v for v, _ in ins.FREQUENCY_SCALE] == [5, 4, 3, 2, 1, 0]


answer = st.one_of(st.none(), st.integers(min_value=-3, max_value=12), st.booleans())


@pytest.mark.parametrize("code", list(ins.INSTRUMENTS))
@given(data=st.data())
def test_no_answer_list_crashes_scoring_or_leaves_the_range(code, data):
    instrument = ins.INSTRUMENTS[code]
    answers = data.draw(st.lists(answer, min_size=0, max_size=len(instrument.items) + 2))
    try:
        s = ins.score(code, answers)
    except ValidationError:
        return
    if s.complete:
        assert instrument.low <= s.value <= instrument.high
        assert s.band in {b.label for b in instrument.bands}
    else:
        assert s.value is None and s.band == ""


@pytest.mark.parametrize("code", list(ins.INSTRUMENTS))
@given(data=st.data())
def test_every_complete_answer_list_scores_within_its_range(code, data):
    instrument = ins.INSTRUMENTS[code]
    answers = [data.draw(st.sampled_from([v for v, _ in instrument.scale_of(i)])) for i in instrument.items]
    s = ins.score(code, answers)
    assert s.complete and instrument.low <= s.value <= instrument.high
