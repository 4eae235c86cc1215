"""Issue 17 (item 3): neutral facts — the number comes out of the fact's name and into the pack.

Shiquan 12: villages in the county-town planning area or within 3 km of the town government seat may keep a
night rota of at least 2 members; elsewhere members eat and live in the village. The distance is a fact
(km_from_town_seat), the 3 km a parameter (night_duty_radius_km); village_within_3km still works, deprecated.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import villagepolicy as vp
from villagepolicy.library import shipped_root

ON = "2022-06-01"


def lodging(facts: dict, lib: vp.Library | None = None, engine: str = "durable") -> str:
    d = (lib or vp.default_library()).decide("shiquan", "stay_requirement", {"role": "team_member", **facts}, ON,
                                               engine=engine)  # fmt: skip
    return d.requirement.lodging


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({"km_from_town_seat": 2.5}, "night_duty_rota"),
        ({"km_from_town_seat": 3}, "night_duty_rota"),  # 3公里以内 includes 3
        ({"km_from_town_seat": 3.1, "in_county_town_planning_area": False}, "eat_and_live_in_village"),
        ({"in_county_town_planning_area": True, "km_from_town_seat": 12.0}, "night_duty_rota"),
        ({"km_from_town_seat": 5.0}, "depends_on_village_location"),  # might still be in the planning area
        ({"in_county_town_planning_area": False}, "depends_on_village_location"),  # the distance decides
        ({}, "depends_on_village_location"),
    ],
)
def test_shiquan_12_lodging_from_the_distance_and_the_planning_area(facts: dict, expected: str, engine: str) -> None:
    assert lodging(facts, engine=engine) == expected


def test_shiquan_12_old_village_within_3km_still_decides_and_says_it_is_deprecated() -> None:
    with pytest.warns(vp.errors.DeprecatedFactWarning, match="village_within_3km"):
        assert lodging({"village_within_3km": True}) == "night_duty_rota"
    with pytest.warns(vp.errors.DeprecatedFactWarning):
        assert lodging({"village_within_3km": False}) == "eat_and_live_in_village"


def test_the_old_and_the_new_facts_together_are_refused_naming_them() -> None:
    with pytest.raises(vp.FactError, match="village_within_3km"):
        lodging({"village_within_3km": True, "km_from_town_seat": 10.0})


def shiquan_with(tmp_path: Path, old: str, new: str) -> vp.Library:
    """The shipped packs with Shiquan's pack edited once, as a county's policy staff would (YAML only)."""
    text = (shipped_root() / "rules" / "shiquan-2021.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "shiquan-2021.yaml").write_text(text.replace(old, new), encoding="utf-8")
    return vp.load(tmp_path)


def test_a_county_with_a_5_km_rule_is_a_yaml_change(tmp_path: Path) -> None:
    radius = '    unit: km\n    cites: ["12"]\n    values:\n      2021-08-31: 3\n'
    lib = shiquan_with(tmp_path, radius, radius.replace(": 3\n", ": 5\n"))
    assert lodging({"km_from_town_seat": 4.0}, lib) == "night_duty_rota"
    assert lodging({"km_from_town_seat": 4.0, "in_county_town_planning_area": False}) == "eat_and_live_in_village"


# Shiquan 13(2): 连续请假超过30天的，由派出单位召回. The leave is an event with its days; the 30 is the pack's
# parameter leave_recall_after_days; the old kind leave_over_30_days still recalls, and says it is deprecated.


def escalation(history: list[dict], lib: vp.Library | None = None, engine: str = "durable") -> vp.Decision:
    return (lib or vp.default_library()).decide("shiquan", "escalation", {"role": "team_member", "history": history},
                                                "2022-12-01", engine=engine)  # fmt: skip


@pytest.mark.parametrize(("days", "outcome"), [(29, "none"), (30, "none"), (31, "recall"), (120, "recall")])
def test_shiquan_13_2_a_leave_taken_over_30_days_recalls(days: int, outcome: str, engine: str) -> None:
    d = escalation([{"date": "2022-04-10", "kind": "leave_taken", "days": days}], engine=engine)
    assert d.outcome == outcome
    assert not d.manual_checks  # a leave is no conduct a document must name


def test_shiquan_13_2_old_leave_over_30_days_still_recalls_and_says_it_is_deprecated() -> None:
    with pytest.warns(vp.errors.DeprecatedFactWarning, match="leave_over_30_days.*leave_taken"):
        d = escalation([{"date": "2022-04-10", "kind": "leave_over_30_days"}])
    assert (d.outcome, d.actions) == ("recall", ["recall", "reselect"])


def test_a_leave_taken_carries_its_days() -> None:
    with pytest.raises(vp.FactError, match="days"):
        escalation([{"date": "2022-04-10", "kind": "leave_taken"}])


def test_a_county_with_a_15_day_recall_is_a_yaml_change(tmp_path: Path) -> None:
    recall = '    cites: ["13(2)"]\n    values:\n      2021-08-31: 30\n'
    lib = shiquan_with(tmp_path, recall, recall.replace(": 30\n", ": 15\n"))
    leave = [{"date": "2022-04-10", "kind": "leave_taken", "days": 20}]
    assert escalation(leave, lib).outcome == "recall"
    assert escalation(leave).outcome == "none"


# Tongwei 24: 年度考核为基本称职及以下等次……可调整更换. The grade is a fact; "及以下" is the rule's list of grades.


def term(facts: dict) -> vp.Decision:
    base = {"role": "team_member", "start_date": "2018-06-01"}
    return vp.decide("tongwei", "term_and_handover", {**base, **facts}, on="2019-06-01")


@pytest.mark.parametrize(
    ("grade", "adjusted"), [("incompetent", True), ("basically_competent", True), ("competent", False)]
)
def test_tongwei_24_an_annual_grade_basically_competent_or_below_allows_adjustment(grade: str, adjusted: bool) -> None:
    d = term({"exit_reason": "annual_grade", "annual_grade": grade})
    assert ("tw-term-adjustment-grade" in d.trace) is adjusted
    assert (d.term_binding is False, d.approvers == ["county_org_dept"]) == (adjusted, adjusted)


def test_tongwei_24_old_exit_reason_still_works_and_says_it_is_deprecated() -> None:
    with pytest.warns(vp.errors.DeprecatedFactWarning, match="graded_basically_competent_or_below"):
        d = term({"exit_reason": "graded_basically_competent_or_below"})
    assert d.term_binding is False


def test_an_annual_grade_exit_needs_the_grade() -> None:
    with pytest.raises(vp.FactError, match="annual_grade"):
        term({"exit_reason": "annual_grade"})
    with pytest.raises(vp.FactError, match="annual_grade"):
        term({"exit_reason": "health", "annual_grade": "competent"})
