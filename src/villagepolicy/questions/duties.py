"""duties and duty_compliance: the recurring and one-off obligations the documents set, over a period.

The packs hold each duty as data (what, how often, by when, who is responsible, to whom it is
reported) in a rule's `then`, with the rule's citations. Python only expands recurrences over the
asked period (dateutil.rrule) and matches records of duties done against the occurrences.

Calendar readings (docs/questions/duties.md): weeks run Monday–Sunday, half-months 1–15 and 16–end,
quarters and half-years are calendar ones; an occurrence is listed in every period its window
overlaps (a week across New Year appears in both years, with one stable id), and is marked `partial`
when the person arrived after its window began.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from dateutil.relativedelta import relativedelta
from dateutil.rrule import MONTHLY, WEEKLY, YEARLY, rrule
from pydantic import BaseModel, ConfigDict, Field, StrictInt, model_validator

from ..decision import Citation, Decision, Finding
from ..errors import EngineError, FactError
from ..packs.schema import ID
from ..vocabulary import Authority, Role, enum, labels
from ._collect import FactDate
from ._common import Period, PeriodField, item_citations, month_end, not_covered, single_outcome
from .base import Match, Question

Every = enum("recurrence")
# Who carries a duty: an authority id, the person asked about (`self`) or the work team as a whole (`team`).
Responsible = Authority | Literal["self", "team"]

EVERY_ZH = labels("recurrence")


class DutySpec(BaseModel):
    """One duty as a pack writes it in a rule's `then.duties`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ID)
    what_zh: str = Field(min_length=1)
    what_en: str = ""
    every: Every | None = Field(default=None, description="recurs each calendar week, half-month, … ")
    times: int = Field(default=1, ge=1, description="at least this many times per occurrence")
    times_max: int | None = Field(default=None, ge=1, description="at most (1–2 件实事: times 1, times_max 2)")
    by_day: int | None = Field(default=None, ge=1, le=31, description="monthly duty due by this day of the month")
    due_days_after: int | None = Field(
        default=None, ge=1, le=366, description="due this many days after its period ends (每月5日前填报上月: 5)"
    )
    within_months: int | None = Field(default=None, ge=1, description="once, within N months of stationed_since")
    before_start: bool = Field(default=False, description="once, completed by stationed_since (pre-job training)")
    standing: bool = Field(default=False, description="a standing duty with no deadline (始终、经常)")
    min_days: int | None = Field(default=None, ge=1, description="the duty itself lasts at least this many days")
    responsible: list[Responsible] = Field(min_length=1)
    report_to: list[Authority] = Field(default_factory=list)
    hedged: bool = Field(default=False, description="原则上/一般: a norm that admits exceptions")
    cites: list[str] = Field(default_factory=list, description="this duty's clauses (a subset of the rule's cites)")
    interpretations: list[str] = Field(default_factory=list, description="of the rule's interpretations")

    @model_validator(mode="after")
    def _one_schedule(self) -> DutySpec:
        kinds = [self.every is not None, self.within_months is not None, self.before_start, self.standing]
        if sum(kinds) != 1:
            raise ValueError("a duty needs exactly one of every, within_months, before_start, standing")
        if self.by_day is not None and self.every != "month":
            raise ValueError("by_day is only for duties with every: month")
        if self.due_days_after is not None and (self.every is None or self.by_day is not None):
            raise ValueError("due_days_after 只用于 every，不与 by_day 同用 is for recurring duties, without by_day")
        if self.times_max is not None and self.times_max < self.times:
            raise ValueError("times_max is below times")
        return self


class DutiesEffect(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Literal["listed", "not_covered"]
    duties: list[DutySpec] = Field(default_factory=list)


class DutiesFacts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    role: Role
    stationed_since: FactDate
    period: PeriodField
    responsible: list[Responsible] | None = Field(
        default=None, description="only duties carried by one of these (e.g. [self, team] for a personal calendar)"
    )


class DutiesCase(BaseModel):
    role: Role


class Occurrence(BaseModel):
    window_start: dt.date
    window_end: dt.date
    due: dt.date
    partial: bool = Field(default=False, description="the person arrived after this window began")


class Duty(BaseModel):
    id: str
    what_zh: str
    what_en: str = ""
    recurrence: str | None = Field(default=None, description="e.g. 'month', 'half_year'; null for a one-off duty")
    recurrence_zh: str | None = None
    due: dt.date | None = Field(default=None, description="the deadline of a one-off duty")
    times: int = 1
    times_max: int | None = None
    by_day: int | None = None
    due_days_after: int | None = Field(default=None, description="due this many days after each period ends")
    standing: bool = Field(default=False, description="a standing duty: no deadline, never overdue")
    min_days: int | None = None
    responsible: list[str]
    report_to: list[str] = Field(default_factory=list)
    hedged: bool = False
    occurrences: list[Occurrence] = Field(default_factory=list)
    citation: Citation
    citations: list[Citation]
    rule: str


class DutiesDecision(Decision):
    role: str | None = None
    stationed_since: dt.date | None = None
    period: str | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    duties: list[Duty] = Field(default_factory=list)


def _windows(every: str, start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Calendar windows of a recurrence that overlap [start, end]."""
    if every == "day":
        return [(d, d) for d in (start + dt.timedelta(days=n) for n in range((end - start).days + 1))]
    if every == "week":
        first = start - dt.timedelta(days=start.weekday())
        return [(d.date(), d.date() + dt.timedelta(days=6)) for d in rrule(WEEKLY, dtstart=first, until=end)]
    first = start.replace(day=1)
    if every == "half_month":
        out = []
        for d in rrule(MONTHLY, dtstart=first, until=end, bymonthday=(1, 16)):
            day = d.date()
            out.append((day, day.replace(day=15) if day.day == 1 else month_end(day.year, day.month)))
        return out
    if every == "year":
        starts = rrule(YEARLY, dtstart=first.replace(month=1), until=end, bymonth=1, bymonthday=1)
        return [(d.date(), d.date().replace(month=12, day=31)) for d in starts]
    months = {"month": 1, "quarter": 3, "half_year": 6}[every]
    bymonth = tuple(range(1, 13, months))
    starts = rrule(MONTHLY, dtstart=first.replace(month=1), until=end, bymonth=bymonth, bymonthday=1)
    out = []
    for d in starts:
        day = d.date()
        last = day + relativedelta(months=months) - dt.timedelta(days=1)
        if last >= start:
            out.append((day, last))
    return out


def occurrences(spec: DutySpec, since: dt.date, period: Period) -> tuple[dt.date | None, list[Occurrence]]:
    """The due date (one-off duties) and the occurrences of `spec` that fall in `period`."""
    if spec.standing:
        return None, []  # no deadline: listed as a standing duty, never overdue
    if spec.every is None:
        if spec.before_start:
            start, due = since, since
        else:
            assert spec.within_months is not None
            # 民法典 201: the day of arrival is not counted; 3 months from 01-15 end on 04-15.
            start, due = since, since + relativedelta(months=spec.within_months)
        if start <= period.end and due >= period.start:
            return due, [Occurrence(window_start=start, window_end=due, due=due)]
        return due, []
    out = []
    for w_start, w_end in _windows(spec.every, period.start, period.end):
        if w_end < since:
            continue
        due = w_end
        if spec.by_day is not None:
            due = min(w_start.replace(day=1) + dt.timedelta(days=spec.by_day - 1), w_end)
        elif spec.due_days_after is not None:
            due = w_end + dt.timedelta(days=spec.due_days_after)
        out.append(Occurrence(window_start=w_start, window_end=w_end, due=due, partial=since > w_start))
    return None, out


def expand(m: Match, since: dt.date, period: Period) -> list[Duty]:
    duties: list[Duty] = []
    seen: dict[str, str] = {}
    for r in m.rules:
        for spec in r.effect.duties:  # type: ignore[attr-defined]
            if spec.id in seen:
                raise EngineError(
                    f"{m.pack.meta.id}: duty id {spec.id!r} is listed by rules {seen[spec.id]} and {r.rule.id}"
                )
            seen[spec.id] = r.rule.id
            cites = item_citations(m, r.rule, spec.cites, spec.interpretations, f"duty {spec.id}")
            due, occ = occurrences(spec, since, period)
            if not occ and not spec.standing:
                continue
            duties.append(
                Duty(
                    id=spec.id,
                    what_zh=spec.what_zh,
                    what_en=spec.what_en,
                    recurrence=spec.every,
                    recurrence_zh=EVERY_ZH.get(spec.every or ""),
                    due=due,
                    times=spec.times,
                    times_max=spec.times_max,
                    by_day=spec.by_day,
                    due_days_after=spec.due_days_after,
                    standing=spec.standing,
                    min_days=spec.min_days,
                    responsible=list(spec.responsible),
                    report_to=list(spec.report_to),
                    hedged=spec.hedged,
                    occurrences=occ,
                    citation=cites[0],
                    citations=cites,
                    rule=r.rule.id,
                )
            )
    return duties


def _combine_duties(m: Match) -> Decision:
    facts: DutiesFacts = m.facts  # type: ignore[assignment]
    ctx = {
        "role": facts.role,
        "stationed_since": facts.stationed_since,
        "period": str(facts.period),
        "period_start": facts.period.start,
        "period_end": facts.period.end,
    }
    if not m.rules or single_outcome(m) == "not_covered":
        d = not_covered(m)
        return d.model_copy(update=ctx)
    duties = expand(m, facts.stationed_since, facts.period)
    if facts.responsible is not None:
        wanted = set(facts.responsible)
        duties = [d for d in duties if wanted & set(d.responsible)]
    notes = []
    if not duties:
        notes.append(
            f"{facts.period} 期间内没有应履行的职责 no duty falls in {facts.period} "
            f"for someone stationed since {facts.stationed_since}"
        )
    return m.base("listed", duties=duties, notes=notes, **ctx)


DUTIES = Question(
    name="duties",
    title_zh="工作职责与时限",
    facts_model=DutiesFacts,
    case_model=DutiesCase,
    effect_model=DutiesEffect,
    hit_policy="collect",
    decision_model=DutiesDecision,
    combine=_combine_duties,
    outcome_labels={"listed": "已列出", "not_covered": "文件未规定"},
)


# ── duty_compliance ──


class DutyRecord(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    duty: str = Field(min_length=1, description="the duty id, as `duties` lists it")
    date: FactDate
    days: StrictInt = Field(default=1, ge=1, le=366, description="days the record covers (training)")


class ComplianceFacts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    role: Role
    stationed_since: FactDate
    period: PeriodField
    records: list[DutyRecord] = Field(default_factory=list)
    responsible: list[Responsible] | None = Field(default=None, description="check only duties carried by these")


class ComplianceEffect(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Literal["checked", "not_covered"]


class OccurrenceStatus(BaseModel):
    duty: str
    what_zh: str
    window_start: dt.date
    window_end: dt.date
    due: dt.date
    status: Literal["done", "late", "overdue", "open"]
    required: int
    done: int
    done_on: list[dt.date] = Field(default_factory=list)
    responsible: list[str]
    citation: Citation


class ComplianceDecision(Decision):
    period: str | None = None
    overdue: list[OccurrenceStatus] = Field(default_factory=list)
    late: list[OccurrenceStatus] = Field(default_factory=list)
    open: list[OccurrenceStatus] = Field(default_factory=list)
    done: list[OccurrenceStatus] = Field(default_factory=list)
    unmatched_records: list[int] = Field(default_factory=list, description="indices of records no occurrence took")


def _check_records(facts: ComplianceFacts, on: dt.date) -> None:
    problems = [
        (f"records.{i}.date", f"晚于判定日 after the decision date {on}: {r.date}")
        for i, r in enumerate(facts.records)
        if r.date > on
    ]
    if problems:
        raise FactError(problems)


def _combine_compliance(m: Match) -> Decision:
    facts: ComplianceFacts = m.facts  # type: ignore[assignment]
    if not m.rules or single_outcome(m) == "not_covered" or m.subdecide is None:
        return not_covered(m).model_copy(update={"period": str(facts.period)})
    _check_records(facts, m.on)
    ask = {"role": facts.role, "stationed_since": facts.stationed_since, "period": str(facts.period)}
    if facts.responsible is not None:
        ask["responsible"] = list(facts.responsible)
    listing = m.subdecide("duties", ask)
    if listing.outcome == "not_covered":
        d = not_covered(m)
        d.citations += [c for c in listing.citations if c not in d.citations]
        return d.model_copy(update={"period": str(facts.period)})
    duties: list[Duty] = listing.duties  # type: ignore[attr-defined]
    known = {d.id for d in duties}
    unknown = [
        (
            f"records.{i}.duty",
            f"未知职责 unknown duty {r.duty!r}; 本期职责 duties this period: {', '.join(sorted(known))}",
        )
        for i, r in enumerate(facts.records)
        if r.duty not in known
    ]
    if unknown:
        raise FactError(unknown)
    used: set[int] = set()
    buckets: dict[str, list[OccurrenceStatus]] = {"done": [], "late": [], "overdue": [], "open": []}
    findings: list[Finding] = []
    for duty in duties:
        for occ in duty.occurrences:
            if duty.recurrence is None:
                idx = [i for i, r in enumerate(facts.records) if r.duty == duty.id]
            else:
                idx = [
                    i
                    for i, r in enumerate(facts.records)
                    if r.duty == duty.id and occ.window_start <= r.date <= occ.window_end
                ]
            idx.sort(key=lambda i: facts.records[i].date)
            used.update(idx)
            need = duty.min_days if duty.min_days else duty.times
            got, reached_on = 0, None
            for i in idx:
                got += facts.records[i].days if duty.min_days else 1
                if reached_on is None and got >= need:
                    reached_on = facts.records[i].date
            if reached_on is not None:
                status = "done" if reached_on <= occ.due else "late"
            else:
                status = "overdue" if occ.due < m.on else "open"
            st = OccurrenceStatus(
                duty=duty.id,
                what_zh=duty.what_zh,
                window_start=occ.window_start,
                window_end=occ.window_end,
                due=occ.due,
                status=status,
                required=need,
                done=got,
                done_on=[facts.records[i].date for i in idx],
                responsible=duty.responsible,
                citation=duty.citation,
            )
            buckets[status].append(st)
            if status in ("overdue", "late"):
                findings.append(
                    Finding(
                        id=f"{duty.id}@{occ.due.isoformat()}",
                        passed=False,
                        message_zh=f"{duty.what_zh}：应于{occ.due.isoformat()}前完成{need}，"
                        + ("已逾期" if status == "overdue" else "逾期完成")
                        + f"（已记录{got}）",
                        message_en=f"{duty.id}: due {occ.due}, needs {need}, recorded {got} ({status})",
                        hedged=duty.hedged,
                        severity="violation" if status == "overdue" else "warning",
                        citation=duty.citation,
                        rule=duty.rule,
                    )
                )
    d = m.base(
        "overdue" if buckets["overdue"] else "compliant",
        period=str(facts.period),
        findings=findings,
        unmatched_records=[i for i in range(len(facts.records)) if i not in used],
        **buckets,
    )
    d.citations += [c for c in listing.citations if c not in d.citations]
    d.trace += listing.trace
    return d


DUTY_COMPLIANCE = Question(
    name="duty_compliance",
    title_zh="职责履行核查",
    facts_model=ComplianceFacts,
    case_model=DutiesCase,
    effect_model=ComplianceEffect,
    hit_policy="collect",
    decision_model=ComplianceDecision,
    combine=_combine_compliance,
    outcome_labels={"compliant": "按时履行", "overdue": "有逾期", "not_covered": "文件未规定"},
)

QUESTIONS = (DUTIES, DUTY_COMPLIANCE)
