"""Properties of Tongwei 27-28 grading and the 28 quota: monotone bands, engines agree, quotas never rewrite."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

import villagepolicy as vp

ON = "2019-12-31"
ORDER = ["incompetent", "basically_competent", "competent", "excellent"]
scores = st.decimals(min_value=0, max_value=100, places=2).map(float)


def grade_of(score: float, engine: str) -> str:
    d = vp.decide(
        "tongwei",
        "appraisal_grade",
        {"subject": "individual", "score": score, "months_stationed": 12},
        on=ON,
        engine=engine,
    )
    return d.grade


@settings(max_examples=150, deadline=None)
@given(a=scores, b=scores)
def test_tongwei_28_bands_are_monotone_and_engines_agree(a: float, b: float) -> None:
    lo, hi = sorted((a, b))
    g_lo, g_hi = grade_of(lo, "durable"), grade_of(hi, "durable")
    assert ORDER.index(g_lo) <= ORDER.index(g_hi)
    assert (g_lo, g_hi) == (grade_of(lo, "reference"), grade_of(hi, "reference"))


@settings(max_examples=100, deadline=None)
@given(points=st.lists(scores, min_size=1, max_size=4), annual=scores)
def test_tongwei_27_weighted_score_is_the_exact_weighted_average(points: list[float], annual: float) -> None:
    facts = {"subject": "individual", "quarterly_points": points, "annual_score": annual, "months_stationed": 12}
    d = vp.decide("tongwei", "appraisal_grade", facts, on=ON)
    exact = Decimal("0.4") * sum(Decimal(str(p)) for p in points) / len(points) + Decimal("0.6") * Decimal(str(annual))
    assert abs(Decimal(str(d.score)) - exact) < Decimal("0.000001")
    assert d.grade == grade_of(d.score, "reference")
    assert (d.score >= 90) == (exact >= 90)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([95.0, 93.0, 92.0, 90.0, 85.0, 70.0, 50.0]), min_size=1, max_size=25))
def test_tongwei_28_quota_flags_without_rewriting_and_keeps_ties_together(values: list[float]) -> None:
    people = [
        {"id": f"p{i}", "subject": "individual", "score": s, "months_stationed": 12} for i, s in enumerate(values)
    ]
    d = vp.decide("tongwei", "appraisal_roster", {"people": people}, on=ON, engine="reference")
    (q,) = d.summary.quotas
    assert len(q.within) <= q.allowed == int(len(values) * 2 // 10)
    assert q.used == sum(1 for s in values if s >= 90) == len(q.within) + len(q.over_quota)
    for e in d.people:
        assert e.grade == grade_of(e.score, "reference")  # never rewritten
    within = {e.score for e in d.people if e.id in q.within}
    over = {e.score for e in d.people if e.id in q.over_quota}
    assert not within & over  # a tie is never split
    assert all(w > o for w in within for o in over)
    assert d.outcome == ("quota_exceeded" if q.over_quota else "within_quota")
