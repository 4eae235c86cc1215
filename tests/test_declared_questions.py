"""Issue 17 item 5: a county declares a question in YAML — typed facts, derived values, a first-match table or
checks — and decide, explain, pack tests, list and the service treat it like a built-in one.

tests/data/restcounty is a made-up county whose one pack declares a role, an authority, an action and three
questions (a weekly rest rota, a vacation quota per quarter, a daily staffing minimum)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

import villagepolicy as vp
from villagepolicy.cli import main
from villagepolicy.errors import PackError, UnknownQuestion

DATA = Path(__file__).parent / "data" / "restcounty"
PACK = "rules/restcounty-2024.yaml"


def county(tmp_path: Path, edit: tuple[str, str] | None = None) -> Path:
    """A temporary county folder: a copy of tests/data/restcounty, optionally with one edit of its pack."""
    root = tmp_path / "restcounty"
    shutil.copytree(DATA, root)
    if edit is not None:
        text = (root / PACK).read_text(encoding="utf-8")
        assert text.count(edit[0]) == 1, edit[0]
        (root / PACK).write_text(text.replace(*edit), encoding="utf-8")
    return root


def days(kind: str, start: dt.date, n: int, who: str | None = None) -> list[dict]:
    out = [{"date": (start + dt.timedelta(days=i)).isoformat(), "kind": kind} for i in range(n)]
    return [{**r, "who": who} for r in out] if who else out


@pytest.fixture(scope="module")
def j(tmp_path_factory: pytest.TempPathFactory) -> vp.Jurisdiction:
    return vp.load(county(tmp_path_factory.mktemp("c"))).jurisdiction("restcounty")


# ── the Done-when test: a new authority, action, role and question, by the library and by the CLI ──


def test_a_county_folder_declaring_an_authority_action_role_and_question_decides_with_each(tmp_path: Path) -> None:
    lib = vp.load(county(tmp_path))
    j = lib.jurisdiction("restcounty")
    leave = j.decide("leave_approval", {"role": "village_revival_instructor", "days": 5}, "2024-03-01")
    assert leave.approvers[-1] == "county_principal_leader"  # the new role and the new authority
    history = [{"date": "2024-02-01", "kind": "absent_on_inspection", "leave_procedure_followed": False}]
    esc = j.decide("escalation", {"role": "village_revival_instructor", "history": history}, "2024-03-01")
    assert esc.actions == ["oral_warning"]  # the new action
    rest = j.decide(
        "weekly_rest",
        {"role": "village_revival_instructor", "records": days("rest", dt.date(2024, 2, 5), 2)},
        "2024-03-01",
    )
    assert (rest.outcome, rest.trace) == ("non_compliant", ["rc-rest-over"])  # the new question
    assert rest.message_zh == "2024-W06 休息2天，超过每周1天" and rest.citations[0].clause == "5"


def test_the_cli_decides_a_declared_question_with_a_declared_role(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    root = county(tmp_path)
    facts = json.dumps({"role": "village_revival_instructor", "records": days("rest", dt.date(2024, 2, 5), 2)})
    args = ["decide", "restcounty", "weekly_rest", "--packs", str(root), "--on", "2024-03-01", "--facts", facts]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "不符合 (non_compliant)" in out and "2024-W06 休息2天，超过每周1天" in out and "rc-rest-over" in out
    assert main([*args, "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["values"] == {"role": "village_revival_instructor", "rest_days_max_per_week": 2,
                           "rest_days_max_per_week_period": "2024-W06"}  # fmt: skip
    assert (
        main(["explain", "restcounty", "weekly_rest", "--packs", str(root), "--on", "2024-03-01", "--facts", facts])
        == 0
    )
    assert "rest_days_max_per_week" in capsys.readouterr().out
    assert (
        main(["test", str(root / "rules-tests"), "--packs", str(root), "--engine", "both", "--min-coverage", "100"])
        == 0
    )
    capsys.readouterr()
    assert main(["list", "--packs", str(root)]) == 0
    assert "weekly_rest" in capsys.readouterr().out


def test_another_county_does_not_answer_a_declared_question(tmp_path: Path) -> None:
    lib = vp.load(county(tmp_path))
    with pytest.raises(UnknownQuestion):
        lib.jurisdiction("tongwei").decide("weekly_rest", {"role": "team_member", "records": []}, "2024-03-01")


# ── derivations ──


def test_7_vacation_counted_per_quarter_never_carried_over(j: vp.Jurisdiction) -> None:
    # ten days in Q1 and ten in Q2 is within the quota: days do not add up across quarters (不得跨季度累计)
    records = days("vacation", dt.date(2024, 3, 22), 10) + days("vacation", dt.date(2024, 4, 1), 10)
    d = j.decide("vacation_quota", {"records": records}, "2024-06-30")
    assert d.outcome == "within_quota" and d.values["vacation_days_max_per_quarter"] == 10
    d = j.decide("vacation_quota", {"records": records + days("vacation", dt.date(2024, 4, 15), 1)}, "2024-06-30")
    assert d.outcome == "over_quota" and d.message_zh == "2024-Q2 休假11天"


def test_4_a_working_day_with_nobody_on_duty_counts_as_zero(j: vp.Jurisdiction) -> None:
    # 2024-03-04..08 are working days; the 9th and 10th a weekend: only working days must have two on duty
    records = [
        r
        for day in range(4, 9)
        for r in days("on_duty", dt.date(2024, 3, day), 1, "a") + days("on_duty", dt.date(2024, 3, day), 1, "b")
    ]
    facts = {"start": "2024-03-04", "end": "2024-03-10", "records": records}
    assert j.decide("daily_staffing", facts, "2024-03-11").outcome == "compliant"
    short = [r for r in records if not (r["date"] == "2024-03-06" and r["who"] == "b")]
    d = j.decide("daily_staffing", {**facts, "records": short}, "2024-03-11")
    assert d.outcome == "non_compliant"
    [f] = d.findings
    assert (f.passed, f.message_zh) == (False, "2024-03-06 在岗仅1人，少于2人")


def test_derivations_longest_run_rolling_window_sum_age_and_working_days(tmp_path: Path) -> None:
    extra = """  spells:
    title_zh: 派生值测试
    outcomes: {seen: 已计算}
    facts:
      born: {type: date}
      start: {type: date}
      end: {type: date}
      leave: {type: records, kinds: {leave: 请假, rest: 轮休}, fields: {days: {type: int, min: 0}}}
    derive:
      longest: {longest_run: leave, kinds: [leave]}
      busiest_30: {count: leave, window_days: 30}
      leave_days: {sum: days, of: leave, per: year, take: total}
      age_now: {age: born}
      workdays: {working_days: [start, end]}
"""
    rule = """  - id: rc-spells
    question: spells
    when: {}
    then: {outcome: seen}
    cites: ["5"]
"""
    root = county(tmp_path, ("questions:\n", "questions:\n" + extra))
    (root / PACK).write_text((root / PACK).read_text(encoding="utf-8") + rule, encoding="utf-8")
    j = vp.load(root).jurisdiction("restcounty")
    leave = (
        days("leave", dt.date(2024, 1, 1), 3)
        + days("leave", dt.date(2024, 1, 10), 5)
        + days("rest", dt.date(2024, 1, 15), 1)
    )
    leave = [{**r, "days": 1} for r in leave]
    facts = {"born": "1974-03-02", "start": "2024-02-08", "end": "2024-02-19", "leave": leave}
    d = j.decide("spells", facts, "2024-03-01")
    assert d.values["longest"] == 5  # 10..14 January
    assert d.values["busiest_30"] == 9  # every record falls in one 30-day window
    assert d.values["leave_days"] == 9
    assert d.values["age_now"] == 49  # 50 on 2024-03-02, the day after
    assert d.values["workdays"] == 4  # 春节 2024: 2-8 and 2-18 (a 调休 Sunday) work, 9-17 off; 19th a Monday


# ── mistakes, each at file:line:col ──


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("  weekly_rest:\n    title_zh: 轮休", "  leave_approval:\n    title_zh: 轮休"), "built-in question"),
        (("kinds: [rest], per: week", "kinds: [rst], per: week"), "'rst'"),
        (("per: week, take: max", "per: wek, take: max"), "did you mean 'week'"),
        (("role: {kind: role, label_zh: 角色}", "role: {kind: rol, label_zh: 角色}"), "not a vocabulary kind"),
        (("then: {outcome: within_quota}", "then: {outcome: within_quotaa}"), "within_quota"),
        (
            ("{rest_days_max_per_week_period} 休息", "{rest_days_max_per_wek_period} 休息"),
            "rest_days_max_per_wek_period",
        ),
        (("checks: {ok: compliant, fail: non_compliant}", "checks: {ok: compliant, fail: failed}"), "'failed'"),
    ],
)
def test_declared_question_mistakes_are_refused_at_file_line_col(
    tmp_path: Path, edit: tuple[str, str], expected: str
) -> None:
    with pytest.raises(PackError) as e:
        vp.load(county(tmp_path, edit))
    msg = str(e.value)
    assert expected in msg and "restcounty-2024.yaml:" in msg


def test_facts_of_a_declared_question_are_checked_with_did_you_mean(j: vp.Jurisdiction) -> None:
    with pytest.raises(vp.FactError) as e:
        j.decide(
            "weekly_rest", {"role": "team_membr", "records": [{"date": "2024-02-05", "kind": "rst"}]}, "2024-03-01"
        )
    fields = dict(e.value.problems)
    assert "team_member" in fields["role"] and "rest" in fields["records.0.kind"]


def test_the_service_decides_a_declared_question_over_http(tmp_path: Path) -> None:
    from livekit import LiveServer

    from villagepolicy.service import ServiceConfig

    with LiveServer(ServiceConfig(packs=str(county(tmp_path)))) as live:
        body = {"facts": {"records": days("vacation", dt.date(2024, 1, 2), 11)}, "on": "2024-06-01"}
        got = live.call("POST", "/v1/jurisdictions/restcounty/questions/vacation_quota/decide", body)
        assert got.status == 200 and got.json()["outcome"] == "over_quota"
        listed = [q["name"] for q in live.call("GET", "/v1/questions").json()["questions"]]
        assert "vacation_quota" in listed and listed.index("vacation_quota") > listed.index("leave_approval")
        schema = live.call("GET", "/v1/questions/vacation_quota/facts-schema").json()
        assert "records" in schema["properties"]
        doc = live.call("GET", "/v1/openapi.json").json()
        assert "vacation_quota" in doc["x-villagepolicy-questions"]


def test_check_asks_declared_questions_of_a_roster_with_a_records_sheet(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    from rosterkit import write_csv

    root = county(tmp_path)
    roster = tmp_path / "roster"
    people = [
        ["p1", "张三", "乡村振兴指导员", "restcounty", "红星村"],
        ["p2", "李四", "第一书记", "restcounty", "红星村"],
    ]
    write_csv(roster / "people.csv", ["id", "name", "role", "jurisdiction", "village"], people)
    records = [["p1", f"2024-03-0{d}", "在岗"] for d in range(4, 9)]
    records += [["p2", f"2024-03-0{d}", "on_duty"] for d in (4, 5, 7, 8)]
    records += [["p1", "2024-03-02", "轮休"], ["p1", "2024-03-03", "rest"]]  # one ISO week, two rest days
    write_csv(roster / "records.csv", ["person_id", "date", "kind"], records)
    args = ["check", str(roster), "--packs", str(root), "--on", "2024-03-08", "--from", "2024-03-01"]
    args += ["--format", "json"]
    assert main(args) == 1
    report = json.loads(capsys.readouterr().out)
    got = {(s["subject"], r["question"]): r["outcome"] for s in report["subjects"] for r in s["results"]}
    assert got[("p1", "weekly_rest")] == "non_compliant" and got[("p2", "weekly_rest")] == "compliant"
    assert got[("p2", "vacation_quota")] == "within_quota"
    assert got[("红星村", "daily_staffing")] == "non_compliant"  # 2024-03-06: p2 absent, one on duty
    write_csv(roster / "records.csv", ["person_id", "date", "kind"], [*records, ["p1", "2024-03-05", "出差"]])
    assert main(args) == 2  # a kind no question reads is named, not skipped
    assert "出差" in capsys.readouterr().err
