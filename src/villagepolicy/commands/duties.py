"""`villagepolicy duties`: a person's duties over a period, as a table, JSON or an iCalendar file."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from ..vocabulary import ROLES
from .core import (
    add_date_option,
    add_engine_option,
    add_jurisdiction_argument,
    add_packs_option,
    library_from,
    write_output,
)


def duties_table(d, j) -> str:  # noqa: ANN001 - DutiesDecision, Jurisdiction
    from io import StringIO

    from rich.console import Console
    from rich.table import Table

    from ..words import label

    names = {"self": "本人", "team": "驻村工作队"}

    def who(ids: list[str]) -> str:
        return "、".join(names.get(a) or j.authority_name(a) for a in ids)

    title = f"{j.name_zh} · {label(d.role or '')} · {d.period} · 到岗 {d.stationed_since}"
    table = Table(title=title)
    for col in ("期限 due", "职责 duty", "周期 every", "责任 responsible", "报送 to", "依据 clause"):
        table.add_column(col, overflow="fold")
    rows = []
    for duty in d.duties:
        mark = "△" if duty.hedged else ""
        what = duty.what_zh + (f"（≥{duty.min_days}天）" if duty.min_days else "") + mark
        every = duty.recurrence_zh or ("长期 standing" if duty.standing else "一次 once")
        rest = (what, every, who(duty.responsible), who(duty.report_to), f"{duty.citation.clause}")
        if duty.standing or duty.recurrence == "day":
            # one row, not a row a day: a standing duty has no deadline, a daily one is due every day
            first = duty.occurrences[0].due if duty.occurrences else d.period_start or dt.date.min
            rows.append((first, "长期 standing" if duty.standing else "每日 daily", *rest))
            continue
        rows += [(occ.due, occ.due.isoformat(), *rest) for occ in duty.occurrences]
    for _, *shown in sorted(rows, key=lambda r: (r[0], r[2])):
        table.add_row(*shown)
    buf = StringIO()
    Console(file=buf, width=140).print(table)
    out = buf.getvalue()
    if d.outcome == "not_covered" or not d.duties:
        out += "".join(f"注 note: {n}\n" for n in d.notes)
        out += "".join(f"依据 {c.pack} {c.clause}: {c.text_zh}\n" for c in d.citations if not c.interpretation)
    elif any(x.hedged for x in d.duties):
        out += "△ 原则性要求 a norm that admits exceptions (see the cited interpretation)\n"
    return out


def cmd_duties(args: argparse.Namespace) -> int:
    from ..ics import duties_calendar

    lib = library_from(args)
    j = lib.jurisdiction(args.jurisdiction)
    facts: dict = {"role": args.role, "stationed_since": args.since, "period": args.period}
    if args.mine:
        facts["responsible"] = ["self", "team"]
    d = j.decide("duties", facts, args.on, engine=args.engine)
    if args.format == "ics":
        if d.outcome == "not_covered":
            print(duties_table(d, j), file=sys.stderr, end="")
            print(f"错误 error: {j.id} 的文件未规定该角色的职责 no duties are set for {args.role}", file=sys.stderr)
            return 2
        data = duties_calendar(d, j)
    elif args.format == "json":
        data = (json.dumps(d.to_dict(), ensure_ascii=False, indent=2) + "\n").encode()
    else:
        data = duties_table(d, j).encode()
    write_output(data, args.output)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("duties", help="职责日历 duties and deadlines over a period, as a table, JSON or iCalendar")
    add_jurisdiction_argument(p)
    p.add_argument("--role", required=True, help=f"角色 role: {', '.join(ROLES)}")
    p.add_argument("--since", required=True, help="到岗日期 the day the person was stationed YYYY-MM-DD")
    p.add_argument("--period", required=True, help="2022, 2022-H1, 2022-Q3 or 2022-03")
    p.add_argument("--mine", action="store_true", help="only the person's and the team's own duties")
    p.add_argument(
        "--format",
        default="text",
        choices=["text", "json", "ics"],
        help="输出格式 output: text, json or ics (iCalendar)",
    )
    p.add_argument("-o", "--output", help="write to this file instead of stdout (atomically)")
    add_date_option(p)
    add_packs_option(p)
    add_engine_option(p)
    p.set_defaults(func=cmd_duties)
