"""The roster check on Dask, one task per county partition, reports exactly what one machine reports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import villagepolicy as vp
from villagepolicy.roster import check, read_roster
from villagepolicy.roster.read import RosterError
from villagepolicy.roster.sample import Sample, generate, write_csv_folder

pytest.importorskip("dask.bag")

from villagepolicy.roster.distributed import check_partitions  # noqa: E402

AS_OF = dt.date(2023, 1, 15)
COUNTIES = {"shiquan": 27, "tongwei": 30, "xiangyin": 21}


def _lake(tmp_path: Path) -> tuple[Path, Path]:
    """A lake with one partition per county, and the same people as one roster."""
    lake, whole = tmp_path / "lake", tmp_path / "whole"
    union = Sample("all", 2022)
    for i, (j, n) in enumerate(COUNTIES.items()):
        s = generate(j, n, 2022, seed=10 + i)
        write_csv_folder(s, lake / j)
        union.people += s.people
        union.attendance += s.attendance
        union.events += s.events
        union.appraisals += s.appraisals
    write_csv_folder(union, whole)
    return lake, whole


def _comparable(report: vp.Library | object) -> dict:
    d = report.to_dict()  # type: ignore[attr-defined]
    d.pop("roster")
    return d


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return _lake(tmp_path_factory.mktemp("roster"))


@pytest.mark.parametrize("scheduler", ["processes", "threads", "synchronous"])
def test_check_by_county_partition_equals_one_machine(lake: tuple[Path, Path], scheduler: str, engine: str) -> None:
    root, whole = lake
    one = check(read_roster(whole), vp.load(), AS_OF, engine=engine, progress=False)
    spread = check_partitions(root, AS_OF, engine=engine, scheduler=scheduler)
    assert _comparable(spread) == _comparable(one)
    assert spread.exit_code() == one.exit_code() == 1  # the samples plant violations
    assert spread.jurisdictions == sorted(COUNTIES)
    assert spread.people == sum(COUNTIES.values())


def test_bad_cells_of_every_partition_are_reported_and_nothing_is_checked(tmp_path: Path) -> None:
    root, _ = _lake(tmp_path)
    for j in ("shiquan", "xiangyin"):
        people = root / j / "people.csv"
        lines = people.read_text(encoding="utf-8").splitlines()
        lines[2] = lines[2].replace("first_secretary", "mayor").replace("team_member", "mayor")
        people.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RosterError) as e:
        check_partitions(root, AS_OF, scheduler="synchronous")
    text = str(e.value)
    assert "shiquan/people.csv" in text and "xiangyin/people.csv" in text


def test_one_county_in_two_partitions_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "lake"
    write_csv_folder(generate("tongwei", 6, 2022, seed=1), root / "a")
    write_csv_folder(generate("tongwei", 6, 2022, seed=2), root / "b")
    with pytest.raises(RosterError, match="two partitions"):
        check_partitions(root, AS_OF, scheduler="synchronous")


def test_a_lake_without_partitions_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RosterError, match="partition"):
        check_partitions(tmp_path, AS_OF, scheduler="synchronous")


def test_check_lake_command_exit_codes_and_json(lake: tuple[Path, Path], tmp_path: Path) -> None:
    import json

    from villagepolicy.cli import main

    root, whole = lake
    out = tmp_path / "lake.json"
    code = main(["check-lake", str(root), "--as-of", "2023-01-15", "--scheduler", "synchronous", "--format", "json",
                 "-o", str(out)])  # fmt: skip
    assert code == 1
    got = json.loads(out.read_text(encoding="utf-8"))
    one = check(read_roster(whole), vp.load(), AS_OF, progress=False).to_dict()
    got.pop("roster")
    one.pop("roster")
    assert (got.pop("exit_code"), got.pop("fail_on")) == (1, "violation")
    assert got.pop("format_version") == 2
    results = one.pop("results")
    assert {k: got[k] for k in one} == json.loads(json.dumps(one, ensure_ascii=False))

    def key(r: dict) -> tuple:
        return (r["jurisdiction"], r["question"], r["village"], r["subject"], r["period"] or "")

    from villagepolicy.roster.report_json import expand

    assert sorted(expand(got), key=key) == sorted(json.loads(json.dumps(results, ensure_ascii=False)), key=key)
    assert main(["check-lake", str(tmp_path / "nowhere"), "--as-of", "2023-01-15"]) == 2


def test_a_partition_is_checked_in_its_task_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Dask spreads the partitions; a task forking check workers of its own would oversubscribe the cores.
    from villagepolicy.roster import distributed

    lake, _ = _lake(tmp_path)
    seen: list[dict] = []

    def spy(*args: object, **kw: object) -> object:
        seen.append(kw)
        return check(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(distributed, "check", spy)
    report = distributed._check_one(str(lake / "shiquan"), AS_OF, None, "durable", None, None)
    assert not isinstance(report, list) and report.results
    assert seen and seen[0]["jobs"] == 1
