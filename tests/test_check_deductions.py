"""Yangban 9: 每发现一人次，扣减所在镇党建工作考核0.2分、扣减选派单位党建工作考核0.2分，扣完为止（每项最多扣2分）.

Each person's escalation decision says what they cost; `villagepolicy check` adds the points up per town (the
people column 所在镇) and per dispatching unit (派出单位) and year, and caps each body's total at 2. A person
whose town is not given is listed under 未填所在镇, never dropped.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rosterkit import csv_roster, write_csv

from villagepolicy.cli import main

HEADER = ["编号", "姓名", "角色", "辖区", "村", "所在镇", "派出单位"]
PEOPLE = [
    ["p1", "张三", "第一书记", "yangban", "石门村", "石门镇", "县财政局"],
    ["p2", "李四", "工作队员", "yangban", "青山村", "石门镇", "县教育局"],
    ["p3", "王五", "工作队员", "yangban", "白云村", "白云乡", "县财政局"],
    ["p4", "赵六", "工作队员", "yangban", "红星村", "", "县教育局"],
]
FINDINGS = {"p1": 6, "p2": 5, "p3": 1, "p4": 1}  # absences on inspection without leave, in 2024


def roster(tmp_path: Path) -> Path:
    folder = csv_roster(tmp_path / "r", PEOPLE, people_header=HEADER)
    rows = [[pid, f"2024-{m + 1:02d}-10", "absent_on_inspection", "否"] for pid, n in FINDINGS.items()
            for m in range(n)]  # fmt: skip
    write_csv(folder / "事件.csv", ["人员编号", "日期", "类别", "履行请假手续"], rows)
    return folder


def check(tmp_path: Path, capsys: pytest.CaptureFixture, fmt: str) -> tuple[int, str]:
    code = main(["check", str(roster(tmp_path)), "--on", "2024-12-31", "--question", "escalation", "--format", fmt])
    return code, capsys.readouterr().out


def totals(data: dict) -> dict[tuple[str, str | None], tuple[str, int, bool]]:
    return {(d["organisation"], d["name"]): (d["total"], d["occurrences"], d["capped"]) for d in data["deductions"]}


def test_9_deductions_added_up_per_town_and_unit_and_capped_at_2(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code, out = check(tmp_path, capsys, "json")
    data = json.loads(out)
    assert totals(data) == {
        ("town_party_committee", "石门镇"): ("2", 11, True),  # 11 × 0.2 = 2.2, capped at 2
        ("town_party_committee", "白云乡"): ("0.2", 1, False),
        ("town_party_committee", None): ("0.2", 1, False),  # p4 gave no town: listed, not dropped
        ("dispatching_unit", "县财政局"): ("1.4", 7, False),
        ("dispatching_unit", "县教育局"): ("1.2", 6, False),
    }
    stone = next(d for d in data["deductions"] if d["name"] == "石门镇")
    assert stone["people"] == ["p1", "p2"] and stone["sum"] == "2.2" and stone["max_total"] == "2"
    assert stone["year"] == "2024" and stone["citation"]["clause"] == "9" and "扣完为止" in stone["citation"]["text_zh"]
    assert code == 1  # the findings themselves are violations (recall); the deductions add no exit code of their own


def test_9_the_text_report_names_each_body_and_says_when_the_cap_is_reached(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    _, out = check(tmp_path, capsys, "text")
    assert "扣分汇总（按单位）deductions by organisation:" in out
    stone = (
        "2024 所在镇党建工作考核（镇党委：石门镇）扣2分 已达上限"
        "（11次×0.2分，最多扣2分；人员 p1、p2；依据 yangban-2024 9）"
    )
    assert stone in out
    assert "（镇党委：未填所在镇）扣0.2分" in out and "人员 p4" in out
    assert "（选派单位：县财政局）扣1.4分" in out


def test_9_markdown_and_html_show_the_totals(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    _, md = check(tmp_path, capsys, "markdown")
    assert "**扣分汇总（按单位）deductions by organisation:**" in md and "石门镇" in md
    html = tmp_path / "report.html"
    main(["check", str(roster(tmp_path)), "--on", "2024-12-31", "--question", "escalation", "--format", "html",
          "-o", str(html)])  # fmt: skip
    page = html.read_text(encoding="utf-8")
    assert 'id="deductions"' in page and "石门镇" in page and "已达上限" in page


def test_a_county_without_deductions_reports_none(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    people = [[*row[:3], "shiquan", *row[4:]] for row in PEOPLE]
    folder = csv_roster(tmp_path / "s", people, people_header=HEADER)
    main(["check", str(folder), "--on", "2024-12-31", "--question", "escalation", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert data["deductions"] == []


def test_6_2_leave_approved_by_either_county_body_is_enough(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """6(2): 报县委组织部或者县乡村振兴局审批 — one of the two is the approval; the reviewers (队长签字、镇党委审核)
    need not be in the 审批人 column."""
    people = [["p1", "张三", "工作队员", "yangban", "石门村", "石门镇", "县财政局"],
              ["p2", "李四", "工作队员", "yangban", "石门村", "石门镇", "县财政局"],
              ["p3", "王五", "工作队员", "yangban", "石门村", "石门镇", "县财政局"]]  # fmt: skip
    folder = csv_roster(tmp_path / "r", people, people_header=HEADER)
    approver = {"p1": "县乡村振兴局", "p2": "县委组织部", "p3": "镇(乡)党委"}
    rows = [[p, f"2024-03-0{d}", "leave_approved", approver[p] if d == 1 else ""] for p in approver for d in (1, 2)]
    write_csv(folder / "attendance.csv", ["person_id", "date", "kind", "审批人"], rows)
    main(["check", str(folder), "--on", "2024-12-31", "--question", "leave_approval", "--format", "text"])
    out = capsys.readouterr().out
    assert "p1" not in out and "p2" not in out
    assert "p3 王五" in out and "缺少县委组织部或县乡村振兴局" in out


def test_6_2_a_roster_cell_takes_the_county_s_own_name_of_an_authority(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """样板县 calls town_party_committee 镇党委 (its jurisdiction's `authorities:`), and its reports print that name:
    an official typing it into 审批人 means that id."""
    folder = csv_roster(tmp_path / "r", [["p1", "张三", "工作队员", "yangban", "石门村", "石门镇", "县财政局"]],
                        people_header=HEADER)  # fmt: skip
    rows = [["p1", "2024-03-01", "leave_approved", "镇党委"]]  # one day: the town party committee approves
    write_csv(folder / "attendance.csv", ["person_id", "date", "kind", "审批人"], rows)
    code = main(["check", str(folder), "--on", "2024-12-31", "--question", "leave_approval", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["counts"]["violation"] == 0


def test_another_county_s_name_of_an_authority_is_refused_at_its_cell(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    folder = csv_roster(tmp_path / "r", [["p1", "张三", "工作队员", "shiquan", "红星村", "城关镇", "县财政局"]],
                        people_header=HEADER)  # fmt: skip
    write_csv(folder / "attendance.csv", ["person_id", "date", "kind", "审批人"],
              [["p1", "2022-03-01", "leave_approved", "选派单位"]])  # fmt: skip
    code = main(["check", str(folder), "--on", "2022-12-31", "--question", "leave_approval"])
    err = capsys.readouterr().err
    # 选派单位 is Yangban's name of the dispatching unit; Shiquan's is 派出单位(选派单位)
    assert code == 2 and "attendance.csv" in err and "'选派单位' 不是 shiquan 的机关名称" in err
