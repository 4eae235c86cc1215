"""China's official working-day calendar (holidays and 调休 working weekends) as data, one schedule a year.

The years come from YAML files (villagepolicy/calendars/, generated once from chinese-calendar, plus a
county folder's own calendars/, see calendar_files.py); this module only does the arithmetic. A year
with no schedule raises CalendarMissing naming the year and the command that adds it: a policy
deadline is never guessed.

Which calendar applies is a context: `using(calendar)` makes one library's calendar (the shipped years
and its folder's own) the one every working-day question in that thread or task reads, and records
which years were read, so a decision can say which years it used and where they came from. Outside
any `using`, the shipped calendar applies.

Each year is built once into a sorted list of working days with running counts, so a lookup, a count
over any range and an n-th working day are constant or logarithmic time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from .errors import VillagePolicyError

__all__ = [
    "CalendarError",
    "CalendarMissing",
    "WorkCalendar",
    "YearSchedule",
    "YearSource",
    "add_working_days",
    "covered_years",
    "spans",
    "current",
    "is_working_day",
    "using",
    "working_days_between",
    "working_days_in_year",
]

IMPORT_COMMAND = "villagepolicy calendar import 通知.txt --packs 县文件夹"
IMPORT_COMMAND_EN = "villagepolicy calendar import NOTICE.txt --packs COUNTY_FOLDER"


class CalendarError(VillagePolicyError, ValueError):
    """A working-day question the calendar data cannot answer."""


class CalendarMissing(CalendarError):
    """No official schedule for a year that a question needs; `year` names it, `question` what needed it."""

    def __init__(self, year: int, what: str, covered: list[int], question: str | None = None) -> None:
        self.year, self.what, self.covered, self.question = year, what, covered, question
        super().__init__(self._text())

    def _text(self) -> str:
        q = f"{self.question} " if self.question else ""
        span = spans(self.covered)
        return (
            f"缺少 {self.year} 年的工作日历：{q}计算 {self.what} 时需要该年的法定节假日和调休安排，"
            f"工作日历只覆盖 {span} 年。"
            f"国务院办公厅发布 {self.year} 年部分节假日安排的通知后，用 `{IMPORT_COMMAND}` 加入。"
            f" no working-day calendar for {self.year}: {q or 'the question '}needs {self.what}; the calendar "
            f"covers {span} only. Once the State Council's notice for {self.year} is out, add it with "
            f"`{IMPORT_COMMAND_EN}`"
        )

    def for_question(self, question: str) -> CalendarMissing:
        """The same error, naming the question that needed the year."""
        if self.question is None:
            self.question = question
            self.args = (self._text(),)
        return self

    def to_dict(self) -> dict[str, object]:
        return {"year": self.year, "question": self.question, "needed_for": self.what, "covered": self.covered}


def spans(years: list[int]) -> str:
    """Years as runs for a reader: [2004, …, 2026, 2028] -> '2004–2026, 2028'."""
    out: list[str] = []
    for y in sorted(years):
        if out and out[-1].split("–")[-1] == str(y - 1):
            out[-1] = f"{out[-1].split('–')[0]}–{y}"
        else:
            out.append(str(y))
    return ", ".join(out) or "无 none"


@dataclass(frozen=True)
class YearSource:
    """Where a year's schedule comes from: the shipped data, or a county folder's file (which may override)."""

    year: int
    origin: str  # "shipped" | "county"
    file: str
    notice: str = ""  # the notice's title and number, as the file records them
    overrides_shipped: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "year": self.year,
            "origin": self.origin,
            "file": self.file,
            "notice": self.notice,
            "overrides_shipped": self.overrides_shipped,
        }

    def describe(self, zh: bool = True) -> str:
        if self.origin == "shipped":
            return f"{self.year}: 随附数据 shipped" if zh else f"{self.year}: shipped"
        what = "覆盖随附数据 overrides the shipped year" if self.overrides_shipped else "县里加入 added by the county"
        return f"{self.year}: {what} ({self.file})"


@dataclass(frozen=True)
class YearSchedule:
    """What one official notice fixes: days off (weekends inside a holiday period included) and 调休 working
    weekends. Dates may fall in the year before (元旦 from 30 December); each applies to its own year."""

    year: int
    holidays: frozenset[dt.date]
    working_weekends: frozenset[dt.date]
    source: YearSource
    names: Mapping[dt.date, str] = field(default_factory=dict)  # holiday name of each day off


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


class WorkCalendar:
    """The working days of the years a set of schedules covers; schedules are read lazily, once."""

    def __init__(self, schedules: Mapping[int, Callable[[], YearSchedule]]) -> None:
        self._load = dict(schedules)
        self._schedules: dict[int, YearSchedule] = {}
        self._years: dict[int, _Year] = {}
        self._lock = threading.Lock()

    def years(self) -> list[int]:
        return sorted(self._load)

    def covers(self, year: int) -> bool:
        return year in self._load

    def schedule(self, year: int) -> YearSchedule:
        s = self._schedules.get(year)
        if s is None:
            if year not in self._load:
                raise CalendarMissing(year, str(year), self.years())
            s = self._schedules[year] = self._load[year]()
        return s

    def source(self, year: int) -> YearSource:
        return self.schedule(year).source

    def _year(self, year: int, what: str | None = None) -> _Year:
        y = self._years.get(year)
        if y is not None:
            return y
        if year not in self._load:
            raise CalendarMissing(year, what or str(year), self.years())
        with self._lock:
            y = self._years.get(year)
            if y is None:
                y = self._years[year] = self._build(year)
        return y

    def _build(self, year: int) -> _Year:
        off: set[dt.date] = set()
        on: set[dt.date] = set()
        # A notice may fix days of the year before (元旦 from 30 December): each date counts in its own year.
        for y in (year - 1, year, year + 1):
            if y in self._load:
                s = self.schedule(y)
                off.update(d for d in s.holidays if d.year == year)
                on.update(d for d in s.working_weekends if d.year == year)
        first = dt.date(year, 1, 1)
        n = (dt.date(year + 1, 1, 1) - first).days
        days = [first + dt.timedelta(days=i) for i in range(n)]
        flags = bytes(int(d in on or (d.weekday() < 5 and d not in off)) for d in days)
        before = [0] * (n + 1)
        for i, f in enumerate(flags):
            before[i + 1] = before[i] + f
        base = first.toordinal()
        ordinals = tuple(base + i for i, f in enumerate(flags) if f)
        return _Year(year, base, flags, ordinals, tuple(before))


_SHIPPED: WorkCalendar | None = None
# Set by calendar_files (imported with the package) so that this module, below it, imports nothing above.
_shipped_factory: Callable[[], WorkCalendar] | None = None


def provide_shipped(factory: Callable[[], WorkCalendar]) -> None:
    """Register how the shipped calendar is read (calendar_files does, when the package is imported)."""
    global _shipped_factory
    _shipped_factory = factory


def _shipped() -> WorkCalendar:
    global _SHIPPED
    if _SHIPPED is None:
        if _shipped_factory is None:
            raise CalendarError("工作日历数据未加载 the calendar data was not loaded: import villagepolicy first")
        _SHIPPED = _shipped_factory()
    return _SHIPPED


class _State(threading.local):
    """The calendar in use in this thread, and the years read since the innermost `using` (None outside one).

    Thread-local rather than a ContextVar: a decision is synchronous, and setting a ContextVar costs a
    new context each time, measurably slowing the fastest decisions (docs/performance.md)."""

    calendar: WorkCalendar | None = None
    used: set[int] | None = None


_state = _State()

_Token = tuple[tuple["WorkCalendar | None", "set[int] | None"], set[int]]


def current() -> WorkCalendar:
    """The calendar working-day questions read here: the one `using` set, else the shipped one."""
    return _state.calendar or _SHIPPED or _shipped()


def enter(calendar: WorkCalendar | None) -> _Token:
    """Make `calendar` current (None: keep the current one) and start recording the years read; pair with leave()."""
    s = _state
    prev = (s.calendar, s.used)
    if calendar is not None:
        s.calendar = calendar
    s.used = used = set()
    return prev, used


def leave(token: _Token) -> set[int]:
    """Undo enter(); the years read meanwhile count for an enclosing decision too (a consulted question)."""
    (calendar, outer), used = token
    s = _state
    s.calendar, s.used = calendar, outer
    if outer is not None:
        outer.update(used)
    return used


@contextlib.contextmanager
def using(calendar: WorkCalendar | None) -> Iterator[set[int]]:
    """Make `calendar` the current one (None: keep the current one) and collect the years read meanwhile."""
    token = enter(calendar)
    try:
        yield token[1]
    finally:
        leave(token)


def note_years(years: Iterable[int]) -> None:
    """Count `years` as read in the innermost `using` (a remembered decision's years, read when first decided)."""
    used = _state.used
    if used is not None:
        used.update(years)


def years_used() -> set[int] | None:
    """The years read so far inside the innermost `using` (None outside one)."""
    return _state.used


def _year(year: int, what: str | None = None) -> _Year:
    used = _state.used
    if used is not None:
        used.add(year)
    return current()._year(year, what)


def covered_years() -> tuple[int, int]:
    """First and last year the current calendar has a schedule for (there may be gaps: see WorkCalendar.years)."""
    ys = current().years()
    return ys[0], ys[-1]


def _as_date(day: dt.date, name: str = "day") -> dt.date:
    if isinstance(day, dt.datetime):
        return day.date()
    if not isinstance(day, dt.date):
        raise TypeError(f"{name} must be a datetime.date, not {type(day).__name__}")
    return day


def is_working_day(day: dt.date) -> bool:
    """True on official working days: weekdays that are not holidays, and 调休 weekends."""
    if type(day) is dt.date:  # the fast path: a plain date of a year already built
        y = (_state.calendar or _SHIPPED or _shipped())._years.get(day.year)
        if y is not None:
            used = _state.used
            if used is not None:
                used.add(day.year)
            return y.flags[day.toordinal() - y.base] == 1
    day = _as_date(day)
    y = _year(day.year, day.isoformat())
    return y.flags[day.toordinal() - y.base] == 1


def working_days_in_year(year: int) -> frozenset[dt.date]:
    """Every official working day of `year` (CalendarMissing when the calendar has no schedule for it)."""
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
