"""supervision_plan: the 30% and 100-person quotas, seeded reproducible samples, and checks done against the quota."""

from __future__ import annotations

import pytest

import villagepolicy as vp

ON = "2022-06-01"


def roster(n: int) -> list[dict]:
    return [{"id": f"p{i:04d}"} for i in range(n)]


def plan(j: str, n: int, engine: str, month: str = "2022-03", **facts: object) -> vp.Decision:
    return vp.decide(j, "supervision_plan", {"month": month, "roster": roster(n), **facts}, on=ON, engine=engine)


def req(d: vp.Decision, rid: str):  # noqa: ANN201
    return next(r for r in d.requirements if r.id == rid)


@pytest.mark.parametrize(("n", "size"), [(10, 3), (11, 4), (1, 1), (3, 1), (4, 2), (100, 30), (101, 31)])
def test_shiquan_13_4_town_spot_check_at_least_30_percent_rounded_up(n: int, size: int, engine: str) -> None:
    d = plan("shiquan", n, engine, seed=1)
    r = req(d, "town-monthly-spot-check")
    assert r.people_per_check == size and r.min_count == 1 and r.by == ["town_party_committee"]
    assert len(r.samples) == 1 and len(set(r.samples[0])) == size
    assert set(r.samples[0]) <= {p["id"] for p in roster(n)}
    assert "supervision-30-percent-round-up" in {c.interpretation for c in r.citations}


def test_shiquan_13_4_county_inspection_each_quarter(engine: str) -> None:
    r = req(plan("shiquan", 20, engine, month="2022-05", seed=1), "county-quarterly-inspection")
    assert (r.every, str(r.window_start), str(r.window_end), r.people_per_check) == (
        "quarter",
        "2022-04-01",
        "2022-06-30",
        None,
    )
    assert r.by == ["county_org_dept", "county_agriculture_bureau", "county_rural_revitalization_bureau"]


def test_tongwei_20_two_spot_checks_of_at_least_100_each(engine: str) -> None:
    d = plan("tongwei", 250, engine, seed=3)
    r = req(d, "county-presence-spot-checks")
    assert (r.min_count, r.people_per_check, r.capped_at_roster) == (2, 100, False)
    assert [len(s) for s in r.samples] == [100, 100] and r.samples[0] != r.samples[1]
    assert req(d, "county-monthly-inspection").min_count == 1


def test_tongwei_20_fewer_than_100_stationed_checks_everyone(engine: str) -> None:
    d = plan("tongwei", 60, engine, seed=3)
    r = req(d, "county-presence-spot-checks")
    assert (r.people_per_check, r.capped_at_roster) == (60, True)
    assert all(sorted(s) == [p["id"] for p in roster(60)] for s in r.samples)
    assert d.notes and "supervision-100-people" in {c.interpretation for c in r.citations}


def test_samples_are_reproducible_from_the_seed(engine: str) -> None:
    a = req(plan("tongwei", 500, engine, seed=20220301), "county-presence-spot-checks").samples
    b = req(plan("tongwei", 500, engine, seed=20220301), "county-presence-spot-checks").samples
    c = req(plan("tongwei", 500, engine, seed=20220302), "county-presence-spot-checks").samples
    assert a == b and a != c
    # the roster's order does not matter: ids are sorted before sampling
    shuffled = list(reversed(roster(500)))
    d = vp.decide("tongwei", "supervision_plan", {"month": "2022-03", "roster": shuffled, "seed": 20220301}, on=ON)
    assert req(d, "county-presence-spot-checks").samples == a


def test_without_a_seed_one_is_drawn_and_returned(engine: str) -> None:
    d = plan("shiquan", 50, engine)
    again = plan("shiquan", 50, engine, seed=d.seed)
    assert (
        d.seed is not None
        and req(again, "town-monthly-spot-check").samples == req(d, "town-monthly-spot-check").samples
    )


def check(kind: str, by: str, date: str, people: list[str] | None = None, count: int | None = None) -> dict:
    out: dict = {"kind": kind, "by": by, "date": date}
    if people is not None:
        out["people"] = people
    if count is not None:
        out["people_count"] = count
    return out


def test_shiquan_13_4_checks_done_against_the_30_percent_quota(engine: str) -> None:
    ids = [p["id"] for p in roster(10)]
    short = plan(
        "shiquan", 10, engine, seed=1, checks_done=[check("spot_check", "town_party_committee", "2022-03-05", ids[:2])]
    )
    assert short.outcome == "short" and req(short, "town-monthly-spot-check").status == "short"
    f = next(x for x in short.findings if x.id == "town-monthly-spot-check")
    assert not f.passed and f.citation.clause == "13(4)"
    met = plan(
        "shiquan", 10, engine, seed=1, checks_done=[check("spot_check", "town_party_committee", "2022-03-05", ids[:3])]
    )
    assert req(met, "town-monthly-spot-check").status == "met"
    # March closes the quarter: without the county's inspection the month is still short
    assert req(met, "county-quarterly-inspection").status == "short" and met.outcome == "short"
    # the quarter's county inspection is pending until the quarter's last month
    feb = plan(
        "shiquan",
        10,
        engine,
        month="2022-02",
        seed=1,
        checks_done=[check("spot_check", "town_party_committee", "2022-02-05", count=3)],
    )
    assert req(feb, "county-quarterly-inspection").status == "pending" and feb.outcome == "met"
    mar = plan(
        "shiquan",
        10,
        engine,
        month="2022-03",
        seed=1,
        checks_done=[
            check("spot_check", "town_party_committee", "2022-03-05", count=3),
            check("inspection", "county_org_dept", "2022-01-20", count=0),
        ],
    )
    assert req(mar, "county-quarterly-inspection").status == "met" and mar.outcome == "met"


def test_tongwei_20_a_check_of_99_does_not_count(engine: str) -> None:
    done = [
        check("inspection", "county_inspection_group", "2022-03-02", count=0),
        check("spot_check", "county_inspection_group", "2022-03-10", count=100),
        check("spot_check", "county_inspection_group", "2022-03-20", count=99),
        check("spot_check", "town_party_committee", "2022-03-21", count=150),  # not the inspection group
        check("spot_check", "county_inspection_group", "2022-04-01", count=150),  # outside the month
    ]
    d = plan("tongwei", 300, engine, seed=1, checks_done=done)
    r = req(d, "county-presence-spot-checks")
    assert (r.done, r.status, d.outcome) == (1, "short", "short")
    assert d.ignored_records == [4]


@pytest.mark.parametrize("j", ["central", "guizhou", "xiangyin"])
def test_documents_without_a_quota_are_not_covered(j: str, engine: str) -> None:
    assert plan(j, 10, engine, seed=1).outcome == "not_covered"


def test_bad_roster_and_records_name_the_row() -> None:
    with pytest.raises(vp.FactError, match="duplicate id"):
        vp.decide("shiquan", "supervision_plan", {"month": "2022-03", "roster": [{"id": "a"}, {"id": "a"}]}, on=ON)
    with pytest.raises(vp.FactError, match=r"checks_done\.0\.people"):
        vp.decide(
            "shiquan",
            "supervision_plan",
            {
                "month": "2022-03",
                "roster": [{"id": "a"}],
                "checks_done": [check("spot_check", "town_party_committee", "2022-03-01", ["zz"])],
            },
            on=ON,
        )
    with pytest.raises(vp.FactError, match="by"):
        vp.decide(
            "shiquan",
            "supervision_plan",
            {
                "month": "2022-03",
                "roster": [{"id": "a"}],
                "checks_done": [check("spot_check", "mayor", "2022-03-01", count=1)],
            },
            on=ON,
        )
