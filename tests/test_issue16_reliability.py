"""Issue 16: what a red-team run broke (engine precision, dates, hostile input, leftovers after a kill).

Each test is named after the issue's item; hostile files are generated in tmp_path, nothing big is committed.
"""

from __future__ import annotations

import datetime as dt

import pytest
from parallel_worker import answer

ON = dt.date(2024, 6, 1)


# ── item 1: the engines agree on floats a hair from a pack's edge ──


@pytest.mark.parametrize(
    ("jid", "question", "facts"),
    [
        (
            "guizhou",
            "escalation",
            {"role": "team_member", "history": [{"date": "2024-03-01", "kind": "satisfaction_rate", "rate": 0.4999999999}]},
        ),
        ("tongwei", "appraisal_grade", {"subject": "individual", "score": 90, "months_stationed": 5.9999999996}),
        ("shiquan", "appraisal_grade", {"subject": "individual", "score": 90, "months_stationed": 5.9999999996}),
        ("tongwei", "appraisal_grade", {"subject": "individual", "score": 90, "months_stationed": 6.000000000000001}),
    ],
)
def test_item1_engines_agree_on_floats_at_the_edge(jid: str, question: str, facts: dict) -> None:
    assert answer((jid, question, facts, ON, "durable")) == answer((jid, question, facts, ON, "reference"))


def test_item1_durable_writes_floats_exactly() -> None:
    from villagepolicy.engine.durable import _encode, _payload

    text = _payload(_encode({"a": 1e-10, "b": 0.30000000000000004, "c": 5e-324}))
    assert "e" not in text.replace("true", "").replace("vp_case", "").replace("sid", "")
    assert '"b": 0.30000000000000004' in text
