"""`villagepolicy check`: each report format, each exit code, --fail-on, and no progress bar on a pipe."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rosterkit import leave_roster

import villagepolicy as vp
from villagepolicy.cli import main
from villagepolicy.roster import check, read_roster
from villagepolicy.roster.check import _Progress
from villagepolicy.roster.report_json import expand

# These small rosters have only the columns leave_approval needs; the other questions would rightly
# reject them (exit 2, tested below), so the format and exit-code tests check that question alone.
AS_OF = ["--as-of", "2023-01-01", "--question", "leave_approval"]
RECALL_CLAUSE = "第一书记、工作队员连续请假超过30天由派出单位召回并重新选派"


def run(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    c = capsys.readouterr()
    return code, c.out, c.err


def test_shiquan_13_2_leave_over_30_days_is_a_violation_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code, out, err = run(capsys, str(leave_roster(tmp_path / "r", "shiquan", 31)), *AS_OF)
    assert code == 1
    assert "✗ 违规 p2 李四 · leave_approval 2022-03-01..2022-03-31" in out
    assert "连续请假31天" in out and RECALL_CLAUSE in out
    assert err == ""  # no progress bar or anything else on a pipe


def test_shiquan_13_2_thirty_days_is_clean_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code, out, _ = run(capsys, str(leave_roster(tmp_path / "r", "shiquan", 30)), *AS_OF)
    assert code == 0
    assert "违规 0" in out and "通过" in out


def test_tongwei_14_hedged_15_day_cap_is_a_warning_failing_only_with_fail_on_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    roster = str(leave_roster(tmp_path / "r", "tongwei", 16))
    code, out, _ = run(capsys, roster, *AS_OF)
    assert code == 0 and "△ 警示 p2 李四" in out and "连续请假原则上不得超过 15 天" in out
    code, _, _ = run(capsys, roster, *AS_OF, "--fail-on", "warning")
    assert code == 1


def test_english_report(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code, out, _ = run(capsys, str(leave_roster(tmp_path / "r", "shiquan", 40)), *AS_OF, "--lang", "en")
    assert code == 1
    assert "violation p2 李四 · leave_approval" in out
    assert "40 consecutive days of leave (2022-03-01..2022-04-09): recall (recall, reselect)" in out
    assert "cites shiquan-2021 13(2): Leave:" in out  # the clause's English summary
    assert "1 violation(s)" in out and "FAIL" in out


def test_json_report(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code, out, _ = run(capsys, str(leave_roster(tmp_path / "r", "shiquan", 31)), *AS_OF, "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["exit_code"] == 1 and data["format_version"] == 2
    data["results"] = expand(data)
    assert data["counts"] == {"violation": 1, "warning": 0, "manual_check": 0}
    (bad,) = [r for r in data["results"] if r["findings"]]
    assert bad["subject"] == "p2" and bad["outcome"] == "recall" and bad["rules"] == ["sq-leave-recall"]
    assert bad["findings"][0]["citations"][0]["clause"] == "13(2)"


def test_junit_report_one_suite_per_village_failures_carry_clause_text(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    out_file = tmp_path / "out" / "check.xml"
    code, out, _ = run(
        capsys, str(leave_roster(tmp_path / "r", "shiquan", 31)), *AS_OF, "--format", "junit", "-o", str(out_file)
    )
    assert code == 1
    assert "违规 1" in out  # a summary still goes to the log
    root = ET.parse(out_file).getroot()
    assert root.tag == "testsuites" and root.get("failures") == "1"
    (suite,) = root.findall("testsuite")[1:]
    assert suite.get("name") == "shiquan/红星村" and suite.get("tests") == "2"
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert set(cases) == {"p1 张三 · leave_approval", "p2 李四 · leave_approval 2022-03-01..2022-03-31"}
    failure = cases["p2 李四 · leave_approval 2022-03-01..2022-03-31"].find("failure")
    assert failure is not None and failure.get("type") == "violation"
    assert "[shiquan-2021 13(2)]" in failure.text and RECALL_CLAUSE not in failure.text  # named, not quoted
    clauses = root.find("testsuite")
    assert clauses is not None and clauses.get("name") == "clauses 条款原文" and clauses.get("tests") == "0"
    texts = {p.get("name"): p.get("value") for p in clauses.iter("property")}
    assert RECALL_CLAUSE in texts["shiquan-2021 13(2)"]  # the clause's text, once per report
    assert cases["p1 张三 · leave_approval"].find("failure") is None


def test_markdown_report(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code, out, _ = run(capsys, str(leave_roster(tmp_path / "r", "shiquan", 31)), *AS_OF, "--format", "markdown")
    assert code == 1
    assert out.startswith("### ❌ villagepolicy check")
    assert "| ✗ 违规 | 红星村 | p2 李四 | leave_approval 2022-03-01..2022-03-31 |" in out
    assert "**shiquan-2021 13(2)**: 请销假制度。" in out


def test_bad_as_of_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code, out, err = run(
        capsys, str(leave_roster(tmp_path / "r")), "--as-of", "2023-02-30", "--question", "leave_approval"
    )
    assert code == 2 and out == "" and "--as-of" in err


def test_missing_roster_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code, out, err = run(capsys, str(tmp_path / "nope.xlsx"), *AS_OF)
    assert code == 2 and out == "" and "找不到名册 no such file or folder" in err


def test_questions_a_jurisdiction_does_not_answer_are_skipped_not_failed(tmp_path: Path) -> None:
    # Xiangyin's document does not regulate leave: the leave check answers not_covered, never a finding.
    roster = read_roster(leave_roster(tmp_path / "r", "xiangyin", 45))
    report = check(roster, vp.default_library(), dt.date(2023, 1, 1), questions=["leave_approval"])
    leave = [r for r in report.results if r.question == "leave_approval" and r.subject == "p2"]
    assert [r.outcome for r in leave] == ["not_covered"] and report.exit_code() == 0


def test_progress_bar_appears_only_after_a_second_on_a_terminal() -> None:
    quiet = _Progress(10, None)
    quiet.start -= 5
    quiet.advance()
    assert quiet.bar is None
    fast = _Progress(10, "bar")
    fast.advance()
    assert fast.bar is None  # a check that has not yet taken a second shows nothing
    slow = _Progress(10, "bar")
    slow.start -= 5  # as if the check had been running for five seconds
    slow.advance()
    try:
        assert slow.bar is not None
    finally:
        slow.close()


def test_progress_in_a_log_is_periodic_lines_on_stderr(capsys: pytest.CaptureFixture) -> None:
    from villagepolicy.roster.check import PROGRESS_EVERY

    lines = _Progress(100, "lines")
    lines.advance()
    assert capsys.readouterr().err == ""  # nothing in the first second
    lines.start -= 5
    lines.last_line -= 5
    lines.advance(40)
    lines.advance(41)  # within PROGRESS_EVERY of the last line: silent
    lines.last_line -= PROGRESS_EVERY
    lines.advance(70)
    lines.close()
    err = capsys.readouterr().err.splitlines()
    assert [e.split(" (")[0] for e in err[:2]] == ["核查 checking 40/100", "核查 checking 70/100"]
    assert err[2].startswith("核查完成 checked 70/100")


def test_with_output_stdout_gets_a_summary_not_the_report(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "r.junit.xml"
    roster = str(Path(__file__).resolve().parents[1] / "examples" / "rosters" / "shiquan.xlsx")
    code = main(["check", roster, "--as-of", "2023-01-01", "--format", "junit", "-o", str(out)])
    printed = capsys.readouterr().out.splitlines()
    assert code == 1 and out.exists()
    assert len(printed) <= 2 + 2 * 10 + 3  # heading, ten findings with their clauses, more, totals, file
    assert printed[-2].startswith("合计 ") and printed[-1] == f"完整报告 full report: {out}"
    assert any(line.startswith("  … 另有 ") for line in printed)


def test_a_fact_a_question_rejects_is_reported_at_its_cell(tmp_path: Path, monkeypatch, capsys) -> None:
    """Facts are validated by the question; its FactError is mapped back to the roster cell, exit 2."""
    from villagepolicy.roster import adapters
    from villagepolicy.roster.check import ADAPTERS, Adapter

    def zero_days(ctx, j, unit):  # asks for 0 days of leave, which leave_approval rejects
        p = unit[0]
        (first,) = ctx.roster.attendance[p.values["id"]][:1]
        ctx.decide(
            j,
            "leave_approval",
            {"role": p.values["role"], "days": 0},
            first[0],
            lambda f: ctx.roster.attendance_at(first[2], "kind") if f == "days" else adapters.person_where(p)(f),
        )
        return []

    monkeypatch.setitem(ADAPTERS, "leave_approval", Adapter("leave_approval", "person", zero_days))
    folder = leave_roster(tmp_path / "r")
    code, out, err = run(capsys, str(folder), *AS_OF, "--format", "json")
    assert code == 2 and out == ""
    att = folder / "attendance.csv"
    assert f"{att}:attendance:2:kind: leave_approval: days: 须不小于 1 must be at least 1 (实际 got 0)" in err


def test_junit_marks_not_covered_as_skipped(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    # Xiangyin's document does not regulate leave: a skipped test case, not a pass or a failure.
    code, out, _ = run(capsys, str(leave_roster(tmp_path / "r", "xiangyin", 45)), *AS_OF, "--format", "junit")
    root = ET.fromstring(out.split("\n", 1)[1])
    assert code == 0 and root.get("skipped") == "1" and root.get("failures") == "0"
    (skipped,) = root.iter("skipped")
    assert skipped.get("message", "").startswith("not_covered")


@pytest.mark.skipif("eligibility" not in vp.QUESTIONS, reason="needs the eligibility question")
def test_fail_on_manual_check_and_never(capsys: pytest.CaptureFixture) -> None:
    roster = str(Path(__file__).resolve().parents[1] / "examples" / "rosters" / "central.xlsx")
    args = [roster, "--as-of", "2020-01-01", "--question", "eligibility"]
    assert run(capsys, *args)[0] == 0  # only manual checks (political quality …): clean by default
    assert run(capsys, *args, "--fail-on", "manual_check")[0] == 1
    assert run(capsys, *args, "--fail-on", "never", "--question", "leave_approval")[0] == 0
