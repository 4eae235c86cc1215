"""Eligibility on the command line, and the pack format of the collect questions (findings, facts, errors)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

import villagepolicy as vp
from villagepolicy.cli import main

ROOT = Path(__file__).resolve().parents[1]
CANDIDATE = ROOT / "examples" / "facts" / "xiangyin-candidate.yaml"


def test_decide_xiangyin_eligibility_prints_every_finding_with_its_clause_text(
    capsys: pytest.CaptureFixture,
) -> None:
    code = main(["decide", "xiangyin", "eligibility", "--on", "2022-03-01", "--facts", f"@{CANDIDATE}"])
    out = capsys.readouterr().out
    assert code == 0
    assert "须经审批 (needs_approval)" in out
    assert "审批 approvers: 县委组织部 (county_org_dept)" in out
    d = vp.decide("xiangyin", "eligibility", vp_facts(), on="2022-03-01")
    for f in d.findings + d.manual_checks:
        assert f.message_zh in out
        assert f.citation is not None
    # each clause a finding relies on is printed verbatim, II(3) and the reviewing clause IIIb(2)
    assert "党建指导员必须是中共党员(预备党员),原则上具备公务员(选调生)身份" in out
    assert "县委组织部负责对推荐人选进行审定" in out
    assert "elig-hedged-conditions" in out
    assert "? 是否属“特别优秀的事业编制人员”" in out  # the manual check, marked as such


def vp_facts() -> dict:
    from villagepolicy.packs.yamlread import read_yaml

    return read_yaml(CANDIDATE.read_bytes(), str(CANDIDATE)).data


def test_decide_eligibility_json_lists_findings(capsys: pytest.CaptureFixture) -> None:
    code = main(["decide", "xiangyin", "eligibility", "--on", "2022-03-01", "--json", "--facts", f"@{CANDIDATE}"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["outcome"] == "needs_approval"
    assert [f["id"] for f in data["findings"] if not f["passed"]] == ["civil_servant", "clerk_one_year"]
    assert all(f["citation"]["clause"] == "II(3)" for f in data["findings"])


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ('{role: party_building_instructor, birth_date: "2030-01-01"}', "birth_date"),
        ("{role: team_member, employment: contractor}", "employment"),
        ("{role: party_building_instructor, party_status: full_member, employment: civil_servant}", "education"),
    ],
)
def test_bad_eligibility_facts_exit_2_naming_the_field(facts: str, field: str, capsys: pytest.CaptureFixture) -> None:
    code = main(["decide", "xiangyin", "eligibility", "--on", "2022-06-01", "--facts", facts])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert field in captured.err and "Traceback" not in captured.err


PACK = textwrap.dedent(
    """\
    pack:
      id: lakeside-2024
      title_zh: 湖畔县驻村工作队管理办法
      issuer_zh: 中共湖畔县委办公室
      issued: "2024-01-10"
      effective_from: "2024-01-10"
      source: lakeside.txt
    clauses:
      - id: "5"
        text_zh: "第一书记必须是中共正式党员，原则上年龄在40周岁以下，由县委组织部审核。"
        summary_en: First secretaries must be full members and in principle 40 or under; the org dept reviews.
    rules:
      - id: lk-elig-member
        question: eligibility
        when: {role: first_secretary, party_status: full_member}
        then: {check: full_member, passed: true, message_zh: 中共正式党员}
        cites: ["5"]
      - id: lk-elig-not-member
        question: eligibility
        when: {role: first_secretary, party_status: {in: [probationary_member, non_member]}}
        then: {check: full_member, passed: false, message_zh: 第一书记必须是中共正式党员}
        cites: ["5"]
      - id: lk-elig-age
        question: eligibility
        when: {role: first_secretary, age: {lte: 40}}
        then: {check: age, passed: true, message_zh: "年龄{age}周岁"}
        cites: ["5"]
      - id: lk-elig-age-over
        question: eligibility
        when: {role: first_secretary, age: {gte: 41}}
        then: {check: age, passed: false, hedged: true, approvers: [county_org_dept], message_zh: "年龄{age}周岁"}
        cites: ["5"]
      - id: lk-elig-other
        question: eligibility
        otherwise: true
        then: {outcome: not_covered}
        cites: ["5"]
    """
)

JURISDICTION = textwrap.dedent(
    """\
    id: lakeside
    name_zh: 湖畔县
    name_en: Lakeside County
    level: county
    packs:
      - pack: lakeside-2024
        why_en: The county's own measures.
    """
)


def write_tree(root: Path, pack: str = PACK) -> Path:
    (root / "rules").mkdir(parents=True)
    (root / "jurisdictions").mkdir()
    (root / "rules" / "lakeside-2024.yaml").write_text(pack, encoding="utf-8")
    (root / "jurisdictions" / "lakeside.yaml").write_text(JURISDICTION, encoding="utf-8")
    return root


def test_sixth_county_adds_eligibility_by_yaml_alone(tmp_path: Path, engine: str) -> None:
    lib = vp.load(write_tree(tmp_path))
    facts = {"role": "first_secretary", "party_status": "full_member", "birth_date": "1984-06-02"}
    young = lib.decide("lakeside", "eligibility", facts, on="2025-06-01", engine=engine)
    old = lib.decide("lakeside", "eligibility", facts, on="2025-06-02", engine=engine)
    assert (young.outcome, old.outcome, old.approvers) == ("eligible", "needs_approval", ["county_org_dept"])
    assert [f.message_zh for f in young.findings] == ["中共正式党员", "年龄40周岁"]
    probationary = {**facts, "party_status": "probationary_member"}
    both = lib.decide("lakeside", "eligibility", probationary, on="2025-06-02", engine=engine)
    assert (both.outcome, [f.passed for f in both.findings]) == ("ineligible", [False, False])


@pytest.mark.parametrize(
    ("then", "says"),
    [
        ("{check: age, message_zh: x}", "passed"),
        ("{check: age, passed: true, note: pref, message_zh: x}", "exactly one"),
        ("{outcome: eligible}", "not_covered"),
        ("{check: age, passed: true}", "message_zh"),
        ("{check: age, passed: true, approvers: [county_org_dept], message_zh: x}", "approvers"),
        ("{check: age, passed: false, hedged: true, message_zh: '{agee}'}", "agee"),
        ("{requires_fact: birthday}", "birthday"),
        ("{check: age, passed: true, message_zh: x, approvers: [mayor]}", "rules[3].then.approvers[1]"),
    ],
)
def test_bad_then_of_a_collect_rule_is_located(tmp_path: Path, then: str, says: str) -> None:
    pack = PACK.replace('then: {check: age, passed: true, message_zh: "年龄{age}周岁"}', f"then: {then}")
    assert pack != PACK
    with pytest.raises(vp.PackError) as e:
        vp.load(write_tree(tmp_path, pack))
    (p,) = e.value.problems
    assert p.file.endswith("lakeside-2024.yaml") and p.line == 26
    assert says in p.message
