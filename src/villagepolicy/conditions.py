"""The condition language of pack rules: data, never code.

A condition is a YAML mapping. Each key is a case field or one of `all` / `any`:

    when:
      role: {in: [first_secretary, team_leader]}   # operators: eq ne lt lte gt gte in not_in exists
      days: {gte: 6, lte: 10}                       # several operators on one field: all must hold
      any:                                          # a list of conditions, one must hold
        - {unit_level: county}
        - {unit_level: city}

A bare value means `eq`. A comparison on a field the case does not have is false (so `ne` and
`not_in` need the field to be present); `exists: false` tests for absence. An empty mapping
(`when: {}`) always holds. Both evaluators (engine/durable.py, engine/reference.py) compile this
one parsed form, so the pack format stays the single source of truth.
"""

from __future__ import annotations

import types
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from .vocabulary import Vocab

OPERATORS = ("eq", "ne", "lt", "lte", "gt", "gte", "in", "not_in", "exists")
ORDERED = ("lt", "lte", "gt", "gte")


@dataclass(frozen=True)
class Test:
    field: str
    op: str
    value: Any


@dataclass(frozen=True)
class AllOf:
    items: tuple[Cond, ...]


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Cond, ...]


Cond = Test | AllOf | AnyOf
TRUE = AllOf(())


@dataclass(frozen=True)
class FieldSpec:
    """What a case field holds: kind is enum | int | number | bool | str | date."""

    kind: str
    choices: tuple[str, ...] = ()
    # The vocabulary kind of an open enum (role, authority, action): a pack's declared ids of it are valid too.
    vocab: str | None = None


def with_declared(specs: dict[str, FieldSpec], declared: Mapping[str, Iterable[str]]) -> dict[str, FieldSpec]:
    """`specs` where each open-vocabulary field also takes the ids a pack declared (its `vocabulary:`)."""
    if not declared:
        return specs
    out = dict(specs)
    for name, spec in specs.items():
        extra = tuple(i for i in declared.get(spec.vocab or "", ()) if i not in spec.choices)
        if extra:
            out[name] = FieldSpec(spec.kind, spec.choices + extra, spec.vocab)
    return out


def field_specs(model: type[BaseModel]) -> dict[str, FieldSpec]:
    """Derive the condition vocabulary of a question from its flat case model."""
    specs: dict[str, FieldSpec] = {}
    for name, info in model.model_fields.items():
        ann = info.annotation
        args = get_args(ann)
        if get_origin(ann) in (Union, types.UnionType) and type(None) in args:  # Optional[X] or X | None
            ann = next(a for a in args if a is not type(None))
        marks = [*info.metadata, *getattr(ann, "__metadata__", ())]
        vocab = next((m for m in marks if isinstance(m, Vocab)), None)
        if vocab is not None:
            specs[name] = FieldSpec("enum", vocab.shipped, vocab.kind)
            continue
        if get_origin(ann) is Literal:
            specs[name] = FieldSpec("enum", tuple(get_args(ann)))
        elif ann is bool:
            specs[name] = FieldSpec("bool")
        elif ann is int:
            specs[name] = FieldSpec("int")
        elif ann is float:
            specs[name] = FieldSpec("number")
        else:
            specs[name] = FieldSpec("str")
    return specs


class ConditionError(Exception):
    def __init__(self, path: tuple[str | int, ...], message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(message)


def parse(raw: Any, specs: dict[str, FieldSpec], path: tuple[str | int, ...] = ()) -> Cond:
    """Parse and type-check a `when` mapping; raise ConditionError at the offending path."""
    if raw is None:
        return TRUE
    if not isinstance(raw, dict):
        raise ConditionError(path, "条件必须是映射 a condition must be a mapping of field: test")
    items: list[Cond] = []
    for key, test in raw.items():
        here = (*path, key)
        if key in ("all", "any"):
            if not isinstance(test, list) or not test:
                raise ConditionError(here, f"{key} 需要非空列表 `{key}` needs a non-empty list of conditions")
            subs = tuple(parse(t, specs, (*here, i)) for i, t in enumerate(test))
            items.append(AllOf(subs) if key == "all" else AnyOf(subs))
            continue
        if key not in specs:
            near = _near(str(key), sorted(specs))
            raise ConditionError(here, f"未知字段 unknown field {key!r}{near}; 可用 known: {', '.join(sorted(specs))}")
        spec = specs[key]
        if isinstance(test, dict):
            if not test:
                raise ConditionError(here, "空的条件 empty test")
            for op, value in test.items():
                if op not in OPERATORS:
                    raise ConditionError(
                        (*here, op), f"未知运算符 unknown operator {op!r}; 可用 known: {', '.join(OPERATORS)}"
                    )
                items.append(_test(key, op, value, spec, (*here, op)))
        elif isinstance(test, list):
            raise ConditionError(here, "列表请写成 write a list as {in: [...]}")
        else:
            items.append(_test(key, "eq", test, spec, here))
    return items[0] if len(items) == 1 else AllOf(tuple(items))


def _test(field: str, op: str, value: Any, spec: FieldSpec, path: tuple[str | int, ...]) -> Test:
    if op == "exists":
        if not isinstance(value, bool):
            raise ConditionError(path, "exists 取 true 或 false exists takes true or false")
        return Test(field, op, value)
    if op in ("in", "not_in"):
        if not isinstance(value, list) or not value:
            raise ConditionError(path, f"{op} 需要非空列表 `{op}` needs a non-empty list")
        for v in value:
            _check_value(v, spec, path)
        return Test(field, op, tuple(value))
    if op in ORDERED and spec.kind not in ("int", "number", "date"):
        raise ConditionError(path, f"字段 {field} 不是数字，不能比较大小 {field} is not a number: {op} not allowed")
    _check_value(value, spec, path)
    return Test(field, op, value)


def _check_value(value: Any, spec: FieldSpec, path: tuple[str | int, ...]) -> None:
    ok = {
        "enum": lambda v: isinstance(v, str) and v in spec.choices,
        "bool": lambda v: isinstance(v, bool),
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "str": lambda v: isinstance(v, str),
        "date": lambda v: isinstance(v, int) and not isinstance(v, bool),
    }[spec.kind](value)
    if not ok:
        allowed = f"; 可选 allowed: {', '.join(spec.choices)}" if spec.kind == "enum" else ""
        if spec.kind == "enum":
            allowed = _near(str(value), list(spec.choices)) + allowed
        raise ConditionError(path, f"取值 {value!r} 不合字段类型 value does not fit a {spec.kind} field{allowed}")


def tests_of(cond: Cond) -> list[Test]:
    """Every Test in a condition, depth first."""
    if isinstance(cond, Test):
        return [cond]
    return [t for c in cond.items for t in tests_of(c)]


def _near(word: str, valid: list[str]) -> str:
    from .suggest import did_you_mean

    return did_you_mean(word, valid, list_all=False)
