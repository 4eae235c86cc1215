"""leave_approval: who approves a request for `days` consecutive days of leave."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..vocabulary import Action, Authority, Role
from .base import Question


class LeaveFacts(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    role: Role
    days: int = Field(ge=1, le=3660, description="consecutive days asked for")


class LeaveCase(BaseModel):
    role: Role
    days: int


class LeaveEffect(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Literal["approve", "recall", "over_limit", "not_covered"]
    approvers: list[Authority] = Field(default_factory=list)
    filed_with: list[Authority] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    actors: list[Authority] = Field(default_factory=list)


LEAVE_APPROVAL = Question(
    name="leave_approval",
    title_zh="请假审批",
    facts_model=LeaveFacts,
    case_model=LeaveCase,
    effect_model=LeaveEffect,
    outcome_labels={"approve": "批准", "recall": "召回", "over_limit": "超出上限", "not_covered": "文件未规定"},
)

QUESTIONS = (LEAVE_APPROVAL,)
