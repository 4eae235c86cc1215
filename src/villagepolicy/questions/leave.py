"""leave_approval: who approves a request for `days` consecutive days of leave."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..decision import Decision
from ..vocabulary import Action, Authority, Role
from .base import Question


class LeaveFacts(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    role: Role
    days: int = Field(ge=1, le=3660, description="consecutive days asked for")
    # The form of the request (书面申请, 请假审批表), for documents that require one; absent: not stated.
    written_request: bool | None = Field(default=None, description="the request was made in writing (书面申请)")


class LeaveCase(BaseModel):
    role: Role
    days: int
    written_request: bool | None = None


class LeaveEffect(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # incomplete_request: the request lacks a form the document requires (书面申请), so it is not approved as made.
    outcome: Literal["approve", "recall", "over_limit", "incomplete_request", "not_covered"]
    approvers: list[Authority] = Field(default_factory=list)
    reviewers: list[Authority] = Field(default_factory=list)
    approver_one_of: list[Authority] = Field(default_factory=list)
    filed_with: list[Authority] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    actors: list[Authority] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_of_means_several(self) -> LeaveEffect:
        if len(self.approver_one_of) == 1:
            raise ValueError("approver_one_of 须列出两个以上机关 names two or more bodies; one body goes in approvers")
        return self


class LeaveDecision(Decision):
    reviewers: list[str] = Field(
        default_factory=list, description="authority ids that review or sign (审核/签字) before approval, in order"
    )
    approver_one_of: list[str] = Field(
        default_factory=list, description="authority ids of which any one approves (报甲或者乙审批)"
    )


LEAVE_APPROVAL = Question(
    name="leave_approval",
    title_zh="请假审批",
    facts_model=LeaveFacts,
    case_model=LeaveCase,
    effect_model=LeaveEffect,
    decision_model=LeaveDecision,
    outcome_labels={
        "approve": "批准",
        "recall": "召回",
        "over_limit": "超出上限",
        "incomplete_request": "申请手续不全",
        "not_covered": "文件未规定",
    },
)

QUESTIONS = (LEAVE_APPROVAL,)
