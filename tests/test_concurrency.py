"""No engine state leaks between calls, and threads get the same answers as one thread."""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor

import villagepolicy as vp

CASES = [
    (j, role, days)
    for j in ("shiquan", "tongwei")
    for role in ("first_secretary", "team_leader", "team_member", "party_building_instructor")
    for days in (1, 3, 4, 5, 6, 10, 11, 15, 16, 30, 31, 60)
]


def answer(case: tuple[str, str, int]) -> tuple:
    j, role, days = case
    d = vp.decide(j, "leave_approval", {"role": role, "days": days}, on="2022-03-01")
    return d.outcome, tuple(d.approvers), tuple(d.filed_with), tuple(d.trace)


def test_results_do_not_depend_on_call_order() -> None:
    forward = [answer(c) for c in CASES]
    backward = [answer(c) for c in reversed(CASES)][::-1]
    assert forward == backward


def test_same_answers_from_8_threads() -> None:
    expected = [answer(c) for c in CASES]
    work = list(itertools.chain.from_iterable(itertools.repeat(CASES, 20)))
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(answer, work))
    assert got == expected * 20


def test_engines_agree_on_every_leave_case() -> None:
    for j, role, days in CASES:
        facts = {"role": role, "days": days}
        a = vp.decide(j, "leave_approval", facts, on="2022-03-01", engine="durable")
        b = vp.decide(j, "leave_approval", facts, on="2022-03-01", engine="reference")
        assert a == b, (j, facts)
