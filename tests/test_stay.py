"""stay_requirement and stay_compliance: Shiquan 12, Tongwei 13, Guizhou I.2/II.4, Xiangyin III(1).1, central IV(2)."""

from __future__ import annotations

import datetime as dt
import inspect
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import villagepolicy as vp
from villagepolicy.calendar import CalendarError, covered_years, is_working_day, working_days_in_year
from villagepolicy.cli import main
from villagepolicy.questions import stay

D = dt.date
TEAM = ["first_secretary", "team_leader", "team_member"]
MARCH_2022 = D(2022, 3, 1)


def days(start: dt.date, n: int, kind: str) -> list[dict]:
    return [{"date": (start + dt.timedelta(days=i)).isoformat(), "kind": kind} for i in range(n)]


def month(in_village: int, other: int, other_kind: str = "meeting", start: dt.date = MARCH_2022) -> list[dict]:
    return days(start, in_village, "in_village") + days(start + dt.timedelta(days=in_village), other, other_kind)


def working(year: int) -> list[dt.date]:
    return sorted(working_days_in_year(year))


def tongwei_year(in_village: int, trips: int, year: int = 2019) -> list[dict]:
    wd = working(year)
    return [{"date": d.isoformat(), "kind": "in_village"} for d in wd[:in_village]] + [
        {"date": d.isoformat(), "kind": "official_trip"} for d in wd[in_village : in_village + trips]
    ]


def comply(j: str, role: str, period: str, records: list, on: str, engine: str) -> vp.Decision:
    return vp.decide(j, "stay_compliance", {"role": role, "period": period, "records": records}, on=on, engine=engine)


def require(j: str, facts: dict, on: str, engine: str) -> vp.Decision:
    return vp.decide(j, "stay_requirement", facts, on=on, engine=engine)


# ── stay_compliance: the examples ──


def test_shiquan_12_month_18_in_village_and_2_meetings_is_compliant(engine: str) -> None:
    d = comply("shiquan", "team_member", "2022-03", month(18, 2), "2022-04-05", engine)
    assert d.outcome == "compliant"
    c = d.counts["min_days_per_month"]
    assert (c.counted, c.required, c.shortfall, c.status) == (20, 20, 0, "met")
    assert d.days_by_kind == {"in_village": 18, "meeting": 2}
    assert d.findings[0].passed and d.findings[0].citation.clause == "12"
    assert d.shortfall == {}


def test_shiquan_12_month_17_in_village_and_2_meetings_is_not_compliant(engine: str) -> None:
    d = comply("shiquan", "first_secretary", "2022-03", month(17, 2), "2022-04-05", engine)
    assert d.outcome == "non_compliant"
    assert d.counts["min_days_per_month"].counted == 19
    assert d.shortfall == {"min_days_per_month": 1}
    f = d.findings[0]
    assert not f.passed and f.rule == "sq-stay-comp-monthly-days" and "差 1天" in f.message_zh
    assert {("shiquan-2021", "12")} == {(c.pack, c.clause) for c in d.citations}
    assert "stay-counted-kinds" in {c.interpretation for c in d.citations}


@pytest.mark.parametrize("kind", ["training", "project_liaison"])
def test_shiquan_12_training_and_project_liaison_count(kind: str, engine: str) -> None:
    d = comply("shiquan", "team_member", "2022-03", month(18, 2, kind), "2022-04-05", engine)
    assert d.outcome == "compliant"


@pytest.mark.parametrize("kind", ["official_trip", "leave_approved", "leave_unapproved", "absent"])
def test_shiquan_12_kinds_not_named_do_not_count_and_are_listed(kind: str, engine: str) -> None:
    d = comply("shiquan", "team_member", "2022-03", month(18, 2, kind), "2022-04-05", engine)
    assert d.outcome == "non_compliant"
    assert d.counts["min_days_per_month"].counted == 18
    left = [n for n in d.not_counted if n.reason == "kind_not_counted"]
    assert [(n.index, n.kind, n.requirement) for n in left] == [
        (18, kind, "min_days_per_month"),
        (19, kind, "min_days_per_month"),
    ]


def test_shiquan_12_weekend_days_in_the_village_count(engine: str) -> None:
    # March 2022 has 8 weekend days; 20 consecutive days from 1 March include 6 of them.
    recs = month(20, 0)
    assert sum(not is_working_day(D.fromisoformat(r["date"])) for r in recs) == 6
    d = comply("shiquan", "team_member", "2022-03", recs, "2022-04-05", engine)
    assert d.outcome == "compliant"
    assert "stay-weekend-days-count" in {c.interpretation for c in d.citations}


def test_tongwei_13_year_200_in_village_and_25_trip_working_days_complies(engine: str) -> None:
    d = comply("tongwei", "team_member", "2019", tongwei_year(200, 25), "2020-01-15", engine)
    assert d.outcome == "compliant"
    assert d.counts["min_working_days_per_year"].counted == 225
    assert d.counts["min_in_village_days_per_year"].counted == 200
    assert {f.id for f in d.findings if f.passed} == {"min_working_days_per_year", "min_in_village_days_per_year"}


def test_tongwei_13_year_150_in_village_and_80_trips_fails_the_160_day_rule(engine: str) -> None:
    d = comply("tongwei", "first_secretary", "2019", tongwei_year(150, 80), "2020-01-15", engine)
    assert d.outcome == "non_compliant"
    assert d.counts["min_working_days_per_year"].status == "met"  # 230 >= 220
    assert d.counts["min_in_village_days_per_year"].status == "not_met"
    assert d.shortfall == {"min_in_village_days_per_year": 10}
    assert [m.id for m in d.manual_checks] == ["min_in_village_days_per_year:verify"]
    assert "tongwei-2018" in d.packs and d.citations[0].clause == "13"


def test_tongwei_13_weekend_day_in_village_counts_for_160_days_not_220_working_days(engine: str) -> None:
    # 2019-03-02 is an ordinary Saturday; 2019-04-28 is a 调休 Sunday (a working day).
    recs = [{"date": "2019-03-02", "kind": "in_village"}, {"date": "2019-04-28", "kind": "in_village"}]
    d = comply("tongwei", "team_member", "2019", recs, "2020-01-15", engine)
    assert d.counts["min_in_village_days_per_year"].counted == 2
    assert d.counts["min_working_days_per_year"].counted == 1
    skipped = [n for n in d.not_counted if n.reason == "not_a_working_day"]
    assert [(n.index, n.requirement) for n in skipped] == [(0, "min_working_days_per_year")]
    assert "stay-working-days-and-days" in {c.interpretation for c in d.citations}


def test_tongwei_13_project_liaison_not_counted_toward_220(engine: str) -> None:
    wd = working(2019)
    recs = [{"date": d.isoformat(), "kind": "in_village"} for d in wd[:200]]
    recs += [{"date": d.isoformat(), "kind": "project_liaison"} for d in wd[200:225]]
    d = comply("tongwei", "team_member", "2019", recs, "2020-01-15", engine)
    assert d.counts["min_working_days_per_year"].counted == 200
    assert d.outcome == "non_compliant"


def test_tongwei_13_a_month_is_not_covered_by_an_annual_requirement(engine: str) -> None:
    d = comply("tongwei", "team_member", "2019-03", month(20, 0, start=D(2019, 3, 1)), "2019-06-01", engine)
    assert d.outcome == "not_covered"
    assert d.trace[0] == "tw-stay-comp-month"
    assert ("tongwei-2018", "13") in {(c.pack, c.clause) for c in d.citations}


# ── aggregate first, then decide ──


@contextmanager
def matcher_calls(engine: str) -> Iterator[dict[tuple[str, str], int]]:
    """Count the engine calls per (pack, question) by wrapping each pack's compiled matcher."""
    lib = vp.default_library()
    calls: dict[tuple[str, str], int] = {}
    patched = []
    for pack in lib.packs.values():
        for question in ("stay_compliance", "stay_requirement"):
            m = pack.matcher(question, engine)
            original = m.match

            def spy(case: dict, _o=original, _k=(pack.id, question)) -> list[int]:  # noqa: ANN001
                calls[_k] = calls.get(_k, 0) + 1
                return _o(case)

            m.match = spy  # type: ignore[method-assign]
            patched.append(m)
    try:
        yield calls
    finally:
        for m in patched:
            del m.match


@pytest.mark.parametrize(
    ("j", "role", "period", "on"),
    [("tongwei", "team_member", "2019", "2020-01-15"), ("shiquan", "first_secretary", "2022", "2023-01-15")],
)
def test_a_365_record_year_is_one_engine_call(j: str, role: str, period: str, on: str, engine: str) -> None:
    year = int(period)
    kinds = ["in_village"] * 5 + ["meeting", "absent"]
    recs = [{"date": (D(year, 1, 1) + dt.timedelta(days=i)).isoformat(), "kind": kinds[i % 7]} for i in range(365)]
    with matcher_calls(engine) as calls:
        d = comply(j, role, period, recs, on, engine)
    assert d.outcome in ("compliant", "non_compliant")
    assert sum(d.days_by_kind.values()) == 365
    assert calls == {(vp.jurisdiction(j).packs()[0].id, "stay_compliance"): 1}


def test_the_case_holds_counts_not_records() -> None:
    facts = stay.StayComplianceFacts.model_validate(
        {"role": "team_member", "period": "2022-03", "records": month(18, 2)}
    )
    case = stay.compliance_case(facts, D(2022, 4, 1))
    assert case["days_in_village"] == 18 and case["days_meeting"] == 2
    assert all(isinstance(v, str | int | bool) for v in case.values())


# ── records: duplicates, conflicts, outside the period, after the decision date, bad input ──


def test_duplicate_records_count_once(engine: str) -> None:
    recs = month(19, 0) + [{"date": "2022-03-01", "kind": "in_village"}]
    d = comply("shiquan", "team_member", "2022-03", recs, "2022-04-05", engine)
    assert d.counts["min_days_per_month"].counted == 19
    dup = [n for n in d.not_counted if n.reason == "duplicate"]
    assert [(n.index, n.detail) for n in dup] == [(19, "same day and kind as record 0")]


def test_conflicting_kinds_for_one_day_raise_naming_the_date_and_records() -> None:
    recs = month(19, 0) + [{"date": "2022-03-05", "kind": "absent"}]
    with pytest.raises(vp.FactError) as e:
        vp.decide(
            "shiquan", "stay_compliance", {"role": "team_member", "period": "2022-03", "records": recs}, on="2022-04-05"
        )
    assert "2022-03-05" in str(e.value)
    assert e.value.problems[0][0] == "records.19"
    assert "records 4 (in_village) and 19 (absent)" in e.value.problems[0][1]


def test_records_outside_the_period_and_after_the_decision_date_are_listed(engine: str) -> None:
    recs = [{"date": "2022-02-28", "kind": "in_village"}, *month(20, 0), {"date": "2022-04-02", "kind": "in_village"}]
    d = comply("shiquan", "team_member", "2022-03", recs, "2022-03-19", engine)
    reasons = {n.index: n.reason for n in d.not_counted if n.requirement is None}
    assert reasons[0] == "outside_period" and reasons[21] == "outside_period"
    assert {i for i, r in reasons.items() if r == "after_decision_date"} == {20}
    assert d.counts["min_days_per_month"].counted == 19


def test_a_period_not_over_is_pending_while_reachable_and_non_compliant_when_not(engine: str) -> None:
    d = comply("shiquan", "team_member", "2022-03", month(10, 0), "2022-03-15", engine)
    assert d.outcome == "pending"
    c = d.counts["min_days_per_month"]
    assert (c.counted, c.remaining, c.status) == (10, 16, "open")
    assert d.findings == []
    d = comply("shiquan", "team_member", "2022-03", month(2, 0), "2022-03-15", engine)
    assert d.outcome == "non_compliant"  # 2 + 16 remaining days < 20
    d = comply("shiquan", "team_member", "2022-03", month(20, 0), "2022-03-25", engine)
    assert d.outcome == "compliant"


def test_shiquan_12_a_year_is_assessed_month_by_month(engine: str) -> None:
    recs = [r for mo in range(1, 13) for r in days(D(2022, mo, 1), 20, "in_village")]
    recs[-1] = {"date": recs[-1]["date"], "kind": "absent"}  # December has 19
    d = comply("shiquan", "team_member", "2022", recs, "2023-01-10", engine)
    assert d.outcome == "non_compliant"
    assert len(d.counts) == 12
    assert d.shortfall == {"min_days_per_month@2022-12": 1}
    assert [f.id for f in d.findings if not f.passed] == ["min_days_per_month@2022-12"]


def test_months_before_a_pack_takes_effect_are_not_assessed(engine: str) -> None:
    # Shiquan's measures apply from 2021-08-31: January to August 2021 are not assessed against them.
    d = comply("shiquan", "team_member", "2021", [], "2022-01-10", engine)
    assert sorted(d.counts) == [f"min_days_per_month@2021-{m}" for m in ("09", "10", "11", "12")]
    assert any("not in force" in n for n in d.notes)


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({"date": "2022-03-05", "kind": "vacation"}, "records.2.kind"),
        ({"date": "2022-02-30", "kind": "in_village"}, "records.2.date"),
        ({"date": "5 March", "kind": "in_village"}, "records.2.date"),
        ({"date": 20220305, "kind": "in_village"}, "records.2.date"),
        ({"date": None, "kind": "in_village"}, "records.2.date"),
        ({"kind": "in_village"}, "records.2.date"),
        ({"date": "2022-03-05"}, "records.2.kind"),
        ({"date": "2022-03-05", "kind": "in_village", "hours": 8}, "records.2.hours"),
        ("2022-03-05", "records.2"),
    ],
)
def test_bad_records_raise_fact_error_naming_the_index(record: object, field: str) -> None:
    recs = [*month(2, 0), record]
    with pytest.raises(vp.FactError) as e:
        vp.decide("shiquan", "stay_compliance", {"role": "team_member", "period": "2022-03", "records": recs})
    assert isinstance(e.value, ValueError)
    assert [f for f, _ in e.value.problems] == [field]


@pytest.mark.parametrize("period", ["2022-13", "2022-3", "22", "2022-03-01", "March", None, True])
def test_bad_period_raises_fact_error(period: object) -> None:
    with pytest.raises(vp.FactError) as e:
        vp.decide("shiquan", "stay_compliance", {"role": "team_member", "period": period, "records": []})
    assert [f for f, _ in e.value.problems] == ["period"]


def test_a_year_given_as_a_number_is_accepted(engine: str) -> None:
    facts = {"role": "team_member", "period": 2019, "records": []}
    d = vp.decide("tongwei", "stay_compliance", facts, on="2020-01-15", engine=engine)
    assert d.period == "2019" and d.outcome == "non_compliant"


# ── Guizhou I.2 / II.4: 原则上 20 days, approved leave covers a shortfall ──


def test_guizhou_i_2_approved_leave_covers_a_shortfall_hedged(engine: str) -> None:
    recs = month(15, 5, "leave_approved", D(2019, 3, 1))
    d = comply("guizhou", "team_member", "2019-03", recs, "2019-05-01", engine)
    assert d.outcome == "compliant"
    c = d.counts["min_days_per_month"]
    assert (c.counted, c.excused, c.status, c.hedged) == (15, 5, "met_excused", True)
    assert d.findings[0].passed and d.findings[0].hedged


def test_guizhou_i_2_excused_wording_comes_from_the_pack(engine: str) -> None:
    # 经批准的请假 is Guizhou's phrase (its rule's excused_zh), not Python's.
    recs = month(15, 5, "leave_approved", D(2019, 3, 1))
    d = comply("guizhou", "team_member", "2019-03", recs, "2019-05-01", engine)
    assert "；差额由 5 天经批准的请假补足" in d.findings[0].message_zh
    assert "; the shortfall is covered by 5 excused days" in d.findings[0].message_en


def test_guizhou_ii_4_shortfall_without_leave_is_hedged_non_compliance_with_a_manual_check(engine: str) -> None:
    recs = month(15, 3, "leave_approved", D(2019, 3, 1))
    d = comply("guizhou", "first_secretary", "2019-03", recs, "2019-05-01", engine)
    assert d.outcome == "non_compliant"
    assert d.findings[0].hedged and not d.findings[0].passed
    assert d.manual_checks and "正当理由" in d.manual_checks[0].message_zh
    assert {"I.2", "II.4"} <= {c.clause for c in d.citations}
    assert "stay-in-principle-20" in {c.interpretation for c in d.citations}


def test_guizhou_i_2_meetings_do_not_count(engine: str) -> None:
    d = comply("guizhou", "team_member", "2019-03", month(18, 2, "meeting", D(2019, 3, 1)), "2019-05-01", engine)
    assert d.outcome == "non_compliant"


def test_xiangyin_iii_1_1_instructor_month(engine: str) -> None:
    start = D(2021, 3, 1)
    ok = comply("xiangyin", "party_building_instructor", "2021-03", month(20, 0, start=start), "2021-05-01", engine)
    short = comply("xiangyin", "party_building_instructor", "2021-03", month(18, 2, start=start), "2021-05-01", engine)
    assert (ok.outcome, short.outcome) == ("compliant", "non_compliant")
    assert short.citations[0].clause == "III(1).1"


@pytest.mark.parametrize(
    ("j", "role", "on"),
    [
        ("central", "team_member", "2019-05-01"),
        ("xiangyin", "team_member", "2021-05-01"),
        ("shiquan", "party_building_instructor", "2022-05-01"),
        ("guizhou", "party_building_instructor", "2019-05-01"),
    ],
)
def test_stay_compliance_not_covered(j: str, role: str, on: str, engine: str) -> None:
    d = comply(j, role, f"{on[:4]}-03", [], on, engine)
    assert d.outcome == "not_covered"
    assert d.citations and d.counts == {}


def test_central_iv_2_sets_no_day_count_to_check(engine: str) -> None:
    d = comply("central", "first_secretary", "2019", [], "2020-01-15", engine)
    assert d.outcome == "not_covered"
    assert [c.clause for c in d.citations] == ["IV(2)"]
    assert any("no day count" in n for n in d.notes)


# ── stay_requirement ──


def test_shiquan_12_requirement_outside_3_km(engine: str) -> None:
    d = require("shiquan", {"role": "team_member", "village_within_3km": False}, "2022-06-01", engine)
    r = d.requirement
    assert d.outcome == "required"
    assert r.min_days_per_month == 20
    assert r.counts_as_present == ["in_village", "meeting", "training", "project_liaison"]
    assert r.lodging == "eat_and_live_in_village" and r.night_duty_min_members is None
    assert r.weekend_duty == "rotating_duty"
    assert (r.term_years, r.term_is_minimum, r.handover_working_days) == (2, True, 15)
    assert r.in_principle == ["handover_working_days"]
    assert d.basis["min_days_per_month"] == ["shiquan-2021:12"]
    assert d.basis["term_years"] == ["shiquan-2021:11"]
    assert r.min_working_days_per_year is None


def test_shiquan_12_within_3_km_night_duty_by_2_members(engine: str) -> None:
    d = require("shiquan", {"role": "first_secretary", "village_within_3km": True}, "2022-06-01", engine)
    assert (d.requirement.lodging, d.requirement.night_duty_min_members) == ("night_duty_rota", 2)
    assert "stay-3km-lodging" in {c.interpretation for c in d.citations}


def test_shiquan_12_unknown_location_is_not_guessed(engine: str) -> None:
    d = require("shiquan", {"role": "team_leader"}, "2022-06-01", engine)
    assert d.requirement.lodging == "depends_on_village_location"
    # the note asks for the neutral facts that replaced village_within_3km (issue 17)
    assert any("km_from_town_seat" in n and "in_county_town_planning_area" in n for n in d.notes)


@pytest.mark.parametrize("role", ["team_leader", "first_secretary"])
def test_tongwei_13_and_5_leaders(role: str, engine: str) -> None:
    d = require("tongwei", {"role": role}, "2019-06-01", engine)
    r = d.requirement
    assert (r.min_working_days_per_year, r.min_in_village_days_per_year) == (220, 160)
    assert r.counts_as_present == ["in_village", "official_trip", "meeting", "training"]
    assert r.min_days_per_month is None
    assert r.lodging == "eat_and_live_in_village"
    assert r.weekend_duty == "someone_on_duty_daily"
    assert (r.term_years, r.term_is_minimum) == (2, True) and d.basis["term_years"] == ["tongwei-2018:5"]


def test_tongwei_5_members_term_not_set(engine: str) -> None:
    d = require("tongwei", {"role": "team_member"}, "2019-06-01", engine)
    assert d.requirement.term_years is None
    assert d.not_set["term_years"] == ["tongwei-2018:5"]
    assert d.requirement.min_working_days_per_year == 220


def test_guizhou_i_2_twenty_days_in_principle(engine: str) -> None:
    d = require("guizhou", {"role": "team_member"}, "2019-06-01", engine)
    assert d.requirement.min_days_per_month == 20
    assert d.requirement.in_principle == ["min_days_per_month"]
    assert d.requirement.counts_as_present == ["in_village"]
    assert {"I.1", "I.2"} <= {c.clause for c in d.citations}


def test_xiangyin_ii_2_three_year_term_exactly(engine: str) -> None:
    d = require("xiangyin", {"role": "party_building_instructor"}, "2021-06-01", engine)
    r = d.requirement
    assert (r.min_days_per_month, r.term_years, r.term_is_minimum) == (20, 3, False)
    assert d.basis["term_years"] == ["xiangyin-2020:II(2)"]


def test_central_iv_2_no_day_count_is_said_with_a_citation(engine: str) -> None:
    d = require("central", {"role": "first_secretary"}, "2019-06-01", engine)
    assert d.outcome == "required"
    r = d.requirement
    assert r.min_days_per_month is None and r.min_working_days_per_year is None
    assert d.not_set["min_days_per_month"] == ["central-2017:IV(2)"]
    assert any(c.clause == "IV(2)" and "考勤管理制度" in c.text_zh for c in d.citations)
    assert any("no minimum number of days" in n for n in d.notes)
    assert (r.term_years, d.basis["term_years"]) == (2, ["central-2017:II(2)"])


@pytest.mark.parametrize(
    ("j", "role", "on"),
    [
        ("shiquan", "party_building_instructor", "2022-06-01"),
        ("tongwei", "party_building_instructor", "2019-06-01"),
        ("guizhou", "party_building_instructor", "2019-06-01"),
        ("xiangyin", "first_secretary", "2021-06-01"),
        ("central", "party_building_instructor", "2019-06-01"),
    ],
)
def test_stay_requirement_not_covered(j: str, role: str, on: str, engine: str) -> None:
    d = require(j, {"role": role}, on, engine)
    assert d.outcome == "not_covered" and d.requirement is None
    assert d.citations


def test_bad_requirement_facts() -> None:
    with pytest.raises(vp.FactError) as e:
        vp.decide("shiquan", "stay_requirement", {"role": "team_member", "village_within_3km": "yes"})
    assert [f for f, _ in e.value.problems] == ["village_within_3km"]


# ── the packs agree with themselves, and Python holds no policy ──

PERIODS = {"shiquan": "2022", "tongwei": "2019", "guizhou": "2019", "xiangyin": "2021", "central": "2019"}


@pytest.mark.parametrize("j", sorted(PERIODS))
@pytest.mark.parametrize("role", [*TEAM, "party_building_instructor"])
def test_compliance_thresholds_match_the_stated_requirement(j: str, role: str) -> None:
    year = PERIODS[j]
    on = f"{int(year) + 1}-01-15" if j not in ("tongwei", "guizhou", "central") else "2020-06-01"
    req = require(j, {"role": role, "village_within_3km": False}, on, "reference")
    comp = comply(j, role, year, [], on, "reference")
    if req.requirement is None:
        assert comp.outcome == "not_covered"
        return
    r = req.requirement
    for c in comp.counts.values():
        assert getattr(r, c.requirement) == c.required, (j, role, c.requirement)
        expected = ["in_village"] if c.requirement == "min_in_village_days_per_year" else r.counts_as_present
        assert c.kinds == expected
    set_days = {
        f for f in ("min_days_per_month", "min_working_days_per_year", "min_in_village_days_per_year") if getattr(r, f)
    }
    assert {c.requirement for c in comp.counts.values()} == set_days


def test_stay_python_names_no_jurisdiction_or_policy_number() -> None:
    src = inspect.getsource(stay)
    for word in ("shiquan", "tongwei", "guizhou", "xiangyin", "central-2017", "220", "160", " 20,", "= 20"):
        assert word not in src, word


def test_decisions_are_json_ready(engine: str) -> None:
    d = comply("tongwei", "team_member", "2019", tongwei_year(150, 80), "2020-01-15", engine)
    back = json.loads(json.dumps(d.to_dict(), ensure_ascii=False))
    assert back["counts"]["min_in_village_days_per_year"]["shortfall"] == 10
    assert back["not_counted"] == [] or isinstance(back["not_counted"][0]["date"], str)
    r = require("shiquan", {"role": "team_member", "village_within_3km": True}, "2022-06-01", engine)
    assert json.loads(json.dumps(r.to_dict()))["requirement"]["night_duty_min_members"] == 2


def test_a_working_day_count_outside_the_calendar_names_the_covered_range() -> None:
    lo, hi = covered_years()
    with pytest.raises(CalendarError, match=f"{lo}–{hi}"):
        vp.decide(
            "tongwei",
            "stay_compliance",
            {
                "role": "team_member",
                "period": str(hi + 1),
                "records": [{"date": f"{hi + 1}-03-01", "kind": "in_village"}],
            },
            on=f"{hi + 2}-01-15",
        )


def test_cli_bad_record_exits_2_naming_the_index(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    facts = tmp_path / "attendance.yaml"
    facts.write_text(
        "role: team_member\nperiod: 2022-03\nrecords:\n  - {date: 2022-03-01, kind: in_village}\n"
        "  - {date: 2022-03-32, kind: in_village}\n",
        encoding="utf-8",
    )
    code = main(["decide", "shiquan", "stay_compliance", "--facts", f"@{facts}", "--on", "2022-04-01"])
    assert code == 2
    assert "records.1.date" in capsys.readouterr().err


def test_cli_json_compliance(capsys: pytest.CaptureFixture) -> None:
    facts = {"role": "team_member", "period": "2022-03", "records": month(18, 2)}
    code = main(["decide", "shiquan", "stay_compliance", "--facts", json.dumps(facts), "--on", "2022-04-05", "--json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["outcome"] == "compliant" and out["counts"]["min_days_per_month"]["counted"] == 20


# ── properties: order, repeats and the engine do not change a decision ──

KINDS = list(stay.RECORD_KINDS)
CASES = [("shiquan", "2022-03", "2022-04-05"), ("guizhou", "2019-03", "2019-05-01"), ("tongwei", "2019", "2020-01-15")]


@st.composite
def attendance(draw: st.DrawFn) -> tuple[str, str, str, list[dict]]:
    j, period, on = draw(st.sampled_from(CASES))
    year = int(period[:4])
    first = D(year, 1, 1) if len(period) == 4 else D(year, int(period[5:]), 1)
    span = 365 if len(period) == 4 else 31
    offsets = draw(st.lists(st.integers(min_value=-5, max_value=span + 5), max_size=120, unique=True))
    recs = [{"date": (first + dt.timedelta(days=o)).isoformat(), "kind": draw(st.sampled_from(KINDS))} for o in offsets]
    return j, period, on, recs


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(attendance(), st.randoms(use_true_random=False))
def test_order_repeats_and_engine_do_not_change_the_decision(data: tuple, rnd) -> None:  # noqa: ANN001
    j, period, on, recs = data
    role = "team_member"
    base = comply(j, role, period, recs, on, "durable").to_dict()
    shuffled = recs + [dict(r) for r in recs[: len(recs) // 3]]  # repeats of some records
    rnd.shuffle(shuffled)
    again = comply(j, role, period, shuffled, on, "reference").to_dict()
    for key in ("outcome", "counts", "shortfall", "days_by_kind", "findings", "trace"):
        assert base[key] == again[key], key
    for c in base["counts"].values():
        assert 0 <= c["counted"] <= c["records"]
        assert c["shortfall"] == max(0, c["required"] - c["counted"])
