"""What a decision says and where it came from. JSON-ready through to_dict()."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Citation(BaseModel):
    """A clause (or a recorded interpretation of one) that produced a decision."""

    # defer_build: validators are built on first use, not at import (start-up time; see docs/performance.md).
    model_config = ConfigDict(frozen=True, defer_build=True)

    pack: str
    clause: str
    text_zh: str
    summary_en: str = ""
    interpretation: str | None = Field(default=None, description="id of the interpretation, when this cites one")
    reading_en: str | None = None
    reading_zh: str | None = Field(
        default=None, description="the interpretation's reading in Chinese, when the pack has one"
    )

    def reading(self, lang: str = "zh") -> str:
        """The interpretation's reading in the reader's language (Chinese falls back to English)."""
        if lang == "zh":
            return self.reading_zh or self.reading_en or ""
        return self.reading_en or self.reading_zh or ""


class Finding(BaseModel):
    """One checked requirement: passed or failed, with the clause that sets it."""

    model_config = ConfigDict(defer_build=True)

    id: str
    passed: bool
    message_zh: str
    message_en: str = ""
    hedged: bool = False
    severity: str = "violation"
    citation: Citation | None = None
    rule: str | None = None
    interpretations: list[str] = Field(default_factory=list, description="ids of interpretations the rule relies on")


class CalendarYear(BaseModel):
    """A year of the working-day calendar a decision used, and where its schedule came from."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    year: int
    origin: str = Field(description="shipped, or county (a county folder's calendars/YYYY.yaml)")
    file: str
    notice: str = ""
    overrides_shipped: bool = False


class Decision(BaseModel):
    """The answer to one question for one set of facts, with every clause that produced it."""

    model_config = ConfigDict(extra="allow", defer_build=True)

    jurisdiction: str
    question: str
    outcome: str
    on: dt.date
    approvers: list[str] = Field(default_factory=list, description="authority ids in signing order; last approves")
    filed_with: list[str] = Field(default_factory=list, description="authority ids that receive a copy (备案)")
    actions: list[str] = Field(default_factory=list)
    actors: list[str] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    manual_checks: list[Finding] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    trace: list[str] = Field(default_factory=list, description="ids of the rules that fired, in order")
    packs: list[str] = Field(default_factory=list, description="packs consulted, in precedence order")
    notes: list[str] = Field(default_factory=list)
    calendar: list[CalendarYear] = Field(
        default_factory=list, description="working-day calendar years used (counting working days), and their source"
    )

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")
