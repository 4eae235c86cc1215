"""`villagepolicy calendar import | show | check`: the working-day calendar's years, where each comes from, and
adding next year's from the State Council's notice."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from ..calendar import WorkCalendar, spans
from ..errors import BadArgument
from .core import add_packs_option, date_arg, library_from, pack_source, write_atomic


def _read_text(path: str) -> str:
    try:
        raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as e:
        raise BadArgument("NOTICE", f"无法读取通知 {path}: {e.strerror}", f"cannot read {path}: {e.strerror}") from None
    for enc in ("utf-8-sig", "gb18030"):  # a notice copied from a web page on a Chinese Windows is often GBK
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise BadArgument("NOTICE", f"{path} 不是 UTF-8 或 GB18030 文本", f"{path} is neither UTF-8 nor GB18030 text")


def cmd_import(args: argparse.Namespace) -> int:
    from ..calendar_files import read_year_file
    from ..calendar_notice import month_grid, parse_notice

    if args.output and args.packs:
        raise BadArgument("-o", "-o 与 --packs 只能选一个", "give -o FILE or --packs DIR, not both")
    notice = parse_notice(_read_text(args.notice), args.year)
    text = notice.year_file(source=f"通知原文 notice text {Path(args.notice).name}")
    if args.output == "-":
        sys.stdout.write(text)
        target = None
    else:
        if args.output:
            target = Path(args.output)
        else:
            folder = pack_source(args).folder
            if folder is None:
                raise BadArgument(
                    "--packs",
                    "请用 -o 文件 或 --packs 县文件夹 指定写到哪里（不能写入已安装的随附数据）",
                    "give -o FILE or --packs COUNTY_FOLDER (the installed data is not written to)",
                )
            target = folder / "calendars" / f"{notice.year}.yaml"
        if target.exists() and not args.force:
            raise BadArgument(
                "-o", f"{target} 已存在；确认要替换请加 --force", f"{target} exists; add --force to replace it"
            )
        write_atomic(target, text, make_parents=True)
        read_year_file(target)  # what was written reads back (the same checks as loading it)
    out = sys.stderr if args.output == "-" else sys.stdout
    print(month_grid(notice.year, notice.holidays, notice.working_weekends), file=out)
    for s in notice.advice:
        print(f"不影响工作日的句子 a sentence that fixes no day: {s}", file=out)
    print(
        f"\n请对照通知原文核对上面的 {notice.year} 年日历 please check the grid against the notice. "
        f"放假 {len(notice.holidays)} 天 days off, 调休上班 {len(notice.working_weekends)} 天 working weekends"
        + (f" -> {target}" if target else ""),
        file=out,
    )
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from ..calendar import CalendarMissing
    from ..calendar_notice import month_grid

    cal = library_from(args).calendar
    print(_years_line(cal))
    if args.year is None:
        for y in cal.years():
            print(f"  {cal.source(y).describe()}")
        return 0
    try:
        s = cal.schedule(args.year)
    except CalendarMissing as e:
        raise e.for_question("calendar show") from None
    print(f"{s.source.describe()} {s.source.notice}".rstrip())
    print(month_grid(args.year, s.holidays, s.working_weekends))
    return 0


def _years_line(cal: WorkCalendar) -> str:
    return f"工作日历覆盖 calendar covers: {spans(cal.years())}"


def cmd_check(args: argparse.Namespace) -> int:
    """Covered years and their sources; with a roster, the years its check needs but the calendar lacks."""
    from ..calendar import IMPORT_COMMAND, IMPORT_COMMAND_EN

    lib = library_from(args)
    cal = lib.calendar
    print(_years_line(cal))
    for y in cal.years():
        src = cal.source(y)
        if src.origin != "shipped":
            print(f"  {src.describe()}")
    missing: dict[int, int] = {}
    if args.roster:
        from ..roster import read_roster
        from ..roster.check import check

        on = args.on or dt.date.today()
        report = check(read_roster(args.roster), lib, on)
        missing = report.calendar_missing()
        if missing:
            for y, n in missing.items():
                print(f"缺少 missing {y}: {n} 项核查需要 checks need it")
            print(f"加入方法 add it with: {IMPORT_COMMAND}  ({IMPORT_COMMAND_EN})")
        else:
            print(f"{args.roster} 截至 as of {on}: 所需年份齐全 every year it needs is covered")
    if args.year:
        for y in args.year:
            if not cal.covers(y):
                missing[y] = missing.get(y, 0)
                print(f"缺少 missing {y}; 加入方法 add it with: {IMPORT_COMMAND}")
    if missing:
        from ..exitcodes import CALENDAR_MISSING

        return CALENDAR_MISSING
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "calendar", help="工作日历 the working-day calendar: import next year's notice, show a year, check coverage"
    )
    verbs = p.add_subparsers(
        dest="verb", required=True, metavar="VERB", title="子命令 verbs", help="import | show | check"
    )
    imp = verbs.add_parser(
        "import",
        help="把国务院办公厅节假日安排通知导入为年份文件 read the State Council's holiday notice into a year file",
    )
    imp.add_argument("notice", metavar="NOTICE", help="通知原文（UTF-8 或 GBK 文本；- 为标准输入）the notice as text")
    imp.add_argument("-o", "--output", metavar="FILE", help="写到此文件（- 为标准输出）write the year file here")
    imp.add_argument("--year", type=int, help="年份（通知标题缺失时）the year, when the text has no title")
    imp.add_argument("--force", action="store_true", help="替换已有的年份文件 replace an existing year file")
    add_packs_option(imp)
    imp.set_defaults(func=cmd_import)

    show = verbs.add_parser("show", help="显示某年的日历和来源 show a year as month grids, and where it comes from")
    show.add_argument("year", type=int, nargs="?", metavar="YEAR", help="年份 the year (none: list every year)")
    add_packs_option(show)
    show.set_defaults(func=cmd_show)

    chk = verbs.add_parser(
        "check", help="列出覆盖的年份、来源和缺少的年份 covered years, their sources, and years a roster lacks"
    )
    chk.add_argument("roster", nargs="?", metavar="ROSTER", help="名册 a roster whose check needs some years")
    chk.add_argument(
        "--on",
        "--as-of",
        dest="on",
        type=date_arg,
        metavar="DATE",
        help="核查日期 the roster check's date YYYY-MM-DD (default today); --as-of is the same option 同 --on",
    )
    chk.add_argument("--year", type=int, action="append", help="也检查这一年 also require this year (repeatable)")
    add_packs_option(chk)
    chk.set_defaults(func=cmd_check)

