"""Issue 17's Done-when: 样板县驻村工作队日常管理细则 (../shared/fixtures/yangban-2024.txt, a fictional county) is
shipped as jurisdiction `yangban`, pack `yangban-2024`, encoded in YAML only: its own role, authorities and actions,
its numbers as parameters, three questions declared in the pack, pack tests at full rule coverage, and
`villagepolicy check` on a small example roster that covers the declared questions.

Each test is named after the article it checks."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

import villagepolicy as vp
from villagepolicy.cli import main

REPO = Path(__file__).resolve().parents[1]
ROSTER = REPO / "examples" / "rosters" / "yangban.xlsx"
ON = "2024-05-01"


@pytest.fixture(scope="module")
def j() -> vp.Jurisdiction:
    return vp.default_library().jurisdiction("yangban")


def test_no_python_file_names_the_county_or_its_own_ids() -> None:
    pack = (REPO / "rules" / "yangban-2024.yaml").read_text(encoding="utf-8")
    own = re.search(r"^vocabulary:\n((?:  .*\n)+)", pack, re.M)
    assert own is not None
    ids = set(re.findall(r"^    ([a-z_]+):", own.group(1), re.M))
    ids |= set(re.findall(r"^  ([a-z_]+):\n    title_zh", pack, re.M))  # the declared questions
    assert {"rural_revitalization_instructor", "county_principal_leader", "oral_warning", "weekly_rest"} <= ids
    for path in (REPO / "src").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        named = [w for w in ("yangban", *ids) if re.search(rf"\b{w}\b", text)]
        assert not named, f"{path.relative_to(REPO)} names {named}"


def test_every_article_is_cited_or_marked_not_encodable() -> None:
    from villagepolicy.coverage import PendingFile, clause_coverage

    rows = [r for r in clause_coverage(vp.default_library(), PendingFile()) if r.pack == "yangban-2024"]
    assert {r.clause for r in rows} >= {str(n) for n in range(1, 14)}
    assert all(r.status in ("cited", "not_encodable") for r in rows), [r for r in rows if r.status not in
                                                                       ("cited", "not_encodable")]  # fmt: skip


def test_pack_tests_pass_at_full_rule_coverage_on_both_engines() -> None:
    from villagepolicy.packtest import coverage, read_cases, run_case

    lib = vp.default_library()
    runs = []
    for engine in ("durable", "reference"):
        for case in read_cases(REPO / "rules-tests" / "yangban-2024.yaml"):
            runs.append(run_case(lib, dataclasses.replace(case, engine=engine)))
    failed = [(r.case.name, r.failures) for r in runs if r.failures]
    assert not failed
    cov = coverage(lib, runs, only={"yangban-2024"})
    assert cov.rules and all(cov.rules.values()), [k for k, v in cov.rules.items() if not v]


@pytest.mark.parametrize("engine", ["durable", "reference"])
def test_6_2_two_days_reviewed_by_leader_and_town_then_one_of_two_county_bodies(j: vp.Jurisdiction,
                                                                                engine: str) -> None:  # fmt: skip
    d = j.decide("leave_approval", {"role": "team_member", "days": 2}, ON, engine=engine)
    assert d.outcome == "approve"
    assert d.reviewers == ["team_leader", "town_party_committee"]
    assert d.approvers == []
    assert d.approver_one_of == ["county_org_dept", "county_rural_revitalization_bureau"]
    assert d.filed_with == ["work_team", "town_party_committee", "county_rural_revitalization_bureau"]


@pytest.mark.parametrize("engine", ["durable", "reference"])
def test_6_3_over_three_days_goes_to_the_principal_county_leader(j: vp.Jurisdiction, engine: str) -> None:
    d = j.decide("leave_approval", {"role": "rural_revitalization_instructor", "days": 4}, ON, engine=engine)
    assert d.approvers == ["county_principal_leader"]
    assert d.reviewers == ["team_leader", "town_party_committee", "county_rural_revitalization_bureau"]


def test_6_a_request_not_in_writing_is_incomplete(j: vp.Jurisdiction) -> None:
    d = j.decide("leave_approval", {"role": "team_member", "days": 1, "written_request": False}, ON)
    assert d.outcome == "incomplete_request"
    assert any(c.clause == "6" for c in d.citations)


def test_9_third_finding_sets_the_grade_recalls_and_costs_town_and_unit_points(j: vp.Jurisdiction) -> None:
    history = [
        {"date": f"2024-0{m}-01", "kind": "absent_on_inspection", "leave_procedure_followed": False} for m in (2, 3, 4)
    ]
    d = j.decide("escalation", {"role": "team_member", "history": history}, ON)
    assert (d.outcome, d.actions, d.actors) == ("recall", ["recall"], ["dispatching_unit"])
    assert d.grade_set == "basically_competent"
    assert "基本称职" in (d.grade_set_zh or "")
    assert {(x.organisation, str(x.total)) for x in d.deductions} == {
        ("town_party_committee", "0.6"),
        ("dispatching_unit", "0.6"),
    }


def test_9_first_finding_is_an_oral_warning_the_county_declared(j: vp.Jurisdiction) -> None:
    history = [{"date": "2024-02-01", "kind": "absent_on_inspection", "leave_procedure_followed": False}]
    d = j.decide("escalation", {"role": "rural_revitalization_instructor", "history": history}, ON)
    assert d.actions == ["oral_warning"]


def test_3_an_instructor_over_50_is_a_hedged_failure_for_the_org_dept(j: vp.Jurisdiction) -> None:
    facts = {"role": "rural_revitalization_instructor", "employment": "civil_servant", "birth_date": "1972-01-01"}
    d = j.decide("eligibility", facts, ON)
    age = next(f for f in d.findings if f.id == "age")
    assert (age.passed, age.hedged) == (False, True)
    assert "county_org_dept" in d.approvers


def test_8_eighteen_days_a_month_and_200_a_year_come_from_one_parameter_each(j: vp.Jurisdiction) -> None:
    req = j.decide("stay_requirement", {"role": "team_member"}, ON).requirement
    assert (req.min_days_per_month, req.min_in_village_days_per_year) == (18, 200)
    assert req.counts_as_present == ["in_village", "meeting", "training"]


def test_5_7_4_the_declared_questions_are_listed_with_the_built_in_ones(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    listed = capsys.readouterr().out
    for q in ("weekly_rest", "vacation_quota", "daily_staffing"):
        assert q in listed


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, dict]:
    out = tmp_path_factory.mktemp("check") / "report.json"
    code = main(["check", str(ROSTER), "--as-of", "2025-01-01", "--format", "json", "--output", str(out)])
    return code, json.loads(out.read_text(encoding="utf-8"))


def _results(report: dict, question: str) -> dict[str, str]:
    return {
        s["subject"]: r["outcome"]
        for s in report["subjects"]
        for r in s["results"]
        if r["question"] == question
    }


def test_example_roster_fails_on_its_planted_cases(checked: tuple[int, dict]) -> None:
    code, report = checked
    assert code == 1  # violations
    assert _results(report, "weekly_rest")["YA00008"] == "non_compliant"  # article 5: two rest days in a week
    assert _results(report, "vacation_quota")["YA00002"] == "over_quota"  # article 7: 11 days in a quarter
    assert _results(report, "vacation_quota")["YA00009"] == "within_quota"  # 10 + 10 in two quarters
    assert _results(report, "escalation")["YA00006"] == "recall"  # article 9: three findings
    assert _results(report, "team_composition")["红星村"] == "non_compliant"  # article 4: a team of one


def test_example_roster_asks_every_declared_question_of_every_person_or_village(checked: tuple[int, dict]) -> None:
    _, report = checked
    people = {s["subject"] for s in report["subjects"] if s["subject"].startswith("YA")}
    assert set(_results(report, "weekly_rest")) == people
    assert set(_results(report, "vacation_quota")) == people
    villages = set(_results(report, "daily_staffing"))
    assert villages == {"石门村", "青山村", "白云村", "红星村"}
