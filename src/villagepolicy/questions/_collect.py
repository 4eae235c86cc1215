"""Shared machinery of the "collect" questions (eligibility, team_composition).

Every rule of such a question that matches a case is one *finding*: a requirement checked (passed or
failed, hard or hedged), a note, a condition that only a person can judge (a manual check), a fact the
pack needs and the facts omit, or `not_covered`. The pack holds the policy (which requirement, hard or
hedged, which authority reviews an exception, every threshold); this module only turns the matched
findings into one outcome:

    any failed hard requirement      -> the question's `fail` outcome (ineligible / non_compliant)
    only hedged (原则上/一般) failures -> the `hedged` outcome (needs_approval / compliant_with_warnings)
    otherwise                        -> the `ok` outcome (eligible / compliant)
"""

from __future__ import annotations

import calendar as _stdcal
import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from ..decision import Citation, Decision, Finding
from ..errors import EngineError, FactError
from ..vocabulary import Authority
from .base import Match

_KINDS = ("outcome", "check", "note", "manual_check", "requires_fact")
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


class CheckEffect(BaseModel):
    """What one rule of a collect question sets (`then:`): exactly one of the five kinds below."""

    model_config = ConfigDict(extra="forbid")

    # Case fields a message may quote as {field}; subclasses set it to their case model's fields.
    placeholders: ClassVar[frozenset[str]] = frozenset()
    # Facts a rule may ask for with requires_fact; subclasses set it to their facts model's fields.
    fact_fields: ClassVar[frozenset[str]] = frozenset()

    outcome: str | None = Field(default=None, description="only not_covered: the document does not regulate this")
    check: str | None = Field(default=None, description="finding id of the requirement this rule checks")
    passed: bool | None = Field(default=None, description="with check: whether the case meets the requirement")
    hedged: bool = Field(default=False, description="with check: 原则上/一般 — a failure asks for approval only")
    note: str | None = Field(default=None, description="finding id of a note (a preference): never a failure")
    manual_check: str | None = Field(default=None, description="id of a condition only a person can judge")
    requires_fact: str | None = Field(default=None, description="a fact this pack needs that the facts omit")
    message_zh: str | None = None
    message_en: str = ""
    approvers: list[Authority] = Field(default_factory=list, description="who may approve a hedged failure")

    @model_validator(mode="after")
    def _one_kind(self) -> CheckEffect:
        kinds = [k for k in _KINDS if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError(f"then 须且只能设置其一 set exactly one of {', '.join(_KINDS)} (got {kinds or 'none'})")
        kind = kinds[0]
        if kind == "outcome" and self.outcome != "not_covered":
            raise ValueError("outcome 只能是 not_covered; other outcomes come from the findings")
        if kind == "check" and self.passed is None:
            raise ValueError("check 须写明 passed: true/false")
        if kind != "check" and (self.passed is not None or self.hedged):
            raise ValueError("passed/hedged 只用于 check")
        if kind in ("check", "note", "manual_check") and not self.message_zh:
            raise ValueError(f"{kind} 须有 message_zh (the text a reader sees)")
        if self.approvers and not (kind == "check" and self.hedged and self.passed is False):
            raise ValueError("approvers 只用于未通过的 hedged check (who may approve the exception)")
        if kind == "requires_fact" and self.requires_fact not in self.fact_fields:
            known = ", ".join(sorted(self.fact_fields))
            raise ValueError(f"requires_fact: 未知事实 unknown fact {self.requires_fact!r}; 可用 known: {known}")
        for text in (self.message_zh or "", self.message_en):
            for name in _PLACEHOLDER.findall(text):
                if name not in self.placeholders:
                    known = ", ".join(sorted(self.placeholders))
                    raise ValueError(f"消息中的 {{{name}}} 不是案例字段 not a case field; 可用 known: {known}")
        return self


def fill(text: str, case: dict[str, Any]) -> str:
    """Replace {field} by the case value (plain substitution: a message is data, never a format program)."""

    def sub(m: re.Match[str]) -> str:
        v = case.get(m.group(1))
        if v is None:
            return "—"
        if isinstance(v, bool):
            return "是" if v else "否"
        return str(v)

    return _PLACEHOLDER.sub(sub, text)


@dataclass(frozen=True)
class Outcomes:
    ok: str
    hedged: str
    fail: str
    # The hedged outcome asks an authority to approve (eligibility), rather than only warning.
    approval: bool = False


def _first_clause(m: Match, rule: Any) -> Citation | None:
    for c in m.citations([rule]):
        if c.interpretation is None:
            return c
    return None


def findings_of(m: Match) -> tuple[list[Finding], list[Finding], list[Any]]:
    """(findings, manual checks, the check rules that failed) of the matched rules, in pack order."""
    findings: list[Finding] = []
    manual: list[Finding] = []
    failed: list[Any] = []
    for r in m.rules:
        e = r.effect
        if e.requires_fact is not None or e.outcome is not None:
            continue
        if e.check is not None:
            fid, passed, severity = e.check, bool(e.passed), "warning" if e.hedged else "violation"
            if not passed:
                failed.append(r)
        elif e.note is not None:
            fid, passed, severity = e.note, True, "note"
        else:
            fid, passed, severity = e.manual_check, False, "manual_check"
        f = Finding(
            id=fid,
            passed=passed,
            message_zh=fill(e.message_zh or "", m.case),
            message_en=fill(e.message_en, m.case),
            hedged=e.hedged,
            severity=severity,
            citation=_first_clause(m, r),
            rule=r.rule.id,
            interpretations=list(r.rule.interpretations),
        )
        (manual if severity == "manual_check" else findings).append(f)
    return findings, manual, failed


def missing_facts(m: Match) -> None:
    """Raise FactError naming every fact the matched rules need and the facts omit."""
    needed: dict[str, list[str]] = {}
    for r in m.rules:
        if r.effect.requires_fact is not None:
            where = f"{r.rule.id} ({m.pack.id} {', '.join(r.rule.cites)})"
            needed.setdefault(r.effect.requires_fact, []).append(where)
    if needed:
        raise FactError(
            [
                (f, f"缺少 missing: {m.jurisdiction} 的规则需要此事实 needed by rule {'; '.join(rules)}")
                for f, rules in needed.items()
            ]
        )


def collect(m: Match, outcomes: Outcomes, **extra: Any) -> Decision:
    """Shape every matched rule of one pack into a decision (see the module docstring)."""
    if not m.rules:
        gap = f"{m.pack.id}: 没有规则适用于这些事实 no rule of this pack decides these facts"
        return m.base("not_covered", notes=[gap])
    uncovered = [r for r in m.rules if r.effect.outcome == "not_covered"]
    if uncovered:
        if len(uncovered) != len(m.rules):
            ids = ", ".join(r.rule.id for r in m.rules)
            raise EngineError(f"{m.pack.id}: rules {ids} match the same facts, some not_covered and some not")
        notes = [f"{m.pack.id}: {r.rule.note_en}" for r in uncovered if r.rule.note_en]
        return m.base("not_covered", notes=notes)
    missing_facts(m)
    findings, manual, failed = findings_of(m)
    hard = [r for r in failed if not r.effect.hedged]
    notes: list[str] = []
    approvers: list[str] = []
    if hard:
        outcome = outcomes.fail
    elif failed:
        outcome = outcomes.hedged
        for r in failed:
            for a in r.effect.approvers:
                if a not in approvers:
                    approvers.append(a)
        if outcomes.approval and not approvers:
            notes.append(
                f"{m.pack.id}: 文件未指定可批准例外的机关 the document names no authority to approve exceptions"
            )
    else:
        outcome = outcomes.ok
    return m.base(outcome, findings=findings, manual_checks=manual, approvers=approvers, notes=notes, **extra)


def full_years(start: dt.date, on: dt.date) -> int:
    """Completed years from start to on (周岁): a year is complete on its anniversary.

    As dateutil's relativedelta(on, start).years, which defines it (a 29 February's anniversary in a
    common year is the 28th), computed directly: a roster asks it three times per person.
    """
    if on < start:
        from dateutil.relativedelta import relativedelta

        return relativedelta(on, start).years
    day = start.day
    if start.month == 2 and day == 29 and not _stdcal.isleap(on.year):
        day = 28
    return on.year - start.year - ((on.month, on.day) < (start.month, day))


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# Date facts are refused outside these years: terms, windows and deadlines are computed by adding years and
# months, which overflows Python's dates near 0001 and 9999 (issue 16 item 6). No document in force or
# person stationed falls outside them.
FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(2199, 12, 31)


def within_range(d: dt.date) -> dt.date:
    if not FIRST_DATE <= d <= LAST_DATE:
        raise ValueError(
            f"日期超出可处理范围 date {d.isoformat()} is outside {FIRST_DATE.isoformat()}..{LAST_DATE.isoformat()}"
        )
    return d


def fact_date(v: Any) -> Any:
    """A date fact: a date, or an ISO string YYYY-MM-DD (nothing else: no timestamps, no datetimes, no numbers
    of seconds — an integer is refused, not read as a Unix time: issue 16 item 2)."""
    if isinstance(v, dt.datetime):
        raise ValueError("须为日期而非日期时间 a date, not a datetime")
    if isinstance(v, dt.date):
        return within_range(v)
    if isinstance(v, str) and _ISO.match(v):
        try:
            day = dt.date.fromisoformat(v)
        except ValueError:
            pass
        else:
            return within_range(day)
    raise ValueError("不是日期 not a date (YYYY-MM-DD)")


FactDate = Annotated[dt.date, BeforeValidator(fact_date)]


# ── fallback per requirement ──────────────────────────────────────────────────────────────────────────────


def _ids(rules: list[Any]) -> set[str]:
    return {i for r in rules for i in (r.effect.check, r.effect.note, r.effect.manual_check) if i is not None}


def addressed(packs: list[Any], question: str) -> set[str]:
    """The requirement ids the packs' rules of `question` speak to (matched or not)."""
    return {i for p in packs for i in _ids(p.by_question.get(question, []) + p.otherwise.get(question, []))}


def fallback_hooks(outcomes: Outcomes, question: str) -> dict[str, Any]:
    """Hooks under which a later pack in force decides the requirements the deciding packs are silent on
    (a county silent on the central guideline's 健康具备履职条件): its findings on them join the decision."""

    def residual(d: Decision, facts: Any, deciders: list[Any]) -> Any:
        return facts if d.outcome != "not_covered" else None

    def absorb(d: Decision, other: Decision, is_residual: bool, deciders: list[Any]) -> None:
        known = addressed(deciders, question)
        found = [f for f in other.findings if f.id not in known]
        manual = [f for f in other.manual_checks if f.id not in known]
        if not found and not manual:
            return
        d.findings += found
        d.manual_checks += manual
        failed = [f for f in d.findings if not f.passed and f.severity != "note"]
        if any(f.severity == "violation" for f in failed):
            d.outcome = outcomes.fail
        elif failed:
            d.outcome = outcomes.hedged
            d.approvers += [a for a in other.approvers if a not in d.approvers]
        rules = {f.rule for f in found + manual}
        d.citations += [c for c in other.citations if c not in d.citations]
        d.trace += [t for t in other.trace if t in rules and t not in d.trace]
        d.packs += [p for p in other.packs if p not in d.packs]
        d.notes.append(
            f"{', '.join(other.packs)}: 上级文件对本文件未规定的要求作出规定，一并适用 "
            f"requirements the deciding pack is silent on, decided by {', '.join(other.packs)} "
            f"({', '.join(sorted({f.id for f in found + manual}))})"
        )

    return {"residual": residual, "absorb": absorb}
