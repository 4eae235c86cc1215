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
from ..words import label
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

    def state(self, which: str) -> tuple[str, str | None] | None:
        """(outcome, worst severity) on one side, None where the case is gone."""
        r = self.old if which == "old" else self.new
        return None if r is None else (r.outcome, r.worst())

    @property
    def outcome_changed(self) -> bool:
        """The outcome or the worst severity differs (not only rules, counts or wording)."""
        return self.state("old") != self.state("new")

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
            "kind": "outcome" if self.outcome_changed else "detail",
            "clauses": [{"pack": c.pack, "clause": c.clause, "text_zh": c.text_zh} for c in self.responsible()],
        }


@dataclass
class Impact:
    roster: str
    as_of: dt.date
    old: CheckReport
    new: CheckReport
    changes: list[Change] = field(default_factory=list)

    def outcome_changes(self) -> list[Change]:
        return [c for c in self.changes if c.outcome_changed]

    def detail_changes(self) -> list[Change]:
        return [c for c in self.changes if not c.outcome_changed]

    def to_dict(self) -> dict[str, Any]:
        return {
            "roster": self.roster,
            "as_of": self.as_of.isoformat(),
            "old_counts": self.old.counts(),
            "new_counts": self.new.counts(),
            "outcome_changes": len(self.outcome_changes()),
            "detail_changes": len(self.detail_changes()),
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
    for r in before.results:  # a renamed rule (its old id in `was:`) is the same rule, not a change
        r.rules = [new.rule_id(x) or x for x in r.rules]
    a = {_key(r): r for r in before.results}
    b = {_key(r): r for r in after.results}
    out = Impact(roster.path, as_of, before, after)
    for k in list(a) + [k for k in b if k not in a]:
        ra, rb = a.get(k), b.get(k)
        if ra is None or rb is None or _sig(ra) != _sig(rb):
            out.changes.append(Change(k, ra, rb))
    return out


# ── reports: only changed outcomes and severities by default, grouped by question and clause ──

_SEV_ZH = {"violation": "违规", "warning": "警示", "manual_check": "人工核查"}
_MARK = {"violation": "✗", "warning": "△", "manual_check": "?"}


def _state(state: tuple[str, str | None] | None, question: str, lang: str) -> str:
    if state is None:
        return "（无此项）absent" if lang == "zh" else "absent"
    outcome, sev = state
    text = f"{label(outcome, question)} {outcome}" if lang == "zh" else label(outcome, question, "en")
    if sev:
        text += f" [{_MARK[sev]} {_SEV_ZH[sev] if lang == 'zh' else sev.replace('_', ' ')}]"
    return text


def _who(c: Change) -> str:
    j, village, subject, question, period = c.key
    r = c.new or c.old
    name = f"{subject} {r.name}".strip() if r else subject
    return f"{village} · {name} · {question}" + (f" {period}" if period else "")


def _clauses(c: Change) -> str:
    return ", ".join(f"{x.pack} {x.clause}" for x in c.responsible()) or "—"


def _plain(v: Any) -> str:
    """A decided value as words, never a Python repr."""
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "是 yes" if v else "否 no"
    if isinstance(v, dict):
        return "; ".join(f"{k} {_plain(x)}" for k, x in v.items() if x not in (None, [], {}, False)) or "—"
    if isinstance(v, list | tuple):
        return ", ".join(_plain(x) for x in v) or "—"
    return str(v)


def _diff(path: str, a: Any, b: Any) -> list[str]:
    """Only what differs, by path: counts[min_days_per_month].required: 20 → 18."""
    if a == b:
        return []
    if isinstance(a, dict) and isinstance(b, dict):
        return [line for k in sorted(set(a) | set(b), key=str) for line in _diff(f"{path}.{k}", a.get(k), b.get(k))]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        out = []
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            tag = x.get("id") if isinstance(x, dict) and isinstance(y, dict) and x.get("id") == y.get("id") else None
            out += _diff(f"{path}[{tag if tag is not None else i + 1}]", x, y)
        return out
    return [f"{path}: {_plain(a)} → {_plain(b)}"]


def _details(c: Change) -> list[str]:
    """What differs in a case whose outcome and severity stay the same: rules, decided values, findings."""
    old, new = c.old, c.new
    if old is None or new is None:
        return []
    out = []
    if old.rules != new.rules:
        out.append(f"规则 rules: {', '.join(old.rules) or '—'} → {', '.join(new.rules) or '—'}")
    for k in sorted(set(old.decided) | set(new.decided)):
        if k != "outcome":
            out += _diff(k, old.decided.get(k), new.decided.get(k))
    before = sorted(i.message_zh for i in old.items)
    after = sorted(i.message_zh for i in new.items)
    if before != after:
        out += [f"− {m}" for m in before if m not in after] + [f"+ {m}" for m in after if m not in before]
    return out


def _groups(changes: list[Change]) -> dict[str, dict[str, dict[tuple, list[Change]]]]:
    """question -> clauses -> (old state, new state) -> changes, in roster order."""
    out: dict[str, dict[str, dict[tuple, list[Change]]]] = {}
    for c in changes:
        q = c.key[3]
        out.setdefault(q, {}).setdefault(_clauses(c), {}).setdefault((c.state("old"), c.state("new")), []).append(c)
    return out


def _question_title(q: str, lang: str) -> str:
    from ..questions import get as get_question

    known = get_question(q)
    zh = known.title_zh if known is not None else ""
    return f"{zh} {q}".strip() if lang == "zh" else q.replace("_", " ") + f" ({q})"


def _counts_line(imp: Impact, lang: str) -> str:
    oc, nc = imp.old.counts(), imp.new.counts()
    if lang == "zh":
        return (
            f"违规 violations {oc['violation']} → {nc['violation']} · 警示 warnings {oc['warning']} → {nc['warning']}"
            f" · 人工核查 manual checks {oc['manual_check']} → {nc['manual_check']}"
        )
    return (
        f"violations {oc['violation']} → {nc['violation']} · warnings {oc['warning']} → {nc['warning']}"
        f" · manual checks {oc['manual_check']} → {nc['manual_check']}"
    )


def _summary_line(imp: Impact, lang: str, details: bool) -> str:
    n, d = len(imp.outcome_changes()), len(imp.detail_changes())
    if lang == "zh":
        head = f"{n} 项变化 change(s) of outcome or severity" if n else "没有变化 no outcome changes"
        tail = f" · 结论不变、仅细节变化 {d} 项 detail-only change(s)" if d else ""
        if d and not details:
            tail += "（--details 列出 list them）"
        return head + tail
    head = f"{n} change(s) of outcome or severity" if n else "no outcome changes"
    tail = f" · {d} detail-only change(s)" + ("" if details else " (--details lists them)") if d else ""
    return head + tail


def text(imp: Impact, lang: str = "zh", details: bool = False) -> str:
    zh = lang == "zh"
    lines = [
        f"规则包修改的影响 impact of the pack edit on {imp.roster} · 截至 as of {imp.as_of}"
        if zh
        else f"Impact of the pack edit on {imp.roster} · as of {imp.as_of}",
        _counts_line(imp, lang),
        _summary_line(imp, lang, details),
    ]
    for q, by_clause in _groups(imp.outcome_changes()).items():
        lines += ["", _question_title(q, lang)]
        for clauses, by_state in by_clause.items():
            lines.append(f"  {'依据' if zh else 'clauses'} {clauses}")
            for (a, b), cs in by_state.items():
                lines.append(f"    {_state(a, q, lang)} → {_state(b, q, lang)}: {len(cs)}")
                for c in cs:
                    lines.append(f"      {_who(c)}")
                    old_rules, new_rules = c.rules
                    if old_rules != new_rules:
                        lines.append(
                            f"        规则 rules: {', '.join(old_rules) or '—'} → {', '.join(new_rules) or '—'}"
                        )
    if details and imp.detail_changes():
        lines += ["", "结论不变的细节变化 detail-only changes:" if zh else "Detail-only changes:"]
        for q, by_clause in _groups(imp.detail_changes()).items():
            total = sum(len(cs) for by_state in by_clause.values() for cs in by_state.values())
            lines.append(f"  {_question_title(q, lang)}: {total}")
            for by_state in by_clause.values():
                for cs in by_state.values():
                    for c in cs:
                        lines.append(f"    {_who(c)} ({_state(c.state('new'), q, lang)})")
                        lines += [f"      {d}" for d in _details(c)]
    return "\n".join(lines)


MARKDOWN_MAX_NAMES = 20


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(imp: Impact, lang: str = "zh", details: bool = False) -> str:
    """A pull-request comment: counts, then one table per question of who changes from what to what."""
    zh = lang == "zh"
    out = [
        (f"### 规则包修改的影响 impact of the pack edit · `{imp.roster}` · 截至 as of {imp.as_of}")
        if zh
        else f"### Impact of the pack edit · `{imp.roster}` · as of {imp.as_of}",
        "",
        _counts_line(imp, lang),
        "",
        f"**{_summary_line(imp, lang, details)}**",
        "",
    ]
    for q, by_clause in _groups(imp.outcome_changes()).items():
        out += [
            f"#### {_question_title(q, lang)}",
            "",
            "| 依据 clauses | 原 before | 新 after | 人数 count | 人员 who |"
            if zh
            else "| clauses | before | after | count | who |",
            "|---|---|---|---:|---|",
        ]
        for clauses, by_state in by_clause.items():
            for (a, b), cs in by_state.items():
                names = [_who(c) for c in cs[:MARKDOWN_MAX_NAMES]]
                if len(cs) > MARKDOWN_MAX_NAMES:
                    names.append(f"… +{len(cs) - MARKDOWN_MAX_NAMES}")
                out.append(
                    f"| {_md(clauses)} | {_md(_state(a, q, lang))} | {_md(_state(b, q, lang))} | {len(cs)} "
                    f"| {_md('<br>'.join(names))} |"
                )
        out.append("")
    if details and imp.detail_changes():
        title = "结论不变的细节变化 detail-only changes" if zh else "Detail-only changes"
        out += [f"<details><summary>{title} ({len(imp.detail_changes())})</summary>", ""]
        for q, by_clause in _groups(imp.detail_changes()).items():
            out += [f"#### {_question_title(q, lang)}", ""]
            for by_state in by_clause.values():
                for cs in by_state.values():
                    for c in cs:
                        out.append(f"- {_md(_who(c))}: " + _md("; ".join(_details(c)) or "—"))
            out.append("")
        out += ["</details>", ""]
    return "\n".join(out)


def to_json(imp: Impact, lang: str = "zh", details: bool = False) -> str:
    return json.dumps(imp.to_dict(), ensure_ascii=False, indent=2)
