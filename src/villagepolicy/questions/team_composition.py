"""team_composition: does this village's team, and this unit's dispatch, meet the rules? (see _collect)

Built in, not declared, because it derives from a list of members (who leads, how many of each role, how
many the unit sent against its staff size): counts over a list of people by their fields, which the
declared derivations (counts of dated records) do not cover.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..decision import Decision
from ..errors import FactError
from ..vocabulary import Authority, Role
from ._collect import CheckEffect, Outcomes, collect
from .base import Match, Question
from .eligibility import VillageTag, VillageTagFlags, tag_flags

CountField = Literal["team_size", "first_secretaries", "team_leaders", "team_members", "unit_team_members"]


class Member(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    role: Role
    dispatched_by_town: bool = Field(description="sent by the town (镇机关干部), not by the dispatching unit")


class TeamFacts(BaseModel):
    """One village's team: list each person once (a first secretary who leads the team as first_secretary)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    village_tags: list[VillageTag]
    members: list[Member]
    unit_staff_size: int | None = Field(default=None, ge=0, le=10_000_000, description="编制人数 of the sending unit")
    leader_is_first_secretary: bool


class TeamCase(VillageTagFlags):
    """Counts over the members list, the village tags as booleans, and the unit's staff size."""

    team_size: int = Field(description="everyone on the list")
    first_secretaries: int
    team_leaders: int = Field(description="members listed as team_leader (a leader who is not the first secretary)")
    team_members: int = Field(description="工作队员: members listed as team_member or team_leader")
    unit_team_members: int = Field(description="team_members sent by the dispatching unit")
    town_team_members: int = Field(description="team_members sent by the town")
    instructors: int
    unit_staff_size: int | None = None
    leader_is_first_secretary: bool


class Shortfall(BaseModel):
    """A count below the minimum a rule sets, and who must make up the difference."""

    count: str
    required: int
    actual: int
    missing: int
    fill_by: list[str] = Field(default_factory=list)
    rule: str


class ShortfallSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    count: CountField
    minimum: int = Field(ge=1)
    fill_by: list[Authority] = Field(min_length=1)


class TeamEffect(CheckEffect):
    placeholders = frozenset(TeamCase.model_fields)
    fact_fields = frozenset(TeamFacts.model_fields)

    shortfall: ShortfallSpec | None = Field(default=None, description="with a failed check: who fills the gap")

    @model_validator(mode="after")
    def _shortfall_on_failure(self) -> TeamEffect:
        if self.shortfall is not None and not (self.check is not None and self.passed is False):
            raise ValueError("shortfall 只用于未通过的 check (a gap exists only where a minimum is not met)")
        return self


class TeamDecision(Decision):
    shortfalls: list[Shortfall] = Field(default_factory=list)


def team_case(f: TeamFacts, on: dt.date) -> dict[str, Any]:
    roles = [m.role for m in f.members]
    leaders = roles.count("team_leader")
    secretaries = roles.count("first_secretary")
    problems: list[tuple[str, str]] = []
    if leaders > 1:
        problems.append(("members", f"列出 {leaders} 名队长 lists {leaders} team leaders; a team has one"))
    if f.leader_is_first_secretary and leaders:
        problems.append(
            ("leader_is_first_secretary", "为 true 但 members 另列队长 true, yet members lists a separate team_leader")
        )
    if f.leader_is_first_secretary and not secretaries:
        problems.append(("leader_is_first_secretary", "为 true 但 members 没有第一书记 true, yet no first_secretary"))
    if problems:
        raise FactError(problems)
    crew = [m for m in f.members if m.role in ("team_member", "team_leader")]
    return {
        "team_size": len(f.members),
        "first_secretaries": secretaries,
        "team_leaders": leaders,
        "team_members": len(crew),
        "unit_team_members": sum(not m.dispatched_by_town for m in crew),
        "town_team_members": sum(m.dispatched_by_town for m in crew),
        "instructors": roles.count("party_building_instructor"),
        "unit_staff_size": f.unit_staff_size,
        "leader_is_first_secretary": f.leader_is_first_secretary,
        **tag_flags(f.village_tags),
    }


def combine(m: Match) -> Decision:
    shortfalls: list[Shortfall] = []
    actors: list[str] = []
    for r in m.rules:
        spec = getattr(r.effect, "shortfall", None)
        if spec is None or r.effect.passed is not False:
            continue
        actual = int(m.case[spec.count])
        shortfalls.append(
            Shortfall(
                count=spec.count,
                required=spec.minimum,
                actual=actual,
                missing=max(0, spec.minimum - actual),
                fill_by=list(spec.fill_by),
                rule=r.rule.id,
            )
        )
        actors += [a for a in spec.fill_by if a not in actors]
    d = collect(m, Outcomes(ok="compliant", hedged="compliant_with_warnings", fail="non_compliant"))
    if d.outcome == "not_covered":
        return d
    d.shortfalls = shortfalls  # type: ignore[attr-defined]
    d.actors = actors
    return d


TEAM_COMPOSITION = Question(
    name="team_composition",
    title_zh="工作队组成",
    facts_model=TeamFacts,
    case_model=TeamCase,
    effect_model=TeamEffect,
    hit_policy="collect",
    decision_model=TeamDecision,
    to_case=team_case,
    combine=combine,
    outcome_labels={
        "compliant": "符合规定",
        "compliant_with_warnings": "基本符合（有提示）",
        "non_compliant": "不符合规定",
        "not_covered": "文件未规定",
    },
)

QUESTIONS = (TEAM_COMPOSITION,)
