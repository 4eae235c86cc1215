"""Appraisal: Tongwei 27-31, 38, 40 bands and weighting; Shiquan 19-20 given grades; Guizhou, Xiangyin, central V."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

import villagepolicy as vp
from villagepolicy.cli import main
from villagepolicy.questions import QUESTIONS, Match
from villagepolicy.questions.appraisal import AppraisalFacts, combine_grade

ON = "2019-12-31"  # Tongwei's measures in force; central still its fallback
SQ_ON = "2022-12-31"


def grade(j: str, facts: dict[str, Any], engine: str, on: str = ON) -> vp.Decision:
    return vp.decide(j, "appraisal_grade", facts, on=on, engine=engine)


def person(score: float, months: float = 12, **more: Any) -> dict[str, Any]:
    return {"subject": "individual", "score": score, "months_stationed": months, **more}


def interpretations(d: vp.Decision) -> set[str | None]:
    return {c.interpretation for c in d.citations}


# ── Tongwei 28: annual bands ───────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (0, "incompetent"),
        (59.99, "incompetent"),
        (60, "basically_competent"),
        (79, "basically_competent"),
        (79.99, "basically_competent"),
        (80, "competent"),
        (89, "competent"),
        (89.5, "competent"),
        (89.99, "competent"),
        (90, "excellent"),
        (100, "excellent"),
    ],
)
def test_tongwei_28_individual_band_edges(score: float, expected: str, engine: str) -> None:
    d = grade("tongwei", person(score), engine)
    assert (d.outcome, d.grade, d.score) == ("graded", expected, score)
    assert d.scale == "individual"
    assert any(c.clause == "28" and c.pack == "tongwei-2018" and "90分以上可评为" in c.text_zh for c in d.citations)


def test_tongwei_28_89_5_is_not_rounded_up(engine: str) -> None:
    d = grade("tongwei", person(89.5), engine)
    assert d.grade == "competent" and d.grade_zh == "称职"
    assert "appr-score-bands-continuous" in interpretations(d)


def test_tongwei_28_sixty_is_in_the_closed_band(engine: str) -> None:
    d = grade("tongwei", person(60), engine)
    assert d.grade == "basically_competent"
    assert "appr-60-closed-band" in interpretations(d)


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (59.99, "poor"),
        (60, "average"),
        (79, "average"),
        (80, "good"),
        (89.5, "good"),
        (89.99, "good"),
        (90, "excellent"),
    ],
)
def test_tongwei_28_team_band_edges(score: float, expected: str, engine: str) -> None:
    d = grade("tongwei", {"subject": "team", "score": score}, engine)
    assert (d.outcome, d.grade, d.scale) == ("graded", expected, "team")


def test_tongwei_28_ninety_may_be_excellent_is_a_hedged_manual_check(engine: str) -> None:
    d = grade("tongwei", person(90), engine)
    checks = [f for f in d.manual_checks if f.id == "grade_may_be_given"]
    assert checks and checks[0].hedged and checks[0].citation and checks[0].citation.clause == "28"
    assert "appr-90-may-be-excellent" in interpretations(d)
    assert not grade("tongwei", person(89.99), engine).manual_checks


# ── Tongwei 27: quarterly bands and the 40% weight ─────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("points", "expected", "zh"),
    [
        (59.99, "poor", "差"),
        (60, "average", "一般"),
        (79, "average", "一般"),
        (80, "fairly_good", "较好"),
        (89, "fairly_good", "较好"),
        (89.5, "fairly_good", "较好"),
        (90, "good", "好"),
    ],
)
def test_tongwei_27_quarterly_band_edges(points: float, expected: str, zh: str, engine: str) -> None:
    d = grade("tongwei", {"subject": "individual", "period": "quarter", "score": points}, engine)
    assert (d.outcome, d.grade, d.grade_zh, d.scale) == ("graded", expected, zh, "quarter")
    assert [c.clause for c in d.citations if c.interpretation is None] == ["27"]


def test_tongwei_27_quarterly_average_85_and_annual_95_weigh_91_excellent(engine: str) -> None:
    facts = {"subject": "individual", "quarterly_points": [80, 85, 90], "annual_score": 95, "months_stationed": 12}
    d = grade("tongwei", facts, engine)
    assert (d.outcome, d.grade, d.score) == ("graded", "excellent", 91)
    assert d.weighting is not None
    assert (d.weighting.quarterly_average, d.weighting.score, d.weighting.exact) == (85, 91, "91")
    assert (d.weighting.weights.quarterly_average, d.weighting.weights.annual_score) == (0.4, 0.6)
    assert [q.grade for q in d.quarterly_grades] == ["fairly_good", "fairly_good", "good"]
    assert d.trace[0] == "tw-appr-weighting"
    assert "appr-weighting-40-60" in interpretations(d)
    assert {"27", "28"} <= {c.clause for c in d.citations}


def test_tongwei_27_weighting_is_exact_where_floats_would_miss_90(engine: str) -> None:
    # 0.4 * 75.6 + 0.6 * 99.6 is 89.99999999999999 in binary floating point, exactly 90 in decimal.
    facts = {"subject": "individual", "quarterly_points": [75.6], "annual_score": 99.6, "months_stationed": 12}
    d = grade("tongwei", facts, engine)
    assert (d.score, d.grade) == (90, "excellent")


def test_tongwei_27_weighted_score_just_below_90_stays_competent(engine: str) -> None:
    facts = {"subject": "individual", "quarterly_points": [85], "annual_score": 93.3333, "months_stationed": 12}
    d = grade("tongwei", facts, engine)
    assert d.score == pytest.approx(89.99998) and d.score < 90
    assert d.grade == "competent"


def test_tongwei_27_weighting_applies_to_teams(engine: str) -> None:
    d = grade("tongwei", {"subject": "team", "quarterly_points": [70, 80], "annual_score": 85}, engine)
    assert (d.score, d.grade) == (81, "good")


# ── Tongwei 29: under half a year ──────────────────────────────────────────────────────────────────


def test_tongwei_29_under_half_year_gets_an_assessment_opinion(engine: str) -> None:
    d = grade("tongwei", person(95, months=5.9), engine)
    assert d.outcome == "assessment_opinion"
    assert d.grade == "excellent"  # still reported
    assert (d.opinion_by, d.opinion_to) == ("county_leading_group_office", "dispatching_unit")
    assert "29" in {c.clause for c in d.citations}
    assert d.consequences == []


def test_tongwei_29_six_months_is_half_a_year(engine: str) -> None:
    d = grade("tongwei", person(95, months=6), engine)
    assert d.outcome == "graded"


def test_tongwei_29_opinion_also_after_weighting(engine: str) -> None:
    facts = {"subject": "individual", "quarterly_points": [85], "annual_score": 95, "months_stationed": 3}
    d = grade("tongwei", facts, engine)
    assert (d.outcome, d.grade, d.score) == ("assessment_opinion", "excellent", 91)


# ── consequences: Tongwei 30, 31, 38, 40 ───────────────────────────────────────────────────────────


def test_tongwei_38_40_5_incompetent_is_recalled_and_held_accountable(engine: str) -> None:
    d = grade("tongwei", person(59.99), engine)
    assert [c.id for c in d.consequences] == ["recall", "accountability"]
    assert d.actions == ["recall", "accountability"]
    assert {"38", "40.5"} <= {c.clause for c in d.citations}


def test_tongwei_30_40_5_basically_competent_accountable_recall_as_the_case_requires(engine: str) -> None:
    d = grade("tongwei", person(60), engine)
    hedged = {c.id: c.hedged for c in d.consequences}
    assert hedged == {"accountability": False, "recall": True, "reassignment": True}
    assert d.actions == ["accountability"]
    assert "appr-basic-or-below-effects" in interpretations(d)


def test_tongwei_31_excellent_key_cultivation_hedged(engine: str) -> None:
    d = grade("tongwei", person(90), engine)
    hedged = {c.id: c.hedged for c in d.consequences}
    assert hedged == {"key_cultivation": True, "direct_promotion_recommendation": True, "outside_unit_quota": False}
    assert d.actions == []


def test_tongwei_28_excellent_does_not_use_the_dispatching_units_quota(engine: str) -> None:
    d = grade("tongwei", person(92), engine)
    (c,) = [c for c in d.consequences if c.id == "outside_unit_quota"]
    assert c.clauses == ["28"] and c.label_zh == "不占派出单位优秀等次名额"
    assert not any(c.id == "outside_unit_quota" for c in grade("tongwei", person(92, months=5), engine).consequences)


def test_tongwei_competent_has_no_consequences(engine: str) -> None:
    assert grade("tongwei", person(85), engine).consequences == []


def test_tongwei_28_given_grade_without_score(engine: str) -> None:
    d = grade("tongwei", {"subject": "individual", "grade": "incompetent", "months_stationed": 12}, engine)
    assert (d.outcome, d.grade) == ("graded", "incompetent")
    assert "appr-grade-as-given" in interpretations(d)


def test_tongwei_28_given_grade_differing_from_the_band_is_a_manual_check(engine: str) -> None:
    d = grade("tongwei", person(95, grade="competent"), engine)
    assert d.grade == "excellent" and d.given_grade == "competent"
    assert any(f.id == "given_grade_differs" for f in d.manual_checks)


# ── Shiquan 19-20 ──────────────────────────────────────────────────────────────────────────────────


def test_shiquan_19_score_without_grade_is_not_covered(engine: str) -> None:
    d = grade("shiquan", person(95), engine, SQ_ON)
    assert d.outcome == "not_covered" and d.grade is None
    assert [c.clause for c in d.citations if c.interpretation is None] == ["19"]
    assert "appr-grades-without-scores" in interpretations(d)


def test_shiquan_19_grade_as_given(engine: str) -> None:
    d = grade("shiquan", {"subject": "individual", "grade": "competent", "months_stationed": 6}, engine, SQ_ON)
    assert (d.outcome, d.grade, d.grade_zh) == ("graded", "competent", "称职")
    assert "appr-half-year-includes-six" in interpretations(d)


def test_shiquan_19_score_beside_a_grade_is_not_used(engine: str) -> None:
    d = grade("shiquan", person(50, grade="excellent"), engine, SQ_ON)
    assert d.grade == "excellent"
    assert any("score is not used" in n for n in d.notes)


def test_shiquan_19_under_half_year_is_not_covered(engine: str) -> None:
    d = grade("shiquan", {"subject": "individual", "grade": "excellent", "months_stationed": 5}, engine, SQ_ON)
    assert d.outcome == "not_covered"


def test_shiquan_19_teams_are_not_graded(engine: str) -> None:
    assert grade("shiquan", {"subject": "team", "grade": "excellent"}, engine, SQ_ON).outcome == "not_covered"


def test_shiquan_20_excellent_priority_for_promotion(engine: str) -> None:
    d = grade("shiquan", {"subject": "individual", "grade": "excellent", "months_stationed": 12}, engine, SQ_ON)
    by_clause = {c.id: c.clauses for c in d.consequences}
    assert by_clause == {
        "priority_promotion": ["20"],
        "priority_recruitment_transfer": ["20"],
        "priority_commendation": ["20"],
        "outside_unit_quota": ["19"],
    }
    assert "20" in {c.clause for c in d.citations}


def test_shiquan_20_incompetent_recalled_and_two_years_without_promotion(engine: str) -> None:
    d = grade("shiquan", {"subject": "individual", "grade": "incompetent", "months_stationed": 12}, engine, SQ_ON)
    assert [(c.id, c.years) for c in d.consequences] == [
        ("recall", None),
        ("no_promotion", 2),
        ("unit_leaders_not_excellent", None),
    ]
    assert d.actions == ["recall"]


# ── Guizhou I.3 / IV.4, Xiangyin V(2)-(3), central V ───────────────────────────────────────────────


def test_guizhou_ii_1_iv_4_incompetent_education_rectification(engine: str) -> None:
    d = grade("guizhou", {"subject": "individual", "grade": "incompetent", "months_stationed": 12}, engine)
    assert {c.id for c in d.consequences} == {
        "education_rectification",
        "no_awards_this_year",
        "no_promotion",
        "bonus_deduction",
        "admonishment_talk",
    }
    assert {"II.1", "IV.4"} <= {c.clause for c in d.citations}


def test_guizhou_i_3_score_not_covered(engine: str) -> None:
    d = grade("guizhou", person(95), engine, SQ_ON)
    assert d.outcome == "not_covered" and "I.3" in {c.clause for c in d.citations}


def test_xiangyin_v_3_excellent_publicity_and_priority(engine: str) -> None:
    d = grade("xiangyin", {"subject": "individual", "grade": "excellent", "months_stationed": 12}, engine, SQ_ON)
    assert [c.id for c in d.consequences] == ["publicity", "priority_commendation", "priority_promotion"]


def test_xiangyin_v_2_score_not_covered(engine: str) -> None:
    d = grade("xiangyin", person(95), engine, SQ_ON)
    assert d.outcome == "not_covered" and "V(2)" in {c.clause for c in d.citations}


def test_central_v_1_grade_filed_with_dispatching_unit(engine: str) -> None:
    d = grade("central", {"subject": "team", "grade": "good"}, engine)
    assert (d.outcome, d.grade, d.filed_with) == ("graded", "good", ["dispatching_unit"])


def test_central_v_1_score_not_covered(engine: str) -> None:
    d = grade("central", {"subject": "team", "score": 95}, engine)
    assert d.outcome == "not_covered"
    assert any("local authorities" in n for n in d.notes)


# ── escalation cap (fake escalation decision; the real one is issue 5's question) ──────────────────


def capped(j: str, facts: dict[str, Any], cap: str | None, engine: str, on: str = SQ_ON) -> vp.Decision:
    """Run appraisal_grade's combine with a stand-in escalation answer carrying `cap`."""
    jur = vp.jurisdiction(j)
    day = dt.date.fromisoformat(on)
    q = QUESTIONS["appraisal_grade"]
    parsed = AppraisalFacts.model_validate(facts)
    # The case leaves escalation out: its facts are checked by the escalation question, stood in for here.
    case = q.case(parsed.model_copy(update={"escalation": None}), day)
    pack = jur.packs()[0]
    cite = vp.Citation(pack=pack.id, clause="fake", text_zh="测试", summary_en="stand-in escalation clause")

    def subdecide(question: str, sub_facts: Any) -> vp.Decision:
        if question == "escalation":
            assert sub_facts == facts["escalation"]
            d = vp.Decision(jurisdiction=j, question="escalation", outcome="talk_and_notice", on=day, citations=[cite])
            d.grade_cap = cap  # type: ignore[attr-defined]
            return d
        return jur.decide(question, sub_facts, day, engine=engine)

    rules = pack.match("appraisal_grade", case, engine)
    return combine_grade(Match(pack, rules, parsed, case, day, j, q, subdecide))


ESC = {"role": "team_member", "history": []}


def test_escalation_cap_lowers_excellent_to_competent(engine: str) -> None:
    facts = {"subject": "individual", "grade": "excellent", "months_stationed": 12, "escalation": ESC}
    d = capped("shiquan", facts, "competent", engine)
    assert (d.grade, d.capped_from, d.grade_cap) == ("competent", "excellent", "competent")
    assert "fake" in {c.clause for c in d.citations}
    assert d.consequences == []  # the excellent grade's priority promotion no longer applies


def test_escalation_cap_that_does_not_bind_changes_nothing(engine: str) -> None:
    facts = {"subject": "individual", "grade": "competent", "months_stationed": 12, "escalation": ESC}
    d = capped("shiquan", facts, "competent", engine)
    assert (d.grade, d.capped_from) == ("competent", None)
    assert "fake" not in {c.clause for c in d.citations}


def test_escalation_without_cap_changes_nothing(engine: str) -> None:
    facts = {"subject": "individual", "grade": "excellent", "months_stationed": 12, "escalation": ESC}
    d = capped("shiquan", facts, None, engine)
    assert (d.grade, d.capped_from) == ("excellent", None)
    assert d.consequences


def test_escalation_cap_to_basically_competent_brings_its_consequences(engine: str) -> None:
    facts = {"subject": "individual", "score": 95, "months_stationed": 12, "escalation": ESC}
    d = capped("tongwei", facts, "basically_competent", engine, ON)
    assert (d.grade, d.capped_from) == ("basically_competent", "excellent")
    assert {c.id for c in d.consequences} == {"accountability", "recall", "reassignment"}
    assert "40.5" in {c.clause for c in d.citations}
    assert not any(f.id == "grade_may_be_given" for f in d.manual_checks)


# ── bad facts ──────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({"subject": "individual", "months_stationed": 12}, "score"),
        ({"subject": "individual", "score": 101, "months_stationed": 12}, "score"),
        ({"subject": "individual", "score": -1, "months_stationed": 12}, "score"),
        ({"subject": "individual", "score": "90", "months_stationed": 12}, "score"),
        ({"subject": "individual", "score": 89.1234567, "months_stationed": 12}, "score"),
        ({"subject": "individual", "score": 90}, "months_stationed"),
        ({"subject": "individual", "quarterly_points": [90], "months_stationed": 12}, "annual_score"),
        (
            {"subject": "individual", "quarterly_points": [90, 101], "annual_score": 90, "months_stationed": 12},
            "quarterly_points",
        ),
        (
            {"subject": "individual", "quarterly_points": [], "annual_score": 90, "months_stationed": 12},
            "quarterly_points",
        ),
        (
            {"subject": "individual", "score": 90, "quarterly_points": [90], "annual_score": 90, "months_stationed": 1},
            "score",
        ),
        ({"subject": "individual", "annual_score": 90, "months_stationed": 12}, "quarterly_points"),
        ({"subject": "individual", "grade": "good", "months_stationed": 12}, "grade"),
        ({"subject": "team", "grade": "competent"}, "grade"),
        ({"subject": "team", "score": 90, "escalation": {"role": "team_member", "history": []}}, "escalation"),
        ({"subject": "individual", "period": "quarter", "months_stationed": 3}, "score"),
        ({"subject": "couple", "score": 90}, "subject"),
        ({"subject": "team", "score": 90, "bonus": 3}, "bonus"),
    ],
)
def test_bad_appraisal_facts_name_the_field(facts: dict[str, Any], field: str) -> None:
    with pytest.raises(vp.FactError) as e:
        vp.decide("tongwei", "appraisal_grade", facts, on=ON)
    assert any(f.split(".")[0] == field for f, _ in e.value.problems), e.value.problems


# ── appraisal_roster ───────────────────────────────────────────────────────────────────────────────


def roster(j: str, people: list[dict[str, Any]], engine: str, on: str = ON) -> vp.Decision:
    return vp.decide(j, "appraisal_roster", {"people": people}, on=on, engine=engine)


def individuals(scores: list[float], months: float = 12) -> list[dict[str, Any]]:
    return [{"id": f"p{i:02d}", **person(s, months)} for i, s in enumerate(scores, 1)]


def test_tongwei_28_roster_of_ten_with_three_excellent_flags_the_third(engine: str) -> None:
    d = roster("tongwei", individuals([95, 85, 93, 70, 91, 88, 60, 82, 75, 59]), engine)
    assert d.outcome == "quota_exceeded"
    (q,) = d.summary.quotas
    assert (q.subject, q.grade, q.max_share, q.population, q.allowed, q.used) == (
        "individual",
        "excellent",
        0.2,
        10,
        2,
        3,
    )
    assert q.within == ["p01", "p03"] and q.over_quota == ["p05"]
    flagged = {e.id: (e.over_quota, e.rank) for e in d.people if e.grade == "excellent"}
    assert flagged == {"p01": (False, 1), "p03": (False, 2), "p05": (True, 3)}
    assert next(e for e in d.people if e.id == "p05").grade == "excellent"  # flagged, never rewritten
    assert d.summary.grades["individual"] == {
        "excellent": 3,
        "competent": 3,
        "basically_competent": 3,
        "incompetent": 1,
    }
    assert d.summary.outside_unit_quota
    assert any("dispatching unit" in n for n in d.notes)
    assert any(f.id == "quota_individual_excellent" and f.hedged for f in d.manual_checks)
    assert "appr-quota-flag-not-rewrite" in interpretations(d)


def test_tongwei_28_roster_ties_at_the_boundary_are_flagged_together(engine: str) -> None:
    d = roster("tongwei", individuals([95, 92, 92, 80, 80, 80, 80, 80, 80, 80]), engine)
    (q,) = d.summary.quotas
    assert q.within == ["p01"] and sorted(q.over_quota) == ["p02", "p03"]
    assert {e.id: e.rank for e in d.people if e.grade == "excellent"} == {"p01": 1, "p02": 2, "p03": 2}


def test_tongwei_28_roster_exactly_twenty_percent_is_within(engine: str) -> None:
    d = roster("tongwei", individuals([95, 91, 80, 80, 80, 80, 80, 80, 80, 80]), engine)
    assert d.outcome == "within_quota" and not d.summary.quotas[0].over_quota


def test_tongwei_28_team_quota_is_thirty_percent(engine: str) -> None:
    teams = [
        {"id": f"t{i}", "subject": "team", "score": s} for i, s in enumerate([99, 95, 90, 85, 80, 80, 70, 70, 70, 65])
    ]
    assert roster("tongwei", teams, engine).outcome == "within_quota"
    teams[3]["score"] = 90
    d = roster("tongwei", teams, engine)
    (q,) = d.summary.quotas
    assert (d.outcome, q.subject, q.allowed, q.used) == ("quota_exceeded", "team", 3, 4)


def test_tongwei_29_opinions_are_not_counted_against_the_quota(engine: str) -> None:
    people = individuals([95, 93, 80, 80, 80, 80, 80, 80, 80, 80]) + individuals([99], months=3)
    people[-1]["id"] = "short"
    d = roster("tongwei", people, engine)
    (q,) = d.summary.quotas
    assert (q.population, q.used, d.outcome) == (10, 2, "within_quota")
    assert d.summary.outcomes == {"graded": 10, "assessment_opinion": 1}


def test_shiquan_19_roster_has_no_quota_and_uses_no_unit_quota(engine: str) -> None:
    people = [{"id": f"s{i}", "subject": "individual", "grade": "excellent", "months_stationed": 12} for i in range(3)]
    d = roster("shiquan", people, engine, SQ_ON)
    assert d.outcome == "no_quota" and d.summary.quotas == []
    assert d.summary.outside_unit_quota and d.summary.grades == {"individual": {"excellent": 3}}
    assert "19" in {c.clause for c in d.citations}


def test_roster_is_json_ready_with_each_persons_decision(engine: str) -> None:
    d = roster("tongwei", individuals([95, 50]), engine)
    data = json.loads(json.dumps(d.to_dict(), ensure_ascii=False))
    first = data["people"][0]
    assert first["decision"]["grade"] == "excellent" and first["decision"]["citations"]
    assert data["summary"]["quotas"][0]["allowed"] == 0


@pytest.mark.parametrize(
    ("people", "field"),
    [
        ([], "people"),
        (
            [
                {"id": "a", "subject": "individual", "score": 90, "months_stationed": 12},
                {"id": "a", "subject": "team", "score": 80},
            ],
            "people.1.id",
        ),
        (
            [
                {"id": "a", "subject": "team", "score": 80},
                {"id": "b", "subject": "individual", "score": 190, "months_stationed": 1},
            ],
            "people.1.score",
        ),
        ([{"id": "a", "subject": "individual", "score": 80}], "people.0.months_stationed"),
        ([{"id": "a", "subject": "team", "period": "quarter", "score": 80}], "people.0.period"),
        ([{"subject": "team", "score": 80}], "people.0.id"),
    ],
)
def test_bad_roster_rows_are_named(people: list[dict[str, Any]], field: str) -> None:
    with pytest.raises(vp.FactError) as e:
        vp.decide("tongwei", "appraisal_roster", {"people": people}, on=ON)
    assert any(f == field for f, _ in e.value.problems), e.value.problems


@pytest.mark.parametrize("j", ["central", "guizhou", "shiquan", "tongwei", "xiangyin"])
def test_every_jurisdiction_answers_both_questions_with_citations(j: str, engine: str) -> None:
    d = grade(j, {"subject": "individual", "grade": "incompetent", "months_stationed": 12}, engine, SQ_ON)
    assert d.citations and d.outcome in ("graded", "not_covered")
    r = roster(j, [{"id": "x", "subject": "individual", "grade": "competent", "months_stationed": 12}], engine, SQ_ON)
    assert r.citations and r.outcome in ("no_quota", "within_quota")


# ── the appraisal-roster command ───────────────────────────────────────────────────────────────────


EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "appraisal" / "tongwei-roster-2019.yaml"


def test_cli_appraisal_roster_exits_1_when_the_tongwei_28_quota_is_exceeded(capsys: pytest.CaptureFixture) -> None:
    code = main(["appraisal-roster", "tongwei", "--on", ON, "--facts", f"@{EXAMPLE}"])
    out = capsys.readouterr().out
    assert code == 1
    assert "chen-05" in out and "超出" in out and "全县优秀驻村帮扶工作队成员和第一书记总数原则上掌握在20%以内" in out


def test_cli_appraisal_roster_json_within_quota_exits_0(capsys: pytest.CaptureFixture) -> None:
    facts = json.dumps({"people": individuals([95, 80, 80, 80, 80])})
    assert main(["appraisal-roster", "tongwei", "--on", ON, "--json", "--facts", facts]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["outcome"] == "within_quota" and data["people"][0]["decision"]["grade"] == "excellent"


def test_cli_appraisal_roster_bad_row_exits_2_naming_it(capsys: pytest.CaptureFixture) -> None:
    facts = json.dumps({"people": [{"id": "a", "subject": "individual", "score": 101, "months_stationed": 12}]})
    assert main(["appraisal-roster", "tongwei", "--on", ON, "--facts", facts]) == 2
    assert "people.0.score" in capsys.readouterr().err


# ── escalation cap through the real escalation question (issue 5) ──────────────────────────────────


def absent(date: str) -> dict[str, Any]:
    return {"date": date, "kind": "absent_on_inspection", "leave_procedure_followed": False}


def test_shiquan_13_4_second_absence_caps_excellent_to_competent(engine: str) -> None:
    history = [absent("2024-03-05"), absent("2024-04-05")]
    facts = {
        "subject": "individual",
        "grade": "excellent",
        "months_stationed": 12,
        "escalation": {"role": "team_member", "history": history},
    }
    d = grade("shiquan", facts, engine, "2024-12-31")
    assert (d.outcome, d.grade, d.grade_zh, d.capped_from, d.grade_cap) == (
        "graded",
        "competent",
        "称职",
        "excellent",
        "competent",
    )
    assert any(c.clause == "13(4)" and "二次谈话通报,年度考核不得评为优秀等次" in c.text_zh for c in d.citations)
    assert any(t.startswith("escalation:sq-esc-absence-talk") for t in d.trace)
    assert d.consequences == []  # 20's priority promotion belongs to 优秀, which is no longer the grade


def test_shiquan_13_4_first_absence_leaves_excellent(engine: str) -> None:
    facts = {
        "subject": "individual",
        "grade": "excellent",
        "months_stationed": 12,
        "escalation": {"role": "team_member", "history": [absent("2024-03-05")]},
    }
    d = grade("shiquan", facts, engine, "2024-12-31")
    assert (d.grade, d.capped_from, d.grade_cap) == ("excellent", None, None)
    assert [c.id for c in d.consequences][0] == "priority_promotion"


def test_shiquan_13_4_third_absence_caps_to_basically_competent_in_a_roster(engine: str) -> None:
    history = [absent("2024-03-05"), absent("2024-04-05"), absent("2024-05-06")]
    people = [
        {"id": "a", "subject": "individual", "grade": "excellent", "months_stationed": 12},
        {
            "id": "b",
            "subject": "individual",
            "grade": "competent",
            "months_stationed": 12,
            "escalation": {"role": "first_secretary", "history": history},
        },
    ]
    d = roster("shiquan", people, engine, "2024-12-31")
    b = next(e for e in d.people if e.id == "b")
    assert (b.grade, b.decision.capped_from) == ("basically_competent", "competent")
    assert d.summary.capped == 1
    assert d.summary.grades == {"individual": {"excellent": 1, "basically_competent": 1}}


def test_escalation_facts_are_checked_with_the_appraisal_field_named() -> None:
    facts = {
        "subject": "individual",
        "grade": "excellent",
        "months_stationed": 12,
        "escalation": {"role": "team_member", "history": [{"date": "2024-13-01", "kind": "absent_on_inspection"}]},
    }
    with pytest.raises(vp.FactError) as e:
        vp.decide("shiquan", "appraisal_grade", facts, on="2024-12-31")
    assert all(f.startswith("escalation.history.0") for f, _ in e.value.problems), e.value.problems


def test_roster_with_no_rule_of_the_pack_is_not_covered_not_a_quota_verdict() -> None:
    # No shipped pack reaches this (each covers its subjects), but a new pack could: the answer must not
    # be no_quota without a clause.
    from villagepolicy.questions.appraisal import combine_roster

    q = QUESTIONS["appraisal_roster"]
    day = dt.date(2019, 12, 31)
    facts = {"people": [{"id": "P1", "subject": "individual", "grade": "competent", "months_stationed": 12}]}
    parsed = q.validate(facts, day)
    pack = vp.default_library().packs["tongwei-2018"]
    d = combine_roster(Match(pack, [], parsed, q.case(parsed, day), day, "tongwei", q, lambda *a: None))  # type: ignore[arg-type]
    assert d.outcome == "not_covered" and d.citations == []
