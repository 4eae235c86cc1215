"""benefits and insurance_check: Decimal yuan to the fen, caps, tiers by dispatcher, months stationed, minima."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

import villagepolicy as vp
from villagepolicy.cli import main

ON = "2022-06-01"


def benefits(j: str, engine: str, on: str = ON, **facts: object) -> vp.Decision:
    base = {"role": "team_member", "dispatched_by": "county", "month": "2022-03"}
    return vp.decide(j, "benefits", {**base, **facts}, on=on, engine=engine)


def amounts(d: vp.Decision) -> dict[str, Decimal | None]:
    return {e.id: e.amount_yuan for e in d.entitlements}


def test_shiquan_15_month_sums_to_the_fen(engine: str) -> None:
    d = benefits(
        "shiquan",
        engine,
        days_in_village=22,
        round_trips=3,
        distance_km="37.35",
        unused_leave_days=3,
        daily_wage="287.33",
    )
    a = amounts(d)
    assert a["phone-allowance"] == Decimal("100.00")
    assert a["round-trip-travel"] == Decimal("179.28")  # 0.8 × 37.35 × 2 × 3 = 179.28
    assert a["living-allowance"] == Decimal("1320.00")  # 60 × 22
    assert a["unused-leave-pay"] == Decimal("1723.98")  # 2 × 287.33 × 3
    assert d.total_month_yuan == Decimal("3323.26")
    assert all(isinstance(v, Decimal) for v in a.values() if v is not None)
    assert d.to_dict()["total_month_yuan"] == "3323.26"  # JSON carries the exact decimal, never a float
    assert d.yearly_yuan == Decimal("10000.00")  # the team's work funds, beside the month, not in it


def test_shiquan_15_rounding_half_up_at_the_fen(engine: str) -> None:
    # 0.8 × 0.03 km × 2 × 1 = 0.048 -> 0.05; a float would give 0.048000000000000001 or worse
    d = benefits("shiquan", engine, round_trips=1, distance_km="0.03")
    assert amounts(d)["round-trip-travel"] == Decimal("0.05")
    # 0.1 + 0.2 style: 2 × 0.1 yuan wage × 3 days = 0.60 exactly
    assert amounts(benefits("shiquan", engine, unused_leave_days=3, daily_wage=0.1))["unused-leave-pay"] == Decimal(
        "0.60"
    )


def test_shiquan_15_1_at_most_4_round_trips_a_month(engine: str) -> None:
    four = amounts(benefits("shiquan", engine, round_trips=4, distance_km=50))["round-trip-travel"]
    six = benefits("shiquan", engine, round_trips=6, distance_km=50)
    assert four == amounts(six)["round-trip-travel"] == Decimal("320.00")
    trip = next(e for e in six.entitlements if e.id == "round-trip-travel")
    assert "最多计 4 次" in (trip.computation or "") and trip.alternative_zh == "每月凭票报销"
    assert "benefits-round-trip-distance" in {c.interpretation for c in trip.citations}


@pytest.mark.parametrize(("by", "rate"), [("county", "60"), ("town", "40")])
def test_shiquan_15_2_living_allowance_by_dispatcher(by: str, rate: str, engine: str) -> None:
    d = benefits("shiquan", engine, dispatched_by=by, days_in_village=20)
    e = next(e for e in d.entitlements if e.id == "living-allowance")
    assert e.amount_yuan == Decimal(rate) * 20 and e.citation.clause == "15(2)"


def test_shiquan_15_2_other_units_living_allowance_is_not_quantified(engine: str) -> None:
    d = benefits("shiquan", engine, dispatched_by="other_unit", days_in_village=20)
    e = next(e for e in d.entitlements if e.id == "living-allowance")
    assert e.amount_yuan is None and e.funding_zh == "经费由派出单位自行解决"
    assert "living-allowance" in {m.id for m in d.manual_checks}
    assert d.total_month_yuan == Decimal("100.00")


def test_shiquan_15_2_first_secretary_work_funds(engine: str) -> None:
    d = benefits("shiquan", engine, role="first_secretary")
    assert amounts(d)["first-secretary-work-funds"] == Decimal("10000.00")
    assert d.yearly_yuan == Decimal("20000.00")


@pytest.mark.parametrize(
    ("since", "allowance", "experience"),
    [
        ("2022-02-02", False, False),  # 5 whole months (and 30 days) at the end of July
        ("2022-02-01", True, False),  # exactly 6: February to July
        ("2021-08-02", True, False),  # 11 months and 30 days
        ("2021-08-01", True, True),  # exactly 12
    ],
)
def test_tongwei_34_and_5_months_stationed(since: str, allowance: bool, experience: bool, engine: str) -> None:
    d = benefits("tongwei", engine, month="2022-07", stationed_since=since)
    ids = set(amounts(d))
    assert ("township-allowance" in ids) is allowance
    assert ("grassroots-experience" in ids) is experience


def test_tongwei_34_without_stationed_since_lists_no_allowance(engine: str) -> None:
    d = benefits("tongwei", engine)
    assert "township-allowance" not in amounts(d) and d.months_stationed is None
    assert {"meal-allowance", "travel-reimbursement"} <= {m.id for m in d.manual_checks}


def test_guizhou_iv_6_work_funds_at_least_10000(engine: str) -> None:
    e = next(e for e in benefits("guizhou", engine).entitlements if e.id == "village-work-funds")
    assert e.amount_yuan == Decimal("10000.00") and e.minimum and e.per == "unspecified"


def test_benefits_not_covered_roles(engine: str) -> None:
    assert benefits("shiquan", engine, role="party_building_instructor").outcome == "not_covered"


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({"days_in_village": 32}, "days_in_village"),
        ({"month": "2022-02", "days_in_village": 29}, "exceeds"),
        ({"round_trips": 2}, "distance_km"),
        ({"unused_leave_days": 2}, "daily_wage"),
        ({"distance_km": "abc", "round_trips": 1}, "distance_km"),
        ({"daily_wage": "NaN", "unused_leave_days": 1}, "daily_wage"),
        ({"days_in_village": "20"}, "days_in_village"),
        ({"dispatched_by": "province"}, "dispatched_by"),
        ({"month": "2022"}, "month"),
    ],
)
def test_bad_benefit_facts_name_the_field(facts: dict, field: str) -> None:
    base = {"role": "team_member", "dispatched_by": "county", "month": "2022-03"}
    with pytest.raises(vp.FactError, match=field):
        vp.decide("shiquan", "benefits", {**base, **facts}, on=ON)


# ── insurance_check ──


@pytest.mark.parametrize(
    ("premium", "cover", "outcome"),
    [("500", "400000", "meets"), ("499.99", "400000", "below_minimum"), ("500", "399999", "below_minimum")],
)
def test_shiquan_15_2_insurance_minima(premium: str, cover: str, outcome: str, engine: str) -> None:
    d = vp.decide("shiquan", "insurance_check", {"premium_yuan": premium, "cover_yuan": cover}, on=ON, engine=engine)
    assert d.outcome == outcome and all(f.citation.clause == "15(2)" for f in d.findings)


def test_guizhou_iv_6_cover_at_least_500000(engine: str) -> None:
    d = vp.decide("guizhou", "insurance_check", {"cover_yuan": 400000}, on=ON, engine=engine)
    assert d.outcome == "below_minimum" and d.min_cover_yuan == Decimal("500000")
    ok = vp.decide("guizhou", "insurance_check", {"cover_yuan": 500000, "premium_yuan": 1}, on=ON, engine=engine)
    assert ok.outcome == "meets"


def test_insurance_missing_premium_is_undetermined(engine: str) -> None:
    d = vp.decide("shiquan", "insurance_check", {"cover_yuan": "500000"}, on=ON, engine=engine)
    assert d.outcome == "undetermined" and [m.id for m in d.manual_checks] == ["min_premium_yuan"]


def test_tongwei_36_insurance_without_minimum_and_xiangyin_silent(engine: str) -> None:
    # Issue 14 item 8: no minimum, no verdict — not `meets` — citing the clause that requires insurance only.
    d = vp.decide("tongwei", "insurance_check", {"cover_yuan": 1}, on=ON, engine=engine)
    assert d.outcome == "not_covered" and d.notes and d.citations[0].clause == "36"
    x = vp.decide("xiangyin", "insurance_check", {"cover_yuan": 1}, on=ON, engine=engine)
    assert x.outcome == "not_covered"


def test_cli_benefits_json_keeps_decimals(capsys: pytest.CaptureFixture) -> None:
    facts = '{"role": "team_member", "dispatched_by": "town", "month": "2022-03", "days_in_village": 21}'
    assert main(["decide", "shiquan", "benefits", "--json", "--on", ON, "--facts", facts]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total_month_yuan"] == "940.00"  # 100 + 40 × 21


def test_central_vi_4_and_tongwei_36_insurance_without_minimum_is_not_covered(engine: str) -> None:
    # In 2019 Tongwei falls back on the central guideline, which sets no minimum either: both clauses cited.
    d = vp.decide("tongwei", "insurance_check", {"cover_yuan": 1}, on="2019-06-01", engine=engine)
    assert d.outcome == "not_covered"
    assert {(c.pack, c.clause) for c in d.citations} == {("tongwei-2018", "36"), ("central-2017", "VI(4)")}
    c = vp.decide("central", "insurance_check", {"premium_yuan": 1}, on="2019-06-01", engine=engine)
    assert c.outcome == "not_covered" and [x.clause for x in c.citations] == ["VI(4)"]
