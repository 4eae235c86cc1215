"""Eligibility: every selection requirement of the five documents, on both sides of its bound."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

import villagepolicy as vp

ON = "2022-06-01"


def elig(j: str, facts: dict[str, Any], engine: str, on: str = ON) -> vp.Decision:
    return vp.decide(j, "eligibility", facts, on=on, engine=engine)


def finding(d: vp.Decision, fid: str) -> vp.Finding:
    (f,) = [f for f in d.findings if f.id == fid]
    return f


def failed(d: vp.Decision) -> set[str]:
    return {f.id for f in d.findings if not f.passed}


def interpretations(d: vp.Decision) -> set[str]:
    return {c.interpretation for c in d.citations if c.interpretation}


# ── Xiangyin II(3): party-building instructors ──

INSTRUCTOR = {
    "role": "party_building_instructor",
    "birth_date": "1990-01-01",
    "party_status": "full_member",
    "employment": "civil_servant",
    "education": "college",
    "clerk_since": "2015-07-01",
}


def instructor(engine: str, on: str = ON, **changes: Any) -> vp.Decision:
    return elig("xiangyin", {**INSTRUCTOR, **changes}, engine, on)


def test_xiangyin_II_3_candidate_meeting_every_condition_is_eligible(engine: str) -> None:
    d = instructor(engine)
    assert d.outcome == "eligible"
    assert {f.id for f in d.findings} == {"party_member", "civil_servant", "education", "age", "clerk_one_year"}
    assert all(f.passed for f in d.findings)
    for f in d.findings:
        assert f.citation is not None and f.citation.clause == "II(3)"
        assert "必须是中共党员(预备党员)" in f.citation.text_zh
    assert d.approvers == []


def test_xiangyin_II_3_age_35_on_the_decision_date_is_eligible_36_needs_approval(engine: str) -> None:
    # Born 1986-06-01: 35 full years on 2022-05-31, 36 from 2022-06-01.
    d35 = instructor(engine, on="2022-05-31", birth_date="1986-06-01")
    d36 = instructor(engine, on="2022-06-01", birth_date="1986-06-01")
    assert (d35.outcome, finding(d35, "age").passed) == ("eligible", True)
    assert "35周岁" in finding(d35, "age").message_zh
    assert d36.outcome == "needs_approval"
    age = finding(d36, "age")
    assert (age.passed, age.hedged, age.severity) == (False, True, "warning")
    assert "36周岁" in age.message_zh
    assert d36.approvers == ["county_org_dept"]
    assert "elig-35-inclusive" in interpretations(d35) | interpretations(d36)


def test_xiangyin_II_3_clerk_for_exactly_one_year_qualifies_364_days_does_not(engine: str) -> None:
    one_year = instructor(engine, on="2022-06-01", clerk_since="2021-06-01")
    short = instructor(engine, on="2022-05-31", clerk_since="2021-06-01")  # 364 days
    assert (one_year.outcome, finding(one_year, "clerk_one_year").passed) == ("eligible", True)
    assert (short.outcome, finding(short, "clerk_one_year").passed) == ("needs_approval", False)
    assert finding(short, "clerk_one_year").hedged
    assert "elig-clerk-1-year" in interpretations(short)


def test_xiangyin_II_3_never_a_clerk_is_a_hedged_failure(engine: str) -> None:
    facts = {k: v for k, v in INSTRUCTOR.items() if k != "clerk_since"}
    d = elig("xiangyin", facts, engine)
    f = finding(d, "clerk_one_year")
    assert (d.outcome, f.passed, f.hedged) == ("needs_approval", False, True)
    assert "未任科员" in f.message_zh


def test_xiangyin_II_3_probationary_member_is_eligible_non_member_is_not(engine: str) -> None:
    assert instructor(engine, party_status="probationary_member").outcome == "eligible"
    d = instructor(engine, party_status="non_member")
    f = finding(d, "party_member")
    assert (d.outcome, f.passed, f.hedged, f.severity) == ("ineligible", False, False, "violation")
    assert d.approvers == []


def test_xiangyin_II_3_outstanding_public_institution_staff_need_county_org_dept_approval(engine: str) -> None:
    d = instructor(engine, employment="public_institution")
    assert d.outcome == "needs_approval"
    assert d.approvers == ["county_org_dept"]
    f = finding(d, "civil_servant")
    assert (f.passed, f.hedged) == (False, True)
    assert "县委组织部审批同意" in f.message_zh
    # "特别优秀" is for people to judge: a manual check, never assumed.
    assert [m.id for m in d.manual_checks] == ["outstanding"]
    assert d.manual_checks[0].citation is not None and d.manual_checks[0].citation.clause == "II(3)"


@pytest.mark.parametrize("employment", ["civil_servant", "selected_graduate"])
def test_xiangyin_II_3_civil_servant_or_selected_graduate_qualifies(employment: str, engine: str) -> None:
    assert instructor(engine, employment=employment).outcome == "eligible"


@pytest.mark.parametrize("employment", ["soe", "temporary", "seconded", "logistics"])
def test_xiangyin_II_3_other_employment_is_hedged_for_the_reviewing_county_org_dept(
    employment: str, engine: str
) -> None:
    d = instructor(engine, employment=employment)
    assert (d.outcome, d.approvers) == ("needs_approval", ["county_org_dept"])
    assert any(c.clause == "IIIb(2)" for c in d.citations)
    assert d.manual_checks == []


def test_xiangyin_II_3_below_college_is_hedged(engine: str) -> None:
    d = instructor(engine, education="below_college")
    assert (d.outcome, failed(d)) == ("needs_approval", {"education"})


def test_xiangyin_II_3_lists_every_failure_and_a_hard_one_decides(engine: str) -> None:
    d = instructor(
        engine,
        party_status="non_member",
        employment="public_institution",
        education="below_college",
        birth_date="1980-01-01",
        clerk_since="2022-01-01",
    )
    assert d.outcome == "ineligible"
    assert failed(d) == {"party_member", "civil_servant", "education", "age", "clerk_one_year"}
    assert {f.id for f in d.findings if not f.passed and f.hedged} == {
        "civil_servant",
        "education",
        "age",
        "clerk_one_year",
    }
    assert d.approvers == []  # an ineligible candidate has nothing to approve


def test_xiangyin_II_3_needs_the_birth_date(engine: str) -> None:
    facts = {k: v for k, v in INSTRUCTOR.items() if k != "birth_date"}
    with pytest.raises(vp.FactError) as e:
        elig("xiangyin", facts, engine)
    assert [p[0] for p in e.value.problems] == ["birth_date"]
    assert "xy-elig-age-missing" in str(e.value)


def test_xiangyin_other_roles_not_covered(engine: str) -> None:
    d = elig("xiangyin", {"role": "team_member"}, engine)
    assert d.outcome == "not_covered"
    assert {c.clause for c in d.citations} == {"preamble", "II(3)"}
    assert d.notes


# ── Shiquan 5: first secretaries and members ──

SECRETARY = {
    "role": "first_secretary",
    "party_status": "full_member",
    "full_member_since": "2021-06-01",
    "employment": "civil_servant",
    "unit_level": "county",
    "fit_for_duty": True,
}


def secretary(engine: str, on: str = ON, **changes: Any) -> vp.Decision:
    return elig("shiquan", {**SECRETARY, **changes}, engine, on)


def test_shiquan_5_party_standing_of_exactly_one_year_qualifies_364_days_does_not(engine: str) -> None:
    one_year = secretary(engine, on="2022-06-01")
    short = secretary(engine, on="2022-05-31")
    assert (one_year.outcome, finding(one_year, "party_standing").passed) == ("eligible", True)
    assert "党龄1年" in finding(one_year, "party_standing").message_zh
    f = finding(short, "party_standing")
    assert (short.outcome, f.passed, f.hedged) == ("ineligible", False, False)
    assert "elig-party-standing-1-year" in interpretations(short)


def test_shiquan_5_qualitative_conditions_are_manual_checks(engine: str) -> None:
    d = secretary(engine)
    assert {m.id for m in d.manual_checks} == {
        "political_quality",
        "ability",
        "dedication",
        "five_checks",
        "promotable",
    }
    assert all(not m.passed and m.severity == "manual_check" for m in d.manual_checks)
    assert all(m.citation is not None for m in d.manual_checks)


def test_shiquan_5_fitness_not_given_is_a_manual_check_not_an_assumption(engine: str) -> None:
    facts = {k: v for k, v in SECRETARY.items() if k != "fit_for_duty"}
    d = elig("shiquan", facts, engine)
    assert "fit_for_duty" in {m.id for m in d.manual_checks}
    assert "fit_for_duty" not in {f.id for f in d.findings}


@pytest.mark.parametrize("employment", ["temporary", "seconded", "logistics"])
def test_shiquan_5_temporary_seconded_and_logistics_staff_may_not_be_sent(employment: str, engine: str) -> None:
    for role in ("first_secretary", "team_member"):
        d = secretary(engine, role=role, employment=employment)
        f = finding(d, "employment")
        assert (d.outcome, f.passed, f.hedged) == ("ineligible", False, False)


def test_shiquan_5_probationary_first_secretary_fails_membership_and_standing(engine: str) -> None:
    facts = {**SECRETARY, "party_status": "probationary_member"}
    del facts["full_member_since"]
    d = elig("shiquan", facts, engine)
    assert (d.outcome, failed(d)) == ("ineligible", {"full_member", "party_standing"})


def test_shiquan_5_several_failures_reported_at_once(engine: str) -> None:
    facts = {**SECRETARY, "party_status": "non_member", "employment": "seconded", "fit_for_duty": False}
    del facts["full_member_since"]
    d = elig("shiquan", facts, engine)
    assert d.outcome == "ineligible"
    assert failed(d) == {"full_member", "party_standing", "employment", "fit_for_duty"}
    assert all(f.citation is not None and f.citation.clause == "5" for f in d.findings)


def test_shiquan_5_member_who_is_no_party_member_is_eligible_with_a_note(engine: str) -> None:
    d = secretary(engine, role="team_member", party_status="non_member", full_member_since=None)
    assert d.outcome == "eligible"
    note = finding(d, "party_preference")
    assert (note.passed, note.severity) == (True, "note")
    assert "优先" in note.message_zh


def test_shiquan_5_town_cadres_for_weak_party_organisation_villages(engine: str) -> None:
    weak = secretary(engine, unit_level="township", village_tags=["weak_party_org"])
    assert (weak.outcome, finding(weak, "town_cadre").passed) == ("eligible", True)
    other = secretary(engine, unit_level="township", village_tags=["poverty_alleviated"])
    f = finding(other, "town_cadre")
    assert (other.outcome, other.approvers, f.hedged) == ("needs_approval", ["county_org_dept"], True)
    assert "elig-town-cadres" in interpretations(other)
    member = secretary(engine, role="team_member", unit_level="township")
    assert member.outcome == "eligible"
    assert finding(member, "town_cadre").citation.clause == "6"  # type: ignore[union-attr]


def test_shiquan_11_team_leader_meets_first_secretary_conditions_in_principle(engine: str) -> None:
    ok = secretary(engine, role="team_leader")
    assert ok.outcome == "eligible"
    facts = {**SECRETARY, "role": "team_leader", "party_status": "probationary_member"}
    del facts["full_member_since"]
    d = elig("shiquan", facts, engine)
    assert (d.outcome, d.approvers) == ("needs_approval", ["county_org_dept"])
    assert {f.id for f in d.findings if not f.passed and f.hedged} == {"full_member", "party_standing"}
    assert "elig-team-leader-as-first-secretary" in interpretations(d)


def test_shiquan_5_full_member_needs_the_date_of_full_membership(engine: str) -> None:
    facts = {k: v for k, v in SECRETARY.items() if k != "full_member_since"}
    with pytest.raises(vp.FactError) as e:
        elig("shiquan", facts, engine)
    assert [p[0] for p in e.value.problems] == ["full_member_since"]


def test_shiquan_instructors_not_covered(engine: str) -> None:
    d = elig("shiquan", {"role": "party_building_instructor"}, engine)
    assert (d.outcome, [c.clause for c in d.citations]) == ("not_covered", ["5"])


# ── Tongwei 4: team leaders ──

LEADER = {"role": "team_leader", "unit_level": "city", "rank": "section_reserve"}


def leader(engine: str, on: str = ON, **changes: Any) -> vp.Decision:
    return elig("tongwei", {**LEADER, **changes}, engine, on)


@pytest.mark.parametrize(
    ("unit_level", "rank", "outcome"),
    [
        ("central", "division_leader", "eligible"),
        ("provincial", "division_reserve", "eligible"),
        ("provincial", "section_leader", "ineligible"),
        ("central", "none", "ineligible"),
        ("city", "section_leader", "eligible"),
        ("county", "section_reserve", "eligible"),
        ("county", "division_leader", "eligible"),
        ("city", "none", "ineligible"),
    ],
)
def test_tongwei_4_leader_rank_by_sending_unit_level(unit_level: str, rank: str, outcome: str, engine: str) -> None:
    d = leader(engine, unit_level=unit_level, rank=rank)
    assert d.outcome == outcome
    assert finding(d, "leader_rank").passed is (outcome == "eligible")
    assert all(not f.hedged for f in d.findings)  # 必须: hard


def test_tongwei_4_senior_cadre_of_a_county_unit_cites_the_rank_floor_reading(engine: str) -> None:
    assert "elig-leader-rank-floor" in interpretations(leader(engine, unit_level="county", rank="division_leader"))


def test_tongwei_4_leader_from_a_township_unit_is_ineligible(engine: str) -> None:
    d = leader(engine, unit_level="township")
    assert (d.outcome, failed(d)) == ("ineligible", {"leader_unit_level"})


def test_tongwei_4_hard_case_village_may_send_a_unit_leadership_member(engine: str) -> None:
    d = leader(engine, rank="none", village_tags=["hard_case"], unit_leadership_member=True)
    assert (d.outcome, finding(d, "leader_rank").passed) == ("eligible", True)
    assert "elig-hard-case-leadership" in interpretations(d)
    no = leader(engine, rank="none", village_tags=["hard_case"], unit_leadership_member=False)
    assert no.outcome == "ineligible"
    elsewhere = leader(engine, rank="none", unit_leadership_member=True)
    assert elsewhere.outcome == "ineligible"


def test_tongwei_4_hard_case_village_asks_whether_the_leader_is_a_unit_leadership_member(engine: str) -> None:
    with pytest.raises(vp.FactError) as e:
        leader(engine, rank="none", village_tags=["hard_case"])
    assert [p[0] for p in e.value.problems] == ["unit_leadership_member"]


def test_tongwei_first_secretary_falls_back_to_the_central_guideline_until_2020(engine: str) -> None:
    d = elig("tongwei", {"role": "first_secretary", "fit_for_duty": True}, engine, on="2019-06-01")
    assert d.outcome == "eligible"
    assert d.packs == ["tongwei-2018", "central-2017"]
    assert {m.id for m in d.manual_checks} == {"political_quality", "work_style", "ability"}
    later = elig("tongwei", {"role": "first_secretary", "fit_for_duty": True}, engine, on="2022-06-01")
    assert later.outcome == "not_covered"
    assert [c.clause for c in later.citations] == ["4"]


# ── central II(3) ──


def test_central_II_3_leader_not_division_or_section_level_generally_needs_approval(engine: str) -> None:
    d = elig("central", {"role": "team_leader", "rank": "none", "fit_for_duty": True}, engine)
    f = finding(d, "leader_rank")
    assert (d.outcome, f.passed, f.hedged) == ("needs_approval", False, True)
    assert d.approvers == []  # the guideline names no one who may approve
    assert any("no authority" in n for n in d.notes)
    assert "elig-leader-rank-generally" in interpretations(d)
    ok = elig("central", {"role": "team_leader", "rank": "section_reserve", "fit_for_duty": True}, engine)
    assert ok.outcome == "eligible"


def test_central_II_3_health_is_required(engine: str) -> None:
    d = elig("central", {"role": "team_member", "fit_for_duty": False}, engine)
    assert (d.outcome, failed(d)) == ("ineligible", {"fit_for_duty"})


def test_central_instructors_not_covered(engine: str) -> None:
    assert elig("central", {"role": "party_building_instructor"}, engine).outcome == "not_covered"


# ── Guizhou I.5 ──


def test_guizhou_I_5_sets_no_selection_conditions(engine: str) -> None:
    d = elig("guizhou", {"role": "team_member", "unit_level": "county"}, engine, on="2022-06-01")
    assert d.outcome == "not_covered"
    assert [c.clause for c in d.citations] == ["I.5"]
    central_unit = elig("guizhou", {"role": "team_member", "unit_level": "central"}, engine, on="2022-06-01")
    assert central_unit.outcome == "not_covered"
    assert "gz-elig-central-unit-out-of-scope" in central_unit.trace
    # Until 2020 the central guideline fills the gap.
    d2019 = elig("guizhou", {"role": "team_member", "fit_for_duty": True}, engine, on="2019-06-01")
    assert (d2019.outcome, d2019.packs) == ("eligible", ["guizhou-2017", "central-2017"])


# ── bad facts ──


def test_unknown_employment_is_a_fact_error(engine: str) -> None:
    with pytest.raises(vp.FactError) as e:
        instructor(engine, employment="contractor")
    assert [p[0] for p in e.value.problems] == ["employment"]
    assert "civil_servant" in str(e.value)


def test_birth_date_after_the_decision_date_is_a_fact_error(engine: str) -> None:
    with pytest.raises(vp.FactError) as e:
        instructor(engine, birth_date="2022-06-02", clerk_since=None)
    assert [p[0] for p in e.value.problems] == ["birth_date"]
    assert "2022-06-01" in str(e.value)


@pytest.mark.parametrize("bad", ["2022/01/01", "20220101", "2022-02-30", 1640995200, "yesterday"])
def test_dates_must_be_iso_dates(bad: Any, engine: str) -> None:
    with pytest.raises(vp.FactError) as e:
        instructor(engine, birth_date=bad)
    assert [p[0] for p in e.value.problems] == ["birth_date"]


def test_dates_may_be_date_objects_but_not_datetimes(engine: str) -> None:
    assert instructor(engine, birth_date=dt.date(1990, 1, 1)).outcome == "eligible"
    with pytest.raises(vp.FactError):
        instructor(engine, birth_date=dt.datetime(1990, 1, 1, 8, 0))


def test_contradictory_and_impossible_dates_are_fact_errors(engine: str) -> None:
    with pytest.raises(vp.FactError) as e:
        secretary(engine, party_status="probationary_member")
    assert [p[0] for p in e.value.problems] == ["full_member_since"]
    with pytest.raises(vp.FactError) as e:
        instructor(engine, clerk_since="1985-01-01")
    assert [p[0] for p in e.value.problems] == ["clerk_since"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("fit_for_duty", "yes"), ("village_tags", ["poor"]), ("role", "secretary"), ("nickname", "x")],
)
def test_malformed_facts_name_the_field(field: str, value: Any, engine: str) -> None:
    with pytest.raises(vp.FactError) as e:
        secretary(engine, **{field: value})
    assert e.value.problems[0][0].split(".")[0] == field


def test_decision_is_json_ready(engine: str) -> None:
    d = instructor(engine, employment="public_institution")
    data = json.loads(json.dumps(d.to_dict(), ensure_ascii=False))
    assert data["outcome"] == "needs_approval"
    f = data["findings"][1]
    assert set(f) >= {"id", "passed", "message_zh", "citation", "hedged", "rule", "interpretations"}
    assert data["manual_checks"][0]["id"] == "outstanding"


def test_tongwei_4_rule_whose_any_branches_both_hold_is_one_finding(engine: str) -> None:
    # Neither a hard_case village nor a leadership member: both branches of the rule's `any` hold.
    d = leader(engine, unit_level="central", rank="section_leader", unit_leadership_member=False)
    assert d.trace == ["tw-elig-leader-unit", "tw-elig-leader-rank-upper-short"]
    assert [f.id for f in d.findings] == ["leader_unit_level", "leader_rank"]
