"""China's official working-day calendar (holidays and 调休 working weekends), from chinese-calendar.

Years the data does not cover raise CalendarError naming the covered range: a policy deadline is
never guessed.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar

from .errors import VillagePolicyError


class CalendarError(VillagePolicyError, ValueError):
    pass


def covered_years() -> tuple[int, int]:
    years = [d.year for d in chinese_calendar.holidays] + [d.year for d in chinese_calendar.workdays]
    return min(years), max(years)


def _check(day: dt.date) -> None:
    lo, hi = _range()
    if not lo <= day.year <= hi:
        raise CalendarError(
            f"工作日历只覆盖 {lo}–{hi} 年 the working-day calendar covers {lo}–{hi} only; "
            f"{day.isoformat()} is outside it (update chinese-calendar)"
        )


@lru_cache(maxsize=1)
def _range() -> tuple[int, int]:
    return covered_years()


@lru_cache(maxsize=8192)
def is_working_day(day: dt.date) -> bool:
    _check(day)
    return bool(chinese_calendar.is_workday(day))


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The n-th working day after `day` (n >= 1); `day` itself does not count."""
    if n < 1:
        raise ValueError("n must be >= 1")
    d = day
    while n:
        d += dt.timedelta(days=1)
        if is_working_day(d):
            n -= 1
    return d


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working days in the closed range [a, b] (0 when b < a)."""
    count = 0
    d = a
    while d <= b:
        count += is_working_day(d)
        d += dt.timedelta(days=1)
    return count
