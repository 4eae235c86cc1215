"""Roster checks read against the documents (issue 14, items 10-20): for each, a person or village that
must be reported and a borderline one that must not. Every test goes through `villagepolicy check`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from rosterkit import csv_roster, daily, person, write_csv

from villagepolicy.cli import main
from villagepolicy.roster.report_json import expand


def run_json(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, dict]:
    code = main(["check", *args, "--format", "json"])
    captured = capsys.readouterr()
    assert code != 2, captured.err
    data = json.loads(captured.out)
    data["results"] = expand(data)  # version 1's flat results (roster.report_json.expand)
    return code, data


def by_subject(data: dict, question: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in data["results"]:
        if r["question"] == question:
            out.setdefault(r["subject"], []).append(r)
    return out


def severities(results: list[dict]) -> list[str]:
    return [f["severity"] for r in results for f in r["findings"]]


# ── item 10: Shiquan 13(4) 不得评为优秀 / 不得评为称职(合格)以上 ──
def test_shiquan_13_4_recorded_excellent_after_two_absences_is_a_violation(tmp_path: Path, capsys) -> None:
    folder = csv_roster(tmp_path / "r", [person("p1", "张三"), person("p2", "李四")])
    events = [["p1", f"2022-0{m}-10", "absent_on_inspection", "否"] for m in (3, 6)]
    events += [["p2", "2022-03-10", "absent_on_inspection", "否"]]  # one finding: 批评教育, no cap
    write_csv(folder / "events.csv", ["person_id", "date", "kind", "leave_procedure_followed"], events)
    write_csv(folder / "appraisals.csv", ["person_id", "year", "grade", "months_stationed"],
              [["p1", 2022, "优秀", 12], ["p2", 2022, "优秀", 12]])  # fmt: skip
    code, data = run_json(capsys, str(folder), "--as-of", "2023-01-01", "--question", "appraisal_grade")
    res = by_subject(data, "appraisal_grade")
    assert code == 1
    (bad,) = [f for r in res["p1"] for f in r["findings"] if f["rule"] == "grade_cap"]
    assert bad["severity"] == "violation" and "不得评为" in bad["message_zh"]
    assert any("不得评为优秀" in c["text_zh"] for c in bad["citations"])
    assert "violation" not in severities(res["p2"])


# ── item 11: Shiquan 13(2) 未履行请销假手续的按违纪论处 ──
def test_shiquan_13_2_unapproved_leave_days_are_the_unapproved_leave_violation(tmp_path: Path, capsys) -> None:
    att = daily("p1", dt.date(2022, 1, 1), 59) + daily("p1", dt.date(2022, 3, 1), 2, "leave_unapproved")
    att += daily("p2", dt.date(2022, 1, 1), 59) + daily("p2", dt.date(2022, 3, 1), 2, "leave_approved")
    folder = csv_roster(tmp_path / "r", [person("p1", "张三"), person("p2", "李四")], att)
    code, data = run_json(capsys, str(folder), "--as-of", "2023-01-01", "--question", "escalation",
                          "--question", "leave_approval")  # fmt: skip
    esc, leave = by_subject(data, "escalation"), by_subject(data, "leave_approval")
    assert code == 1
    assert "violation" in severities(esc["p1"]) and esc["p1"][0]["outcome"] != "none"
    assert esc["p2"][0]["outcome"] == "none"
    # the unapproved days are not a leave request to approve; the approved ones are
    assert [r["outcome"] for r in leave["p1"]] == ["none"] and leave["p1"][0]["period"] is None
    assert leave["p2"][0]["period"] == "2022-03-01..2022-03-02"


def test_shiquan_13_2_unapproved_leave_recorded_twice_is_one_violation(tmp_path: Path, capsys) -> None:
    att = daily("p1", dt.date(2022, 3, 1), 2, "leave_unapproved")
    folder = csv_roster(tmp_path / "r", [person("p1", "张三")], att)
    write_csv(folder / "events.csv", ["person_id", "date", "kind"], [["p1", "2022-03-02", "unapproved_leave"]])
    code, data = run_json(capsys, str(folder), "--as-of", "2023-01-01", "--question", "escalation")
    (r,) = by_subject(data, "escalation")["p1"]
    assert code == 1 and r["decided"].get("counts", {}).get("unapproved_leave_count", 1) == 1


# ── item 12: Tongwei 4, a first secretary who leads the team meets the leader's rank rule ──
def test_tongwei_4_first_secretary_leading_the_team_needs_a_section_rank(tmp_path: Path, capsys) -> None:
    header = ["id", "name", "role", "jurisdiction", "village", "leads_team", "rank", "unit_level"]
    rows = [
        ["p1", "张三", "first_secretary", "tongwei", "红星村", "是", "none", "county"],
        ["p2", "李四", "first_secretary", "tongwei", "白云村", "是", "section_reserve", "county"],
        ["p3", "王五", "first_secretary", "tongwei", "青山村", "否", "none", "county"],
    ]
    folder = csv_roster(tmp_path / "r", rows, people_header=header)
    code, data = run_json(capsys, str(folder), "--as-of", "2019-06-01", "--question", "eligibility")
    res = by_subject(data, "eligibility")
    lead = {pid: [r for r in rs if r["period"] == "兼任队长 as team_leader"] for pid, rs in res.items()}
    assert code == 1
    assert lead["p1"] and lead["p1"][0]["outcome"] == "ineligible" and "violation" in severities(lead["p1"])
    assert any(c["clause"] == "4" for f in lead["p1"][0]["findings"] for c in f["citations"])
    assert lead["p2"] and "violation" not in severities(lead["p2"])
    assert lead["p3"] == []  # does not lead: the leader's rules are not asked


# ── item 13: Tongwei 28, 80-89分为称职: a given 优秀 outside the band, and the 20% quota ──
def test_tongwei_28_given_grade_outside_the_band_is_a_violation_and_uses_the_quota(tmp_path: Path, capsys) -> None:
    people = [person(f"p{i}", f"人{i}", "team_member", "tongwei") for i in range(5)]
    folder = csv_roster(tmp_path / "r", people)
    rows = [["p0", 2019, 85, "优秀", 12], ["p1", 2019, 95, "称职", 12], ["p2", 2019, 95, "优秀", 12],
            ["p3", 2019, 70, "基本称职", 12], ["p4", 2019, 70, "基本称职", 12]]  # fmt: skip
    write_csv(folder / "appraisals.csv", ["person_id", "year", "score", "grade", "months_stationed"], rows)
    code, data = run_json(capsys, str(folder), "--as-of", "2020-01-01", "--question", "appraisal_grade",
                          "--question", "appraisal_roster")  # fmt: skip
    res = by_subject(data, "appraisal_grade")
    assert code == 1
    assert "violation" in severities(res["p0"])  # 85 is 称职's band, stated without 可
    assert "violation" not in severities(res["p1"])  # 95 可评为优秀: a lower grade is a person's call
    (county,) = data["results"][-1:]
    quota = county["decided"]["summary"]["quotas"]
    individual = next(q for q in quota if q["subject"] == "individual")
    assert individual["used"] == 2  # p0's recorded 优秀 counts, with p2's


# ── item 14: Tongwei 24, 经市、县委组织部门批准后,可调整更换 ──
def test_tongwei_24_unapproved_early_departure_is_a_violation(tmp_path: Path, capsys) -> None:
    header = ["id", "name", "role", "jurisdiction", "village", "stationed_from", "stationed_until", "exit_reason",
              "departure_approved"]  # fmt: skip
    rows = [
        ["p1", "张三", "first_secretary", "tongwei", "红星村", "2018-06-01", "2019-05-31", "special_difficulty", "否"],
        ["p2", "李四", "first_secretary", "tongwei", "白云村", "2018-06-01", "2019-05-31", "special_difficulty", "是"],
        ["p3", "王五", "first_secretary", "tongwei", "青山村", "2018-06-01", "2019-05-31", "special_difficulty", ""],
    ]
    folder = csv_roster(tmp_path / "r", rows, people_header=header)
    code, data = run_json(capsys, str(folder), "--as-of", "2019-06-01", "--question", "term_and_handover")
    res = by_subject(data, "term_and_handover")
    assert code == 1
    assert "violation" in severities(res["p1"])
    assert any("县委组织部" in f["message_zh"] for f in res["p1"][0]["findings"])
    assert "violation" not in severities(res["p2"]) and "warning" not in severities(res["p2"])
    assert [s for s in severities(res["p3"]) if s != "manual_check"] == ["warning"]  # not recorded


# ── item 15: a vacant post is a finding about the village; the rest is still checked ──
def test_tongwei_3_village_without_first_secretary_is_reported_not_refused(tmp_path: Path, capsys) -> None:
    header = ["id", "name", "role", "jurisdiction", "village", "village_tags", "dispatched_by_town", "leads_team"]
    rows = [
        ["p1", "张三", "first_secretary", "tongwei", "红星村", "registered_poor", "否", "是"],
        ["p2", "李四", "team_member", "tongwei", "红星村", "registered_poor", "否", ""],
        ["p5", "孙八", "team_member", "tongwei", "红星村", "registered_poor", "否", ""],
        ["p3", "王五", "team_member", "tongwei", "白云村", "registered_poor", "否", "是"],
        ["p4", "赵六", "team_member", "tongwei", "白云村", "registered_poor", "否", ""],
    ]
    folder = csv_roster(tmp_path / "r", rows, people_header=header)
    code, data = run_json(capsys, str(folder), "--as-of", "2019-06-01", "--question", "team_composition")
    res = by_subject(data, "team_composition")
    assert code == 1
    vacant = [f for f in res["白云村"][0]["findings"] if f["severity"] == "violation"]
    assert vacant and "岗位空缺" in vacant[0]["message_zh"] and "第一书记" in vacant[0]["message_zh"]
    assert "violation" not in severities(res["红星村"])


# ── item 17: Shiquan 13(2) tiers and Tongwei 14's chain and 备案 ──
def test_shiquan_13_2_leave_of_7_days_approved_by_the_town_is_the_wrong_authority(tmp_path: Path, capsys) -> None:
    folder = csv_roster(
        tmp_path / "r", [person("p1", "张三", "first_secretary"), person("p2", "李四", "first_secretary")]
    )
    rows = [["p1", f"2022-03-0{d}", "leave_approved", "镇(乡)党委" if d == 1 else ""] for d in range(1, 8)]
    rows += [["p2", f"2022-03-0{d}", "leave_approved", "县委组织部" if d == 1 else ""] for d in range(1, 8)]
    write_csv(folder / "attendance.csv", ["person_id", "date", "kind", "审批人"], rows)
    code, data = run_json(capsys, str(folder), "--as-of", "2023-01-01", "--question", "leave_approval")
    res = by_subject(data, "leave_approval")
    assert code == 1
    assert "violation" in severities(res["p1"]) and "县委组织部" in res["p1"][0]["findings"][0]["message_zh"]
    assert severities(res["p2"]) == []


def test_tongwei_14_leader_leave_of_5_days_must_be_filed_with_the_dispatching_unit(tmp_path: Path, capsys) -> None:
    people = [person(f"p{i}", f"人{i}", "first_secretary", "tongwei") for i in (1, 2)]
    folder = csv_roster(tmp_path / "r", people)
    chain = "town_party_secretary,county_leading_group_office"
    rows = [["p1", f"2019-03-0{d}", "leave_approved", chain if d == 1 else "", ""] for d in range(1, 6)]
    rows += [["p2", f"2019-03-0{d}", "leave_approved", chain if d == 1 else "", "派出单位" if d == 1 else ""]
             for d in range(1, 6)]  # fmt: skip
    write_csv(folder / "attendance.csv", ["person_id", "date", "kind", "approved_by", "filed_with"], rows)
    code, data = run_json(capsys, str(folder), "--as-of", "2020-01-01", "--question", "leave_approval")
    res = by_subject(data, "leave_approval")
    assert code == 1
    assert "violation" in severities(res["p1"]) and "备案" in res["p1"][0]["findings"][0]["message_zh"]
    assert severities(res["p2"]) == []


# ── item 19: Shiquan 12 吃住在村 and the 3 km night rota; Tongwei 13 ──
def test_shiquan_12_lodging_and_the_3km_night_rota(tmp_path: Path, capsys) -> None:
    header = ["id", "name", "role", "jurisdiction", "village", "village_within_3km", "lodges_in_village", "night_duty"]
    rows = [
        ["p1", "张三", "first_secretary", "shiquan", "红星村", "否", "否", ""],  # must live in: reported
        ["p2", "李四", "team_member", "shiquan", "红星村", "否", "是", ""],
        ["p3", "王五", "first_secretary", "shiquan", "白云村", "是", "否", "是"],  # within 3 km: one on duty
        ["p4", "赵六", "team_member", "shiquan", "白云村", "是", "否", "否"],
        ["p5", "钱七", "first_secretary", "shiquan", "青山村", "是", "否", "是"],  # two on duty: enough
        ["p6", "孙八", "team_member", "shiquan", "青山村", "是", "否", "是"],
    ]
    folder = csv_roster(tmp_path / "r", rows, people_header=header)
    code, data = run_json(capsys, str(folder), "--as-of", "2023-01-01", "--question", "stay_requirement")
    res = by_subject(data, "stay_requirement")
    assert code == 1
    assert severities(res["p1"]) == ["violation"] and severities(res["p2"]) == []
    assert "p3" not in res  # within 3 km: lodging is the rota's question
    assert severities(res["白云村"]) == ["violation"] and severities(res["青山村"]) == []
    assert any(c["clause"] == "12" for f in res["p1"][0]["findings"] for c in f["citations"])


def test_tongwei_13_must_eat_and_live_in_the_village_whatever_the_distance(tmp_path: Path, capsys) -> None:
    header = ["id", "name", "role", "jurisdiction", "village", "village_within_3km", "吃住在村"]
    rows = [
        ["p1", "张三", "first_secretary", "tongwei", "红星村", "是", "否"],
        ["p2", "李四", "team_member", "tongwei", "红星村", "是", "是"],
    ]
    folder = csv_roster(tmp_path / "r", rows, people_header=header)
    code, data = run_json(capsys, str(folder), "--as-of", "2019-06-01", "--question", "stay_requirement")
    res = by_subject(data, "stay_requirement")
    assert code == 1 and severities(res["p1"]) == ["violation"] and severities(res["p2"]) == []
    assert any(c["clause"] == "13" for f in res["p1"][0]["findings"] for c in f["citations"])


def test_shiquan_12_lodging_without_the_village_location_is_not_judged(tmp_path: Path, capsys) -> None:
    header = ["id", "name", "role", "jurisdiction", "village", "lodges_in_village"]
    folder = csv_roster(
        tmp_path / "r", [["p1", "张三", "first_secretary", "shiquan", "红星村", "否"]], people_header=header
    )
    code, data = run_json(capsys, str(folder), "--as-of", "2023-01-01", "--question", "stay_requirement")
    (r,) = data["results"]
    assert (
        code == 0 and r["outcome"] == "not_judged" and "km_from_town_seat" in r["decided"]["not_judged"]["message_en"]
    )


def test_roster_without_lodging_columns_is_not_asked_about_lodging(tmp_path: Path, capsys) -> None:
    folder = csv_roster(tmp_path / "r", [person("p1", "张三", "first_secretary")])
    code, data = run_json(capsys, str(folder), "--as-of", "2023-01-01", "--question", "stay_requirement")
    assert code == 0 and data["results"] == []


# ── item 20: every check that could not be judged is listed, with why ──
def test_a_check_dated_after_everyone_left_lists_what_was_not_judged(tmp_path: Path, capsys) -> None:
    header = ["id", "name", "role", "jurisdiction", "village", "stationed_from", "stationed_until", "乡镇选派"]
    rows = [
        ["p1", "张三", "first_secretary", "shiquan", "红星村", "2021-01-01", "2022-12-31", "否"],
        ["p2", "李四", "team_member", "shiquan", "白云村", "2021-01-01", "2024-12-31", "否"],
    ]
    folder = csv_roster(tmp_path / "r", rows, people_header=header)
    code, data = run_json(capsys, str(folder), "--as-of", "2024-01-01", "--question", "stay_compliance",
                          "--question", "team_composition")  # fmt: skip
    stay, team = by_subject(data, "stay_compliance"), by_subject(data, "team_composition")
    assert [r["outcome"] for r in stay["p1"]] == ["not_judged"]
    assert "2022-12-31" in stay["p1"][0]["decided"]["not_judged"]["message_zh"]
    assert all(r["outcome"] != "not_judged" for r in stay["p2"])  # stationed in 2023: judged
    assert team["红星村"][0]["outcome"] == "not_judged" and team["白云村"][0]["outcome"] != "not_judged"
    for fmt, said in (("text", "未能判定的核查 checks not judged"), ("markdown", "未能判定的核查 checks not judged: 1"),
                      ("junit", 'skipped message="not_judged: ')):  # fmt: skip
        main(["check", str(folder), "--as-of", "2024-01-01", "--question", "stay_compliance", "--format", fmt])
        assert said in capsys.readouterr().out, fmt


def test_one_old_grade_triggers_its_escalation_once_across_appraisal_years(tmp_path: Path, capsys) -> None:
    folder = csv_roster(tmp_path / "r", [person("p1", "张三")])
    write_csv(folder / "appraisals.csv", ["person_id", "year", "grade", "months_stationed"],
              [["p1", 2021, "不称职", 12]])  # fmt: skip
    code, data = run_json(capsys, str(folder), "--as-of", "2023-06-30", "--from", "2021-06-30",
                          "--question", "escalation")  # fmt: skip
    results = by_subject(data, "escalation")["p1"]
    triggered = [r for r in results if r["findings"]]
    assert code == 1 and len(results) >= 2 and len(triggered) == 1
    assert all(r["decided"].get("same_as") == triggered[0]["period"] for r in results if r is not triggered[0]
               and r["outcome"] == triggered[0]["outcome"])  # fmt: skip


# ── item 18: Tongwei 39.3 连续两月驻村天数少于规定要求, from the attendance alone ──
def _two_days_a_week(pid: str, months: tuple[int, ...]) -> list[list[str]]:
    days = [dt.date(2019, m, 1) + dt.timedelta(days=n) for m in months for n in range(31)]
    return [[pid, d.isoformat(), "in_village"] for d in days if d.month in months and d.weekday() < 2]


def _every_working_day(pid: str, months: tuple[int, ...]) -> list[list[str]]:
    from villagepolicy.calendar import is_working_day

    days = [dt.date(2019, m, 1) + dt.timedelta(days=n) for m in months for n in range(31)]
    return [[pid, d.isoformat(), "in_village"] for d in days if d.month in months and is_working_day(d)]


def test_tongwei_39_3_two_short_months_in_the_attendance_recall_without_events(tmp_path: Path, capsys) -> None:
    people = [person("p1", "张三", "team_member", "tongwei"), person("p2", "李四", "team_member", "tongwei")]
    att = _two_days_a_week("p1", (3, 4)) + _every_working_day("p2", (3, 4))
    folder = csv_roster(tmp_path / "r", people, att)
    code, data = run_json(capsys, str(folder), "--as-of", "2019-05-01", "--from", "2019-03-01",
                          "--question", "escalation")  # fmt: skip
    res = by_subject(data, "escalation")
    assert code == 1
    assert res["p1"][0]["outcome"] == "recall" and "tw-esc-39-3-months" in res["p1"][0]["rules"]
    assert res["p2"][0]["outcome"] == "none"  # every working day in the village: nothing derived


def test_tongwei_39_3_events_and_attendance_that_disagree_are_reported(tmp_path: Path, capsys) -> None:
    people = [person("p1", "张三", "team_member", "tongwei"), person("p2", "李四", "team_member", "tongwei")]
    att = _two_days_a_week("p1", (3,)) + _two_days_a_week("p2", (3,))
    folder = csv_roster(tmp_path / "r", people, att)
    p1_days = len(_two_days_a_week("p1", (3,)))
    write_csv(folder / "events.csv", ["person_id", "date", "kind", "month", "days", "justified"],
              [["p1", "2019-03-31", "stay_shortfall_month", "2019-03", 20, "否"],
               ["p2", "2019-03-31", "stay_shortfall_month", "2019-03", p1_days, "否"]])  # fmt: skip
    code, data = run_json(capsys, str(folder), "--as-of", "2019-04-01", "--from", "2019-03-01",
                          "--question", "escalation", "--fail-on", "manual_check")  # fmt: skip
    res = by_subject(data, "escalation")
    assert code == 1
    (note,) = [f for f in res["p1"][0]["findings"] if f["rule"] == "stay_shortfall_month"]
    assert note["severity"] == "manual_check" and "考勤显示在村" in note["message_zh"]
    assert not [f for f in res["p2"][0]["findings"] if f["rule"] == "stay_shortfall_month"]


# ── item 16: Tongwei 28 team grades and the 30% team quota ──
def test_tongwei_28_team_rows_are_graded_and_the_fourth_excellent_team_of_ten_is_over_30_percent(
    tmp_path: Path, capsys
) -> None:
    villages = [f"村{i}" for i in range(10)]
    people = [person(f"p{i}", f"人{i}", "first_secretary", "tongwei", v) for i, v in enumerate(villages)]
    folder = csv_roster(tmp_path / "r", people)
    scores = [96, 94, 92, 91, 85, 80, 75, 70, 66, 62]  # four teams at 90+: one over 30% of ten
    rows = [["", 2019, "team", v, s] for v, s in zip(villages, scores, strict=True)]
    rows.append(["p0", 2019, "individual", "", 95])  # a person's row beside the teams' is no duplicate
    write_csv(folder / "appraisals.csv", ["person_id", "year", "subject", "工作队", "score", "months_stationed"],
              [r + [12 if r[2] == "individual" else ""] for r in rows])  # fmt: skip
    code, data = run_json(capsys, str(folder), "--as-of", "2020-01-01", "--question", "appraisal_roster",
                          "--fail-on", "warning")  # fmt: skip
    teams = {r["subject"]: r for r in data["results"] if r["question"] == "appraisal_grade"}
    assert set(teams) == set(villages) and teams["村0"]["decided"]["grade"] == "excellent"
    assert teams["村9"]["decided"]["grade"] == "average"  # 62: 60—79分为一般
    (county,) = [r for r in data["results"] if r["question"] == "appraisal_roster"]
    (over,) = [f for f in county["findings"] if "30%" in f["message_zh"]]
    assert code == 1 and over["severity"] == "warning"  # 原则上掌握在30%以内: flagged, not enforced
    assert "村3工作队" in over["message_zh"] and "村2工作队" not in over["message_zh"]


def test_a_second_team_appraisal_of_one_village_and_year_is_a_bad_row(tmp_path: Path, capsys) -> None:
    folder = csv_roster(tmp_path / "r", [person("p1", "张三", "first_secretary", "tongwei")])
    write_csv(folder / "appraisals.csv", ["year", "subject", "village", "score"],
              [[2019, "team", "红星村", 90], [2019, "工作队", "红星村", 80], [2019, "team", "白云村", 80]])  # fmt: skip
    assert main(["check", str(folder), "--as-of", "2020-01-01"]) == 2
    err = capsys.readouterr().err
    assert "appraisals:3:year: 同一工作队同一年度重复考核" in err
    assert "appraisals:4:village: 人员表中没有此村 no village '白云村'" in err
