"""leave_approval: who approves a request for `days` consecutive days of leave.

Every tier, approver, reviewer and filing level is in the packs. It stays a built-in question, not a declared
one, only because its decision carries fields a declared question's `then` cannot set (approvers, reviewers,
approver_one_of, filed_with: ordered authority lists that reports render as a chain) and they are public API
(`Decision.approvers`); the Python is the facts model and the chain's consistency check.
"""

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
    approvers: list[Authority] = Field(default_factory=list, description="审批：依次都须批准 each approves, in order")
    reviewers: list[Authority] = Field(
        default_factory=list, description="审核、审定：审批之前依次签署意见 review before the approver, in order"
    )
    approver_one_of: list[Authority] = Field(
        default_factory=list, description="其中任一机关审批即可 any one of these approves (报甲或者乙审批)"
    )
    filed_with: list[Authority] = Field(default_factory=list, description="备案，可多级 copies filed with each")
    actions: list[Action] = Field(default_factory=list, description="随之采取的措施 what follows (召回 recall)")
    actors: list[Authority] = Field(default_factory=list, description="采取措施的机关 who takes the actions")

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
