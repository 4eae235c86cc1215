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
    id: str = Field(pattern=ID, description="规则包编号，与文件名相同 the pack id, as in the file name")
    title_zh: str = Field(description="文件标题 the document's title")
    issuer_zh: str = Field(description="发文机关 the issuer")
    doc_no: str | None = Field(default=None, description="文号 the document number, if any")
    # A document whose source shows no date says `unknown` (or leaves it out), shown as 日期不详: never a made-up date.
    issued: dt.date | None = Field(default=None, description="印发日期；原文没有写 unknown date issued; unknown")
    effective_from: dt.date = Field(description="施行日期 in force from")
    effective_to: dt.date | None = Field(default=None, description="废止日期 repealed on")
    source: str = Field(description="原文文件 the source text")
    numbering_note: str | None = Field(default=None, description="条款编号的处理说明 how clauses were numbered")

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
    reason: NotEncodableReason = Field(description="不可编码的理由 why (see the id table)")
    note_en: str = Field(description="具体说明 what exactly cannot be encoded")


class Clause(_Strict):
    id: str = Field(min_length=1, description="文件自己的编号，加引号 the document's numbering, quoted")
    title_zh: str | None = Field(default=None, description="小标题 heading")
    text_zh: str = Field(min_length=1, description="原文，逐字照抄 the text, verbatim")
    summary_en: str = Field(min_length=1, description="英文摘要 English summary")
    not_encodable: NotEncodable | None = Field(default=None, description="不可编码 a clause no rule can encode")


class Interpretation(_Strict):
    id: str = Field(pattern=ID, description="解释编号 the interpretation's id")
    clauses: list[str] = Field(min_length=1, description="有歧义的条款 the ambiguous clauses")
    ambiguity_en: str = Field(description="歧义在哪里 what is ambiguous")
    reading_en: str = Field(description="采用的理解 the reading chosen")
    why_en: str = Field(description="理由 why")
    reading_zh: str | None = Field(default=None, description="采用的理解（中文）the reading, in Chinese")


class Rule(_Strict):
    id: str = Field(pattern=ID, description="规则编号，包内唯一 unique in the pack; decisions list it")
    # A renamed rule keeps its former ids: pack tests, impact and callers naming them still find the rule.
    was: list[str] = Field(
        default_factory=list, description="曾用编号，改名后仍可使用 former ids, still accepted where a rule id is given"
    )
    question: str = Field(description="回答的问题 the question it answers (villagepolicy list)")
    when: dict[str, Any] | None = Field(default=None, description="条件 the condition; none: always applies")
    otherwise: bool = Field(
        default=False, description="否则：同一问题其他规则都不匹配时才适用 applies only when no other rule matched"
    )
    then: dict[str, Any] = Field(description="结论：可用的键见各问题的表 the decision; keys per question below")
    cites: list[str] = Field(min_length=1, description="依据的条款编号 the clauses it rests on")
    interpretations: list[str] = Field(default_factory=list, description="依据的解释 the readings it relies on")
    note_en: str | None = Field(default=None, description="附注，随判定输出 a note that reaches the decision")


class Requirement(_Strict):
    """Facts a document cannot be applied without: where `when` holds and one of `facts` is missing, the facts
    are refused (缺少) citing `cites`, instead of the pack's rules on that fact silently not matching."""

    question: str = Field(description="问题 the question")
    when: dict[str, Any] | None = Field(default=None, description="何时需要 when the facts are needed")
    facts: list[str] = Field(min_length=1, description="缺少即拒绝判定的事实 facts refused when missing")
    cites: list[str] = Field(min_length=1, description="依据的条款 the clauses that need them")


class Term(_Strict):
    """An id a pack declares (its `vocabulary:` section): labels as in vocabulary.yaml."""

    zh: str = Field(min_length=1, description="中文名 Chinese label")
    en: str | None = Field(default=None, description="英文名 English label")
    short_zh: str | None = Field(default=None, description="简称，图表和名册用 a short label")
    also_zh: list[str] = Field(default_factory=list, description="名册单元格的其他写法 other spellings in a roster")
    roster_column: str | None = Field(
        default=None, description="机关：名册人员表中写明本人所属该机关的列 the people column naming one's own body"
    )


class PackFile(_Strict):
    pack: PackMeta = Field(description="文件信息 the document")
    # ids of open vocabulary kinds the pack adds: {kind: {id: {zh, en}}} (a county's own authority, action, role)
    vocabulary: dict[str, dict[str, Term]] = Field(
        default_factory=dict, description="县里自己的角色、机关、措施编号 the county's own ids {kind: {id: labels}}"
    )
    # questions the pack declares (questions/declared.py reads each entry, so errors point into it)
    questions: dict[str, Any] = Field(default_factory=dict, description="自定义问题 questions the pack declares")
    # named, dated values the rules refer to as {parameter: name} (packs/parameters.py checks them)
    parameters: dict[str, Any] = Field(default_factory=dict, description="参数：每个数字只写一次 named, dated values")
    clauses: list[Clause] = Field(min_length=1, description="条款 the document's clauses, verbatim")
    interpretations: list[Interpretation] = Field(default_factory=list, description="解释 readings of ambiguous text")
    requires: list[Requirement] = Field(default_factory=list, description="必需的事实 facts a document needs")
    rules: list[Rule] = Field(default_factory=list, description="规则 the rules")

    @field_validator("interpretations", "requires", "rules", mode="before")
    @classmethod
    def _empty_section(cls, v: Any) -> Any:
        # A section holding only comments reads as null.
        return [] if v is None else v


class PackRef(_Strict):
    pack: str = Field(description="规则包编号 the pack id")
    role: Literal["primary", "fallback"] = Field(default="primary", description="fallback: 兜底，补未规定的 fills gaps")
    from_: dt.date | None = Field(default=None, alias="from", description="自此日起适用 applies from")
    until: dt.date | None = Field(default=None, description="至此日止 applies until")
    why_en: str = Field(description="为什么适用、为什么是这个时段 why it applies, and when")
    # Clauses of the pack that show this window (when the document starts to apply, or the period it serves):
    # a date outside the window is answered `not_covered` citing them, never with a bare note.
    cites: list[str] = Field(default_factory=list, description="说明适用时段的条款 clauses showing the window")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class NotApplied(_Strict):
    pack: str = Field(description="考虑过但不采用的规则包 a pack considered and not used")
    why_en: str = Field(description="理由 why not")


class JurisdictionFile(_Strict):
    id: str = Field(pattern=ID, description="辖区编号，与文件名相同 the id, as in the file name")
    name_zh: str = Field(description="中文名 name")
    name_en: str = Field(description="英文名 English name")
    level: Literal["central", "province", "city", "county"] = Field(description="层级 level")
    # The jurisdiction as a whole, as a roster report labels its county-wide results (通渭县全县); default name_zh.
    whole_zh: str | None = Field(default=None, description="名册报告中全辖区结果的名称 label of results for the whole")
    parent: str | None = Field(default=None, description="上级辖区 the parent jurisdiction")
    packs: list[PackRef] = Field(min_length=1, description="适用的规则包，按优先顺序 packs in precedence order")

    @model_validator(mode="after")
    def _not_its_own_parent(self) -> JurisdictionFile:
        if self.parent is not None and self.parent == self.id:
            raise ValueError(f"parent {self.parent!r} 是自身 is the jurisdiction itself")
        return self

    not_applied: list[NotApplied] = Field(default_factory=list, description="未采用的规则包 packs not used")
    # Authority id -> the local name. An id is a shipped one or one its packs declare: the loader checks that
    # (packs/loader.py check_authorities), since only it knows the packs.
    authorities: dict[str, str] = Field(default_factory=dict, description="机关的本地名称 authority id -> local name")
