"""Issue 17 item 1: a county declares its own authority, action and role in YAML (a pack's `vocabulary:`),
uses them in its rules, and decides with them; another county's facts still refuse them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import villagepolicy as vp
from villagepolicy.cli import main
from villagepolicy.errors import FactError, PackError

ON = "2024-03-01"

PACK = """\
pack:
  id: testcounty-2024
  title_zh: 测试县驻村干部请假办法（测试用）
  issuer_zh: 测试县委办公室
  issued: 2023-12-20
  effective_from: 2024-01-01
  source: tests (made-up county)
vocabulary:
  role:
    village_revival_instructor: {zh: 乡村振兴指导员, en: rural revitalisation instructor}
  authority:
    county_principal_leader: {zh: 县委主要领导, en: principal county party leader}
  action:
    oral_warning: {zh: 口头警告, en: oral warning}
clauses:
  - id: "6"
    text_zh: 请假3天以上的，报县委主要领导审批。
    summary_en: Leave over 3 days is approved by the principal county leader.
  - id: "9"
    text_zh: 抽查发现不在岗的，第一次给予口头警告。
    summary_en: A first finding of absence earns an oral warning.
rules:
  - id: tc-leave-long
    question: leave_approval
    when: {role: {in: [village_revival_instructor, first_secretary]}, days: {gt: 3}}
    then: {outcome: approve, approvers: [town_party_committee, county_principal_leader]}
    cites: ["6"]
  - id: tc-esc-baseline
    question: escalation
    when: {role: village_revival_instructor}
    then: {outcome: none}
    cites: ["9"]
  - id: tc-esc-first
    question: escalation
    when: {role: village_revival_instructor, absences_unexcused_year: 1}
    then: {outcome: criticism_education, actions: [oral_warning], actors: [county_principal_leader]}
    cites: ["9"]
"""

JURISDICTION = """\
id: testcounty
name_zh: 测试县
name_en: Test County
level: county
parent: central
packs:
  - pack: testcounty-2024
    why_en: the county's own measures (test data)
authorities:
  county_principal_leader: 测试县委书记
"""


def county(tmp_path: Path, pack: str = PACK, jurisdiction: str = JURISDICTION) -> Path:
    (tmp_path / "rules").mkdir(parents=True, exist_ok=True)
    (tmp_path / "jurisdictions").mkdir(exist_ok=True)
    (tmp_path / "rules" / "testcounty-2024.yaml").write_text(pack, encoding="utf-8")
    (tmp_path / "jurisdictions" / "testcounty.yaml").write_text(jurisdiction, encoding="utf-8")
    return tmp_path


def test_declared_role_and_authority_decide_leave(tmp_path: Path) -> None:
    j = vp.load(county(tmp_path)).jurisdiction("testcounty")
    d = j.decide("leave_approval", {"role": "village_revival_instructor", "days": 5}, ON)
    assert d.outcome == "approve" and d.approvers == ["town_party_committee", "county_principal_leader"]
    assert d.citations[0].text_zh.startswith("请假3天以上")
    assert j.authority_name("county_principal_leader") == "测试县委书记"  # the jurisdiction's own name wins


def test_declared_action_reaches_the_escalation_decision(tmp_path: Path) -> None:
    j = vp.load(county(tmp_path)).jurisdiction("testcounty")
    history = [{"date": "2024-02-01", "kind": "absent_on_inspection", "leave_procedure_followed": False}]
    d = j.decide("escalation", {"role": "village_revival_instructor", "history": history}, ON)
    assert d.actions == ["oral_warning"] and d.actors == ["county_principal_leader"]


def test_declared_labels_read_in_chinese(tmp_path: Path) -> None:
    from villagepolicy.words import label

    vp.load(county(tmp_path))
    assert label("oral_warning") == "口头警告"
    assert label("village_revival_instructor") == "乡村振兴指导员"
    assert label("oral_warning", lang="en") == "oral warning"


def test_another_county_refuses_a_declared_role(tmp_path: Path) -> None:
    lib = vp.load(county(tmp_path))
    with pytest.raises(FactError) as e:
        lib.jurisdiction("tongwei").decide("leave_approval", {"role": "village_revival_instructor", "days": 5}, ON)
    [(field, msg)] = e.value.problems
    assert field == "role" and "village_revival_instructor" in msg and "first_secretary" in msg


def test_cli_decides_with_declared_ids(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    root = county(tmp_path)
    facts = json.dumps({"role": "village_revival_instructor", "days": 4})
    assert main(["decide", "testcounty", "leave_approval", "--packs", str(root), "--on", ON, "--facts", facts]) == 0
    out = capsys.readouterr().out
    assert "测试县委书记" in out or "县委主要领导" in out
    args = ["decide", "testcounty", "leave_approval", "--packs", str(root), "--on", ON, "--json", "--facts", facts]
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["approvers"][-1] == "county_principal_leader"


def test_cli_explain_with_a_declared_role(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    root = county(tmp_path)
    facts = json.dumps({"role": "village_revival_instructor", "days": 4})
    assert main(["explain", "testcounty", "leave_approval", "--packs", str(root), "--on", ON, "--facts", facts]) == 0
    assert "tc-leave-long" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        # a shipped id is used, never declared again
        (("oral_warning: {zh: 口头警告, en: oral warning}", "recall: {zh: 召回}"), "already a shipped id"),
        # a closed kind (grades are a scale the appraisal question computes with) takes no new ids
        (("  action:\n", "  grade:\n"), "closed kind"),
        (("  action:\n", "  actoin:\n"), "unknown vocabulary kind"),
        # a rule naming an id nobody declared: did you mean
        (("actions: [oral_warning]", "actions: [oral_warnning]"), "oral_warning"),
        (("{role: {in: [village_revival_instructor,", "{role: {in: [village_revival_instructer,"), "village_revival"),
    ],
)
def test_vocabulary_mistakes_refused_at_file_line_col(tmp_path: Path, edit: tuple[str, str], expected: str) -> None:
    assert edit[0] in PACK
    with pytest.raises(PackError) as e:
        vp.load(county(tmp_path, PACK.replace(*edit)))
    msg = str(e.value)
    assert expected in msg and "testcounty-2024.yaml:" in msg


def test_a_jurisdiction_names_only_authorities_its_packs_declare(tmp_path: Path) -> None:
    bad = JURISDICTION.replace("county_principal_leader: 测试县委书记", "county_principal_leadr: 测试县委书记")
    with pytest.raises(PackError) as e:
        vp.load(county(tmp_path, jurisdiction=bad))
    msg = str(e.value)
    assert "testcounty.yaml:" in msg and "county_principal_leadr" in msg and "county_principal_leader" in msg


def test_lint_and_validate_accept_the_declared_ids(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    root = county(tmp_path)
    assert main(["validate", "--packs", str(root)]) == 0
    capsys.readouterr()
    main(["lint", str(root)])  # the test pack has gaps lint rightly names (no otherwise rule)
    out = capsys.readouterr().out
    # lint's analysis ranges role over the declared ids too: rules testing them are reachable
    assert "unknown authority" not in out and "unreachable" not in out and "[undecided]" in out


def test_service_decides_with_declared_ids_and_lists_them_in_its_schemas(tmp_path: Path) -> None:
    # Over real HTTP, as a county's Java system would: the facts schema's role enum holds the county's own id
    # (a client generator still makes an enum type), and a decision names the declared authority.
    from livekit import LiveServer

    from villagepolicy.service import ServiceConfig

    root = county(tmp_path)
    with LiveServer(ServiceConfig(packs=str(root))) as live:
        body = {"facts": {"role": "village_revival_instructor", "days": 5}, "on": ON}
        got = live.call("POST", "/v1/jurisdictions/testcounty/questions/leave_approval/decide", body)
        assert got.status == 200 and got.json()["approvers"][-1] == "county_principal_leader"
        schema = live.call("GET", "/v1/questions/leave_approval/facts-schema").json()
        assert schema["properties"]["role"]["enum"][0] == "first_secretary"
        assert "village_revival_instructor" in schema["properties"]["role"]["enum"]
        doc = live.call("GET", "/v1/openapi.json").json()
        from openapi_spec_validator import validate

        validate(doc)  # still a valid OpenAPI document with the county's ids in it
        assert "village_revival_instructor" in json.dumps(doc["components"]["schemas"])


def test_roster_cells_take_a_declared_role_by_its_chinese_label(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    import datetime as dt

    from rosterkit import csv_roster, daily, person

    root = county(tmp_path / "county")
    people = [person("p1", "张三", "乡村振兴指导员", "testcounty"), person("p2", "李四", "第一书记", "testcounty")]
    attendance = daily("p1", dt.date(2024, 1, 1), 40) + daily("p1", dt.date(2024, 2, 10), 5, "leave_approved")
    roster = csv_roster(tmp_path / "roster", people, attendance)
    assert main(["check", str(roster), "--packs", str(root), "--on", ON, "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["people"] == 2
    [leave] = [r for r in report["subjects"][0]["results"] if r["question"] == "leave_approval"]
    assert (leave["outcome"], leave["rules"]) == ("approve", ["tc-leave-long"])  # 5 days: the declared role's tier
