"""China's official working-day calendar (holidays and 调休 working weekends), from chinese-calendar.

Years the data does not cover raise CalendarError naming the covered range: a policy deadline is
never guessed. Each year is read from chinese-calendar once and kept as a sorted list of working
days with running counts, so a lookup, a count over any range and an n-th working day are
constant or logarithmic time (a year of attendance for 100,000 people is counted without
touching the underlying library again).
"""

from __future__ import annotations

import datetime as dt
import threading
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar

from .errors import VillagePolicyError

__all__ = [
    "CalendarError",
    "add_working_days",
    "covered_years",
    "is_working_day",
    "working_days_between",
    "working_days_in_year",
]


class CalendarError(VillagePolicyError, ValueError):
    """A date outside the years the official calendar data covers."""


@lru_cache(maxsize=1)
def covered_years() -> tuple[int, int]:
    """First and last year for which the official holiday and 调休 data is known."""
    years = [d.year for d in chinese_calendar.holidays] + [d.year for d in chinese_calendar.workdays]
    return min(years), max(years)


@dataclass(frozen=True)
class _Year:
    year: int
    base: int  # ordinal of 1 January
    flags: bytes  # flags[i] == 1 when day i of the year (0 = 1 January) is a working day
    ordinals: tuple[int, ...]  # the working days of the year as date ordinals, ascending
    before: tuple[int, ...]  # before[i]: working days strictly before day i of the year

    @property
    def count(self) -> int:
        return len(self.ordinals)


_years: dict[int, _Year] = {}
_years_lock = threading.Lock()


def _out_of_range(what: str) -> CalendarError:
    lo, hi = covered_years()
    return CalendarError(
        f"工作日历只覆盖 {lo}–{hi} 年 the working-day calendar covers {lo}–{hi} only; "
        f"{what} is outside it (a newer chinese-calendar release adds the next year)"
    )


def _year(year: int, what: str | None = None) -> _Year:
    y = _years.get(year)
    if y is not None:
        return y
    lo, hi = covered_years()
    if not lo <= year <= hi:
        raise _out_of_range(what or str(year))
    with _years_lock:
        y = _years.get(year)
        if y is None:
            first = dt.date(year, 1, 1)
            n = (dt.date(year + 1, 1, 1) - first).days
            flags = bytes(int(chinese_calendar.is_workday(first + dt.timedelta(days=i))) for i in range(n))
            before = [0] * (n + 1)
            for i, f in enumerate(flags):
                before[i + 1] = before[i] + f
            base = first.toordinal()
            ordinals = tuple(base + i for i, f in enumerate(flags) if f)
            y = _years[year] = _Year(year, base, flags, ordinals, tuple(before))
    return y


def _as_date(day: dt.date, name: str = "day") -> dt.date:
    if isinstance(day, dt.datetime):
        return day.date()
    if not isinstance(day, dt.date):
        raise TypeError(f"{name} must be a datetime.date, not {type(day).__name__}")
    return day


def is_working_day(day: dt.date) -> bool:
    """True on official working days: weekdays that are not holidays, and 调休 weekends."""
    y = _years.get(day.year) if type(day) is dt.date else None  # the fast path: a plain date of a loaded year
    if y is None:
        day = _as_date(day)
        y = _year(day.year, day.isoformat())
    return y.flags[day.toordinal() - y.base] == 1


def working_days_in_year(year: int) -> frozenset[dt.date]:
    """Every official working day of `year` (CalendarError outside the covered years)."""
    return frozenset(dt.date.fromordinal(o) for o in _year(year).ordinals)


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The n-th working day after `day` (n >= 1); `day` itself does not count, working day or not.

    2024-09-27 + 7 = 2024-10-12: the National Day holiday is skipped and the 调休 Sundays/Saturdays
    2024-09-29 and 2024-10-12 count.
    """
    day = _as_date(day)
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be an integer >= 1, not {n!r}")
    y = _year(day.year, day.isoformat())
    asked = f"{day.isoformat()} + {n} working days"
    idx = bisect_right(y.ordinals, day.toordinal())  # the first working day of this year after `day`
    left = n
    while idx + left > y.count:
        left -= y.count - idx
        y = _year(y.year + 1, f"{asked} (it runs into {y.year + 1})")
        idx = 0
    return dt.date.fromordinal(y.ordinals[idx + left - 1])


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working days in the closed range [a, b] (0 when b < a)."""
    a, b = _as_date(a, "a"), _as_date(b, "b")
    if b < a:
        return 0
    total = 0
    for year in range(a.year, b.year + 1):
        y = _year(year, f"{a.isoformat()}..{b.isoformat()} ({year})")
        start = a.timetuple().tm_yday - 1 if year == a.year else 0
        end = b.timetuple().tm_yday if year == b.year else len(y.flags)
        total += y.before[end] - y.before[start]
    return total
