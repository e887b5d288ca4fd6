from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipcoop_data.model.dates import MAX_YEAR, MIN_YEAR, PartialDate, PartialDateError, Precision


@pytest.mark.parametrize(
    ("text", "precision", "lower", "upper"),
    [
        ("2017", Precision.YEAR, date(2017, 1, 1), date(2017, 12, 31)),
        ("2017-05", Precision.MONTH, date(2017, 5, 1), date(2017, 5, 31)),
        ("2024-02", Precision.MONTH, date(2024, 2, 1), date(2024, 2, 29)),
        ("2022-02-05", Precision.DAY, date(2022, 2, 5), date(2022, 2, 5)),
        ("2024-09-11/2024-09-13", Precision.DAY, date(2024, 9, 11), date(2024, 9, 13)),
        ("2013/2023", Precision.YEAR, date(2013, 1, 1), date(2023, 12, 31)),
    ],
)
def test_valid_dates_know_precision_and_bounds(text: str, precision: Precision, lower: date, upper: date) -> None:
    parsed = PartialDate(text)
    assert (parsed.precision, parsed.lower, parsed.upper, str(parsed)) == (precision, lower, upper, text)
    assert parsed.is_interval == ("/" in text)


@pytest.mark.parametrize(
    ("text", "kind", "words"),
    [
        ("2022-02-30", "invalid_date", "February 2022 has no day 30"),
        ("2023-02-29", "invalid_date", "has no day 29"),
        ("2017-13", "invalid_date", "month 13 does not exist"),
        ("17-05", "invalid_date", "not an EDTF level-0 date"),
        ("2017-5", "invalid_date", "not an EDTF level-0 date"),
        ("May 2017", "invalid_date", "not an EDTF level-0 date"),
        ("2024-09-13/2024-09-11", "end_before_start", "ends (2024-09-11) before it starts"),
        ("", "invalid_date", "not an EDTF"),
    ],
)
def test_invalid_dates_are_refused_with_a_reason(text: str, kind: str, words: str) -> None:
    with pytest.raises(PartialDateError) as caught:
        PartialDate(text)
    assert caught.value.kind == kind
    assert words in str(caught.value)


def test_partial_dates_compare_as_ranges() -> None:
    may, may20, june = PartialDate("2017-05"), PartialDate("2017-05-20"), PartialDate("2017-06")
    assert not may.before(may20) and not may.after(may20) and may.overlaps(may20)
    assert may.before(june) and june.after(may20)
    assert sorted([june, may20, may]) == [may, may20, june]


def test_equal_text_is_equal_and_immutable() -> None:
    assert PartialDate("2017-05") == PartialDate("2017-05")
    with pytest.raises(AttributeError):
        PartialDate("2017").text = "2018"  # type: ignore[misc]


IN_RANGE = st.dates(min_value=date(MIN_YEAR, 1, 1), max_value=date(MAX_YEAR, 12, 31))


@given(IN_RANGE, st.sampled_from([4, 7, 10]))
def test_any_real_day_parses_and_contains_itself(day: date, length: int) -> None:
    text = day.isoformat()[:length]
    parsed = PartialDate(text)
    assert parsed.lower <= day <= parsed.upper
    assert parsed.text == text


@given(st.dates(min_value=date(1000, 1, 1)), st.sampled_from([4, 7, 10]))
def test_a_day_outside_the_writable_years_is_refused_with_the_range(day: date, length: int) -> None:
    if MIN_YEAR <= day.year <= MAX_YEAR:
        return
    with pytest.raises(PartialDateError, match=f"outside {MIN_YEAR}-{MAX_YEAR}"):
        PartialDate(day.isoformat()[:length])


@pytest.mark.parametrize(
    "text",
    ["2017-05-01\n", "٢٠١٧", "2017-0５", "２０17", " 2017", "2017 ", "2017/", "0000", "1677-01-01", "2262-05-01"],
)
def test_only_ascii_digits_and_nothing_around_them(text: str) -> None:
    with pytest.raises(PartialDateError):
        PartialDate(text)


@given(IN_RANGE, IN_RANGE)
def test_an_interval_parses_exactly_when_ordered(a: date, b: date) -> None:
    text = f"{a.isoformat()}/{b.isoformat()}"
    if a <= b:
        assert PartialDate(text).days == (b - a).days + 1
    else:
        with pytest.raises(PartialDateError):
            PartialDate(text)
