"""`villagepolicy impact`: a one-line pack edit lists exactly the people whose outcome changes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rosterkit import csv_roster, daily, person

from villagepolicy.cli import main
from villagepolicy.library import shipped_root

# Each number is written once, as a parameter (issue 17): an edit is one value.
RECALL_AFTER = '    cites: ["13(2)"]\n    values:\n      2021-08-31: 30\n'


@pytest.fixture
def packs(tmp_path: Path) -> tuple[Path, Path]:
    """The shipped Shiquan pack, and a copy whose 13(2) recall starts over 35 days instead of over 30 (one value)."""
    old, new = tmp_path / "old" / "rules", tmp_path / "new" / "rules"
    for d in (old, new):
        d.mkdir(parents=True)
        shutil.copy(shipped_root() / "rules" / "shiquan-2021.yaml", d)
    text = (new / "shiquan-2021.yaml").read_text(encoding="utf-8")
    assert text.count(RECALL_AFTER) == 1
    edited = text.replace(RECALL_AFTER, RECALL_AFTER.replace(": 30", ": 35"))
    (new / "shiquan-2021.yaml").write_text(edited, encoding="utf-8")
    return old.parent, new.parent


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    import datetime as dt

    people = [person("p1", "张三", "first_secretary"), person("p2", "李四"), person("p3", "王五")]
    att = daily("p1", dt.date(2022, 3, 1), 20, "leave_approved")  # 20 days: approved under both versions
    att += daily("p2", dt.date(2022, 3, 1), 33, "leave_approved")  # 33 days: recall before, not after
    att += daily("p3", dt.date(2022, 3, 1), 40, "leave_approved")  # 40 days: recall under both
    return csv_roster(tmp_path / "roster", people, att)


def test_shiquan_13_2_recall_threshold_edit_changes_only_the_33_day_leave(
    packs: tuple[Path, Path], roster: Path, capsys: pytest.CaptureFixture
) -> None:
    old, new = packs
    code = main(
        [
            "impact",
            str(old),
            str(new),
            str(roster),
            "--as-of",
            "2023-01-01",
            "--question",
            "leave_approval",
            "--format",
            "json",
        ]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    (change,) = data["changes"]
    assert change["subject"] == "p2" and change["question"] == "leave_approval"
    assert change["old"]["outcome"] == "recall" and change["old"]["rules"] == ["sq-leave-recall"]
    # The approval tier and the recall both read the one parameter: 31–35 days move to the tier, no gap opens.
    assert change["new"]["outcome"] == "approve" and change["new"]["rules"] == ["sq-leave-member-long"]
    assert data["old_counts"]["violation"] == 2 and data["new_counts"]["violation"] == 1
    assert [c["clause"] for c in change["clauses"]] == ["13(2)"]


def test_impact_text_and_fail_on_change(packs: tuple[Path, Path], roster: Path, capsys: pytest.CaptureFixture) -> None:
    old, new = packs
    assert (
        main(
            [
                "impact",
                str(old),
                str(new),
                str(roster),
                "--as-of",
                "2023-01-01",
                "--question",
                "leave_approval",
                "--fail-on-change",
            ]
        )
        == 1
    )
    out = capsys.readouterr().out
    assert "1 项变化 change(s)" in out and "p2 李四 · leave_approval 2022-03-01..2022-04-02" in out
    assert "规则 rules: sq-leave-recall → sq-leave-member-long" in out
    assert (
        main(
            [
                "impact",
                str(old),
                str(old),
                str(roster),
                "--as-of",
                "2023-01-01",
                "--question",
                "leave_approval",
                "--fail-on-change",
            ]
        )
        == 0
    )
    assert "没有变化 no outcome changes" in capsys.readouterr().out


def test_impact_with_a_broken_pack_exits_2_naming_the_line(packs: tuple[Path, Path], roster: Path, capsys) -> None:
    old, new = packs
    f = new / "rules" / "shiquan-2021.yaml"
    text = f.read_text(encoding="utf-8")
    f.write_text(text.replace("days: {gt: {parameter: leave_recall_after_days}}", "dayz: {gt: 35}"), encoding="utf-8")
    assert (
        main(["impact", str(old), str(new), str(roster), "--as-of", "2023-01-01", "--question", "leave_approval"]) == 2
    )
    err = capsys.readouterr().err
    assert f"{f}:" in err and "dayz" in err


STAY_MIN = '    cites: ["12"]\n    values:\n      2021-08-31: 20\n'


@pytest.fixture
def stay_18(tmp_path: Path) -> tuple[Path, Path]:
    """Shiquan's article 12 monthly 20 days changed to 18 in a copy of the packs (one number)."""
    old, new = tmp_path / "old" / "rules", tmp_path / "new" / "rules"
    for d in (old, new):
        d.mkdir(parents=True)
        shutil.copy(shipped_root() / "rules" / "shiquan-2021.yaml", d)
    text = (new / "shiquan-2021.yaml").read_text(encoding="utf-8")
    assert text.count(STAY_MIN) == 1
    (new / "shiquan-2021.yaml").write_text(text.replace(STAY_MIN, STAY_MIN.replace(": 20", ": 18")), encoding="utf-8")
    return old.parent, new.parent


SHIQUAN = str(Path(__file__).resolve().parents[1] / "examples" / "rosters" / "shiquan.xlsx")


def test_one_number_change_on_the_shiquan_sample_prints_no_same_outcome_change(
    stay_18: tuple[Path, Path], capsys: pytest.CaptureFixture
) -> None:
    old, new = stay_18
    assert main(["impact", str(old), str(new), SHIQUAN, "--on", "2023-01-01", "--fail-on-change"]) == 0
    out = capsys.readouterr().out
    assert "没有变化 no outcome changes" in out
    assert "达标 compliant → 达标 compliant" not in out and "compliant →" not in out
    assert "372 项 detail-only change(s)" in out and "--details" in out
    assert len(out.splitlines()) <= 5  # not 1,491 lines
    assert "{" not in out and "[" not in out.replace("[✗", "")  # no Python reprs


def test_impact_details_list_only_what_differs_without_reprs(
    stay_18: tuple[Path, Path], capsys: pytest.CaptureFixture
) -> None:
    old, new = stay_18
    assert main(["impact", str(old), str(new), SHIQUAN, "--on", "2023-01-01", "--details", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "<details><summary>结论不变的细节变化 detail-only changes (372)</summary>" in out
    assert "counts.min_days_per_month.required: 20 → 18" in out
    assert "{'" not in out and "':" not in out


def test_impact_groups_outcome_changes_by_question_and_clause_with_counts(
    packs: tuple[Path, Path], roster: Path, capsys: pytest.CaptureFixture
) -> None:
    old, new = packs
    args = ["impact", str(old), str(new), str(roster), "--on", "2023-01-01", "--question", "leave_approval"]
    assert main([*args, "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "#### 请假审批 leave_approval" in out
    assert "| shiquan-2021 13(2) | 召回 recall [✗ 违规] | 批准 approve | 1 |" in out
    assert main([*args, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "leave approval (leave_approval)" in out and "recall [✗ violation] → approve: 1" in out
