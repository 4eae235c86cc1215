"""Issue 19: the working-day calendar as data — year files, a county's own years, the notice import, and clear
answers past the data (CalendarMissing, exit 4, not-judged roster checks)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import chinese_calendar
import pytest
from calendar_years import NAMES_ZH
from hypothesis import given, settings
from hypothesis import strategies as st

import villagepolicy as vp
from villagepolicy.calendar import CalendarMissing, using, working_days_in_year
from villagepolicy.calendar_files import shipped_calendar
from villagepolicy.calendar_notice import NoticeError, parse_notice
from villagepolicy.cli import main

D = dt.date
HERE = Path(__file__).parent
NOTICE_2027 = HERE / "data" / "notice-2027-TEST-DATA.txt"  # test data in the standard format, not the real notice
ROOT = HERE.parent
ZH = NAMES_ZH  # chinese-calendar's holiday names in Chinese, as the shipped year files are written
WD = "一二三四五六日"


@pytest.fixture
def county(tmp_path: Path) -> Path:
    """A county folder holding only the 2027 year, imported from the (test) notice by the CLI."""
    folder = tmp_path / "county"
    assert main(["calendar", "import", str(NOTICE_2027), "--packs", str(folder)]) == 0
    return folder


# ── the shipped years are chinese-calendar's ──


def test_shipped_year_files_are_what_chinese_calendar_says() -> None:
    r = subprocess.run([sys.executable, str(HERE / "calendar_years.py")], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_every_shipped_year_has_chinese_calendars_working_days() -> None:
    for year in shipped_calendar().years():
        first = D(year, 1, 1)
        every = [first + dt.timedelta(i) for i in range((D(year + 1, 1, 1) - first).days)]
        expected = {d for d in every if chinese_calendar.is_workday(d)}
        assert working_days_in_year(year) == expected, year


# ── the notice import: the refusals ──


def notice_text(year: int, items: list[str]) -> str:
    return f"国务院办公厅关于{year}年部分节假日安排的通知\n" + "\n".join(items) + "\n"


def standard_items(year: int) -> list[str]:
    """chinese-calendar's year written out as the notice's items, in the standard format."""
    days = {d: ZH[str(n)] for d, n in chinese_calendar.holidays.items() if d.year == year and str(n) in ZH}
    runs: list[list[dt.date]] = []
    for d in sorted(days):
        gap = (d - runs[-1][-1]).days if runs else 0
        # chinese-calendar sometimes leaves out a weekend day inside a holiday (2011-06-05): the notice does not
        if runs and 0 < gap <= 2 and all((runs[-1][-1] + dt.timedelta(i)).weekday() >= 5 for i in range(1, gap)):
            last = runs[-1][-1]
            runs[-1].extend([last + dt.timedelta(i) for i in range(1, gap + 1)])
        else:
            runs.append([d])
    work = sorted(d for d in chinese_calendar.workdays if d.year == year)
    nums = "一二三四五六七八九十"
    items = []
    for i, run in enumerate(runs):
        a, b = run[0], run[-1]
        names = "、".join(dict.fromkeys(days[d] for d in run if d in days))
        when = f"{a.month}月{a.day}日（周{WD[a.weekday()]}）"
        if b != a:
            end = f"{b.day}日" if b.month == a.month else f"{b.month}月{b.day}日"
            when += f"至{end}（星期{WD[b.weekday()]}）"
        # each 调休 working day goes with the holiday nearest to it
        mine = [w for w in work if min(runs, key=lambda r: min(abs((w - x).days) for x in r)) is run]
        tail = ("、".join(f"{w.month}月{w.day}日（周{WD[w.weekday()]}）" for w in mine) + "上班。") if mine else ""
        items.append(f"{nums[i]}、{names}：{when}放假调休，共{len(run)}天。{tail}")
    return items


# Years whose notices name the seven holidays of today's law (2004–2007 had others), leaving out those whose
# late-December days belong to the next year's notice (元旦 from 30 December: 2018, 2022, 2023), and 2020, whose
# joint 国庆节、中秋节 chinese-calendar names 国庆节 only (its days are still compared, by the shipped-file test).
REGULAR = [y for y in range(2008, 2027) if y not in (2018, 2020, 2022, 2023)]


@settings(max_examples=len(REGULAR), deadline=None)
@given(st.sampled_from(REGULAR))
def test_past_notices_in_the_standard_format_import_to_chinese_calendars_days(year: int) -> None:
    n = parse_notice(notice_text(year, standard_items(year)))
    first = D(year, 1, 1)
    for d in (first + dt.timedelta(i) for i in range((D(year + 1, 1, 1) - first).days)):
        working = d in n.working_weekends or (d.weekday() < 5 and d not in n.holidays)
        assert working == chinese_calendar.is_workday(d), d


def test_notice_with_a_wrong_weekday_is_refused_naming_the_sentence() -> None:
    text = NOTICE_2027.read_text(encoding="utf-8").replace("1月1日（周五）", "1月1日（周四）")
    with pytest.raises(NoticeError) as e:
        parse_notice(text)
    assert any("1月1日（周四）至3日（周日）放假" in p and "不是周四" in p for p in e.value.problems)


def test_notice_with_a_wrong_total_is_refused() -> None:
    text = NOTICE_2027.read_text(encoding="utf-8").replace("放假调休，共9天", "放假调休，共8天")
    with pytest.raises(NoticeError) as e:
        parse_notice(text)
    assert any("共8天" in p and "9 天" in p for p in e.value.problems)


def test_notice_missing_a_holiday_is_refused() -> None:
    text = "\n".join(line for line in NOTICE_2027.read_text(encoding="utf-8").splitlines() if "端午节：" not in line)
    with pytest.raises(NoticeError) as e:
        parse_notice(text)
    assert any("缺少「端午节」" in p for p in e.value.problems)


def test_notice_naming_a_holiday_twice_is_refused() -> None:
    text = NOTICE_2027.read_text(encoding="utf-8").replace("六、中秋节：9月15日", "六、端午节：9月15日")
    with pytest.raises(NoticeError) as e:
        parse_notice(text)
    assert any("「端午节」出现了 2 次" in p for p in e.value.problems)


def test_notice_with_an_unreadable_sentence_is_refused_naming_it() -> None:
    text = NOTICE_2027.read_text(encoding="utf-8").replace("2月20日（周六）上班。", "2月20日另行通知。")
    with pytest.raises(NoticeError) as e:
        parse_notice(text)
    assert any("「2月20日另行通知」" in p for p in e.value.problems)


def test_notice_import_refusal_by_the_cli_exits_2_and_writes_nothing(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    bad = tmp_path / "bad.txt"
    bad.write_text(NOTICE_2027.read_text(encoding="utf-8").replace("（周五）", "（周一）"), encoding="utf-8")
    assert main(["calendar", "import", str(bad), "--packs", str(tmp_path / "c")]) == 2
    assert "不是周一" in capsys.readouterr().err
    assert not (tmp_path / "c").exists()


def test_notice_import_writes_the_year_and_prints_the_month_grid(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    assert main(["calendar", "import", str(NOTICE_2027), "--packs", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "2027年2月" in out and " 6休" in out and "20班" in out
    assert (tmp_path / "calendars" / "2027.yaml").is_file()
    assert main(["calendar", "import", str(NOTICE_2027), "--packs", str(tmp_path)]) == 2  # exists: --force replaces


# ── past the data ──


def test_a_missing_year_names_the_year_the_question_and_the_command() -> None:
    with pytest.raises(CalendarMissing) as e:
        vp.decide("shiquan", "term_and_handover", {"role": "team_member", "start_date": "2025-03-01",
                                                    "handover_start": "2027-02-01"}, on="2027-02-01")  # fmt: skip
    msg = str(e.value)
    assert e.value.year == 2027 and "term_and_handover" in msg and "villagepolicy calendar import" in msg


def test_a_missing_year_exits_4_and_is_json_under_json(capsys) -> None:  # noqa: ANN001
    facts = json.dumps({"role": "team_member", "start_date": "2025-03-01", "handover_start": "2027-02-01"})
    code = main(["decide", "shiquan", "term_and_handover", "--facts", facts, "--on", "2027-02-01", "--json"])
    assert code == 4
    err = json.loads(capsys.readouterr().out)
    assert err["error"] == "calendar_missing" and err["exit_code"] == 4 and "2027" in err["message_zh"]


def test_with_the_imported_year_a_shiquan_handover_in_early_2027_decides(county: Path) -> None:
    lib = vp.load(county)
    facts = {"role": "team_member", "start_date": "2025-03-01", "handover_start": "2027-02-01"}
    d = lib.decide("shiquan", "term_and_handover", facts, on="2027-02-01")
    # 15 working days from 2027-02-01 skip the (test) Spring Festival 02-06..14 and count 调休 Saturday 02-20
    assert d.handover_complete_on == D(2027, 2, 25)
    used = {c.year: c for c in d.calendar}
    assert used[2027].origin == "county" and used[2027].file.endswith("2027.yaml")


def test_with_the_imported_year_tongweis_yearly_stay_for_2027_decides(county: Path) -> None:
    lib = vp.load(county)
    with using(lib.calendar):
        wd = sorted(working_days_in_year(2027))
    records = [{"date": d.isoformat(), "kind": "in_village"} for d in wd[:200]]
    d = lib.decide("tongwei", "stay_compliance", {"role": "team_member", "period": "2027", "records": records},
                   on="2028-01-15")  # fmt: skip
    assert d.outcome in ("compliant", "non_compliant")
    assert [c.year for c in d.calendar] == [2027]


def test_without_it_tongweis_yearly_stay_for_2027_says_what_is_missing() -> None:
    records = [{"date": "2027-03-01", "kind": "in_village"}]
    with pytest.raises(CalendarMissing) as e:
        vp.decide("tongwei", "stay_compliance", {"role": "team_member", "period": "2027", "records": records},
                  on="2028-01-15")  # fmt: skip
    assert e.value.year == 2027 and e.value.question == "stay_compliance"


def test_a_county_year_that_changes_a_shipped_one_is_reported_as_an_override(tmp_path: Path) -> None:
    folder = tmp_path / "c" / "calendars"
    folder.mkdir(parents=True)
    text = (ROOT / "src" / "villagepolicy" / "calendars" / "2024.yaml").read_text(encoding="utf-8")
    (folder / "2024.yaml").write_text(text.replace("to: 2024-10-07", "to: 2024-10-08"), encoding="utf-8")
    lib = vp.load(tmp_path / "c")
    assert lib.calendar.source(2024).overrides_shipped
    d = lib.decide("shiquan", "term_and_handover", {"role": "team_member", "start_date": "2022-03-01",
                                                     "handover_start": "2024-09-26"}, on="2024-09-26")  # fmt: skip
    assert [c.overrides_shipped for c in d.calendar] == [True]


def test_a_county_year_equal_to_the_shipped_one_is_not_an_override(tmp_path: Path) -> None:
    folder = tmp_path / "c" / "calendars"
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "src" / "villagepolicy" / "calendars" / "2024.yaml", folder / "2024.yaml")
    assert vp.load(tmp_path / "c").calendar.source(2024).origin == "shipped"


def test_a_broken_county_year_file_is_named_with_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "c" / "calendars"
    folder.mkdir(parents=True)
    (folder / "2027.yaml").write_text("year: 2027\nnotice: {title: x}\nholidays:\n  - {name: 元旦, from: 2027-13-01, to: 2027-01-03}\n", encoding="utf-8")  # noqa: E501
    with pytest.raises(vp.PackError) as e:
        vp.load(tmp_path / "c")
    assert "2027.yaml:4:" in str(e.value)


def test_calendar_show_lists_years_and_sources(county: Path, capsys) -> None:  # noqa: ANN001
    capsys.readouterr()
    assert main(["calendar", "show", "--packs", str(county)]) == 0
    out = capsys.readouterr().out
    assert "2004–2027" in out and "2027: 县里加入 added by the county" in out


def test_calendar_check_names_a_missing_year_and_exits_4(capsys) -> None:  # noqa: ANN001
    assert main(["calendar", "check", "--year", "2027", "--installed"]) == 4
    assert "缺少 missing 2027" in capsys.readouterr().out


# ── roster checks never abort for it ──


@pytest.mark.parametrize("roster", sorted((ROOT / "examples" / "rosters").glob("*.xlsx")), ids=lambda p: p.stem)
def test_check_as_of_2027_03_01_runs_to_the_end_on_every_example_roster(roster: Path, county: Path, capsys) -> None:  # noqa: ANN001,E501
    code = main(["check", str(roster), "--on", "2027-03-01", "--installed", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code in (1, 4) and report["subjects"]
    missing = {m["year"] for m in report["calendar_missing"]}
    assert missing <= {2027}
    code = main(["check", str(roster), "--on", "2027-03-01", "--packs", str(county), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert report["calendar_missing"] == [] and code in (0, 1)


def test_a_roster_with_a_handover_planned_past_the_data_is_checked_and_names_the_year(tmp_path: Path, capsys) -> None:  # noqa: ANN001,E501
    from rosterkit import csv_roster

    header = ["id", "name", "role", "jurisdiction", "village", "stationed_from", "stationed_until", "handover_start"]
    people = [
        ["p1", "张三", "team_member", "shiquan", "红星村", "2026-03-01", "2028-11-30", "2028-10-20"],
        ["p2", "李四", "team_member", "shiquan", "红星村", "2025-03-01", "", ""],
    ]
    path = csv_roster(tmp_path / "roster", people, people_header=header)
    code = main(["check", str(path), "--on", "2026-12-02", "--installed", "--question", "term_and_handover"])
    out = capsys.readouterr().out
    assert "缺少工作日历 2028 年" in out and "calendar import" in out
    assert code in (1, 4)


def test_validate_checks_a_county_folders_calendar_files(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    folder = tmp_path / "c" / "calendars"
    folder.mkdir(parents=True)
    (folder / "2027.yaml").write_text("year: 2027\nnotice: {title: x}\nholidays: []\nworking_weekends: [2027-02-22]\n",
                                      encoding="utf-8")  # fmt: skip
    assert main(["validate", "--packs", str(tmp_path / "c")]) == 1
    assert "2027.yaml:4:" in capsys.readouterr().out  # 2027-02-22 is a Monday: not a weekend worked in exchange


def test_a_decision_date_after_today_warns_in_python_and_once_on_the_cli(capsys) -> None:  # noqa: ANN001
    later = (dt.date.today() + dt.timedelta(days=40)).isoformat()
    with pytest.warns(vp.FutureDateWarning, match="晚于今天"):
        vp.decide("shiquan", "leave_approval", {"role": "first_secretary", "days": 3}, on=later)
    facts = json.dumps({"role": "first_secretary", "days": 3})
    assert main(["decide", "shiquan", "leave_approval", "--facts", facts, "--on", later, "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["outcome"] and err.count("晚于今天") == 1
