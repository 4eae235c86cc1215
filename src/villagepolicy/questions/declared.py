"""Questions a pack declares in YAML (its `questions:` section): typed facts, a fixed set of derivations, and
the decision as a first-match table or as checks (issue 17 item 5).

    questions:
      rest_rota:
        title_zh: 轮休
        outcomes: {compliant: 符合, non_compliant: 不符合}
        facts:
          role: {kind: role}
          records: {type: records, kinds: {rest: 轮休, in_village: 在村}}
        derive:
          rest_days_max_per_week: {count: records, kinds: [rest], per: week, take: max}

Nothing here knows any county or question: a county adds a rest rota, a leave quota per quarter or a daily
staffing minimum as data. What YAML cannot say stays in the built-in questions (their module docstrings
say why). A declared question becomes an ordinary `Question`, so decide, explain, pack tests, the service
and lint treat it like a built-in one.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, create_model, model_validator

from .. import calendar as workdays
from ..decision import Decision
from ..vocabulary import enum, kinds
from ._collect import CheckEffect, Outcomes, collect, fill
from .base import Match, Question, first_match

__all__ = ["DeclaredDecision", "QuestionSpec", "build", "declared", "register"]

ID = r"^[a-z][a-z0-9_]*$"
Per = Literal["day", "working_day", "week", "month", "quarter", "year"]
MAX_RECORDS = 100_000


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldType(_Strict):
    """A number a record carries besides its date and kind (e.g. days)."""

    type: Literal["int", "number"] = "int"
    min: float | None = None
    max: float | None = None
    label_zh: str | None = None


class FactSpec(_Strict):
    """One fact of a declared question. `kind: role` is short for an id of that vocabulary kind."""

    type: Literal["bool", "int", "number", "str", "date", "id", "records"] | None = None
    kind: str | None = Field(default=None, description="the vocabulary kind of an id fact (role, authority, …)")
    kinds: dict[str, str] = Field(default_factory=dict, description="records: their kinds, id -> Chinese label")
    fields: dict[str, FieldType] = Field(default_factory=dict, description="records: numbers each may carry")
    min: float | None = None
    max: float | None = None
    required: bool = True
    label_zh: str | None = None
    label_en: str | None = None

    @model_validator(mode="after")
    def _shape(self) -> FactSpec:
        t = self.type or ("id" if self.kind else None)
        if t is None:
            raise ValueError("请写 type (bool/int/number/str/date/records) 或 kind (词表类别) give type or kind")
        if t == "id" and self.kind not in kinds():
            raise ValueError(f"kind {self.kind!r} 不是词表类别 not a vocabulary kind; 可用 valid: {', '.join(kinds())}")
        if t == "records" and not self.kinds:
            raise ValueError("records 须列出 kinds (记录类别 id: 中文名) records need their kinds")
        if t != "records" and (self.kinds or self.fields):
            raise ValueError("kinds/fields 只用于 records only records take kinds and fields")
        return self

    @property
    def of_type(self) -> str:
        return self.type or "id"


class DeriveSpec(_Strict):
    """A value computed from the facts; exactly one of count, sum, longest_run, age, working_days."""

    count: str | None = Field(default=None, description="records fact: how many records (per period)")
    sum: str | None = Field(default=None, description="a number field of the records to add up (with `of`)")
    of: str | None = None
    longest_run: str | None = Field(default=None, description="records fact: longest run of consecutive days")
    age: str | None = Field(default=None, description="date fact: full years at the decision date")
    working_days: list[str] | None = Field(default=None, description="two date facts: working days from-to")
    kinds: list[str] = Field(default_factory=list, description="only records of these kinds (default all)")
    per: Per | None = Field(default=None, description="count/sum per period; then `take` one of them")
    take: Literal["max", "min", "total"] = "max"
    within: list[str] | None = Field(default=None, description="two date facts: every period between counts")
    window_days: int | None = Field(default=None, ge=1, le=366, description="count in any rolling window")
    label_zh: str | None = None

    @model_validator(mode="after")
    def _one(self) -> DeriveSpec:
        given = [k for k in ("count", "sum", "longest_run", "age", "working_days") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(f"须且只能写其一 give exactly one of count, sum, longest_run, age, working_days ({given})")
        if self.sum is not None and self.of is None:
            raise ValueError("sum 须写 of (哪一项记录) sum needs `of`: the records fact")
        if self.working_days is not None and len(self.working_days) != 2:
            raise ValueError("working_days 须写两个日期事实 needs two date facts [from, to]")
        if self.within is not None and len(self.within) != 2:
            raise ValueError("within 须写两个日期事实 needs two date facts [from, to]")
        if self.window_days is not None and self.per is not None:
            raise ValueError("window_days 与 per 只能二选一 give per or window_days, not both")
        return self

    @property
    def records(self) -> str | None:
        return self.count or self.of or self.longest_run


class ChecksSpec(_Strict):
    """With `decide: checks`: the outcome when every check passes, when one fails, and when only hedged ones do."""

    ok: str
    fail: str
    hedged: str | None = None


class RosterSpec(_Strict):
    """How `villagepolicy check` asks the question of a roster: per person or per village, where each fact comes
    from (a people column, the check's period_start or as_of, or the records sheet), and which outcomes fail."""

    scope: Literal["person", "village"] = "person"
    facts: dict[str, str] = Field(
        default_factory=dict,
        description="fact -> a people column, period_start, as_of, records (the records sheet) or attendance (the "
        "attendance sheet: its kinds are the shipped record kinds, so a question need not copy attendance)",
    )
    violations: list[str] = Field(default_factory=list, description="outcomes reported as violations")
    warnings: list[str] = Field(default_factory=list, description="outcomes reported as warnings")


class QuestionSpec(_Strict):
    title_zh: str = Field(min_length=1)
    title_en: str = ""
    outcomes: dict[str, str] = Field(min_length=1, description="outcome id -> Chinese label")
    decide: Literal["first_match", "checks"] = "first_match"
    checks: ChecksSpec | None = None
    facts: dict[str, FactSpec] = Field(min_length=1)
    derive: dict[str, DeriveSpec] = Field(default_factory=dict)
    roster: RosterSpec | None = Field(default=None, description="how villagepolicy check asks it of a roster")

    @model_validator(mode="after")
    def _consistent(self) -> QuestionSpec:
        problems = []
        if self.roster is not None:
            for o in self.roster.violations + self.roster.warnings:
                if o not in self.outcomes:
                    problems.append(f"roster: 结论 {o!r} 不在 outcomes 中 is not a declared outcome")
            for fact, source in self.roster.facts.items():
                if fact not in self.facts:
                    problems.append(f"roster.facts: {fact!r} 不是本问题的事实 is not a fact of the question")
                elif (source in ("records", "attendance")) != (self.facts[fact].of_type == "records"):
                    problems.append(
                        f"roster.facts.{fact}: records 事实取自 records 或 attendance 表 records facts come from the "
                        "records or the attendance sheet"
                    )
        if self.decide == "checks" and self.checks is None:
            problems.append("decide: checks 须写 checks: {ok: …, fail: …} (the outcomes of passing and failing)")
        if self.checks is not None:
            for o in (self.checks.ok, self.checks.fail, self.checks.hedged):
                if o is not None and o not in self.outcomes:
                    problems.append(f"checks 的结论 {o!r} 不在 outcomes 中 is not a declared outcome")
        for name, d in self.derive.items():
            if name in self.facts:
                problems.append(f"derive.{name} 与事实同名 has the name of a fact")
            for ref, want in ((d.records, "records"), (d.age, "date")):
                if ref is not None and (ref not in self.facts or self.facts[ref].of_type != want):
                    problems.append(f"derive.{name}: {ref!r} 不是 {want} 事实 is not a {want} fact of the question")
            for ref in (d.working_days or []) + (d.within or []):
                if ref not in self.facts or self.facts[ref].of_type != "date":
                    problems.append(f"derive.{name}: {ref!r} 不是 date 事实 is not a date fact of the question")
            rec = self.facts.get(d.records or "")
            if rec is not None:
                for k in d.kinds:
                    if k not in rec.kinds:
                        problems.append(f"derive.{name}: 记录类别 {k!r} 不在 {d.records}.kinds 中 not a kind of it")
                if d.sum is not None and d.sum not in rec.fields:
                    problems.append(f"derive.{name}: {d.records} 的记录没有数值项 has no field {d.sum!r}")
        if problems:
            raise ValueError("；".join(problems))
        return self


class DeclaredDecision(Decision):
    """A declared question's decision: the text of the rule that decided, and the values it was decided on."""

    message_zh: str | None = Field(default=None, description="the deciding rule's message, its {names} filled")
    message_en: str | None = None
    values: dict[str, Any] = Field(default_factory=dict, description="the facts and derived values the rules saw")


# ── building the models ─────────────────────────────────────────────────────────────────────────────────


def _scalar_type(spec: FactSpec) -> Any:
    t = spec.of_type
    if t == "id":
        return enum(spec.kind or "")
    return {"bool": StrictBool, "int": StrictInt, "number": float, "str": StrictStr, "date": dt.date}[t]


def _bounds(spec: FactSpec | FieldType) -> dict[str, Any]:
    out = {}
    if spec.min is not None:
        out["ge"] = spec.min
    if spec.max is not None:
        out["le"] = spec.max
    return out


def _record_model(qname: str, fname: str, spec: FactSpec) -> type[BaseModel]:
    fields: dict[str, Any] = {
        "date": (dt.date, Field(description="记录日期 the day")),
        "kind": (Literal.__getitem__(tuple(spec.kinds)), Field(description="记录类别 " + "、".join(spec.kinds))),
        "who": (StrictStr | None, Field(default=None, description="whose record (a person's id), if several")),
    }
    for n, f in spec.fields.items():
        fields[n] = ((StrictInt if f.type == "int" else float) | None, Field(default=None, **_bounds(f)))
    return create_model(  # type: ignore[call-overload]
        f"{_camel(qname)}{_camel(fname)}Record", __config__=ConfigDict(extra="forbid", frozen=True), **fields
    )


def _camel(s: str) -> str:
    return "".join(p.capitalize() for p in s.split("_"))


def _facts_model(name: str, spec: QuestionSpec) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for fname, f in spec.facts.items():
        if f.of_type == "records":
            t: Any = list[_record_model(name, fname, f)]  # type: ignore[misc]
            extra: dict[str, Any] = {"max_length": MAX_RECORDS}
        else:
            t, extra = _scalar_type(f), _bounds(f)
        desc = " ".join(x for x in (f.label_zh, f.label_en) if x) or None
        if f.required:
            fields[fname] = (t, Field(description=desc, **extra))
        else:
            fields[fname] = (t | None, Field(default=None, description=desc, **extra))
    return create_model(  # type: ignore[call-overload]
        f"{_camel(name)}Facts", __config__=ConfigDict(extra="forbid", frozen=True), **fields
    )


def _case_model(name: str, spec: QuestionSpec) -> type[BaseModel]:
    # What rules test: scalar facts (dates are only read through derivations) and the derived numbers.
    fields: dict[str, Any] = {}
    for fname, f in spec.facts.items():
        if f.of_type not in ("records", "date"):
            fields[fname] = (_scalar_type(f) | None, None)
    for dname, d in spec.derive.items():
        summed = d.sum is not None and spec.facts[d.of or ""].fields[d.sum].type == "number"
        fields[dname] = (float | None if summed else int | None, None)
    return create_model(f"{_camel(name)}Case", **fields)  # type: ignore[call-overload]


def _placeholders(spec: QuestionSpec) -> frozenset[str]:
    names = {f for f, s in spec.facts.items() if s.of_type != "records"} | set(spec.derive)
    names |= {f"{d}_period" for d, s in spec.derive.items() if s.per or s.window_days}
    return frozenset(names)


def _effect_model(name: str, spec: QuestionSpec) -> type[BaseModel]:
    fills = _placeholders(spec)
    if spec.decide == "checks":
        return type(f"{_camel(name)}Effect", (CheckEffect,), {"placeholders": fills, "__module__": __name__})
    outcome = Literal.__getitem__((*spec.outcomes, "not_covered"))
    model = create_model(  # type: ignore[call-overload]
        f"{_camel(name)}Effect",
        __config__=ConfigDict(extra="forbid"),
        outcome=(outcome, ...),
        message_zh=(str | None, None),
        message_en=(str | None, None),
    )
    model.placeholders = fills  # read by the loader's check of {names} in messages
    return model


# ── derivations ─────────────────────────────────────────────────────────────────────────────────────────


def _period_of(day: dt.date, per: str) -> str:
    if per in ("day", "working_day"):
        return day.isoformat()
    if per == "week":
        y, w, _ = day.isocalendar()
        return f"{y}-W{w:02d}"
    if per == "month":
        return f"{day.year}-{day.month:02d}"
    if per == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


def _days(a: dt.date, b: dt.date) -> Iterable[dt.date]:
    for n in range((b - a).days + 1):
        yield a + dt.timedelta(days=n)


def _per_period(d: DeriveSpec, records: list[Any], facts: BaseModel) -> tuple[Any, str | None]:
    """(the value taken over the periods, the label of the period that has it)."""
    per = d.per or "year"
    totals: Counter[str] = Counter()
    if d.within is not None:
        start, end = (getattr(facts, n) for n in d.within)
        if start is None or end is None:
            return None, None
        records = [r for r in records if start <= r.date <= end]
        for day in _days(start, end):  # a period with no record counts as 0 (a minimum sees it)
            if per != "working_day" or workdays.is_working_day(day):
                totals[_period_of(day, per)] += 0
    for r in records:
        if per == "working_day" and not workdays.is_working_day(r.date):
            continue
        totals[_period_of(r.date, per)] += 1 if d.count is not None else (getattr(r, d.sum or "") or 0)
    if not totals:
        return 0, None
    pick = max if d.take == "max" else min
    label = pick(sorted(totals), key=lambda k: totals[k])
    return totals[label], label


def _rolling(d: DeriveSpec, records: list[Any]) -> tuple[int, str | None]:
    days = sorted(r.date for r in records)
    best, label, j = 0, None, 0
    width = dt.timedelta(days=(d.window_days or 1) - 1)
    for i, start in enumerate(days):
        while j < len(days) and days[j] <= start + width:
            j += 1
        if j - i > best:
            best, label = j - i, f"{start.isoformat()}..{(start + width).isoformat()}"
    return best, label


def _longest_run(records: list[Any]) -> int:
    days = sorted({r.date for r in records})
    best = run = 0
    for i, day in enumerate(days):
        run = run + 1 if i and (day - days[i - 1]).days == 1 else 1
        best = max(best, run)
    return best


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _derive(spec: QuestionSpec) -> Callable[[Any, dt.date], dict[str, Any]]:
    scalars = [f for f, s in spec.facts.items() if s.of_type not in ("records", "date")]

    def to_case(facts: Any, on: dt.date) -> dict[str, Any]:
        case: dict[str, Any] = {f: getattr(facts, f) for f in scalars if getattr(facts, f) is not None}
        for name, d in spec.derive.items():
            value: Any
            label: str | None = None
            if d.age is not None:
                born = getattr(facts, d.age)
                value = None if born is None else _age(born, on)
            elif d.working_days is not None:
                a, b = (getattr(facts, n) for n in d.working_days)
                value = None if a is None or b is None else workdays.working_days_between(a, b)
            else:
                given = getattr(facts, d.records or "")
                if given is None:
                    continue
                records = [r for r in given if not d.kinds or r.kind in d.kinds]
                if d.longest_run is not None:
                    value = _longest_run(records)
                elif d.window_days is not None:
                    value, label = _rolling(d, records)
                elif d.per is None or d.take == "total":
                    value = len(records) if d.count is not None else sum(getattr(r, d.sum or "") or 0 for r in records)
                else:
                    value, label = _per_period(d, records, facts)
            if value is not None:
                case[name] = value
            if label is not None:
                case[f"{name}_period"] = label
        return case

    return to_case


# ── deciding ────────────────────────────────────────────────────────────────────────────────────────────


def _first_match(m: Match) -> Decision:
    d = first_match(m)
    values = {k: v for k, v in m.case.items() if not isinstance(v, dt.date)}
    if m.rules:
        e = m.rules[0].effect
        d.message_zh = fill(e.message_zh, m.case) if e.message_zh else None  # type: ignore[attr-defined]
        d.message_en = fill(e.message_en, m.case) if e.message_en else None  # type: ignore[attr-defined]
    d.values = values  # type: ignore[attr-defined]
    return d


def _checks(outcomes: Outcomes) -> Callable[[Match], Decision]:
    def combine(m: Match) -> Decision:
        d = collect(m, outcomes)
        d.values = dict(m.case)  # type: ignore[attr-defined]
        return d

    return combine


def build(name: str, spec: QuestionSpec) -> Question:
    """The Question a pack's `questions:` entry declares."""
    checks = spec.checks
    return Question(
        name=name,
        title_zh=spec.title_zh,
        facts_model=_facts_model(name, spec),
        case_model=_case_model(name, spec),
        effect_model=_effect_model(name, spec),
        hit_policy="collect" if spec.decide == "checks" else "unique",
        decision_model=DeclaredDecision,
        to_case=_derive(spec),
        combine=_checks(Outcomes(ok=checks.ok, hedged=checks.hedged or checks.ok, fail=checks.fail))
        if checks is not None and spec.decide == "checks"
        else _first_match,
        outcome_labels={**spec.outcomes, "not_covered": "文件未规定"},
        declared_spec=spec,
    )


# Declared questions loaded so far, by name, so that labels and titles are found wherever a decision is shown
# (as the vocabulary's declared labels are). Which questions a jurisdiction answers is its packs' business.
_DECLARED: dict[str, Question] = {}


def register(questions: dict[str, Question]) -> None:
    _DECLARED.update(questions)


def declared(name: str) -> Question | None:
    return _DECLARED.get(name)

