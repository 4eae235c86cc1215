"""Points organisations lose, added up over a roster: per body (a town, a dispatching unit), appraisal and year.

A document may take points off an organisation's appraisal for each finding among its cadres, up to a cap
(Yangban 9: 每发现一人次，扣减所在镇党建工作考核0.2分、扣减选派单位党建工作考核0.2分，扣完为止（每项最多扣2分）).
Each person's escalation decision says what they cost (`deductions`); the cap is on the body's total, so the
totals are made here, over every person of the body. Which body is a person's comes from the people column the
vocabulary names for the authority (`roster_column:`: town for the town party committee, dispatching_unit for
the dispatching unit); a person whose column is empty is listed under "not given", never dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Protocol

from pydantic import BaseModel, Field

from ..decision import Citation
from ..library import Library
from ..vocabulary import roster_columns
from .read import Row
from .schema import PEOPLE


class _Result(Protocol):
    """What add_up reads of a check's result (check.CaseResult; named here so this module needs no check.py)."""

    jurisdiction: str
    subject: str
    question: str
    period: str | None
    citations: list[Citation]
    decided: dict[str, Any]


# people column -> its Chinese header, to say which column a person left empty
_HEADERS = {c.name: c.zh[0] for c in PEOPLE.columns}


class DeductionTotal(BaseModel):
    """What one body loses in one appraisal of one year, over the roster."""

    jurisdiction: str
    organisation: str = Field(description="authority id (town_party_committee, dispatching_unit, …)")
    organisation_zh: str = Field(description="its label in the jurisdiction")
    name: str | None = Field(description="the body itself (the town, the unit) from the roster; None: not given")
    column: str | None = Field(description="the people column that names it; None: one body for the jurisdiction")
    year: str = Field(description="the appraisal year the findings were counted in")
    appraisal_zh: str
    appraisal_en: str = ""
    points: str = Field(description="points per occurrence")
    occurrences: int
    people: list[str] = Field(description="person ids whose findings count here")
    sum: str = Field(description="occurrences × points, before the cap")
    max_total: str | None = None
    total: str = Field(description="what the body loses: the sum, capped at max_total")
    capped: bool
    rule: str
    citation: Citation | None = None


def _authority_columns(library: Library, jurisdiction: str) -> dict[str, str]:
    out = dict(roster_columns("authority"))
    for p in library.jurisdiction(jurisdiction).packs():
        for aid, term in p.vocabulary.get("authority", {}).items():
            if term.get("roster_column"):
                out[aid] = term["roster_column"]
    return out


def add_up(results: Sequence[_Result], people: list[Row], library: Library) -> list[DeductionTotal]:
    """The roster's deductions per (jurisdiction, body, year, appraisal), each total capped at its maximum."""
    who = {p.values["id"]: p for p in people}
    groups: dict[tuple[Any, ...], DeductionTotal] = {}
    columns: dict[str, dict[str, str]] = {}
    for r in results:
        if r.question != "escalation":
            continue
        for d in r.decided.get("deductions") or []:
            cols = columns.setdefault(r.jurisdiction, _authority_columns(library, r.jurisdiction))
            column = cols.get(d["organisation"])
            person = who.get(r.subject)
            name = (person.values.get(column) if person is not None else None) if column else None
            key = (r.jurisdiction, d["organisation"], name, r.period or "", d["appraisal_zh"], d["clause"], d["rule"])
            g = groups.get(key)
            if g is None:
                j = library.jurisdiction(r.jurisdiction)
                g = groups[key] = DeductionTotal(
                    jurisdiction=r.jurisdiction,
                    organisation=d["organisation"],
                    organisation_zh=j.authority_name(d["organisation"]),
                    name=name or None,
                    column=column,
                    year=r.period or "",
                    appraisal_zh=d["appraisal_zh"],
                    appraisal_en=d.get("appraisal_en", ""),
                    points=d["points"],
                    occurrences=0,
                    people=[],
                    sum="0",
                    max_total=d.get("max_total"),
                    total="0",
                    capped=False,
                    rule=d["rule"],
                    citation=next((c for c in r.citations if c.clause == d["clause"] and not c.interpretation), None),
                )
            g.occurrences += d["occurrences"]
            if r.subject not in g.people:
                g.people.append(r.subject)
            g.sum = str(Decimal(g.sum) + Decimal(d["points"]) * d["occurrences"])
    for g in groups.values():
        cap = Decimal(g.max_total) if g.max_total is not None else None
        g.capped = cap is not None and Decimal(g.sum) >= cap
        g.total = str(min(Decimal(g.sum), cap) if cap is not None else Decimal(g.sum))
    return sorted(groups.values(), key=lambda g: (g.jurisdiction, g.year, g.organisation, g.name is None, g.name or ""))


def lines(totals: list[DeductionTotal], lang: str = "zh") -> list[str]:
    """The totals as text, one line a body (the report's 扣分汇总 section)."""
    if not totals:
        return []
    zh = lang == "zh"
    out = ["扣分汇总（按单位）deductions by organisation:" if zh else "Deductions by organisation:"]
    for g in totals:
        header = _HEADERS.get(g.column or "", g.column or "")
        body = g.name or (f"未填{header}" if zh else f"{g.column or 'body'} not given")
        what = g.organisation_zh if zh else g.organisation
        cap = (" 已达上限" if g.capped else "") if zh else (" (capped)" if g.capped else "")
        most = f"，最多扣{g.max_total}分" if zh and g.max_total else f", at most {g.max_total}" if g.max_total else ""
        clause = f"{g.citation.pack} {g.citation.clause}" if g.citation else g.rule
        people = "、".join(g.people) if zh else ", ".join(g.people)
        if zh:
            out.append(
                f"  - {g.year} {g.appraisal_zh}（{what}：{body}）扣{g.total}分{cap}"
                f"（{g.occurrences}次×{g.points}分{most}；人员 {people}；依据 {clause}）"
            )
        else:
            out.append(
                f"  - {g.year} {g.appraisal_en or g.appraisal_zh} ({what}: {body}) loses {g.total}{cap}"
                f" ({g.occurrences} × {g.points}{most}; people {people}; {clause})"
            )
    return out
