"""Work done in threads and child processes by tests/test_parallel.py (importable by spawned workers)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import villagepolicy as vp

Case = tuple[str, str, dict[str, Any], dt.date, str]


def answer(case: Case) -> tuple[str, Any]:
    """A decision as JSON, or the documented error it raised."""
    jid, question, facts, on, engine = case
    try:
        return "decision", vp.decide(jid, question, facts, on, engine=engine).to_dict()
    except vp.VillagePolicyError as e:
        return type(e).__name__, str(e)


def answers(cases: list[Case]) -> list[tuple[str, Any]]:
    return [answer(c) for c in cases]
