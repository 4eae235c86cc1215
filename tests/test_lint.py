"""`villagepolicy lint`: each check on a small pack built to trip it, located and with a counterexample."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import lakeside
import pytest
from pydantic import BaseModel, Field

from villagepolicy.cli import main
from villagepolicy.conditions import FieldSpec, parse
from villagepolicy.library import shipped_root
from villagepolicy.packs.lint import domain_of, lint_tree, regions, simplify
from villagepolicy.questions import QUESTIONS, Question

HEAD = lakeside.HEAD

OTHERWISE = """\
  - id: lk-leave-other
    question: leave_approval
    otherwise: true
    then: {outcome: not_covered}
    cites: ["9"]
"""


def rule(rid: str, when: str, then: str = "{outcome: approve, approvers: [town_party_committee]}") -> str:
    return f'  - id: {rid}\n    question: leave_approval\n    when: {when}\n    then: {then}\n    cites: ["9"]\n'


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
    """
)


def tree(tmp_path: Path, rules: str, extra: str = "", jur: str = JURISDICTION) -> Path:
    (tmp_path / "rules").mkdir(parents=True, exist_ok=True)
    (tmp_path / "jurisdictions").mkdir(exist_ok=True)
    (tmp_path / "rules" / "lakeside-2024.yaml").write_text(HEAD + extra + "rules:\n" + rules, encoding="utf-8")
    (tmp_path / "jurisdictions" / "lakeside.yaml").write_text(jur, encoding="utf-8")
    return tmp_path


def lint(root: Path) -> list:
    return lint_tree([shipped_root(), root], [root]).findings


def of(findings: list, check: str) -> list:
    return [f for f in findings if f.check == check]


def test_shipped_packs_lint_without_errors() -> None:
    report = lint_tree([shipped_root()])
    assert report.errors() == [], "\n".join(map(str, report.errors()))


def test_lint_command_on_shipped_packs_exits_0(capsys: pytest.CaptureFixture) -> None:
    assert main(["lint", "--quiet"]) == 0
    assert "0 个错误 error(s)" in capsys.readouterr().err


def test_shipped_packs_lint_clean_under_strict() -> None:
    # CI runs `villagepolicy lint --strict`: every clause cited or marked not_encodable, no unused readings.
    report = lint_tree([shipped_root()])
    assert report.findings == [], "\n".join(map(str, report.findings))


def test_clean_tiers_have_no_findings(tmp_path: Path) -> None:
    rules = rule("lk-short", "{role: team_member, days: {lte: 7}}") + rule(
        "lk-long", "{role: team_member, days: {gte: 8}}", "{outcome: approve, approvers: [county_org_dept]}"
    )
    found = lint(tree(tmp_path, rules + OTHERWISE))
    assert [f for f in found if f.level == "error"] == []


def test_gap_between_tiers_names_the_missing_day(tmp_path: Path) -> None:
    rules = rule("lk-short", "{role: team_member, days: {lte: 7}}") + rule(
        "lk-long", "{role: team_member, days: {gte: 9}}", "{outcome: approve, approvers: [county_org_dept]}"
    )
    (gap,) = of(lint(tree(tmp_path, rules + OTHERWISE)), "gap")
    assert gap.counterexample == {"role": "team_member", "days": 8}
    assert "lk-short" in gap.message and "lk-long" in gap.message
    # points at the `days` test of the rule above the gap
    assert (gap.line, gap.col) == (21, 37) and gap.file.endswith("lakeside-2024.yaml")
    assert str(gap).startswith(f"{gap.file}:21:37: 错误 error [gap] ")


def test_gap_at_shared_bound_when_both_tiers_exclude_it(tmp_path: Path) -> None:
    rules = rule("lk-short", "{role: team_member, days: {lt: 7}}") + rule(
        "lk-long", "{role: team_member, days: {gt: 7}}", "{outcome: approve, approvers: [county_org_dept]}"
    )
    (gap,) = of(lint(tree(tmp_path, rules + OTHERWISE)), "gap")
    assert gap.counterexample == {"role": "team_member", "days": 7}


def test_overlap_gives_a_case_both_rules_match(tmp_path: Path) -> None:
    rules = rule("lk-short", "{role: team_member, days: {lte: 7}}") + rule(
        "lk-long", "{role: {in: [team_member, team_leader]}, days: {gte: 7}}", "{outcome: recall}"
    )
    (ov,) = of(lint(tree(tmp_path, rules + OTHERWISE)), "overlap")
    assert ov.counterexample == {"role": "team_member", "days": 7}
    assert "lk-short" in ov.message and "lk-long" in ov.message and ov.level == "error"


def test_rules_that_agree_do_not_overlap(tmp_path: Path) -> None:
    rules = rule("lk-a", "{role: team_member, days: {lte: 7}}") + rule("lk-b", "{days: {lte: 3}}")
    assert of(lint(tree(tmp_path, rules + OTHERWISE)), "overlap") == []


def test_unreachable_rule(tmp_path: Path) -> None:
    rules = rule("lk-a", "{role: team_member}") + rule("lk-never", "{role: team_leader, days: {gte: 10, lte: 5}}")
    rules += rule("lk-beyond", "{role: first_secretary, days: {gt: 3660}}")  # the facts allow at most 3660 days
    found = of(lint(tree(tmp_path, rules + OTHERWISE)), "unreachable")
    assert sorted(f.message.split()[1] for f in found if f.level == "error") == ["lk-beyond", "lk-never"]


def test_otherwise_that_never_applies_is_a_warning(tmp_path: Path) -> None:
    (f,) = of(lint(tree(tmp_path, rule("lk-all", "{days: {gte: 1}}") + OTHERWISE)), "unreachable")
    assert f.level == "warning" and "lk-leave-other" in f.message


def test_undecided_without_otherwise(tmp_path: Path) -> None:
    (f,) = of(lint(tree(tmp_path, rule("lk-a", "{role: team_member}"))), "undecided")
    assert f.counterexample is not None and f.counterexample["role"] != "team_member"
    assert f.level == "error"


def test_interpretation_naming_missing_clause_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    extra = 'interpretations:\n  - id: i1\n    clauses: ["9", "11"]\n'
    extra += "    ambiguity_en: a\n    reading_en: b\n    why_en: c\n"
    root = tree(tmp_path, rule("lk-a", "{role: team_member}") + OTHERWISE, extra)
    (f,) = of(lint(root), "missing_clause")
    assert "'11'" in f.message and (f.line, f.col) == (15, 20)
    assert main(["lint", str(root)]) == 1
    assert f"{f.file}:15:20:" in capsys.readouterr().out


def test_uncited_clause_is_a_warning_unless_strict(tmp_path: Path) -> None:
    extra = '  - id: "10"\n    text_zh: "其他。"\n    summary_en: Other.\n'
    root = tree(tmp_path, rule("lk-a", "{role: team_member}") + OTHERWISE, extra)
    (f,) = of(lint(root), "uncited_clause")
    assert f.level == "warning" and "10" in f.message
    assert main(["lint", str(root)]) == 0
    assert main(["lint", "--strict", str(root)]) == 1


def test_not_encodable_clause_is_not_uncited(tmp_path: Path) -> None:
    extra = (
        '  - id: "10"\n    text_zh: "其他。"\n    summary_en: Other.\n'
        "    not_encodable: {reason: qualitative, note_en: people judge it}\n"
    )
    assert of(lint(tree(tmp_path, rule("lk-a", "{role: team_member}") + OTHERWISE, extra)), "uncited_clause") == []


def test_jurisdiction_left_without_an_answer_after_fallback_ends(tmp_path: Path) -> None:
    # lakeside's own pack answers nothing; central-2017 answers leave_approval only until its window ends.
    jur = JURISDICTION + '  - pack: central-2017\n    role: fallback\n    until: "2025-12-31"\n    why_en: x\n'
    root = tree(tmp_path, "", jur=jur)
    found = [f for f in of(lint(root), "undecided") if f.file.endswith("lakeside.yaml")]
    (f,) = [f for f in found if "leave_approval" in f.message]
    assert f.counterexample == {"on": "2026-01-01"} and f.level == "error"


def test_question_no_pack_answers_is_a_warning(tmp_path: Path) -> None:
    found = [f for f in of(lint(tree(tmp_path, "")), "unanswered") if "leave_approval" in f.message]
    assert len(found) == 1 and found[0].level == "warning"


def test_pack_that_does_not_load_is_reported_with_its_position(tmp_path: Path) -> None:
    root = tree(tmp_path, rule("lk-a", "{role: team_membr}") + OTHERWISE)
    (f,) = of(lint(root), "load")
    assert "team_membr" in f.message and f.level == "error"


def test_user_folder_lint_reports_only_its_own_files(tmp_path: Path) -> None:
    found = lint(tree(tmp_path, rule("lk-a", "{role: team_member}")))  # undecided: no otherwise
    assert found and all(Path(f.file).resolve().is_relative_to(tmp_path.resolve()) for f in found)


def test_json_output(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    rules = rule("lk-short", "{role: team_member, days: {lte: 7}}") + rule(
        "lk-long", "{role: team_member, days: {gte: 9}}", "{outcome: recall}"
    )
    assert main(["lint", "--json", str(tree(tmp_path, rules + OTHERWISE))]) == 1
    data = json.loads(capsys.readouterr().out)
    gap = next(d for d in data if d["check"] == "gap")
    assert gap["counterexample"] == {"role": "team_member", "days": 8} and gap["line"] == 21


class _ScoreCase(BaseModel):
    score: float = Field(ge=0, le=100)


def test_float_fields_are_split_between_constants() -> None:
    # `lte: 59` and `gte: 60` leave (59, 60) undecided: a midpoint must be among the candidates.
    q = Question("score_demo", "演示", _ScoreCase, _ScoreCase, _ScoreCase)
    d = domain_of(q, "score", FieldSpec("number"), [59, 60], tested_exists=False)
    assert 59.5 in d.values and min(d.values) == 0 and max(d.values) == 100
    conds = [simplify(parse({"score": {"lte": 59}}, q.specs)), simplify(parse({"score": {"gte": 60}}, q.specs))]
    undecided = [a["score"] for a, holds in regions(conds, {"score": d}, ["score"]) if not any(holds)]
    assert undecided == [59.5]


def test_every_shipped_question_is_linted() -> None:
    # lint walks each question a pack answers; a question must expose what lint needs.
    for q in QUESTIONS.values():
        assert q.hit_policy in ("unique", "collect") and q.specs
