"""Synthetic rosters of any size with known planted violations, for examples, tests and benchmarks.

The generator holds no policy: clean people are given facts that meet every document's conditions
(full party members in their thirties and forties with a rank, present in the village on every
working day and on weekend duty), and the planted cases break them in ways the packs decide.
The list of what was planted comes back with the tables, so a test can ask the check to find it.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..calendar import is_working_day

PLANTS = ("stay_shortfall", "long_leave", "absences", "ineligible", "incompetent", "short_team")
PLANT_EN = {
    "stay_shortfall": "in the village only three days a week all year (monthly and yearly stay rules)",
    "long_leave": "40 consecutive days of approved leave from 1 April (leave over the longest tier)",
    "absences": "absent on three inspections without leave procedure (escalation ladders)",
    "ineligible": "a temporary employee (临时聘用) who is not a party member (selection conditions)",
    "incompetent": "graded 不称职 in the year's appraisal (appraisal consequences)",
    "short_team": "the village's team is its first secretary alone (team composition)",
}

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌鹏辉宇浩凯健俊帆"
PLACE = "红星白云青山石门新华和平东风向阳金沙柳树桃园杨家李家黄龙清水双河三合永安长岭中坝高峰凤凰"
UNITS = (
    "县委组织部",
    "县财政局",
    "县教育局",
    "县卫健局",
    "县交通局",
    "县水利局",
    "县农业农村局",
    "县人社局",
    "县住建局",
)


@dataclass
class Sample:
    jurisdiction: str
    year: int
    people: list[dict[str, Any]] = field(default_factory=list)
    attendance: list[tuple[str, dt.date, str]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    appraisals: list[dict[str, Any]] = field(default_factory=list)
    planted: list[dict[str, str]] = field(default_factory=list)


def _village_names(n: int, rng: random.Random) -> list[str]:
    pairs = [PLACE[i : i + 2] for i in range(0, len(PLACE) - 1, 2)]
    names: list[str] = []
    k = 0
    while len(names) < n:
        base = pairs[k % len(pairs)]
        names.append(f"{base}村" if k < len(pairs) else f"{base}{k // len(pairs) + 1}组村")
        k += 1
    rng.shuffle(names)
    return names


def _days(year: int) -> list[dt.date]:
    d, out = dt.date(year, 1, 1), []
    while d.year == year:
        out.append(d)
        d += dt.timedelta(days=1)
    return out


def _clean_attendance(days: list[dt.date], rng: random.Random) -> list[tuple[dt.date, str]]:
    """Every working day in the village (two a month at meetings or training) plus weekend duty to 22 days a month."""
    out: list[tuple[dt.date, str]] = []
    by_month: dict[int, list[dt.date]] = {}
    for d in days:
        by_month.setdefault(d.month, []).append(d)
    for month_days in by_month.values():
        work = [d for d in month_days if is_working_day(d)]
        rest = [d for d in month_days if not is_working_day(d)]
        away = set(rng.sample(work, 2))
        chosen = set(work) | set(rng.sample(rest, max(0, min(len(rest), 22 - len(work)))))
        for d in sorted(chosen):
            out.append((d, rng.choice(("meeting", "training")) if d in away else "in_village"))
    return out


TEAM = ("first_secretary", "team_member", "team_member")


def generate(jurisdiction: str, people: int, year: int, seed: int = 0, team: tuple[str, ...] = TEAM) -> Sample:
    """A roster of `people` people for `year`, in villages whose teams are the three roles of `team`."""
    if people < 1:
        raise ValueError("people must be at least 1")
    if len(team) != 3:
        raise ValueError("a team is three roles")
    rng = random.Random(seed)
    s = Sample(jurisdiction, year)
    days = _days(year)
    # Villages of three; spare people join the first villages with the team's last role; from 7 people
    # on, the last person holds the team's first role alone: a planted short team.
    short = people >= 7
    full = max(1, (people - short) // 3)
    slots: list[tuple[int, str]] = [(v, r) for v in range(full) for r in team]
    slots = slots[: people - short]
    spare = people - short - len(slots)
    slots += [(n % full, team[-1]) for n in range(spare)]
    if short:
        slots.append((full, team[0]))
    n_villages = full + short
    villages = _village_names(n_villages, rng)
    start = dt.date(year - 1, 12, 1)  # stationed before the year begins, for three years (the longest minimum term)
    # The second person of every other village (one in six) carries a planted violation, cycling
    # through the kinds; the first village is always clean.
    plant_of: dict[int, str] = {}
    kinds = [k for k in PLANTS if k != "short_team"]
    for n, i in enumerate(range(4, people - short, 6)):
        plant_of[i] = kinds[n % len(kinds)]
    # Until 2020 the villages stationed were poor villages (脱贫攻坚); from 2021, villages out of poverty.
    tags = ("registered_poor", "deep_poverty") if year <= 2020 else ("poverty_alleviated", "key_village")
    short_village = villages[-1] if short else None
    for i, (v, role) in enumerate(slots):
        village = villages[v]
        pid = f"{jurisdiction[:2].upper()}{i + 1:05d}"
        age = rng.randint(36, 48) if role == "first_secretary" else rng.randint(30, 34)
        birth = dt.date(year - age, rng.randint(1, 12), rng.randint(1, 28))
        unit = UNITS[v % len(UNITS)]
        person: dict[str, Any] = {
            "id": pid,
            "name": rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
            "role": role,
            "jurisdiction": jurisdiction,
            "village": village,
            "village_tags": list(tags) if v % 2 else [tags[0]],
            "in_county_town_planning_area": False,
            "km_from_town_seat": 8,
            "dispatching_unit": unit,
            "unit_level": "county",
            "unit_staff_size": 12 + (v * 7) % 40,
            "dispatched_by_town": False,
            "leads_team": role == "first_secretary",
            "birth_date": birth,
            "full_member_since": birth.replace(year=birth.year + 24),
            "clerk_since": birth.replace(year=birth.year + 23),
            "party_status": "full_member",
            "employment": "civil_servant",
            "education": "bachelor" if i % 4 else "master",
            "rank": "section_leader" if role == "first_secretary" else "section_reserve",
            "unit_leadership_member": False,
            "fit_for_duty": True,
            "stationed_from": start,
            "stationed_until": start.replace(year=start.year + 3) - dt.timedelta(days=1),
            # Handover begins six weeks before leaving: more than any document's minimum of working days.
            "handover_start": start.replace(year=start.year + 3) - dt.timedelta(days=42),
        }
        if role != "first_secretary":
            person.pop("leads_team")
        plant = plant_of.get(i)
        if plant == "ineligible":
            person.update(employment="temporary", party_status="non_member", rank="none")
            for k in ("full_member_since",):
                person.pop(k)
        s.people.append(person)
        att = _clean_attendance(days, rng)
        if plant == "stay_shortfall":
            att = [(d, k) for d, k in att if d.weekday() < 3]
        elif plant == "long_leave":
            first = dt.date(year, 4, 1)
            leave = {first + dt.timedelta(days=n) for n in range(40)}
            att = [(d, k) for d, k in att if d not in leave] + [(d, "leave_approved") for d in sorted(leave)]
            att.sort()
        s.attendance.extend((pid, d, k) for d, k in att)
        inspections = [dt.date(year, m, 10 + v % 10) for m in (3, 6, 9)]
        if plant == "absences":
            for d in inspections:
                s.events.append(
                    {"person_id": pid, "date": d, "kind": "absent_on_inspection", "leave_procedure_followed": False}
                )
        else:
            s.events.append({"person_id": pid, "date": inspections[0], "kind": "present_on_inspection"})
        grade = "incompetent" if plant == "incompetent" else ("excellent" if i % 10 == 0 else "competent")
        s.appraisals.append(
            {"person_id": pid, "year": year, "subject": "individual", "grade": grade, "months_stationed": 12}
        )
        if plant:
            s.planted.append({"person_id": pid, "village": village, "plant": plant, "what_en": PLANT_EN[plant]})
    if short_village:
        # The last village holds only its first secretary: a team below the documents' minimum size.
        s.planted.append(
            {"person_id": "", "village": short_village, "plant": "short_team", "what_en": PLANT_EN["short_team"]}
        )
    return s


PEOPLE_COLUMNS = (
    "id", "name", "role", "jurisdiction", "village", "village_tags", "in_county_town_planning_area",
    "km_from_town_seat", "dispatching_unit",
    "unit_level", "unit_staff_size", "dispatched_by_town", "leads_team", "birth_date", "full_member_since",
    "clerk_since", "party_status", "employment", "education", "rank", "unit_leadership_member", "fit_for_duty",
    "stationed_from", "stationed_until", "handover_start",
)  # fmt: skip
EVENT_COLUMNS = ("person_id", "date", "kind", "leave_procedure_followed")
APPRAISAL_COLUMNS = ("person_id", "year", "subject", "grade", "months_stationed")


def _cell(v: Any) -> Any:
    if isinstance(v, list):
        return ",".join(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dt.date):
        return v.isoformat()
    return "" if v is None else v


def _rows(items: list[dict[str, Any]], cols: tuple[str, ...]) -> list[list[Any]]:
    return [[_cell(it.get(c)) for c in cols] for it in items]


def write_csv_folder(s: Sample, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    tables = {
        "people": (PEOPLE_COLUMNS, _rows(s.people, PEOPLE_COLUMNS)),
        "events": (EVENT_COLUMNS, _rows(s.events, EVENT_COLUMNS)),
        "appraisals": (APPRAISAL_COLUMNS, _rows(s.appraisals, APPRAISAL_COLUMNS)),
        "attendance": (("person_id", "date", "kind"), ([p, d.isoformat(), k] for p, d, k in s.attendance)),
    }
    for name, (cols, rows) in tables.items():
        with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(cols)
            w.writerows(rows)
    # Not a roster table (the reader reads only .csv and .parquet): the answer key for tests and benchmarks.
    (folder / "planted.json").write_text(json.dumps(s.planted, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_workbook(s: Sample, path: Path, chinese_headers: bool = False) -> None:
    """An .xlsx workbook (openpyxl, write-only) with a 说明 sheet listing the planted violations."""
    from openpyxl import Workbook

    from .schema import TABLES

    def header(table: str, cols: tuple[str, ...]) -> list[str]:
        if not chinese_headers:
            return list(cols)
        t = TABLES[table]
        return [next(c.zh[0] for c in t.columns if c.name == name) for name in cols]

    def sheet_name(table: str) -> str:
        return TABLES[table].zh[0] if chinese_headers else table

    wb = Workbook(write_only=True)
    for table, cols, rows in (
        ("people", PEOPLE_COLUMNS, _rows(s.people, PEOPLE_COLUMNS)),
        ("attendance", ("person_id", "date", "kind"), [[p, d.isoformat(), k] for p, d, k in s.attendance]),
        ("events", EVENT_COLUMNS, _rows(s.events, EVENT_COLUMNS)),
        ("appraisals", APPRAISAL_COLUMNS, _rows(s.appraisals, APPRAISAL_COLUMNS)),
    ):
        ws = wb.create_sheet(sheet_name(table))
        ws.append(header(table, cols))
        for r in rows:
            ws.append(r)
    notes = wb.create_sheet("说明")
    notes.append(["样例名册：合成数据，非真实人员 synthetic sample roster, no real people"])
    notes.append(["人员编号 person_id", "村 village", "埋设的问题 planted", "说明 what"])
    for p in s.planted:
        notes.append([p["person_id"], p["village"], p["plant"], p["what_en"]])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(path))
