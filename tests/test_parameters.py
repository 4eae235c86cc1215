"""Issue 17 (item 2): parameters — each policy number written once in a pack, dated and cited, referred to by name."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from rosterkit import csv_roster, daily, person

import villagepolicy as vp
from villagepolicy.cli import main
from villagepolicy.library import shipped_root

SHIQUAN = shipped_root() / "rules" / "shiquan-2021.yaml"
STAY_20 = '    cites: ["12"]\n    values:\n      2021-08-31: 20\n'  # stay_min_days_per_month's one value


def county_copy(tmp_path: Path, name: str, edit: tuple[str, str] | None = None) -> Path:
    """A folder whose rules/ holds a copy of Shiquan's pack (replacing the shipped one), optionally edited."""
    folder = tmp_path / name
    (folder / "rules").mkdir(parents=True)
    text = SHIQUAN.read_text(encoding="utf-8")
    if edit:
        assert text.count(edit[0]) == 1, edit[0]
        text = text.replace(*edit)
    (folder / "rules" / SHIQUAN.name).write_text(text, encoding="utf-8")
    return folder


def month(in_village: int) -> list[dict]:
    start = dt.date(2022, 3, 1)
    return [{"date": (start + dt.timedelta(days=i)).isoformat(), "kind": "in_village"} for i in range(in_village)]


def test_shiquan_12_monthly_20_is_one_value_for_stay_requirement_and_stay_compliance(tmp_path: Path) -> None:
    lib = vp.load(county_copy(tmp_path, "c", (STAY_20, STAY_20.replace(": 20", ": 18"))))
    req = lib.decide("shiquan", "stay_requirement", {"role": "team_member"}, on="2022-04-05")
    assert req.requirement.min_days_per_month == 18
    comp = lib.decide("shiquan", "stay_compliance", {"role": "team_member", "period": "2022-03",
                                                     "records": month(19)}, on="2022-04-05")  # fmt: skip
    assert comp.counts["min_days_per_month"].required == 18 and comp.outcome == "compliant"
    shipped = vp.decide("shiquan", "stay_compliance", {"role": "team_member", "period": "2022-03",
                                                        "records": month(19)}, on="2022-04-05")  # fmt: skip
    assert shipped.outcome == "non_compliant"


def test_impact_reports_the_one_value_edit_of_shiquan_12(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    old = county_copy(tmp_path, "old")
    new = county_copy(tmp_path, "new", (STAY_20, STAY_20.replace(": 20", ": 18")))
    att = daily("p1", dt.date(2022, 3, 1), 19)  # 19 days in March: short of 20, enough for 18
    roster = csv_roster(tmp_path / "roster", [person("p1", "张三")], att)
    args = ["impact", str(old), str(new), str(roster), "--on", "2022-04-05", "--question", "stay_compliance"]
    assert main([*args, "--format", "json"]) == 0
    changes = json.loads(capsys.readouterr().out)["changes"]
    outcomes = {(c["old"]["outcome"], c["new"]["outcome"]) for c in changes if c["subject"] == "p1"}
    assert ("non_compliant", "compliant") in outcomes  # March 2022: 19 days fail 20 and meet 18


def test_a_value_a_rule_reports_from_a_parameter_cites_the_parameters_clause(tmp_path: Path) -> None:
    # The parameters are said (for this test) to be set by more clauses: a rule reporting the value (in `then`,
    # or in its message text) cites them, while a rule using one only as a threshold in `when` keeps its own.
    cites = '    cites: ["12"]\n    values:\n      2021-08-31: 20\n'
    folder = county_copy(tmp_path, "c", (cites, cites.replace('["12"]', '["12", "13(4)"]')))
    pack = folder / "rules" / SHIQUAN.name
    text = pack.read_text(encoding="utf-8")
    six = '    cites: ["6"]\n    values:\n      2021-08-31: 20\n'  # unit_staff_size_two_posts, said here set by 6 and 5
    recall = '    cites: ["13(4)"]\n    values:\n      2021-08-31: 3\n'  # findings_for_recall, said set by 13(4), 13(2)
    text = text.replace(six, six.replace('["6"]', '["6", "5"]')).replace(recall, recall.replace('"]', '", "13(2)"]'))
    pack.write_text(text, encoding="utf-8")
    lib = vp.load(folder)
    d = lib.decide("shiquan", "stay_requirement", {"role": "team_member"}, on="2022-04-05")
    assert {"12", "13(4)"} <= {c.clause for c in d.citations}
    d = lib.decide("shiquan", "team_composition", {**TEAM, "unit_staff_size": 22}, on="2022-04-05")
    assert "5" in {c.clause for c in d.citations}  # its message says 编制{parameter.unit_staff_size_two_posts}人以上
    rules = lib.packs["shiquan-2021"].rules
    third = next(
        cr.rule
        for cr in rules
        if "absences_unexcused_year" in (cr.rule.when or {}) and cr.rule.then.get("grade_cap") == "basically_competent"
    )
    assert third.cites == ["13(4)"]  # findings_for_recall is only its threshold: 13(2) is not added


def test_lint_warns_on_a_literal_that_equals_a_parameter(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    ref = "          min: {parameter: stay_min_days_per_month}\n"
    folder = county_copy(tmp_path, "c", (ref, "          min: 20\n"))
    assert main(["lint", str(folder), "--strict"]) == 1
    out = capsys.readouterr().out
    assert "duplicate_literal" in out and "{parameter: stay_min_days_per_month}" in out


def test_an_unknown_parameter_is_refused_at_its_line_with_did_you_mean(tmp_path: Path) -> None:
    good = "min_days_per_month: {parameter: stay_min_days_per_month}"
    folder = county_copy(tmp_path, "c", (good, good.replace("stay_min_days_per_month", "stay_min_days_per_mont")))
    with pytest.raises(vp.PackError) as e:
        vp.load(folder)
    msg = str(e.value)
    assert "shiquan-2021.yaml:" in msg and "stay_min_days_per_mont" in msg and "stay_min_days_per_month" in msg


def test_a_value_changing_inside_the_packs_period_is_refused(tmp_path: Path) -> None:
    folder = county_copy(tmp_path, "c", (STAY_20, STAY_20 + "      2023-01-01: 22\n"))
    with pytest.raises(vp.PackError) as e:
        vp.load(folder)
    assert "2023-01-01" in str(e.value) and "split" in str(e.value)


def test_shipped_packs_have_no_number_twice() -> None:
    from villagepolicy.packs.lint import lint_tree

    report = lint_tree([shipped_root()])
    assert not [f for f in report.findings if f.check == "duplicate_literal"]


UNIT_20 = '    cites: ["6"]\n    values:\n      2021-08-31: 20\n'  # unit_staff_size_two_posts's one value
TEAM = {
    "village_tags": ["relocation_site"],
    "leader_is_first_secretary": True,
    "members": [{"role": "first_secretary", "dispatched_by_town": False}],
}


def test_shiquan_6_message_text_follows_its_parameter(tmp_path: Path) -> None:
    # "编制20人以上" is written {parameter.unit_staff_size_two_posts} in the message: changing the one 20 changes
    # which tier a unit of 22 falls in *and* the words the official reads.
    before = vp.load().jurisdiction("shiquan").decide("team_composition", {**TEAM, "unit_staff_size": 22}, "2022-03-01")
    lib = vp.load(county_copy(tmp_path, "c", (UNIT_20, UNIT_20.replace(": 20", ": 25"))))
    after = lib.jurisdiction("shiquan").decide("team_composition", {**TEAM, "unit_staff_size": 22}, "2022-03-01")
    said_before = json.dumps(before.to_dict(), ensure_ascii=False)
    said_after = json.dumps(after.to_dict(), ensure_ascii=False)
    assert "编制22人（20人以上）" in said_before and "编制22人（25人以下）" in said_after
    assert "（20人以" not in said_after


def test_an_unknown_parameter_in_a_message_is_refused_at_its_line(tmp_path: Path) -> None:
    good = "（{parameter.unit_staff_size_two_posts}人以下）"
    folder = county_copy(tmp_path, "c", (good, good.replace("two_posts", "two_post")))
    with pytest.raises(vp.PackError) as e:
        vp.load(folder)
    msg = str(e.value)
    assert "shiquan-2021.yaml:" in msg and "{parameter.unit_staff_size_two_post}" in msg
    assert "unit_staff_size_two_posts" in msg


def test_lint_warns_on_a_policy_number_written_in_a_message(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    good = "（{parameter.unit_staff_size_two_posts}人以下）"
    folder = county_copy(tmp_path, "c", (good, "（20人以下）"))
    assert main(["lint", str(folder), "--strict"]) == 1
    out = capsys.readouterr().out
    assert "duplicate_literal" in out and "{parameter.unit_staff_size_two_posts}" in out
