"""supervision_plan: the checks a month requires, a reproducible random sample that meets them, and a quota check.

The packs hold the quotas (who checks, how often, how many checks, what share or number of people
each). Python computes the people per check (a share rounded up; never more than the roster), draws
the sample, and counts the checks done.

Sampling (docs/questions/supervision.md): `random.Random(seed)`; for each requirement in pack
order, for each check it needs, `rng.sample(sorted(roster ids), k)`. The same seed, roster, month
and packs give the same sample on the same Python minor version. Without a seed one is drawn from
the operating system and returned in `d.seed`, so the plan can be reproduced but not predicted.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from decimal import ROUND_CEILING
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator, model_validator

from ..decision import Citation, Decision, Finding
from ..errors import EngineError, FactError
from ..packs.schema import ID
from ..vocabulary import Authority, Role
from ._common import MonthField, PackMoney, item_citations, not_covered, single_outcome
from .base import Match, Question

Kind = Literal["inspection", "spot_check"]


class RequirementSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ID)
    what_zh: str = Field(min_length=1)
    kind: Kind
    by: list[Authority] = Field(min_length=1)
    every: Literal["month", "quarter"]
    min_count: int = Field(ge=1)
    min_share: PackMoney | None = Field(default=None, description='share of the people stationed, e.g. "0.30"')
    min_people: int | None = Field(default=None, ge=1)
    cites: list[str] = Field(default_factory=list)
    interpretations: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _size(self) -> RequirementSpec:
        if self.min_share is not None and not (0 < self.min_share <= 1):
            raise ValueError("min_share must be in (0, 1]")
        if self.min_share is not None and self.min_people is not None:
            raise ValueError("give min_share or min_people, not both")
        return self


class SupervisionEffect(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Literal["planned", "not_covered"]
    requirements: list[RequirementSpec] = Field(default_factory=list)


class Stationed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    name: str | None = None
    role: Role | None = None
    village: str | None = None


class CheckDone(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Kind
    by: Authority
    date: dt.date
    people: list[str] | None = Field(default=None, description="ids checked (must be on the roster)")
    people_count: StrictInt | None = Field(
        default=None, ge=0, description="how many were checked, when ids are not kept"
    )


class SupervisionFacts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    month: MonthField
    roster: list[Stationed]
    seed: StrictInt | None = Field(default=None, ge=0, lt=2**63)
    checks_done: list[CheckDone] | None = None

    @field_validator("roster")
    @classmethod
    def _unique(cls, v: list[Stationed]) -> list[Stationed]:
        seen: dict[str, int] = {}
        for i, p in enumerate(v):
            if p.id in seen:
                raise ValueError(f"duplicate id {p.id!r} at rows {seen[p.id]} and {i}")
            seen[p.id] = i
        return v


class SupervisionCase(BaseModel):
    roster_size: int


class Requirement(BaseModel):
    id: str
    what_zh: str
    kind: str
    by: list[str]
    every: str
    window_start: dt.date
    window_end: dt.date
    min_count: int
    min_share: str | None = None
    min_people: int | None = None
    people_per_check: int | None = Field(default=None, description="people each check must cover; null: no size set")
    capped_at_roster: bool = False
    samples: list[list[str]] = Field(default_factory=list, description="one proposed sample per required check")
    done: int | None = Field(default=None, description="qualifying checks recorded in the window")
    status: Literal["planned", "met", "short", "pending"] = "planned"
    citation: Citation
    citations: list[Citation]
    rule: str


class SupervisionDecision(Decision):
    month: str | None = None
    roster_size: int | None = None
    seed: int | None = None
    requirements: list[Requirement] = Field(default_factory=list)
    ignored_records: list[int] = Field(default_factory=list, description="checks_done rows outside every window")


def _case(facts: SupervisionFacts, on: dt.date) -> dict[str, Any]:
    return {"roster_size": len(facts.roster)}


def _quarter(month_start: dt.date) -> tuple[dt.date, dt.date]:
    q0 = dt.date(month_start.year, 3 * ((month_start.month - 1) // 3) + 1, 1)
    q_end_month = q0.month + 2
    nxt = dt.date(q0.year + (q_end_month == 12), q_end_month % 12 + 1, 1)
    return q0, nxt - dt.timedelta(days=1)


def _check_records(facts: SupervisionFacts) -> None:
    ids = {p.id for p in facts.roster}
    problems = []
    for i, r in enumerate(facts.checks_done or []):
        if r.people is None and r.people_count is None:
            problems.append((f"checks_done.{i}", "give people (ids) or people_count"))
        if r.people is not None:
            unknown = sorted(set(r.people) - ids)
            if unknown:
                problems.append((f"checks_done.{i}.people", f"不在名册 not on the roster: {', '.join(unknown)}"))
            if len(set(r.people)) != len(r.people):
                problems.append((f"checks_done.{i}.people", "重复的人员 an id is listed twice"))
    if problems:
        raise FactError(problems)


def _combine(m: Match) -> Decision:
    facts: SupervisionFacts = m.facts  # type: ignore[assignment]
    seed = facts.seed if facts.seed is not None else secrets.randbits(63)
    n = len(facts.roster)
    ctx = {"month": str(facts.month), "roster_size": n, "seed": seed}
    if not m.rules or single_outcome(m) == "not_covered":
        return not_covered(m).model_copy(update=ctx)
    if facts.checks_done is not None:
        _check_records(facts)
    ids = sorted(p.id for p in facts.roster)
    rng = random.Random(seed)
    reqs: list[Requirement] = []
    findings: list[Finding] = []
    notes: list[str] = []
    used: set[int] = set()
    seen: set[str] = set()
    for r in m.rules:
        for spec in r.effect.requirements:  # type: ignore[attr-defined]
            if spec.id in seen:
                raise EngineError(f"{m.pack.meta.id}: supervision requirement {spec.id!r} is set twice")
            seen.add(spec.id)
            cites = item_citations(m, r.rule, spec.cites, spec.interpretations, f"requirement {spec.id}")
            start, end = (facts.month.start, facts.month.end) if spec.every == "month" else _quarter(facts.month.start)
            size: int | None = None
            capped = False
            if spec.min_share is not None:
                # 不少于30%: a share is rounded up to whole people (10 -> 3, 11 -> 4)
                size = int((spec.min_share * n).to_integral_value(rounding=ROUND_CEILING))
            elif spec.min_people is not None:
                size = spec.min_people
                if size > n:
                    size, capped = n, True
                    notes.append(
                        f"{spec.id}: 派驻{n}人，少于{spec.min_people}人，每次抽查全部人员 "
                        f"only {n} stationed: each check covers all of them"
                    )
            samples = [rng.sample(ids, size) for _ in range(spec.min_count)] if size else []
            req = Requirement(
                id=spec.id,
                what_zh=spec.what_zh,
                kind=spec.kind,
                by=list(spec.by),
                every=spec.every,
                window_start=start,
                window_end=end,
                min_count=spec.min_count,
                min_share=None if spec.min_share is None else format(spec.min_share, "f"),
                min_people=spec.min_people,
                people_per_check=size,
                capped_at_roster=capped,
                samples=samples,
                citation=cites[0],
                citations=cites,
                rule=r.rule.id,
            )
            if facts.checks_done is not None:
                done = 0
                for i, c in enumerate(facts.checks_done):
                    if not (start <= c.date <= end):
                        continue
                    used.add(i)
                    checked = len(c.people) if c.people is not None else (c.people_count or 0)
                    if c.kind == spec.kind and c.by in spec.by and (size is None or checked >= size):
                        done += 1
                req.done = done
                if done >= spec.min_count:
                    req.status = "met"
                elif end > facts.month.end:
                    req.status = "pending"  # the quarter is not over at the end of this month
                else:
                    req.status = "short"
                if req.status != "pending":
                    findings.append(
                        Finding(
                            id=spec.id,
                            passed=req.status == "met",
                            message_zh=f"{spec.what_zh}：{start}至{end}应至少{spec.min_count}次"
                            + (f"、每次不少于{size}人" if size else "")
                            + f"，符合要求的{done}次",
                            message_en=f"{spec.id}: {done} qualifying of {spec.min_count} required",
                            citation=cites[0],
                            rule=r.rule.id,
                        )
                    )
            reqs.append(req)
    if facts.checks_done is None:
        outcome = "planned"
    else:
        outcome = "short" if any(q.status == "short" for q in reqs) else "met"
    ignored = [i for i in range(len(facts.checks_done or [])) if i not in used]
    if n == 0:
        notes.append("名册为空 the roster is empty: no one to sample")
    return m.base(outcome, requirements=reqs, findings=findings, notes=notes, ignored_records=ignored, **ctx)


SUPERVISION_PLAN = Question(
    name="supervision_plan",
    title_zh="督查抽查计划",
    facts_model=SupervisionFacts,
    case_model=SupervisionCase,
    effect_model=SupervisionEffect,
    hit_policy="collect",
    decision_model=SupervisionDecision,
    to_case=_case,
    combine=_combine,
    outcome_labels={"planned": "已排定", "met": "达到要求", "short": "未达要求", "not_covered": "文件未规定"},
)

QUESTIONS = (SUPERVISION_PLAN,)
