"""Read the State Council's yearly holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知) into a year file.

The notice is regular: one numbered item per holiday, e.g.

    一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
    五、端午节：6月10日放假，与周末连休。

Every stated weekday is checked against its date, every 共N天 against the days listed, and each of the seven
holidays must appear exactly once. A sentence of an item that is not understood refuses the whole notice,
naming the sentence: a calendar is never half read. Sentences that only encourage (鼓励各单位……) fix no day;
they are listed back to the reader as such.
"""

from __future__ import annotations

import calendar as monthly
import datetime as dt
import re
from dataclasses import dataclass, field

from .calendar_files import SEVEN, year_text
from .errors import VillagePolicyError

__all__ = ["NoticeError", "ParsedNotice", "month_grid", "parse_notice"]

WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_NUM = "一二三四五六七八九十"
_ITEM = re.compile(rf"^\s*[{_NUM}]+[、.．]\s*(?P<names>[^：:。]{{1,40}}?)[：:](?P<body>.*)$")
_DATE = r"(?:(?P<{p}y>\d{{4}})年)?(?:(?P<{p}m>\d{{1,2}})月)?(?P<{p}d>\d{{1,2}})日(?:[（(](?P<{p}w>[^）)]*)[）)])?"
_RANGE = re.compile(
    "^" + _DATE.format(p="a") + "(?:(?:至|—|-|－|~|～)" + _DATE.format(p="b") + r")?放假(?:调休)?(?:(?P<one>\d+)天)?$"
)
_ONE_DATE = re.compile("^" + _DATE.format(p="a") + "$")
_TITLE = re.compile(r"关于\s*(\d{4})\s*年部分节假日安排的通知")
_NUMBER = re.compile(r"国办发明电\s*[〔\[（(]\s*\d{4}\s*[〕\]）)]\s*\d+\s*号")
_ISSUED = re.compile(r"^\s*(\d{4})年(\d{1,2})月(\d{1,2})日\s*$", re.M)
_TOTAL = re.compile(r"^共(\d+)天$")
_NO_EFFECT = ("与周末连休", "不调休", "调休")  # clauses of the first sentence that fix no further day
_ADVICE = ("鼓励",)  # sentences that fix no day (鼓励各单位……安排职工在除夕休息)


class NoticeError(VillagePolicyError, ValueError):
    """A notice that cannot be read fully or does not add up; `problems` names each sentence at fault."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("通知无法导入 the notice cannot be imported:\n" + "\n".join(f"  - {p}" for p in problems))


@dataclass
class ParsedNotice:
    year: int
    title: str
    number: str = ""
    issued: dt.date | None = None
    holidays: dict[dt.date, str] = field(default_factory=dict)  # day off -> holiday name
    working_weekends: list[dt.date] = field(default_factory=list)
    advice: list[str] = field(default_factory=list)  # sentences that fix no day

    def year_file(self, source: str) -> str:
        header = (
            f"{self.year} 年全国法定节假日和调休上班日（工作日历），由通知原文导入 imported from the notice text.\n"
            "导入时已核对星期、天数和七个节日 weekdays, totals and the seven holidays were checked on import."
        )
        return year_text(self.year, self.holidays, self.working_weekends, title=self.title, number=self.number,
                         issued=self.issued, source=source, header=header)  # fmt: skip


def _weekday_problem(day: dt.date, said: str | None, sentence: str) -> str | None:
    """A stated weekday (周四, 星期四, 农历腊月二十八、周日) that is not the date's own."""
    if not said:
        return None
    m = re.search(r"(?:周|星期)([一二三四五六日天])", said)
    if m is None:
        return None
    if WEEKDAYS[m.group(1)] != day.weekday():
        real = "一二三四五六日"[day.weekday()]
        return f"「{sentence}」：{day.month}月{day.day}日 是周{real}，不是周{m.group(1)} " \
               f"{day.isoformat()} is a {day.strftime('%A')}, not as stated"  # fmt: skip
    return None


def _date(m: re.Match[str], p: str, default_year: int, default_month: int | None, sentence: str) -> dt.date:
    year = int(m.group(f"{p}y")) if m.group(f"{p}y") else default_year
    month = int(m.group(f"{p}m")) if m.group(f"{p}m") else default_month
    if month is None:
        raise NoticeError([f"「{sentence}」：日期缺少月份 a date without its month"])
    try:
        return dt.date(year, month, int(m.group(f"{p}d")))
    except ValueError:
        day = m.group(f"{p}d")
        raise NoticeError([f"「{sentence}」：{year}年{month}月{day}日 不是有效日期 not a valid date"]) from None


def _sentences(body: str) -> list[str]:
    return [s.strip() for s in re.split(r"[。；;]", body) if s.strip()]


def _read_item(names: list[str], body: str, year: int, out: ParsedNotice, problems: list[str]) -> None:
    item = f"{'、'.join(names)}：{body.strip()}"
    sentences = _sentences(body)
    if not sentences:
        problems.append(f"「{item}」：没有放假日期 no days off stated")
        return
    first, *rest = sentences
    parts = [x.strip() for x in re.split(r"[，,]", first) if x.strip()]
    m = _RANGE.match(re.sub(r"\s+", "", parts[0]))
    if m is None:
        problems.append(f"「{first}」：无法识别放假日期 cannot read the days off ({item})")
        return
    try:
        a = _date(m, "a", year, None, first)
        b = _date(m, "b", a.year, a.month, first) if m.group("bd") else a
    except NoticeError as e:
        problems.extend(e.problems)
        return
    if b < a and not m.group("by"):  # 12月31日至1月2日: the end is in the next year
        b = b.replace(year=b.year + 1)
    if b < a:
        problems.append(f"「{first}」：结束日早于开始日 the last day is before the first")
        return
    for day, said in ((a, m.group("aw")), (b, m.group("bw") if m.group("bd") else None)):
        p = _weekday_problem(day, said, first)
        if p:
            problems.append(p)
    days = (b - a).days + 1
    stated = [int(m.group("one"))] if m.group("one") else []
    for extra in parts[1:]:
        t = _TOTAL.match(extra)
        if t:
            stated.append(int(t.group(1)))
        elif extra not in _NO_EFFECT:
            problems.append(f"「{first}」：无法识别「{extra}」 cannot read this part")
    for n in stated:
        if n != days:
            problems.append(
                f"「{first}」：写明共{n}天，但 {a.isoformat()} 至 {b.isoformat()} 是 {days} 天 "
                f"states {n} days but lists {days}"
            )
    name = "、".join(names)
    for i in range(days):
        d = a + dt.timedelta(days=i)
        if d in out.holidays:
            problems.append(f"「{first}」：{d.isoformat()} 已在「{out.holidays[d]}」中放假 already a day off")
        out.holidays[d] = name
    for s in rest:
        if s.startswith(_ADVICE):
            out.advice.append(s)
            continue
        if not s.endswith("上班"):
            problems.append(f"「{s}」：无法识别 cannot read this sentence ({name})")
            continue
        for piece in re.split(r"[、，,和及]", s.removesuffix("上班")):
            piece = re.sub(r"\s+", "", piece)
            if not piece:
                continue
            d_m = _ONE_DATE.match(piece)
            if d_m is None:
                problems.append(f"「{s}」：无法识别上班日期「{piece}」 cannot read the working day")
                continue
            try:
                d = _date(d_m, "a", year, None, s)
            except NoticeError as e:
                problems.extend(e.problems)
                continue
            p = _weekday_problem(d, d_m.group("aw"), s)
            if p:
                problems.append(p)
            if d.weekday() < 5:
                problems.append(f"「{s}」：{d.isoformat()} 不是周末，无需调休上班 is not a weekend day")
            out.working_weekends.append(d)


def parse_notice(text: str, year: int | None = None) -> ParsedNotice:
    """The notice's year schedule; NoticeError listing every sentence that cannot be read or does not add up."""
    title_m = _TITLE.search(text)
    if year is None:
        if title_m is None:
            raise NoticeError(
                [
                    "找不到年份：通知标题应含「关于YYYY年部分节假日安排的通知」，或用 --year 指定 "
                    "cannot tell the year: no title '关于YYYY年部分节假日安排的通知'; give --year"
                ]
            )
        year = int(title_m.group(1))
    elif title_m is not None and int(title_m.group(1)) != year:
        raise NoticeError([f"通知标题是 {title_m.group(1)} 年，不是 --year {year} the title names another year"])
    title = f"国务院办公厅关于{year}年部分节假日安排的通知"
    number_m = _NUMBER.search(text)
    out = ParsedNotice(year, title, re.sub(r"\s+", "", number_m.group(0)) if number_m else "")
    issued = [dt.date(int(y), int(mo), int(d)) for y, mo, d in _ISSUED.findall(text)]
    out.issued = issued[-1] if issued else None  # the date under the signature, the notice's last line
    problems: list[str] = []
    seen: dict[str, int] = {}
    for line in text.splitlines():
        m = _ITEM.match(line)
        if m is None:
            continue
        names = [n.strip() for n in re.split(r"[、，,和]", m.group("names")) if n.strip()]
        for n in names:
            seen[n] = seen.get(n, 0) + 1
        _read_item(names, m.group("body"), year, out, problems)
    for n in SEVEN:
        if seen.get(n, 0) == 0:
            problems.append(f"缺少「{n}」的安排 the notice has no item for {n}")
        elif seen[n] > 1:
            problems.append(f"「{n}」出现了 {seen[n]} 次 {n} appears {seen[n]} times")
    for d in out.working_weekends:
        if d in out.holidays:
            problems.append(f"{d.isoformat()} 既放假又上班 is both a day off and a working day")
    if len(set(out.working_weekends)) != len(out.working_weekends):
        problems.append("同一个上班日写了两次 a working day is listed twice")
    if problems:
        raise NoticeError(problems)
    out.working_weekends.sort()
    return out


def month_grid(year: int, holidays: set[dt.date] | dict[dt.date, str], working: set[dt.date] | list[dt.date]) -> str:
    """The year as twelve month grids, 休 on days off and 班 on 调休 working weekends, for a person to confirm."""
    off, on = set(holidays), set(working)
    lines: list[str] = [f"{year} 年  休 = 放假 day off · 班 = 调休上班 working weekend"]
    for month in range(1, 13):
        lines += ["", f"{year}年{month}月", "   ".join("一二三四五六日")]
        for week in monthly.monthcalendar(year, month):
            cells = []
            for d in week:
                if d == 0:
                    cells.append("    ")
                    continue
                day = dt.date(year, month, d)
                mark = "休" if day in off else "班" if day in on else "  "
                cells.append(f"{d:>2}{mark}")
            lines.append(" ".join(cells).rstrip())
    return "\n".join(lines)
