"""Parameters: a pack's named, dated values, each written once and cited (issue 17, after OpenFisca's parameters).

    parameters:
      stay_min_days_per_month:
        label_zh: 每月在岗天数下限
        label_en: minimum days present per month
        unit: day
        cites: ["12"]
        values:
          2021-08-31: 20

A rule refers to one wherever it would write the number, in `when` or in `then`, and inside the text of a
message as `{parameter.name}` (so "不少于20天" never goes stale when the 20 changes):

    when: {days: {gt: {parameter: leave_recall_after_days}}}
    then: {checks: [{id: min_days_per_month, min: {parameter: stay_min_days_per_month}, ...}]}
    then: {findings: [{message_zh: "每月在村不少于{parameter.stay_min_days_per_month}天", ...}]}

Before a pack is checked, each reference is replaced by the value in force on the pack's effective_from. A
value a rule reports (in `then`) adds the parameter's clauses to the rule's `cites`, so the decision cites
the clause that sets the number; a threshold in `when` does not (the rule's own cites name its clause). A
pack whose period of force holds a change of value is refused (split it into two packs by date): a rule is
compiled once per pack.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import Problem
from ..suggest import did_you_mean
from .messages import named_path, translate
from .yamlread import Located

__all__ = ["REF", "Parameter", "literal_duplicates", "substitute"]

REF = "parameter"  # the key of a reference: {parameter: name}
IN_TEXT = re.compile(r"\{parameter\.([A-Za-z0-9_]+)\}")  # a reference inside a message: {parameter.name}

Value = bool | int | float | str | list[Any]


class Parameter(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    label_zh: str = Field(min_length=1, description="中文名称 what the number is")
    label_en: str = Field(default="", description="英文名称 English label")
    unit: str = Field(default="", description="单位 unit (day, person, km, share …)")
    cites: list[str] = Field(min_length=1, description="规定这个数字的条款 the clauses that set the value")
    values: dict[dt.date, Value] = Field(
        min_length=1, description="自某日起的取值 date from which a value applies -> value"
    )

    def value_on(self, day: dt.date) -> Value | None:
        dates = sorted(d for d in self.values if d <= day)
        return self.values[dates[-1]] if dates else None


def _is_ref(v: Any) -> bool:
    return isinstance(v, dict) and len(v) == 1 and REF in v


def _period(data: dict[str, Any]) -> tuple[dt.date | None, dt.date | None]:
    meta = data.get("pack") if isinstance(data.get("pack"), dict) else {}
    out: list[dt.date | None] = []
    for key in ("effective_from", "effective_to"):
        try:
            out.append(dt.date.fromisoformat(str(meta.get(key))))
        except ValueError:
            out.append(None)
    return out[0], out[1]


def read_parameters(loc: Located, problems: list[Problem]) -> dict[str, Parameter]:
    raw = loc.data.get("parameters") if isinstance(loc.data, dict) else None
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(loc.problem(("parameters",), "parameters 应为映射 must map names to parameters"))
        return {}
    out: dict[str, Parameter] = {}
    for name, spec in raw.items():
        try:
            out[name] = Parameter.model_validate(spec)
        except ValidationError as e:
            for err in e.errors(include_url=False):
                path = ("parameters", name, *err["loc"])
                problems.append(loc.problem(path, f"{named_path(path)}: {translate(err, Parameter)}"))
    return out


def substitute(loc: Located, clause_ids: set[str]) -> tuple[dict[str, Parameter], list[Problem]]:
    """Replace each {parameter: name} in the pack's rules with its value, in place; add the parameter's
    clauses to the rule's cites. Returns the parameters and the problems found (each at its position)."""
    problems: list[Problem] = []
    params = read_parameters(loc, problems)
    start, end = _period(loc.data) if isinstance(loc.data, dict) else (None, None)
    values: dict[str, Value] = {}
    for name, p in params.items():
        for j, cid in enumerate(p.cites):
            if clause_ids and cid not in clause_ids:
                at = ("parameters", name, "cites", j)
                problems.append(
                    loc.problem(at, f"{named_path(at)}: 条款 {cid!r} 不在本规则包中 not a clause of this pack")
                )
        if start is None:
            continue
        value = p.value_on(start)
        if value is None:
            first = min(p.values)
            problems.append(loc.problem(("parameters", name, "values"),
                f"参数 {name} 在本规则包生效日 {start} 还没有取值（最早 {first}） has no value on the pack's "
                f"effective_from"))  # fmt: skip
            continue
        changes = [d for d in p.values if d > start and (end is None or d <= end)]
        if changes:
            problems.append(loc.problem(("parameters", name, "values"),
                f"参数 {name} 在本规则包有效期内于 {changes[0]} 改变取值：请按日期拆分为两个规则包 "
                f"changes value on {changes[0]}, inside the pack's period: split the pack by date"))  # fmt: skip
        values[name] = value
    rules = loc.data.get("rules") if isinstance(loc.data, dict) else None
    for i, rule in enumerate(rules if isinstance(rules, list) else []):
        if not isinstance(rule, dict):
            continue
        used: list[str] = []  # parameters whose value the decision reports: their clauses are cited
        if "when" in rule:  # a threshold in a condition: the rule's own cites already name its clause
            rule["when"] = _replace(rule["when"], ("rules", i, "when"), values, params, loc, problems, [])
        if "then" in rule:
            rule["then"] = _replace(rule["then"], ("rules", i, "then"), values, params, loc, problems, used)
        if isinstance(rule.get("note_en"), str):
            rule["note_en"] = _replace(rule["note_en"], ("rules", i, "note_en"), values, params, loc, problems, [])
        if used and isinstance(rule.get("cites"), list):
            for name in used:
                rule["cites"] += [c for c in params[name].cites if c not in rule["cites"]]
    return params, problems


def _replace(
    v: Any,
    path: tuple[Any, ...],
    values: dict[str, Value],
    params: dict[str, Parameter],
    loc: Located,
    problems: list[Problem],
    used: list[str],
) -> Any:
    if _is_ref(v):
        name = v[REF]
        if name in values:
            if name not in used:
                used.append(name)
            return values[name]
        if name not in params:
            hint = (
                did_you_mean(str(name), list(params))
                if params
                else "；本规则包没有 parameters no parameters in this pack"
            )
            problems.append(
                loc.problem((*path, REF), f"{named_path(path)}: 未定义的参数 unknown parameter {name!r}{hint}")
            )
        return v
    if isinstance(v, dict):
        return {k: _replace(x, (*path, k), values, params, loc, problems, used) for k, x in v.items()}
    if isinstance(v, list):
        return [_replace(x, (*path, j), values, params, loc, problems, used) for j, x in enumerate(v)]
    if isinstance(v, str) and "{parameter." in v:
        return _replace_in_text(v, path, values, params, loc, problems, used)
    return v


def _replace_in_text(
    text: str,
    path: tuple[Any, ...],
    values: dict[str, Value],
    params: dict[str, Parameter],
    loc: Located,
    problems: list[Problem],
    used: list[str],
) -> str:
    def one(m: re.Match[str]) -> str:
        name = m.group(1)
        if name in values:
            if name not in used:
                used.append(name)
            return _as_text(values[name])
        if name not in params:
            hint = did_you_mean(name, list(params)) if params else "；本规则包没有 parameters no parameters here"
            text = f"{named_path(path)}: 文中未定义的参数 unknown parameter {m.group(0)}{hint}"
            problems.append(loc.problem(path, text))
        return m.group(0)

    return IN_TEXT.sub(one, text)


def _as_text(value: Value) -> str:
    # 0.2, not 0.20000000000000001; True as 是 would be a guess, so booleans and lists are shown as YAML writes them
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list):
        return "、".join(str(x) for x in value)
    return str(value)


# A number with a unit after it, in a rule's text: what a policy number looks like inside a sentence (an
# article number such as 13(4) has no unit, and is not a parameter).
_UNITS = "天|人|名|公里|km|%|％|元|分|次|个|岁|周岁|月|年|周|日"
_NUMBER_IN_TEXT = re.compile(rf"(?<![\d.])(\d+(?:\.\d+)?)(?=\s*(?:{_UNITS}))")


def literal_duplicates(loc: Located) -> list[tuple[tuple[Any, ...], str, Value]]:
    """Numbers written in a rule that equal a parameter of the same pack: (path, parameter, value).

    Only numbers other than 0 and 1 count (a flag or a count of one is not a policy threshold)."""
    problems: list[Problem] = []
    params = read_parameters(loc, problems)
    start, _ = _period(loc.data) if isinstance(loc.data, dict) else (None, None)
    by_value: dict[Any, str] = {}  # value -> the parameters holding it ("a 或 b" when two hold one number)
    for name, p in params.items():
        value = p.value_on(start) if start else None
        if isinstance(value, int | float) and not isinstance(value, bool) and value not in (0, 1):
            by_value[value] = f"{by_value[value]} 或 {name}" if value in by_value else name
    out: list[tuple[tuple[Any, ...], str, Value]] = []

    def walk(v: Any, path: tuple[Any, ...]) -> None:
        if _is_ref(v):
            return
        if isinstance(v, dict):
            for k, x in v.items():
                walk(x, (*path, k))
        elif isinstance(v, list):
            for j, x in enumerate(v):
                walk(x, (*path, j))
        elif isinstance(v, int | float) and not isinstance(v, bool) and v in by_value:
            out.append((path, by_value[v], v))
        elif isinstance(v, str):
            # "不少于20天" in a message: the number goes stale when the parameter changes
            for m in _NUMBER_IN_TEXT.finditer(v):
                n = float(m.group(1)) if "." in m.group(1) else int(m.group(1))
                if n in by_value:
                    out.append((path, by_value[n], m.group(0)))

    rules = loc.data.get("rules") if isinstance(loc.data, dict) else None
    for i, rule in enumerate(rules if isinstance(rules, list) else []):
        if isinstance(rule, dict):
            for key in ("when", "then", "note_en"):
                walk(rule.get(key), ("rules", i, key))
    return out
