"""Reporting periods: the four forms, the period before, the same period a year earlier."""

from __future__ import annotations

import datetime as dt

import pytest

from tuopin.core import periods
from tuopin.core.periods import Period


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2018-06", dt.date(2018, 6, 1), dt.date(2018, 7, 1)),
        ("2018-12", dt.date(2018, 12, 1), dt.date(2019, 1, 1)),
        ("2018Q2", dt.date(2018, 4, 1), dt.date(2018, 7, 1)),
        ("2018q4", dt.date(2018, 10, 1), dt.date(2019, 1, 1)),
        ("2018H1", dt.date(2018, 1, 1), dt.date(2018, 7, 1)),
        ("2018H2", dt.date(2018, 7, 1), dt.date(2019, 1, 1)),
        ("2018", dt.date(2018, 1, 1), dt.date(2019, 1, 1)),
    ],
)
def test_it_parses_each_form_into_a_half_open_span(text: str, start: dt.date, end: dt.date) -> None:
    p = periods.parse(text)
    assert (p.start, p.end) == (start, end)


@pytest.mark.parametrize("text", ["", "2018-13", "2018Q5", "2018H3", "18-06", "1999", "2018-6-1"])
def test_it_refuses_what_is_not_a_period(text: str) -> None:
    with pytest.raises(periods.PeriodError):
        periods.parse(text)


def test_the_period_before_crosses_the_year() -> None:
    assert periods.parse("2018-01").previous.code == "2017-12"
    assert periods.parse("2018Q1").previous.code == "2017Q4"
    assert periods.parse("2018H1").previous.code == "2017H2"
    assert periods.parse("2018").previous.code == "2017"


def test_the_same_period_a_year_earlier() -> None:
    assert periods.parse("2018H1").year_before == Period(periods.HALF, 2017, 1)
    assert periods.parse("2018-06").year_before.code == "2017-06"


def test_a_trail_ends_with_the_period_oldest_first() -> None:
    trail = periods.parse("2018-02").trail(4)
    assert [p.code for p in trail] == ["2017-11", "2017-12", "2018-01", "2018-02"]


def test_the_period_holding_a_day() -> None:
    day = dt.date(2018, 8, 31)
    assert periods.containing(day, periods.QUARTER).code == "2018Q3"
    assert periods.containing(day, periods.HALF).code == "2018H2"
    assert periods.containing(day, periods.MONTH).month_starts() == [dt.date(2018, 8, 1)]
    assert len(periods.containing(day, periods.YEAR).month_starts()) == 12
