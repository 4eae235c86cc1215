"""stay_compliance from day counts (a roster's column-wise aggregates) decides exactly as from the records."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import villagepolicy as vp
from villagepolicy.questions.stay import RECORD_KINDS, tally_records

JURISDICTIONS = ("central", "guizhou", "shiquan", "tongwei", "xiangyin")
ROLES = ("first_secretary", "team_leader", "team_member")
KINDS = list(RECORD_KINDS)


def _same_parts(d: vp.Decision) -> dict[str, Any]:
    data = d.to_dict()
    # Records left out of a count are listed by their position in `records`; counts have no positions.
    data.pop("not_counted")
    # Counts come already tallied in working days: only records make the decision read the calendar (issue 19).
    data.pop("calendar")
    return data


@st.composite
def attendance(draw: st.DrawFn) -> tuple[str, list[tuple[dt.date, str]], dt.date]:
    year = draw(st.sampled_from([2019, 2021, 2022, 2023]))
    month = draw(st.none() | st.integers(1, 12))
    period = f"{year}" if month is None else f"{year}-{month:02d}"
    start = dt.date(year - 1, 12, 1)
    # One kind per date (a conflict is refused either way); some dates repeated, some outside the period.
    offsets = draw(st.sets(st.integers(0, 425), max_size=420))
    days = {start + dt.timedelta(days=o): draw(st.sampled_from(KINDS)) for o in offsets}
    records = sorted(days.items())
    records += draw(st.lists(st.sampled_from(records), max_size=5)) if records else []
    # Decided on the last day of a month (counts cannot be split inside one): in the period or after it.
    on_month = draw(st.integers(month or 1, 12))
    on = dt.date(year, on_month, 28) + dt.timedelta(days=draw(st.sampled_from([0, 0, 40])))
    return period, records, on


def _end_of_month(d: dt.date) -> dt.date:
    nxt = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=attendance(), role=st.sampled_from(ROLES))
def test_stay_compliance_from_counts_decides_as_from_records(
    jurisdiction: str, case: tuple[str, list[tuple[dt.date, str]], dt.date], role: str
) -> None:
    period, records, on = case
    on = _end_of_month(on)
    by_records = vp.decide(
        jurisdiction,
        "stay_compliance",
        {"role": role, "period": period, "records": [{"date": d, "kind": k} for d, k in records]},
        on=on,
    )
    by_counts = vp.decide(
        jurisdiction, "stay_compliance", {"role": role, "period": period, "counts": tally_records(records)}, on=on
    )
    assert _same_parts(by_counts) == _same_parts(by_records)
    assert by_counts.citations == by_records.citations
    assert by_counts.to_dict()["not_counted"] == []


def test_tongwei_13_year_from_counts_short_of_220_working_days(engine: str) -> None:
    # Tongwei 13: at least 220 working days a year; 200 working days in the village fall short by 20.
    days = [d for d in (dt.date(2022, 1, 1) + dt.timedelta(n) for n in range(365)) if d.weekday() < 5]
    records = [(d, "in_village") for d in days[:200]]
    facts = {"role": "team_member", "period": "2022", "counts": tally_records(records)}
    d = vp.decide("tongwei", "stay_compliance", facts, on=dt.date(2023, 1, 15), engine=engine)
    rec = vp.decide(
        "tongwei",
        "stay_compliance",
        {"role": "team_member", "period": "2022", "records": [{"date": x, "kind": k} for x, k in records]},
        on=dt.date(2023, 1, 15),
        engine=engine,
    )
    assert d.outcome == rec.outcome == "non_compliant"
    assert d.shortfall == rec.shortfall
    assert d.counts == rec.counts


def test_stay_counts_month_cut_by_decision_date_is_refused() -> None:
    facts = {"role": "team_member", "period": "2022", "counts": [
        {"month": "2022-03", "kind": "in_village", "days": 20, "working_days": 18}
    ]}  # fmt: skip
    with pytest.raises(vp.FactError) as e:
        vp.decide("tongwei", "stay_compliance", facts, on=dt.date(2022, 3, 15))
    assert e.value.problems[0][0] == "counts.0"


def test_stay_counts_and_records_together_are_refused() -> None:
    facts = {"role": "team_member", "period": "2022", "records": [], "counts": []}
    with pytest.raises(vp.FactError):
        vp.decide("tongwei", "stay_compliance", facts, on=dt.date(2023, 1, 15))


def test_stay_counts_impossible_tally_is_refused() -> None:
    facts = {"role": "team_member", "period": "2022", "counts": [
        {"month": "2022-02", "kind": "in_village", "days": 30, "working_days": 20}
    ]}  # fmt: skip
    with pytest.raises(vp.FactError):
        vp.decide("tongwei", "stay_compliance", facts, on=dt.date(2023, 1, 15))
