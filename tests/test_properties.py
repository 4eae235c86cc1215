"""Properties that hold for every jurisdiction: monotone tiers, order-free lists, JSON round trips.

The orders compared (authority levels, outcome severity) are data in villagepolicy/ranks.yaml, shared
with the library, not defined here.
"""

from __future__ import annotations

import datetime as dt
import json
import typing
from typing import Any

import pytest
from hypothesis import given, note
from hypothesis import strategies as st
from strategies import DECISION_DATES, NORMALISE, ORDER_FREE, ROLES, STRATEGIES, boundary_ints

import villagepolicy as vp
from villagepolicy import ranks

PAIRS = [(j, q) for j in vp.jurisdictions() for q in vp.jurisdiction(j).questions()]


def shown(facts: Any) -> str:
    return json.dumps(facts, ensure_ascii=False, default=str, sort_keys=True)


def test_ranks_name_known_authorities_and_outcomes() -> None:
    listed = [a for level in ranks._data()["authority_levels"] for a in level]
    assert len(listed) == len(set(listed)) and set(listed) <= set(vp.AUTHORITIES)
    for question in ranks._data()["outcome_order"]:
        q = vp.QUESTIONS[question]
        allowed = set(typing.get_args(q.effect_model.model_fields["outcome"].annotation))
        assert set(ranks.outcome_order(question)) <= allowed, question


def leave_key(d: vp.Decision) -> tuple[int, int] | None:
    """(severity of the outcome, level of the highest approver), or None for an unordered outcome."""
    rank = ranks.outcome_rank("leave_approval", d.outcome)
    if rank is None:
        return None
    level = ranks.approval_level(d.approvers)
    return rank, -1 if level is None else level


# Jurisdictions with a pack that sets leave tiers (the others answer not_covered throughout).
LEAVE_TIERED = [
    j for j in vp.jurisdictions() if any(p.by_question.get("leave_approval") for p in vp.jurisdiction(j).packs())
]


def test_leave_tiers_exist_somewhere() -> None:
    assert LEAVE_TIERED


@pytest.mark.parametrize("jid", LEAVE_TIERED)
@given(
    on=DECISION_DATES,
    role=ROLES,
    days=st.lists(boundary_ints("days", 1, 3660), min_size=2, max_size=2, unique=True).map(sorted),
)
def test_more_leave_days_never_lower_the_approving_authority(jid: str, on: dt.date, role: str, days: list[int]) -> None:
    fewer, more = (vp.decide(jid, "leave_approval", {"role": role, "days": n}, on) for n in days)
    a, b = leave_key(fewer), leave_key(more)
    if a is None or b is None:
        return  # not_covered (a role or a date the packs do not cover) is not ordered
    assert b >= a, (
        f"{jid} on {on}, {role}: {days[0]} days -> {fewer.outcome} {fewer.approvers}, "
        f"{days[1]} days -> {more.outcome} {more.approvers}"
    )


def test_leave_monotonicity_can_fail() -> None:
    # The key the property compares orders a county body above a township one, and recall above approval.
    lo = vp.Decision(jurisdiction="x", question="leave_approval", outcome="approve", on=dt.date(2022, 1, 1))
    hi = lo.model_copy(update={"approvers": ["county_org_dept"]})
    mid = lo.model_copy(update={"approvers": ["town_party_committee"]})
    recall = lo.model_copy(update={"outcome": "recall"})
    assert leave_key(lo) < leave_key(mid) < leave_key(hi) < leave_key(recall)


@pytest.mark.parametrize(("jid", "question"), PAIRS)
@given(data=st.data())
def test_decisions_round_trip_through_json(jid: str, question: str, data: st.DataObject) -> None:
    on = data.draw(DECISION_DATES, label="on")
    facts = data.draw(STRATEGIES[question](jid, on), label="facts")
    d = vp.decide(jid, question, facts, on)
    as_dict = d.to_dict()
    text = json.dumps(as_dict, ensure_ascii=False, allow_nan=False)
    assert json.loads(text) == as_dict, shown(facts)
    again = type(d).model_validate(json.loads(text))
    assert again.to_dict() == as_dict, shown(facts)


ORDER_PAIRS = [(j, q) for j, q in PAIRS if q in ORDER_FREE]


@pytest.mark.skipif(not ORDER_PAIRS, reason="no shipped question takes lists yet")
@pytest.mark.parametrize(("jid", "question"), ORDER_PAIRS or [("", "")])
@given(data=st.data())
def test_results_do_not_depend_on_the_order_of_records(jid: str, question: str, data: st.DataObject) -> None:
    on = data.draw(DECISION_DATES, label="on")
    facts = data.draw(STRATEGIES[question](jid, on), label="facts")
    shuffled = dict(facts)
    for name in ORDER_FREE[question]:
        if isinstance(facts.get(name), list):
            shuffled[name] = data.draw(st.permutations(facts[name]), label=f"{name} reordered")
    note(f"{jid} {question} on={on}\nfacts={shown(facts)}\nreordered={shown(shuffled)}")
    canonical = NORMALISE.get(question, lambda d: d)
    a = canonical(vp.decide(jid, question, facts, on).to_dict())
    b = canonical(vp.decide(jid, question, shuffled, on).to_dict())
    assert a == b


def test_every_list_field_of_a_question_is_declared_order_free_or_ordered() -> None:
    # A list in the facts either must not matter in order (ORDER_FREE) or is listed here with why.
    ordered_on_purpose: dict[str, set[str]] = {}
    for name, q in vp.QUESTIONS.items():
        lists = {
            f
            for f, info in q.facts_model.model_fields.items()
            if "list" in str(info.annotation).lower() and "literal" not in str(info.annotation).lower()
        }
        undeclared = lists - set(ORDER_FREE.get(name, ())) - ordered_on_purpose.get(name, set())
        assert not undeclared, f"{name}: list fields {sorted(undeclared)} need an order-independence strategy"
