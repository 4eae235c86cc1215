"""`villagepolicy init`: a county's pack repository whose own CI steps pass on a fresh init, and after an edit."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import lakeside
import pytest
import yaml

from villagepolicy.cli import main

BIN = Path(sys.executable).parent

LEAVE_CLAUSE, LEAVE_RULES = lakeside.CLAUSE, lakeside.RULES

LEAVE_CASES = """  - name: 9 a member's 7 days go to the town party committee
    question: leave_approval
    facts: {role: team_member, days: 7}
    expect: {outcome: approve, approvers: [town_party_committee], rules: [lk-leave-short], cites: ["9"]}
  - name: 9 a member's 8 days go to the county org dept
    question: leave_approval
    facts: {role: team_member, days: 8}
    expect: {outcome: approve, approvers: [county_org_dept], rules: [lk-leave-long]}
  - name: 9 sets no tiers for first secretaries
    question: leave_approval
    facts: {role: first_secretary, days: 3}
    expect: {outcome: not_covered, rules: [lk-leave-other]}
"""


def ci_steps(folder: Path) -> list[str]:
    """The villagepolicy commands of the generated workflow, in order (installing is this test's job)."""
    workflow = yaml.safe_load((folder / ".github" / "workflows" / "villagepolicy.yml").read_text(encoding="utf-8"))
    runs = [step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]
    return [r for r in runs if r.startswith("villagepolicy ")]


def run_steps(folder: Path) -> list[subprocess.CompletedProcess[str]]:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("VILLAGEPOLICY_PACKS", None)
    return [
        subprocess.run(shlex.split(cmd), cwd=folder, env=env, capture_output=True, text=True, timeout=300)
        for cmd in ci_steps(folder)
    ]


def test_init_then_edit_the_pack_and_the_generated_ci_steps_pass(tmp_path: Path) -> None:
    folder = tmp_path / "lakeside"
    assert main(["init", str(folder), "--county", "lakeside", "--name-zh", "湖畔县", "--year", "2024"]) == 0
    steps = ci_steps(folder)
    assert [s.split()[1] for s in steps] == ["validate", "lint", "test", "check"]
    assert all("--packs ." in s for s in steps), "every step checks this folder"
    pack = folder / "rules" / "lakeside-2024.yaml"
    text = pack.read_text(encoding="utf-8")
    for q in ("leave_approval", "stay_compliance", "escalation"):
        assert f"# ── {q} ──" in text  # one section marker per question
    for done in run_steps(folder):  # a fresh init passes its own CI
        assert done.returncode == 0, done.args + [done.stdout, done.stderr]

    # The county's clause and tiers replace the placeholder; its cases replace the placeholder case.
    text = text.replace('  - id: "1"\n', LEAVE_CLAUSE + '  - id: "1"\n', 1)
    start = text.index("  - id: lakeside-leave-not-yet-encoded")
    end = text.index("  # ── ", start)  # the next question's marker
    text = text[:start] + LEAVE_RULES + text[end:]
    text = text.replace(
        '    text_zh: "（请把条款原文',
        '    not_encodable: {reason: declaratory, note_en: x}\n    text_zh: "（请把条款原文',
    )
    pack.write_text(text, encoding="utf-8")
    cases = folder / "rules-tests" / "lakeside-2024.yaml"
    head = cases.read_text(encoding="utf-8").split("  - name:")[0]
    cases.write_text(head + LEAVE_CASES, encoding="utf-8")
    results = run_steps(folder)
    for done in results:
        assert done.returncode == 0, done.args + [done.stdout, done.stderr]
    assert "规则覆盖率 rule coverage: 100.0% (3/3)" in results[2].stdout  # this folder's rules only

    # A case the pack no longer meets fails the CI's test step.
    cases.write_text(cases.read_text(encoding="utf-8").replace("days: 8}", "days: 7}", 1), encoding="utf-8")
    failing = run_steps(folder)
    assert failing[2].returncode == 1 and "✗" in failing[2].stdout


def test_init_refuses_to_overwrite_and_a_bad_county_id(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    folder = tmp_path / "x"
    assert main(["init", str(folder), "--county", "Bad Id"]) == 2
    assert "--county" in capsys.readouterr().err and not folder.exists()
    assert main(["init", str(folder), "--county", "x", "--year", "2024"]) == 0
    before = (folder / "rules" / "x-2024.yaml").read_text(encoding="utf-8")
    assert main(["init", str(folder), "--county", "x", "--year", "2024"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert (folder / "rules" / "x-2024.yaml").read_text(encoding="utf-8") == before
