"""Escalation: each ladder step by step, deadlines across holidays, the grade-cap contract, bad histories."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

import villagepolicy as vp
from villagepolicy.questions.escalation import GRADES, LEVELS

ON = "2024-06-28"


def absent(date: str, leave: bool = False) -> dict[str, Any]:
    return {"date": date, "kind": "absent_on_inspection", "leave_procedure_followed": leave}


def present(date: str) -> dict[str, Any]:
    return {"date": date, "kind": "present_on_inspection"}


def event(date: str, kind: str, **fields: Any) -> dict[str, Any]:
    return {"date": date, "kind": kind, **fields}


def month(m: str, days: int, justified: bool = False) -> dict[str, Any]:
    return event(f"{m}-28", "stay_shortfall_month", month=m, days=days, justified=justified)


def esc(j: str, history: list[dict], engine: str, on: str = ON, role: str = "team_member", **facts: Any) -> Any:
    return vp.decide(j, "escalation", {"role": role, "history": history, **facts}, on=on, engine=engine)


def clauses(d: vp.Decision) -> set[tuple[str, str]]:
    return {(c.pack, c.clause) for c in d.citations if c.interpretation is None}


# ── Shiquan 13(4): 1st, 2nd, 3rd finding ──


def test_shiquan_13_4_no_finding_is_none(engine: str) -> None:
    d = esc("shiquan", [present("2024-03-01")], engine)
    assert (d.outcome, d.actions, d.grade_cap, d.bans, d.deadlines) == ("none", [], None, [], [])
    assert ("shiquan-2021", "13(4)") in clauses(d)


def test_shiquan_13_4_first_finding_criticism(engine: str) -> None:
    d = esc("shiquan", [absent("2024-03-05")], engine)
    assert (d.outcome, d.actions, d.grade_cap) == ("criticism_education", ["criticism_education"], None)
    assert d.trace == ["sq-esc-absence-criticism"]
    assert any(c.clause == "13(4)" and "发现一次批评教育" in c.text_zh for c in d.citations)


def test_shiquan_13_4_second_finding_talk_and_cap_competent(engine: str) -> None:
    d = esc("shiquan", [absent("2024-03-05"), absent("2024-04-05")], engine)
    assert (d.outcome, d.actions, d.grade_cap) == ("talk_and_notice", ["talk_and_notice"], "competent")
    assert "esc-count-per-appraisal-year" in {c.interpretation for c in d.citations}


def test_shiquan_13_4_third_finding_recall_and_cap_basically_competent(engine: str) -> None:
    d = esc("shiquan", [absent("2024-03-05"), absent("2024-04-05"), absent("2024-05-05")], engine)
    assert d.outcome == "recall"
    assert d.actions == ["revoke_reserve_cadre", "recall", "reselect"]
    assert d.actors == ["dispatching_unit"]
    assert d.grade_cap == "basically_competent"
    # 20: a recall bars the dispatching unit's leaders from 优秀 that year
    assert [b.model_dump() for b in d.bans] == [
        {"kind": "excellent_grade", "years": None, "this_year": True, "applies_to": "dispatching_unit_leaders"}
    ]
    assert {("shiquan-2021", "13(4)"), ("shiquan-2021", "20")} <= clauses(d)


def test_shiquan_13_4_fourth_finding_stays_at_third_step(engine: str) -> None:
    d = esc("shiquan", [absent(f"2024-0{m}-05") for m in (2, 3, 4, 5)], engine)
    assert (d.outcome, d.grade_cap) == ("recall", "basically_competent")


def test_shiquan_13_4_absences_with_leave_procedure_do_not_count(engine: str) -> None:
    d = esc(
        "shiquan", [absent("2024-03-05"), absent("2024-04-05", leave=True), absent("2024-05-05", leave=True)], engine
    )
    assert d.outcome == "criticism_education"


def test_shiquan_13_4_counts_per_appraisal_year(engine: str) -> None:
    history = [absent("2023-10-05"), absent("2023-11-05"), absent("2024-01-10")]
    # Issue 14 item 1: 2023's second finding (talk and notice) stays in the history's answer; 2024 (the latest
    # year with a violation, judged) has one finding, so no cap on 2024.
    d = esc("shiquan", history, engine, on="2024-01-15")
    assert (d.outcome, d.grade_cap) == ("talk_and_notice", None)
    assert set(d.actions) == {"criticism_education", "talk_and_notice"}
    assert esc("shiquan", history, engine, on="2024-01-15", appraisal_year=2024).outcome == "criticism_education"
    d = esc("shiquan", history, engine, on="2024-01-15", appraisal_year=2023)
    assert (d.outcome, d.grade_cap) == ("talk_and_notice", "competent")


def test_shiquan_12_month_below_20_is_a_manual_check_not_a_finding(engine: str) -> None:
    d = esc("shiquan", [month("2024-03", 15)], engine)
    assert d.outcome == "none"
    assert [f.id for f in d.manual_checks] == ["sq-12-month-below-20"]
    assert d.manual_checks[0].citation is not None and d.manual_checks[0].citation.clause == "12"


def test_shiquan_13_2_leave_over_30_days_recalls(engine: str) -> None:
    d = esc("shiquan", [event("2024-05-01", "leave_over_30_days")], engine)
    assert (d.outcome, d.actions, d.actors) == ("recall", ["recall", "reselect"], ["dispatching_unit"])
    assert d.bans[0].applies_to == "dispatching_unit_leaders"
    assert "esc-recalled-for-any-reason" in {c.interpretation for c in d.citations}


def test_shiquan_13_2_unapproved_leave_is_disciplinary(engine: str) -> None:
    d = esc("shiquan", [event("2024-05-01", "unapproved_leave")], engine)
    assert (d.outcome, d.actions) == ("disciplinary_handling", ["disciplinary_handling"])
    assert [f.id for f in d.manual_checks] == ["sq-13-2-serious"]


def test_shiquan_20_incompetent_recalls_and_bars_promotion_two_years(engine: str) -> None:
    d = esc("shiquan", [event("2024-01-10", "annual_grade", grade="incompetent")], engine)
    assert (d.outcome, d.actions) == ("recall", ["recall"])
    bans = {(b.kind, b.applies_to): (b.years, b.this_year) for b in d.bans}
    assert bans == {("promotion", "person"): (2, False), ("excellent_grade", "dispatching_unit_leaders"): (None, True)}


def test_shiquan_combines_every_matched_rule_highest_level_wins(engine: str) -> None:
    history = [
        absent("2024-03-05"),
        absent("2024-04-05"),
        absent("2024-05-05"),
        event("2024-05-20", "unapproved_leave"),
    ]
    d = esc("shiquan", history, engine)
    assert LEVELS.index("disciplinary_handling") > LEVELS.index("recall")
    assert d.outcome == "disciplinary_handling"
    assert d.actions == ["revoke_reserve_cadre", "recall", "reselect", "disciplinary_handling"]
    assert d.grade_cap == "basically_competent"
    assert d.trace == ["sq-esc-absence-recall", "sq-esc-unapproved-leave", "sq-esc-unit-leaders-no-excellent"]


def test_shiquan_13_4_party_building_instructor_not_covered(engine: str) -> None:
    d = esc("shiquan", [absent("2024-03-05")], engine, role="party_building_instructor")
    assert d.outcome == "not_covered"


# ── Guizhou II / III / IV.4 ──


def test_guizhou_ii_2_two_absences_without_leave_is_none(engine: str) -> None:
    d = esc("guizhou", [absent("2024-03-05"), absent("2024-04-05")], engine)
    assert (d.outcome, d.deadlines) == ("none", [])


def test_guizhou_ii_2_third_absence_education_rectification(engine: str) -> None:
    d = esc("guizhou", [absent("2023-03-05"), absent("2024-04-05"), absent("2024-05-05")], engine)
    assert d.outcome == "education_rectification"
    # III.1: the county org dept proposes and notifies the dispatching unit; cumulative across years (累计)
    assert d.actors == ["county_org_dept", "dispatching_unit"]
    assert {("guizhou-2017", "II.2"), ("guizhou-2017", "III.1"), ("guizhou-2017", "IV.4")} <= clauses(d)


def test_guizhou_ii_2_absences_with_leave_procedure_do_not_count(engine: str) -> None:
    history = [absent("2024-03-05"), absent("2024-04-05"), absent("2024-05-05", leave=True)]
    assert esc("guizhou", history, engine).outcome == "none"


def test_guizhou_iv_4_consequences_of_rectification(engine: str) -> None:
    d = esc("guizhou", [absent("2024-03-05"), absent("2024-04-05"), absent("2024-05-05")], engine)
    assert {"no_awards_this_year", "bonus_deduction", "unit_score_deduction", "take_back"} <= set(d.actions)
    assert {(b.kind, b.years, b.this_year) for b in d.bans} == {("awards", None, True), ("promotion", 1, False)}
    assert d.bonus_withheld_min_percent == 20


@pytest.mark.parametrize(("rate", "outcome"), [(0.49, "education_rectification"), (0.5, "none")])
def test_guizhou_ii_3_satisfaction_below_50_alone(rate: float, outcome: str, engine: str) -> None:
    d = esc("guizhou", [event("2024-05-01", "satisfaction_rate", rate=rate)], engine)
    assert d.outcome == outcome
    if outcome != "none":
        assert d.actors == ["town_party_committee", "county_org_dept", "dispatching_unit"]  # III.2


@pytest.mark.parametrize(
    ("days", "justified", "outcome"),
    [(19, False, "education_rectification"), (19, True, "none"), (20, False, "none")],
)
def test_guizhou_ii_4_month_below_20_days(days: int, justified: bool, outcome: str, engine: str) -> None:
    assert esc("guizhou", [month("2024-04", days, justified)], engine).outcome == outcome


def test_guizhou_ii_10_self_dealing_joint_investigation_and_transfer(engine: str) -> None:
    d = esc("guizhou", [event("2024-05-01", "bribery_or_self_dealing")], engine)
    assert d.outcome == "transfer_to_discipline"
    assert d.actions[:3] == ["education_rectification", "joint_investigation", "transfer_to_discipline"]
    assert "county_discipline_commission" in d.actors


def test_guizhou_ii_9_unreported_incident_transfer_only_after_investigation(engine: str) -> None:
    d = esc("guizhou", [event("2024-05-01", "failed_to_report_incident")], engine)
    assert d.outcome == "education_rectification"
    assert "transfer_to_discipline" not in d.actions
    assert [f.id for f in d.manual_checks] == ["gz-iii-3-transfer-if-violation"]


def test_guizhou_iv_4_incompetent_admonishment_and_bonus(engine: str) -> None:
    d = esc("guizhou", [event("2024-01-10", "annual_grade", grade="incompetent")], engine)
    assert d.outcome == "education_rectification"
    assert {"admonishment_talk", "bonus_deduction"} <= set(d.actions)


def test_guizhou_ii_silent_kind_is_not_covered_citing_its_list(engine: str) -> None:
    # Issue 14 item 8: no verdict (`none`) where the opinion names none of the conduct; central V(3) is not in
    # force in Guizhou in 2024, so nothing else decides it.
    d = esc("guizhou", [event("2024-05-01", "fraud_in_records")], engine)
    assert d.outcome == "not_covered"
    assert [f.id for f in d.manual_checks] == ["unaddressed.fraud_in_records"]
    assert "history 0" in d.manual_checks[0].message_en
    assert ("guizhou-2017", "II") in clauses(d) or any(c.pack == "guizhou-2017" for c in d.citations)


# ── Guizhou deadlines on the working-day calendar (2024 National Day: 10-01..07 off, 09-29 and 10-12 worked) ──

THREE = [absent("2024-03-05"), absent("2024-04-05"), absent("2024-05-05")]


def deadlines(d: vp.Decision) -> dict[str, tuple[dt.date | None, str]]:
    return {x.action: (x.due, x.clause) for x in d.deadlines}


def test_guizhou_iii_5_take_back_within_7_working_days_across_national_day(engine: str) -> None:
    d = esc("guizhou", THREE, engine, on="2024-09-27")
    assert deadlines(d)["take_back"] == (dt.date(2024, 10, 12), "III.5")
    take_back = next(x for x in d.deadlines if x.action == "take_back")
    assert (take_back.rule, take_back.actor, take_back.start) == (
        "gz-esc-rectification-consequences",
        "dispatching_unit",
        dt.date(2024, 9, 27),
    )


def test_guizhou_iii_8_review_request_within_2_working_days_counts_the_make_up_sunday(engine: str) -> None:
    d = esc("guizhou", THREE, engine, on="2024-09-27")
    assert deadlines(d)["review_request"] == (dt.date(2024, 9, 30), "III.8")


def test_guizhou_event_deadlines_undated_until_their_event(engine: str) -> None:
    d = esc("guizhou", THREE, engine, on="2024-09-27")
    due = deadlines(d)
    assert due["review_answer"] == (None, "III.8")
    assert due["return_to_village"] == (None, "III.6")
    assert due["reselect"] == (None, "III.7")
    assert [x.due is None for x in d.deadlines] == [False, False, True, True, True]  # dated ones first


def test_guizhou_iii_6_iii_7_iii_8_run_from_their_events_across_national_day(engine: str) -> None:
    history = [
        *THREE,
        event("2024-09-30", "review_requested"),
        event("2024-09-30", "return_approved"),
        event("2024-09-29", "rectification_failed"),
    ]
    due = deadlines(esc("guizhou", history, engine, on="2024-09-30"))
    assert due["review_answer"] == (dt.date(2024, 10, 12), "III.8")  # 10-08..10-12 (a worked Saturday)
    assert due["return_to_village"] == (dt.date(2024, 10, 15), "III.6")
    assert due["reselect"] == (dt.date(2024, 10, 14), "III.7")


# ── Tongwei 38–40 ──


def test_tongwei_39_3_one_absence_is_none(engine: str) -> None:
    assert esc("tongwei", [absent("2019-03-05")], engine, on="2019-06-01").outcome == "none"


def test_tongwei_39_3_two_consecutive_absences_recall(engine: str) -> None:
    d = esc("tongwei", [absent("2019-03-05"), absent("2019-04-05")], engine, on="2019-06-01")
    assert d.outcome == "recall"
    assert d.actions == ["recall", "reselect", "record_in_personnel_file"]
    assert d.actors == ["dispatching_unit"]
    bans = {(b.kind, b.years) for b in d.bans}
    assert bans == {("promotion", 1), ("awards", 1), ("professional_title", 1), ("grassroots_experience", None)}
    assert {("tongwei-2018", "39.3"), ("tongwei-2018", "39.p2")} <= clauses(d)


def test_tongwei_39_3_presence_between_breaks_the_run(engine: str) -> None:
    history = [absent("2019-03-05"), present("2019-03-20"), absent("2019-04-05")]
    assert esc("tongwei", history, engine, on="2019-06-01").outcome == "none"


def test_tongwei_39_3_excused_absence_neither_counts_nor_breaks(engine: str) -> None:
    history = [absent("2019-03-05"), absent("2019-03-20", leave=True), absent("2019-04-05")]
    assert esc("tongwei", history, engine, on="2019-06-01").outcome == "recall"
    assert esc("tongwei", history[:2], engine, on="2019-06-01").outcome == "none"


@pytest.mark.parametrize(
    ("months", "outcome"),
    [
        ([("2019-03", 13), ("2019-04", 13)], "recall"),
        ([("2019-12", 10), ("2020-01", 12)], "recall"),  # across the year end
        ([("2019-03", 13), ("2019-04", 14)], "none"),
        ([("2019-03", 10), ("2019-05", 10)], "none"),  # not consecutive
    ],
)
def test_tongwei_39_3_two_consecutive_months_below(months: list, outcome: str, engine: str) -> None:
    d = esc("tongwei", [month(m, days) for m, days in months], engine, on="2020-03-01")
    assert d.outcome == outcome
    if outcome == "recall":
        assert "esc-tongwei-month-judged" in {c.interpretation for c in d.citations}


def test_tongwei_40_6_absent_during_leader_inspection_accountability_forms(engine: str) -> None:
    d = esc("tongwei", [event("2019-05-01", "absent_during_leader_inspection")], engine, on="2019-06-01")
    assert (d.outcome, d.actions, d.actors) == ("accountability", ["accountability"], ["county_org_dept"])
    forms = {f.id: f for f in d.forms}
    assert list(forms) == ["criticism_notice", "written_self_criticism", "admonishment_talk", "organisational_handling"]
    assert {(b.kind, b.years) for b in forms["admonishment_talk"].bans} == {("promotion", 1), ("professional_title", 1)}
    org = {(b.kind, b.years, b.applies_to) for b in forms["organisational_handling"].bans}
    assert ("promotion", 2, "person") in org and ("awards", None, "dispatching_unit") in org


def test_tongwei_40_5_basically_competent_accountability_with_recall_check(engine: str) -> None:
    d = esc("tongwei", [event("2019-01-10", "annual_grade", grade="basically_competent")], engine, on="2019-06-01")
    assert d.outcome == "accountability"
    assert [f.id for f in d.manual_checks] == ["tw-30-recall-or-accountability"]


def test_tongwei_38_incompetent_recall_and_accountability(engine: str) -> None:
    d = esc("tongwei", [event("2019-01-10", "annual_grade", grade="incompetent")], engine, on="2019-06-01")
    assert d.outcome == "recall"
    assert {"recall", "accountability"} <= set(d.actions)
    assert {("tongwei-2018", "38"), ("tongwei-2018", "40.5")} <= clauses(d)


# ── central V(3) and Xiangyin V(3) ──


def test_central_v_3_unfit_recalled(engine: str) -> None:
    d = esc("central", [event("2019-01-10", "annual_grade", grade="incompetent")], engine, on="2019-06-01")
    # Issue 14 item 5: V(3)'s 驻村工作领导小组 is county_leading_group (as in IV(2)'s duties), not the office.
    assert (d.outcome, d.actors) == ("recall", ["county_leading_group", "dispatching_unit"])


def test_central_v_3_fraud_serious_handling(engine: str) -> None:
    d = esc("central", [event("2019-05-01", "fraud_in_records")], engine, on="2019-06-01")
    assert (d.outcome, d.actions) == ("serious_handling", ["serious_handling"])
    assert [f.id for f in d.manual_checks] == ["cn-v-3-unit-accountability"]


def test_xiangyin_v_3_serious_violation_recall(engine: str) -> None:
    d = esc("xiangyin", [event("2021-05-01", "bribery_or_self_dealing")], engine, role="party_building_instructor")
    assert (d.outcome, d.actions, d.actors) == (
        "recall",
        ["recall", "reselect"],
        ["county_org_dept", "dispatching_unit"],
    )


def test_xiangyin_v_3_low_satisfaction_is_a_judgement(engine: str) -> None:
    d = esc("xiangyin", [event("2021-05-01", "satisfaction_rate", rate=0.3)], engine, role="party_building_instructor")
    assert d.outcome == "none" and [f.id for f in d.manual_checks] == ["xy-v-3-recall-grounds"]


def test_xiangyin_other_roles_not_covered(engine: str) -> None:
    assert esc("xiangyin", [], engine).outcome == "not_covered"


# ── the grade_cap contract the appraisal question applies ──


# A year in which each jurisdiction's own pack is in force (Shiquan's from 2021-08-31, Xiangyin's from 2020-03-17).
CAP_YEAR = {"shiquan": 2024, "guizhou": 2019, "tongwei": 2019, "xiangyin": 2021, "central": 2019}


@pytest.mark.parametrize("j", sorted(CAP_YEAR))
def test_grade_cap_is_an_individual_grade_id_or_none(j: str, engine: str) -> None:
    role = "party_building_instructor" if j == "xiangyin" else "first_secretary"
    year = CAP_YEAR[j]
    caps = set()
    for n in range(5):
        history = [absent(f"{year}-0{m + 1}-05") for m in range(n)]
        d = esc(j, history, engine, on=f"{year}-12-31", role=role)
        assert d.grade_cap is None or d.grade_cap in GRADES
        assert d.to_dict()["grade_cap"] == d.grade_cap  # JSON carries the id itself
        caps.add(d.grade_cap)
    if j == "shiquan":  # the pack that sets caps (13(4)): the id branch above is reached
        assert caps - {None}


def test_grade_cap_through_subdecide_as_appraisal_calls_it(engine: str) -> None:
    # appraisal calls match.subdecide("escalation", {"role": ..., "history": [...]}) and reads grade_cap.
    j = vp.jurisdiction("shiquan")
    d = j.decide(
        "escalation",
        {"role": "first_secretary", "history": [absent("2024-03-05"), absent("2024-04-05")]},
        "2024-12-31",
        engine=engine,
    )
    assert d.grade_cap == "competent"
    allowed = GRADES[GRADES.index(d.grade_cap) :]
    assert "excellent" not in allowed and allowed[0] == "competent"


def test_a_county_pack_by_yaml_alone_strictest_cap_and_highest_level(tmp_path: Path, engine: str) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "jurisdictions").mkdir()
    (tmp_path / "rules" / "lakeside-2024.yaml").write_text(
        """pack: {id: lakeside-2024, title_zh: 湖畔县办法, issuer_zh: 湖畔县委, issued: "2024-01-01",
  effective_from: "2024-01-01", source: lakeside.txt}
clauses:
  - {id: "9", text_zh: "不在岗一次的，年度考核不得评为优秀；两次的，不得评为称职以上，并通报。", summary_en: absences}
rules:
  - id: lk-one
    question: escalation
    when: {absences_unexcused: {gte: 1}}
    then: {outcome: criticism_education, grade_cap: competent,
           deadlines: [{action: take_back, working_days: 3, runs_from: notice, clause: "9"}]}
    cites: ["9"]
  - id: lk-two
    question: escalation
    when: {absences_unexcused: {gte: 2}}
    then: {outcome: talk_and_notice, grade_cap: basically_competent}
    cites: ["9"]
""",
        encoding="utf-8",
    )
    (tmp_path / "jurisdictions" / "lakeside.yaml").write_text(
        "id: lakeside\nname_zh: 湖畔县\nname_en: Lakeside\nlevel: county\n"
        "packs:\n  - {pack: lakeside-2024, why_en: own}\n",
        encoding="utf-8",
    )
    lib = vp.load(tmp_path)
    facts = {"role": "team_member", "history": [absent("2024-09-26"), absent("2024-09-27")]}
    d = lib.decide("lakeside", "escalation", facts, "2024-09-30", engine=engine)
    assert (d.outcome, d.grade_cap) == ("talk_and_notice", "basically_competent")
    assert [(x.action, x.due) for x in d.deadlines] == [("take_back", dt.date(2024, 10, 10))]


# ── bad histories ──


def test_unknown_event_kind_is_a_fact_error_naming_the_index() -> None:
    with pytest.raises(vp.FactError) as e:
        vp.decide(
            "shiquan",
            "escalation",
            {"role": "team_member", "history": [absent("2024-03-05"), event("2024-03-06", "napping")]},
            on=ON,
        )
    assert "history.1.kind" in str(e.value) and "napping" in str(e.value)


@pytest.mark.parametrize(
    ("bad", "where"),
    [
        ({"date": "2024-03-05", "kind": "absent_on_inspection"}, "leave_procedure_followed"),
        ({**absent("2024-03-05"), "grade": "excellent"}, "does not take grade"),
        (absent("2024-13-05"), "history.0.date"),
        ({**absent("2024-03-05"), "date": 20240305}, "history.0.date"),
        ({**absent("2024-03-05"), "leave_procedure_followed": "no"}, "history.0.leave_procedure_followed"),
        (absent("2024-07-01"), "after the decision date"),
        (event("2024-03-05", "satisfaction_rate", rate=1.5), "history.0.rate"),
        (event("2024-03-05", "annual_grade", grade="good"), "history.0.grade"),
        ({**absent("2024-03-05"), "colour": "red"}, "history.0.colour"),
        (month("2023-02", 29), "has only 28 days"),
    ],
)
def test_bad_event_is_a_fact_error(bad: dict, where: str) -> None:
    with pytest.raises(vp.FactError) as e:
        vp.decide("shiquan", "escalation", {"role": "team_member", "history": [bad]}, on=ON)
    assert where in str(e.value)


def test_same_month_twice_is_a_fact_error() -> None:
    with pytest.raises(vp.FactError) as e:
        vp.decide(
            "guizhou",
            "escalation",
            {"role": "team_member", "history": [month("2024-03", 10), month("2024-03", 12)]},
            on=ON,
        )
    assert "history.1" in str(e.value) and "history.0" in str(e.value)


def test_tongwei_38_dissatisfaction_is_a_judgement(engine: str) -> None:
    d = esc("tongwei", [event("2019-05-01", "satisfaction_rate", rate=0.2)], engine, on="2019-06-01")
    assert d.outcome == "none" and [f.id for f in d.manual_checks] == ["tw-38-dissatisfaction"]


def test_every_deadline_form_and_check_names_a_clause_its_rule_cites() -> None:
    lib = vp.load(None)
    seen = 0
    for pack in lib.packs.values():
        for cr in pack.by_question.get("escalation", []):
            e = cr.effect
            for item in [*e.deadlines, *e.forms, *e.checks]:
                seen += 1
                assert item.clause in cr.rule.cites, f"{pack.id} {cr.rule.id}: {item.clause} not in cites"
    assert seen >= 15
