"""Pack and jurisdiction files: errors located as file:line:col, reloading, and a county added by YAML alone."""

from __future__ import annotations

import textwrap
from pathlib import Path

import lakeside
import pytest

import villagepolicy as vp
from villagepolicy.cli import main

PACK = lakeside.PACK

JURISDICTION = textwrap.dedent(
    """\
    id: lakeside
    name_zh: 湖畔县
    name_en: Lakeside County
    level: county
    parent: central
    packs:
      - pack: lakeside-2024
        why_en: The county's own measures.
    authorities:
      town_party_committee: 湖畔镇党委
    """
)


def write_tree(root: Path, pack: str = PACK, jur: str = JURISDICTION) -> Path:
    (root / "rules").mkdir(parents=True)
    (root / "jurisdictions").mkdir()
    (root / "rules" / "lakeside-2024.yaml").write_text(pack, encoding="utf-8")
    (root / "jurisdictions" / "lakeside.yaml").write_text(jur, encoding="utf-8")
    return root


def test_sixth_jurisdiction_added_by_yaml_alone(tmp_path: Path, engine: str) -> None:
    lib = vp.load(write_tree(tmp_path))
    assert "lakeside" in lib.jurisdictions() and "shiquan" in lib.jurisdictions()
    d = lib.jurisdiction("lakeside").decide(
        "leave_approval", {"role": "team_member", "days": 8}, on="2024-05-01", engine=engine
    )
    assert (d.outcome, d.approvers) == ("approve", ["county_org_dept"])
    assert d.citations[0].pack == "lakeside-2024" and d.citations[0].clause == "9"
    d = lib.decide("lakeside", "leave_approval", {"role": "team_member", "days": 7}, on="2024-05-01", engine=engine)
    assert d.approvers == ["town_party_committee"]
    # shipped jurisdictions still answer through the same library
    assert lib.decide("shiquan", "leave_approval", {"role": "team_member", "days": 7}, on="2022-01-01").approvers == [
        "county_rural_revitalization_bureau"
    ]


def test_sixth_jurisdiction_through_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    write_tree(tmp_path)
    code = main(
        [
            "decide",
            "lakeside",
            "leave_approval",
            "--packs",
            str(tmp_path),
            "--on",
            "2024-05-01",
            "--facts",
            '{"role": "team_member", "days": 3}',
        ]
    )
    out = capsys.readouterr().out
    assert code == 0 and "湖畔镇党委" in out and "工作队员请假7天以内" in out


def test_local_pack_replaces_shipped_pack_of_same_id(tmp_path: Path) -> None:
    shipped = vp.default_library().packs["shiquan-2021"]
    text = (
        Path(shipped.file)
        .read_text(encoding="utf-8")
        .replace(
            "then: {outcome: approve, approvers: [county_org_dept]}",
            "then: {outcome: approve, approvers: [town_party_committee]}",
        )
    )
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "shiquan-2021.yaml").write_text(text, encoding="utf-8")
    lib = vp.load(tmp_path)
    d = lib.decide("shiquan", "leave_approval", {"role": "first_secretary", "days": 7}, on="2022-01-01")
    assert d.approvers == ["town_party_committee"]
    assert vp.decide(
        "shiquan", "leave_approval", {"role": "first_secretary", "days": 7}, on="2022-01-01"
    ).approvers == ["county_org_dept"]


def test_loading_packs_twice_in_one_process_gives_same_answers(tmp_path: Path) -> None:
    root = write_tree(tmp_path)
    answers = []
    for _ in range(3):
        lib = vp.load(root)
        for j, role, days in (("lakeside", "team_member", 9), ("shiquan", "first_secretary", 12)):
            d = lib.decide(j, "leave_approval", {"role": role, "days": days}, on="2024-05-01")
            answers.append((d.outcome, tuple(d.approvers)))
    assert answers[:2] == answers[2:4] == answers[4:]


def problems_of(tmp_path: Path, pack: str) -> list[vp.Problem]:
    write_tree(tmp_path, pack=pack)
    with pytest.raises(vp.PackError) as e:
        vp.load(tmp_path)
    return e.value.problems


def test_rule_citing_missing_clause_is_located(tmp_path: Path) -> None:
    probs = problems_of(
        tmp_path, PACK.replace('cites: ["9"]\n  - id: lk-leave-long', 'cites: ["99"]\n  - id: lk-leave-long')
    )
    assert len(probs) == 1
    p = probs[0]
    assert p.file.endswith("lakeside-2024.yaml") and (p.line, p.col) == (18, 13) and "'99'" in p.message
    assert str(p).startswith(f"{p.file}:18:13: ")


def test_rule_without_citation_is_a_load_error(tmp_path: Path) -> None:
    probs = problems_of(tmp_path, PACK.replace('    cites: ["9"]\n  - id: lk-leave-long', "  - id: lk-leave-long"))
    assert any("cites" in p.message and p.line == 14 for p in probs)


def test_unknown_key_is_located(tmp_path: Path) -> None:
    # (Bad operators and bad values have tests of their own below.)
    broken = PACK.replace(
        "    question: leave_approval\n    when: {role: team_member, days: {lte: 7}}",
        "    question: leave_approval\n    whenn: {}\n    when: {role: team_member, days: {lte: 7}}",
    )
    probs = problems_of(tmp_path, broken)
    text = "\n".join(map(str, probs))
    assert "whenn" in text and "未知的键 unknown key" in text
    assert (probs[0].line, probs[0].col) == (16, 5)


def test_condition_errors_point_at_the_operator(tmp_path: Path) -> None:
    probs = problems_of(tmp_path, PACK.replace("days: {lte: 7}", "days: {atmost: 7}"))
    assert len(probs) == 1 and "atmost" in probs[0].message and (probs[0].line, probs[0].col) == (16, 38)


def test_condition_value_of_wrong_type(tmp_path: Path) -> None:
    probs = problems_of(tmp_path, PACK.replace("role: team_member, days: {lte: 7}", "role: team_membr, days: {lte: 7}"))
    assert len(probs) == 1 and "team_membr" in probs[0].message and "team_member" in probs[0].message


def test_yaml_11_surprises_are_refused(tmp_path: Path) -> None:
    probs = problems_of(tmp_path, PACK.replace("doc_no: null", "doc_no: no"))
    assert len(probs) == 1 and (probs[0].line, probs[0].col) == (5, 11) and "YAML 1.1" in probs[0].message


def test_duplicate_keys_are_refused(tmp_path: Path) -> None:
    probs = problems_of(
        tmp_path, PACK.replace("  source: lakeside.txt\n", "  source: lakeside.txt\n  source: again.txt\n")
    )
    assert len(probs) == 1 and probs[0].line == 9 and "duplicate" in probs[0].message


def test_jurisdiction_naming_unknown_pack(tmp_path: Path) -> None:
    write_tree(tmp_path, jur=JURISDICTION.replace("pack: lakeside-2024", "pack: lakeside-2025"))
    with pytest.raises(vp.PackError) as e:
        vp.load(tmp_path)
    (p,) = e.value.problems
    assert p.file.endswith("lakeside.yaml") and p.line == 7 and "lakeside-2025" in p.message


def test_validate_command_prints_file_line_col(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    write_tree(tmp_path, pack=PACK.replace("doc_no: null", "doc_no: off"))
    code = main(["validate", str(tmp_path / "rules" / "lakeside-2024.yaml")])
    out = capsys.readouterr().out
    assert code == 1 and "lakeside-2024.yaml:5:11:" in out


def test_validate_shipped_packs_is_clean(capsys: pytest.CaptureFixture) -> None:
    assert main(["validate"]) == 0
    assert "ok" in capsys.readouterr().out
