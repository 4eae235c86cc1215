"""Parquet attendance read and aggregated column-wise (polars) gives the reports of the row-by-row path."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

pl = pytest.importorskip("polars")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

pacsv = pytest.importorskip("pyarrow.csv")
from rosterkit import csv_roster, person  # noqa: E402

import villagepolicy as vp  # noqa: E402
from villagepolicy.roster import check, read_roster  # noqa: E402
from villagepolicy.roster.columnar import KINDS  # noqa: E402
from villagepolicy.roster.read import RosterError  # noqa: E402
from villagepolicy.roster.sample import generate, write_csv_folder  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "rosters"
SHIPPED = {"shiquan": (2022, "2023-01-01"), "tongwei": (2019, "2020-01-01"), "xiangyin": (2021, "2022-01-01"),
           "guizhou": (2018, "2019-01-01"), "central": (2019, "2020-01-01")}  # fmt: skip


def _report(roster: Any, as_of: dt.date, start: dt.date | None) -> dict[str, Any]:
    data = check(roster, vp.default_library(), as_of, period_from=start).to_dict()
    for r in data["results"]:
        # Only the record path can list records by position; everything else must be the same.
        r["decided"].pop("not_counted", None)
    return data


def _as_frame(roster: Any) -> None:
    """Hand a row-read roster's attendance to the column-wise path, rows and all."""
    rows = [(pid, d, KINDS.index(k), row) for pid, recs in roster.attendance.items() for d, k, row in recs]
    rows.sort(key=lambda r: r[3])
    roster.attendance_frame = pl.DataFrame(
        rows, schema={"person_id": pl.String, "date": pl.Date, "kind": pl.UInt8, "row": pl.UInt32}, orient="row"
    )
    roster.attendance = {}


@pytest.mark.parametrize("jurisdiction", sorted(SHIPPED))
def test_shipped_rosters_same_report_from_aggregates(jurisdiction: str) -> None:
    year, as_of = SHIPPED[jurisdiction]
    path = EXAMPLES / f"{jurisdiction}.xlsx"
    for start in (None, dt.date(year, 1, 1)):
        rows = read_roster(path, columnar=False)
        cols = read_roster(path, columnar=False)
        _as_frame(cols)
        assert _report(cols, dt.date.fromisoformat(as_of), start) == _report(rows, dt.date.fromisoformat(as_of), start)


def _sample_with_parquet(tmp_path: Path, jurisdiction: str, extra: list[list[str]] = ()) -> tuple[Path, Path]:
    folder = tmp_path / jurisdiction
    write_csv_folder(generate(jurisdiction, 24, 2022, seed=3), folder)
    att = folder / "attendance.csv"
    table = pacsv.read_csv(att, convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(
        ("person_id", "date", "kind"), pa.string())))  # fmt: skip
    if extra:
        more = pa.table({n: [r[i] for r in extra] for i, n in enumerate(table.column_names)})
        table = pa.concat_tables([table, more])
    att.unlink()
    pq.write_table(table, tmp_path / f"{jurisdiction}.parquet")
    return folder, tmp_path / f"{jurisdiction}.parquet"


@pytest.mark.parametrize("jurisdiction", ["central", "guizhou", "shiquan", "tongwei", "xiangyin"])
def test_sample_parquet_same_report_column_wise(tmp_path: Path, jurisdiction: str) -> None:
    folder, parquet = _sample_with_parquet(tmp_path, jurisdiction)
    for start in (None, dt.date(2022, 1, 1)):
        old = _report(read_roster(folder, parquet, columnar=False), dt.date(2023, 1, 15), start)
        roster = read_roster(folder, parquet, columnar=True)
        assert roster.attendance_frame is not None and roster.attendance_rows() > 0
        assert _report(roster, dt.date(2023, 1, 15), start) == old


def test_two_kinds_on_one_day_reported_as_by_records(tmp_path: Path) -> None:
    # A person with a conflicting day keeps the record path: the same located error, exit 2.
    folder, parquet = _sample_with_parquet(tmp_path, "shiquan")
    pid = read_roster(folder, parquet, columnar=False).people[0].values["id"]
    day = read_roster(folder, parquet, columnar=False).attendance[pid][150][0].isoformat()
    folder, parquet = _sample_with_parquet(tmp_path, "shiquan", [[pid, day, "absent"]])
    problems = []
    for columnar in (False, True):
        with pytest.raises(RosterError) as e:
            check(read_roster(folder, parquet, columnar=columnar), vp.default_library(), dt.date(2023, 1, 15))
        problems.append(e.value.problems)
    assert problems[0] == problems[1] and "同一天有两种记录" in problems[0][0]


def _people_csv(tmp_path: Path) -> Path:
    return csv_roster(tmp_path / "r", [person("p1", "张三"), person("p2", "李四")])


def test_parquet_bad_cells_located_as_by_rows(tmp_path: Path) -> None:
    folder = _people_csv(tmp_path)
    table = pa.table({
        "person_id": ["p1", "p1", "  ", None, "p9", "p2", "p9"],
        "date": ["2022-01-03", "2022-13-01", "2022-01-04", None, "2022-01-05", "2022/1/6", "2022-01-07"],
        "kind": ["in_village", "在村", "holiday", None, "in_village", "请假(已批准)", "in_village"],
    })  # fmt: skip
    pq.write_table(table, tmp_path / "a.parquet")
    got = []
    for columnar in (False, True):
        with pytest.raises(RosterError) as e:
            read_roster(folder, tmp_path / "a.parquet", columnar=columnar)
        got.append(e.value.problems)
    assert got[0] == got[1]
    assert got[1][0] == f"{tmp_path / 'a.parquet'}:attendance:2:date: 不是日期 not a date (YYYY-MM-DD): '2022-13-01'"
    assert any(p.endswith("no person with id 'p9'") for p in got[1])


def test_parquet_chinese_kinds_and_dates_read_as_by_rows(tmp_path: Path) -> None:
    folder = _people_csv(tmp_path)
    table = pa.table({"人员编号": ["p1", "p2"], "日期": ["2022年1月4日", "2022-01-05"], "类别": ["在村", "absent"]})
    pq.write_table(table, tmp_path / "a.parquet")
    r = read_roster(folder, tmp_path / "a.parquet", columnar=True)
    got = {(p, str(d), KINDS[k], row) for p, d, k, row in r.attendance_frame.iter_rows()}
    assert got == {("p1", "2022-01-04", "in_village", 1), ("p2", "2022-01-05", "absent", 2)}
    old = read_roster(folder, tmp_path / "a.parquet", columnar=False).attendance
    assert {(p, str(d), k, row) for p, recs in old.items() for d, k, row in recs} == got


def test_parquet_missing_column_reported(tmp_path: Path) -> None:
    folder = _people_csv(tmp_path)
    pq.write_table(pa.table({"person_id": ["p1"], "date": ["2022-01-04"]}), tmp_path / "a.parquet")
    with pytest.raises(RosterError) as e:
        read_roster(folder, tmp_path / "a.parquet", columnar=True)
    assert "missing required column kind" in e.value.problems[0]


def test_json_report_streamed_to_file_is_the_printed_report(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    import json

    from villagepolicy.cli import main
    from villagepolicy.roster.report import to_json
    from villagepolicy.roster.report_json import expand

    folder, parquet = _sample_with_parquet(tmp_path, "shiquan")
    argv = ["check", str(folder), "--attendance", str(parquet), "--as-of", "2023-01-15", "--format", "json"]
    code = main(argv)
    printed = capsys.readouterr().out
    assert main([*argv, "-o", str(tmp_path / "r.json")]) == code
    written = (tmp_path / "r.json").read_text(encoding="utf-8")
    assert written == printed.rstrip("\n")
    report = check(read_roster(folder, parquet), vp.default_library(), dt.date(2023, 1, 15))
    data = {**report.to_dict(), "fail_on": "violation", "exit_code": report.exit_code()}
    written = to_json(report)
    got = json.loads(written)
    # Version 2 holds the same information as the flat version 1 (results grouped by subject instead).
    results = data.pop("results")
    assert got["format_version"] == 2 and {k: got[k] for k in data} == data

    def key(r: dict) -> tuple:
        return (r["question"], r["village"], r["subject"], r["period"] or "")

    assert sorted(expand(got), key=key) == sorted(results, key=key)
    # Under an indented head, one line per subject (each a JSON object of its own).
    body = written.split('"subjects": [\n', 1)[1].split("\n  ]", 1)[0].split(",\n")
    assert [json.loads(line) for line in body] == got["subjects"]


def test_parquet_read_in_small_batches_same_report_and_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from villagepolicy.roster import columnar

    folder, parquet = _sample_with_parquet(tmp_path, "xiangyin")
    whole = read_roster(folder, parquet, columnar=True)
    monkeypatch.setattr(columnar, "BATCH_ROWS", 777)
    batched = read_roster(folder, parquet, columnar=True)
    assert batched.attendance_frame.height > 777 * 3
    assert batched.attendance_frame["row"].to_list() == whole.attendance_frame["row"].to_list()
    old = _report(read_roster(folder, parquet, columnar=False), dt.date(2023, 1, 15), dt.date(2022, 1, 1))
    assert _report(batched, dt.date(2023, 1, 15), dt.date(2022, 1, 1)) == old
    # A bad cell in a later batch is located at its own row.
    table = pq.read_table(parquet)
    kinds = table.column("kind").to_pylist()
    kinds[2000] = "holiday"
    pq.write_table(table.set_column(2, "kind", pa.array(kinds)), tmp_path / "bad.parquet")
    with pytest.raises(RosterError) as e:
        read_roster(folder, tmp_path / "bad.parquet", columnar=True)
    assert e.value.problems[0].startswith(f"{tmp_path / 'bad.parquet'}:attendance:2001:kind: 不是允许的值")


def test_attendance_given_twice_reported_as_by_rows(tmp_path: Path) -> None:
    folder = csv_roster(tmp_path / "r", [person("p1", "张三")], [["p1", "2022-01-03", "in_village"]])
    pq.write_table(pa.table({"person_id": ["p1"], "date": ["2022-01-04"], "kind": ["bad"]}), tmp_path / "a.parquet")
    got = []
    for columnar in (False, True):
        with pytest.raises(RosterError) as e:
            read_roster(folder, tmp_path / "a.parquet", columnar=columnar)
        got.append(e.value.problems)
    assert got[0] == got[1] and len(got[1]) == 1 and "given twice" in got[1][0]


@pytest.mark.parametrize("jobs", [1, 2])
def test_released_rows_same_report_and_no_second_check(tmp_path: Path, jobs: int) -> None:
    from villagepolicy.errors import VillagePolicyError

    folder, parquet = _sample_with_parquet(tmp_path, "shiquan")
    kept = check(read_roster(folder, parquet), vp.default_library(), dt.date(2023, 1, 15), jobs=jobs)
    roster = read_roster(folder, parquet)
    released = check(roster, vp.default_library(), dt.date(2023, 1, 15), jobs=jobs, release_rows=True)
    assert released.to_dict() == kept.to_dict()
    assert roster.attendance_frame is None and roster.rows_released
    # Checked again, the roster would look as if nobody had attended: refused instead.
    with pytest.raises(VillagePolicyError, match="release_rows"):
        check(roster, vp.default_library(), dt.date(2023, 1, 15))


def test_parquet_leave_approver_and_filing_read_and_judged_as_by_rows(tmp_path: Path) -> None:
    """Shiquan 13(2) tiers and Tongwei 14's 备案 from a Parquet attendance: the same cells, the same findings."""
    folder = csv_roster(tmp_path / "r", [person("p1", "张三", "first_secretary"), person("p2", "李四")])
    days = [f"2022-03-{d:02d}" for d in range(1, 8)]
    table = pa.table({
        "person_id": ["p1"] * 7 + ["p2"] * 7,
        "date": days + days,
        "kind": ["leave_approved"] * 14,
        "审批人": ["镇(乡)党委"] + [None] * 6 + ["县乡村振兴局"] + [None] * 6,
        "备案单位": [None] * 14,
    })  # fmt: skip
    pq.write_table(table, tmp_path / "a.parquet")
    reports = []
    for columnar in (False, True):
        roster = read_roster(folder, tmp_path / "a.parquet", columnar=columnar)
        assert roster.attendance_extra == {1: {"approved_by": ["town_party_committee"]},
                                           8: {"approved_by": ["county_rural_revitalization_bureau"]}}  # fmt: skip
        reports.append(
            check(roster, vp.default_library(), dt.date(2023, 1, 1), questions=["leave_approval"]).to_dict()
        )
    assert reports[0] == reports[1]
    leave = {r["subject"]: r for r in reports[1]["results"] if r["question"] == "leave_approval"}
    assert [f["severity"] for f in leave["p1"]["findings"]] == ["violation"]  # 6-10 days: 县委组织部
    assert leave["p2"]["findings"] == []  # a member's 6-10 days: 县乡村振兴局
    with pytest.raises(RosterError) as e:
        bad = table.set_column(3, "审批人", pa.array(["镇长"] + [None] * 13))
        pq.write_table(bad, tmp_path / "b.parquet")
        read_roster(folder, tmp_path / "b.parquet", columnar=True)
    assert e.value.problems[0].startswith(f"{tmp_path / 'b.parquet'}:attendance:1:审批人: 第1项 item 1: 不是允许的值")
