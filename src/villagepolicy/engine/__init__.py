"""Evaluators of parsed rule conditions: `durable` (the matching engine) and `reference` (pure Python).

Both take the same parsed conditions and return, for a case, the indices of the rules whose
condition holds, in definition order. Nothing else in the library imports durable_rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ..conditions import Cond

ENGINES = ("durable", "reference")


class Matcher(Protocol):
    def match(self, case: dict) -> list[int]: ...


def compile_matcher(engine: str, key: str, conditions: Sequence[Cond]) -> Matcher:
    if engine == "durable":
        from .durable import compile_durable

        return compile_durable(key, conditions)
    if engine == "reference":
        from .reference import ReferenceMatcher

        return ReferenceMatcher(conditions)
    raise ValueError(f"unknown engine {engine!r}; known: {', '.join(ENGINES)}")
