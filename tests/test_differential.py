"""Differential tests: the durable_rules engine and the pure-Python reference evaluator give the same
decision (outcome, every field, every cited clause) for facts drawn for every jurisdiction and question.

A disagreement is a bug in one of them; the failure message prints the facts that show it.
Run more examples with HYPOTHESIS_PROFILE=nightly (see tests/conftest.py and docs/reliability.md).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given, note
from hypothesis import strategies as st
from strategies import DECISION_DATES, STRATEGIES

import villagepolicy as vp

PAIRS = [(j, q) for j in vp.jurisdictions() for q in vp.jurisdiction(j).questions()]


def shown(facts: Any) -> str:
    return json.dumps(facts, ensure_ascii=False, default=str, sort_keys=True)


def result(jid: str, question: str, facts: dict[str, Any], on: dt.date, engine: str) -> tuple[str, Any]:
    """The decision as JSON, or the documented error it raised (type and message)."""
    try:
        return "decision", vp.decide(jid, question, facts, on, engine=engine).to_dict()
    except vp.VillagePolicyError as e:
        return type(e).__name__, str(e)


def test_every_shipped_question_has_a_strategy() -> None:
    missing = sorted(set(vp.QUESTIONS) - set(STRATEGIES))
    assert not missing, f"questions without a facts strategy in tests/strategies.py: {missing}"


def test_every_jurisdiction_is_exercised() -> None:
    assert {j for j, _ in PAIRS} == set(vp.jurisdictions())


@pytest.mark.parametrize(("jid", "question"), PAIRS)
@given(data=st.data())
def test_engines_agree(jid: str, question: str, data: st.DataObject) -> None:
    on = data.draw(DECISION_DATES, label="on")
    facts = data.draw(STRATEGIES[question](on), label="facts")
    durable = result(jid, question, facts, on, "durable")
    reference = result(jid, question, facts, on, "reference")
    note(f"{jid} {question} on={on} facts={shown(facts)}")
    # Strategies draw valid facts: a FactError here is a bug in the strategy, not a pass.
    assert durable[0] != "FactError", f"strategy drew invalid facts {shown(facts)}: {durable[1]}"
    assert durable == reference, (
        f"engines disagree: {jid} {question} on={on}\nfacts={shown(facts)}\n"
        f"durable:   {shown(durable)}\nreference: {shown(reference)}"
    )
