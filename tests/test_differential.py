"""Differential tests: the durable_rules engine and the pure-Python reference evaluator give the same
decision (outcome, every field, every cited clause) for facts drawn for every jurisdiction and question.

A disagreement is a bug in one of them; the failure message prints the facts that show it.
Run more examples with HYPOTHESIS_PROFILE=nightly (see tests/conftest.py and docs/reliability.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import assume, given, note, settings
from hypothesis import strategies as st
from parallel_worker import answer
from strategies import DECISION_DATES, PAIRS, STRATEGIES, shown

import villagepolicy as vp
from villagepolicy.engine import ENGINES


def test_every_shipped_question_has_a_strategy() -> None:
    missing = sorted(set(vp.QUESTIONS) - set(STRATEGIES))
    assert not missing, f"questions without a facts strategy in tests/strategies.py: {missing}"


def test_every_jurisdiction_is_exercised() -> None:
    assert {j for j, _ in PAIRS} == set(vp.jurisdictions())


@pytest.mark.parametrize(("jid", "question"), PAIRS)
@given(data=st.data())
def test_engines_agree(jid: str, question: str, data: st.DataObject) -> None:
    on = data.draw(DECISION_DATES, label="on")
    facts = data.draw(STRATEGIES[question](jid, on), label="facts")
    # The decision as JSON, or the documented error it raised (type and message).
    durable = answer((jid, question, facts, on, "durable"))
    reference = answer((jid, question, facts, on, "reference"))
    note(f"{jid} {question} on={on} facts={shown(facts)}")
    assert durable == reference, (
        f"engines disagree: {jid} {question} on={on}\nfacts={shown(facts)}\n"
        f"durable:   {shown(durable)}\nreference: {shown(reference)}"
    )
    # Facts a question refuses (e.g. a fact a rule needs is missing) never reach an engine: they do not count
    # as an example. A strategy that mostly draws refused facts fails hypothesis' filter health check.
    assume(durable[0] != "FactError")


ANY_PACK = """\
pack:
  id: lakeside-2024
  title_zh: 湖畔县驻村工作队管理办法
  issuer_zh: 中共湖畔县委办公室
  doc_no: null
  issued: "2024-01-10"
  effective_from: "2024-01-10"
  source: lakeside.txt
clauses:
  - id: "9"
    text_zh: "工作队员或短假由镇党委批准。"
    summary_en: Members, or anyone on short leave, are approved by the town party committee.
rules:
  - id: lk-any
    question: leave_approval
    when: {any: [{role: team_member}, {days: {lte: 5}}]}
    then: {outcome: approve, approvers: [town_party_committee]}
    cites: ["9"]
  - id: lk-other
    question: leave_approval
    otherwise: true
    then: {outcome: not_covered}
    cites: ["9"]
"""

ANY_JURISDICTION = """\
id: lakeside
name_zh: 湖畔县
name_en: Lakeside County
level: county
packs:
  - pack: lakeside-2024
    why_en: The county's own measures.
"""


def test_rule_whose_any_holds_twice_fires_once_on_both_engines(tmp_path: Path) -> None:
    # Found by test_engines_agree: durable_rules activates a rule once per `$or` branch that holds.
    (tmp_path / "rules").mkdir()
    (tmp_path / "jurisdictions").mkdir()
    (tmp_path / "rules" / "lakeside-2024.yaml").write_text(ANY_PACK, encoding="utf-8")
    (tmp_path / "jurisdictions" / "lakeside.yaml").write_text(ANY_JURISDICTION, encoding="utf-8")
    lib = vp.load(tmp_path)
    facts = {"role": "team_member", "days": 3}
    traces = [lib.decide("lakeside", "leave_approval", facts, "2024-05-01", engine=e).trace for e in ENGINES]
    assert traces == [["lk-any"], ["lk-any"]]


# ── issue 16 items 3–4: past the durable engine's activation limit, the engines still agree ──

_FIELDS = "abc"


@st.composite
def _conditions(draw: st.DrawFn, depth: int = 0):  # noqa: ANN202
    from villagepolicy.conditions import AllOf, AnyOf, Test

    if depth > 1 or draw(st.booleans()):
        return Test(
            draw(st.sampled_from(_FIELDS)), draw(st.sampled_from(["gte", "lt", "eq", "ne"])), draw(st.integers(0, 9))
        )
    kind = draw(st.sampled_from([AllOf, AnyOf]))
    return kind(tuple(draw(st.lists(_conditions(depth + 1), min_size=1, max_size=4))))


@settings(max_examples=25, deadline=None)
@given(
    st.lists(_conditions(), min_size=65, max_size=160),
    st.lists(st.dictionaries(st.sampled_from(_FIELDS), st.integers(0, 9)), min_size=1, max_size=20),
)
def test_engines_agree_with_more_rules_true_at_once_than_the_engine_stacks(conds: list, cases: list[dict]) -> None:
    from villagepolicy.engine.durable import compile_durable
    from villagepolicy.engine.limits import MAX_ACTIVATIONS, widest
    from villagepolicy.engine.reference import ReferenceMatcher

    assume(all(widest(c) <= MAX_ACTIVATIONS for c in conds))  # wider rules are refused by lint (engine_limit)
    durable, reference = compile_durable("differential-limits", conds), ReferenceMatcher(conds)
    for case in [*cases, {f: 9 for f in _FIELDS}, {f: 0 for f in _FIELDS}]:
        assert durable.match(case) == reference.match(case), case
