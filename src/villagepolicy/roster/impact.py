"""Impact of a pack edit: run the old and the new packs on one roster and list what changes."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..decision import Citation
from ..errors import PackError, Problem
from ..library import Library, load
from .check import CaseResult, CheckReport, check
from .read import Roster

Key = tuple[str, str, str, str, str]


@dataclass
class Change:
    key: Key
    old: CaseResult | None
    new: CaseResult | None

    @property
    def rules(self) -> tuple[list[str], list[str]]:
        return (self.old.rules if self.old else [], self.new.rules if self.new else [])

    def responsible(self) -> list[Citation]:
        """The clauses behind the new answer (or behind the old one, where the new one is gone)."""
        side = self.new if self.new and self.new.citations else self.old
        return [c for c in side.citations if not c.interpretation] if side else []

    def to_dict(self) -> dict[str, Any]:
        def side(r: CaseResult | None) -> dict[str, Any] | None:
            if r is None:
                return None
            return {
                "outcome": r.outcome,
                "rules": r.rules,
                "decided": r.decided,
                "severity": r.worst(),
                "findings": [i.message_zh for i in r.items],
            }

        j, village, subject, question, period = self.key
        name = (self.new or self.old).name if (self.new or self.old) else ""
        return {
            "jurisdiction": j,
            "village": village,
            "subject": subject,
            "name": name,
            "question": question,
            "period": period or None,
            "old": side(self.old),
            "new": side(self.new),
            "clauses": [{"pack": c.pack, "clause": c.clause, "text_zh": c.text_zh} for c in self.responsible()],
        }


@dataclass
class Impact:
    roster: str
    as_of: dt.date
    old: CheckReport
    new: CheckReport
    changes: list[Change] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "roster": self.roster,
            "as_of": self.as_of.isoformat(),
            "old_counts": self.old.counts(),
            "new_counts": self.new.counts(),
            "changes": [c.to_dict() for c in self.changes],
        }


def pack_library(folder: str | Path) -> Library:
    """The shipped packs overlaid with a folder holding rules/ (and jurisdictions/), or a rules/ folder itself."""
    p = Path(folder)
    if not p.is_dir():
        raise PackError([Problem(str(p), 1, 1, "不是目录 not a folder of packs")])
    if not (p / "rules").is_dir() and p.name == "rules":
        p = p.parent
    return load(p)


def _key(r: CaseResult) -> Key:
    return (r.jurisdiction, r.village, r.subject, r.question, r.period or "")


def _sig(r: CaseResult) -> Any:
    return (r.outcome, r.rules, r.decided, sorted((i.severity, i.message_zh) for i in r.items))


def impact(roster: Roster, old: Library, new: Library, as_of: dt.date, **kw: Any) -> Impact:
    before = check(roster, old, as_of, **kw)
    after = check(roster, new, as_of, **kw)
    a = {_key(r): r for r in before.results}
    b = {_key(r): r for r in after.results}
    out = Impact(roster.path, as_of, before, after)
    for k in list(a) + [k for k in b if k not in a]:
        ra, rb = a.get(k), b.get(k)
        if ra is None or rb is None or _sig(ra) != _sig(rb):
            out.changes.append(Change(k, ra, rb))
    return out


def _side(r: CaseResult | None) -> str:
    if r is None:
        return "—"
    sev = r.worst()
    extra = ", ".join(f"{k}={v}" for k, v in r.decided.items() if k != "outcome")
    return f"{r.outcome}" + (f" [{sev}]" if sev else "") + (f" ({extra})" if extra else "")


def text(imp: Impact) -> str:
    lines = [f"规则包修改的影响 impact of the pack edit on {imp.roster} · 截至 as of {imp.as_of}"]
    oc, nc = imp.old.counts(), imp.new.counts()
    lines.append(
        f"违规 violations {oc['violation']} → {nc['violation']} · 警示 warnings {oc['warning']} → {nc['warning']} · "
        f"人工核查 manual checks {oc['manual_check']} → {nc['manual_check']}"
    )
    if not imp.changes:
        lines.append("没有变化 no outcome changes")
        return "\n".join(lines)
    lines.append(f"{len(imp.changes)} 项变化 change(s):")
    for c in imp.changes:
        j, village, subject, question, period = c.key
        r = c.new or c.old
        who = f"{subject} {r.name}".strip() if r else subject
        lines.append(f"  {j} · {village} · {who} · {question}{' ' + period if period else ''}")
        lines.append(f"      {_side(c.old)} → {_side(c.new)}")
        old_rules, new_rules = c.rules
        lines.append(f"      规则 rules: {', '.join(old_rules) or '—'} → {', '.join(new_rules) or '—'}")
        for cit in c.responsible():
            lines.append(f"      依据 {cit.pack} {cit.clause}: {cit.text_zh}")
    return "\n".join(lines)


def markdown(imp: Impact) -> str:
    oc, nc = imp.old.counts(), imp.new.counts()
    out = [
        f"### villagepolicy impact · `{imp.roster}` · as of {imp.as_of}",
        "",
        f"违规 violations {oc['violation']} → {nc['violation']} · 警示 warnings {oc['warning']} → {nc['warning']}",
        "",
    ]
    if not imp.changes:
        return "\n".join([*out, "没有变化 no outcome changes", ""])
    out += ["| 人员 person | 问题 question | 旧 old | 新 new | 规则 rule | 条款 clause |", "|---|---|---|---|---|---|"]
    for c in imp.changes:
        j, village, subject, question, period = c.key
        r = c.new or c.old
        who = f"{subject} {r.name} ({village})" if r else subject
        old_rules, new_rules = c.rules
        clauses = "; ".join(f"{x.pack} {x.clause}" for x in c.responsible())
        out.append(
            f"| {who} | {question} {period} | {_side(c.old)} | {_side(c.new)} "
            f"| {', '.join(old_rules) or '—'} → {', '.join(new_rules) or '—'} | {clauses} |".replace("\n", " ")
        )
    return "\n".join(out) + "\n"


def to_json(imp: Impact) -> str:
    return json.dumps(imp.to_dict(), ensure_ascii=False, indent=2)
