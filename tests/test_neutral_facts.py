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


def test_a_county_with_a_5_km_rule_is_a_yaml_change(tmp_path: Path) -> None:
    text = (shipped_root() / "rules" / "shiquan-2021.yaml").read_text(encoding="utf-8")
    radius = '    unit: km\n    cites: ["12"]\n    values:\n      2021-08-31: 3\n'
    assert text.count(radius) == 1
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "shiquan-2021.yaml").write_text(text.replace(radius, radius.replace(": 3\n", ": 5\n")),
                                                          encoding="utf-8")  # fmt: skip
    assert lodging({"km_from_town_seat": 4.0}, vp.load(tmp_path)) == "night_duty_rota"
    assert lodging({"km_from_town_seat": 4.0, "in_county_town_planning_area": False}) == "eat_and_live_in_village"
