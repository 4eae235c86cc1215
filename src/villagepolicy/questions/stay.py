"""stay_requirement (what must this person's presence be?) and stay_compliance (did the attendance meet it?).

Both are answered from pack data: a stay_requirement rule's `then.requirement` sets some fields of the
requirement (days per month, working days per year, lodging, term, ...) citing its clause; every rule
that matches contributes, so each field keeps its own citation. A stay_compliance rule's
`then.checks` says what to count (record kinds, calendar or working days, per month or per year) and
the threshold. Python only aggregates: the records are validated and reduced to one kind per date
once; the engine is asked once per person and period (never per record); then each check counts
the dates of its kinds in each window and compares with the pack's threshold.
Nothing here names a jurisdiction or a policy number.
"""

from __future__ import annotations

import calendar as _stdcal
import datetime as dt
import functools
import re
import warnings
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ..calendar import is_working_day, working_days_between
from ..decision import Decision, Finding
from ..errors import DeprecatedFactWarning, EngineError, FactError
from ..vocabulary import Role, enum, labels
from .base import Match, Question

# ── vocabulary of this question (a public contract: ids are kept, labels may improve) ──

RecordKind = enum("record_kind")
RECORD_KINDS: dict[str, str] = labels("record_kind")
Lodging = enum("lodging")
LODGING: dict[str, str] = labels("lodging")
WeekendDuty = enum("weekend_duty")
WEEKEND_DUTY: dict[str, str] = labels("weekend_duty")
RequirementField = Literal[
    "min_days_per_month",
    "min_working_days_per_year",
    "min_in_village_days_per_year",
    "counts_as_present",
    "lodging",
    "night_duty_min_members",
    "weekend_duty",
    "full_time",
    "term_years",
    "term_is_minimum",
    "handover_working_days",
]
CheckId = Literal["min_days_per_month", "min_working_days_per_year", "min_in_village_days_per_year"]


# ── stay_requirement ──


class StayRequirementFacts(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    role: Role
    # Neutral facts (issue 17 item 3): the distance is a fact, the 3 km a pack's parameter, so a county with a
    # 5 km rule is a YAML change.
    in_county_town_planning_area: bool | None = Field(
        default=None, description="the village lies inside the county-town planning area (县城规划区)"
    )
    km_from_town_seat: float | None = Field(
        default=None, ge=0, le=10_000, description="distance from the town (乡镇) government seat, in km"
    )
    village_within_3km: bool | None = Field(
        default=None,
        description="deprecated: give in_county_town_planning_area and km_from_town_seat. The village is inside "
        "the county-town planning area or within 3 km of the town government seat",
    )

    @model_validator(mode="before")
    @classmethod
    def _int_km(cls, data: Any) -> Any:
        # Strict mode refuses 5 for a float; a distance in whole km is still a distance.
        if isinstance(data, dict) and type(data.get("km_from_town_seat")) is int:
            data = {**data, "km_from_town_seat": float(data["km_from_town_seat"])}
        return data

    @model_validator(mode="after")
    def _one_way_of_saying_it(self) -> StayRequirementFacts:
        if self.village_within_3km is not None:
            if self.in_county_town_planning_area is not None or self.km_from_town_seat is not None:
                raise ValueError(
                    "village_within_3km 已弃用，不能与 in_county_town_planning_area / km_from_town_seat 同时给出 "
                    "village_within_3km is deprecated and cannot be given with the facts that replace it"
                )
            warnings.warn(
                DeprecatedFactWarning(
                    "village_within_3km 已弃用：请给出 in_county_town_planning_area 和 km_from_town_seat "
                    "village_within_3km is deprecated: give in_county_town_planning_area and km_from_town_seat"
                ),
                stacklevel=2,
            )
        return self


class StayRequirementCase(BaseModel):
    role: Role
    in_county_town_planning_area: bool | None = None
    km_from_town_seat: float | None = None
    village_within_3km: bool | None = None


class Requirement(BaseModel):
    """What presence a document requires; None means the document (as encoded) does not set it."""

    model_config = ConfigDict(extra="forbid")

    min_days_per_month: int | None = Field(default=None, ge=1, le=31)
    min_working_days_per_year: int | None = Field(default=None, ge=1, le=366)
    min_in_village_days_per_year: int | None = Field(default=None, ge=1, le=366, description="calendar days")
    counts_as_present: list[RecordKind] | None = Field(
        default=None, description="record kinds that count toward the main day requirement"
    )
    lodging: Lodging | None = None
    night_duty_min_members: int | None = Field(default=None, ge=1)
    weekend_duty: WeekendDuty | None = None
    full_time: bool | None = Field(default=None, description="released full-time from the dispatching unit's work")
    term_years: int | None = Field(default=None, ge=1, le=20)
    term_is_minimum: bool | None = Field(default=None, description="True: at least term_years; False: exactly")
    handover_working_days: int | None = Field(default=None, ge=1)
    in_principle: list[RequirementField] = Field(
        default_factory=list, description="fields the document qualifies with 原则上/一般 (a soft norm)"
    )


class StayRequirementEffect(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Literal["required", "not_covered"]
    requirement: Requirement = Field(default_factory=Requirement)
    not_set: list[RequirementField] = Field(
        default_factory=list, description="fields the cited clause shows the document leaves unset"
    )


class StayRequirementDecision(Decision):
    requirement: Requirement | None = None
    basis: dict[str, list[str]] = Field(
        default_factory=dict, description="requirement field -> the clauses setting it, as 'pack:clause'"
    )
    not_set: dict[str, list[str]] = Field(
        default_factory=dict, description="field -> clauses showing the document leaves it unset"
    )


def _clause_refs(m: Match, cr: Any) -> list[str]:
    return [f"{m.pack.meta.id}:{c}" for c in cr.rule.cites]


def _rule_notes(m: Match, rules: list[Any]) -> list[str]:
    return [f"{m.pack.meta.id} {cr.rule.id}: {cr.rule.note_en}" for cr in rules if cr.rule.note_en]


def _only_not_covered(m: Match, rules: list[Any]) -> Decision | None:
    """Shared shape: no rule, or every matched rule says not_covered (a mix is a pack error)."""
    if not rules:
        return m.base(
            "not_covered",
            notes=[f"{m.pack.meta.id}: 没有规则适用于这些事实 no rule of this pack decides these facts"],
        )
    nc = [cr for cr in rules if cr.effect.outcome == "not_covered"]
    if nc and len(nc) < len(rules):
        ids = ", ".join(cr.rule.id for cr in rules)
        raise EngineError(f"{m.pack.meta.id}: rules {ids} match together but only some say not_covered")
    if nc:
        return m.base("not_covered", notes=_rule_notes(m, rules))
    return None


def combine_requirement(m: Match) -> Decision:
    done = _only_not_covered(m, m.rules)
    if done is not None:
        return done
    merged: dict[str, Any] = {}
    origin: dict[str, str] = {}
    basis: dict[str, list[str]] = {}
    not_set: dict[str, list[str]] = {}
    in_principle: list[str] = []
    for cr in m.rules:
        req: Requirement = cr.effect.requirement
        for name in Requirement.model_fields:  # declaration order keeps the output stable
            if name not in req.model_fields_set:
                continue
            value = getattr(req, name)
            if name == "in_principle":
                in_principle += [f for f in value if f not in in_principle]
                continue
            if value is None:
                continue
            if name in merged and merged[name] != value:
                raise EngineError(
                    f"{m.pack.meta.id}: rules {origin[name]} and {cr.rule.id} set {name} to "
                    f"{merged[name]!r} and {value!r}"
                )
            merged[name] = value
            origin.setdefault(name, cr.rule.id)
            basis.setdefault(name, [])
            basis[name] += [r for r in _clause_refs(m, cr) if r not in basis[name]]
        for name in cr.effect.not_set:
            not_set.setdefault(name, [])
            not_set[name] += [r for r in _clause_refs(m, cr) if r not in not_set[name]]
    clash = sorted(set(not_set) & set(merged))
    if clash:
        raise EngineError(f"{m.pack.meta.id}: {', '.join(clash)} both set and declared not set by matching rules")
    return m.base(
        "required",
        requirement=Requirement(**merged, in_principle=in_principle),
        basis=basis,
        not_set=not_set,
        notes=_rule_notes(m, m.rules),
    )


STAY_REQUIREMENT = Question(
    name="stay_requirement",
    title_zh="驻村时间要求",
    facts_model=StayRequirementFacts,
    case_model=StayRequirementCase,
    effect_model=StayRequirementEffect,
    decision_model=StayRequirementDecision,
    combine=combine_requirement,
    outcome_labels={"required": "有驻村要求", "not_covered": "文件未规定"},
)


# ── stay_compliance ──

_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


def _parse_date(v: Any) -> dt.date:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str) and len(v) == 10 and v[4] == "-" and v[7] == "-" and v[:4].isdigit():
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            pass
    raise PydanticCustomError("date", "不是日期 not a date (YYYY-MM-DD)")


class AttendanceRecord(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    date: dt.date
    kind: RecordKind
    note: str | None = Field(default=None, max_length=500, description="free text, carried but not read")

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, v: Any) -> dt.date:
        return _parse_date(v)


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class DayTally(BaseModel):
    """Days of one kind in one month, already reduced to one kind per date (a roster's column-wise aggregate)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    month: str = Field(description="YYYY-MM")
    kind: RecordKind
    days: int = Field(ge=0, le=31, description="distinct calendar dates of this kind in the month")
    working_days: int = Field(ge=0, le=31, description="of those, official working days")

    @model_validator(mode="after")
    def _valid(self) -> DayTally:
        span = _month_span(self.month)
        if span is None:
            raise ValueError(f"month must be YYYY-MM, not {self.month!r}")
        if self.days > span[1].day:
            raise ValueError(f"{self.month} has fewer than {self.days} days")
        if self.working_days > self.days:
            raise ValueError("working_days exceeds days")
        return self

    def first_last(self) -> tuple[dt.date, dt.date]:
        span = _month_span(self.month)
        assert span is not None  # validated
        return span


@functools.lru_cache(maxsize=4096)
def _month_span(month: str) -> tuple[dt.date, dt.date] | None:
    """First and last day of a YYYY-MM month (1900–2100), or None when it is not one.

    Cached: a province's counts are millions of tallies over a few dozen months (and a private
    attribute per instance would cost more, pydantic initialises those one by one).
    """
    m = _MONTH.match(month)
    if m is None or not 1900 <= int(m.group(1)) <= 2100 or not 1 <= int(m.group(2)) <= 12:
        return None
    y, mo = int(m.group(1)), int(m.group(2))
    return dt.date(y, mo, 1), dt.date(y, mo, _stdcal.monthrange(y, mo)[1])


class StayComplianceFacts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    role: Role
    period: str = Field(description="a month YYYY-MM or a year YYYY")
    records: list[AttendanceRecord] = Field(default_factory=list, max_length=20_000)
    counts: list[DayTally] | None = Field(
        default=None,
        max_length=2_000,
        description="instead of records: days per month and kind, one kind per date (e.g. from a roster's columns)",
    )

    # date -> (kind, index of the first record for it); indices of records repeating an earlier one.
    _days: dict[dt.date, tuple[str, int]] = PrivateAttr(default_factory=dict)
    _repeats: list[tuple[int, int]] = PrivateAttr(default_factory=list)
    _conflicts: list[tuple[int, int]] = PrivateAttr(default_factory=list)
    # counts as (first day, last day, kind, days, working days)
    _spans: list[tuple[dt.date, dt.date, str, int, int]] = PrivateAttr(default_factory=list)

    @field_validator("period", mode="before")
    @classmethod
    def _period(cls, v: Any) -> str:
        if isinstance(v, int) and not isinstance(v, bool):
            v = str(v)  # a year given as a number
        m = _PERIOD.match(v) if isinstance(v, str) else None
        if m is None or not 1900 <= int(m.group(1)) <= 2100 or (m.group(2) and not 1 <= int(m.group(2)) <= 12):
            raise PydanticCustomError(
                "period", "期间须为年 YYYY 或月 YYYY-MM period must be a year YYYY or a month YYYY-MM"
            )
        return v

    @model_validator(mode="before")
    @classmethod
    def _records_or_counts(cls, data: Any) -> Any:
        if isinstance(data, dict):
            if "records" not in data and data.get("counts") is None:
                raise PydanticCustomError("missing", "须给出 records 或 counts records or counts is required")
            if "records" in data and data.get("counts") is not None:
                raise PydanticCustomError("both", "records 与 counts 只能给一个 give records or counts, not both")
        return data

    @model_validator(mode="after")
    def _index(self) -> StayComplianceFacts:
        if self.counts is not None:
            seen: set[tuple[str, str]] = set()
            spans = []
            for t in self.counts:
                if (t.month, t.kind) in seen:
                    raise ValueError(f"counts: {t.month} {t.kind} given twice")
                seen.add((t.month, t.kind))
                spans.append((*t.first_last(), t.kind, t.days, t.working_days))
            # Plain tuples: read once per check and window, far cheaper than the models' attributes.
            self._spans = spans
            return self
        days: dict[dt.date, tuple[str, int]] = {}
        repeats: list[tuple[int, int]] = []
        conflicts: list[tuple[int, int]] = []
        for i, r in enumerate(self.records):
            prev = days.get(r.date)
            if prev is None:
                days[r.date] = (r.kind, i)
            elif prev[0] == r.kind:
                repeats.append((i, prev[1]))
            else:
                conflicts.append((i, prev[1]))
        self._days = days
        self._repeats = repeats
        self._conflicts = conflicts
        return self

    def check_conflicts(self) -> None:
        """Two kinds for one day cannot both be true: a FactError per conflict, naming the date and records."""
        if not self._conflicts:
            return
        problems = []
        for i, first in self._conflicts:
            r, f = self.records[i], self.records[first]
            problems.append(
                (
                    f"records.{i}",
                    f"{r.date.isoformat()} 同一天有两种记录 one day, two kinds: "
                    f"records {first} ({f.kind}) and {i} ({r.kind})",
                )
            )
        raise FactError(problems)

    def bounds(self) -> tuple[dt.date, dt.date]:
        year, month = self.year_month()
        if month is None:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        return dt.date(year, month, 1), dt.date(year, month, _stdcal.monthrange(year, month)[1])

    def year_month(self) -> tuple[int, int | None]:
        m = _PERIOD.match(self.period)
        assert m is not None
        return int(m.group(1)), (int(m.group(2)) if m.group(2) else None)


class StayComplianceCase(BaseModel):
    role: Role
    period_kind: Literal["month", "year"]
    period_complete: bool
    # Distinct days of each kind in the period, up to the decision date (for rules that want them).
    days_in_village: int
    days_official_trip: int
    days_meeting: int
    days_training: int
    days_project_liaison: int
    days_leave_approved: int
    days_leave_unapproved: int
    days_absent: int


def tallies_in(
    facts: StayComplianceFacts, start: dt.date, last: dt.date
) -> list[tuple[dt.date, dt.date, str, int, int]]:
    """The counts of months inside start..last as (first, last, kind, days, working days); a month that
    `last` cuts in two cannot be split."""
    out = []
    for i, t in enumerate(facts._spans):
        a, b = t[0], t[1]
        if b < start or a > last:
            continue  # outside the period or after the decision date: not counted, as records would be
        if a < start or b > last:
            raise FactError(
                [
                    (
                        f"counts.{i}",
                        f"{a.isoformat()[:7]} 跨越期间或决定日期，按月计数无法拆分 a month's counts cannot be split at "
                        f"{start.isoformat() if a < start else last.isoformat()}; give records instead",
                    )
                ]
            )
        out.append(t)
    return out


def tally_records(records: list[tuple[dt.date, str]]) -> list[dict[str, Any]]:
    """Records (date, kind), one kind per date, reduced to the `counts` fact: days per month and kind."""
    days: dict[tuple[str, str], list[int]] = {}
    for day, kind in set(records):
        t = days.setdefault((f"{day.year:04d}-{day.month:02d}", kind), [0, 0])
        t[0] += 1
        t[1] += is_working_day(day)
    return [{"month": m, "kind": k, "days": n, "working_days": w} for (m, k), (n, w) in sorted(days.items())]


def compliance_case(facts: StayComplianceFacts, on: dt.date) -> dict[str, Any]:
    start, end = facts.bounds()
    last = min(end, on)
    counts = dict.fromkeys(RECORD_KINDS, 0)
    if facts.counts is not None:
        for t in tallies_in(facts, start, last):
            counts[t[2]] += t[3]
    else:
        facts.check_conflicts()
        for day, (kind, _) in facts._days.items():
            if start <= day <= last:
                counts[kind] += 1
    return {
        "role": facts.role,
        "period_kind": "year" if facts.year_month()[1] is None else "month",
        "period_complete": end <= on,
        **{f"days_{k}": n for k, n in counts.items()},
    }


class DayCheck(BaseModel):
    """One counted requirement: in each `per` window, days of `kinds` must reach `min`."""

    model_config = ConfigDict(extra="forbid")

    id: CheckId
    per: Literal["month", "year"]
    unit: Literal["day", "working_day"] = Field(description="calendar days, or official working days only")
    kinds: list[RecordKind] = Field(min_length=1)
    min: int = Field(ge=1, le=366)
    excused_by: list[RecordKind] = Field(
        default_factory=list, description="kinds that cover a shortfall without counting (e.g. approved leave)"
    )
    # The document's words for those days (Guizhou: 经批准的请假); without them the kinds' labels are used.
    excused_zh: str | None = None
    excused_en: str | None = None
    hedged: bool = Field(default=False, description="the document qualifies the threshold (原则上)")
    note_zh: str | None = Field(default=None, description="what a person should verify when the check is not met")
    note_en: str | None = None

    @model_validator(mode="after")
    def _disjoint(self) -> DayCheck:
        both = sorted(set(self.kinds) & set(self.excused_by))
        if both:
            raise ValueError(f"kinds and excused_by overlap: {', '.join(both)}")
        return self


class StayComplianceEffect(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Literal["not_covered"] | None = Field(default=None, description="only for rules that do not assess")
    checks: list[DayCheck] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_of(self) -> StayComplianceEffect:
        if (self.outcome is None) == (not self.checks):
            raise ValueError("give either checks (to assess) or outcome: not_covered, not both")
        return self


class DayCount(BaseModel):
    requirement: str
    window: str = Field(description="the month YYYY-MM or year YYYY counted")
    unit: Literal["day", "working_day"]
    kinds: list[str]
    required: int
    counted: int
    excused: int = Field(description="days of excused_by kinds (they cover a shortfall, they do not count)")
    shortfall: int = Field(description="required - counted, at least 0")
    remaining: int = Field(description="days of the unit left in the window after the decision date")
    records: int = Field(description="records (one per date) in the window up to the decision date, any kind")
    status: Literal["met", "met_excused", "not_met", "open"]
    hedged: bool = False
    rule: str


class NotCounted(BaseModel):
    index: int = Field(description="position of the record in `records` (0-based)")
    date: dt.date
    kind: str
    reason: Literal["outside_period", "after_decision_date", "duplicate", "kind_not_counted", "not_a_working_day"]
    requirement: str | None = Field(default=None, description="the count it was left out of; None: left out of all")
    detail: str = ""


def _nc(**fields: Any) -> dict[str, Any]:
    # Plain dicts: the decision validates the whole list in one pass, far cheaper than a model per record.
    return fields


class StayComplianceDecision(Decision):
    period: str | None = None
    counts: dict[str, DayCount] = Field(default_factory=dict)
    shortfall: dict[str, int] = Field(default_factory=dict, description="counts key -> days short (only > 0)")
    days_by_kind: dict[str, int] = Field(default_factory=dict, description="distinct days per kind, up to `on`")
    not_counted: list[NotCounted] = Field(default_factory=list)


def _windows(facts: StayComplianceFacts, per: str) -> list[tuple[str, dt.date, dt.date]]:
    year, month = facts.year_month()
    if per == "year":
        if month is not None:
            raise ValueError(per)
        return [(str(year), dt.date(year, 1, 1), dt.date(year, 12, 31))]
    months = [month] if month is not None else list(range(1, 13))
    return [
        (f"{year}-{mo:02d}", dt.date(year, mo, 1), dt.date(year, mo, _stdcal.monthrange(year, mo)[1])) for mo in months
    ]


def _days_in(unit: str, a: dt.date, b: dt.date) -> int:
    if b < a:
        return 0
    return working_days_between(a, b) if unit == "working_day" else (b - a).days + 1


def combine_compliance(m: Match) -> Decision:
    facts: StayComplianceFacts = m.facts  # type: ignore[assignment]
    done = _only_not_covered(m, m.rules)
    if done is not None:
        done.period = facts.period  # type: ignore[attr-defined]
        return done
    on = m.on
    start, end = facts.bounds()

    # Records left out of every count: outside the period, after the decision date, repeats.
    not_counted: list[dict[str, Any]] = []
    in_scope: list[tuple[dt.date, str, int]] = []
    for day, (kind, i) in sorted(facts._days.items()):
        if not start <= day <= end:
            not_counted.append(_nc(index=i, date=day, kind=kind, reason="outside_period"))
        elif day > on:
            not_counted.append(_nc(index=i, date=day, kind=kind, reason="after_decision_date"))
        else:
            in_scope.append((day, kind, i))
    for i, first in facts._repeats:
        r = facts.records[i]
        not_counted.append(
            _nc(index=i, date=r.date, kind=r.kind, reason="duplicate", detail=f"same day and kind as record {first}")
        )

    # From counts there are no records to list; the same counts, statuses and findings follow from the tallies.
    tallies = tallies_in(facts, start, min(end, on)) if facts.counts is not None else []

    def window_tallies(a: dt.date, b: dt.date) -> list[tuple[dt.date, dt.date, str, int, int]]:
        return [t for t in tallies if a <= t[0] <= b]

    # One check per id; two rules giving the same id must agree.
    checks: dict[str, tuple[DayCheck, Any]] = {}
    for cr in m.rules:
        for c in cr.effect.checks:
            if c.id in checks and checks[c.id][0] != c:
                raise EngineError(f"{m.pack.meta.id}: rules {checks[c.id][1].rule.id} and {cr.rule.id} define {c.id}")
            checks.setdefault(c.id, (c, cr))

    # Bucket the in-scope days by month once, so each window reads only its own days.
    by_month: dict[str, list[tuple[dt.date, str, int]]] = {}
    for item in in_scope:
        by_month.setdefault(f"{item[0].year}-{item[0].month:02d}", []).append(item)

    counts: dict[str, DayCount] = {}
    outside: list[str] = []
    findings: list[Finding] = []
    manual: list[Finding] = []
    for check, cr in checks.values():
        try:
            windows = _windows(facts, check.per)
        except ValueError:
            raise EngineError(
                f"{m.pack.meta.id}: rule {cr.rule.id} counts {check.id} per year but the period is a month; "
                "restrict the rule with period_kind: year"
            ) from None
        citation = (m.citations([cr]) or [None])[0]
        kinds, excused_kinds = set(check.kinds), set(check.excused_by)
        for label, a, b in windows:
            key = check.id if len(windows) == 1 else f"{check.id}@{label}"
            if a < m.pack.meta.effective_from or (m.pack.meta.effective_to and b > m.pack.meta.effective_to):
                # The requirement did not apply for the whole window: assessing it would apply it retroactively.
                outside.append(label)
                continue
            counted = excused = 0
            window_days = in_scope if check.per == "year" else by_month.get(label, [])
            n_records = len(window_days)
            for _, _, kind, days, wdays in window_tallies(a, b):
                n = wdays if check.unit == "working_day" else days
                counted += n if kind in kinds else 0
                excused += n if kind in excused_kinds else 0
                n_records += days
            for day, kind, i in window_days:
                if kind in kinds or kind in excused_kinds:
                    if check.unit == "working_day" and not is_working_day(day):
                        not_counted.append(
                            _nc(index=i, date=day, kind=kind, reason="not_a_working_day", requirement=key)
                        )
                    elif kind in kinds:
                        counted += 1
                    else:
                        excused += 1
                        not_counted.append(
                            _nc(
                                index=i,
                                date=day,
                                kind=kind,
                                reason="kind_not_counted",
                                requirement=key,
                                detail="covers a shortfall without counting",
                            )
                        )
                else:
                    not_counted.append(_nc(index=i, date=day, kind=kind, reason="kind_not_counted", requirement=key))
            remaining = _days_in(check.unit, max(a, on + dt.timedelta(days=1)), b)
            if counted >= check.min:
                status = "met"
            elif counted + excused >= check.min:
                status = "met_excused"
            elif counted + excused + remaining < check.min:
                status = "not_met"
            else:
                status = "open"
            count = DayCount(
                requirement=check.id,
                window=label,
                unit=check.unit,
                kinds=list(check.kinds),
                required=check.min,
                counted=counted,
                excused=excused,
                shortfall=max(0, check.min - counted),
                remaining=remaining,
                records=n_records,
                status=status,
                hedged=check.hedged,
                rule=cr.rule.id,
            )
            counts[key] = count
            if status != "open":
                findings.append(_finding(key, count, citation, cr.rule.id, check))
            if status == "not_met" and check.note_zh:
                manual.append(
                    Finding(
                        id=f"{key}:verify",
                        passed=False,
                        message_zh=check.note_zh,
                        message_en=check.note_en or "",
                        hedged=check.hedged,
                        severity="manual_check",
                        citation=citation,
                        rule=cr.rule.id,
                    )
                )

    notes = _rule_notes(m, m.rules)
    if outside:
        eff = m.pack.meta
        span = f"{eff.effective_from.isoformat()}–{eff.effective_to.isoformat() if eff.effective_to else ''}"
        notes.append(
            f"{eff.id} 在 {'、'.join(sorted(set(outside)))} 期间并非全程有效 ({span})，不予核对 "
            f"not in force for the whole of {', '.join(sorted(set(outside)))}: not assessed"
        )
    if not counts:
        return m.base("not_covered", period=facts.period, notes=notes)
    statuses = {c.status for c in counts.values()}
    outcome = "non_compliant" if "not_met" in statuses else "pending" if "open" in statuses else "compliant"
    if outcome == "pending":
        notes.append(
            f"{facts.period} 在 {on.isoformat()} 尚未结束，要求尚未满足但仍可达到 "
            f"the period is not over on {on.isoformat()}: not yet met, still reachable"
        )
    case = m.case
    not_counted.sort(key=lambda n: (n["index"], n.get("requirement") or ""))
    return m.base(
        outcome,
        period=facts.period,
        counts=counts,
        shortfall={k: c.shortfall for k, c in counts.items() if c.shortfall > 0},
        days_by_kind={k: case[f"days_{k}"] for k in RECORD_KINDS if case.get(f"days_{k}")},
        not_counted=not_counted,
        findings=findings,
        manual_checks=manual,
        notes=notes,
    )


def _finding(key: str, c: DayCount, citation: Any, rule: str, check: DayCheck) -> Finding:
    unit_zh = "个工作日" if c.unit == "working_day" else "天"
    kinds_zh = "、".join(RECORD_KINDS[k] for k in c.kinds)
    passed = c.status in ("met", "met_excused")
    zh = f"{c.window}：{kinds_zh} 计 {c.counted}{unit_zh}，要求不少于 {c.required}{unit_zh}"
    en = f"{c.window}: {c.counted} {c.unit.replace('_', ' ')}s of {', '.join(c.kinds)}; at least {c.required} required"
    if c.status == "met_excused":
        why_zh = check.excused_zh or "、".join(RECORD_KINDS[k] for k in check.excused_by)
        why_en = check.excused_en or "excused"
        zh += f"；差额由 {c.excused} 天{why_zh}补足"
        en += f"; the shortfall is covered by {c.excused} {why_en} days"
    elif not passed:
        zh += f"，差 {c.shortfall}{unit_zh}"
        en += f", {c.shortfall} short"
    if c.records == 0:
        zh += "（该期间没有任何记录）"
        en += " (no records at all in this window)"
    if c.hedged:
        zh += "（原则上）"
        en += " (in principle)"
    return Finding(id=key, passed=passed, message_zh=zh, message_en=en, hedged=c.hedged, citation=citation, rule=rule)


STAY_COMPLIANCE = Question(
    name="stay_compliance",
    title_zh="驻村考勤是否达标",
    facts_model=StayComplianceFacts,
    case_model=StayComplianceCase,
    effect_model=StayComplianceEffect,
    decision_model=StayComplianceDecision,
    to_case=compliance_case,
    combine=combine_compliance,
    outcome_labels={
        "compliant": "达标",
        "non_compliant": "未达标",
        "pending": "期间未结束",
        "not_covered": "文件未规定",
    },
)

QUESTIONS = (STAY_REQUIREMENT, STAY_COMPLIANCE)
