"""A small, independent pure-Python evaluator of rule conditions (the differential-testing oracle)."""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from typing import Any

from ..conditions import AllOf, AnyOf, Cond, Test

_CMP: dict[str, Callable] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
    "in": lambda a, b: a in b,
    "not_in": lambda a, b: a not in b,
}

_MISSING = object()


def holds(t: Test, v: Any) -> bool:
    """Whether a case value (None: absent) passes one test; an absent value passes only `exists: false`."""
    if t.op == "exists":
        return (v is not None) is t.value
    return v is not None and _CMP[t.op](v, t.value)


def _predicate(cond: Cond) -> Callable[[dict], bool]:
    if isinstance(cond, Test):
        field, op, value = cond.field, cond.op, cond.value
        if op == "exists":
            return lambda case: (case.get(field, _MISSING) not in (_MISSING, None)) is value
        cmp = _CMP[op]

        def test(case: dict) -> bool:
            v = case.get(field)
            return v is not None and cmp(v, value)

        return test
    preds = [_predicate(c) for c in cond.items]
    if isinstance(cond, AllOf):
        return lambda case: all(p(case) for p in preds)
    assert isinstance(cond, AnyOf)
    return lambda case: any(p(case) for p in preds)


class ReferenceMatcher:
    def __init__(self, conditions: Sequence[Cond]) -> None:
        self._preds = [_predicate(c) for c in conditions]

    def match(self, case: dict) -> list[int]:
        return [i for i, p in enumerate(self._preds) if p(case)]
