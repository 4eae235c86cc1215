"""The shipped calendar year files (src/villagepolicy/calendars/YYYY.yaml), generated from chinese-calendar.

    python tests/calendar_years.py --write   # (re)write them
    python tests/calendar_years.py           # exit 1 when a file differs from what chinese-calendar says

tests/test_calendar_files.py runs the check in CI, so the shipped data and chinese-calendar cannot drift apart.
"""

from __future__ import annotations

import sys
from pathlib import Path

import chinese_calendar

from villagepolicy.calendar_files import year_text

OUT = Path(__file__).resolve().parents[1] / "src" / "villagepolicy" / "calendars"

NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def years() -> list[int]:
    return sorted({d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays})


def expected(year: int) -> str:
    holidays = {d: NAMES_ZH[str(n)] for d, n in chinese_calendar.holidays.items() if d.year == year}
    weekends = [d for d in chinese_calendar.workdays if d.year == year]
    assert all(d.weekday() >= 5 for d in weekends), year
    version = getattr(chinese_calendar, "__version__", "")
    return year_text(
        year,
        holidays,
        weekends,
        source=f"chinese-calendar {version}".strip(),
        header=(
            f"{year} 年全国法定节假日和调休上班日（工作日历）the official schedule of {year}.\n"
            "由 chinese-calendar 生成，请勿手改；县里要改某年，请在县文件夹的 calendars/ 下放同名文件。\n"
            "Generated from chinese-calendar by tests/calendar_years.py --write; do not edit. A county overrides a\n"
            "year with a file of the same name in its own folder's calendars/."
        ),
    )


def main(argv: list[str]) -> int:
    write = "--write" in argv
    stale = []
    for year in years():
        path = OUT / f"{year}.yaml"
        text = expected(year)
        if write:
            OUT.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        elif not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(path.name)
    if stale:
        print("与 chinese-calendar 不一致 differ from chinese-calendar:", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
