"""Roster commands: check, sample, impact."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import FactError
from .core import add_engine_option, add_packs_option, library_from, write_atomic

if TYPE_CHECKING:
    from ..library import Library
    from ..roster.check import CheckReport


def parse_day(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise FactError([(option, f"不是日期 not a date (YYYY-MM-DD): {text!r}")]) from None


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"须为正整数 must be a whole number of at least 1, not {text!r}")
    return int(text)


def print_problems(problems: list[str]) -> None:
    from ..roster.read import MAX_PROBLEMS_SHOWN

    for p in problems[:MAX_PROBLEMS_SHOWN]:
        print(p, file=sys.stderr)
    if len(problems) > MAX_PROBLEMS_SHOWN:
        print(f"… 另有 {len(problems) - MAX_PROBLEMS_SHOWN} 个问题 more problem(s)", file=sys.stderr)
    print(f"名册有误，未核查 the roster has {len(problems)} problem(s); nothing was checked", file=sys.stderr)


def check_questions(questions: list[str] | None) -> None:
    from ..roster import adapters  # noqa: F401  (registers the adapters)
    from ..roster.check import ADAPTERS

    bad = [q for q in questions or [] if q not in ADAPTERS]
    if bad:
        raise FactError(
            [
                ("--question", f"名册不核查 a roster check has no question {q!r}; 可用 known: {', '.join(ADAPTERS)}")
                for q in bad
            ]
        )


def cmd_check(args: argparse.Namespace) -> int:
    from ..gcpause import gc_paused

    # Reading, deciding and reporting make millions of objects and no cycles worth collecting: a
    # province's check spent a third of its time in the collector.
    with gc_paused():
        return _check(args)


def _check(args: argparse.Namespace) -> int:
    from ..roster import check, read_roster
    from ..roster.read import RosterError

    as_of = parse_day(args.as_of, "--as-of")
    start = parse_day(args.from_, "--from") if args.from_ else None
    check_questions(args.question)
    try:
        roster = read_roster(args.roster, args.attendance)
        lib = library_from(args)
        report = check(
            roster,
            lib,
            as_of,
            period_from=start,
            engine=args.engine,
            questions=args.question,
            jobs=args.jobs,
            release_rows=True,  # the roster is checked once here
            progress="auto",  # a bar on a terminal, a line every few seconds in a CI log
            attendance_months=args.format == "html",  # the month-by-month picture of the HTML report
        )
    except RosterError as e:
        print_problems(e.problems)
        return 2
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
    """--as-of, --from, --format, --lang, --fail-on, -o, --question: what check and check-lake share."""
    p.add_argument(
        "--as-of", required=True, metavar="DATE", help="the date of the check YYYY-MM-DD (packs in force that day)"
    )
    p.add_argument(
        "--from", dest="from_", metavar="DATE", help="start of the attendance period (default: one year before --as-of)"
    )
    p.add_argument(
        "--format",
        default="text",
        choices=["text", "json", "junit", "markdown", "html"],
        help="html: one self-contained page for a browser (write it with -o)",
    )
    p.add_argument(
        "--lang", default="zh", choices=["zh", "en"], help="language of the text, markdown and html reports"
    )
    p.add_argument(
        "--fail-on",
        default="violation",
        choices=["violation", "warning", "manual_check", "never"],
        help="lowest severity that makes the exit code 1 (default violation)",
    )
    p.add_argument(
        "-o", "--output", help="write the report to this file (stdout then gets a summary: totals, first findings)"
    )
    p.add_argument("--question", action="append", help="check only this question (repeatable; default: all)")


def cmd_sample(args: argparse.Namespace) -> int:
    from ..calendar import covered_years
    from ..roster.sample import generate, write_csv_folder, write_workbook
    from ..vocabulary import ROLES

    lib = library_from(args)
    lib.jurisdiction(args.jurisdiction)  # unknown ids end here with the list of known ones
    lo, hi = covered_years()
    if not lo <= args.year <= hi:
        raise FactError([("--year", f"工作日历只覆盖 the working-day calendar covers {lo}–{hi}, not {args.year}")])
    if args.people < 1:
        raise FactError([("--people", "至少 1 人 at least 1 person")])
    team = tuple(r.strip() for r in args.team.split(","))
    bad = [r for r in team if r not in ROLES]
    if len(team) != 3 or bad:
        raise FactError([("--team", f"三个角色 three roles from {', '.join(ROLES)}; got {args.team!r}")])
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
    from ..roster.read import RosterError

    as_of = parse_day(args.as_of, "--as-of")
    start = parse_day(args.from_, "--from") if args.from_ else None
    check_questions(args.question)
    old, new = pack_library(args.old), pack_library(args.new)
    try:
        roster = read_roster(args.roster, args.attendance)
        imp = impact(roster, old, new, as_of, period_from=start, engine=args.engine, questions=args.question)
    except RosterError as e:
        print_problems(e.problems)
        return 2
    out = {"json": to_json, "markdown": markdown}.get(args.format, text)(imp)
    if args.output:
        write_atomic(Path(args.output), out + "\n", make_parents=True)
        print(text(imp))
    else:
        print(out)
    return 1 if args.fail_on_change and imp.changes else 0


def register(sub: argparse._SubParsersAction) -> None:
    c = sub.add_parser(
        "check",
        help="check a roster against the packs 核查驻村名册",
        description="Check every person and team of a roster. Exit 0 clean, 1 findings, 2 bad input.",
    )
    c.add_argument("roster", help="roster.xlsx, a folder of CSV files, or roster.yaml/.json")
    c.add_argument("--attendance", help="attendance table in its own .csv or .parquet file")
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

    sa = sub.add_parser("sample", help="write a synthetic roster with planted violations 生成样例名册")
    sa.add_argument("--jurisdiction", required=True)
    sa.add_argument("--people", type=int, default=30)
    sa.add_argument("--year", type=int, required=True, help="the year of attendance")
    sa.add_argument("--seed", type=int, default=0)
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
        help="what a pack edit changes on a roster 规则包修改的影响",
        description="Run the old and the new packs on the same roster and list every changed outcome.",
    )
    im.add_argument("old", help="folder holding the old rules/ (and jurisdictions/), or the rules/ folder itself")
    im.add_argument("new", help="folder holding the new rules/ (and jurisdictions/), or the rules/ folder itself")
    im.add_argument("roster")
    im.add_argument("--as-of", required=True, metavar="DATE")
    im.add_argument("--from", dest="from_", metavar="DATE")
    im.add_argument("--attendance")
    im.add_argument("--format", default="text", choices=["text", "json", "markdown"])
    im.add_argument("-o", "--output")
    im.add_argument("--fail-on-change", action="store_true", help="exit 1 when any outcome changes")
    im.add_argument("--question", action="append", help="only this question (repeatable; default: all)")
    add_engine_option(im)
    im.set_defaults(func=cmd_impact)
