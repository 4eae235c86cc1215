"""China's working-day calendar: 调休 weekends, holidays, the covered range, and agreement with chinese-calendar."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from villagepolicy.calendar import (
    CalendarError,
    add_working_days,
    covered_years,
    is_working_day,
    working_days_between,
    working_days_in_year,
)

D = dt.date
LO, HI = covered_years()
covered_dates = st.dates(min_value=D(LO, 1, 1), max_value=D(HI, 12, 31))


def test_national_day_2024_plus_7_working_days_is_12_october() -> None:
    # 09-29 (Sunday) and 10-12 (Saturday) are 调休 working days; 10-01..10-07 is the holiday.
    assert add_working_days(D(2024, 9, 27), 7) == D(2024, 10, 12)


@pytest.mark.parametrize("day", [D(2024, 9, 29), D(2024, 10, 12)])
def test_2024_tiaoxiu_weekends_are_working_days(day: dt.date) -> None:
    assert day.weekday() >= 5
    assert is_working_day(day)


@pytest.mark.parametrize("day", [D(2024, 10, 1), D(2024, 10, 7), D(2024, 9, 28), D(2020, 2, 1)])
def test_holidays_and_ordinary_weekends_are_not_working_days(day: dt.date) -> None:
    assert not is_working_day(day)


def test_the_start_day_itself_never_counts() -> None:
    # Friday 2024-09-27 is a working day but the first working day *after* it is the 调休 Sunday.
    assert add_working_days(D(2024, 9, 27), 1) == D(2024, 9, 29)
    assert add_working_days(D(2024, 10, 1), 1) == D(2024, 10, 8)


def test_add_working_days_crosses_new_year() -> None:
    # 2022-12-30 is a Friday; 2023-01-02 is the New Year holiday (in lieu), 01-03 the first working day.
    assert add_working_days(D(2022, 12, 30), 1) == D(2023, 1, 3)
    assert add_working_days(D(2022, 12, 30), 249 + 1) == add_working_days(D(2023, 12, 31), 1)


def test_escalation_deadline_of_7_working_days_over_spring_festival_2024() -> None:
    # 2024 Spring Festival: 02-10..02-17 off; 02-04 (Sunday) and 02-18 (Sunday) are 调休 working days.
    assert add_working_days(D(2024, 2, 8), 7) == D(2024, 2, 23)


@pytest.mark.parametrize(
    ("year", "count"),
    [(2017, 249), (2018, 250), (2019, 250), (2020, 249), (2021, 250), (2022, 249), (2024, 251), (2026, 248)],
)
def test_working_days_per_year_match_the_official_calendar(year: int, count: int) -> None:
    assert working_days_between(D(year, 1, 1), D(year, 12, 31)) == count
    assert len(working_days_in_year(year)) == count


def test_working_days_between_is_closed_and_empty_when_reversed() -> None:
    assert working_days_between(D(2024, 9, 29), D(2024, 9, 29)) == 1
    assert working_days_between(D(2024, 10, 1), D(2024, 10, 7)) == 0
    assert working_days_between(D(2024, 10, 8), D(2024, 10, 1)) == 0
    assert working_days_between(D(2024, 9, 27), D(2024, 10, 12)) == 8


@pytest.mark.parametrize(
    "call",
    [
        lambda: is_working_day(D(HI + 1, 1, 4)),
        lambda: is_working_day(D(LO - 1, 6, 1)),
        lambda: working_days_between(D(HI, 12, 1), D(HI + 1, 1, 31)),
        lambda: add_working_days(D(HI, 12, 28), 7),
        lambda: working_days_in_year(HI + 1),
    ],
)
def test_years_outside_the_data_raise_naming_the_covered_range(call) -> None:  # noqa: ANN001
    with pytest.raises(CalendarError) as e:
        call()
    assert f"{LO}–{HI}" in str(e.value)
    assert isinstance(e.value, ValueError)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        add_working_days(D(2024, 1, 1), 0)
    with pytest.raises(ValueError):
        add_working_days(D(2024, 1, 1), True)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        is_working_day("2024-01-01")  # type: ignore[arg-type]


def test_datetimes_are_taken_as_their_date() -> None:
    assert add_working_days(dt.datetime(2024, 9, 27, 18, 30), 7) == D(2024, 10, 12)


@settings(max_examples=300, deadline=None)
@given(covered_dates)
def test_is_working_day_agrees_with_chinese_calendar(day: dt.date) -> None:
    assert is_working_day(day) == chinese_calendar.is_workday(day)


@settings(max_examples=200, deadline=None)
@given(covered_dates, st.integers(min_value=0, max_value=120))
def test_working_days_between_counts_day_by_day(a: dt.date, span: int) -> None:
    b = a + dt.timedelta(days=span)
    if b.year > HI:
        return
    expected = sum(chinese_calendar.is_workday(a + dt.timedelta(days=i)) for i in range(span + 1))
    assert working_days_between(a, b) == expected


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=D(LO, 1, 1), max_value=D(HI, 9, 30)), st.integers(min_value=1, max_value=40))
def test_add_working_days_is_the_nth_working_day_after(day: dt.date, n: int) -> None:
    got = add_working_days(day, n)
    assert is_working_day(got)
    assert working_days_between(day + dt.timedelta(days=1), got) == n


def test_agrees_with_the_holidays_package_2017_to_2026() -> None:
    # An independent transcription of the same State Council notices. Not a dependency (it pins
    # python-dateutil < 3); this runs wherever `holidays` is installed.
    holidays = pytest.importorskip("holidays")
    first, last = max(LO, 2017), min(HI, 2026)
    cn = holidays.China(years=range(first, last + 1))
    day, disagree = D(first, 1, 1), []
    while day <= D(last, 12, 31):
        if is_working_day(day) != cn.is_working_day(day):
            disagree.append(day)
        day += dt.timedelta(days=1)
    assert disagree == []
