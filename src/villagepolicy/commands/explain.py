"""explain: every rule of a question in each pack of a jurisdiction, which fired, and the clauses they cite.

Works for any question: it shows the derived case the rules see, then, pack by pack in precedence
order, each rule's condition (with the case's value beside each field), what it sets, and the verbatim
text of every clause and interpretation it cites; then the decision.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..decision import Decision
from ..library import Jurisdiction
from ..packs.pack import CompiledRule, LoadedPack
from ..render import calendar_lines, extra_lines
from ..words import field_words, label, value_words
from .core import add_decision_options, add_jurisdiction_argument, add_question_argument, library_from, read_facts

_OPS = {
    "eq": "=",
    "ne": "≠",
    "lt": "<",
    "lte": "≤",
    "gt": ">",
    "gte": "≥",
    "in": "∈",
    "not_in": "∉",
    "exists": "exists",
}


def _value(v: Any) -> str:
    if isinstance(v, list):
        return "{" + ", ".join(_value(x) for x in v) + "}"
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def condition_text(when: dict[str, Any] | None, case: dict[str, Any]) -> str:
    """A `when` mapping as one line, each field followed by the case's value in brackets."""
    if not when:
        return "总是 always"
    parts = []
    for key, test in when.items():
        if key in ("all", "any"):
            inner = " ; ".join(condition_text(t, case) for t in test)
            parts.append(f"{'全部' if key == 'all' else '任一'} {key}( {inner} )")
            continue
        have = f" [{_value(case[key])}]" if key in case else " [无 absent]"
        tests = test.items() if isinstance(test, dict) else [("eq", test)]
        parts.append(" 且 ".join(f"{key} {_OPS.get(op, op)} {_value(v)}" for op, v in tests) + have)
    return " 且 and ".join(parts)


def effect_text(cr: CompiledRule) -> str:
    """What a rule sets, in words: `结论 outcome 谈话通报 (talk_and_notice)；限制 bans 当年不得评先选优`."""
    data = cr.effect.model_dump(mode="json", exclude_defaults=True)
    q = cr.rule.question
    out = []
    for k, v in data.items():
        if isinstance(v, list) and v and isinstance(v[0], dict):
            out.append(f"{field_words(k)}: " + " | ".join(value_words(x, q) for x in v))
        else:
            out.append(f"{field_words(k)}: {value_words(v, q)}")
    return "；".join(out)


def _rules_table(pack: LoadedPack, rules: list[CompiledRule], fired: set[int], case: dict[str, Any]) -> list[str]:
    """One pack's rules as a table (fired, rule, when, then, clauses), then each cited clause's text once."""
    from rich.table import Table

    table = Table(show_lines=True, expand=False)
    table.add_column("", no_wrap=True)
    table.add_column("规则 rule", overflow="fold")
    table.add_column("条件 when", overflow="fold", ratio=3)
    table.add_column("结果 then", overflow="fold", ratio=3)
    table.add_column("依据 cites", overflow="fold")
    cited: list[str] = []
    interps: list[str] = []
    for cr in rules:
        r = cr.rule
        when = "否则 otherwise" if r.otherwise else condition_text(r.when, case)
        cites = ", ".join(r.cites) + ("\n" + ", ".join(r.interpretations) if r.interpretations else "")
        note = f"\n注 note: {r.note_en}" if r.note_en else ""
        table.add_row("✓" if id(cr) in fired else "·", r.id, when, effect_text(cr) + note, cites)
        cited += [c for c in r.cites if c not in cited]
        interps += [i for i in r.interpretations if i not in interps]
    lines = _render(table).splitlines()
    lines.append("  (✓ 触发 fired · · 未触发 not fired)")
    for cid in cited:
        lines.append(f"  《{pack.meta.title_zh}》{cid}: {pack.clauses[cid].text_zh}")
    for iid in interps:
        it = pack.interpretations[iid]
        lines.append(f"  解释 interpretation {iid} ({', '.join(it.clauses)}): {it.reading_zh or it.reading_en}")
    return lines


def _render(table: Any) -> str:
    from io import StringIO

    from rich.console import Console

    buf = StringIO()
    Console(file=buf, width=160, color_system=None).print(table)
    return buf.getvalue().rstrip("\n")


def explain(
    j: Jurisdiction, question: str, facts: Any, on: Any, engine: str, lang: str = "zh"
) -> tuple[Decision, dict[str, Any], str]:
    """Decide, then lay out every rule of the question pack by pack. Returns (decision, data, text)."""
    from ..library import as_date

    d = j.decide(question, facts, on, engine=engine)  # validates facts and question first
    q = j.question(question)  # built-in or declared by the jurisdiction's packs
    day = as_date(on)
    with j.vocabulary_in_scope():
        case = q.case(q.validate(facts, day), day)
    from rich.table import Table

    lines = [f"{j.name_zh} ({j.id}) · {question} {q.title_zh} · {day.isoformat()}", "事实推导 case the rules see:"]
    facts_table = Table(show_header=True)
    facts_table.add_column("字段 field")
    facts_table.add_column("值 value", overflow="fold")
    for k, v in case.items():
        facts_table.add_row(k, _value(v))
    lines += _render(facts_table).splitlines()
    data: dict[str, Any] = {"jurisdiction": j.id, "question": question, "on": day.isoformat(), "case": case}
    data["packs"] = []
    decided = False
    for ref in j.spec.packs:
        pack = j.library.packs[ref.pack]
        if question not in pack.questions():
            continue
        rules = pack.by_question.get(question, []) + pack.otherwise.get(question, [])
        entry: dict[str, Any] = {"pack": pack.meta.id, "title_zh": pack.meta.title_zh, "rules": []}
        if not j._in_force(ref, day):
            entry["status"] = "not_in_force"
            lines.append(f"规则包 pack {pack.meta.id}《{pack.meta.title_zh}》: {day} 未生效 not in force")
        elif decided:
            entry["status"] = "not_consulted"
            lines.append(
                f"规则包 pack {pack.meta.id}《{pack.meta.title_zh}》: 未查询 not consulted (an earlier pack decided)"
            )
        else:
            fired = {id(r) for r in pack.match(question, case, engine)}
            consulted_out = [r for r in rules if id(r) in fired]
            covered = any(r.effect.model_dump().get("outcome") != "not_covered" for r in consulted_out)
            entry["status"] = "decided" if covered else "not_covered"
            decided = covered
            status = "作出决定 decided" if covered else "未涵盖 not covered"
            lines.append(f"规则包 pack {pack.meta.id}《{pack.meta.title_zh}》 — {status}")
            lines += _rules_table(pack, rules, fired, case)
            for r in rules:
                entry["rules"].append(
                    {
                        "id": r.rule.id,
                        "fired": id(r) in fired,
                        "otherwise": r.rule.otherwise,
                        "when": r.rule.when,
                        "then": r.effect.model_dump(mode="json", exclude_defaults=True),
                        "cites": [{"clause": c, "text_zh": pack.clauses[c].text_zh} for c in r.rule.cites],
                        "interpretations": r.rule.interpretations,
                    }
                )
        data["packs"].append(entry)
    lines.append("")
    if lang == "en":  # the decision itself fully in English; the rule tables quote the packs as written
        from ..render import decision_text_en

        lines += decision_text_en(d, j).splitlines()[1:]
    else:
        lines += _decision_lines(d, j)
    data["decision"] = d.to_dict()
    return d, data, "\n".join(lines)


def _decision_lines(d: Decision, j: Jurisdiction) -> list[str]:
    lines = [f"结论 outcome: {label(d.outcome, d.question)} ({d.outcome})"]
    if d.actions:
        lines.append("措施 actions: " + "、".join(f"{label(a)} ({a})" for a in d.actions))
    for title, ids in (("审批 approvers", d.approvers), ("备案 filed with", d.filed_with), ("执行 actors", d.actors)):
        if ids:
            lines.append(f"{title}: " + ", ".join(f"{j.authority_name(a)} ({a})" for a in ids))
    lines += extra_lines({k: v for k, v in d.to_dict().items() if k not in Decision.model_fields}, d.question)
    for f in d.manual_checks:
        where = f" [{f.citation.pack} {f.citation.clause}]" if f.citation else ""
        lines.append(f"人工核查 manual check: {f.message_zh}{where}")
    for n in d.notes:
        lines.append(f"注 note: {n}")
    lines += calendar_lines(d, zh=True)
    lines.append(f"规则 rules fired: {', '.join(d.trace) or '—'}")
    return lines


def cmd_explain(args: argparse.Namespace) -> int:
    lib = library_from(args)
    j = lib.jurisdiction(args.jurisdiction)
    _, data, text = explain(j, args.question, read_facts(args.facts), args.on, args.engine, args.lang)
    print(json.dumps(data, ensure_ascii=False, indent=2) if args.json else text)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    e = sub.add_parser("explain", help="解释判定依据 every rule of a question, which fired, with clause text")
    add_jurisdiction_argument(e)
    add_question_argument(e)
    add_decision_options(e)
    e.set_defaults(func=cmd_explain)
