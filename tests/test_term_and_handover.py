"""term_and_handover: earliest end of term, promotion during the term, handovers in working days across holidays."""

from __future__ import annotations

import datetime as dt

import pytest

import villagepolicy as vp

D = dt.date


def term(j: str, engine: str, on: str = "2022-10-01", **facts: object) -> vp.Decision:
    return vp.decide(j, "term_and_handover", facts, on=on, engine=engine)


def test_shiquan_11_two_year_term_earliest_end(engine: str) -> None:
    d = term("shiquan", engine, role="team_member", start_date="2021-03-01")
    assert d.outcome == "assessed"
    assert (d.term_years, d.term_minimum, d.earliest_term_end) == (2, True, D(2023, 3, 1))
    assert d.handover_min_working_days == 15 and d.leave_only_after_handover
    assert d.handover_guided_by == ["dispatching_unit"]
    assert {c.interpretation for c in d.citations} >= {"term-end-date", "handover-working-days"}
    assert term("shiquan", engine, role="team_member", start_date="2020-02-29").earliest_term_end == D(2022, 2, 28)


@pytest.mark.parametrize(
    ("departure", "counted", "outcome"),
    [("2022-10-19", 14, "exception_needed"), ("2022-10-20", 15, "allowed")],
)
def test_shiquan_11_handover_14_vs_15_working_days_across_national_day(
    departure: str, counted: int, outcome: str, engine: str
) -> None:
    # 2022-10-01..07 are holidays and Saturday 10-08 / Sunday 10-09 are 调休 working days:
    # 09-26..09-30 (5) + 10-08, 10-09 (2) + 10-10..10-14 (5) + 10-17, 10-18 (2) = 14 before 10-19.
    d = term(
        "shiquan",
        engine,
        role="first_secretary",
        start_date="2020-09-01",
        handover_start="2022-09-26",
        departure_date=departure,
    )
    assert d.handover_working_days == counted
    assert d.handover_complete_on == D(2022, 10, 19)
    assert d.earliest_departure == D(2022, 10, 20)
    assert d.outcome == outcome and d.departure_allowed is (outcome == "allowed")
    f = next(x for x in d.findings if x.id == "handover-length")
    assert f.passed is (counted >= 15) and f.hedged and f.citation.clause == "11"


def test_shiquan_11_promotion_during_the_term_does_not_shorten_it(engine: str) -> None:
    d = term(
        "shiquan",
        engine,
        role="first_secretary",
        start_date="2021-10-10",
        promoted_on="2022-05-01",
        handover_start="2022-09-26",
        departure_date="2022-10-20",
    )
    assert d.outcome == "not_allowed" and d.promotion == "does_not_shorten"
    assert d.earliest_departure == D(2023, 10, 10)
    served = next(x for x in d.findings if x.id == "term-served")
    assert not served.passed and not served.hedged and "提拔不缩短任期" in served.message_zh
    assert "sq-term-promotion" in d.trace


def test_shiquan_11_health_exception_lets_the_term_be_shortened(engine: str) -> None:
    d = term(
        "shiquan",
        engine,
        role="team_member",
        start_date="2021-10-10",
        exit_reason="health",
        handover_start="2022-09-26",
        departure_date="2022-10-20",
    )
    assert d.outcome == "allowed" and d.term_binding is False


def test_shiquan_11_departure_without_handover_needs_an_exception(engine: str) -> None:
    d = term("shiquan", engine, role="team_member", start_date="2020-01-01", departure_date="2022-03-01")
    assert d.outcome == "exception_needed"
    assert [f.id for f in d.findings if not f.passed] == ["handover-length"]


def test_tongwei_5_leaders_two_years_members_not_set(engine: str) -> None:
    leader = term("tongwei", engine, on="2021-06-01", role="team_leader", start_date="2019-05-01")
    assert (leader.term_years, leader.earliest_term_end) == (2, D(2021, 5, 1))
    member = term("tongwei", engine, on="2021-06-01", role="team_member", start_date="2019-05-01")
    assert member.outcome == "assessed" and member.term_years is None and member.notes


def test_tongwei_17_five_clears_witness_and_filing(engine: str) -> None:
    d = term(
        "tongwei", engine, on="2021-06-01", role="team_member", start_date="2019-05-01", departure_date="2021-06-01"
    )
    assert len(d.handover_items_zh) == 5 and d.handover_items_zh[3] == "台账资料"
    # Issue 14 item 9: 乡镇纪委书记担任监交人 — the township discipline secretary, not a county body.
    assert d.handover_witness == ["town_discipline_secretary"]
    assert d.handover_filed_with == ["town_party_committee"]
    check = next(x for x in d.manual_checks if x.id == "handover-five-clears")
    assert check.citation.clause == "17"
    assert d.handover_min_working_days is None


def test_tongwei_31_promoted_leader_stays_until_the_village_is_out_of_poverty(engine: str) -> None:
    base = dict(role="team_leader", start_date="2018-05-01", promoted_on="2019-05-01", departure_date="2020-06-01")
    unknown = term("tongwei", engine, on="2020-01-01", **base)
    assert unknown.outcome == "undetermined" and unknown.earliest_departure is None
    assert any(c.clause == "31" for c in unknown.citations)
    late = term("tongwei", engine, on="2020-01-01", village_out_of_poverty_on="2020-11-20", **base)
    assert late.outcome == "not_allowed" and late.earliest_departure == D(2020, 11, 20)
    early = term("tongwei", engine, on="2020-01-01", village_out_of_poverty_on="2019-12-01", **base)
    assert early.outcome == "allowed" and early.earliest_departure == D(2020, 5, 1)


def test_xiangyin_ii_2_three_years_and_promotion_stays_as_contact_cadre(engine: str) -> None:
    d = term(
        "xiangyin",
        engine,
        on="2022-01-01",
        role="party_building_instructor",
        start_date="2020-04-01",
        promoted_on="2021-05-01",
    )
    assert (d.term_years, d.term_minimum, d.earliest_term_end) == (3, False, D(2023, 4, 1))
    assert d.promotion == "stay_as_village_contact_cadre" and d.notes
    early = term(
        "xiangyin",
        engine,
        on="2022-01-01",
        role="party_building_instructor",
        start_date="2020-04-01",
        departure_date="2023-03-31",
    )
    assert early.outcome == "not_allowed"


def test_central_ii_2_and_guizhou_fallback(engine: str) -> None:
    assert term("central", engine, on="2019-01-01", role="team_member", start_date="2018-01-01").term_years == 2
    gz = term("guizhou", engine, on="2019-01-01", role="first_secretary", start_date="2018-01-01")
    assert gz.term_years == 2 and gz.packs == ["guizhou-2017", "central-2017"]
    after = term("guizhou", engine, on="2022-01-01", role="first_secretary", start_date="2021-01-01")
    assert after.outcome == "not_covered" and [c.clause for c in after.citations] == ["IV.8"]


def test_bad_dates_are_fact_errors() -> None:
    with pytest.raises(vp.FactError, match="before start_date"):
        vp.decide(
            "shiquan",
            "term_and_handover",
            {"role": "team_member", "start_date": "2022-01-01", "departure_date": "2021-01-01"},
        )
    with pytest.raises(vp.FactError, match="exit_reason"):
        vp.decide(
            "shiquan", "term_and_handover", {"role": "team_member", "start_date": "2022-01-01", "exit_reason": "bored"}
        )


@pytest.mark.parametrize("reason", ["special_difficulty", "resigned", "graded_basically_competent_or_below"])
def test_tongwei_24_early_replacement_needs_the_org_department(reason: str, engine: str) -> None:
    d = term(
        "tongwei",
        engine,
        on="2020-01-01",
        role="team_leader",
        start_date="2019-05-01",
        exit_reason=reason,
        departure_date="2019-12-01",
    )
    assert d.outcome == "allowed" and d.approvers == ["county_org_dept"] and "tw-term-adjustment" in d.trace


def test_tongwei_37_illness_lets_the_unit_replace_the_cadre(engine: str) -> None:
    d = term(
        "tongwei",
        engine,
        on="2020-01-01",
        role="first_secretary",
        start_date="2019-05-01",
        exit_reason="health",
        departure_date="2019-12-01",
    )
    assert d.outcome == "allowed" and d.term_binding is False and any(c.clause == "37" for c in d.citations)


# Guizhou is left out: its stay requirement (guizhou-2017) and its term (the central fallback) never come
# from the same pack, so there is nothing to compare.
@pytest.mark.parametrize("j", ["central", "shiquan", "tongwei", "xiangyin"])
def test_term_agrees_with_stay_requirement_where_the_same_pack_answers(j: str) -> None:
    # stay_requirement (issue 4) also reports term_years and handover_working_days from the same clauses
    compared = 0
    for role in vp.ROLES:
        for on in ("2019-06-01", "2022-06-01"):
            stay = vp.decide(j, "stay_requirement", {"role": role, "village_within_3km": False}, on=on)
            t = vp.decide(j, "term_and_handover", {"role": role, "start_date": "2018-05-01"}, on=on)
            if stay.outcome == "not_covered" or t.outcome == "not_covered" or stay.packs[-1:] != t.packs[-1:]:
                continue
            req = stay.requirement
            assert (req.term_years, req.handover_working_days) == (t.term_years, t.handover_min_working_days), (j, role)
            compared += 1
    assert compared  # at least one role and date where the same pack answers both
