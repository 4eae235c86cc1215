"""Rosters at scale: `villagepolicy check` on generated province-year rosters with Parquet attendance.

    python benchmarks/roster_scale.py [--sizes 1000,10000] [--timeout 900] [--keep DIR]
    python benchmarks/roster_scale.py --sizes 1000,10000,100000      # a province-year (36.5 M rows)

For each size, `villagepolicy sample` writes a Tongwei roster of that many cadres for 2022; its
attendance (working days) is completed to a row for every calendar day of the year (days the sample
leaves empty are in_village: weekend duty), 365 rows per cadre, and written as Parquet. Then
`villagepolicy check --as-of 2023-01-15 --from 2022-01-01 --format json -o report.json` runs in a
fresh process (--from makes the calendar year 2022 a judged stay period, so stay_compliance is
decided for everyone). Printed per size: attendance rows, wall and CPU seconds, peak resident memory,
milliseconds per cadre, growth against the previous size (linear: the ratios match), and the ratio to
the same-run baseline: polars scanning the same Parquet file and counting rows per person, month and
kind (the floor any column-wise check could approach; multi-threaded, so its CPU can exceed its wall).
Targets (issue 10): 100,000 cadres in at most 60 s wall and 4 GB peak on this 2-core machine.
Needs the parquet extra: pip install -e ".[parquet]".
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine  # noqa: E402

AS_OF = "2023-01-15"
FROM = "2022-01-01"


def cli() -> list[str]:
    exe = shutil.which("villagepolicy", path=str(Path(sys.executable).parent)) or shutil.which("villagepolicy")
    return [exe] if exe else [sys.executable, "-m", "villagepolicy.cli"]


def tree_memory_mb(pid: int) -> float:
    """Memory of a process and all its descendants now, in MB (0 once it is gone).

    A forked worker shares its parent's pages until either writes them. Each process's proportional
    set size (Pss: its private pages plus its share of the shared ones) adds up to what the tree
    holds; where the kernel does not give Pss, resident size (VmRSS) is summed, which counts shared
    pages once per process and so overstates it.
    """
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            try:
                with open(f"/proc/{p}/smaps_rollup") as f:
                    total += next(int(line.split()[1]) for line in f if line.startswith("Pss:"))
            except (OSError, StopIteration):
                with open(f"/proc/{p}/status") as f:
                    total += next((int(line.split()[1]) for line in f if line.startswith("VmRSS:")), 0)
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo += [int(c) for c in f.read().split()]
        except (OSError, ValueError):
            continue  # ended meanwhile
    return total / 1024


def run(argv: list[str], timeout: float) -> tuple[int | None, float, float, float]:
    """(exit code or None on timeout, wall s, CPU s, peak RSS MB) of one child process and its workers.

    CPU counts the workers too. Peak memory is the larger of the process's own peak (ru_maxrss) and
    the largest sum over the process tree seen by sampling it once a second (see tree_memory_mb;
    reading a process's Pss walks its page tables, ~40 ms for 2.5 GB, and slows it meanwhile, so
    more often would change what is measured).
    """
    t = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = t + timeout
    tree_peak = 0.0
    sampled = 0.0
    before = os.times()
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - sampled >= 1.0:
            sampled = time.perf_counter()
            tree_peak = max(tree_peak, tree_memory_mb(proc.pid))
        if time.perf_counter() > deadline:
            proc.kill()
            _, status, usage = os.wait4(proc.pid, 0)
            return None, time.perf_counter() - t, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024
        time.sleep(0.05)
    wall = time.perf_counter() - t
    after = os.times()
    # The workers are the check's children, reaped by it: their CPU is in this process's children's times.
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # 1: findings (the sample plants violations); 2: bad input
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        sys.exit(f"{' '.join(argv)} failed with {code}: {err[-2000:]}")
    if proc.stderr:
        proc.stderr.close()
    return code, wall, max(cpu, usage.ru_utime + usage.ru_stime), max(tree_peak, usage.ru_maxrss / 1024)


def in_child(*argv: str) -> list[str]:
    """Run this script's helper mode in a child: a forked child's peak memory (ru_maxrss) starts at its
    parent's, so the parent must not grow by generating rosters itself."""
    out = subprocess.run([sys.executable, __file__, *argv], check=True, capture_output=True, text=True).stdout
    return out.split()


def make_roster(n: int, folder: Path) -> tuple[Path, Path, int]:
    """A sample roster of n cadres in folder/roster, a row per cadre and day in folder/attendance.parquet."""
    import polars as pl

    roster = folder / "roster"
    subprocess.run(
        [*cli(), "sample", "--jurisdiction", "tongwei", "--people", str(n), "--year", "2022", "--seed", "7",
         "-o", str(roster)],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    csv_path = roster / "attendance.csv"
    # Every column as text, as in the CSV: the roster reader checks the cells itself.
    sample = pl.read_csv(csv_path, infer_schema=False)
    ids = pl.read_csv(roster / "people.csv", infer_schema=False).select(pl.col("id").alias("person_id"))
    days = pl.DataFrame({"date": pl.date_range(dt.date(2022, 1, 1), dt.date(2022, 12, 31), eager=True)})
    grid = ids.join(days.select(pl.col("date").dt.to_string("%Y-%m-%d")), how="cross")
    table = (
        grid.join(sample.unique(["person_id", "date"], keep="first"), on=["person_id", "date"], how="left")
        .with_columns(pl.col("kind").fill_null("in_village"))
        .sort("person_id", "date")
    )
    parquet = folder / "attendance.parquet"
    table.write_parquet(parquet)
    csv_path.unlink()
    return roster, parquet, table.height


def column_baseline(parquet: Path) -> tuple[float, float]:
    """(wall s, CPU s) for polars to scan the attendance and count rows per person, month and kind."""
    import polars as pl

    t, c = time.perf_counter(), time.process_time()
    (
        pl.scan_parquet(parquet)
        .group_by("person_id", pl.col("date").str.slice(0, 7), "kind")
        .len()
        .collect(engine="streaming")
    )
    return time.perf_counter() - t, time.process_time() - c


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000", help="cadres per roster, comma-separated (100000: a province)")
    ap.add_argument("--timeout", type=float, default=900, help="seconds before a check is stopped")
    ap.add_argument("--keep", type=Path, help="keep the generated rosters in this folder (and reuse those it has)")
    ap.add_argument("--jobs", type=int, help="processes deciding (villagepolicy check --jobs; default: one per core)")
    ap.add_argument("--_make", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--_baseline", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args._make:  # in a child process, so that the parent stays small (see in_child)
        print(*make_roster(int(args._make[0]), Path(args._make[1]))[1:], sep="\n")
        return
    if args._baseline:
        print(*column_baseline(Path(args._baseline)), sep="\n")
        return
    try:
        import polars  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError:
        sys.exit('needs polars and pyarrow: pip install -e ".[parquet]"')
    sizes = [int(s) for s in args.sizes.split(",")]
    print(machine())
    work = args.keep or Path(tempfile.mkdtemp(prefix="vp-roster-scale-"))
    rows_out = []
    try:
        for n in sizes:
            folder = work / f"{n}"
            folder.mkdir(parents=True, exist_ok=True)
            if args.keep and (folder / "attendance.parquet").exists() and (folder / "roster").is_dir():
                # --keep a folder of an earlier run: its rosters are used again.
                import pyarrow.parquet as pq

                parquet = folder / "attendance.parquet"
                roster, rows = folder / "roster", pq.ParquetFile(parquet).metadata.num_rows
            else:
                parquet_s, rows_s = in_child("--_make", str(n), str(folder))
                roster, parquet, rows = folder / "roster", Path(parquet_s), int(rows_s)
            base_wall, base_cpu = (float(x) for x in in_child("--_baseline", str(parquet)))
            argv = [*cli(), "check", str(roster), "--attendance", str(parquet), "--as-of", AS_OF, "--from", FROM,
                    "--format", "json", "-o", str(folder / "report.json"),
                    *(["--jobs", str(args.jobs)] if args.jobs else [])]  # fmt: skip
            code, wall, cpu, peak = run(argv, args.timeout)
            rows_out.append((n, rows, code, wall, cpu, peak, base_wall, base_cpu))
            done = "stopped at the timeout" if code is None else f"exit {code}"
            print(
                f"  {n:,} cadres: {rows:,} attendance rows, {wall:.1f} s wall, {cpu:.1f} s CPU, {peak:,.0f} MB, "
                f"{done}; polars scan {base_wall:.2f} s wall, {base_cpu:.2f} s CPU",
                flush=True,
            )
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(
        f"\nvillagepolicy check --as-of {AS_OF} --from {FROM} --format json -o FILE, Parquet attendance (a row per "
        "cadre and day), one fresh process per size"
    )
    heads = ("cadres", 8), ("rows", 12), ("wall s", 8), ("CPU s", 8), ("peak MB", 8), ("ms/cadre", 8), ("growth", 14)
    print(" ".join(f"{h:>{w}}" for h, w in heads), " vs polars scan (wall)")
    prev = None
    for n, rows, code, wall, cpu, peak, base_wall, _ in rows_out:
        growth = f"{wall / prev[1]:.1f}x for {n / prev[0]:.0f}x" if prev else ""
        flag = "" if code is not None else " (timeout)"
        print(
            f"{n:8,} {rows:12,} {wall:8.1f} {cpu:8.1f} {peak:8,.0f} {wall / n * 1000:8.2f} {growth:>14} "
            f"{wall / base_wall if base_wall else 0:12.0f}x{flag}"
        )
        prev = (n, wall)
    last = rows_out[-1]
    if last[0] >= 100_000:
        ok = last[2] is not None and last[3] <= 60 and last[5] <= 4096
        verdict = "within" if ok else f"outside ({last[3] / 60:.1f}x the time, {last[5] / 4096:.1f}x the memory)"
        print(f"{last[0]:,} cadres: {verdict} the 60 s / 4 GB target")
    else:
        n, _, _, wall, _, peak, _, _ = last
        scale = 100_000 / n
        print(f"extrapolated linearly to 100,000 cadres: ~{wall * scale:.0f} s wall, ~{peak * scale:,.0f} MB")


if __name__ == "__main__":
    main()
