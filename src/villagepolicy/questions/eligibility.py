"""eligibility: may this person be selected for this role? Every requirement is a finding (see _collect).

Built in, not declared, because its facts are a public schema with derived values a declared question's
small set of derivations cannot make: party standing in full years from a date, the lowest of several
education levels, village tags as flags, and the roster's people columns mapped onto them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..decision import Decision
from ..errors import FactError
from ..vocabulary import Role, enum
from ._collect import CheckEffect, FactDate, Outcomes, collect, fallback_hooks, full_years
from .base import Match, Question

PartyStatus = enum("party_status")
Employment = enum("employment")
Education = enum("education")
Rank = enum("rank")
UnitLevel = enum("unit_level")
VillageTag = enum("village_tag")
VILLAGE_TAGS: tuple[str, ...] = VillageTag.__args__  # type: ignore[attr-defined]



class VillageTagFlags(BaseModel):
    """Case fields: one boolean per village tag (see tag_flags), shared by the questions that test tags."""

    registered_poor: bool = False
    deep_poverty: bool = False
    poverty_alleviated: bool = False
    relocation_site: bool = False
    revitalization_demo: bool = False
    weak_party_org: bool = False
    key_village: bool = False
    hard_case: bool = False


def tag_flags(tags: list[str]) -> dict[str, bool]:
    """One boolean case field per village tag, so that rules can test `weak_party_org: true`."""
    return {t: t in tags for t in VILLAGE_TAGS}


class EligibilityFacts(BaseModel):
    """A candidate for one role. Dates are ISO strings or dates; omit what no rule of the jurisdiction needs."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    role: Role
    birth_date: FactDate | None = None
    full_member_since: FactDate | None = Field(default=None, description="转为正式党员之日; 党龄 counts from it")
    clerk_since: FactDate | None = Field(default=None, description="first appointed 科员; omit if never")
    party_status: PartyStatus | None = None
    employment: Employment | None = None
    education: Education | None = None
    rank: Rank | None = None
    unit_level: UnitLevel | None = None
    unit_leadership_member: bool | None = Field(default=None, description="单位领导班子成员")
    fit_for_duty: bool | None = Field(default=None, description="具备正常履职的身体条件")
    village_tags: list[VillageTag] = Field(default_factory=list)


class EligibilityCase(VillageTagFlags):
    """What eligibility rules may test: the facts plus full years (周岁) computed at the decision date."""

    role: Role
    party_status: PartyStatus | None = None
    employment: Employment | None = None
    education: Education | None = None
    rank: Rank | None = None
    unit_level: UnitLevel | None = None
    unit_leadership_member: bool | None = None
    fit_for_duty: bool | None = None
    age: int | None = Field(default=None, description="full years (周岁) from birth_date to the decision date")
    party_years: int | None = Field(default=None, description="full years of 党龄 from full_member_since")
    clerk_years: int | None = Field(default=None, description="full years since first appointed 科员")


class EligibilityEffect(CheckEffect):
    placeholders = frozenset(EligibilityCase.model_fields)
    fact_fields = frozenset(EligibilityFacts.model_fields)


def eligibility_case(f: EligibilityFacts, on: dt.date) -> dict[str, Any]:
    problems: list[tuple[str, str]] = []
    for name in ("birth_date", "full_member_since", "clerk_since"):
        d = getattr(f, name)
        if d is not None and d > on:
            problems.append((name, f"晚于判定日期 after the decision date {on.isoformat()} (got {d.isoformat()})"))
    if f.birth_date is not None:
        for name in ("full_member_since", "clerk_since"):
            d = getattr(f, name)
            if d is not None and d < f.birth_date:
                problems.append((name, f"早于出生日期 before birth_date {f.birth_date.isoformat()}"))
    if f.full_member_since is not None and f.party_status not in (None, "full_member"):
        problems.append(
            ("full_member_since", f"与 party_status={f.party_status} 矛盾 only full members have this date")
        )
    if problems:
        raise FactError(problems)

    def years(d: dt.date | None) -> int | None:
        return None if d is None else full_years(d, on)

    return {
        "role": f.role,
        "party_status": f.party_status,
        "employment": f.employment,
        "education": f.education,
        "rank": f.rank,
        "unit_level": f.unit_level,
        "unit_leadership_member": f.unit_leadership_member,
        "fit_for_duty": f.fit_for_duty,
        "age": years(f.birth_date),
        "party_years": years(f.full_member_since),
        "clerk_years": years(f.clerk_since),
        **tag_flags(f.village_tags),
    }


OUTCOMES = Outcomes(ok="eligible", hedged="needs_approval", fail="ineligible", approval=True)


def combine(m: Match) -> Decision:
    return collect(m, OUTCOMES)


ELIGIBILITY = Question(
    name="eligibility",
    title_zh="选派资格",
    facts_model=EligibilityFacts,
    case_model=EligibilityCase,
    effect_model=EligibilityEffect,
    hit_policy="collect",
    to_case=eligibility_case,
    combine=combine,
    **fallback_hooks(OUTCOMES, "eligibility"),
    outcome_labels={
        "eligible": "符合选派条件",
        "ineligible": "不符合选派条件",
        "needs_approval": "须经审批",
        "not_covered": "文件未规定",
    },
)

QUESTIONS = (ELIGIBILITY,)
