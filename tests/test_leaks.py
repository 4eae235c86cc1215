"""Memory stays flat over many decisions (the 1,000,000-decision run is benchmarks/leak.py).

durable_rules keeps C state per ruleset and per session; the wrapper retracts every fact in `finally`
and reuses rulesets by content, so resident memory must not grow with the number of decisions.
"""

from __future__ import annotations

import os
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from parallel_worker import Case, answer
from strategies import decision_cases

import villagepolicy as vp

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm")


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@settings(max_examples=1)
@given(batch=st.lists(decision_cases(), min_size=200, max_size=200))
def test_resident_memory_flat_over_30000_decisions(batch: list[Case]) -> None:
    for i in range(1000):
        answer(batch[i % len(batch)])
    base = rss_mb()
    for i in range(30_000):
        answer(batch[i % len(batch)])
    grown = rss_mb() - base
    assert grown < 10, f"RSS grew {grown:.1f} MB over 30,000 decisions (from {base:.1f} MB)"


def test_reloading_packs_reuses_engine_rulesets() -> None:
    from villagepolicy.engine import durable

    vp.load().decide("shiquan", "leave_approval", {"role": "team_member", "days": 7}, "2022-03-01")
    before = len(durable._registry)
    for _ in range(5):
        vp.load().decide("shiquan", "leave_approval", {"role": "team_member", "days": 7}, "2022-03-01")
    assert len(durable._registry) == before
