"""Human-readable rendering of decisions (Chinese first, English labels beside)."""

from __future__ import annotations

from .decision import CalendarYear, Decision
from .library import Jurisdiction
from .words import field_words, label, value_words


def calendar_lines(d: Decision, zh: bool) -> list[str]:
    """Which working-day calendar years the decision counted with, and where each came from (an override shows)."""
    return [calendar_words(d.calendar, zh)] if d.calendar else []


def calendar_words(years: list[CalendarYear], zh: bool) -> str:
    parts = []
    for c in years:
        if c.origin == "shipped":
            parts.append(f"{c.year} 随附数据 shipped" if zh else f"{c.year} shipped")
        else:
            over = c.overrides_shipped
            what = "覆盖随附数据 OVERRIDES the shipped year" if over else "县里加入 added by the county"
            parts.append(f"{c.year} {what if zh else what.split(' ', 1)[1]} ({c.file})")
    return ("工作日历 working-day calendar: " if zh else "working-day calendar: ") + "; ".join(parts)


def decision_text(d: Decision, j: Jurisdiction) -> str:
    packs = j.library.packs
    lines = [f"{j.name_zh} ({j.id}) · {d.question} · {d.on.isoformat()}"]
    lines.append(f"结论 outcome: {label(d.outcome, d.question)} ({d.outcome})")

    def names(ids: list[str], sep: str = " → ") -> str:
        # A chain (审核, 审批) reads in order with →; bodies side by side (其一即可, 备案) with 、.
        return sep.join(f"{j.authority_name(a)} ({a})" for a in ids) if ids else "—"

    reviewers, one_of = getattr(d, "reviewers", []), getattr(d, "approver_one_of", [])
    if reviewers:
        lines.append(f"审核 reviewers: {names(reviewers)}")
    if d.approvers:
        lines.append(f"审批 approvers: {names(d.approvers)}")
    if one_of:
        lines.append(f"审批（其一即可） approved by one of: {names(one_of, '、')}")
    if d.filed_with:
        lines.append(f"备案 filed with: {names(d.filed_with, '、')}")
    if d.actions:
        lines.append("措施 actions: " + "、".join(f"{label(a)} ({a})" for a in d.actions))
    if d.actors:
        lines.append(f"执行 actors: {names(d.actors)}")
    shown_above = {"reviewers", "approver_one_of"}
    extra = {k: v for k, v in d.to_dict().items() if k not in Decision.model_fields and k not in shown_above}
    lines += extra_lines(extra, d.question)
    shown: set[tuple[str, str]] = set()  # clauses whose text a finding already printed
    marks = {"note": "○"}
    for title, items in (("核查 findings", d.findings), ("人工核查 manual checks", d.manual_checks)):
        if items:
            lines.append(title + ":")
            for f in items:
                if items is d.manual_checks:
                    mark = "?"
                else:
                    mark = marks.get(f.severity) or ("✓" if f.passed else ("△" if f.hedged else "✗"))
                c = f.citation
                where = f" [{c.pack} {c.clause}]" if c else ""
                lines.append(f"  {mark} {f.message_zh}{where}")
                if c and (c.pack, c.clause) not in shown:
                    shown.add((c.pack, c.clause))
                    lines.append(f"      {c.clause}: {c.text_zh}")
            if items is d.findings:
                lines.append("  (✓ 符合 met · ✗ 不符合 failed · △ 原则性条件不符 hedged, failed · ○ 提示 note)")
    rest = [c for c in d.citations if c.interpretation or (c.pack, c.clause) not in shown]
    if rest:
        lines.append("依据 citations:" if not shown else "其他依据 further citations:")
        done: set[tuple[str, str]] = set()
        for c in rest:
            title = packs[c.pack].meta.title_zh if c.pack in packs else c.pack
            if c.interpretation:
                if (c.pack, c.interpretation) in done:
                    continue
                done.add((c.pack, c.interpretation))
                key = (c.pack, c.interpretation)
                clauses = ", ".join(x.clause for x in d.citations if (x.pack, x.interpretation) == key)
                lines.append(f"  解释 interpretation {c.interpretation} ({c.pack} {clauses}): {c.reading('zh')}")
            else:
                lines.append(f"  《{title}》{c.clause}: {c.text_zh}")
    for n in d.notes:
        lines.append(f"注 note: {n}")
    lines += calendar_lines(d, zh=True)
    lines.append(f"规则 rules fired: {', '.join(d.trace) or '—'}")
    return "\n".join(lines)


def decision_text_en(d: Decision, j: Jurisdiction) -> str:
    """The same decision fully in English (--lang en): English labels for every id, clause summaries."""
    packs = j.library.packs
    lines = [f"{j.spec.name_en} ({j.id}) · {d.question.replace('_', ' ')} · {d.on.isoformat()}"]
    lines.append(f"outcome: {label(d.outcome, d.question, 'en')}")

    chains = (
        ("reviewers", getattr(d, "reviewers", []), " → "),
        ("approvers", d.approvers, " → "),
        ("approved by one of", getattr(d, "approver_one_of", []), ", "),
        ("filed with", d.filed_with, ", "),
        ("actors", d.actors, " → "),
    )
    for title, ids, sep in chains:
        if ids:
            lines.append(f"{title}: {sep.join(label(a, lang='en') for a in ids)}")
    if d.actions:
        lines.append("actions: " + ", ".join(label(a, lang="en") for a in d.actions))
    shown_above = {"reviewers", "approver_one_of"}
    extra = {k: v for k, v in d.to_dict().items() if k not in Decision.model_fields and k not in shown_above}
    lines += extra_lines(extra, d.question, "en")
    for title, items in (("findings", d.findings), ("manual checks", d.manual_checks)):
        if items:
            lines.append(title + ":")
            for f in items:
                mark = "?" if items is d.manual_checks else ("✓" if f.passed else ("△" if f.hedged else "✗"))
                where = f" [{f.citation.pack} {f.citation.clause}]" if f.citation else ""
                lines.append(f"  {mark} {f.message_en or f.message_zh}{where}")
    if d.citations:
        lines.append("citations:")
        done: set[tuple[str, str | None, str]] = set()
        for c in d.citations:
            key = (c.pack, c.interpretation, "" if c.interpretation else c.clause)
            if key in done:
                continue
            done.add(key)
            if c.interpretation:
                lines.append(f"  interpretation {c.interpretation} ({c.pack}): {c.reading('en')}")
            else:
                doc = packs[c.pack].meta.id if c.pack in packs else c.pack
                lines.append(f"  {doc} {c.clause}: {c.summary_en or c.text_zh}")
    for n in d.notes:
        lines.append(f"note: {n}")
    lines += calendar_lines(d, zh=False)
    lines.append(f"rules fired: {', '.join(d.trace) or '—'}")
    return "\n".join(lines)


def extra_lines(extra: dict, question: str | None = None, lang: str = "zh") -> list[str]:
    """A question's own decision fields, one readable line per item (lists of records one per line)."""
    lines: list[str] = []
    for k, v in extra.items():
        if v is None or v == [] or v == {}:
            continue
        if k.endswith(("_zh", "_en")) and k[:-3] in extra:
            continue  # the reason of grade_cap / grade_set, shown on its grade's line
        why = extra.get(f"{k}_{lang}") if isinstance(v, str) else None
        if why:
            colon = "：" if lang == "zh" else ": "
            lines.append(f"{field_words(k, lang)}: {value_words(v, question, lang)}{colon}{why}")
            continue
        if isinstance(v, list) and all(isinstance(x, dict) for x in v):
            lines.append(f"{field_words(k, lang)}:")
            lines += ["  - " + value_words(x, question, lang) for x in v]
        elif isinstance(v, dict):
            # counts of nothing are noise in a list of counts; a declared question's `values` are what it decided on
            shown = {a: b for a, b in v.items() if b is not None and (k == "values" or b not in (0, False))}
            lines.append(f"{field_words(k, lang)}: " + (value_words(shown, question, lang) if shown else "—"))
        else:
            lines.append(f"{field_words(k, lang)}: {value_words(v, question, lang)}")
    return lines
