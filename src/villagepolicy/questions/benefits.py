"""benefits and insurance_check: what a stationed cadre is owed, in yuan as Decimal to the fen, and insurance minima.

Rates live in the packs as quoted decimals ("0.8"; a YAML float is refused at load), each with its
clause. Python multiplies rate by units, rounds each amount half-up to the fen, and sums. Nothing
here ever touches a float: facts given as JSON numbers are read through their decimal repr.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict, Field, StrictInt, model_validator

from ..decision import Citation, Decision, Finding
from ..errors import EngineError
from ..packs.schema import ID
from ..vocabulary import Authority, Role
from ._collect import FactDate
from ._common import Money, MonthField, PackMoney, item_citations, merge, not_covered, single_outcome, yuan
from .base import Match, Question

Basis = Literal[
    "per_month",  # rate once for the month
    "per_day_in_village",  # rate × days_in_village
    "per_km_round_trip",  # rate × distance_km × 2 × round trips (at most max_units)
    "daily_wage_multiple",  # rate × daily_wage × unused_leave_days
    "per_year",  # a yearly amount, listed beside the month's total, not in it
    "not_quantified",  # owed, but the document gives no amount (比照…, 按有关规定)
    "service",  # owed in kind (a health check, insurance, lodging)
    "status",  # a standing, not money (counts as grassroots experience)
]
MONTHLY = ("per_month", "per_day_in_village", "per_km_round_trip", "daily_wage_multiple")


class EntitlementSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ID)
    what_zh: str = Field(min_length=1)
    what_en: str = ""
    basis: Basis
    rate_yuan: PackMoney | None = Field(default=None, description='quoted decimal, e.g. "0.8"; the multiple for wages')
    minimum: bool = Field(default=False, description="the rate is a floor (不低于), not the amount")
    max_units: int | None = Field(default=None, ge=1, description="at most this many units (4 round trips a month)")
    per: Literal["person", "team", "unspecified"] = "person"
    payer: list[Authority] = Field(default_factory=list)
    alternative_zh: str | None = Field(default=None, description="another way the document allows (凭票报销)")
    funding_zh: str | None = None
    hedged: bool = False
    cites: list[str] = Field(default_factory=list)
    interpretations: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _rate(self) -> EntitlementSpec:
        needs = self.basis in (*MONTHLY, "per_year")
        if needs and self.rate_yuan is None:
            raise ValueError(f"basis {self.basis} needs rate_yuan")
        if not needs and self.rate_yuan is not None:
            raise ValueError(f"basis {self.basis} takes no rate_yuan")
        return self


class BenefitsEffect(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Literal["computed", "not_covered"]
    entitlements: list[EntitlementSpec] = Field(default_factory=list)


class BenefitsFacts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    role: Role
    dispatched_by: Literal["county", "town", "other_unit"]
    month: MonthField
    days_in_village: StrictInt = Field(default=0, ge=0, le=31)
    round_trips: StrictInt = Field(default=0, ge=0, le=62)
    distance_km: Money | None = Field(default=None, description="one way, dispatching unit to the village station")
    unused_leave_days: StrictInt = Field(default=0, ge=0, le=366)
    daily_wage: Money | None = Field(default=None, description="yuan per day (当年日工资收入)")
    stationed_since: FactDate | None = Field(
        default=None, description="for allowances that start after months stationed"
    )

    @model_validator(mode="after")
    def _consistent(self) -> BenefitsFacts:
        problems = []
        if self.days_in_village > self.month.end.day:
            problems.append(f"days_in_village {self.days_in_village} exceeds the days of {self.month}")
        if self.round_trips and self.distance_km is None:
            problems.append("round_trips given without distance_km")
        if self.unused_leave_days and self.daily_wage is None:
            problems.append("unused_leave_days given without daily_wage")
        for name in ("distance_km", "daily_wage"):
            v = getattr(self, name)
            if v is not None and v < 0:
                problems.append(f"{name} is negative")
        if self.stationed_since is not None and self.stationed_since > self.month.end:
            problems.append(f"stationed_since {self.stationed_since} is after {self.month}")
        if problems:
            raise ValueError("; ".join(problems))
        return self


class BenefitsCase(BaseModel):
    role: Role
    dispatched_by: Literal["county", "town", "other_unit"]
    days_in_village: int
    round_trips: int
    unused_leave_days: int
    months_stationed: int | None = None


def _months_stationed(since: dt.date, month_end: dt.date) -> int:
    d = relativedelta(month_end + dt.timedelta(days=1), since)
    return d.years * 12 + d.months


def _case(facts: BenefitsFacts, on: dt.date) -> dict[str, Any]:
    case: dict[str, Any] = {
        "role": facts.role,
        "dispatched_by": facts.dispatched_by,
        "days_in_village": facts.days_in_village,
        "round_trips": facts.round_trips,
        "unused_leave_days": facts.unused_leave_days,
    }
    if facts.stationed_since is not None:  # absent: rules on months_stationed do not fire
        case["months_stationed"] = _months_stationed(facts.stationed_since, facts.month.end)
    return case


class Entitlement(BaseModel):
    id: str
    what_zh: str
    what_en: str = ""
    basis: str
    per: str = "person"
    amount_yuan: Money | None = Field(default=None, description="to the fen; null when the document gives no amount")
    minimum: bool = False
    rate_yuan: Money | None = None
    units: Money | None = None
    computation: str | None = None
    in_month_total: bool = False
    payer: list[str] = Field(default_factory=list)
    alternative_zh: str | None = None
    funding_zh: str | None = None
    hedged: bool = False
    citation: Citation
    citations: list[Citation]
    rule: str


class BenefitsDecision(Decision):
    month: str | None = None
    months_stationed: int | None = None
    entitlements: list[Entitlement] = Field(default_factory=list)
    total_month_yuan: Money | None = Field(default=None, description="sum of the month's quantified amounts")
    yearly_yuan: Money | None = Field(default=None, description="sum of the yearly amounts listed (not in the month)")


def _amount(spec: EntitlementSpec, facts: BenefitsFacts) -> tuple[Decimal | None, Decimal | None, str | None]:
    rate = spec.rate_yuan
    if rate is None:
        return None, None, None
    if spec.basis in ("per_month", "per_year"):
        units = Decimal(1)
        how = f"{rate} × 1"
    elif spec.basis == "per_day_in_village":
        units = Decimal(facts.days_in_village)
        how = f"{rate} × {facts.days_in_village} 天 days"
    elif spec.basis == "per_km_round_trip":
        trips = min(facts.round_trips, spec.max_units or facts.round_trips)
        km = facts.distance_km or Decimal(0)
        units = km * 2 * trips
        how = f"{rate} × {km} km × 2 × {trips} 次往返 round trips"
        if facts.round_trips > trips:
            how += f"（{facts.round_trips} 次中最多计 {trips} 次 at most {trips} counted）"
    else:  # daily_wage_multiple
        wage = facts.daily_wage or Decimal(0)
        units = wage * facts.unused_leave_days
        how = f"{rate} × {wage} 元/天 × {facts.unused_leave_days} 天 days"
    return yuan(rate * units), units, how


def _combine_benefits(m: Match) -> Decision:
    facts: BenefitsFacts = m.facts  # type: ignore[assignment]
    ctx = {"month": str(facts.month), "months_stationed": m.case.get("months_stationed")}
    if not m.rules or single_outcome(m) == "not_covered":
        return not_covered(m).model_copy(update=ctx)
    items: list[Entitlement] = []
    seen: dict[str, str] = {}
    for r in m.rules:
        for spec in r.effect.entitlements:  # type: ignore[attr-defined]
            if spec.id in seen:
                raise EngineError(
                    f"{m.pack.meta.id}: entitlement {spec.id!r} is set by rules {seen[spec.id]} and {r.rule.id}"
                )
            seen[spec.id] = r.rule.id
            cites = item_citations(m, r.rule, spec.cites, spec.interpretations, f"entitlement {spec.id}")
            amount, units, how = _amount(spec, facts)
            items.append(
                Entitlement(
                    id=spec.id,
                    what_zh=spec.what_zh,
                    what_en=spec.what_en,
                    basis=spec.basis,
                    per=spec.per,
                    amount_yuan=amount,
                    minimum=spec.minimum,
                    rate_yuan=spec.rate_yuan,
                    units=units,
                    computation=how,
                    in_month_total=spec.basis in MONTHLY,
                    payer=list(spec.payer),
                    alternative_zh=spec.alternative_zh,
                    funding_zh=spec.funding_zh,
                    hedged=spec.hedged,
                    citation=cites[0],
                    citations=cites,
                    rule=r.rule.id,
                )
            )
    total = sum((e.amount_yuan for e in items if e.in_month_total and e.amount_yuan is not None), Decimal("0.00"))
    yearly = [e.amount_yuan for e in items if e.basis == "per_year" and e.amount_yuan is not None]
    manual = [
        Finding(
            id=e.id,
            passed=False,
            message_zh=f"{e.what_zh}：文件未定金额，按{e.alternative_zh or '有关规定'}核定",
            message_en=f"{e.id}: owed, but the document sets no amount",
            severity="manual_check",
            hedged=e.hedged,
            citation=e.citation,
            rule=e.rule,
        )
        for e in items
        if e.basis == "not_quantified"
    ]
    return m.base(
        "computed",
        entitlements=items,
        total_month_yuan=yuan(total),
        yearly_yuan=yuan(sum(yearly, Decimal(0))) if yearly else None,
        manual_checks=manual,
        **ctx,
    )


BENEFITS = Question(
    name="benefits",
    title_zh="待遇保障",
    facts_model=BenefitsFacts,
    case_model=BenefitsCase,
    effect_model=BenefitsEffect,
    hit_policy="collect",
    decision_model=BenefitsDecision,
    to_case=_case,
    combine=_combine_benefits,
    outcome_labels={"computed": "已计算", "not_covered": "文件未规定"},
)


# ── insurance_check ──


class InsuranceFacts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    premium_yuan: Money | None = Field(default=None, description="premium per person per year")
    cover_yuan: Money | None = Field(default=None, description="sum insured (保额)")
    role: Role | None = None

    @model_validator(mode="after")
    def _something(self) -> InsuranceFacts:
        if self.premium_yuan is None and self.cover_yuan is None:
            raise ValueError("give premium_yuan or cover_yuan (or both)")
        for name in ("premium_yuan", "cover_yuan"):
            v = getattr(self, name)
            if v is not None and v < 0:
                raise ValueError(f"{name} is negative")
        return self


class InsuranceCase(BaseModel):
    role: Role | None = None


class InsuranceEffect(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Literal["checked", "not_covered"]
    min_premium_yuan: PackMoney | None = None
    min_cover_yuan: PackMoney | None = None


def _insurance_case(facts: InsuranceFacts, on: dt.date) -> dict[str, Any]:
    return {} if facts.role is None else {"role": facts.role}


class InsuranceDecision(Decision):
    min_premium_yuan: Money | None = None
    min_cover_yuan: Money | None = None


def _combine_insurance(m: Match) -> Decision:
    facts: InsuranceFacts = m.facts  # type: ignore[assignment]
    if not m.rules or single_outcome(m) == "not_covered":
        return not_covered(m)
    f, source = merge(m)
    if f.get("min_premium_yuan") is None and f.get("min_cover_yuan") is None:
        # Insurance required with no minimum: nothing to measure a policy against, so no verdict (the rules'
        # clauses show the silence).
        note = f"{m.pack.meta.id}: 要求办理保险但未定最低标准 insurance is required but no minimum is set"
        return m.base("not_covered", notes=[note])
    cite = {r.rule.id: m.pack.cite(r.rule)[0] for r in m.rules}
    findings: list[Finding] = []
    manual: list[Finding] = []
    for field, given, zh in (
        ("min_premium_yuan", facts.premium_yuan, "保费"),
        ("min_cover_yuan", facts.cover_yuan, "保额"),
    ):
        floor = f.get(field)
        if floor is None:
            continue
        rule = source[field]
        if given is None:
            manual.append(
                Finding(
                    id=field,
                    passed=False,
                    message_zh=f"{zh}未提供，应不低于{floor}元",
                    message_en=f"{field}: not given; the minimum is {floor}",
                    severity="manual_check",
                    citation=cite[rule],
                    rule=rule,
                )
            )
            continue
        findings.append(
            Finding(
                id=field,
                passed=given >= floor,
                message_zh=f"{zh}{given}元，应不低于{floor}元",
                message_en=f"{field}: {given} against a minimum of {floor}",
                citation=cite[rule],
                rule=rule,
            )
        )
    notes: list[str] = []
    failed = any(not x.passed for x in findings)
    outcome = "below_minimum" if failed else ("undetermined" if manual else "meets")
    return m.base(
        outcome,
        min_premium_yuan=f.get("min_premium_yuan"),
        min_cover_yuan=f.get("min_cover_yuan"),
        findings=findings,
        manual_checks=manual,
        notes=notes,
    )


INSURANCE_CHECK = Question(
    name="insurance_check",
    title_zh="人身意外伤害保险核查",
    facts_model=InsuranceFacts,
    case_model=InsuranceCase,
    effect_model=InsuranceEffect,
    hit_policy="collect",
    decision_model=InsuranceDecision,
    to_case=_insurance_case,
    combine=_combine_insurance,
    outcome_labels={
        "meets": "符合最低标准",
        "below_minimum": "低于最低标准",
        "undetermined": "待核实",
        "not_covered": "文件未规定",
    },
)

QUESTIONS = (BENEFITS, INSURANCE_CHECK)
