"""Measure durable_rules' limits that the engine wrapper works around (issue 16 items 3-4).

    python benchmarks/engine_limits.py

Prints, for rulesets of growing size, the compile time and whether a fact that makes every rule hold is
asserted; the raw C module fails with error code 303 past MAX_ACTIVATIONS activations, and the wrapper
(villagepolicy.engine.durable) splits rules over rulesets so that it never gets there.
"""

from __future__ import annotations

import json
import time

import durable_rules_engine as dr

from villagepolicy.conditions import AnyOf, Test
from villagepolicy.engine.durable import compile_durable
from villagepolicy.engine.reference import ReferenceMatcher


def raw(n: int) -> str:
    rules = {f"r{i}": {"all": [{"m": {"$gte": {"x": i}}}]} for i in range(n)}
    t = time.perf_counter()
    h = dr.create_ruleset(f"raw{n}", json.dumps(rules))
    compiled = time.perf_counter() - t
    try:
        dr.assert_fact(h, json.dumps({"x": 10**6, "sid": "0"}))
        return f"raw {n:4d} rules: compile {compiled:.3f}s, assert ok"
    except Exception as e:  # the C module's own error type
        return f"raw {n:4d} rules: compile {compiled:.3f}s, assert failed: {e}"


def wrapped(n: int, width: int) -> str:
    conds = [AnyOf(tuple(Test("x", "gte", i * 1000 + j) for j in range(width))) for i in range(n)]
    t = time.perf_counter()
    m = compile_durable(f"bench{n}_{width}", conds)
    compiled = time.perf_counter() - t
    case = {"x": 10**9}
    assert m.match(case) == ReferenceMatcher(conds).match(case)
    return f"wrapped {n:4d} rules of {width} branches: compile {compiled:.3f}s, all {n} hold, engines agree"


if __name__ == "__main__":
    for n in (64, 65, 200):
        print(raw(n))
    for n, width in ((65, 1), (800, 1), (800, 3), (1, 200), (2000, 2)):
        print(wrapped(n, width))
