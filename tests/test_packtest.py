"""`villagepolicy test`: YAML pack cases, failures located by file:line:col, coverage and its threshold."""

from __future__ import annotations

from pathlib import Path

import pytest

from villagepolicy.cli import main
from villagepolicy.commands.packtest import default_tests

# Every question: the shipped rules-tests/ cover all of their rules.
QUESTIONS_WITH_CASES = [
    "leave_approval",
    "eligibility",
    "team_composition",
    "stay_requirement",
    "stay_compliance",
    "escalation",
    "duties",
    "duty_compliance",
    "supervision_plan",
    "term_and_handover",
    "benefits",
    "insurance_check",
    "appraisal_grade",
    "appraisal_roster",
]


def run(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    code = main(["test", *args])
    c = capsys.readouterr()
    return code, c.out, c.err


def test_shipped_cases_pass_on_both_engines_with_full_rule_coverage(capsys: pytest.CaptureFixture) -> None:
    qs = [a for q in QUESTIONS_WITH_CASES for a in ("--question", q)]
    code, out, err = run(capsys, *qs, "--engine", "both", "--coverage", "--min-coverage", "100")
    assert code == 0, out + err
    assert "失败 failed 0" in out and "rule coverage: 100.0%" in out


def test_default_path_is_the_shipped_rules_tests() -> None:
    assert sorted(p.name for p in default_tests().glob("*.yaml")) == [
        "central-2017.yaml",
        "guizhou-2017.yaml",
        "shiquan-2021.yaml",
        "tongwei-2018.yaml",
        "xiangyin-2020.yaml",
        "yangban-2024.yaml",
    ]


ONE_CASE = """\
jurisdiction: shiquan
question: leave_approval
date: "2022-05-01"
cases:
  - name: 13(2) five days, town party committee
    facts: {role: first_secretary, days: 5}
    expect: {outcome: approve, approvers: [town_party_committee]}
"""


def test_min_coverage_threshold(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    f = tmp_path / "one.yaml"
    f.write_text(ONE_CASE, encoding="utf-8")
    code, out, err = run(capsys, str(f), "--question", "leave_approval", "--min-coverage", "100")
    assert code == 1
    assert "rule coverage: 3.4% (1/29)" in out and "below --min-coverage 100%" in err  # leave_approval only
    code, _, _ = run(capsys, str(f), "--question", "leave_approval", "--min-coverage", "3")
    assert code == 0


def test_coverage_lists_unexercised_rules_with_their_line(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    f = tmp_path / "one.yaml"
    f.write_text(ONE_CASE, encoding="utf-8")
    code, out, _ = run(capsys, str(f), "--coverage")
    assert code == 0
    assert "shiquan-2021 sq-leave-recall" in out and "rules/shiquan-2021.yaml:" in out
    assert "sq-leave-fs-short" not in out.split("rules no case exercises")[1]
    assert "clauses no case exercises" in out


def test_failing_case_names_its_line_and_the_difference(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    f = tmp_path / "wrong.yaml"
    f.write_text(ONE_CASE.replace("days: 5}", "days: 6}"), encoding="utf-8")
    code, out, _ = run(capsys, str(f))
    assert code == 1
    assert f"✗ 13(2) five days, town party committee  ({f}:5:5)" in out
    assert "approvers: 期望 expected ['town_party_committee'], 实际 got ['county_org_dept']" in out


def test_expected_fact_error(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    f = tmp_path / "bad-facts.yaml"
    f.write_text(
        ONE_CASE.replace("days: 5}", "days: -1}").replace(
            "expect: {outcome: approve, approvers: [town_party_committee]}", "expect: {error: facts}"
        ),
        encoding="utf-8",
    )
    assert run(capsys, str(f))[0] == 0


def test_malformed_test_file_exits_2_with_position(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    f = tmp_path / "typo.yaml"
    f.write_text(ONE_CASE.replace("    expect:", "    expected:"), encoding="utf-8")
    code, out, err = run(capsys, str(f))
    assert code == 2 and out == ""
    assert f"{f}:7:5: 未知的键 unknown key 'expected'" in err


def test_every_shipped_rule_is_exercised_by_a_shipped_case() -> None:
    import villagepolicy as vp
    from villagepolicy.packtest import coverage, find_test_files, read_cases, run_case

    lib = vp.default_library()
    runs = [run_case(lib, c) for f in find_test_files([default_tests()]) for c in read_cases(f)]
    assert all(r.passed for r in runs)
    missing = {k for k, hit in coverage(lib, runs).rules.items() if not hit}
    assert missing == set()
