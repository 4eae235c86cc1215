"""The only module that touches durable_rules.

durable_rules keeps global C state, coerces types silently and is not thread-safe (see
shared/notes/durable-rules.md). This wrapper turns it into a pure function `match(case) -> rule
indices`:
- no Host, no Python actions, no timers: rulesets are created through the C module directly;
- rulesets are content-addressed: loading the same pack twice reuses one ruleset (each costs C
  memory that is never freed), and names are unique so a reload can never collide;
- each case is asserted as a fact, every activated rule is collected, and the fact is retracted in
  `finally`, all under the ruleset's lock, so no state survives a call and threads cannot interleave;
- conditions are validated before compiling (known operators, one operator per dict, non-empty
  and/or) and cases before asserting (finite numbers within ±2^53, no sid/id/$ keys).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import threading
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import durable_rules_engine as _dr

from ..conditions import AllOf, AnyOf, Cond, Test
from ..errors import EngineError
from .limits import MAX_ACTIVATIONS, activations, pieces

_OPS = {"eq": None, "ne": "$neq", "lt": "$lt", "lte": "$lte", "gt": "$gt", "gte": "$gte"}
_GUARD = "vp_case"  # every case carries it, so an always-true rule still has a pattern to match
_RESERVED = {"sid", "id", _GUARD}
_LIMIT = 2**53

_registry: dict[str, _Ruleset] = {}
_registry_lock = threading.Lock()


def _term(cond: Cond) -> dict:
    if isinstance(cond, Test):
        f, op, v = cond.field, cond.op, cond.value
        if op == "exists":
            return {"$ex" if v else "$nex": {f: 1}}
        if op == "in":
            return {"$or": [{f: x} for x in v]} if len(v) > 1 else {f: v[0]}
        if op == "not_in":
            terms = [{"$neq": {f: x}} for x in v]
            return {"$and": terms} if len(terms) > 1 else terms[0]
        if _OPS[op] is None:
            return {f: v}
        return {_OPS[op]: {f: v}}
    if isinstance(cond, AllOf):
        if not cond.items:
            return {_GUARD: 1}
        terms = [_term(c) for c in cond.items]
        return {"$and": [{_GUARD: 1}, *terms]}
    assert isinstance(cond, AnyOf) and cond.items
    return {"$or": [_term(c) for c in cond.items]}


def _pattern(cond: Cond) -> dict:
    term = _term(cond)
    # Guard every rule so that missing-field tests ($neq on an absent field) behave as in the reference.
    if "$and" in term and term["$and"][0] == {_GUARD: 1}:
        return term
    return {"$and": [{_GUARD: 1}, term]}


class _Ruleset:
    def __init__(self, name: str, definition: dict) -> None:
        self.name = name
        self.lock = threading.Lock()
        try:
            self.handle = _dr.create_ruleset(name, json.dumps(definition, ensure_ascii=False))
        except Exception as e:  # the C module raises its own error type with a numeric code
            raise EngineError(f"durable_rules refused ruleset {name}: {e}") from None

    def match(self, case: dict, payload: str | None = None) -> list[int]:
        if payload is None:
            payload = _payload(_encode(case))
        hits: list[int] = []
        with self.lock:
            try:
                result = _dr.assert_fact(self.handle, payload)
            except Exception as e:
                raise EngineError(f"durable_rules failed on ruleset {self.name}: {e}") from None
            try:
                if result[0] == 0:
                    state = result[1]
                    res = _dr.start_action_for_state(self.handle, state)
                    while res:
                        for name in json.loads(res[1]):
                            hits.append(int(name[1:]))
                        nxt = _dr.complete_and_start_action(self.handle, state)
                        res = (None, nxt) if nxt else None
            finally:
                _dr.retract_fact(self.handle, payload)
        # An `any` whose branches both hold activates the rule once per branch: report it once.
        return sorted(set(hits))


def _encode(case: dict) -> dict[str, Any]:
    fact: dict[str, Any] = {}
    for k, v in case.items():
        if v is None:
            continue
        if k in _RESERVED or k.startswith("$"):
            raise EngineError(f"case field {k!r} is reserved by the engine")
        if isinstance(v, bool) or isinstance(v, str):
            fact[k] = v
        elif isinstance(v, int):
            if abs(v) >= _LIMIT:
                raise EngineError(f"case field {k}={v} is outside ±2^53")
            fact[k] = v
        elif isinstance(v, float):
            if not math.isfinite(v) or abs(v) >= _LIMIT:
                raise EngineError(f"case field {k}={v} is not a finite number within ±2^53")
            # The engine rejects exponent notation, and rounding would move a value across a pack's edge
            # (0.4999999999 read as 0.5): write the float's exact shortest repr in positional notation,
            # which the engine's strtod reads back to the same double (issue 16 item 1).
            fact[k] = _Positional(v)
        else:
            raise EngineError(f"case field {k} has type {type(v).__name__}; the engine takes str, bool, int, float")
    fact[_GUARD] = 1
    fact["sid"] = "0"
    return fact


class _Positional(float):
    """A float fact to be written without an exponent (see `_payload`)."""


def _number(v: float) -> str:
    text = format(Decimal(repr(v)), "f")
    return text if "." in text else text + ".0"


def _payload(fact: dict[str, Any]) -> str:
    if not any(type(v) is _Positional for v in fact.values()):
        return json.dumps(fact, ensure_ascii=False)  # the common case in one call (per-key calls cost ~40%)
    # json.dumps writes floats with repr (1e-10), which the engine refuses; write those by hand.
    parts = [
        json.dumps(k, ensure_ascii=False)
        + ": "
        + (_number(v) if isinstance(v, _Positional) else json.dumps(v, ensure_ascii=False))
        for k, v in fact.items()
    ]
    return "{" + ", ".join(parts) + "}"


class DurableMatcher:
    """A question's rules, split over rulesets of at most MAX_ACTIVATIONS activations each.

    Splitting keeps every fact within the engine's activation stack however many rules hold at once, and
    keeps each ruleset small: one ruleset of 600 or more rules took minutes to compile (issue 16 items 3-4).
    """

    def __init__(self, parts: list[tuple[_Ruleset, list[int]]]) -> None:
        self._parts = parts

    def match(self, case: dict) -> list[int]:
        hits: list[int] = []
        payload = _payload(_encode(case)) if self._parts else None  # encoded once for every part
        for ruleset, indices in self._parts:
            hits.extend(indices[i] for i in ruleset.match(case, payload))
        # A rule split into pieces (see limits.pieces) may hold in several of them: report it once.
        return sorted(set(hits))


def _chunks(key: str, conditions: Sequence[Cond]) -> list[list[tuple[int, Cond]]]:
    chunks: list[list[tuple[int, Cond]]] = []
    budget = MAX_ACTIVATIONS
    for i, c in enumerate(conditions):
        for piece in pieces(c):
            n = activations(piece)
            if n > MAX_ACTIVATIONS:
                raise EngineError(
                    f"{key}: 规则#{i + 1}的条件分支过多 rule #{i + 1}'s condition can hold in up to {n} ways at "
                    f"once; the durable engine takes at most {MAX_ACTIVATIONS} (write its `all` of `any`s as "
                    "several rules, or use --engine reference)"
                )
            if budget + n > MAX_ACTIVATIONS:
                chunks.append([])
                budget = 0
            chunks[-1].append((i, piece))
            budget += n
    return chunks


def compile_durable(key: str, conditions: Sequence[Cond]) -> DurableMatcher:
    parts: list[tuple[_Ruleset, list[int]]] = []
    for chunk in _chunks(key, conditions):
        definition = {f"r{j}": {"all": [{"m": _pattern(c)}]} for j, (_, c) in enumerate(chunk)}
        indices = [i for i, _ in chunk]
        blob = json.dumps(definition, ensure_ascii=False, sort_keys=True)
        digest = hashlib.sha256(blob.encode()).hexdigest()[:16]
        with _registry_lock:
            ruleset = _registry.get(digest)
            if ruleset is None:
                safe = "".join(ch if ch.isalnum() else "_" for ch in key)
                ruleset = _Ruleset(f"vp_{safe}_{digest}", definition)
                _registry[digest] = ruleset
        parts.append((ruleset, indices))
    return DurableMatcher(parts)


def _reset_locks_after_fork() -> None:
    # A lock held by another thread at fork time would stay locked forever in the child.
    global _registry_lock
    _registry_lock = threading.Lock()
    for rs in _registry.values():
        rs.lock = threading.Lock()


os.register_at_fork(after_in_child=_reset_locks_after_fork)
