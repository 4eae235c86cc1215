"""Properties that hold for every jurisdiction: monotone tiers, order-free lists, JSON round trips.

The orders compared (authority levels, outcome severity) are data in villagepolicy/ranks.yaml, shared
with the library, not defined here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import typing
from typing import Any

import pytest
from hypothesis import assume, given, note
from hypothesis import strategies as st
from strategies import (
    DECISION_DATES,
    NORMALISE,
    ORDER_FREE,
    PAIRS,
    ROLES,
    STRATEGIES,
    boundary_floats,
    boundary_ints,
    shown,
)

import villagepolicy as vp
from villagepolicy import ranks
from villagepolicy.calendar import CalendarError
from villagepolicy.conditions import tests_of as condition_tests


def decided(jid: str, question: str, facts: dict[str, Any], on: dt.date) -> vp.Decision:
    """The decision. Facts the question refuses (a fact a rule needs is missing) and dates past the working-day
    calendar's last year are not examples."""
    try:
        return vp.decide(jid, question, facts, on)
    except (vp.FactError, CalendarError):
        assume(False)
        raise


def literals(ann: Any) -> list[Any]:
    if typing.get_origin(ann) is typing.Literal:
        return list(typing.get_args(ann))
    return [v for a in typing.get_args(ann) for v in literals(a)]


def test_ranks_name_known_authorities_and_outcomes() -> None:
    listed = [a for level in ranks._data()["authority_levels"] for a in level]
    assert len(listed) == len(set(listed)) and set(listed) <= set(vp.AUTHORITIES)
    for question in ranks._data()["outcome_order"]:
        q = vp.QUESTIONS[question]
        allowed = set(literals(q.effect_model.model_fields["outcome"].annotation))
        assert set(ranks.outcome_order(question)) <= allowed, question


def leave_key(d: vp.Decision) -> tuple[int, int] | None:
    """(severity of the outcome, level of the highest approver), or None for an unordered outcome."""
    rank = ranks.outcome_rank("leave_approval", d.outcome)
    if rank is None:
        return None
    one_of = getattr(d, "approver_one_of", [])
    if [a for a in d.approvers + one_of if ranks.authority_level(a) is None and a != "dispatching_unit"]:
        return None  # a county's own body (县委主要领导) has no level in ranks.yaml: not ordered
    level = ranks.approval_level(d.approvers)
    lowest_of = min((lv for a in one_of if (lv := ranks.authority_level(a)) is not None), default=None)
    levels = [lv for lv in (level, lowest_of) if lv is not None]  # any one of approver_one_of may approve
    return rank, max(levels) if levels else -1


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
    d = decided(jid, question, facts, on)
    as_dict = d.to_dict()
    text = json.dumps(as_dict, ensure_ascii=False, allow_nan=False)
    assert json.loads(text) == as_dict, shown(facts)
    again = type(d).model_validate(json.loads(text))
    assert again.to_dict() == as_dict, shown(facts)


ORDER_PAIRS = [(j, q) for j, q in PAIRS if q in ORDER_FREE]


def unshuffled(value: Any, name: str, items: list[Any], back: list[int]) -> Any:
    """A decision of reordered facts with every reference to an item of list `name` replaced by the item
    itself (identical items are interchangeable): an `index` key, a list of indices, and `name.N`,
    `name N, M` or the singular `record N` in a message."""
    singular = name[:-1] if name.endswith("s") else name
    pattern = re.compile(rf"\b({re.escape(name)}|{re.escape(singular)})([. ])(\d+(?:, \d+)*)\b")

    def item(i: int) -> str:
        return json.dumps(items[back[i]], sort_keys=True, ensure_ascii=False, default=str)

    def original(m: re.Match[str]) -> str:
        return f"{name} " + "; ".join(sorted(item(int(n)) for n in m.group(3).split(", ") if int(n) < len(back)))

    def walk(v: Any, key: str | None = None) -> Any:
        if isinstance(v, dict):
            return {k: walk(x, k) for k, x in v.items()}
        if isinstance(v, list):
            if key is not None and key.endswith(name) and v and all(isinstance(x, int) for x in v):
                return sorted(item(x) for x in v)
            return [walk(x) for x in v]
        if isinstance(v, str):
            return pattern.sub(original, v)
        if key == "index" and isinstance(v, int) and 0 <= v < len(back):
            return item(v)
        return v

    return walk(value)


def as_items(value: Any, name: str, items: list[Any]) -> Any:
    """The same references in a decision of the facts as given (identity order)."""
    return unshuffled(value, name, items, list(range(len(items))))


def canonical(value: Any) -> Any:
    """Lists of records (dicts) in a fixed order: an item's place in such a list carries no meaning."""
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [canonical(v) for v in value]
        if items and all(isinstance(v, dict) for v in items):
            return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False, default=str))
        return items
    return value


@pytest.mark.skipif(not ORDER_PAIRS, reason="no shipped question takes lists yet")
@pytest.mark.parametrize(("jid", "question"), ORDER_PAIRS or [("", "")])
@given(data=st.data())
def test_results_do_not_depend_on_the_order_of_records(jid: str, question: str, data: st.DataObject) -> None:
    on = data.draw(DECISION_DATES, label="on")
    facts = data.draw(STRATEGIES[question](jid, on), label="facts")
    shuffled = dict(facts)
    backs: dict[str, list[int]] = {}
    for name in ORDER_FREE[question]:
        if isinstance(facts.get(name), list):
            order = data.draw(st.permutations(range(len(facts[name]))), label=f"{name} order")
            shuffled[name] = [facts[name][i] for i in order]
            backs[name] = list(order)
    note(f"{jid} {question} on={on}\nfacts={shown(facts)}\nreordered={shown(shuffled)}")
    norm = NORMALISE.get(question, lambda d: d)
    a = decided(jid, question, facts, on).to_dict()
    b = decided(jid, question, shuffled, on).to_dict()
    for name, back in backs.items():
        a = as_items(a, name, facts[name])
        b = unshuffled(b, name, facts[name], back)
    assert canonical(norm(a)) == canonical(norm(b))


# ── escalation and appraisal: more violations never less severe, a higher score never a lower grade ──

ESCALATING = [j for j, q in PAIRS if q == "escalation"]


def test_ranks_agree_with_the_questions_own_orders() -> None:
    from villagepolicy.questions import appraisal, escalation

    assert ranks.outcome_order("escalation") == list(escalation.LEVELS)
    for scale, grades in appraisal.SCALES.items():  # best first there, worst first in ranks.yaml
        assert [g for g in grades][::-1] == ranks._data()["grade_order"][scale], scale


def cap_rank(cap: str | None) -> int:
    """A grade cap's place, no cap above every grade."""
    return 99 if cap is None else ranks.grade_rank("individual", cap)  # type: ignore[return-value]


@pytest.mark.parametrize("jid", ESCALATING)
@given(data=st.data())
def test_more_violations_never_lower_escalation_or_raise_the_grade_cap(jid: str, data: st.DataObject) -> None:
    from villagepolicy.questions.escalation import VIOLATION_KINDS

    on = data.draw(DECISION_DATES, label="on")
    facts = data.draw(STRATEGIES["escalation"](jid, on), label="facts")
    more = data.draw(STRATEGIES["escalation"](jid, on).map(lambda f: f["history"]), label="more events")
    extra = [e for e in more if e["kind"] in VIOLATION_KINDS]
    worse = {**facts, "history": facts["history"] + extra}
    # The judged year is pinned: without it, a later violation moves the judged year forward, and a cap
    # belongs to the year it was earned in (Shiquan 13(4); issue 14 item 1).
    facts, worse = {**facts, "appraisal_year": on.year}, {**worse, "appraisal_year": on.year}
    a, b = decided(jid, "escalation", facts, on), decided(jid, "escalation", worse, on)
    ra, rb = ranks.outcome_rank("escalation", a.outcome), ranks.outcome_rank("escalation", b.outcome)
    if ra is None or rb is None:
        return  # not_covered is not ordered
    note(f"{a.outcome} -> {b.outcome}; cap {a.grade_cap} -> {b.grade_cap}")  # type: ignore[attr-defined]
    assert rb >= ra
    assert cap_rank(b.grade_cap) <= cap_rank(a.grade_cap)  # type: ignore[attr-defined]


APPRAISING = [j for j, q in PAIRS if q == "appraisal_grade"]


def _grades_scores(jid: str) -> bool:
    """Whether a pack of the jurisdiction grades by score (the others grade the grade people give)."""
    packs = vp.default_library().jurisdiction(jid).packs()
    return any(
        t.field == "score"
        for p in packs
        for cr in p.rules
        if cr.rule.question == "appraisal_grade"
        for t in condition_tests(cr.cond)
    )


# Where no pack grades a score, every score is not_covered and the property has nothing to compare.
SCORING = [j for j in APPRAISING if _grades_scores(j)]


def test_some_document_grades_by_score() -> None:
    assert SCORING  # else the monotonicity property below checks nothing


@pytest.mark.parametrize("jid", SCORING)
@given(
    on=DECISION_DATES,
    subject=st.sampled_from(["individual", "team"]),
    period=st.sampled_from(["annual", "quarter"]),
    months=st.sampled_from([3.0, 5.9, 6.0, 12.0]),
    scores=st.lists(boundary_floats("score", 0, 100), min_size=2, max_size=2, unique=True).map(sorted),
)
def test_a_higher_score_never_gives_a_lower_grade(
    jid: str, on: dt.date, subject: str, period: str, months: float, scores: list[float]
) -> None:
    base: dict[str, Any] = {"subject": subject, "period": period}
    if period == "annual":
        base["months_stationed"] = months
    lower, higher = (decided(jid, "appraisal_grade", {**base, "score": s}, on) for s in scores)
    scale = "quarter" if period == "quarter" else subject
    a, b = (ranks.grade_rank(scale, d.grade) if d.grade else None for d in (lower, higher))  # type: ignore[attr-defined]
    if a is None or b is None:
        return  # not graded (not_covered, or a document that grades by people's judgement only)
    assert b >= a, f"{jid} {base}: {scores[0]} -> {lower.grade}, {scores[1]} -> {higher.grade}"  # type: ignore[attr-defined]


@pytest.mark.parametrize("jid", ["central", "guizhou", "tongwei"])
def test_tongwei_39_3_same_day_inspections_in_any_order(jid: str) -> None:
    absent = {"date": "2018-01-01", "kind": "absent_on_inspection", "leave_procedure_followed": False}
    present = {"date": "2018-01-01", "kind": "present_on_inspection"}
    runs = {
        vp.decide(jid, "escalation", {"role": "first_secretary", "history": h}, "2018-01-01").counts[
            "absences_consecutive_max"
        ]
        for h in ([absent, absent, present], [absent, present, absent], [present, absent, absent])
    }
    assert len(runs) == 1, runs


def test_every_list_field_of_a_question_is_declared_order_free_or_ordered() -> None:
    # A list in the facts either must not matter in order (ORDER_FREE in strategies.py) or is listed here with why.
    ordered_on_purpose: dict[str, set[str]] = {
        "appraisal_grade": {"quarterly_points"},  # the n-th item is the n-th quarter's points
    }
    for name, q in vp.QUESTIONS.items():
        lists = {f for f, info in q.facts_model.model_fields.items() if "list[" in str(info.annotation)}
        undeclared = lists - set(ORDER_FREE.get(name, ())) - ordered_on_purpose.get(name, set())
        assert not undeclared, f"{name}: list fields {sorted(undeclared)} need an order-independence strategy"
