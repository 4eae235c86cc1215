"""The command line: human and JSON output, exit codes, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from villagepolicy.cli import main


def test_decide_prints_chinese_with_clause_text(capsys: pytest.CaptureFixture) -> None:
    code = main(
        [
            "decide",
            "shiquan",
            "leave_approval",
            "--on",
            "2022-05-01",
            "--facts",
            '{"role": "first_secretary", "days": 12}',
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "派出单位" in out and "县委组织部" in out
    assert "第一书记连续请假5天以内由镇党委批准" in out  # the verbatim clause
    assert "sq-leave-fs-long" in out


def test_decide_json(capsys: pytest.CaptureFixture) -> None:
    assert (
        main(
            [
                "decide",
                "tongwei",
                "leave_approval",
                "--json",
                "--on",
                "2019-01-02",
                "--facts",
                '{"role": "team_leader", "days": 4}',
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["approvers"] == ["town_party_secretary", "county_leading_group_office"]
    assert data["filed_with"] == ["dispatching_unit"]


def test_decide_facts_from_file(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    f = tmp_path / "facts.yaml"
    f.write_text("role: team_member\ndays: 31\n", encoding="utf-8")
    assert main(["decide", "shiquan", "leave_approval", "--json", "--facts", f"@{f}"]) == 0
    assert json.loads(capsys.readouterr().out)["actions"] == ["recall", "reselect"]


@pytest.mark.parametrize(
    "argv",
    [
        ["decide", "atlantis", "leave_approval", "--facts", "{}"],
        ["decide", "shiquan", "pay_rise", "--facts", "{}"],
        ["decide", "shiquan", "leave_approval", "--facts", '{"role": "mayor", "days": 1}'],
        ["decide", "shiquan", "leave_approval", "--facts", "{role: [unclosed"],
        ["decide", "shiquan", "leave_approval", "--facts", "@/nonexistent/facts.yaml"],
        ["decide", "shiquan", "leave_approval", "--on", "2022-13-01", "--facts", '{"role": "team_member", "days": 1}'],
    ],
)
def test_bad_input_exits_2_with_a_message(argv: list[str], capsys: pytest.CaptureFixture) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.strip() and "Traceback" not in err


def test_list(capsys: pytest.CaptureFixture) -> None:
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for j in ("central", "guizhou", "tongwei", "xiangyin", "shiquan"):
        assert j in out


def test_installed_entry_point_runs() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "villagepolicy.cli",
            "decide",
            "shiquan",
            "leave_approval",
            "--facts",
            '{"role": "team_member", "days": 2}',
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["approvers"] == ["town_party_committee"]


def test_a_written_report_has_the_mode_a_plain_file_would_have(tmp_path: Path) -> None:
    import os
    import stat

    from villagepolicy.commands.core import write_atomic

    old = os.umask(0o022)
    try:
        new = tmp_path / "report.xml"
        write_atomic(new, "<testsuites/>\n")
        assert stat.S_IMODE(new.stat().st_mode) == 0o644  # readable by a CI server running as another user
        kept = tmp_path / "kept.json"
        kept.write_text("{}")
        kept.chmod(0o640)
        write_atomic(kept, "[]\n")
        assert stat.S_IMODE(kept.stat().st_mode) == 0o640 and kept.read_text() == "[]\n"
    finally:
        os.umask(old)
