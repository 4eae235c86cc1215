"""`villagepolicy explain`: every rule of a question, which fired, with the verbatim clause text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from villagepolicy.cli import main

HISTORY = """role: team_member
history:
  - {date: "2024-03-05", kind: absent_on_inspection, leave_procedure_followed: false}
  - {date: "2024-04-10", kind: absent_on_inspection, leave_procedure_followed: true}
  - {date: "2024-05-12", kind: absent_on_inspection, leave_procedure_followed: false}
"""


@pytest.fixture
def history(tmp_path: Path) -> Path:
    f = tmp_path / "history.yaml"
    f.write_text(HISTORY, encoding="utf-8")
    return f


def test_explain_shiquan_escalation_prints_the_ladder_with_clause_text(
    history: Path, capsys: pytest.CaptureFixture
) -> None:
    code = main(["explain", "shiquan", "escalation", "--facts", f"@{history}", "--on", "2024-06-01"])
    out = capsys.readouterr().out
    assert code == 0
    lines = out.splitlines()
    # every step of the 13(4) ladder is shown; the second (two unexcused findings) is the one that fired
    # one table row per rule: fired mark, id, condition, effect (issue 15: tables a person can read)
    assert any(line.startswith("│ · │ sq-esc-absence-criticism ") for line in lines)
    assert any(line.startswith("│ ✓ │ sq-esc-absence-talk ") for line in lines)
    assert any(line.startswith("│ · │ sq-esc-absence-recall ") for line in lines)
    assert "对未按要求驻村的队员,发现一次批评教育;二次谈话通报" in out  # 13(4) verbatim
    assert "absences_unexcused_year = 2 [2]" in out  # the condition with the case's value
    assert "最高等次 grade_cap: 称职 (competent)：驻村考勤问题限制等次" in out
    assert "2年内不得提拔使用" in out and "kind=" not in out and "years=" not in out  # bans in words
    assert "结论 outcome: 谈话通报 (talk_and_notice)" in out


def test_explain_marks_the_otherwise_rule_and_later_packs(capsys: pytest.CaptureFixture) -> None:
    facts = '{"role": "first_secretary", "days": 7}'
    assert main(["explain", "guizhou", "leave_approval", "--facts", facts, "--on", "2019-06-01"]) == 0
    out = capsys.readouterr().out
    assert "│ ✓ │ gz-leave-delegated │ 否则 otherwise │" in out
    assert "guizhou-2017" in out and "central-2017" in out
    assert "黔党建办发〔2016〕8号" in out


def test_explain_json_lists_every_rule_with_fired_flag(history: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["explain", "shiquan", "escalation", "--json", "--facts", f"@{history}", "--on", "2024-06-01"]) == 0
    data = json.loads(capsys.readouterr().out)
    rules = {r["id"]: r for r in data["packs"][0]["rules"]}
    assert rules["sq-esc-absence-talk"]["fired"] and not rules["sq-esc-absence-recall"]["fired"]
    assert rules["sq-esc-absence-talk"]["cites"][0]["clause"] == "13(4)"
    assert data["case"]["absences_unexcused_year"] == 2
    assert data["decision"]["grade_cap"] == "competent"


def test_explain_bad_facts_exit_2(capsys: pytest.CaptureFixture) -> None:
    facts = '{"role": "team_member", "history": [{"date": "2024-03-05", "kind": "napping"}]}'
    assert main(["explain", "shiquan", "escalation", "--facts", facts, "--on", "2024-06-01"]) == 2
    assert "history.0.kind" in capsys.readouterr().err
