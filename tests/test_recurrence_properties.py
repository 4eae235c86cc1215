"""Properties of the recurrence expansion behind `duties`, over arbitrary arrivals and periods."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from villagepolicy.questions._common import parse_period
from villagepolicy.questions.duties import DutySpec, occurrences

EVERY = ["week", "half_month", "month", "quarter", "half_year", "year"]
periods = st.builds(
    lambda y, k, n: parse_period(
        {"year": f"{y}", "half": f"{y}-H{n % 2 + 1}", "quarter": f"{y}-Q{n % 4 + 1}", "month": f"{y}-{n % 12 + 1:02d}"}[
            k
        ]
    ),
    st.integers(2017, 2026),
    st.sampled_from(["year", "half", "quarter", "month"]),
    st.integers(0, 11),
)
arrivals = st.dates(dt.date(2016, 1, 1), dt.date(2027, 12, 31))


@settings(max_examples=300, deadline=None)
@given(every=st.sampled_from(EVERY), since=arrivals, period=periods, by_day=st.one_of(st.none(), st.integers(1, 31)))
def test_windows_tile_the_period_after_arrival(every: str, since: dt.date, period, by_day: int | None) -> None:
    spec = DutySpec(id="d", what_zh="x", every=every, responsible=["self"], by_day=by_day if every == "month" else None)
    _, occ = occurrences(spec, since, period)
    for o in occ:
        assert o.window_start <= o.due <= o.window_end
        assert o.window_start <= period.end and o.window_end >= period.start  # overlaps the period
        assert o.window_end >= since  # nothing owed before arrival
        assert o.partial == (since > o.window_start)
    for a, b in zip(occ, occ[1:], strict=False):
        assert b.window_start == a.window_end + dt.timedelta(days=1)  # contiguous, no gap, no overlap
    if occ and since <= period.start:
        assert occ[0].window_start <= period.start and occ[-1].window_end >= period.end  # the whole period


@settings(max_examples=200, deadline=None)
@given(since=arrivals, months=st.integers(1, 24))
def test_within_months_due_date_is_the_corresponding_day_or_month_end(since: dt.date, months: int) -> None:
    spec = DutySpec(id="d", what_zh="x", within_months=months, responsible=["self"])
    due, _ = occurrences(spec, since, parse_period(str(since.year)))
    assert due is not None and due > since
    m = since.month - 1 + months
    assert (due.year, due.month) == (since.year + m // 12, m % 12 + 1)
    assert due.day == since.day or (due.day < since.day and (due + dt.timedelta(days=1)).day == 1)
