"""The durable engine's measured limits, as pure functions of a parsed condition (no durable_rules import), so
that lint can refuse a rule the engine cannot hold before anything is compiled (issue 16 item 4)."""

from __future__ import annotations

import math

from ..conditions import AllOf, AnyOf, Cond, Test

__all__ = ["MAX_ACTIVATIONS", "activations", "pieces", "widest"]

# durable_rules keeps at most this many activations of one fact on its stack (MAX_STACK_SIZE in its C
# source; the 65th fails the assert with error code 303). Measured in benchmarks/engine_limits.py.
MAX_ACTIVATIONS = 64


def activations(cond: Cond) -> int:
    """An upper bound on the activations one rule's condition makes for one fact.

    The engine activates a rule once per `$or` branch that holds: an `any` adds its branches' counts,
    an `all` multiplies them. `in` over strings is one `$or` of equalities, of which one at most holds.
    """
    if isinstance(cond, Test):
        if cond.op == "in" and not all(isinstance(x, str) for x in cond.value):
            return len(cond.value)
        return 1
    if isinstance(cond, AllOf):
        return math.prod(activations(c) for c in cond.items)
    return sum(activations(c) for c in cond.items)


def pieces(cond: Cond) -> list[Cond]:
    """The condition as alternatives each within the activation limit: a top-level `any` too wide for one
    ruleset is split into groups of branches, evaluated as separate rules that report the same index."""
    if activations(cond) <= MAX_ACTIVATIONS or not isinstance(cond, AnyOf):
        return [cond]
    out: list[Cond] = []
    group: list[Cond] = []
    budget = 0
    for branch in cond.items:
        for piece in pieces(branch):
            n = activations(piece)
            if group and budget + n > MAX_ACTIVATIONS:
                out.append(AnyOf(tuple(group)))
                group, budget = [], 0
            group.append(piece)
            budget += n
    if group:
        out.append(AnyOf(tuple(group)))
    return out




def widest(cond: Cond) -> int:
    """The most activations one piece of the rule makes after splitting: above MAX_ACTIVATIONS it cannot run."""
    return max(activations(p) for p in pieces(cond))
