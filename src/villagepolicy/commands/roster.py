"""Roster commands: check, sample, impact."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

from ..errors import FactError


def parse_day(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise FactError([(option, f"不是日期 not a date (YYYY-MM-DD): {text!r}")]) from None


def write_atomic(path: Path, text: str) -> None:
    """Write the whole report or nothing: a temporary file in the same folder, renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def print_problems(problems: list[str]) -> None:
    from ..roster.read import MAX_PROBLEMS_SHOWN

    for p in problems[:MAX_PROBLEMS_SHOWN]:
        print(p, file=sys.stderr)
    if len(problems) > MAX_PROBLEMS_SHOWN:
        print(f"… 另有 {len(problems) - MAX_PROBLEMS_SHOWN} 个问题 more problem(s)", file=sys.stderr)
    print(f"名册有误，未核查 the roster has {len(problems)} problem(s); nothing was checked", file=sys.stderr)


def cmd_check(args: argparse.Namespace) -> int:
    from ..roster import check, read_roster
    from ..roster.read import RosterError
    from ..roster.report import render, text
    from .core import library_from

    as_of = parse_day(args.as_of, "--as-of")
    start = parse_day(args.from_, "--from") if args.from_ else None
    try:
        roster = read_roster(args.roster, args.attendance)
        lib = library_from(args)
        report = check(roster, lib, as_of, period_from=start, engine=args.engine)
    except RosterError as e:
        print_problems(e.problems)
        return 2
    out = render(report, args.format, lib, args.lang, args.fail_on)
    if args.output:
        write_atomic(Path(args.output), out)
        # The report went to a file (e.g. JUnit for the CI server); the log still gets the readable one.
        print(text(report, lib, args.lang, args.fail_on))
    else:
        sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return report.exit_code(args.fail_on)


def register(sub: argparse._SubParsersAction) -> None:
    c = sub.add_parser(
        "check",
        help="check a roster against the packs 核查驻村名册",
        description="Check every person and team of a roster. Exit 0 clean, 1 findings, 2 bad input.",
    )
    c.add_argument("roster", help="roster.xlsx, a folder of CSV files, or roster.yaml/.json")
    c.add_argument("--as-of", required=True, help="the date of the check YYYY-MM-DD (packs in force that day)")
    c.add_argument("--from", dest="from_", help="start of the attendance period (default: one year before --as-of)")
    c.add_argument("--attendance", help="attendance table in its own .csv or .parquet file")
    c.add_argument("--format", default="text", choices=["text", "json", "junit", "markdown"])
    c.add_argument("--lang", default="zh", choices=["zh", "en"], help="language of the text and markdown reports")
    c.add_argument(
        "--fail-on",
        default="violation",
        choices=["violation", "warning", "manual_check", "never"],
        help="lowest severity that makes the exit code 1 (default violation)",
    )
    c.add_argument("-o", "--output", help="write the report to this file (the text report still goes to stdout)")
    c.add_argument("--packs", help="folder with rules/ and jurisdictions/ extending the shipped packs")
    c.add_argument("--engine", default="durable", choices=["durable", "reference"])
    c.set_defaults(func=cmd_check)
