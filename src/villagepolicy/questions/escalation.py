"""escalation: what a person's history of violations has triggered, what must happen, who acts, and by when.

Python here only counts (occurrences in a window, consecutive runs, the worst grade, the lowest
satisfaction rate) and combines every matched rule of a pack: the highest level, the union of
actions and actors, the most restrictive grade cap, the bans, and deadlines computed on China's
working-day calendar. Which count triggers which step, and what each step costs, is in the packs.
"""

from __future__ import annotations

import calendar as stdcal
import datetime as dt
from collections import Counter
from typing import Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)

from ..calendar import add_working_days
from ..conditions import tests_of
from ..decision import Decision, Finding
from ..errors import EngineError
from ..vocabulary import SCALES, Action, Authority, Role, enum, literal
from ._common import Money, PackMoney, warn_if_deprecated
from .base import Match, Question

# Outcome levels, least to most severe; the decision's outcome is the highest level any matched rule reaches.
Level = Literal[
    "none",
    "criticism_education",
    "talk_and_notice",
    "education_rectification",
    "accountability",
    "serious_handling",
    "recall",
    "disciplinary_handling",
    "transfer_to_discipline",
]
LEVELS: tuple[str, ...] = get_args(Level)

# Individual annual grades, best first. grade_cap is the best grade still allowed (the appraisal contract).
Grade = literal(SCALES["individual"])  # a person's annual grade, best first
GRADES: tuple[str, ...] = get_args(Grade)

VIOLATION_KINDS: tuple[str, ...] = (
    "absent_on_inspection",
    "stay_shortfall_month",
    "leave_over_30_days",
    "unapproved_leave",
    "annual_grade",
    "satisfaction_rate",
    "no_diary_or_false_attendance",
    "disunity_with_village_committee",
    "failed_to_report_village_official_misconduct",
    "dispute_escalated_petition",
    "failed_to_report_incident",
    "bribery_or_self_dealing",
    "eight_point_rule_violation",
    "verified_report",
    "fraud_in_records",
    "absent_during_leader_inspection",
    "rectification_overdue",
    "insubordination",
)
# Events that are not violations: an inspection finding the person at post (breaks a run of absences), and the
# procedural events some deadlines run from (a review request, the org dept agreeing to a return, a failed
# rectification).
# A leave taken is no conduct of its own: a ladder may test its length (leave_days_max against a parameter,
# Shiquan 13(2)), so a county with a 15-day rule is a YAML change.
PROCEDURAL_KINDS: tuple[str, ...] = (
    "present_on_inspection",
    "leave_taken",
    "review_requested",
    "return_approved",
    "rectification_failed",
)
EVENT_KINDS: tuple[str, ...] = VIOLATION_KINDS + PROCEDURAL_KINDS
# Measurements, not conduct: every roster's appraisals put a grade in the history, so a document whose ladder
# says nothing of grades (Yangban-like daily-management rules) has nothing to say about one, rather than leaving
# conduct unaddressed.
MEASURE_KINDS: tuple[str, ...] = ("annual_grade", "satisfaction_rate")

# Fields an event of a kind must carry; every other kind carries none of them.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "absent_on_inspection": ("leave_procedure_followed",),
    "stay_shortfall_month": ("month", "days", "justified"),
    "leave_taken": ("days",),
    "annual_grade": ("grade",),
    "satisfaction_rate": ("rate",),
}
# Every field some kind carries, in the order of KIND_FIELDS.
OPTIONAL_FIELDS = tuple(dict.fromkeys(f for fields in KIND_FIELDS.values() for f in fields))


def _as_date(v: Any) -> Any:
    if isinstance(v, dt.datetime):
        raise ValueError("应为日期而非日期时间 a date (YYYY-MM-DD), not a date-time")
    if isinstance(v, str):
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            raise ValueError(f"不是日期 not a date (YYYY-MM-DD): {v!r}") from None
    return v


class Event(BaseModel):
    """One entry of the history: a finding, a record or a procedural step, on a date."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    date: dt.date
    kind: str
    leave_procedure_followed: bool | None = None
    month: str | None = Field(default=None, pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")
    days: int | None = Field(
        default=None, ge=0, le=3660, description="stay_shortfall_month: days present; leave_taken: consecutive days"
    )
    justified: bool | None = None
    grade: Grade | None = None
    rate: float | None = Field(default=None, ge=0, le=1)
    note: str | None = Field(default=None, max_length=2000)

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, v: Any) -> Any:
        return _as_date(v)

    @field_validator("date")
    @classmethod
    def _not_after_decision(cls, v: dt.date, info: ValidationInfo) -> dt.date:
        on = (info.context or {}).get("on")
        if on is not None and v > on:
            raise ValueError(f"事件日期晚于判定日期 the event is dated after the decision date {on.isoformat()}")
        return v

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str) -> str:
        if v not in EVENT_KINDS:
            raise ValueError(f"未知的事件类型 unknown event kind {v!r}; 可用 known: {', '.join(EVENT_KINDS)}")
        warn_if_deprecated("event_kind", v, "history.kind")
        return v

    @model_validator(mode="after")
    def _fields_of_kind(self) -> Event:
        need = KIND_FIELDS.get(self.kind, ())
        missing = [f for f in need if getattr(self, f) is None]
        extra = [f for f in OPTIONAL_FIELDS if f not in need and getattr(self, f) is not None]
        if missing:
            raise ValueError(f"{self.kind} 缺少 needs {', '.join(missing)}")
        if extra:
            raise ValueError(f"{self.kind} 不带 does not take {', '.join(extra)}")
        if self.kind == "leave_taken" and self.days == 0:
            raise ValueError("leave_taken 的 days 至少为1 a leave lasts at least one day")
        if self.month is not None and self.days is not None:
            length = stdcal.monthrange(int(self.month[:4]), int(self.month[5:]))[1]
            if self.days > length:
                raise ValueError(f"{self.month} 只有 has only {length} days, not {self.days}")
        return self


class EscalationFacts(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    role: Role
    history: list[Event] = Field(max_length=10_000)
    appraisal_year: int | None = Field(
        default=None,
        ge=2000,
        le=2100,
        description="the year judged by per-year rules (its appraisal); default: the latest year in which the "
        "history records a violation, never the year of `on`",
    )
    # Positions in the history as given, when this is a part of it (conduct judged under another pack).
    _index: list[int] | None = PrivateAttr(default=None)

    def position(self, i: int) -> int:
        return i if self._index is None else self._index[i]

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> EscalationFacts:
        on = (info.context or {}).get("on")
        if on is not None and self.appraisal_year is not None and self.appraisal_year > on.year:
            raise ValueError(f"appraisal_year {self.appraisal_year} 晚于判定日期 is after the decision date {on}")
        seen: dict[str, int] = {}
        for i, e in enumerate(self.history):
            if e.kind == "stay_shortfall_month" and e.month is not None:
                if e.month in seen:
                    raise ValueError(
                        f"history.{i}: 月份 {e.month} 重复 month already recorded at history.{seen[e.month]}"
                    )
                seen[e.month] = i
        return self


# The flat case: derived counts the rules test. Each violation kind has `<kind>_count` (the whole history).
_CASE_FIELDS: dict[str, Any] = {
    "role": (Role, ...),
    # the year judged: appraisal_year, else the latest year with a violation (absent when there is none)
    "appraisal_year": (int | None, None),
    # absences found by inspection without the leave procedure followed (excused absences never count)
    "absences_unexcused": (int, ...),
    "absences_unexcused_year": (int, ...),
    # without appraisal_year, the most unexcused absences found within one calendar year before the year judged
    # (a step once reached stays in the history's answer); 0 when appraisal_year is given (that year alone)
    "absences_unexcused_earlier_year_max": (int, ...),
    # longest run of unexcused absences with no present_on_inspection between them
    "absences_consecutive_max": (int, ...),
    # the fewest days of any unjustified stay_shortfall_month record
    "shortfall_month_min_days": (int | None, None),
    # over pairs of consecutive calendar months both recorded unjustified: the smallest of each pair's larger
    # day count, so `{lt: N}` holds when some two consecutive months both have fewer than N days
    "two_month_run_days": (int | None, None),
    "worst_annual_grade": (Grade | None, None),
    "satisfaction_rate_min": (float | None, None),
    # the longest leave_taken in the history, in consecutive days (Shiquan 13(2): over 30 days means recall)
    "leave_days_max": (int | None, None),
    **{f"{k}_count": (int, ...) for k in VIOLATION_KINDS},
}
EscalationCase = create_model("EscalationCase", **_CASE_FIELDS)  # type: ignore[call-overload]

# Which event kinds each case field is derived from: a kind in the history that no rule of a pack tests is
# reported as a manual check (the document says nothing about it), never silently ignored.
FIELD_KINDS: dict[str, tuple[str, ...]] = {
    "absences_unexcused": ("absent_on_inspection",),
    "absences_unexcused_year": ("absent_on_inspection",),
    "absences_unexcused_earlier_year_max": ("absent_on_inspection",),
    "absences_consecutive_max": ("absent_on_inspection",),
    "shortfall_month_min_days": ("stay_shortfall_month",),
    "two_month_run_days": ("stay_shortfall_month",),
    "worst_annual_grade": ("annual_grade",),
    "satisfaction_rate_min": ("satisfaction_rate",),
    "leave_days_max": ("leave_taken",),
    **{f"{k}_count": (k,) for k in VIOLATION_KINDS},
}


def _next_month(month: str) -> str:
    y, m = int(month[:4]), int(month[5:])
    return f"{y + m // 12}-{m % 12 + 1:02d}"


def judged_year(facts: EscalationFacts) -> int | None:
    """The year per-year rules judge: the one given, else the latest year with a violation (never `on`'s)."""
    if facts.appraisal_year is not None:
        return facts.appraisal_year
    years = [e.date.year for e in facts.history if e.kind in VIOLATION_KINDS]
    return max(years) if years else None


def to_case(facts: EscalationFacts, on: dt.date) -> dict[str, Any]:
    year = judged_year(facts)
    # Records carry no time of day: on one date, inspections that found the person at post come first (the
    # reading the packs record), so the result never depends on the order the history lists them in.
    events = sorted(enumerate(facts.history), key=lambda ie: (ie[1].date, ie[1].kind != "present_on_inspection", ie[0]))
    unexcused = [e for _, e in events if e.kind == "absent_on_inspection" and not e.leave_procedure_followed]
    run = best = 0
    for _, e in events:
        if e.kind == "present_on_inspection":
            run = 0
        elif e.kind == "absent_on_inspection" and not e.leave_procedure_followed:
            run += 1
            best = max(best, run)
    months = {e.month: e.days for e in facts.history if e.kind == "stay_shortfall_month" and not e.justified}
    pairs = [max(d, months[_next_month(m)]) for m, d in months.items() if _next_month(m) in months]
    grades = [e.grade for e in facts.history if e.kind == "annual_grade"]
    rates = [e.rate for e in facts.history if e.kind == "satisfaction_rate" and e.rate is not None]
    leaves = [e.days for e in facts.history if e.kind == "leave_taken" and e.days is not None]
    case: dict[str, Any] = {
        "role": facts.role,
        "appraisal_year": year,
        "absences_unexcused": len(unexcused),
        "absences_unexcused_year": sum(1 for e in unexcused if e.date.year == year),
        "absences_unexcused_earlier_year_max": 0
        if facts.appraisal_year is not None or year is None
        else max(Counter(e.date.year for e in unexcused if e.date.year < year).values(), default=0),
        "absences_consecutive_max": best,
        "shortfall_month_min_days": min(months.values()) if months else None,
        "two_month_run_days": min(pairs) if pairs else None,
        "worst_annual_grade": max(grades, key=GRADES.index) if grades else None,
        "satisfaction_rate_min": min(rates) if rates else None,
        "leave_days_max": max(leaves) if leaves else None,
    }
    for k in VIOLATION_KINDS:
        case[f"{k}_count"] = sum(1 for e in facts.history if e.kind == k)
    # A field the history gives no value for is left out: a test on it is false.
    return {k: v for k, v in case.items() if v is not None}


BanKind = enum("ban")
BanSubject = enum("ban_subject")


class Ban(BaseModel):
    """Something the person (or the dispatching unit, or its leaders) may not have: for `years`, for this year
    only (`this_year`), or, when neither is given, with no period stated (e.g. the stay never counts as
    grassroots experience)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: BanKind
    years: int | None = Field(default=None, ge=1, le=10)
    this_year: bool = False
    applies_to: BanSubject = "person"

    @model_validator(mode="after")
    def _one_period(self) -> Ban:
        if self.years is not None and self.this_year:
            raise ValueError("give years or this_year: true, not both")
        return self


class DeadlineSpec(BaseModel):
    """A deadline as a pack states it: `working_days` working days after the notice or after an event."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    action: Action
    working_days: int = Field(ge=1, le=365)
    runs_from: str = Field(description="notice (the decision date) or an event kind")
    clause: str
    actor: Authority | None = None

    @field_validator("runs_from")
    @classmethod
    def _start(cls, v: str) -> str:
        if v != "notice" and v not in EVENT_KINDS:
            raise ValueError(f"runs_from: notice or an event kind ({', '.join(EVENT_KINDS)}), not {v!r}")
        return v


class Deadline(BaseModel):
    """A computed deadline. `due` is None when it runs from an event the history does not have yet."""

    action: str
    due: dt.date | None
    rule: str
    clause: str
    working_days: int
    runs_from: str
    start: dt.date | None
    actor: str | None = None


class Form(BaseModel):
    """One form an authority may choose (e.g. an accountability form) and what it costs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label_zh: str
    actions: list[Action] = Field(default_factory=list)
    bans: list[Ban] = Field(default_factory=list)
    clause: str


class Check(BaseModel):
    """Something the document makes depend on a judgement the facts cannot carry: shown as a manual check."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_.-]*$")
    message_zh: str
    message_en: str
    clause: str


class DeductionSpec(BaseModel):
    """Points an organisation loses per occurrence, up to a maximum (每发现一人次扣减…0.2分，扣完为止，最多扣2分)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    from_: Authority = Field(alias="from", description="whose appraisal loses the points (the town, the unit)")
    appraisal_zh: str = Field(min_length=1, description="which appraisal, in the document's words (党建工作考核)")
    appraisal_en: str = ""
    points: PackMoney = Field(description="points per occurrence, a quoted decimal (\"0.2\")")
    per: str = Field(description="the case count that is the number of occurrences (absences_unexcused_year)")
    max_total: PackMoney | None = Field(default=None, description="at most this many points in all (扣完为止)")
    clause: str

    @field_validator("per")
    @classmethod
    def _a_count(cls, v: str) -> str:
        counts = [k for k, (t, _) in _CASE_FIELDS.items() if t is int]
        if v not in counts:
            raise ValueError(f"per: 须为计数字段 a count of the case, one of {', '.join(counts)}; not {v!r}")
        return v


class Deduction(BaseModel):
    """A computed deduction: occurrences × points, capped at max_total."""

    organisation: str = Field(description="authority id whose appraisal loses the points")
    appraisal_zh: str
    appraisal_en: str = ""
    points: Money
    occurrences: int
    total: Money
    max_total: Money | None = None
    rule: str
    clause: str


class EscalationEffect(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Level | Literal["not_covered"]
    actions: list[Action] = Field(default_factory=list, description="措施 what is done (口头警告、召回 …)")
    actors: list[Authority] = Field(default_factory=list, description="由谁采取 who takes the actions")
    grade_cap: Grade | None = Field(default=None, description="年度考核最高等次 the best annual grade still allowed")
    # Why the grade is capped, in the document's words (Shiquan 13(4): attendance problems): policy, so in the pack.
    grade_cap_zh: str | None = None
    grade_cap_en: str | None = None
    # A grade the document sets outright (年度考核直接确定为基本称职等次), not only caps.
    grade_set: Grade | None = Field(default=None, description="年度考核直接确定的等次 the grade set outright")
    grade_set_zh: str | None = None
    grade_set_en: str | None = None
    deductions: list[DeductionSpec] = Field(
        default_factory=list, description="组织扣分，每次若干分，有上限 points an organisation loses, capped"
    )
    bans: list[Ban] = Field(default_factory=list, description="限制（评优、提拔……）things the person may not have")
    deadlines: list[DeadlineSpec] = Field(default_factory=list, description="期限（N个工作日内）deadlines")
    forms: list[Form] = Field(default_factory=list, description="可选的处理形式 forms the authority chooses from")
    checks: list[Check] = Field(default_factory=list, description="须人工核实的 judgements left to a person")
    bonus_withheld_min_percent: int | None = Field(
        default=None, ge=1, le=100, description="扣发奖金的最低比例 the least share of a bonus withheld"
    )


class EscalationDecision(Decision):
    grade_cap: Grade | None = Field(default=None, description="best annual grade still allowed; None: no cap")
    grade_cap_zh: str | None = Field(default=None, description="why, in the words of the rule setting the cap")
    grade_cap_en: str | None = None
    grade_set: Grade | None = Field(default=None, description="the annual grade the document sets outright")
    grade_set_zh: str | None = Field(default=None, description="why, in the words of the rule setting it")
    grade_set_en: str | None = None
    deductions: list[Deduction] = Field(
        default_factory=list, description="points organisations lose (per occurrence, capped); check adds them up"
    )
    bans: list[Ban] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)
    forms: list[Form] = Field(default_factory=list, description="forms the authority chooses one of, with costs")
    bonus_withheld_min_percent: int | None = None
    counts: dict[str, Any] = Field(default_factory=dict, description="the derived values the rules tested")


def _merge_bans(bans: list[Ban]) -> list[Ban]:
    # For one (kind, applies_to) keep the longest: any number of years outlasts "this year".
    best: dict[tuple[str, str], Ban] = {}
    for b in bans:
        key = (b.kind, b.applies_to)
        cur = best.get(key)
        if cur is None or (b.years or 0) > (cur.years or 0):
            best[key] = b
    return list(best.values())


def _union(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for x in items:
        if x not in out:
            out.append(x)
    return out


def combine(m: Match) -> Decision:
    if not m.rules:
        return m.base(
            "not_covered", notes=[f"{m.pack.meta.id}: 没有规则适用于这些事实 no rule of this pack decides these facts"]
        )
    effects = [(r, r.effect) for r in m.rules]
    if any(e.outcome == "not_covered" for _, e in effects):
        return m.base("not_covered", rules=[r for r, e in effects if e.outcome == "not_covered"])
    facts: EscalationFacts = m.facts  # type: ignore[assignment]
    unaddressed = _unaddressed(m)
    tested = _tested_kinds(m)
    # A grade the ladder never mentions is no conduct of its own; one it tests is (Central V(3) 不称职 → recall).
    counted = {k for k in VIOLATION_KINDS if k in tested or k not in MEASURE_KINDS}
    violations = {e.kind for e in facts.history if e.kind in counted}
    if violations and len(unaddressed) == len(violations):
        # Every violation in the history is of a kind the document does not name: no verdict without a clause.
        # The rules that matched (the ladder's baseline) cite the list the document does give.
        return m.base(
            "not_covered",
            manual_checks=unaddressed,
            notes=[f"{m.pack.meta.id}: 文件未规定这些行为 the document names none of these kinds of conduct"],
            counts={k: v for k, v in m.case.items() if k != "role"},
        )
    level = max((e.outcome for _, e in effects), key=LEVELS.index)
    deadlines: list[Deadline] = []
    checks: list[Finding] = []
    for r, e in effects:
        for spec in e.deadlines:
            if spec.runs_from == "notice":
                start: dt.date | None = m.on
            else:
                dates = [ev.date for ev in facts.history if ev.kind == spec.runs_from]
                start = max(dates) if dates else None
            deadlines.append(
                Deadline(
                    action=spec.action,
                    due=add_working_days(start, spec.working_days) if start else None,
                    rule=r.rule.id,
                    clause=spec.clause,
                    working_days=spec.working_days,
                    runs_from=spec.runs_from,
                    start=start,
                    actor=spec.actor,
                )
            )
        for c in e.checks:
            cite = next((x for x in m.pack.cite(r.rule) if x.clause == c.clause and not x.interpretation), None)
            checks.append(
                Finding(
                    id=c.id,
                    passed=False,
                    hedged=True,
                    severity="manual_check",
                    message_zh=c.message_zh,
                    message_en=c.message_en,
                    citation=cite,
                    rule=r.rule.id,
                )
            )
    checks += unaddressed
    caps = [e.grade_cap for _, e in effects if e.grade_cap is not None]
    cap = max(caps, key=GRADES.index) if caps else None
    capping = next((e for _, e in effects if cap is not None and e.grade_cap == cap), None)
    # Rules that set nothing (the ladder's baseline) are cited only when nothing else is.
    contributing = [r for r, e in effects if e.model_dump(exclude_defaults=True).keys() - {"outcome"}]
    contributing += [r for r, e in effects if e.outcome != "none" and r not in contributing]
    contributing = [r for r in m.rules if r in contributing] or m.rules
    percents = [e.bonus_withheld_min_percent for _, e in effects if e.bonus_withheld_min_percent is not None]
    sets = [e for _, e in effects if e.grade_set is not None]
    setting = max(sets, key=lambda e: GRADES.index(e.grade_set)) if sets else None  # the lowest set grade wins
    deductions = [_deduction(m, r, spec) for r, e in effects for spec in e.deductions]
    return m.base(
        level,
        rules=contributing,
        actions=_union([a for _, e in effects for a in e.actions]),
        actors=_union([a for _, e in effects for a in e.actors]),
        grade_cap=cap,
        grade_cap_zh=capping.grade_cap_zh if capping else None,
        grade_cap_en=capping.grade_cap_en if capping else None,
        bans=_merge_bans([b for _, e in effects for b in e.bans]),
        deadlines=sorted(deadlines, key=lambda d: (d.due is None, d.due or dt.date.min)),
        forms=_union([f for _, e in effects for f in e.forms]),
        bonus_withheld_min_percent=max(percents) if percents else None,
        grade_set=setting.grade_set if setting else None,
        grade_set_zh=setting.grade_set_zh if setting else None,
        grade_set_en=setting.grade_set_en if setting else None,
        deductions=[x for x in deductions if x.occurrences],
        manual_checks=checks,
        counts={k: v for k, v in m.case.items() if k != "role"},
    )


def _deduction(m: Match, r: Any, spec: DeductionSpec) -> Deduction:
    n = m.case.get(spec.per)
    if not isinstance(n, int):
        raise EngineError(f"{m.pack.meta.id}: rule {r.rule.id}: deductions per {spec.per!r}, which is not a count")
    total = spec.points * n
    if spec.max_total is not None:
        total = min(total, spec.max_total)
    return Deduction(
        organisation=spec.from_,
        appraisal_zh=spec.appraisal_zh,
        appraisal_en=spec.appraisal_en,
        points=spec.points,
        occurrences=n,
        total=total,
        max_total=spec.max_total,
        rule=r.rule.id,
        clause=spec.clause,
    )


def _tested_kinds(m: Match) -> set[str]:
    """The event kinds some rule of this pack's ladder tests."""
    rules = m.pack.by_question.get(m.question.name, [])
    return {k for r in rules for t in tests_of(r.cond) for k in FIELD_KINDS.get(t.field, ())}


def _unaddressed(m: Match) -> list[Finding]:
    """Violation kinds in the history that no rule of this pack tests: the document says nothing about them."""
    tested = _tested_kinds(m)
    facts: EscalationFacts = m.facts  # type: ignore[assignment]
    out = []
    for kind in _union([e.kind for e in facts.history]):
        if kind in VIOLATION_KINDS and kind not in MEASURE_KINDS and kind not in tested:
            idx = [str(facts.position(i)) for i, e in enumerate(facts.history) if e.kind == kind]
            out.append(
                Finding(
                    id=f"unaddressed.{kind}",
                    passed=False,
                    hedged=True,
                    severity="manual_check",
                    message_zh=f"本文件没有针对 {kind} 的规定（history.{', '.join(idx)}），请人工判断",
                    message_en=f"{m.pack.meta.id} has no rule on {kind} (history {', '.join(idx)}): judge by hand",
                )
            )
    return out


def _conduct_dates(facts: EscalationFacts) -> list[dt.date]:
    # A leave taken is no conduct, but a ladder may act on it (Shiquan 13(2)): like conduct, one taken before a
    # pack applied is judged under the packs in force then, never by a later pack.
    return [e.date for e in facts.history if e.kind in VIOLATION_KINDS or e.kind == "leave_taken"]


def _restrict(facts: EscalationFacts, keep: Any) -> EscalationFacts:
    """The facts with only the events whose date passes `keep`, remembering their positions in the whole history."""
    kept = [i for i, e in enumerate(facts.history) if keep(e.date)]
    part = facts.model_copy(update={"history": [facts.history[i] for i in kept]})
    part._index = [facts.position(i) for i in kept]
    return part


def _unaddressed_kinds(d: Decision) -> set[str]:
    return {f.id.split(".", 1)[1] for f in d.manual_checks if f.id.startswith("unaddressed.")}


def _residual(d: Decision, facts: EscalationFacts, deciders: list[Any]) -> EscalationFacts | None:
    """The conduct of kinds the deciding pack has no rule on: a later pack in force may cover it."""
    kinds = _unaddressed_kinds(d)
    if not kinds:
        return None
    kept = [i for i, e in enumerate(facts.history) if e.kind in kinds]
    part = facts.model_copy(update={"history": [facts.history[i] for i in kept]})
    part._index = [facts.position(i) for i in kept]
    return part


def _absorb(d: Decision, other: Decision, residual: bool, deciders: list[Any]) -> None:
    """Join another pack's decision on part of the history (earlier conduct, or a kind this pack is silent on)."""
    assert isinstance(d, EscalationDecision) and isinstance(other, EscalationDecision)
    if other.outcome in LEVELS and d.outcome in LEVELS:
        d.outcome = max(d.outcome, other.outcome, key=LEVELS.index)
    if residual:  # the kinds the other pack decided are no longer unaddressed
        decided = {k for k in VIOLATION_KINDS if other.counts.get(f"{k}_count")} - _unaddressed_kinds(other)
        if other.outcome != "not_covered":
            d.manual_checks = [
                f for f in d.manual_checks if not (f.id.startswith("unaddressed.") and f.id[12:] in decided)
            ]
    d.actions = _union(d.actions + other.actions)
    d.actors = _union(d.actors + other.actors)
    caps = [c for c in (d.grade_cap, other.grade_cap) if c is not None]
    lower = d.grade_cap is None or (other.grade_cap and GRADES.index(other.grade_cap) > GRADES.index(d.grade_cap))
    if other.grade_cap is not None and lower:  # the other pack's cap wins: so do its words for it
        d.grade_cap_zh, d.grade_cap_en = other.grade_cap_zh, other.grade_cap_en
    d.grade_cap = max(caps, key=GRADES.index) if caps else None
    if other.grade_set is not None and (
        d.grade_set is None or GRADES.index(other.grade_set) > GRADES.index(d.grade_set)
    ):
        d.grade_set, d.grade_set_zh, d.grade_set_en = other.grade_set, other.grade_set_zh, other.grade_set_en
    d.deductions += [x for x in other.deductions if x not in d.deductions]
    d.bans = _merge_bans(d.bans + other.bans)
    d.deadlines = sorted(d.deadlines + other.deadlines, key=lambda x: (x.due is None, x.due or dt.date.min))
    d.forms = _union(d.forms + other.forms)
    percents = [p for p in (d.bonus_withheld_min_percent, other.bonus_withheld_min_percent) if p is not None]
    d.bonus_withheld_min_percent = max(percents) if percents else None
    d.manual_checks += [f for f in other.manual_checks if f not in d.manual_checks]
    d.citations += [c for c in other.citations if c not in d.citations]
    d.trace += [t for t in other.trace if t not in d.trace]
    d.packs += [p for p in other.packs if p not in d.packs]
    d.notes += other.notes


ESCALATION = Question(
    name="escalation",
    title_zh="违规处理与问责升级",
    facts_model=EscalationFacts,
    case_model=EscalationCase,
    effect_model=EscalationEffect,
    hit_policy="collect",
    decision_model=EscalationDecision,
    to_case=to_case,
    combine=combine,
    conduct_dates=_conduct_dates,
    restrict=_restrict,
    residual=_residual,
    absorb=_absorb,
    outcome_labels={
        "none": "未触发",
        "criticism_education": "批评教育",
        "talk_and_notice": "谈话通报",
        "education_rectification": "教育整改",
        "accountability": "问责",
        "serious_handling": "严肃处理",
        "recall": "召回",
        "disciplinary_handling": "按违纪论处",
        "transfer_to_discipline": "移交纪检司法",
        "not_covered": "文件未规定",
    },
)

QUESTIONS = (ESCALATION,)
