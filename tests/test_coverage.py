"""docs/coverage.md: generated from the packs, current, and every clause cited, marked or explicitly pending."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import villagepolicy as vp
from villagepolicy.cli import main
from villagepolicy.coverage import clause_coverage, coverage_problems, load_pending, render_markdown

# docs/ live in the checkout, not in the installed wheel
ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "coverage.md"
PENDING = ROOT / "docs" / "coverage-pending.yaml"


def test_docs_coverage_md_is_generated_from_the_current_packs() -> None:
    lib = vp.default_library()
    text = render_markdown(lib, clause_coverage(lib, load_pending(PENDING)))
    assert DOC.read_text(encoding="utf-8") == text, "docs/coverage.md is stale: run `villagepolicy coverage`"


def test_every_clause_is_cited_marked_or_pending() -> None:
    lib = vp.default_library()
    pending = load_pending(PENDING)
    problems = coverage_problems(lib, pending, clause_coverage(lib, pending))
    assert problems == [], "\n".join(problems)


def test_not_encodable_marks_are_only_on_clauses_no_rule_cites() -> None:
    items = clause_coverage(vp.default_library(), load_pending(None))
    lib = vp.default_library()
    both = [
        f"{i.pack} {i.clause}"
        for i in items
        if i.status == "cited" and lib.packs[i.pack].clauses[i.clause].not_encodable is not None
    ]
    assert both == [], f"cited clauses still marked not_encodable: {both}"


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
      - id: "1"
        text_zh: "为加强管理，制定本办法。"
        summary_en: Purpose.
        not_encodable: {reason: declaratory, note_en: Purpose.}
      - id: "9"
        text_zh: "工作队员请假7天以内由镇党委批准。"
        summary_en: Leave up to 7 days.
      - id: "10"
        text_zh: "工作队每周学习一次。"
        summary_en: Weekly study.
    rules:
      - id: lk-leave
        question: leave_approval
        when: {role: team_member, days: {lte: 7}}
        then: {outcome: approve, approvers: [town_party_committee]}
        cites: ["9"]
    """
)


@pytest.fixture
def county(tmp_path: Path) -> Path:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "lakeside-2024.yaml").write_text(PACK, encoding="utf-8")
    # its own pending list (the shipped one is empty once every issue has landed)
    (tmp_path / "pending.yaml").write_text("pending:\n", encoding="utf-8")
    return tmp_path


def test_cli_coverage_reports_an_unmarked_clause(county: Path, capsys: pytest.CaptureFixture) -> None:
    out = county / "coverage.md"
    args = ["coverage", "--packs", str(county), "--pending", str(county / "pending.yaml"), "-o", str(out)]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "lakeside-2024 10: 既未编码也未标注 neither cited by a rule nor marked not_encodable" in err
    text = out.read_text(encoding="utf-8")
    assert "| 9 | Leave up to 7 days. | 已编码 cited | leave_approval: lk-leave |" in text
    assert "| 1 | Purpose. | 不可编码 not encodable | declaratory: Purpose. |" in text
    # listed as pending, the same clause passes; the generated file is then current
    with (county / "pending.yaml").open("a", encoding="utf-8") as f:
        f.write('  lakeside-2024:\n    "10": {issues: [99], question: duties}\n')
    assert main(args) == 0
    assert main([*args, "--check"]) == 0
    assert "| 10 | Weekly study. | 待编码 pending | duties (issue #99) |" in out.read_text(encoding="utf-8")


def test_cli_coverage_check_fails_on_a_stale_file_and_writes_nothing(
    county: Path, capsys: pytest.CaptureFixture
) -> None:
    out = county / "coverage.md"
    out.write_text("old\n", encoding="utf-8")
    code = main(
        ["coverage", "--packs", str(county), "--pending", str(county / "pending.yaml"), "-o", str(out), "--check"]
    )
    assert code == 1 and out.read_text(encoding="utf-8") == "old\n"
    assert "已过期 out of date" in capsys.readouterr().err


def test_a_stale_pending_entry_is_refused(county: Path, capsys: pytest.CaptureFixture) -> None:
    with (county / "pending.yaml").open("a", encoding="utf-8") as f:
        f.write(
            '  lakeside-2024:\n    "9": {issues: [99], question: leave_approval}\n'
            '    "10": {issues: [1], question: duties}\n'
        )
    code = main(["coverage", "--packs", str(county), "--pending", str(county / "pending.yaml"), "-o", "-"])
    assert code == 1
    assert "coverage-pending: lakeside-2024 9 is now cited; remove it" in capsys.readouterr().err


def test_a_bad_pending_file_is_a_located_error(county: Path, capsys: pytest.CaptureFixture) -> None:
    (county / "pending.yaml").write_text('pending:\n  central-2017:\n    "I(2)": {issues: [], question: x}\n')
    code = main(["coverage", "--packs", str(county), "--pending", str(county / "pending.yaml"), "-o", "-"])
    assert code == 2 and "pending.yaml:3:" in capsys.readouterr().err


def test_prune_removes_entries_that_are_now_cited(county: Path, capsys: pytest.CaptureFixture) -> None:
    pending = county / "pending.yaml"
    pending.write_text(
        'pending:\n  lakeside-2024:\n    "9": {issues: [2], question: leave_approval}\n'
        '    "10": {issues: [7], question: duties}\n',
        encoding="utf-8",
    )
    out = county / "coverage.md"
    code = main(["coverage", "--packs", str(county), "--pending", str(pending), "-o", str(out), "--prune"])
    assert "removed from pending.yaml: lakeside-2024 9" in capsys.readouterr().err
    text = pending.read_text(encoding="utf-8")
    assert '"10": {issues: [7], question: duties}' in text and '"9"' not in text
    assert code == 0  # 9 is cited now, 10 still pending, every shipped clause cited or marked


def test_a_cited_clause_that_is_still_marked_is_refused(county: Path, capsys: pytest.CaptureFixture) -> None:
    pack = county / "rules" / "lakeside-2024.yaml"
    pack.write_text(
        PACK.replace(
            "summary_en: Leave up to 7 days.",
            "summary_en: Leave up to 7 days.\n    not_encodable: {reason: qualitative, note_en: x}",
        ),
        encoding="utf-8",
    )
    code = main(["coverage", "--packs", str(county), "--pending", str(county / "pending.yaml"), "-o", "-"])
    # The loader refuses it now (issue 17), at the citation's line, before coverage is counted.
    err = capsys.readouterr().err
    assert code != 0 and "lakeside-2024.yaml:" in err and "已标为不可编码 (qualitative)" in err
