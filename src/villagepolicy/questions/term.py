"""term_and_handover: the earliest end of a term, the handover rule, and whether a proposed departure is allowed.

Each matched rule of a pack sets some fields (the term, the handover, promotion); they are merged
and must agree. Python does the date arithmetic: years with relativedelta, handover length in
China's working days (calendar.py).

Readings (docs/questions/term.md): a term of N years from start_date is served on the day before
start_date + N years, so that date is the earliest departure; the handover's working days are
counted from handover_start to the day before departure (the person leaves once it is complete).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..calendar import add_working_days, working_days_between
from ..decision import Decision, Finding
from ..vocabulary import SCALES, Authority, Role, enum, literal
from ._collect import FactDate
from ._common import merge, not_covered, single_outcome, warn_if_deprecated
from .base import Match, Question

ExitReason = enum("exit_reason")
Grade = literal(SCALES["individual"])  # a person's annual grade, best first
Promotion = Literal["does_not_shorten", "stay_until_village_exits_poverty", "stay_as_village_contact_cadre"]


class TermFacts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    role: Role
    start_date: FactDate
    promoted_on: FactDate | None = None
    handover_start: FactDate | None = None
    departure_date: FactDate | None = Field(default=None, description="the proposed first day away from the village")
    exit_reason: ExitReason = Field(
        default="none",
        description="health (不能正常驻村) or left_dispatching_unit (调离原选派单位): Shiquan 11's exceptions",
    )
    village_out_of_poverty_on: FactDate | None = Field(
        default=None, description="when the village exited poverty (Tongwei 31: a promoted leader stays until then)"
    )
    annual_grade: Grade | None = Field(
        default=None, description="with exit_reason annual_grade: the grade given (Tongwei 24: 基本称职及以下)"
    )

    @model_validator(mode="after")
    def _order(self) -> TermFacts:
        warn_if_deprecated("exit_reason", self.exit_reason, "exit_reason")
        problems = []
        if (self.exit_reason == "annual_grade") != (self.annual_grade is not None):
            problems.append("exit_reason annual_grade 与 annual_grade 须同时给出 go together (the grade is the reason)")
        for name in ("promoted_on", "handover_start", "departure_date"):
            v = getattr(self, name)
            if v is not None and v < self.start_date:
                problems.append(f"{name} {v} is before start_date {self.start_date}")
        if self.handover_start and self.departure_date and self.departure_date < self.handover_start:
            problems.append(f"departure_date {self.departure_date} is before handover_start {self.handover_start}")
        if problems:
            raise ValueError("; ".join(problems))
        return self


class TermCase(BaseModel):
    role: Role
    promoted: bool
    exit_reason: ExitReason
    annual_grade: Grade | None = None


class TermEffect(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Literal["assessed", "not_covered"]
    term_years: int | None = Field(default=None, ge=1)
    term_minimum: bool | None = Field(default=None, description="true: 不少于 N years; false: exactly N years")
    term_binding: bool | None = Field(default=None, description="false where an exception lets the term be shortened")
    term_hedged: bool | None = None
    early_exit_approvers: list[Authority] | None = Field(default=None, description="who approves an early exit")
    promotion: Promotion | None = None
    promotion_hedged: bool | None = None
    handover_min_working_days: int | None = Field(default=None, ge=1)
    handover_hedged: bool | None = None
    leave_only_after_handover: bool | None = None
    handover_items_zh: list[str] | None = None
    # The id of the manual check listing the items: the pack's name for its list (Tongwei: handover-five-clears).
    handover_check_id: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_.-]*$")
    handover_witness: list[Authority] | None = None
    handover_filed_with: list[Authority] | None = None
    handover_guided_by: list[Authority] | None = None


class TermDecision(Decision):
    term_years: int | None = None
    term_minimum: bool | None = None
    term_binding: bool | None = None
    earliest_term_end: dt.date | None = Field(default=None, description="first day the term is served (may leave)")
    promotion: str | None = None
    handover_min_working_days: int | None = None
    handover_complete_on: dt.date | None = Field(default=None, description="last working day of the minimum handover")
    handover_working_days: int | None = Field(default=None, description="working days from handover_start to departure")
    leave_only_after_handover: bool | None = None
    handover_items_zh: list[str] = Field(default_factory=list)
    handover_witness: list[str] = Field(default_factory=list)
    handover_filed_with: list[str] = Field(default_factory=list)
    handover_guided_by: list[str] = Field(default_factory=list)
    earliest_departure: dt.date | None = Field(default=None, description="null when it depends on an unknown date")
    departure_date: dt.date | None = None
    departure_allowed: bool | None = None


def _case(facts: TermFacts, on: dt.date) -> dict[str, Any]:
    case = {"role": facts.role, "promoted": facts.promoted_on is not None, "exit_reason": facts.exit_reason}
    return case if facts.annual_grade is None else {**case, "annual_grade": facts.annual_grade}


def _combine(m: Match) -> Decision:
    facts: TermFacts = m.facts  # type: ignore[assignment]
    if not m.rules or single_outcome(m) == "not_covered":
        return not_covered(m)
    f, source = merge(m)
    cite = {r.rule.id: m.pack.cite(r.rule)[0] for r in m.rules}
    findings: list[Finding] = []
    manual: list[Finding] = []
    notes: list[str] = []

    def finding(fid: str, passed: bool, zh: str, en: str, field: str, hedged: bool = False) -> None:
        rule = source.get(field)
        findings.append(
            Finding(
                id=fid,
                passed=passed,
                message_zh=zh,
                message_en=en,
                hedged=hedged,
                severity="violation" if not hedged else "warning",
                citation=cite.get(rule) if rule else None,
                rule=rule,
            )
        )

    years = f.get("term_years")
    term_end = facts.start_date + relativedelta(years=years) if years else None
    binding = f.get("term_binding", True) is not False
    earliest: dt.date | None = term_end if binding else facts.start_date
    unknown_earliest = False
    promotion = f.get("promotion")
    if years is None:
        notes.append(f"{m.pack.meta.id}: 文件未规定该角色的任期 the document sets no term for {facts.role}")
    if not binding:
        notes.append(
            f"exit_reason={facts.exit_reason}: 可缩短任期 the term may be shortened (an exception of the clause)"
        )
    if facts.promoted_on is not None and promotion == "stay_until_village_exits_poverty":
        if facts.village_out_of_poverty_on is None:
            unknown_earliest = True
            manual.append(
                Finding(
                    id="promotion-village-out-of-poverty",
                    passed=False,
                    message_zh="提拔重用后帮扶村不脱贫不调整：需核实帮扶村脱贫日期",
                    message_en="promoted: stays until the village exits poverty; give village_out_of_poverty_on",
                    severity="manual_check",
                    citation=cite.get(source["promotion"]),
                    rule=source["promotion"],
                )
            )
        elif earliest is not None:
            earliest = max(earliest, facts.village_out_of_poverty_on)
    if facts.promoted_on is not None and promotion == "stay_as_village_contact_cadre":
        # The pack says whether the document hedges it (Xiangyin: 原则上).
        hedged = ("原则上", "in principle ") if f.get("promotion_hedged") else ("", "")
        notes.append(
            f"提拔重用的，{hedged[0]}继续在所驻村任包村干部 promoted: {hedged[1]}stays as the village's contact cadre"
        )
    handover_days = f.get("handover_min_working_days")
    complete_on = None
    if handover_days and facts.handover_start is not None:
        complete_on = add_working_days(facts.handover_start - dt.timedelta(days=1), handover_days)
    counted = None
    if facts.handover_start is not None and facts.departure_date is not None:
        counted = working_days_between(facts.handover_start, facts.departure_date - dt.timedelta(days=1))
    if earliest is not None and complete_on is not None and f.get("leave_only_after_handover"):
        earliest = max(earliest, complete_on + dt.timedelta(days=1))
    if unknown_earliest:
        earliest = None

    allowed: bool | None = None
    dep = facts.departure_date
    if dep is not None:
        if term_end is not None and binding:
            ok = dep >= term_end
            shortened = facts.promoted_on is not None and promotion == "does_not_shorten"
            finding(
                "term-served",
                ok,
                f"任期{'不少于' if f.get('term_minimum', True) else ''}{years}年，{term_end}起方满"
                + ("（提拔不缩短任期）" if shortened else ""),
                f"term of {years} years is served from {term_end}"
                + (" (promotion does not shorten it)" if shortened else ""),
                "promotion" if shortened else "term_years",
                hedged=bool(f.get("term_hedged")),
            )
        if facts.promoted_on is not None and promotion == "stay_until_village_exits_poverty":
            if facts.village_out_of_poverty_on is not None:
                finding(
                    "promotion-village-out-of-poverty",
                    dep >= facts.village_out_of_poverty_on,
                    f"提拔重用后帮扶村不脱贫不调整（脱贫日期{facts.village_out_of_poverty_on}）",
                    f"promoted: stays until the village exits poverty on {facts.village_out_of_poverty_on}",
                    "promotion",
                )
        if handover_days:
            if facts.handover_start is None:
                finding(
                    "handover-length",
                    False,
                    f"未开始工作交接；交接时间不少于{handover_days}个工作日",
                    f"no handover recorded; it takes at least {handover_days} working days",
                    "handover_min_working_days",
                    hedged=bool(f.get("handover_hedged")),
                )
            else:
                assert counted is not None
                finding(
                    "handover-length",
                    counted >= handover_days,
                    f"交接{counted}个工作日（{facts.handover_start}至{dep - dt.timedelta(days=1)}），"
                    f"要求不少于{handover_days}个",
                    f"handover of {counted} working days; at least {handover_days} required",
                    "handover_min_working_days",
                    hedged=bool(f.get("handover_hedged")),
                )
        if f.get("handover_items_zh"):
            manual.append(
                Finding(
                    id=f.get("handover_check_id") or "handover-items",
                    passed=False,
                    message_zh="交接清单：" + "；".join(f["handover_items_zh"]),
                    message_en="hand over each listed item, with the witness, and file the list",
                    severity="manual_check",
                    citation=cite.get(source["handover_items_zh"]),
                    rule=source["handover_items_zh"],
                )
            )
        hard = [x for x in findings if not x.passed and not x.hedged]
        soft = [x for x in findings if not x.passed and x.hedged]
        allowed = None if unknown_earliest and not hard else (not hard and not soft)
        if hard:
            outcome = "not_allowed"
        elif unknown_earliest:
            outcome = "undetermined"  # it turns on a date the facts do not give (see manual_checks)
        else:
            outcome = "exception_needed" if soft else "allowed"
    else:
        outcome = "assessed"
    return m.base(
        outcome,
        term_years=years,
        term_minimum=f.get("term_minimum"),
        term_binding=f.get("term_binding"),
        earliest_term_end=term_end,
        promotion=promotion,
        handover_min_working_days=handover_days,
        handover_complete_on=complete_on,
        handover_working_days=counted,
        leave_only_after_handover=f.get("leave_only_after_handover"),
        handover_items_zh=f.get("handover_items_zh") or [],
        handover_witness=f.get("handover_witness") or [],
        handover_filed_with=f.get("handover_filed_with") or [],
        handover_guided_by=f.get("handover_guided_by") or [],
        earliest_departure=earliest,
        approvers=list(f.get("early_exit_approvers") or []) if not binding else [],
        departure_date=dep,
        departure_allowed=allowed,
        findings=findings,
        manual_checks=manual,
        notes=notes,
    )


TERM_AND_HANDOVER = Question(
    name="term_and_handover",
    title_zh="任期与工作交接",
    facts_model=TermFacts,
    case_model=TermCase,
    effect_model=TermEffect,
    hit_policy="collect",
    decision_model=TermDecision,
    to_case=_case,
    combine=_combine,
    outcome_labels={
        "assessed": "已测算",
        "allowed": "可以撤离",
        "not_allowed": "不得撤离",
        "exception_needed": "需例外批准",
        "undetermined": "待人工核实",
        "not_covered": "文件未规定",
    },
)

QUESTIONS = (TERM_AND_HANDOVER,)
