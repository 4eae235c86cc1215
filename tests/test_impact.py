"""`villagepolicy impact`: a one-line pack edit lists exactly the people whose outcome changes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rosterkit import csv_roster, daily, person

from villagepolicy.cli import main
from villagepolicy.library import shipped_root

RECALL_WHEN = "when: {role: {in: [first_secretary, team_leader, team_member]}, days: {gte: 31}}"


@pytest.fixture
def packs(tmp_path: Path) -> tuple[Path, Path]:
    """The shipped Shiquan pack, and a copy whose 13(2) recall starts at 36 days instead of 31 (one line)."""
    old, new = tmp_path / "old" / "rules", tmp_path / "new" / "rules"
    for d in (old, new):
        d.mkdir(parents=True)
        shutil.copy(shipped_root() / "rules" / "shiquan-2021.yaml", d)
    text = (new / "shiquan-2021.yaml").read_text(encoding="utf-8")
    assert text.count(RECALL_WHEN) == 1
    (new / "shiquan-2021.yaml").write_text(text.replace(RECALL_WHEN, RECALL_WHEN.replace("31", "36")), encoding="utf-8")
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
    assert change["old"]["outcome"] == "recall" and change["old"]["rules"] == ["sq-leave-over-30-recall"]
    # 31–35 days now fall in no rule of the pack: the edit opens a gap, which the report shows.
    assert change["new"]["outcome"] == "not_covered" and change["new"]["rules"] == ["sq-leave-other-roles"]
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
    assert "规则 rules: sq-leave-over-30-recall → sq-leave-other-roles" in out
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
    f.write_text(f.read_text(encoding="utf-8").replace("days: {gte: 36}", "dayz: {gte: 36}"), encoding="utf-8")
    assert (
        main(["impact", str(old), str(new), str(roster), "--as-of", "2023-01-01", "--question", "leave_approval"]) == 2
    )
    err = capsys.readouterr().err
    assert f"{f}:" in err and "dayz" in err
