"""The pack and jurisdiction file formats (see docs/pack-format.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..vocabulary import enum

ID = r"^[a-z0-9][a-z0-9_.-]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PackMeta(_Strict):
    id: str = Field(pattern=ID)
    title_zh: str
    issuer_zh: str
    doc_no: str | None = None
    # A document whose source shows no date says `unknown` (or leaves it out), shown as 日期不详: never a made-up date.
    issued: dt.date | None = None
    effective_from: dt.date
    effective_to: dt.date | None = None
    source: str
    numbering_note: str | None = None

    @field_validator("issued", mode="before")
    @classmethod
    def _unknown_issue_date(cls, v: Any) -> Any:
        return None if v == "unknown" else v

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> PackMeta:
        # A pack ending before it starts is never in force (issue 16 item 8).
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError(
                f"effective_to {self.effective_to} 早于 effective_from {self.effective_from}: "
                "the pack would never be in force"
            )
        return self


NotEncodableReason = enum("not_encodable_reason")  # the reasons are vocabulary (vocabulary.yaml)


class NotEncodable(_Strict):
    """Why a clause has no rule: docs/coverage.md is generated from these marks."""

    # incomplete_source: the source text given is cut short or unreadable there, so the clause cannot be read whole.
    reason: NotEncodableReason
    note_en: str


class Clause(_Strict):
    id: str = Field(min_length=1)
    title_zh: str | None = None
    text_zh: str = Field(min_length=1)
    summary_en: str = Field(min_length=1)
    not_encodable: NotEncodable | None = None


class Interpretation(_Strict):
    id: str = Field(pattern=ID)
    clauses: list[str] = Field(min_length=1)
    ambiguity_en: str
    reading_en: str
    why_en: str
    reading_zh: str | None = None


class Rule(_Strict):
    id: str = Field(pattern=ID)
    question: str
    when: dict[str, Any] | None = None
    otherwise: bool = Field(default=False, description="applies only when no other rule of the question matched")
    then: dict[str, Any]
    cites: list[str] = Field(min_length=1)
    interpretations: list[str] = Field(default_factory=list)
    note_en: str | None = None


class Requirement(_Strict):
    """Facts a document cannot be applied without: where `when` holds and one of `facts` is missing, the facts
    are refused (缺少) citing `cites`, instead of the pack's rules on that fact silently not matching."""

    question: str
    when: dict[str, Any] | None = None
    facts: list[str] = Field(min_length=1)
    cites: list[str] = Field(min_length=1)


class Term(_Strict):
    """An id a pack declares (its `vocabulary:` section): labels as in vocabulary.yaml."""

    zh: str = Field(min_length=1)
    en: str | None = None
    short_zh: str | None = None
    also_zh: list[str] = Field(default_factory=list)


class PackFile(_Strict):
    pack: PackMeta
    # ids of open vocabulary kinds the pack adds: {kind: {id: {zh, en}}} (a county's own authority, action, role)
    vocabulary: dict[str, dict[str, Term]] = Field(default_factory=dict)
    # questions the pack declares (questions/declared.py reads each entry, so errors point into it)
    questions: dict[str, Any] = Field(default_factory=dict)
    # named, dated values the rules refer to as {parameter: name} (packs/parameters.py checks them)
    parameters: dict[str, Any] = Field(default_factory=dict)
    clauses: list[Clause] = Field(min_length=1)
    interpretations: list[Interpretation] = Field(default_factory=list)
    requires: list[Requirement] = Field(default_factory=list)
    rules: list[Rule] = Field(default_factory=list)

    @field_validator("interpretations", "requires", "rules", mode="before")
    @classmethod
    def _empty_section(cls, v: Any) -> Any:
        # A section holding only comments reads as null.
        return [] if v is None else v


class PackRef(_Strict):
    pack: str
    role: Literal["primary", "fallback"] = "primary"
    from_: dt.date | None = Field(default=None, alias="from")
    until: dt.date | None = None
    why_en: str
    # Clauses of the pack that show this window (when the document starts to apply, or the period it serves):
    # a date outside the window is answered `not_covered` citing them, never with a bare note.
    cites: list[str] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class NotApplied(_Strict):
    pack: str
    why_en: str


class JurisdictionFile(_Strict):
    id: str = Field(pattern=ID)
    name_zh: str
    name_en: str
    level: Literal["central", "province", "city", "county"]
    # The jurisdiction as a whole, as a roster report labels its county-wide results (通渭县全县); default name_zh.
    whole_zh: str | None = None
    parent: str | None = None
    packs: list[PackRef] = Field(min_length=1)

    @model_validator(mode="after")
    def _not_its_own_parent(self) -> JurisdictionFile:
        if self.parent is not None and self.parent == self.id:
            raise ValueError(f"parent {self.parent!r} 是自身 is the jurisdiction itself")
        return self

    not_applied: list[NotApplied] = Field(default_factory=list)
    # Authority id -> the local name. An id is a shipped one or one its packs declare: the loader checks that
    # (packs/loader.py check_authorities), since only it knows the packs.
    authorities: dict[str, str] = Field(default_factory=dict, description="authority id -> local name")
