import datetime as dt

import pytest

from models import PartialDate, PartialDateError


@pytest.mark.parametrize(
    ("text", "value", "precision", "end"),
    [
        ("2022", dt.date(2022, 1, 1), "year", dt.date(2022, 12, 31)),
        ("2022-02", dt.date(2022, 2, 1), "month", dt.date(2022, 2, 28)),
        ("2024-02", dt.date(2024, 2, 1), "month", dt.date(2024, 2, 29)),
        ("2022-02-24", dt.date(2022, 2, 24), "day", dt.date(2022, 2, 24)),
    ],
)
def test_parse_gives_interval(text, value, precision, end):
    date = PartialDate.parse(text)
    assert (date.value, date.precision, date.start, date.end) == (value, precision, value, end)
    assert str(date) == text


@pytest.mark.parametrize("text", ["", "22", "2022-2", "2022-13", "2022-02-30", "24.2.2022", "2022-02-24T00:00"])
def test_parse_refuses_what_is_not_a_date(text):
    with pytest.raises(PartialDateError):
        PartialDate.parse(text)


def test_stored_value_must_be_first_day_of_its_interval():
    with pytest.raises(PartialDateError):
        PartialDate(dt.date(2022, 2, 24), "month")
    with pytest.raises(PartialDateError):
        PartialDate(dt.date(2022, 2, 1), "year")


def test_sorting_is_chronological_with_coarser_first_on_ties():
    dates = [PartialDate.parse(t) for t in ["2022-02-24", "2021", "2022", "2022-02", "2014-02-20"]]
    assert [str(d) for d in sorted(dates)] == ["2014-02-20", "2021", "2022", "2022-02", "2022-02-24"]


def test_overlap_is_only_possible_when_precision_is_coarse():
    year = PartialDate.parse("2022")
    day = PartialDate.parse("2022-02-22")
    assert year.possibly_overlaps(day)
    assert not year.certainly_before(day)
    assert PartialDate.parse("2021").certainly_before(day)
    assert not PartialDate.parse("2023").possibly_overlaps(day)
