"""Leave approval: every tier boundary of Shiquan 13(2) and Tongwei 14, and the not_covered documents."""

from __future__ import annotations

import json

import pytest

import villagepolicy as vp

ON = "2022-06-01"


def leave(j: str, role: str, days: int, engine: str, on: str = ON) -> vp.Decision:
    return vp.decide(j, "leave_approval", {"role": role, "days": days}, on=on, engine=engine)


@pytest.mark.parametrize(
    ("days", "outcome", "approvers"),
    [
        (1, "approve", ["town_party_committee"]),
        (5, "approve", ["town_party_committee"]),
        (6, "approve", ["county_org_dept"]),
        (10, "approve", ["county_org_dept"]),
        (11, "approve", ["dispatching_unit", "county_org_dept"]),
        (30, "approve", ["dispatching_unit", "county_org_dept"]),
        (31, "recall", []),
    ],
)
def test_shiquan_13_2_first_secretary_tiers(days: int, outcome: str, approvers: list[str], engine: str) -> None:
    d = leave("shiquan", "first_secretary", days, engine)
    assert (d.outcome, d.approvers) == (outcome, approvers)
    assert any(c.clause == "13(2)" and c.pack == "shiquan-2021" and "连续请假" in c.text_zh for c in d.citations)


@pytest.mark.parametrize(
    ("days", "outcome", "approvers"),
    [
        (5, "approve", ["town_party_committee"]),
        (6, "approve", ["county_rural_revitalization_bureau"]),
        (10, "approve", ["county_rural_revitalization_bureau"]),
        (11, "approve", ["dispatching_unit", "county_rural_revitalization_bureau"]),
        (30, "approve", ["dispatching_unit", "county_rural_revitalization_bureau"]),
        (31, "recall", []),
    ],
)
def test_shiquan_13_2_team_member_tiers(days: int, outcome: str, approvers: list[str], engine: str) -> None:
    d = leave("shiquan", "team_member", days, engine)
    assert (d.outcome, d.approvers) == (outcome, approvers)


def test_shiquan_13_2_leave_over_30_days_recalls(engine: str) -> None:
    d = leave("shiquan", "team_member", 31, engine)
    assert d.outcome == "recall"
    assert d.actions == ["recall", "reselect"]
    assert d.actors == ["dispatching_unit"]
    assert "leave-30-day-recall" in {c.interpretation for c in d.citations}


def test_shiquan_13_2_ten_days_cites_the_closed_tier_interpretation(engine: str) -> None:
    d = leave("shiquan", "first_secretary", 10, engine)
    interp = [c for c in d.citations if c.interpretation == "leave-10-day-boundary"]
    assert interp and interp[0].clause == "13(2)" and "closed tier" in (interp[0].reading_en or "")
    assert d.trace == ["sq-leave-fs-medium"]


def test_shiquan_13_2_team_leader_not_first_secretary_follows_member_tier(engine: str) -> None:
    # Issue 14 item 7: a leader who is not the first secretary is one of the 工作队员 (article 7: vetted by the
    # county rural revitalization bureau); 11's 原则上 does not carry the first secretary's tier to them.
    d = leave("shiquan", "team_leader", 7, engine)
    assert d.approvers == ["county_rural_revitalization_bureau"]
    assert {"11", "13(2)", "7"} <= {c.clause for c in d.citations}
    assert "leave-team-leader-as-first-secretary" in {c.interpretation for c in d.citations}
    assert d.approvers != leave("shiquan", "first_secretary", 7, engine).approvers


def test_shiquan_13_2_party_building_instructor_not_covered(engine: str) -> None:
    d = leave("shiquan", "party_building_instructor", 3, engine)
    assert d.outcome == "not_covered"
    assert [c.clause for c in d.citations] == ["13(2)"]


@pytest.mark.parametrize("role", ["team_leader", "first_secretary"])
@pytest.mark.parametrize(
    ("days", "outcome", "approvers", "filed"),
    [
        (1, "approve", ["town_party_secretary"], []),
        (3, "approve", ["town_party_secretary"], []),
        (4, "approve", ["town_party_secretary", "county_leading_group_office"], ["dispatching_unit"]),
        (15, "approve", ["town_party_secretary", "county_leading_group_office"], ["dispatching_unit"]),
        (16, "over_limit", ["town_party_secretary", "county_leading_group_office"], ["dispatching_unit"]),
    ],
)
def test_tongwei_14_leader_tiers(role: str, days: int, outcome: str, approvers: list, filed: list, engine: str) -> None:
    d = leave("tongwei", role, days, engine)
    assert (d.outcome, d.approvers, d.filed_with) == (outcome, approvers, filed)
    assert d.citations[0].pack == "tongwei-2018" and d.citations[0].clause == "14"


@pytest.mark.parametrize(
    ("days", "outcome", "approvers"),
    [
        (3, "approve", ["team_leader"]),
        (4, "approve", ["team_leader", "town_party_secretary"]),
        (15, "approve", ["team_leader", "town_party_secretary"]),
        (16, "over_limit", ["team_leader", "town_party_secretary"]),
    ],
)
def test_tongwei_14_members_are_not_filed_with_dispatching_unit(
    days: int, outcome: str, approvers: list, engine: str
) -> None:
    d = leave("tongwei", "team_member", days, engine)
    assert (d.outcome, d.approvers, d.filed_with) == (outcome, approvers, [])


def test_tongwei_14_three_days_is_the_closed_tier(engine: str) -> None:
    d = leave("tongwei", "first_secretary", 3, engine)
    assert "leave-3-day-boundary" in {c.interpretation for c in d.citations}


def test_tongwei_14_over_15_days_flagged_with_interpretation(engine: str) -> None:
    d = leave("tongwei", "team_leader", 16, engine)
    assert d.outcome == "over_limit"
    assert "leave-15-day-limit" in {c.interpretation for c in d.citations}


def test_guizhou_i_2_leave_delegated_not_covered(engine: str) -> None:
    d = leave("guizhou", "first_secretary", 7, engine, on="2017-06-01")
    assert d.outcome == "not_covered"
    assert [(c.pack, c.clause) for c in d.citations] == [("guizhou-2017", "I.2")]
    assert "黔党建办发〔2016〕8号" in d.citations[0].text_zh


def test_guizhou_falls_back_to_central_iv_2_in_the_poverty_period(engine: str) -> None:
    d = leave("guizhou", "first_secretary", 7, engine, on="2019-06-01")
    assert d.outcome == "not_covered"
    assert [(c.pack, c.clause) for c in d.citations] == [("guizhou-2017", "I.2"), ("central-2017", "IV(2)")]
    assert d.packs == ["guizhou-2017", "central-2017"]


def test_xiangyin_leave_not_covered(engine: str) -> None:
    d = leave("xiangyin", "party_building_instructor", 7, engine)
    assert d.outcome == "not_covered"
    assert {c.clause for c in d.citations} == {"III", "V(1)"}


def test_central_iv_2_leave_delegated(engine: str) -> None:
    d = leave("central", "team_member", 2, engine)
    assert d.outcome == "not_covered"
    assert [(c.pack, c.clause) for c in d.citations] == [("central-2017", "IV(2)")]


def test_pack_not_in_force_before_it_was_issued_cites_the_period_of_force(engine: str) -> None:
    # Issue 14 items 4 and 8: between the central guideline's window (until 2020) and Shiquan's measures
    # (from 2021-08-31) nothing is in force; the not_covered cites the clauses that show both periods.
    d = leave("shiquan", "first_secretary", 7, engine, on="2021-03-01")
    assert d.outcome == "not_covered" and d.notes
    assert {(c.pack, c.clause) for c in d.citations} == {
        ("shiquan-2021", "22"),
        ("central-2017", "preamble"),
        ("central-2017", "II(3)"),
    }
    # In 2020 the central guideline was Shiquan's fallback: it delegates leave (IV(2)).
    d = leave("shiquan", "first_secretary", 7, engine, on="2020-01-01")
    assert d.outcome == "not_covered"
    assert [(c.pack, c.clause) for c in d.citations] == [("central-2017", "IV(2)")]


def test_jurisdiction_object_and_to_dict_round_trip() -> None:
    j = vp.jurisdiction("shiquan")
    d = j.decide("leave_approval", {"role": "first_secretary", "days": 7}, on=ON)
    data = json.loads(json.dumps(d.to_dict(), ensure_ascii=False))
    assert data["outcome"] == "approve" and data["approvers"] == ["county_org_dept"]
    assert data["on"] == ON and data["trace"] == ["sq-leave-fs-medium"]
    assert type(d).model_validate(data) == d
