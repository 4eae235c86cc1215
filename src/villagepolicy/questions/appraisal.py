"""appraisal_grade and appraisal_roster: scores to grades, weighting, caps, consequences and county quotas.

Every band, weight, threshold, quota and consequence is a pack rule. Python only does what a condition
cannot: it averages quarterly points and applies the pack's weights, lowers a grade to the cap the
escalation question returns, picks the consequences of the final grade (a second pass through the same
packs), and ranks a county's results against the pack's quotas.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from fractions import Fraction
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializeAsAny, field_validator, model_validator

from ..decision import Decision, Finding
from ..errors import EngineError, FactError
from ..vocabulary import ACTIONS, SCALES, Authority, enum, labels, literal
from .base import Match, Question

Subject = enum("appraisal_subject")
Period = Literal["annual", "quarter"]
Grade = enum("grade")
Scale = literal(SCALES)




SUBJECTS_ZH = {"individual": "驻村工作队成员和第一书记", "team": "驻村工作队"}

CONSEQUENCES: dict[str, str] = labels("consequence")
ConsequenceId = enum("consequence")

# Scores keep at most this many decimal places: weighted scores are truncated to it, which never moves a
# score across a band edge written with fewer decimals (and both engines then see the same number).
DECIMALS = 6
_UNIT = Fraction(1, 10**DECIMALS)


# ── facts ──────────────────────────────────────────────────────────────────────────────────────────


class AppraisalFacts(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    subject: Subject
    period: Period = Field(default="annual", description="annual appraisal, or one quarter's routine points")
    score: float | None = Field(default=None, ge=0, le=100, allow_inf_nan=False)
    quarterly_points: list[float] | None = Field(default=None, min_length=1, max_length=4)
    annual_score: float | None = Field(default=None, ge=0, le=100, allow_inf_nan=False)
    months_stationed: float | None = Field(default=None, ge=0, le=600, allow_inf_nan=False)
    grade: Grade | None = Field(default=None, description="a grade given by people rather than computed")
    year: int | None = Field(
        default=None,
        ge=2000,
        le=2100,
        description="the year appraised; the escalation history caps that year's grade (its appraisal_year)",
    )
    escalation: dict[str, Any] | None = Field(default=None, description="facts of the escalation question")

    @field_validator("quarterly_points")
    @classmethod
    def _points_in_range(cls, v: list[float] | None) -> list[float] | None:
        for p in v or []:
            if not math.isfinite(p) or not 0 <= p <= 100:
                raise ValueError(f"每季度积分应在0至100之间 each quarter's points must be 0–100 (got {p!r})")
        return v


class RosterPerson(AppraisalFacts):
    id: str = Field(min_length=1, max_length=200)


class RosterFacts(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    people: list[RosterPerson] = Field(min_length=1, max_length=100_000)


def _escalation_facts(f: AppraisalFacts) -> dict[str, Any]:
    """The escalation facts, judging the year appraised: the caps of that year's findings (Shiquan 13(4)),
    whatever the date the appraisal is decided on."""
    esc = dict(f.escalation or {})
    if f.year is not None:
        esc.setdefault("appraisal_year", f.year)
    return esc


def _exact(x: float) -> Fraction:
    return Fraction(str(x))


def _problems(f: AppraisalFacts, on: dt.date, at: str = "") -> list[tuple[str, str]]:
    """Cross-field checks, each naming its field (prefixed by `at` for a roster row)."""
    out: list[tuple[str, str]] = []
    for name in ("score", "annual_score"):
        v = getattr(f, name)
        if v is not None and _exact(v) % _UNIT:
            out.append((at + name, f"最多{DECIMALS}位小数 at most {DECIMALS} decimal places (got {v!r})"))
    for i, p in enumerate(f.quarterly_points or []):
        if _exact(p) % _UNIT:
            out.append((f"{at}quarterly_points.{i}", f"最多{DECIMALS}位小数 at most {DECIMALS} decimal places"))
    if f.period == "quarter":
        if f.score is None:
            out.append((at + "score", "季度积分需要 score a quarter needs its points in `score`"))
        for name in ("quarterly_points", "annual_score", "grade", "escalation"):
            if getattr(f, name) is not None:
                out.append((at + name, "季度积分不用此字段 not used with period: quarter"))
        return out
    if f.quarterly_points is not None:
        if f.annual_score is None:
            out.append((at + "annual_score", "有季度积分时需要年度考核得分 required with quarterly_points"))
        if f.score is not None:
            out.append((at + "score", "score 与 quarterly_points 只能给一个 give score or quarterly_points, not both"))
    elif f.annual_score is not None:
        out.append(
            (at + "quarterly_points", "annual_score 需与 quarterly_points 同时给出 annual_score needs quarterly_points")
        )
    if f.score is None and f.quarterly_points is None and f.grade is None:
        out.append(
            (at + "score", "需要 score、quarterly_points+annual_score 或 grade 之一 give a score, points or a grade")
        )
    if f.grade is not None and f.grade not in SCALES[f.subject]:
        allowed = ", ".join(SCALES[f.subject])
        out.append(
            (at + "grade", f"{f.subject} 的等次 grade for {f.subject} must be one of: {allowed} (got {f.grade!r})")
        )
    if f.escalation is not None:
        if f.subject != "individual":
            out.append((at + "escalation", "只适用于个人 applies to individuals only"))
        else:
            from . import QUESTIONS  # late: the escalation question is discovered alongside this one

            q = QUESTIONS.get("escalation")
            if q is None:
                out.append((at + "escalation", "此版本没有 escalation 问题 this library has no escalation question"))
            else:
                try:
                    q.validate(_escalation_facts(f), on)
                except FactError as e:
                    out += [(f"{at}escalation.{k}" if k else f"{at}escalation", m) for k, m in e.problems]
                given = f.escalation.get("appraisal_year")
                if f.year is not None and given is not None and given != f.year:
                    out.append(
                        (
                            f"{at}escalation.appraisal_year",
                            f"与考核年度不一致 differs from the year appraised ({given} ≠ year {f.year})",
                        )
                    )
    return out


# ── appraisal_grade ────────────────────────────────────────────────────────────────────────────────


class AppraisalCase(BaseModel):
    """The flat case rules see; a field whose fact is absent is left out (a test on it is false)."""

    subject: Subject
    period: Period
    score: float
    has_quarterly_points: bool
    grade_given: Grade
    months_stationed: float


def appraisal_case(f: AppraisalFacts, on: dt.date) -> dict[str, Any]:
    problems = _problems(f, on)
    if problems:
        raise FactError(problems)
    case = {
        "subject": f.subject,
        "period": f.period,
        "score": f.score,
        "has_quarterly_points": f.quarterly_points is not None,
        "grade_given": f.grade,
        "months_stationed": f.months_stationed,
    }
    return {k: v for k, v in case.items() if v is not None}


class Weights(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    quarterly_average: float = Field(gt=0, lt=1)
    annual_score: float = Field(gt=0, lt=1)

    @model_validator(mode="after")
    def _sum_to_one(self) -> Weights:
        if _exact(self.quarterly_average) + _exact(self.annual_score) != 1:
            raise ValueError("权重之和应为1 the weights must add up to 1")
        return self


class ConsequenceSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    id: ConsequenceId
    years: int | None = Field(default=None, ge=1, le=10)
    hedged: bool = Field(default=False, description="视情况/可: the document leaves it to judgement")
    note_en: str | None = None


class AppraisalEffect(BaseModel):
    """What an appraisal_grade rule may set. A rule is of one kind: grading, weighting or consequences."""

    model_config = ConfigDict(extra="forbid")

    outcome: Literal["graded", "assessment_opinion", "not_covered"] | None = None
    grade: Grade | Literal["as_given"] | None = None
    hedged: bool = Field(default=False, description="the grade *may* be given (可), e.g. subject to a quota")
    # The document's own words for what else decides a hedged grade (Tongwei's county quota): policy, so in the pack.
    hedge_zh: str | None = None
    hedge_en: str | None = None
    weights: Weights | None = None
    consequences: list[ConsequenceSpec] = Field(default_factory=list)
    opinion_by: Authority | None = None
    opinion_to: Authority | None = None
    filed_with: list[Authority] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_kind(self) -> AppraisalEffect:
        kinds = [self.outcome is not None, self.weights is not None, bool(self.consequences)]
        if sum(kinds) != 1:
            raise ValueError("规则须且只能设定 outcome、weights 或 consequences 之一 set exactly one of them")
        if self.grade is not None and self.outcome not in ("graded", "assessment_opinion"):
            raise ValueError("grade 需要 outcome: graded 或 assessment_opinion")
        if self.outcome == "graded" and self.grade is None:
            raise ValueError("outcome: graded 需要 grade")
        if (self.hedge_zh or self.hedge_en) and not self.hedged:
            raise ValueError("hedge_zh/hedge_en 只用于 hedged: true")
        return self


class Consequence(BaseModel):
    id: str
    label_zh: str
    years: int | None = None
    hedged: bool = False
    note_en: str | None = None
    pack: str
    clauses: list[str]
    rule: str


class Weighting(BaseModel):
    quarterly_points: list[float]
    quarterly_average: float
    annual_score: float
    weights: Weights
    score: float
    exact: str = Field(description="the weighted score as an exact fraction, before truncation")


class QuarterGrade(BaseModel):
    points: float
    grade: str | None
    grade_zh: str | None


class AppraisalDecision(Decision):
    scale: Scale | None = None
    grade: str | None = None
    grade_zh: str | None = None
    score: float | None = Field(default=None, description="the score that was banded (weighted when computed)")
    given_grade: str | None = None
    weighting: Weighting | None = None
    quarterly_grades: list[QuarterGrade] = Field(default_factory=list)
    grade_cap: str | None = Field(default=None, description="the best grade the escalation history still allows")
    capped_from: str | None = None
    grade_set: str | None = Field(default=None, description="the grade the escalation history sets outright")
    set_from: str | None = Field(default=None, description="the grade it would have had, when grade_set changed it")
    consequences: list[Consequence] = Field(default_factory=list)
    opinion_by: str | None = None
    opinion_to: str | None = None


def _scale(f: AppraisalFacts) -> str:
    return "quarter" if f.period == "quarter" else f.subject


def _truncate(x: Fraction) -> Fraction:
    return Fraction(math.floor(x / _UNIT)) * _UNIT


def _consequences(m: Match, rules: list[Any]) -> list[Consequence]:
    return [
        Consequence(
            id=c.id,
            label_zh=CONSEQUENCES[c.id],
            years=c.years,
            hedged=c.hedged,
            note_en=c.note_en,
            pack=m.pack.meta.id,
            clauses=list(r.rule.cites),
            rule=r.rule.id,
        )
        for r in rules
        for c in r.effect.consequences
    ]


def _weighted(m: Match, weighting: list[Any]) -> Decision:
    f: AppraisalFacts = m.facts  # type: ignore[assignment]
    ws = {r.effect.weights.model_dump_json() for r in weighting}
    if len(ws) > 1:
        ids = ", ".join(r.rule.id for r in weighting)
        raise EngineError(f"{m.pack.meta.id}: rules {ids} set different weights")
    w: Weights = weighting[0].effect.weights
    assert f.quarterly_points is not None and f.annual_score is not None and m.subdecide is not None
    avg = sum(map(_exact, f.quarterly_points), Fraction(0)) / len(f.quarterly_points)
    exact = _exact(w.quarterly_average) * avg + _exact(w.annual_score) * _exact(f.annual_score)
    score = float(_truncate(exact))
    inner = f.model_dump(exclude={"quarterly_points", "annual_score"}, exclude_none=True)
    d = m.subdecide(m.question.name, {**inner, "score": score})
    d.weighting = Weighting(
        quarterly_points=f.quarterly_points,
        quarterly_average=float(avg),
        annual_score=f.annual_score,
        weights=w,
        score=score,
        exact=str(exact),
    )
    quarters = []
    for p in f.quarterly_points:
        q = m.subdecide(m.question.name, {"subject": f.subject, "period": "quarter", "score": p})
        quarters.append(QuarterGrade(points=p, grade=getattr(q, "grade", None), grade_zh=getattr(q, "grade_zh", None)))
        d.citations += [c for c in q.citations if c not in d.citations]
    d.quarterly_grades = quarters
    d.citations = [c for c in m.citations(weighting) if c not in d.citations] + d.citations
    d.trace = [r.rule.id for r in weighting] + d.trace
    d.notes.insert(
        0,
        f"加权得分 weighted score {score:g} = {w.quarterly_average:g}×季度平均 {float(avg):g}"
        f" + {w.annual_score:g}×年度考核 {f.annual_score:g}",
    )
    return d


def _rank(grade: str) -> int:
    return list(SCALES["individual"]).index(grade)


def combine_grade(m: Match) -> Decision:
    f: AppraisalFacts = m.facts  # type: ignore[assignment]
    weighting = [r for r in m.rules if r.effect.weights is not None]
    grading = [r for r in m.rules if r.effect.outcome is not None]
    conseq = [r for r in m.rules if r.effect.consequences]
    if weighting and f.quarterly_points is not None:
        return _weighted(m, weighting)
    uncovered = [r for r in grading if r.effect.outcome == "not_covered"]
    graders = [r for r in grading if r.effect.grade is not None]
    if uncovered or not graders:
        chosen = uncovered or m.rules
        notes = [r.rule.note_en for r in chosen if r.rule.note_en]
        if not chosen:
            notes.append(f"{m.pack.meta.id}: 没有规则适用于这些事实 no rule of this pack decides these facts")
        return m.base("not_covered", rules=chosen, scale=_scale(f), notes=notes)
    grades = {f.grade if r.effect.grade == "as_given" else r.effect.grade for r in graders}
    if len(grades) > 1:
        ids = ", ".join(r.rule.id for r in graders)
        raise EngineError(f"{m.pack.meta.id}: rules {ids} give different grades for the same facts")
    grade = grades.pop()
    assert grade is not None
    as_given = all(r.effect.grade == "as_given" for r in graders)
    outcome = "assessment_opinion" if any(r.effect.outcome == "assessment_opinion" for r in grading) else "graded"
    scale = _scale(f)
    d: AppraisalDecision = m.base(  # type: ignore[assignment]
        outcome,
        rules=grading,
        scale=scale,
        score=f.score,
        given_grade=f.grade,
        filed_with=[a for r in grading for a in r.effect.filed_with],
        opinion_by=next((r.effect.opinion_by for r in grading if r.effect.opinion_by), None),
        opinion_to=next((r.effect.opinion_to for r in grading if r.effect.opinion_to), None),
        notes=[r.rule.note_en for r in grading if r.rule.note_en],
    )
    hedged = [r for r in graders if r.effect.hedged]
    if as_given and (f.score is not None or f.quarterly_points is not None):
        d.notes.append(
            f"{m.pack.meta.id}: 本文件没有分数档次，得分未用于定等 the pack has no score bands; the score is not used"
        )
    elif f.grade is not None and f.grade != grade:
        d.manual_checks.append(
            Finding(
                id="given_grade_differs",
                passed=False,
                severity="manual_check",
                hedged=bool(hedged),
                message_zh=f"给定等次 {SCALES[scale].get(f.grade, f.grade)} 与得分档次 {SCALES[scale][grade]} 不一致",
                message_en=f"The given grade {f.grade} differs from the band of the score ({grade}).",
                citation=m.citations(graders)[0],
                rule=graders[0].rule.id,
            )
        )
    final = grade
    if f.escalation is not None and m.subdecide is not None:
        esc = m.subdecide("escalation", _escalation_facts(f))
        cap = getattr(esc, "grade_cap", None)
        d.grade_cap = cap
        if cap is not None and cap not in SCALES["individual"]:
            raise EngineError(f"escalation returned an unknown grade_cap {cap!r}")
        if cap is not None and grade in SCALES["individual"] and _rank(grade) < _rank(cap):
            d.capped_from, final = grade, cap
            d.citations += [c for c in esc.citations if c not in d.citations]
            d.trace += [f"escalation:{t}" for t in esc.trace]
            why_zh = getattr(esc, "grade_cap_zh", None) or "问题处理记录限制等次"
            why_en = getattr(esc, "grade_cap_en", None) or "the escalation history"
            d.notes.append(
                f"等次由 {SCALES['individual'][grade]} 降为 {SCALES['individual'][cap]}：{why_zh} "
                f"capped from {grade} to {cap} by {why_en} ({esc.outcome})"
            )
        else:
            d.notes.append(f"驻村问题未限制等次 the escalation history sets no lower cap ({esc.outcome}, cap {cap})")
        fixed = getattr(esc, "grade_set", None)
        if fixed is not None and fixed in SCALES["individual"]:
            # 年度考核直接确定为…等次: the document sets the grade, whatever the score or the cap would give
            d.grade_set = fixed
            if fixed != final:
                d.set_from, final = final, fixed
            d.citations += [c for c in esc.citations if c not in d.citations]
            d.trace += [f"escalation:{t}" for t in esc.trace if f"escalation:{t}" not in d.trace]
            why_zh = getattr(esc, "grade_set_zh", None) or "问题处理记录确定等次"
            why_en = getattr(esc, "grade_set_en", None) or "the escalation history"
            d.notes.append(
                f"等次直接确定为 {SCALES['individual'][fixed]}：{why_zh} set to {fixed} by {why_en} ({esc.outcome})"
            )
    d.grade, d.grade_zh = final, SCALES[scale][final]
    if hedged and final == grade:
        d.manual_checks.append(
            Finding(
                id="grade_may_be_given",
                passed=False,
                hedged=True,
                severity="manual_check",
                message_zh=f"文件规定“可评为”{SCALES[scale][grade]}：可评而非必评"
                + "".join(f"，{r.effect.hedge_zh}" for r in hedged[:1] if r.effect.hedge_zh),
                message_en=f"The document says the grade *may* be {grade} (可)"
                + "".join(f"; {r.effect.hedge_en}" for r in hedged[:1] if r.effect.hedge_en),
                citation=m.citations(hedged)[0],
                rule=hedged[0].rule.id,
            )
        )
    if as_given and final == f.grade:
        d.consequences = _consequences(m, conseq)
        d.citations += [c for c in m.citations(conseq) if c not in d.citations]
        d.trace += [r.rule.id for r in conseq]
    elif f.period == "annual" and m.subdecide is not None:
        # A second pass: the consequences the packs attach to the final grade, as if it had been given.
        sub = m.subdecide(
            m.question.name,
            {
                "subject": f.subject,
                "grade": final,
                **({"months_stationed": f.months_stationed} if f.months_stationed is not None else {}),
            },
        )
        d.consequences = list(getattr(sub, "consequences", []))
        keep = {(c.pack, cl) for c in d.consequences for cl in c.clauses}
        d.citations += [c for c in sub.citations if (c.pack, c.clause) in keep and c not in d.citations]
        d.trace += list(dict.fromkeys(c.rule for c in d.consequences))
    d.actions = list(dict.fromkeys(c.id for c in d.consequences if c.id in ACTIONS and not c.hedged))
    return d


APPRAISAL_GRADE = Question(
    name="appraisal_grade",
    title_zh="考核定等",
    facts_model=AppraisalFacts,
    case_model=AppraisalCase,
    effect_model=AppraisalEffect,
    hit_policy="collect",
    decision_model=AppraisalDecision,
    to_case=appraisal_case,
    combine=combine_grade,
    outcome_labels={"graded": "评定等次", "assessment_opinion": "出具考核鉴定意见", "not_covered": "文件未规定"},
)


# ── appraisal_roster ───────────────────────────────────────────────────────────────────────────────


class RosterCase(BaseModel):
    individuals: int
    teams: int


def roster_case(f: RosterFacts, on: dt.date) -> dict[str, Any]:
    problems: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for i, p in enumerate(f.people):
        if p.id in seen:
            problems.append((f"people.{i}.id", f"编号重复 duplicate id {p.id!r} (also people.{seen[p.id]}.id)"))
        seen.setdefault(p.id, i)
        if p.period != "annual":
            problems.append((f"people.{i}.period", "名册只用于年度考核 a roster holds annual results only"))
        problems += _problems(p, on, f"people.{i}.")
    if problems:
        raise FactError(problems)
    n = Counter(p.subject for p in f.people)
    return {"individuals": n["individual"], "teams": n["team"]}


class QuotaSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    subject: Subject
    grade: Grade
    max_share: float = Field(gt=0, le=1)
    hedged: bool = Field(default=False, description="原则上: exceeding it is flagged, never rewritten")


class RosterEffect(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Literal["no_quota"] | None = None
    quota: QuotaSpec | None = None
    outside_unit_quota: bool = Field(default=False, description="these grades do not use the dispatching unit's quota")


class RosterEntry(BaseModel):
    id: str
    subject: str
    outcome: str
    grade: str | None
    score: float | None
    rank: int | None = Field(default=None, description="rank among the results counted against a quota (1 = best)")
    over_quota: bool = False
    decision: SerializeAsAny[Decision]


class QuotaUse(BaseModel):
    subject: str
    grade: str
    max_share: float
    hedged: bool
    population: int = Field(description="results of this subject graded by the county (outcome graded)")
    allowed: int
    used: int
    share: float
    exceeded: bool
    within: list[str]
    over_quota: list[str]
    rule: str


class RosterSummary(BaseModel):
    people: int
    outcomes: dict[str, int]
    grades: dict[str, dict[str, int]] = Field(description="subject -> final grade -> count (graded results)")
    capped: int
    quotas: list[QuotaUse]
    outside_unit_quota: bool


class RosterDecision(Decision):
    people: list[RosterEntry] = Field(default_factory=list)
    summary: RosterSummary | None = None


def _quota_use(spec: QuotaSpec, rule_id: str, entries: list[RosterEntry]) -> QuotaUse:
    graded = [e for e in entries if e.subject == spec.subject and e.outcome == "graded"]
    # A quota limits the grades awarded: a recorded grade counts as given, even where its score's band (or a
    # cap) says otherwise (Tongwei 28: a 优秀 given to an 85 still uses one of the 20%).
    holders = [e for e in graded if (getattr(e.decision, "given_grade", None) or e.grade) == spec.grade]
    allowed = math.floor(_exact(spec.max_share) * len(graded))
    # Best score first; results without a score cannot be ranked and form one group after the scored ones.
    groups: dict[float | None, list[RosterEntry]] = {}
    # Within a tie, by id: the lists do not depend on the order the roster was given in.
    for e in sorted(holders, key=lambda e: (e.score is None, -(e.score or 0), e.id)):
        groups.setdefault(e.score, []).append(e)
    within: list[str] = []
    over: list[str] = []
    rank = 1
    for members in groups.values():
        # Ties stay together: a group that does not fit whole is flagged whole.
        fits = len(within) + len(members) <= allowed and over == []
        for e in members:
            e.rank = rank
            e.over_quota = not fits
            (within if fits else over).append(e.id)
        rank += len(members)
    used = len(holders)
    return QuotaUse(
        subject=spec.subject,
        grade=spec.grade,
        max_share=spec.max_share,
        hedged=spec.hedged,
        population=len(graded),
        allowed=allowed,
        used=used,
        share=used / len(graded) if graded else 0.0,
        exceeded=bool(over),
        within=within,
        over_quota=over,
        rule=rule_id,
    )


def combine_roster(m: Match) -> Decision:
    f: RosterFacts = m.facts  # type: ignore[assignment]
    assert m.subdecide is not None
    if not m.rules:  # the pack says nothing of these results: no verdict without a clause (shipped packs: unreached)
        return m.base(
            "not_covered", notes=[f"{m.pack.meta.id}: 没有规则适用于这些事实 no rule of this pack decides these facts"]
        )
    entries = []
    for i, p in enumerate(f.people):
        try:
            d = m.subdecide("appraisal_grade", p.model_dump(exclude={"id"}, exclude_none=True))
        except FactError as e:  # a fact the pack requires (its `requires`), named by the person's row
            raise FactError([(f"people.{i}.{k}" if k else f"people.{i}", msg) for k, msg in e.problems]) from None
        entries.append(
            RosterEntry(
                id=p.id,
                subject=p.subject,
                outcome=d.outcome,
                grade=getattr(d, "grade", None),
                score=getattr(d, "score", None),
                decision=d,
            )
        )
    quota_rules = [r for r in m.rules if r.effect.quota is not None]
    quotas = [_quota_use(r.effect.quota, r.rule.id, entries) for r in quota_rules]
    outside = any(r.effect.outside_unit_quota for r in m.rules)
    grades: dict[str, dict[str, int]] = {}
    for e in entries:
        if e.outcome == "graded" and e.grade:
            grades.setdefault(e.subject, {}).setdefault(e.grade, 0)
            grades[e.subject][e.grade] += 1
    summary = RosterSummary(
        people=len(entries),
        outcomes=dict(Counter(e.outcome for e in entries)),
        grades=grades,
        capped=sum(1 for e in entries if getattr(e.decision, "capped_from", None)),
        quotas=quotas,
        outside_unit_quota=outside,
    )
    if not quotas:
        outcome = "no_quota"
    else:
        outcome = "quota_exceeded" if any(q.exceeded for q in quotas) else "within_quota"
    d = m.base(outcome, people=entries, summary=summary, notes=[r.rule.note_en for r in m.rules if r.rule.note_en])
    for q in quotas:
        if q.exceeded:
            d.manual_checks.append(
                Finding(
                    id=f"quota_{q.subject}_{q.grade}",
                    passed=False,
                    severity="manual_check",
                    hedged=q.hedged,
                    message_zh=f"{SUBJECTS_ZH[q.subject]}{SCALES[q.subject][q.grade]}等次{q.used}个，超出"
                    f"{q.max_share:.0%}比例(至多{q.allowed}个)，超出者：" + "、".join(q.over_quota),
                    message_en=f"{q.used} {q.subject} results are {q.grade}; at most {q.allowed} "
                    f"({q.max_share:.0%} of {q.population}); over the quota: {', '.join(q.over_quota)}",
                    citation=next(iter(m.citations([r for r in quota_rules if r.rule.id == q.rule])), None),
                    rule=q.rule,
                )
            )
    if outside:
        d.notes.append(
            "此处优秀等次不占派出单位优秀指标 excellent grades here do not use the dispatching unit's own quota"
        )
    return d


APPRAISAL_ROSTER = Question(
    name="appraisal_roster",
    title_zh="全县考核结果与比例控制",
    facts_model=RosterFacts,
    case_model=RosterCase,
    effect_model=RosterEffect,
    hit_policy="collect",
    decision_model=RosterDecision,
    to_case=roster_case,
    combine=combine_roster,
    outcome_labels={
        "within_quota": "在比例以内",
        "quota_exceeded": "超出比例",
        "no_quota": "文件未设比例",
        "not_covered": "文件未规定",
    },
)

QUESTIONS = (APPRAISAL_GRADE, APPRAISAL_ROSTER)
