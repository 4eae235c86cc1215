"""Days of attendance per person, month and kind: what the HTML report draws beside the stay decisions.

A decision judged per year says nothing about the months within it; the month-by-month picture is
drawn from the roster's own attendance, counted here (descriptive only: the decisions stay the judge).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .check import Context

# person id -> "YYYY-MM" -> attendance kind -> days
MonthlyAttendance = dict[str, dict[str, dict[str, int]]]


def monthly_attendance(ctx: Context, people: Iterable[str]) -> MonthlyAttendance:
    """Each person's days of each kind per month of the check period, from records or Parquet tallies."""
    out: MonthlyAttendance = {}
    lo, hi = ctx.period_from, ctx.as_of
    for pid in people:
        months: dict[str, dict[str, int]] = {}
        summary = ctx.columnar(pid)
        if summary is not None:
            for row in summary.counts(pid, lo, hi):
                kinds = months.setdefault(row["month"], {})
                kinds[row["kind"]] = kinds.get(row["kind"], 0) + row["days"]
        else:
            for day, kind, _ in ctx.records(pid):
                if lo <= day <= hi:
                    kinds = months.setdefault(f"{day.year:04d}-{day.month:02d}", {})
                    kinds[kind] = kinds.get(kind, 0) + 1
        out[pid] = dict(sorted(months.items()))
    return out
