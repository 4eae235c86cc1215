"""Sample rosters: the generator's planted violations are what the check finds, and nothing else."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import villagepolicy as vp
from villagepolicy.cli import main
from villagepolicy.roster import check, read_roster
from villagepolicy.roster.report_json import expand
from villagepolicy.roster.sample import generate

EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "examples" / "rosters"
# Which question catches each planted kind.
CAUGHT_BY = {
    "stay_shortfall": ("stay_compliance",),
    "long_leave": ("leave_approval",),
    "absences": ("escalation",),
    "ineligible": ("eligibility",),
    # A 不称职 grade is sanctioned by the appraisal clauses (Shiquan 20) or as an escalation trigger (central V(3)).
    "incompetent": ("appraisal_grade", "escalation"),
    "short_team": ("team_composition",),
}
# Which planted kinds each jurisdiction's documents turn into a violation or warning. Not flagged:
# Tongwei, Xiangyin and the central guideline set no selection bar that a temporary non-member
# team member fails (Tongwei 4 and central II(3) are about leaders and qualities people judge),
# and Xiangyin, Guizhou and the central guideline do not regulate leave (not_covered); Guizhou
# I.2 excuses approved leave from the monthly count; Xiangyin V and central V(3) attach nothing
# to absences on inspection; Xiangyin attaches nothing to a 不称职 grade and regulates no team
# composition.
FLAGGED = {
    "shiquan": set(CAUGHT_BY),
    "tongwei": {"stay_shortfall", "long_leave", "absences", "incompetent", "short_team"},
    "xiangyin": {"stay_shortfall", "ineligible"},
    "guizhou": {"stay_shortfall", "absences", "incompetent", "short_team"},
    "central": {"incompetent", "short_team"},
}
# jurisdiction -> (year, seed, team) of examples/rosters/<jurisdiction>.xlsx (see examples/rosters/README.md)
TEAM = ("first_secretary", "team_member", "team_member")
EXAMPLES = {
    "shiquan": (2022, 1, TEAM),
    "tongwei": (2019, 2, TEAM),
    "xiangyin": (2021, 3, ("first_secretary", "party_building_instructor", "team_member")),
    "guizhou": (2018, 4, TEAM),
    "central": (2019, 5, TEAM),
}


def flagged(report, question: str, subject: str) -> list[str]:
    results = [r for r in report.results if r.question == question and r.subject == subject]
    return [i.severity for r in results for i in r.items if i.severity != "manual_check"]


@pytest.mark.parametrize("jurisdiction", sorted(EXAMPLES))
def test_shipped_example_roster_flags_planted_people_only(jurisdiction: str) -> None:
    path = EXAMPLES_DIR / f"{jurisdiction}.xlsx"
    roster = read_roster(path)
    assert 20 <= len(roster.people) <= 60 and len({p.values["village"] for p in roster.people}) >= 5
    assert roster.attendance_rows() > 250 * 25  # a year of daily rows per person
    year, seed, team = EXAMPLES[jurisdiction]
    report = check(roster, vp.default_library(), dt.date(year + 1, 1, 1))
    planted = generate(jurisdiction, len(roster.people), year, seed, team).planted
    planted_people = {p["person_id"] for p in planted}
    planted_villages = {p["village"] for p in planted if p["plant"] == "short_team"}
    # Nothing clean is flagged: every violation or warning belongs to a planted person or the short team.
    for r in report.results:
        if r.items and any(i.severity != "manual_check" for i in r.items):
            assert r.subject in planted_people or r.village in planted_villages, r.to_dict()
    # Each planted case is flagged by its question exactly where the jurisdiction's documents make it a
    # finding (questions not yet in the library are skipped).
    answered = vp.jurisdiction(jurisdiction).questions()
    for p in planted:
        qs = [q for q in CAUGHT_BY[p["plant"]] if q in answered]
        if len(qs) < len(CAUGHT_BY[p["plant"]]):
            continue
        subject = p["person_id"] or p["village"]
        assert [r for r in report.results if r.question in qs and r.subject == subject], (p, qs)
        hit = any(flagged(report, q, subject) for q in qs)
        assert hit == (p["plant"] in FLAGGED[jurisdiction]), (p, qs)


def test_shiquan_13_2_planted_40_day_leave_is_a_recall_violation() -> None:
    roster = read_roster(EXAMPLES_DIR / "shiquan.xlsx")
    report = check(roster, vp.default_library(), dt.date(2023, 1, 1))
    (pid,) = [p["person_id"] for p in generate("shiquan", 31, 2022, 1).planted if p["plant"] == "long_leave"]
    assert flagged(report, "leave_approval", pid) == ["violation"]


def test_sample_command_writes_csv_folder_with_answer_key(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "roster"
    assert (
        main(["sample", "--jurisdiction", "tongwei", "--people", "50", "--year", "2019", "--seed", "7", "-o", str(out)])
        == 0
    )
    assert sorted(p.name for p in out.iterdir()) == [
        "appraisals.csv", "attendance.csv", "events.csv", "people.csv", "planted.json",
    ]  # fmt: skip
    planted = json.loads((out / "planted.json").read_text(encoding="utf-8"))
    assert {p["plant"] for p in planted} == set(CAUGHT_BY)
    roster = read_roster(out)
    assert len(roster.people) == 50
    capsys.readouterr()
    # Tongwei 14: the planted 40-day leave is over the hedged 15-day cap, a warning.
    assert main(["check", str(out), "--as-of", "2020-01-01", "--fail-on", "warning", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    data["results"] = expand(data)
    leaves = [p["person_id"] for p in planted if p["plant"] == "long_leave"]
    assert leaves and all(
        any(r["subject"] == pid and r["outcome"] == "over_limit" for r in data["results"]) for pid in leaves
    )


def test_sample_is_deterministic_for_a_seed() -> None:
    a, b = generate("shiquan", 12, 2022, 3), generate("shiquan", 12, 2022, 3)
    assert a.people == b.people and a.attendance == b.attendance
    assert generate("shiquan", 12, 2022, 4).people != a.people


def test_sample_outside_the_calendar_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code = main(["sample", "--jurisdiction", "shiquan", "--year", "2031", "-o", str(tmp_path / "x")])
    err = capsys.readouterr().err
    # issue 19: a year the calendar lacks is its own exit code, naming the year and the command that adds it
    assert code == 4 and "2031" in err and "calendar import" in err and not (tmp_path / "x").exists()


def test_sample_of_2027_works_once_the_year_is_imported(tmp_path: Path) -> None:
    notice = Path(__file__).parent / "data" / "notice-2027-TEST-DATA.txt"
    assert main(["calendar", "import", str(notice), "--packs", str(tmp_path / "c")]) == 0
    out = tmp_path / "s.xlsx"
    args = ["sample", "--jurisdiction", "shiquan", "--year", "2027", "--people", "6", "-o", str(out)]
    assert main([*args, "--packs", str(tmp_path / "c")]) == 0 and out.is_file()
