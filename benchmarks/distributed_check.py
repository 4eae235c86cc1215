"""The roster check on Dask against one machine: same report, and the time each takes.

    python benchmarks/distributed_check.py [--cadres 10000] [--scheduler processes]

Writes a lake of sample rosters, one folder per county (the five shipped jurisdictions, the cadres
shared among them), and the same people as one roster. Runs `check` on the single roster in this
process (the baseline), then `check_partitions` (one Dask task per county) with the chosen local
scheduler, and exits non-zero unless the two reports are identical (all but the roster path).
Needs the distributed extra: pip install -e ".[distributed]".
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine  # noqa: E402

import villagepolicy as vp  # noqa: E402
from villagepolicy.roster import check, read_roster  # noqa: E402
from villagepolicy.roster.sample import Sample, generate, write_csv_folder  # noqa: E402

AS_OF = dt.date(2023, 1, 15)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cadres", type=int, default=10_000)
    ap.add_argument("--scheduler", default="processes", help="threads, processes or synchronous")
    args = ap.parse_args()
    try:
        from villagepolicy.roster.distributed import check_partitions
    except ImportError:
        sys.exit('needs dask: pip install -e ".[distributed]"')
    print(machine())
    counties = vp.jurisdictions()
    with tempfile.TemporaryDirectory(prefix="vp-lake-") as tmp:
        lake, whole = Path(tmp) / "lake", Path(tmp) / "whole"
        union = Sample("all", 2022)
        for i, j in enumerate(counties):
            n = args.cadres // len(counties) + (1 if i < args.cadres % len(counties) else 0)
            s = generate(j, n, 2022, seed=100 + i)
            write_csv_folder(s, lake / j)
            for part in ("people", "attendance", "events", "appraisals"):
                getattr(union, part).extend(getattr(s, part))
        write_csv_folder(union, whole)
        rows = len(union.attendance)
        print(f"{len(union.people):,} cadres in {len(counties)} county partitions, {rows:,} attendance rows")

        t = time.perf_counter()
        one = check(read_roster(whole), vp.load(), AS_OF, progress=False)
        single = time.perf_counter() - t
        t = time.perf_counter()
        spread = check_partitions(lake, AS_OF, scheduler=args.scheduler)
        dask_wall = time.perf_counter() - t

    a, b = one.to_dict(), spread.to_dict()
    a.pop("roster")
    b.pop("roster")
    same = json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True, default=str)
    print(f"one machine, one process (baseline): {single:6.1f} s wall, {len(one.results):,} results")
    print(
        f"Dask, {args.scheduler} scheduler, {len(counties)} tasks: {dask_wall:6.1f} s wall ({single / dask_wall:.2f}x)"
    )
    print(f"reports identical: {'yes' if same else 'NO'}")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
