"""Team composition: Shiquan 4, 6 and 11, Tongwei 3 and 4, central I(2) and II(2); silence elsewhere."""

from __future__ import annotations

from typing import Any

import pytest

import villagepolicy as vp

ON = "2022-06-01"
POOR_ON = "2019-06-01"  # inside the 脱贫攻坚 period, when the central guideline applies


def fs(town: bool = False) -> dict[str, Any]:
    return {"role": "first_secretary", "dispatched_by_town": town}


def member(town: bool = False) -> dict[str, Any]:
    return {"role": "team_member", "dispatched_by_town": town}


def team(
    j: str,
    engine: str,
    members: list[dict[str, Any]],
    tags: list[str],
    on: str = ON,
    leader_is_first_secretary: bool = True,
    **extra: Any,
) -> vp.Decision:
    facts = {"village_tags": tags, "members": members, "leader_is_first_secretary": leader_is_first_secretary}
    return vp.decide(j, "team_composition", {**facts, **extra}, on=on, engine=engine)


def finding(d: vp.Decision, fid: str) -> vp.Finding:
    (f,) = [f for f in d.findings if f.id == fid]
    return f


# ── Shiquan ──


def test_shiquan_6_first_secretary_and_two_members_comply(engine: str) -> None:
    d = team("shiquan", engine, [fs(), member(), member()], ["poverty_alleviated"], unit_staff_size=30)
    assert d.outcome == "compliant"
    assert {f.id for f in d.findings} == {
        "first_secretary",
        "team_members",
        "unit_members",
        "leader_is_first_secretary",
    }
    assert d.shortfalls == [] and d.actors == []  # type: ignore[attr-defined]


def test_shiquan_6_one_member_short_the_town_party_committee_fills_the_gap(engine: str) -> None:
    d = team("shiquan", engine, [fs(), member()], ["relocation_site"], unit_staff_size=30)
    assert d.outcome == "non_compliant"
    f = finding(d, "team_members")
    assert (f.passed, f.hedged) == (False, False)
    assert "镇党委" in f.message_zh
    (gap,) = d.shortfalls  # type: ignore[attr-defined]
    assert (gap.count, gap.required, gap.actual, gap.missing, gap.fill_by) == (
        "team_members",
        2,
        1,
        1,
        ["town_party_committee"],
    )
    assert d.actors == ["town_party_committee"]


def test_shiquan_6_members_sent_by_the_town_count_toward_the_two(engine: str) -> None:
    d = team("shiquan", engine, [fs(), member(), member(town=True)], ["revitalization_demo"], unit_staff_size=30)
    assert d.outcome == "compliant"
    note = finding(d, "town_filled")
    assert (note.passed, note.severity) == (True, "note")
    assert "team-member-count" in {c.interpretation for c in d.citations}


def test_shiquan_6_staff_of_20_is_in_the_upper_tier_19_is_not(engine: str) -> None:
    town_only = [fs(), member(town=True), member(town=True)]
    d20 = team("shiquan", engine, town_only, ["poverty_alleviated"], unit_staff_size=20)
    d19 = team("shiquan", engine, town_only, ["poverty_alleviated"], unit_staff_size=19)
    assert d20.outcome == "non_compliant"
    f = finding(d20, "unit_members")
    assert (f.passed, f.hedged) == (False, False)
    (gap,) = d20.shortfalls  # type: ignore[attr-defined]
    assert (gap.count, gap.missing, gap.fill_by) == ("unit_team_members", 1, ["dispatching_unit"])
    assert d19.outcome == "compliant"
    assert finding(d19, "unit_members").severity == "note"
    for d in (d19, d20):
        readings = {c.interpretation: c.reading_en for c in d.citations if c.interpretation}
        assert "20 in the upper tier" in (readings["team-staff-20-boundary"] or "")


def test_shiquan_6_unit_of_20_with_one_member_of_its_own_complies(engine: str) -> None:
    d = team("shiquan", engine, [fs(), member(), member(town=True)], ["poverty_alleviated"], unit_staff_size=20)
    assert (d.outcome, finding(d, "unit_members").passed) == ("compliant", True)


def test_shiquan_6_unknown_staff_size_is_a_manual_check(engine: str) -> None:
    d = team("shiquan", engine, [fs(), member(), member()], ["poverty_alleviated"])
    assert d.outcome == "compliant"
    assert [m.id for m in d.manual_checks] == ["unit_members"]


def test_shiquan_11_leader_not_the_first_secretary_is_a_warning(engine: str) -> None:
    members = [fs(), {"role": "team_leader", "dispatched_by_town": False}, member()]
    d = team("shiquan", engine, members, ["poverty_alleviated"], leader_is_first_secretary=False, unit_staff_size=30)
    assert d.outcome == "compliant_with_warnings"
    f = finding(d, "leader_is_first_secretary")
    assert (f.passed, f.hedged) == (False, True)
    assert f.citation is not None and f.citation.clause == "11"
    assert finding(d, "team_members").passed  # the leader counts among the 工作队员


def test_shiquan_6_several_failures_at_once(engine: str) -> None:
    d = team(
        "shiquan",
        engine,
        [member(town=True)],
        ["poverty_alleviated"],
        leader_is_first_secretary=False,
        unit_staff_size=25,
    )
    assert d.outcome == "non_compliant"
    assert {f.id for f in d.findings if not f.passed} == {
        "first_secretary",
        "team_members",
        "unit_members",
        "leader_is_first_secretary",
    }
    assert {s.count for s in d.shortfalls} == {"first_secretaries", "team_members", "unit_team_members"}  # type: ignore[attr-defined]
    assert d.actors == ["dispatching_unit", "town_party_committee"]


def test_shiquan_4_weak_party_organisation_village_needs_a_first_secretary_only(engine: str) -> None:
    d = team("shiquan", engine, [fs(town=True)], ["weak_party_org"])
    assert (d.outcome, [f.id for f in d.findings]) == ("compliant", ["first_secretary"])
    assert team("shiquan", engine, [member()], ["weak_party_org"], leader_is_first_secretary=False).outcome == (
        "non_compliant"
    )


def test_shiquan_4_other_villages_not_covered(engine: str) -> None:
    d = team("shiquan", engine, [fs()], ["registered_poor"])
    assert (d.outcome, [c.clause for c in d.citations]) == ("not_covered", ["4"])


# ── Tongwei ──


def test_tongwei_4_team_of_3_complies_2_is_a_warning(engine: str) -> None:
    three = team("tongwei", engine, [fs(), member(), member()], ["registered_poor"])
    two = team("tongwei", engine, [fs(), member()], ["deep_poverty"])
    assert three.outcome == "compliant"
    assert two.outcome == "compliant_with_warnings"
    f = finding(two, "team_size")
    assert (f.passed, f.hedged) == (False, True)
    assert "一般不少于3人" in f.message_zh


def test_tongwei_3_leader_in_principle_first_secretary(engine: str) -> None:
    members = [fs(), {"role": "team_leader", "dispatched_by_town": False}, member()]
    d = team("tongwei", engine, members, ["registered_poor"], leader_is_first_secretary=False)
    assert d.outcome == "compliant_with_warnings"
    assert finding(d, "leader_is_first_secretary").citation.clause == "3"  # type: ignore[union-attr]


def test_tongwei_3_one_first_secretary_per_village(engine: str) -> None:
    assert team("tongwei", engine, [fs(), fs(), member()], ["registered_poor"]).outcome == "non_compliant"
    none = team("tongwei", engine, [member(), member(), member()], ["registered_poor"], leader_is_first_secretary=False)
    assert none.outcome == "non_compliant"


def test_tongwei_other_villages_not_covered(engine: str) -> None:
    assert team("tongwei", engine, [fs()], ["key_village"]).outcome == "not_covered"
    assert team("tongwei", engine, [fs()], ["key_village"], on=POOR_ON).outcome == "not_covered"


# ── central ──


def test_central_II_2_team_generally_at_least_3(engine: str) -> None:
    assert team("central", engine, [fs(), member(), member()], ["registered_poor"]).outcome == "compliant"
    d = team("central", engine, [fs(), member()], ["registered_poor"], leader_is_first_secretary=False)
    assert d.outcome == "compliant_with_warnings"
    assert {f.id for f in d.findings if not f.passed} == {"team_size", "leader_is_first_secretary"}
    assert all(f.hedged for f in d.findings if not f.passed)


def test_central_other_villages_not_covered(engine: str) -> None:
    d = team("central", engine, [fs()], ["revitalization_demo"])
    assert (d.outcome, [c.clause for c in d.citations]) == ("not_covered", ["I(2)"])


# ── Guizhou, Xiangyin ──


def test_guizhou_I_5_silent_on_composition_central_fills_until_2020(engine: str) -> None:
    d = team("guizhou", engine, [fs(), member()], ["registered_poor"])
    assert (d.outcome, [c.clause for c in d.citations]) == ("not_covered", ["I.5"])
    d2019 = team("guizhou", engine, [fs(), member()], ["registered_poor"], on=POOR_ON)
    assert (d2019.outcome, d2019.packs) == ("compliant_with_warnings", ["guizhou-2017", "central-2017"])


def test_xiangyin_does_not_regulate_teams(engine: str) -> None:
    instructor = {"role": "party_building_instructor", "dispatched_by_town": False}
    d = team("xiangyin", engine, [instructor], ["key_village"], leader_is_first_secretary=False)
    assert (d.outcome, [c.clause for c in d.citations]) == ("not_covered", ["preamble"])


# ── bad facts ──


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({"members": [{"role": "captain", "dispatched_by_town": False}]}, "members"),
        ({"members": [{"role": "team_member"}]}, "members"),
        ({"unit_staff_size": -1}, "unit_staff_size"),
        ({"unit_staff_size": "20"}, "unit_staff_size"),
        ({"village_tags": ["poor"]}, "village_tags"),
        ({"leader_is_first_secretary": "yes"}, "leader_is_first_secretary"),
    ],
)
def test_malformed_team_facts_name_the_field(facts: dict[str, Any], field: str, engine: str) -> None:
    base = {"village_tags": ["poverty_alleviated"], "members": [fs()], "leader_is_first_secretary": True}
    with pytest.raises(vp.FactError) as e:
        vp.decide("shiquan", "team_composition", {**base, **facts}, on=ON, engine=engine)
    assert e.value.problems[0][0].split(".")[0] == field


def test_contradictory_leader_facts_are_fact_errors(engine: str) -> None:
    leader = {"role": "team_leader", "dispatched_by_town": False}
    with pytest.raises(vp.FactError) as e:
        team("shiquan", engine, [fs(), leader, member()], ["poverty_alleviated"])
    assert [p[0] for p in e.value.problems] == ["leader_is_first_secretary"]
    with pytest.raises(vp.FactError):
        team("shiquan", engine, [member(), member()], ["poverty_alleviated"])
    with pytest.raises(vp.FactError) as e:
        team("shiquan", engine, [fs(), leader, leader], ["poverty_alleviated"], leader_is_first_secretary=False)
    assert [p[0] for p in e.value.problems] == ["members"]


def test_shiquan_4_weak_village_without_a_first_secretary_names_no_dispatching_unit(engine: str) -> None:
    d = team("shiquan", engine, [], ["weak_party_org"], leader_is_first_secretary=False)
    assert d.outcome == "non_compliant"
    assert finding(d, "first_secretary").citation.clause == "4"  # type: ignore[union-attr]
    assert d.shortfalls == [] and d.actors == []  # type: ignore[attr-defined]
    poor = team("shiquan", engine, [member(), member()], ["poverty_alleviated"], leader_is_first_secretary=False)
    assert [(s.count, s.fill_by) for s in poor.shortfalls] == [("first_secretaries", ["dispatching_unit"])]  # type: ignore[attr-defined]
