"""Reading rosters: xlsx, CSV folders, YAML/JSON, attendance in its own CSV or Parquet; bad cells located."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from rosterkit import PEOPLE_HEADER, csv_roster, daily, person, workbook, write_csv

from villagepolicy.cli import main
from villagepolicy.roster import RosterError, read_roster


def problems_of(path: Path, **kw) -> list[str]:
    with pytest.raises(RosterError) as e:
        read_roster(path, **kw)
    return e.value.problems


def test_xlsx_with_english_headers(tmp_path: Path) -> None:
    wb = workbook(
        tmp_path / "r.xlsx",
        {
            "people": [
                PEOPLE_HEADER + ["birth_date", "village_tags"],
                person("p1", "张三") + ["1985-03-01", "脱贫村,重点村"],
            ],
            "attendance": [["person_id", "date", "kind"], ["p1", dt.date(2022, 1, 3), "in_village"]],
        },
    )
    r = read_roster(wb)
    assert r.people[0].values["birth_date"] == dt.date(1985, 3, 1)
    assert r.people[0].values["village_tags"] == ["poverty_alleviated", "key_village"]
    assert r.attendance["p1"] == [(dt.date(2022, 1, 3), "in_village", 2)]


def test_xlsx_with_chinese_sheet_names_headers_and_values(tmp_path: Path) -> None:
    wb = workbook(
        tmp_path / "名册.xlsx",
        {
            "人员": [
                ["编号", "姓名", "角色", "辖区", "村", "政治面貌", "身体条件"],
                [101, "王五", "第一书记", "shiquan", "白云村", "中共党员", "是"],
            ],
            "考勤": [["人员编号", "日期", "类别"], [101, "2022年3月1日", "开会"]],
            "说明": [["填表说明：……"]],
        },
    )
    r = read_roster(wb)
    p = r.people[0].values
    # An id typed as a number in Excel reads back as the text "101", matching the attendance sheet.
    assert p["id"] == "101" and p["role"] == "first_secretary" and p["party_status"] == "full_member"
    assert p["fit_for_duty"] is True
    assert r.attendance["101"] == [(dt.date(2022, 3, 1), "meeting", 2)]


def test_bad_xlsx_cell_is_located_by_file_sheet_row_and_column(tmp_path: Path) -> None:
    wb = workbook(
        tmp_path / "r.xlsx",
        {
            "people": [
                PEOPLE_HEADER + ["birth_date"],
                person("p1", "张三") + ["1985-02-30"],
                person("p2", "李四", "队长"),
            ],
            "attendance": [["person_id", "date", "kind"], ["p1", "2022-01-03", "vacation"]],
        },
    )
    probs = problems_of(wb)
    assert f"{wb}:people:2:F(birth_date): 不是日期 not a date (YYYY-MM-DD): '1985-02-30'" in probs
    assert any(p.startswith(f"{wb}:attendance:2:C(kind): 不是允许的值") and "'vacation'" in p for p in probs)
    assert len(probs) == 2  # 队长 is a known spelling of team_leader


def test_bad_csv_cells_are_all_reported_with_their_line(tmp_path: Path) -> None:
    folder = csv_roster(
        tmp_path / "r",
        [person("p1", "张三"), person("p1", "王五"), ["p3", "", "team_member", "shiquan", "红星村"]],
        [["p1", "2022-01-03", "in_village"], ["p9", "2022-01-04", "in_village"], ["p1", "03/01/2022", "in_village"]],
    )
    probs = problems_of(folder)
    people, att = folder / "people.csv", folder / "attendance.csv"
    assert f"{people}:people:4:name: 不能为空 required value is empty" in probs
    assert f"{people}:people:3:id: 编号重复 duplicate id 'p1' (first at row 2)" in probs
    assert f"{att}:attendance:4:date: 不是日期 not a date (YYYY-MM-DD): '03/01/2022'" in probs
    assert f"{att}:attendance:3:person_id: 人员表中没有此人 no person with id 'p9'" in probs


def test_unknown_and_missing_columns(tmp_path: Path) -> None:
    folder = tmp_path / "r"
    write_csv(
        folder / "people.csv",
        ["id", "name", "role", "jurisdiction", "villlage"],
        [["p1", "张三", "team_member", "shiquan", "x"]],
    )
    probs = problems_of(folder)
    assert any(":people:1:villlage: 未知的列 unknown column 'villlage'" in p for p in probs)
    assert any(":people:1: 缺少必填列 missing required column village (村)" in p for p in probs)


def test_csv_saved_by_chinese_excel_as_gbk(tmp_path: Path) -> None:
    folder = tmp_path / "r"
    write_csv(
        folder / "人员.csv",
        ["编号", "姓名", "角色", "辖区", "村"],
        [["p1", "张三", "工作队员", "tongwei", "红星村"]],
        "gbk",
    )
    r = read_roster(folder)
    assert r.people[0].values["name"] == "张三" and r.people[0].values["role"] == "team_member"


def test_yaml_roster_with_attendance_in_its_own_csv(tmp_path: Path) -> None:
    write_csv(tmp_path / "att.csv", ["person_id", "date", "kind"], daily("p1", dt.date(2022, 1, 1), 3))
    y = tmp_path / "roster.yaml"
    y.write_text(
        "people:\n  - {id: p1, name: 张三, role: first_secretary, jurisdiction: shiquan, village: 红星村,\n"
        "     village_tags: [deep_poverty], unit_staff_size: 25}\nattendance: att.csv\n",
        encoding="utf-8",
    )
    r = read_roster(y)
    assert r.people[0].values["unit_staff_size"] == 25 and r.people[0].values["village_tags"] == ["deep_poverty"]
    assert len(r.attendance["p1"]) == 3


def test_json_roster_bad_row_is_located_by_item_number(tmp_path: Path) -> None:
    j = tmp_path / "roster.json"
    j.write_text(
        json.dumps(
            {"people": [{"id": "p1", "name": "张三", "role": "mayor", "jurisdiction": "shiquan", "village": "v"}]}
        ),
        encoding="utf-8",
    )
    (p,) = problems_of(j)
    assert p.startswith(f"{j}:people:1:role: 不是允许的角色 not a known role: 'mayor'")


def test_attendance_from_parquet(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    folder = csv_roster(tmp_path / "r", [person("p1", "张三")])
    dates = [dt.date(2022, 1, 1) + dt.timedelta(days=n) for n in range(5)]
    pq.write_table(
        pa.table({"person_id": ["p1"] * 5, "date": dates, "kind": ["in_village"] * 4 + ["training"]}),
        tmp_path / "att.parquet",
    )
    r = read_roster(folder, attendance=tmp_path / "att.parquet")
    assert [k for _, k, _ in r.attendance["p1"]] == ["in_village"] * 4 + ["training"]
    pq.write_table(
        pa.table({"person_id": ["p1"], "date": ["2022-13-01"], "kind": ["in_village"]}), tmp_path / "b.parquet"
    )
    (p,) = problems_of(folder, attendance=tmp_path / "b.parquet")
    assert p == f"{tmp_path / 'b.parquet'}:attendance:1:date: 不是日期 not a date (YYYY-MM-DD): '2022-13-01'"


def test_check_on_bad_roster_exits_2_and_reports_nothing(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    folder = csv_roster(tmp_path / "r", [person("p1", "张三")], [["p1", "2022-01-03", "holiday"]])
    out = tmp_path / "report.xml"
    code = main(["check", str(folder), "--as-of", "2023-01-01", "--format", "junit", "-o", str(out)])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""  # nothing half-reported
    assert not out.exists()
    assert f"{folder / 'attendance.csv'}:attendance:2:kind:" in captured.err


def test_unknown_jurisdiction_is_a_bad_cell(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    folder = csv_roster(tmp_path / "r", [person("p1", "张三", jurisdiction="lakeside")])
    assert main(["check", str(folder), "--as-of", "2023-01-01"]) == 2
    assert (
        f"{folder / 'people.csv'}:people:2:jurisdiction: 未知的辖区 unknown jurisdiction 'lakeside'"
        in capsys.readouterr().err
    )


def test_jurisdiction_written_as_county_name(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    folder = csv_roster(tmp_path / "r", [person("p1", "张三", jurisdiction="石泉县")])
    assert (
        main(["check", str(folder), "--as-of", "2023-01-01", "--format", "json", "--question", "leave_approval"]) == 0
    )
    assert json.loads(capsys.readouterr().out)["jurisdictions"] == ["shiquan"]


def test_every_column_and_chinese_header_is_documented() -> None:
    from villagepolicy.roster.schema import TABLES

    doc = (Path(__file__).resolve().parents[1] / "docs" / "rosters.md").read_text(encoding="utf-8")
    for t in TABLES.values():
        for c in t.columns:
            assert f"`{c.name}`" in doc and all(z in doc for z in c.zh), (t.name, c.name)


def test_a_second_appraisal_for_the_same_year_is_a_bad_row(tmp_path: Path) -> None:
    folder = csv_roster(tmp_path / "r", [person("p1", "张三")])
    write_csv(folder / "考核.csv", ["人员编号", "年度", "等次"], [["p1", 2022, "称职"], ["p1", 2022, "优秀"]])
    (p,) = problems_of(folder)
    assert p.startswith(f"{folder / '考核.csv'}:appraisals:3:年度: 同一人同一年度重复考核")


def test_a_csv_cell_over_the_field_limit_is_a_located_error_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    folder = csv_roster(tmp_path / "r", [person("P1", "甲" * 200_000)])
    with pytest.raises(RosterError) as e:
        read_roster(folder)
    assert any("people.csv" in p and "field larger than field limit" in p for p in e.value.problems)
    assert main(["check", str(folder), "--as-of", "2023-01-01"]) == 2
    assert "internal error" not in capsys.readouterr().err
