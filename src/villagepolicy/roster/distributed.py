"""The roster check on Dask: one task per county partition, with the report one machine would give.

A roster kept in a data lake is partitioned by county: a folder per county, each holding that county's
roster as `villagepolicy check` reads it (people, attendance as CSV or Parquet, events, appraisals).
`check_partitions` reads and checks each partition in its own Dask task, on the local scheduler
(threads, processes) or on any cluster a `dask.distributed.Client` points at, and joins the reports
in the order of the single-machine check. Every question of the check works within one county
(people, villages' teams, county-wide appraisal quotas), so no task needs another's data.

Dask is an optional dependency: pip install "villagepolicy[distributed]".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import FactError, VillagePolicyError
from ..library import Library, load
from .check import CheckReport, check
from .read import RosterError, read_roster


def partitions(root: str | Path) -> list[Path]:
    """The county partitions under a lake folder: its sub-folders, in name order."""
    base = Path(root)
    if not base.is_dir():
        raise RosterError([f"{base}: 不是文件夹 not a folder of county partitions"])
    parts = sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    if not parts:
        raise RosterError([f"{base}: 没有分区 no county partition (one sub-folder per county) in this folder"])
    return parts


@lru_cache(maxsize=4)
def _library(packs: str | None) -> Library:
    # Once per worker process and pack folder, not once per task.
    return load(packs) if packs else load()


def _check_one(
    folder: str,
    as_of: dt.date,
    period_from: dt.date | None,
    engine: str,
    questions: tuple[str, ...] | None,
    packs: str | None,
    attendance_months: bool = False,
) -> CheckReport | list[str]:
    """One partition's report, or its problems (every partition is read before anything is reported)."""
    try:
        lib = _library(packs)  # first: a role or authority its packs declare is then a roster cell value
        roster = read_roster(folder)
        return check(
            roster,
            lib,
            as_of,
            period_from=period_from,
            engine=engine,
            questions=list(questions) if questions is not None else None,
            progress=False,
            # Dask spreads the partitions over the cores; a task forking workers of its own would
            # oversubscribe them (and a daemonic pool worker may not have children).
            jobs=1,
            release_rows=True,  # read here, checked once
            attendance_months=attendance_months,
        )
    except RosterError as e:
        return list(e.problems)
    except FactError as e:
        return [f"{folder}: {e}"]


def merge(reports: Sequence[CheckReport], roster: str) -> CheckReport:
    """Join county reports into the report of the whole roster, ordered as one machine orders it."""
    seen: dict[str, int] = {}
    for i, r in enumerate(reports):
        for j in r.jurisdictions:
            if j in seen:
                raise RosterError(
                    [f"{roster}: 辖区 {j} 出现在两个分区 jurisdiction {j} is in two partitions ({seen[j]} and {i})"]
                )
            seen[j] = i
    # The single-machine check runs the jurisdictions in id order; each partition holds whole jurisdictions.
    ordered = sorted(reports, key=lambda r: r.jurisdictions)
    if not ordered:
        raise RosterError([f"{roster}: 没有分区 no partition"])
    skipped: dict[str, list[str]] = {}
    for r in ordered:
        skipped.update(r.skipped_questions)
    return CheckReport(
        roster=roster,
        as_of=ordered[0].as_of,
        period_from=ordered[0].period_from,
        results=[res for r in ordered for res in r.results],
        people=sum(r.people for r in ordered),
        villages=sum(r.villages for r in ordered),
        jurisdictions=sorted(seen),
        skipped_questions=dict(sorted(skipped.items())),
        attendance_months={pid: m for r in ordered for pid, m in r.attendance_months.items()},
        calendar=list({c.year: c for r in ordered for c in r.calendar}.values()),  # the same period everywhere
        deductions=[d for r in ordered for d in r.deductions],  # a partition is whole counties: no body spans two
    )


def check_partitions(
    root: str | Path,
    as_of: dt.date,
    *,
    period_from: dt.date | None = None,
    engine: str = "durable",
    questions: list[str] | None = None,
    packs: str | Path | None = None,
    scheduler: Any = None,
    attendance_months: bool = False,
) -> CheckReport:
    """Check every county partition under `root` as Dask tasks; the same report as checking them all at once.

    `scheduler` is passed to dask's compute: "threads", "processes", "synchronous", or None for dask's
    default (a dask.distributed Client, when one has been created, sends the tasks to its cluster).
    Raises RosterError listing the problems of every partition; nothing is reported then.
    """
    try:
        import dask.bag as db
    except ImportError:
        raise VillagePolicyError(
            '分布式核查需要 Dask the distributed check needs Dask: pip install "villagepolicy[distributed]"'
        ) from None
    folders = [str(p) for p in partitions(root)]
    bag = db.from_sequence(folders, npartitions=len(folders))
    done = bag.map(
        _check_one,
        as_of=as_of,
        period_from=period_from,
        engine=engine,
        questions=tuple(questions) if questions is not None else None,
        packs=str(packs) if packs is not None else None,
        attendance_months=attendance_months,
    ).compute(scheduler=scheduler)
    problems = [p for r in done if isinstance(r, list) for p in r]
    if problems:
        raise RosterError(problems)
    return merge([r for r in done if isinstance(r, CheckReport)], str(root))
