"""duties and duty_compliance: recurrences across year boundaries, one-off deadlines, records, iCalendar."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from icalendar import Calendar

import villagepolicy as vp
from villagepolicy.cli import main

ON = "2023-06-01"
D = dt.date


def duties(j: str, role: str, since: str, period: str, engine: str, on: str = ON, **extra: object) -> vp.Decision:
    facts = {"role": role, "stationed_since": since, "period": period, **extra}
    return vp.decide(j, "duties", facts, on=on, engine=engine)


def by_id(d: vp.Decision) -> dict:
    return {x.id: x for x in d.duties}


def dues(d: vp.Decision, duty: str) -> list[dt.date]:
    return [o.due for o in by_id(d)[duty].occurrences]


def test_shiquan_10_half_year_visits_across_the_year_boundary(engine: str) -> None:
    d = duties("shiquan", "team_member", "2021-10-15", "2022", engine)
    assert d.outcome == "listed"
    assert dues(d, "visit-all-households") == [D(2022, 6, 30), D(2022, 12, 31)]
    # the arrival half-year is 2021-H2: listed there, marked partial
    first = by_id(duties("shiquan", "team_member", "2021-10-15", "2021-H2", engine))["visit-all-households"]
    assert [(o.due, o.partial) for o in first.occurrences] == [(D(2021, 12, 31), True)]
    c = by_id(d)["visit-all-households"].citation
    assert (c.pack, c.clause) == ("shiquan-2021", "10") and "每半年对全村所有农户至少入户走访一遍" in c.text_zh


def test_shiquan_10_half_month_checks_split_each_month_at_the_15th(engine: str) -> None:
    d = duties("shiquan", "team_member", "2021-10-15", "2022-02", engine)
    assert dues(d, "check-key-households") == [D(2022, 2, 15), D(2022, 2, 28)]
    occ = by_id(duties("shiquan", "team_member", "2021-12-20", "2022-Q1", engine))["check-key-households"].occurrences
    assert len(occ) == 6 and occ[0].window_start == D(2022, 1, 1)


def test_shiquan_10_first_secretary_lecture_report_diary_research(engine: str) -> None:
    d = duties("shiquan", "first_secretary", "2021-10-15", "2022", engine)
    ids = set(by_id(d))
    assert {"party-lecture", "work-report-to-county", "village-diary", "research-report"} <= ids
    assert by_id(d)["work-report-to-county"].report_to == ["county_org_dept", "dispatching_unit"]
    assert dues(d, "party-lecture") == [D(2022, 6, 30), D(2022, 12, 31)]
    # a member does not owe the first secretary's lecture
    assert "party-lecture" not in by_id(duties("shiquan", "team_member", "2021-10-15", "2022", engine))


def test_shiquan_11_team_leader_owes_the_first_secretary_duties_hedged(engine: str) -> None:
    lecture = by_id(duties("shiquan", "team_leader", "2021-10-15", "2022", engine))["party-lecture"]
    assert lecture.hedged
    assert "duties-team-leader-as-first-secretary" in {c.interpretation for c in lecture.citations}


def test_shiquan_13_1_attendance_by_the_28th_across_new_year(engine: str) -> None:
    dec = duties("shiquan", "team_member", "2021-10-15", "2022-12", engine)
    jan = duties("shiquan", "team_member", "2021-10-15", "2023-01", engine)
    feb = duties("shiquan", "team_member", "2021-10-15", "2023-02", engine)
    assert dues(dec, "town-attendance-report") == [D(2022, 12, 28)]
    assert dues(jan, "town-attendance-report") == [D(2023, 1, 28)]
    assert dues(feb, "town-attendance-report") == [D(2023, 2, 28)]
    duty = by_id(jan)["town-attendance-report"]
    assert duty.responsible == ["town_party_committee"]
    assert duty.report_to == ["county_org_dept", "county_rural_revitalization_bureau"]
    assert [c.clause for c in duty.citations] == ["13(1)", "13(1)"]
    assert duty.citations[1].interpretation == "duties-28th-inclusive"


def test_shiquan_13_3_dispatching_unit_half_year_quarter_month(engine: str) -> None:
    d = duties("shiquan", "team_member", "2022-11-20", "2023-H1", engine)
    assert dues(d, "unit-hears-report") == [D(2023, 6, 30)]
    assert dues(d, "unit-special-meeting") == [D(2023, 3, 31), D(2023, 6, 30)]
    assert len(dues(d, "unit-leader-visit")) == 6
    assert by_id(d)["unit-leader-visit"].responsible == ["dispatching_unit"]
    # the quarter of arrival (2022-Q4) is owed from the arrival on, and marked partial
    q4 = by_id(duties("shiquan", "team_member", "2022-11-20", "2022", engine))["unit-special-meeting"].occurrences
    assert [(o.due, o.partial) for o in q4] == [(D(2022, 12, 31), True)]


def test_tongwei_16_weekly_meeting_week_across_new_year_is_in_both_years(engine: str) -> None:
    y2022 = dues(duties("tongwei", "team_member", "2021-06-01", "2022", engine), "team-weekly-meeting")
    y2023 = dues(duties("tongwei", "team_member", "2021-06-01", "2023", engine), "team-weekly-meeting")
    # the week Mon 2022-12-26 – Sun 2023-01-01 overlaps both years and is due on its Sunday
    assert y2022[-1] == D(2023, 1, 1) and y2023[0] == D(2023, 1, 1)
    assert y2022[0] == D(2022, 1, 2)  # the week of Mon 2021-12-27
    assert len(y2022) == 53 and all(d.weekday() == 6 for d in y2022)


def test_tongwei_7_4_quarterly_lecture_and_19_reports(engine: str) -> None:
    d = duties("tongwei", "first_secretary", "2021-06-01", "2022", engine)
    assert dues(d, "party-lecture") == [D(2022, 3, 31), D(2022, 6, 30), D(2022, 9, 30), D(2022, 12, 31)]
    assert by_id(d)["leader-quarterly-report"].report_to == [
        "dispatching_unit",
        "town_party_committee",
        "town_general_leader",
    ]
    assert dues(d, "team-half-year-report") == [D(2022, 6, 30), D(2022, 12, 31)]
    assert by_id(d)["team-half-year-report"].report_to == ["county_leading_group", "county_general_leader"]
    member = by_id(duties("tongwei", "team_member", "2021-06-01", "2022", engine))
    assert "party-lecture" not in member and "team-half-year-report" in member


def test_tongwei_23_pre_job_training_at_least_5_days_before_arrival(engine: str) -> None:
    d = duties("tongwei", "team_leader", "2022-03-10", "2022-Q1", engine)
    t = by_id(d)["pre-job-training"]
    assert (t.due, t.min_days, t.recurrence) == (D(2022, 3, 10), 5, None)
    assert "pre-job-training" not in by_id(duties("tongwei", "team_leader", "2022-03-10", "2022-Q2", engine))
    assert "pre-job-training" not in by_id(duties("tongwei", "team_member", "2022-03-10", "2022-Q1", engine))


@pytest.mark.parametrize(
    ("since", "due"),
    [("2022-01-15", D(2022, 4, 15)), ("2022-11-30", D(2023, 2, 28)), ("2023-11-30", D(2024, 2, 29))],
)
def test_xiangyin_iii_1_2_visit_every_household_within_3_months(since: str, due: dt.date, engine: str) -> None:
    d = duties("xiangyin", "party_building_instructor", since, since[:4], engine)
    v = by_id(d)["visit-all-households-3-months"]
    assert v.due == due and v.recurrence is None
    assert "duties-3-months-from-arrival" in {c.interpretation for c in v.citations}
    # a deadline in the next year is listed there too
    nxt = by_id(duties("xiangyin", "party_building_instructor", since, str(due.year), engine))
    assert nxt["visit-all-households-3-months"].due == due


def test_xiangyin_iii_4_4_one_or_two_practical_things_each_year(engine: str) -> None:
    t = by_id(duties("xiangyin", "party_building_instructor", "2022-11-15", "2023", engine))["practical-things"]
    assert (t.times, t.times_max) == (1, 2)
    assert [o.due for o in t.occurrences] == [D(2023, 12, 31)]


def test_central_iv_2_quarterly_leaders_meeting_half_year_report(engine: str) -> None:
    d = duties("central", "team_leader", "2018-03-01", "2019", engine, on="2019-06-01")
    assert len(dues(d, "leaders-quarterly-meeting")) == 4
    assert by_id(d)["team-half-year-report"].report_to == ["county_leading_group"]


def test_guizhou_falls_back_to_central_until_2020_then_not_covered(engine: str) -> None:
    d2019 = duties("guizhou", "first_secretary", "2018-03-01", "2019", engine, on="2019-06-01")
    assert d2019.outcome == "listed" and d2019.packs == ["guizhou-2017", "central-2017"]
    d2022 = duties("guizhou", "first_secretary", "2021-03-01", "2022", engine, on="2022-06-01")
    assert d2022.outcome == "not_covered" and [c.clause for c in d2022.citations] == ["I.2"]


def test_roles_a_document_does_not_name_are_not_covered(engine: str) -> None:
    assert duties("shiquan", "party_building_instructor", "2022-01-01", "2022", engine).outcome == "not_covered"
    assert duties("xiangyin", "first_secretary", "2022-01-01", "2022", engine).outcome == "not_covered"


def test_responsible_filter_keeps_the_persons_own_duties(engine: str) -> None:
    d = duties("shiquan", "first_secretary", "2021-10-15", "2022", engine, responsible=["self", "team"])
    assert d.duties and all(set(x.responsible) & {"self", "team"} for x in d.duties)
    assert "town-attendance-report" not in by_id(d)


def test_arrival_after_the_period_lists_nothing(engine: str) -> None:
    d = duties("shiquan", "team_member", "2023-03-01", "2022", engine)
    assert d.outcome == "listed" and d.duties == [] and d.notes


@pytest.mark.parametrize("period", ["2022-13", "22", "2022-Q5", "2022-H3", "next year", ""])
def test_bad_period_is_a_fact_error(period: str) -> None:
    with pytest.raises(vp.FactError, match="period"):
        vp.decide("shiquan", "duties", {"role": "team_member", "stationed_since": "2022-01-01", "period": period})


# ── duty_compliance ──


def compliance(j: str, role: str, since: str, period: str, records: list, on: str, engine: str) -> vp.Decision:
    facts = {"role": role, "stationed_since": since, "period": period, "records": records, "responsible": ["self"]}
    return vp.decide(j, "duty_compliance", facts, on=on, engine=engine)


def test_xiangyin_iii_1_2_visit_overdue_after_3_months(engine: str) -> None:
    rec = [{"duty": "practical-things", "date": "2022-12-01"}]
    before = compliance("xiangyin", "party_building_instructor", "2022-11-15", "2022", rec, "2023-02-15", engine)
    after = compliance("xiangyin", "party_building_instructor", "2022-11-15", "2022", rec, "2023-02-16", engine)
    assert before.outcome == "compliant" and [o.duty for o in before.open] == ["visit-all-households-3-months"]
    assert after.outcome == "overdue" and [o.duty for o in after.overdue] == ["visit-all-households-3-months"]
    assert after.findings[0].citation.clause == "III(1).2"
    done = rec + [{"duty": "visit-all-households-3-months", "date": "2023-02-10"}]
    assert (
        compliance("xiangyin", "party_building_instructor", "2022-11-15", "2022", done, "2023-03-01", engine).outcome
        == "compliant"
    )


def test_shiquan_10_late_and_missing_half_year_reports(engine: str) -> None:
    recs = [
        {"duty": "party-lecture", "date": "2022-05-10"},
        {"duty": "party-lecture", "date": "2022-11-10"},
        {"duty": "research-report", "date": "2022-06-30"},
        {"duty": "village-diary", "date": "2022-03-01"},
        {"duty": "village-diary", "date": "2022-09-01"},
        {"duty": "work-report-to-county", "date": "2022-06-01"},
    ]
    d = compliance("shiquan", "first_secretary", "2021-10-15", "2022", recs, "2023-01-05", engine)
    overdue = {(o.duty, o.due) for o in d.overdue}
    assert ("research-report", D(2022, 12, 31)) in overdue
    assert ("work-report-to-county", D(2022, 12, 31)) in overdue
    assert ("party-lecture", D(2022, 12, 31)) not in overdue
    assert d.outcome == "overdue"


def test_tongwei_23_training_counts_days_of_records(engine: str) -> None:
    three = [{"duty": "pre-job-training", "date": "2022-03-01", "days": 3}]
    five = three + [{"duty": "pre-job-training", "date": "2022-03-08", "days": 2}]
    late = three + [{"duty": "pre-job-training", "date": "2022-03-15", "days": 2}]

    def status(recs: list) -> str:
        d = compliance("tongwei", "team_leader", "2022-03-10", "2022-03", recs, "2022-03-20", engine)
        return next(o.status for b in (d.done, d.late, d.overdue, d.open) for o in b if o.duty == "pre-job-training")

    assert status(three) == "overdue"
    assert status(five) == "done"
    assert status(late) == "late"


def test_duty_compliance_bad_records_name_the_row() -> None:
    facts = {
        "role": "first_secretary",
        "stationed_since": "2021-10-15",
        "period": "2022",
        "records": [{"duty": "party-lecture", "date": "2022-05-01"}, {"duty": "nap", "date": "2022-05-02"}],
    }
    with pytest.raises(vp.FactError, match=r"records\.1\.duty"):
        vp.decide("shiquan", "duty_compliance", facts, on="2023-01-01")
    facts["records"] = [{"duty": "party-lecture", "date": "2023-05-01"}]
    with pytest.raises(vp.FactError, match=r"records\.0\.date"):
        vp.decide("shiquan", "duty_compliance", facts, on="2023-01-01")


# ── iCalendar ──


def test_cli_duties_ics_is_a_calendar_a_phone_imports(tmp_path: Path) -> None:
    out = tmp_path / "duties.ics"
    args = [
        "duties",
        "tongwei",
        "--role",
        "team_leader",
        "--since",
        "2022-03-10",
        "--period",
        "2022",
        "--format",
        "ics",
    ]
    assert main([*args, "-o", str(out), "--on", "2022-03-01"]) == 0
    cal = Calendar.from_ical(out.read_bytes())
    events = [c for c in cal.walk("VEVENT")]
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids))
    lectures = sorted(e.decoded("DTSTART") for e in events if "党课" in str(e["SUMMARY"]))
    assert lectures == [D(2022, 3, 31), D(2022, 6, 30), D(2022, 9, 30), D(2022, 12, 31)]
    training = [e for e in events if "岗前培训" in str(e["SUMMARY"])]
    assert training[0].decoded("DTSTART") == D(2022, 3, 10)
    assert "《通渭县驻村帮扶工作队和到村任职第一书记管理实施办法》23" in str(training[0]["DESCRIPTION"])
    # reproducible: the same command writes the same bytes
    again = tmp_path / "again.ics"
    assert main([*args, "-o", str(again), "--on", "2022-03-01"]) == 0
    assert again.read_bytes() == out.read_bytes()


def test_cli_duties_ics_not_covered_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "none.ics"
    code = main(
        [
            "duties",
            "guizhou",
            "--role",
            "first_secretary",
            "--since",
            "2021-01-01",
            "--period",
            "2022",
            "--format",
            "ics",
            "-o",
            str(out),
            "--on",
            "2022-01-01",
        ]
    )
    assert code == 2 and not out.exists()
    assert "黔党建办发〔2016〕8号" in capsys.readouterr().err


def test_cli_duties_bad_date_exit_2(capsys: pytest.CaptureFixture) -> None:
    code = main(["duties", "shiquan", "--role", "team_member", "--since", "2022-02-30", "--period", "2022"])
    assert code == 2 and "stationed_since" in capsys.readouterr().err


def test_cli_duties_text_table(capsys: pytest.CaptureFixture) -> None:
    assert (
        main(
            [
                "duties",
                "shiquan",
                "--role",
                "first_secretary",
                "--since",
                "2021-10-15",
                "--period",
                "2022-H1",
                "--on",
                "2022-01-01",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "2022-06-30" in out and "讲一堂党课" in out and "13(1)" in out


def test_guizhou_duty_compliance_uses_the_central_fallback(engine: str) -> None:
    facts = {"role": "team_member", "stationed_since": "2018-03-01", "period": "2019", "responsible": ["team"]}
    d = vp.decide("guizhou", "duty_compliance", facts, on="2019-08-01", engine=engine)
    assert d.outcome == "overdue" and [o.duty for o in d.overdue] == ["team-half-year-report"]
    assert "central-2017" in d.packs


def test_cli_duties_unwritable_output_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    args = ["duties", "shiquan", "--role", "team_member", "--since", "2022-01-01", "--period", "2022"]
    assert main([*args, "-o", str(tmp_path / "missing" / "x.txt")]) == 2
    assert "cannot write" in capsys.readouterr().err
