"""A roster check decided by several forked processes gives the report of one process, in the same order."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from rosterkit import csv_roster, daily, person

import villagepolicy as vp
from villagepolicy.errors import VillagePolicyError
from villagepolicy.roster import check, read_roster
from villagepolicy.roster import parallel as par
from villagepolicy.roster.read import RosterError
from villagepolicy.roster.sample import generate, write_csv_folder

pytestmark = pytest.mark.skipif(not par.can_fork(), reason="forked workers need the fork start method")

SAMPLES = {"shiquan": (2022, "2023-01-15"), "tongwei": (2022, "2023-01-15"), "xiangyin": (2021, "2022-01-15")}


def _sample(tmp_path: Path, jurisdiction: str, people: int = 30) -> Path:
    year, _ = SAMPLES[jurisdiction]
    folder = tmp_path / jurisdiction
    write_csv_folder(generate(jurisdiction, people, year, seed=5), folder)
    return folder


@pytest.mark.parametrize("jurisdiction", sorted(SAMPLES))
@pytest.mark.parametrize("jobs", [2, 3])
def test_check_on_several_processes_equals_one(tmp_path: Path, jurisdiction: str, jobs: int) -> None:
    folder = _sample(tmp_path, jurisdiction)
    as_of = dt.date.fromisoformat(SAMPLES[jurisdiction][1])
    one = check(read_roster(folder), vp.load(), as_of, jobs=1)
    many = check(read_roster(folder), vp.load(), as_of, jobs=jobs)
    assert many.to_dict() == one.to_dict()
    assert many.exit_code() == one.exit_code()
    # Citations come back as Citation models, each clause one shared object.
    cited = [c for r in many.results for c in r.citations + [c for i in r.items for c in i.citations]]
    assert cited and all(isinstance(c, vp.Citation) for c in cited)


def test_rejected_cells_from_every_process_are_listed_in_roster_order(tmp_path: Path) -> None:
    people = [person(f"P{i}", f"人{i}") for i in range(12)]
    attendance: list[list[Any]] = []
    for i in range(12):
        attendance += daily(f"P{i}", dt.date(2022, 3, 1), 3)
    # Two kinds on one day for every third person: each is a rejected fact at its own row.
    attendance += [[f"P{i}", "2022-03-02", "absent"] for i in range(0, 12, 3)]
    folder = csv_roster(tmp_path / "r", people, attendance)
    errors = []
    for jobs in (1, 2, 3):
        with pytest.raises(RosterError) as e:
            check(read_roster(folder), vp.load(), dt.date(2022, 4, 1), jobs=jobs)
        errors.append(e.value.problems)
    assert errors[0] and errors[1] == errors[0] and errors[2] == errors[0]


def test_a_failure_in_a_worker_is_raised_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from villagepolicy.roster.check import ADAPTERS

    folder = _sample(tmp_path, "shiquan", people=6)
    real = ADAPTERS["term_and_handover"].run

    def broken(ctx: Any, j: Any, unit: list[Any]) -> Any:
        if unit[0].values["id"].endswith("2"):
            raise ZeroDivisionError("planted")
        return real(ctx, j, unit)

    monkeypatch.setattr(ADAPTERS["term_and_handover"], "run", broken)
    with pytest.raises(ZeroDivisionError, match="planted"):
        check(read_roster(folder), vp.load(), dt.date(2023, 1, 15), jobs=2)


def test_run_shares_keeps_the_order_and_reports_progress() -> None:
    seen: list[int] = []
    assert par.run_shares(10, 1, lambda idx: [i * i for i in idx], seen.append) == [i * i for i in range(10)]
    assert seen == list(range(1, 11))
    seen.clear()
    # The first ten are decided here before any worker starts: their progress is always reported.
    out = par.run_shares(1000, 3, lambda idx: [i * i for i in idx], seen.append, first=range(10))
    assert out == [i * i for i in range(1000)]
    assert seen[:10] == list(range(1, 11))
    assert seen == sorted(seen) and seen[-1] <= 1000


def test_jobs_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(par.JOBS_ENV, raising=False)
    assert par.jobs_for(100) == 1  # a small roster stays in this process
    # Every core for a large roster, by default on Linux only (macOS: fork after threads is unsafe).
    assert par.jobs_for(par.MIN_UNITS) == (par.available_cores() if sys.platform.startswith("linux") else 1)
    assert par.jobs_for(100, jobs=2) == 2
    assert par.jobs_for(1, jobs=4) == 1  # never more processes than units
    monkeypatch.setenv(par.JOBS_ENV, "1")
    assert par.jobs_for(10**6) == 1
    monkeypatch.setenv(par.JOBS_ENV, "zwei")
    with pytest.raises(VillagePolicyError, match=par.JOBS_ENV):
        par.jobs_for(10)


def test_a_worker_that_dies_is_an_internal_error_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    import os

    from villagepolicy.cli import main
    from villagepolicy.roster.check import ADAPTERS

    folder = _sample(tmp_path, "shiquan", people=12)
    parent = os.getpid()
    real = ADAPTERS["eligibility"].run

    def dies_in_a_worker(ctx: Any, j: Any, unit: list[Any]) -> Any:
        if os.getpid() != parent:
            os._exit(9)  # as the out-of-memory killer would end it: no message, no exception
        time.sleep(0.02)  # leaves the worker time to claim units of its own
        return real(ctx, j, unit)

    monkeypatch.setattr(ADAPTERS["eligibility"], "run", dies_in_a_worker)
    with pytest.raises(vp.WorkerError, match="worker"):
        check(read_roster(folder), vp.load(), dt.date(2023, 1, 15), jobs=2)
    out = tmp_path / "report.json"
    argv = ["check", str(folder), "--as-of", "2023-01-15", "--jobs", "2", "--format", "json", "-o", str(out)]
    assert main(argv) == 3
    assert "internal error" in capsys.readouterr().err
    assert not out.exists()
