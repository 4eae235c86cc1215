"""Roster commands: check, sample, impact."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BadArgument
from ..roster.check import FAIL_ON
from .core import (
    add_date_option,
    add_engine_option,
    add_jurisdiction_argument,
    add_packs_option,
    date_arg,
    library_from,
    write_atomic,
)

if TYPE_CHECKING:
    from ..library import Library
    from ..roster.check import CheckReport


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"须为正整数 must be a whole number of at least 1, not {text!r}")
    return int(text)


def roster_problem_lines(problems: list[str]) -> list[str]:
    from ..roster.read import MAX_PROBLEMS_SHOWN

    total = len(problems) + getattr(problems, "dropped", 0)  # read.Problems keeps the first 10,000 only
    lines = list(problems[:MAX_PROBLEMS_SHOWN])
    if total > MAX_PROBLEMS_SHOWN:
        lines.append(f"… 另有 {total - MAX_PROBLEMS_SHOWN} 个问题 more problem(s)")
    lines.append(f"名册有误，未核查 the roster has {total} problem(s); nothing was checked")
    return lines


def print_problems(problems: list[str]) -> None:
    for line in roster_problem_lines(problems):
        print(line, file=sys.stderr)


def check_questions(questions: list[str] | None) -> None:
    from ..roster import adapters  # noqa: F401  (registers the adapters)
    from ..roster.check import ADAPTERS
    from ..suggest import did_you_mean

    bad = [q for q in questions or [] if q not in ADAPTERS]
    if bad:
        q = bad[0]
        raise BadArgument(
            "--question",
            f"名册核查没有问题 {q!r}",
            f"a roster check has no question {q!r}" + did_you_mean(q, list(ADAPTERS)),
        )


def cmd_check(args: argparse.Namespace) -> int:
    from ..gcpause import gc_paused

    # Reading, deciding and reporting make millions of objects and no cycles worth collecting: a
    # province's check spent a third of its time in the collector.
    with gc_paused():
        return _check(args)


def _check(args: argparse.Namespace) -> int:
    from ..roster import check, read_roster

    check_questions(args.question)
    # The packs first: a role a county's pack declares (乡村振兴指导员) is then a value its roster cells may hold.
    lib = library_from(args)
    # A roster that cannot be read raises RosterError: cli.main lists its problems (or JSON) and exits 2.
    roster = read_roster(args.roster, args.attendance)
    report = check(
        roster,
        lib,
        args.on,
        period_from=args.from_,
        engine=args.engine,
        questions=args.question,
        jobs=args.jobs,
        release_rows=True,  # the roster is checked once here
        progress="auto",  # a bar on a terminal, a line every few seconds in a CI log
        attendance_months=args.format == "html",  # the month-by-month picture of the HTML report
    )
    return write_report(report, lib, args)


def write_report(report: CheckReport, lib: Library, args: argparse.Namespace) -> int:
    """The report in --format to -o FILE (a short summary to stdout) or to stdout; the exit code."""
    from ..roster.report import json_chunks, render, summary

    if args.format == "html":
        from ..pages.report import html_report

        out = html_report(report, lib, args.lang, args.fail_on)
    elif args.output and args.format == "json":
        # Streamed to the file: a province's report is written without a second copy in memory.
        out = json_chunks(report, args.fail_on)  # type: ignore[assignment]
    else:
        out = render(report, args.format, lib, args.lang, args.fail_on)
    if args.output:
        write_atomic(Path(args.output), out, make_parents=True)
        # The report went to a file (e.g. JUnit for the CI server); the log gets totals and the first findings.
        print(summary(report, args.output, lib, args.lang, args.fail_on))
    else:
        sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return report.exit_code(args.fail_on)


def add_report_options(p: argparse.ArgumentParser) -> None:
    """--on/--as-of, --from, --format, --lang, --fail-on, -o, --question: what check and check-lake share."""
    add_date_option(p, required=True, what="核查日期 the date of the check")
    add_from_option(p)
    p.add_argument(
        "--format",
        default="text",
        choices=["text", "json", "junit", "markdown", "html"],
        help="报告格式 report format: text (default), json, junit, markdown, html (one self-contained page; use -o)",
    )
    add_lang_option(p)
    p.add_argument(
        "--fail-on",
        default="violation",
        choices=FAIL_ON,
        help="lowest severity that makes the exit code 1 (default violation)",
    )
    p.add_argument(
        "-o", "--output", help="write the report to this file (stdout then gets a summary: totals, first findings)"
    )
    add_roster_question_option(p)


def add_from_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--from",
        dest="from_",
        type=date_arg,
        metavar="DATE",
        help="考勤起始日 start of the attendance period YYYY-MM-DD (default: one year before --on)",
    )


def add_lang_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--lang", default="zh", choices=["zh", "en"], help="报告语言 language of the reports: zh (default) or en"
    )


def add_roster_question_option(p: argparse.ArgumentParser) -> None:
    from ..roster import adapters  # noqa: F401  (registers the adapters)
    from ..roster.check import ADAPTERS

    p.add_argument(
        "--question",
        action="append",
        metavar="QUESTION",
        help=f"只核查此问题 check only this question (repeatable; default: all): {', '.join(ADAPTERS)}",
    )


def cmd_sample(args: argparse.Namespace) -> int:
    from ..calendar import CalendarMissing, using
    from ..roster.sample import generate, write_csv_folder, write_workbook
    from ..vocabulary import ROLES

    lib = library_from(args)
    j = lib.jurisdiction(args.jurisdiction)  # unknown ids end here with the list of known ones
    if not lib.calendar.covers(args.year):  # a sample's attendance follows the year's working days
        raise CalendarMissing(args.year, f"sample --year {args.year}", lib.calendar.years(), "sample")
    if args.people < 1:
        raise BadArgument("--people", "至少 1 人", "at least 1 person")
    team = tuple(r.strip() for r in args.team.split(","))
    roles = [*ROLES, *sorted(j.declared.get("role", ()))]  # and the roles the jurisdiction's packs declare
    bad = [r for r in team if r not in roles]
    if len(team) != 3 or bad:
        raise BadArgument("--team", "须为三个角色", f"three roles from {', '.join(roles)}; got {args.team!r}")
    with using(lib.calendar):
        s = generate(args.jurisdiction, args.people, args.year, args.seed, team)
    out = Path(args.output)
    if out.suffix.lower() == ".xlsx":
        write_workbook(s, out, chinese_headers=args.chinese_headers)
    else:
        write_csv_folder(s, out)
    print(
        f"已生成 wrote {out}: {len(s.people)} 人 people, {len(s.attendance)} 条考勤 attendance rows, "
        f"{len(s.planted)} 个埋设的问题 planted violations"
    )
    return 0


def cmd_impact(args: argparse.Namespace) -> int:
    from ..roster import read_roster
    from ..roster.impact import impact, markdown, pack_library, text, to_json

    check_questions(args.question)
    old, new = pack_library(args.old), pack_library(args.new)
    roster = read_roster(args.roster, args.attendance)
    imp = impact(roster, old, new, args.on, period_from=args.from_, engine=args.engine, questions=args.question)
    render = {"json": to_json, "markdown": markdown}.get(args.format, text)
    out = render(imp, args.lang, args.details)
    if args.output:
        write_atomic(Path(args.output), out + "\n", make_parents=True)
        print(text(imp, args.lang, args.details))
    else:
        print(out)
    return 1 if args.fail_on_change and imp.outcome_changes() else 0


def register(sub: argparse._SubParsersAction) -> None:
    c = sub.add_parser(
        "check",
        help="核查驻村名册 check a roster against the packs",
        description="Check every person and team of a roster. Exit codes: villagepolicy --help.",
    )
    c.add_argument("roster", help="名册 roster.xlsx, a folder of CSV files, or roster.yaml/.json")
    c.add_argument("--attendance", help="考勤表 attendance table in its own .csv or .parquet file")
    add_report_options(c)
    c.add_argument(
        "--jobs",
        type=_positive,
        metavar="N",
        help="processes deciding at once (default: one per core for 20,000 checks or more; "
        "$VILLAGEPOLICY_JOBS); the report is the same for any N",
    )
    add_packs_option(c)
    add_engine_option(c)
    c.set_defaults(func=cmd_check)

    sa = sub.add_parser("sample", help="生成样例名册 write a synthetic roster with planted violations")
    add_jurisdiction_argument(sa, "--jurisdiction")
    sa.add_argument("--people", type=int, default=30, help="人数 number of people (default 30)")
    sa.add_argument("--year", type=int, required=True, help="考勤年份 the year of attendance")
    sa.add_argument("--seed", type=int, default=0, help="随机种子 random seed (the same seed gives the same roster)")
    sa.add_argument(
        "--team",
        default="first_secretary,team_member,team_member",
        help="the three roles of each village's team, comma-separated (the second one carries the planted cases)",
    )
    sa.add_argument("-o", "--output", required=True, help="a folder (CSV files) or a .xlsx workbook")
    sa.add_argument("--chinese-headers", action="store_true", help="Chinese sheet names and column headers (xlsx)")
    add_packs_option(sa)
    sa.set_defaults(func=cmd_sample)

    im = sub.add_parser(
        "impact",
        help="规则包修改的影响 what a pack edit changes on a roster",
        description="Run the old and the new packs on the same roster and list who changes from what to what "
        "(outcome or severity), grouped by question and clause, with counts.",
    )
    im.add_argument("old", help="修改前 folder holding the old rules/ (and jurisdictions/), or rules/ itself")
    im.add_argument("new", help="修改后 folder holding the new rules/ (and jurisdictions/), or rules/ itself")
    im.add_argument("roster", help="名册 roster.xlsx, a folder of CSV files, or roster.yaml/.json")
    add_date_option(im, required=True, what="核查日期 the date of the check")
    add_from_option(im)
    im.add_argument("--attendance", help="考勤表 attendance table in its own .csv or .parquet file")
    im.add_argument(
        "--format",
        default="text",
        choices=["text", "json", "markdown"],
        help="输出格式 text (default), json, or markdown (for a pull-request comment)",
    )
    add_lang_option(im)
    im.add_argument("-o", "--output", help="写入文件 write to this file (the text summary still goes to stdout)")
    im.add_argument(
        "--details",
        action="store_true",
        help="也列出结论不变的细节变化 also list changes in detail only (same outcome and severity)",
    )
    im.add_argument(
        "--fail-on-change", action="store_true", help="结论变化时退出码为 1 exit 1 when an outcome or severity changes"
    )
    add_roster_question_option(im)
    add_engine_option(im)
    im.set_defaults(func=cmd_impact)
