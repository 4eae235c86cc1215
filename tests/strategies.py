"""Hypothesis strategies of valid facts, one per question: the registry the differential and property tests use.

`STRATEGIES[question](on)` is a strategy of facts dicts valid on the decision date `on` (dates of
birth, records and events are drawn relative to it). Numbers are drawn both at random and at the
constants the shipped packs compare them with (and their neighbours), where tiers meet.
`ORDER_FREE[question]` names the list fields whose order must not change a decision.
tests/test_differential.py fails when a shipped question has no strategy here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from typing import Any

from hypothesis import strategies as st

import villagepolicy as vp
from villagepolicy.conditions import tests_of

FactsStrategy = Callable[[dt.date], st.SearchStrategy[dict[str, Any]]]
STRATEGIES: dict[str, FactsStrategy] = {}
ORDER_FREE: dict[str, tuple[str, ...]] = {}

# The span of the shipped packs (2017–2021) with margins, inside the working-day calendar's years.
FIRST_DAY, LAST_DAY = dt.date(2016, 1, 1), dt.date(2026, 12, 31)
DECISION_DATES = st.dates(FIRST_DAY, LAST_DAY)
ROLES = st.sampled_from(sorted(vp.ROLES))


def strategy(question: str, order_free: tuple[str, ...] = ()) -> Callable[[FactsStrategy], FactsStrategy]:
    def register(fn: FactsStrategy) -> FactsStrategy:
        STRATEGIES[question] = fn
        if order_free:
            ORDER_FREE[question] = order_free
        return fn

    return register


@cache
def pack_constants(field: str) -> tuple[float, ...]:
    """Every number a shipped pack compares case field `field` with."""
    found: set[float] = set()
    for pack in vp.default_library().packs.values():
        for cr in pack.rules:
            for t in tests_of(cr.cond):
                if t.field != field or t.op == "exists":
                    continue
                for v in t.value if isinstance(t.value, tuple) else (t.value,):
                    if isinstance(v, int | float) and not isinstance(v, bool):
                        found.add(v)
    return tuple(sorted(found))


def boundary_ints(field: str, lo: int, hi: int) -> st.SearchStrategy[int]:
    """Integers in [lo, hi], half of them at a pack's constant for `field` or next to it."""
    edges = sorted({int(c) + d for c in pack_constants(field) for d in (-1, 0, 1) if lo <= int(c) + d <= hi})
    anywhere = st.integers(lo, hi)
    return st.one_of(st.sampled_from(edges), anywhere) if edges else anywhere


def boundary_floats(field: str, lo: float, hi: float, places: int = 2) -> st.SearchStrategy[float]:
    """Floats in [lo, hi] with at most `places` decimals, half of them at or next to a pack's constant."""
    step = 10**-places
    edges = sorted({round(c + d, places) for c in pack_constants(field) for d in (-step, 0, step) if lo <= c + d <= hi})
    anywhere = st.integers(round(lo / step), round(hi / step)).map(lambda n: round(n * step, places))
    return st.one_of(st.sampled_from(edges), anywhere) if edges else anywhere


@st.composite
def decision_cases(draw: st.DrawFn) -> tuple[str, str, dict[str, Any], dt.date, str]:
    """(jurisdiction, question, facts, on, engine) over every shipped jurisdiction and question it answers."""
    pairs = [(j, q) for j in vp.jurisdictions() for q in vp.jurisdiction(j).questions()]
    jid, question = draw(st.sampled_from(pairs))
    on = draw(DECISION_DATES)
    return jid, question, draw(STRATEGIES[question](on)), on, draw(st.sampled_from(["durable", "reference"]))


def dates_before(on: dt.date, max_years: int) -> st.SearchStrategy[dt.date]:
    return st.dates(max(dt.date(1950, 1, 1), on - dt.timedelta(days=366 * max_years)), on)


# ── leave_approval (issue 2) ──


@strategy("leave_approval")
def leave_approval(on: dt.date) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"role": ROLES, "days": boundary_ints("days", 1, 3660)})
