"""appraisal-roster: a county's annual appraisal results as a table, the quotas checked (exit 1 when exceeded)."""

from __future__ import annotations

import argparse
import json

from .core import add_decision_options, add_jurisdiction_argument, library_from, read_facts


def consequences(items: list, lang: str) -> str:  # noqa: ANN001 - appraisal Consequence models
    """Consequences as labels (Chinese), or as words from their ids (English); hedged ones marked."""
    if lang == "en":
        return ", ".join(c.id.replace("_", " ") + (" (as the case may be)" if c.hedged else "") for c in items)
    return "、".join(c.label_zh + ("(视情况)" if c.hedged else "") for c in items)


def cmd_appraisal_roster(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from ..words import label

    lib = library_from(args)
    j = lib.jurisdiction(args.jurisdiction)
    d = j.decide("appraisal_roster", read_facts(args.facts), args.on, engine=args.engine)
    exceeded = 1 if d.outcome == "quota_exceeded" else 0
    if args.json:
        print(json.dumps(d.to_dict(), ensure_ascii=False, indent=2))
        return exceeded
    console = Console(width=max(140, Console().width))
    console.print(f"{j.name_zh} ({j.id}) · 考核结果 appraisal roster · {d.on.isoformat()}")
    console.print(f"结论 outcome: {label(d.outcome, d.question)} ({d.outcome})")
    table = Table(show_lines=True)
    for col in ("id", "对象 subject", "得分 score", "等次 grade", "结论 outcome", "名次 rank", "比例 quota"):
        table.add_column(col, overflow="fold")
    # The consequences are the point of the table: wrapped over several lines, never cut.
    table.add_column("后果 consequences", overflow="fold", ratio=1)
    for e in d.people:
        grade = f"{e.decision.grade_zh} ({e.grade})" if e.grade else "—"
        if getattr(e.decision, "capped_from", None):
            grade += f" ← {e.decision.capped_from}"
        table.add_row(
            e.id,
            e.subject,
            "—" if e.score is None else f"{e.score:g}",
            grade,
            label(e.outcome, "appraisal_grade", args.lang),
            "" if e.rank is None else str(e.rank),
            "超出 over" if e.over_quota else "",
            consequences(e.decision.consequences, args.lang),
        )
    console.print(table)
    if d.summary.quotas:
        quotas = Table(title="比例控制 quotas")
        for col in ("对象 subject", "等次 grade", "人数 used", "总数 population", "占比 share", "上限 at most", ""):
            quotas.add_column(col)
        for q in d.summary.quotas:
            quotas.add_row(
                q.subject,
                q.grade,
                str(q.used),
                str(q.population),
                f"{q.share:.0%}",
                f"{q.allowed} ({q.max_share:.0%})",
                "✗ 超出 exceeded" if q.exceeded else "✓",
            )
        console.print(quotas)
    for f in d.manual_checks:
        console.print(f"△ {f.message_zh}", soft_wrap=True)
    for n in d.notes:
        console.print(f"注 note: {n}", soft_wrap=True)
    for c in d.citations:
        if c.interpretation:
            console.print(
                f"解释 interpretation {c.interpretation} ({c.pack} {c.clause}): {c.reading('zh')}", soft_wrap=True
            )
        else:
            console.print(f"依据 {c.pack} {c.clause}: {c.text_zh}", soft_wrap=True)
    return exceeded


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "appraisal-roster",
        help="考核结果与比例 a county's appraisal results and quotas (exit 1 if a quota is exceeded)",
    )
    add_jurisdiction_argument(p)
    add_decision_options(p, facts_help="事实 facts: a YAML/JSON mapping {people: [...]}, @file.yaml, or - for stdin")
    p.set_defaults(func=cmd_appraisal_roster)
