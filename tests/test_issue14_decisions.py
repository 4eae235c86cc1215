"""Issue 14, decision items 1–9: each named after the clause it checks, on both engines (`engine` fixture)."""

from __future__ import annotations

from typing import Any

import villagepolicy as vp


def absent(date: str) -> dict[str, Any]:
    return {"date": date, "kind": "absent_on_inspection", "leave_procedure_followed": False}


def event(date: str, kind: str, **fields: Any) -> dict[str, Any]:
    return {"date": date, "kind": kind, **fields}


def esc(j: str, history: list[dict], on: str, engine: str, role: str = "team_member", **facts: Any) -> Any:
    return vp.decide(j, "escalation", {"role": role, "history": history, **facts}, on=on, engine=engine)


def cited(d: vp.Decision) -> set[tuple[str, str]]:
    return {(c.pack, c.clause) for c in d.citations if c.interpretation is None}


THREE_2022 = [absent("2022-03-05"), absent("2022-06-05"), absent("2022-10-05")]


# ── item 1: the period judged comes from the facts, never from the year of `on` ──


def test_shiquan_13_4_recall_stays_after_new_year(engine: str) -> None:
    dec31 = esc("shiquan", THREE_2022, "2022-12-31", engine)
    jan1 = esc("shiquan", THREE_2022, "2023-01-01", engine)
    for d in (dec31, jan1):
        assert d.outcome == "recall"
        assert {"revoke_reserve_cadre", "recall", "reselect"} <= set(d.actions)
        assert d.grade_cap == "basically_competent"  # the year judged is 2022, the latest year with a violation
        assert d.counts["appraisal_year"] == 2022
    assert jan1.actions == dec31.actions and jan1.grade_cap == dec31.grade_cap


def test_shiquan_13_4_earlier_year_step_stays_without_capping_the_year_judged(engine: str) -> None:
    history = [*THREE_2022, absent("2023-02-01")]
    d = esc("shiquan", history, "2023-03-01", engine)
    # 2023 (judged) has one finding: criticism, no cap on 2023; 2022's third finding (recall) stays reported.
    assert d.outcome == "recall"
    assert {"criticism_education", "recall"} <= set(d.actions)
    assert d.grade_cap is None
    assert "sq-esc-absence-earlier-recall" in d.trace
    # An explicit year judges that year alone.
    assert esc("shiquan", history, "2023-03-01", engine, appraisal_year=2023).outcome == "criticism_education"


def excellent_2022(**escalation: Any) -> dict[str, Any]:
    """An individual's 2022 appraisal graded 优秀, with the escalation facts given."""
    esc_facts = {"role": "team_member", "history": [], **escalation}
    return {
        "subject": "individual",
        "grade": "excellent",
        "months_stationed": 12,
        "year": 2022,
        "escalation": esc_facts,
    }


def test_shiquan_13_4_caps_from_appraisal_year_not_decision_date(engine: str) -> None:
    facts = excellent_2022(history=[absent("2022-03-05"), absent("2022-09-05")])
    dec = vp.decide("shiquan", "appraisal_grade", facts, on="2022-12-31", engine=engine)
    jan = vp.decide("shiquan", "appraisal_grade", facts, on="2023-01-15", engine=engine)
    for d in (dec, jan):
        assert (d.grade, d.capped_from, d.grade_cap) == ("competent", "excellent", "competent")
        assert ("shiquan-2021", "13(4)") in cited(d)
    # Without `year` the escalation judges the latest year with a finding (2022) as well.
    no_year = {k: v for k, v in facts.items() if k != "year"}
    assert vp.decide("shiquan", "appraisal_grade", no_year, on="2023-01-15", engine=engine).grade == "competent"
    # The year 2023 has no finding: no cap.
    other = {**facts, "year": 2023}
    assert vp.decide("shiquan", "appraisal_grade", other, on="2023-12-31", engine=engine).grade == "excellent"


def test_appraisal_year_and_escalation_appraisal_year_must_agree(engine: str) -> None:
    facts = excellent_2022(appraisal_year=2021)
    try:
        vp.decide("shiquan", "appraisal_grade", facts, on="2023-01-15", engine=engine)
    except vp.FactError as e:
        assert [f for f, _ in e.problems] == ["escalation.appraisal_year"]
    else:
        raise AssertionError("a contradictory year was accepted")


# ── item 2: no retroactivity ──


def test_shiquan_22_findings_before_2021_08_31_not_counted(engine: str) -> None:
    before = [absent("2021-03-05"), absent("2021-05-05"), absent("2021-07-05")]
    d = esc("shiquan", [*before, absent("2021-10-05")], "2021-12-01", engine)
    assert d.outcome == "criticism_education"  # only the October finding counts under the measures
    assert d.counts["absences_unexcused_year"] == 1
    not_judged = [f for f in d.manual_checks if f.id.startswith("not_in_force.")]
    assert len(not_judged) == 1 and "2021-03-05" in not_judged[0].message_zh
    assert not_judged[0].citation is not None and not_judged[0].citation.clause in {"22", "preamble", "II(3)"}


def test_shiquan_conduct_in_2020_falls_to_central_v_3(engine: str) -> None:
    history = [event("2020-06-01", "fraud_in_records"), absent("2021-10-05")]
    d = esc("shiquan", history, "2021-12-01", engine)
    # The 2020 fraud is judged under the central guideline, in force in Shiquan then (V(3) 严肃处理).
    assert d.outcome == "serious_handling"
    assert {"criticism_education", "serious_handling"} <= set(d.actions)
    assert ("central-2017", "V(3)") in cited(d) and ("shiquan-2021", "13(4)") in cited(d)
    assert "central-2017" in d.packs and any("central-2017" in n for n in d.notes)


def test_guizhou_ii_2_absences_before_2017_05_02_not_counted(engine: str) -> None:
    history = [absent("2017-03-01"), absent("2017-04-01"), absent("2017-06-01")]
    d = esc("guizhou", history, "2017-07-01", engine)
    assert d.outcome == "none"
    assert d.counts["absences_unexcused"] == 1
    assert [f.id for f in d.manual_checks if f.id.startswith("not_in_force.")] == ["not_in_force.2017-03-01"]
    # All three after the opinion: education and rectification (累计被发现三次).
    after = [absent("2017-06-01"), absent("2017-06-10"), absent("2017-06-20")]
    assert esc("guizhou", after, "2017-07-01", engine).outcome == "education_rectification"


# ── item 3: fallback per kind of conduct ──


def test_guizhou_silent_on_fraud_central_v_3_decides(engine: str) -> None:
    d = esc("guizhou", [event("2019-05-01", "fraud_in_records")], "2019-06-01", engine)
    assert (d.outcome, d.actions) == ("serious_handling", ["serious_handling"])
    assert ("central-2017", "V(3)") in cited(d)
    assert not [f for f in d.manual_checks if f.id.startswith("unaddressed.")]


def test_guizhou_ii_2_with_fraud_central_v_3_decides_the_fraud_only(engine: str) -> None:
    history = [
        absent("2019-03-01"),
        absent("2019-04-01"),
        absent("2019-05-01"),
        event("2019-05-02", "fraud_in_records"),
    ]
    d = esc("guizhou", history, "2019-06-01", engine)
    assert d.outcome == "serious_handling"
    assert {"education_rectification", "serious_handling"} <= set(d.actions)
    assert {("guizhou-2017", "II.2"), ("central-2017", "V(3)")} <= cited(d)
    assert d.packs[0] == "guizhou-2017" and "central-2017" in d.packs
    assert not [f for f in d.manual_checks if f.id.startswith("unaddressed.")]
    # From 2021 the central guideline is no longer in force in Guizhou: the fraud stays a manual check.
    later = [absent("2021-03-01"), absent("2021-04-01"), absent("2021-05-01"), event("2021-05-02", "fraud_in_records")]
    d = esc("guizhou", later, "2021-06-01", engine)
    assert d.outcome == "education_rectification"
    assert [f.id for f in d.manual_checks if f.id.startswith("unaddressed.")] == ["unaddressed.fraud_in_records"]


# ── item 4: periods of force ──


def test_central_ii_3_rank_rule_applies_in_shiquan_2020(engine: str) -> None:
    facts = {"role": "team_leader", "rank": "none", "fit_for_duty": True}
    d = vp.decide("shiquan", "eligibility", facts, on="2020-06-01", engine=engine)
    assert d.outcome == "needs_approval"
    assert ("central-2017", "II(3)") in cited(d)
    gap = vp.decide("shiquan", "eligibility", facts, on="2021-03-01", engine=engine)
    assert gap.outcome == "not_covered"
    assert ("shiquan-2021", "22") in cited(gap)


def test_xiangyin_preamble_work_teams_fall_to_central_until_2020(engine: str) -> None:
    facts = {"role": "team_leader", "rank": "section_leader", "fit_for_duty": True}
    d = vp.decide("xiangyin", "eligibility", facts, on="2020-06-01", engine=engine)
    assert d.outcome == "eligible" and "central-2017" in d.packs
    assert vp.decide("xiangyin", "eligibility", facts, on="2021-06-01", engine=engine).outcome == "not_covered"


# ── item 5: one body, one id ──


def test_central_v_3_leading_group_is_county_leading_group(engine: str) -> None:
    d = esc("central", [event("2019-01-10", "annual_grade", grade="incompetent")], "2019-06-01", engine)
    duties = vp.decide(
        "central", "duties", {"role": "team_leader", "stationed_since": "2019-01-01", "period": "2019"}, on="2019-06-01"
    )
    group = {a for x in duties.duties for a in x.responsible + x.report_to if "leading" in a}
    assert group == {"county_leading_group"}
    assert "county_leading_group" in d.actors and "county_leading_group_office" not in d.actors


# ── item 6: a hedge only where the text hedges that duty for that role ──


def _duties(role: str, engine: str) -> dict[str, bool]:
    d = vp.decide(
        "tongwei",
        "duties",
        {"role": role, "stationed_since": "2022-01-01", "period": "2022"},
        on="2022-06-01",
        engine=engine,
    )
    return {x.id: x.hedged for x in d.duties}


def test_tongwei_36_18_leader_own_duties_not_hedged_for_the_leader(engine: str) -> None:
    leader, secretary = _duties("team_leader", engine), _duties("first_secretary", engine)
    assert leader["leave-plan"] is False and leader["leader-log-review"] is False
    assert secretary["leave-plan"] is True and secretary["leader-log-review"] is True
    # 7.4 binds the leader who is first secretary: hedged for both; 19 names both: hedged for neither.
    assert leader["party-lecture"] is True and secretary["party-lecture"] is True
    assert leader["leader-quarterly-report"] is False and secretary["leader-quarterly-report"] is False


# ── item 8: no verdict where the document is silent ──


def test_shiquan_13_4_silent_on_fraud_is_not_covered_with_citation(engine: str) -> None:
    d = esc("shiquan", [event("2022-05-01", "fraud_in_records")], "2022-06-01", engine)
    assert d.outcome == "not_covered"
    assert ("shiquan-2021", "13(4)") in cited(d)
    assert [f.id for f in d.manual_checks] == ["unaddressed.fraud_in_records"]


def test_no_pack_in_force_not_covered_cites_period_of_force(engine: str) -> None:
    d = vp.decide("tongwei", "leave_approval", {"role": "team_member", "days": 2}, on="2017-06-01", engine=engine)
    assert d.outcome == "not_covered" and d.notes
    assert ("tongwei-2018", "42") in cited(d)


# ── item 9 ──


def test_tongwei_17_handover_witness_is_town_discipline_secretary(engine: str) -> None:
    facts = {"role": "team_member", "start_date": "2019-05-01", "departure_date": "2021-06-01"}
    d = vp.decide("tongwei", "term_and_handover", facts, on="2021-06-01", engine=engine)
    assert d.handover_witness == ["town_discipline_secretary"]
    from villagepolicy.words import label

    assert label("town_discipline_secretary") == "乡镇纪委书记"


def test_central_ii_3_health_requirement_applies_where_tongwei_4_is_silent(engine: str) -> None:
    # Item 3, per requirement: Tongwei 4 sets the leader's rank and unit, not health; central II(3) (in force
    # in Tongwei until 2020) requires 健康具备履职条件, so its finding joins the decision and is cited.
    facts = {"role": "team_leader", "unit_level": "county", "rank": "section_leader", "fit_for_duty": False}
    d = vp.decide("tongwei", "eligibility", facts, on="2019-06-01", engine=engine)
    assert d.outcome == "ineligible"
    assert {f.id: f.passed for f in d.findings} == {
        "leader_unit_level": True,
        "leader_rank": True,
        "fit_for_duty": False,
    }
    assert ("central-2017", "II(3)") in cited(d) and d.packs == ["tongwei-2018", "central-2017"]
    # Tongwei's own rank rule is not doubled by central's (the requirement is addressed by the county).
    assert [f.rule for f in d.findings if f.id == "leader_rank"] == ["tw-elig-leader-rank-local"]
    # From 2021 the guideline is no longer in force there: Tongwei 4 alone.
    later = vp.decide("tongwei", "eligibility", facts, on="2021-06-01", engine=engine)
    assert later.outcome == "eligible" and later.packs == ["tongwei-2018"]
