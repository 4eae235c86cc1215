"""Citations are built once per cited set of clauses, never reused for a rule that cites something else."""

from __future__ import annotations

import villagepolicy as vp


def test_shiquan_13_2_citing_a_narrowed_copy_of_a_rule_gives_only_its_clauses() -> None:
    pack = vp.default_library().packs["shiquan-2021"]
    rule = next(cr.rule for cr in pack.by_question["leave_approval"] if cr.rule.interpretations)
    full = pack.cite(rule)
    assert {c.interpretation for c in full} - {None}
    narrowed = pack.cite(rule.model_copy(update={"interpretations": []}))
    assert [c.clause for c in narrowed] == list(rule.cites)
    assert all(c.interpretation is None for c in narrowed)
    assert pack.cite(rule) == full
    # Each call hands out its own list: the caller may extend it.
    pack.cite(rule).clear()
    assert pack.cite(rule) == full
