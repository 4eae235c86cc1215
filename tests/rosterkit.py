"""Small rosters written on the fly for the roster tests (CSV folders, workbooks, YAML)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

PEOPLE_HEADER = ["id", "name", "role", "jurisdiction", "village"]


def person(pid: str, name: str, role: str = "team_member", jurisdiction: str = "shiquan", village: str = "红星村"):
    return [pid, name, role, jurisdiction, village]


def daily(pid: str, start: dt.date, days: int, kind: str = "in_village") -> list[list[Any]]:
    return [[pid, (start + dt.timedelta(days=n)).isoformat(), kind] for n in range(days)]


def write_csv(path: Path, header: list[str], rows: list[list[Any]], encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def csv_roster(
    folder: Path,
    people: list[list[Any]],
    attendance: list[list[Any]] = (),
    people_header: list[str] = PEOPLE_HEADER,
    attendance_header: list[str] = ("person_id", "date", "kind"),
) -> Path:
    write_csv(folder / "people.csv", list(people_header), people)
    if attendance:
        write_csv(folder / "attendance.csv", list(attendance_header), list(attendance))
    return folder


def workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def leave_roster(folder: Path, jurisdiction: str = "shiquan", leave_days: int = 0) -> Path:
    """Two people in one village; the second takes `leave_days` consecutive days of leave from 1 March 2022."""
    people = [person("p1", "张三", "first_secretary", jurisdiction), person("p2", "李四", "team_member", jurisdiction)]
    att = daily("p1", dt.date(2022, 1, 1), 365) + daily("p2", dt.date(2022, 1, 1), 59)
    if leave_days:
        att += daily("p2", dt.date(2022, 3, 1), leave_days, "leave_approved")
    return csv_roster(folder, people, att)
