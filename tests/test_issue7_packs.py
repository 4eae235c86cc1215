"""Every shipped pack answers the issue-7 questions for every role, on both engines, without a pack error."""

from __future__ import annotations

import pytest

import villagepolicy as vp

ROLES = list(vp.ROLES)
DATES = ["2019-06-01", "2022-06-01"]


@pytest.mark.parametrize("j", ["central", "guizhou", "shiquan", "tongwei", "xiangyin"])
@pytest.mark.parametrize("on", DATES)
def test_issue7_questions_answer_every_role(j: str, on: str, engine: str) -> None:
    for role in ROLES:
        duties = vp.decide(
            j, "duties", {"role": role, "stationed_since": "2018-05-20", "period": on[:4]}, on=on, engine=engine
        )
        assert duties.outcome in ("listed", "not_covered")
        for duty in duties.duties:  # each duty cites only clauses of its own pack, verbatim
            assert duty.citation.text_zh and all(c.pack == duty.citation.pack for c in duty.citations)
        benefits = vp.decide(
            j,
            "benefits",
            {
                "role": role,
                "dispatched_by": "town",
                "month": on[:7],
                "days_in_village": 20,
                "stationed_since": "2018-05-20",
            },
            on=on,
            engine=engine,
        )
        assert benefits.outcome in ("computed", "not_covered")
        term = vp.decide(j, "term_and_handover", {"role": role, "start_date": "2018-05-20"}, on=on, engine=engine)
        assert term.outcome in ("assessed", "not_covered")
    plan = vp.decide(j, "supervision_plan", {"month": on[:7], "roster": [{"id": "a"}], "seed": 1}, on=on, engine=engine)
    assert plan.outcome in ("planned", "not_covered")
    ins = vp.decide(j, "insurance_check", {"cover_yuan": 1}, on=on, engine=engine)
    assert ins.outcome in ("meets", "below_minimum", "undetermined", "not_covered")
    assert all(c.text_zh for c in plan.citations + ins.citations)
