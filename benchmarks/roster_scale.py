"""Rosters at scale: `villagepolicy check` on generated rosters with Parquet attendance, and its cost curve.

    python benchmarks/roster_scale.py [--sizes 1000,10000] [--timeout 900] [--keep DIR]

For each size, `villagepolicy sample` writes a Tongwei roster of that many cadres with a year of
attendance (2022), the attendance is converted to Parquet (pyarrow), and `villagepolicy check
--format json` runs on it in a fresh process. Printed per size: attendance rows, wall and CPU seconds,
peak resident memory, seconds per 1,000 cadres, and how the cost grew against the size (linear means
the two ratios match). Baseline in the same run: pyarrow reading the same Parquet file and counting
rows per person and kind, column-wise (the floor a column-wise check could approach).
Targets (issue 10): 100,000 cadres in at most 60 s wall and 4 GB peak on this 2-core machine. The
100,000 size is opt-in (`--sizes 1000,10000,100000`): measured growth says today's check would need
about 15 GB there, so check the machine's free memory first.
Needs pyarrow: pip install -e ".[parquet]".
"""

from __future__ import annotations

import argparse
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


def cli() -> list[str]:
    exe = shutil.which("villagepolicy", path=str(Path(sys.executable).parent)) or shutil.which("villagepolicy")
    return [exe] if exe else [sys.executable, "-m", "villagepolicy.cli"]


def run(argv: list[str], timeout: float) -> tuple[int | None, float, float, float]:
    """(exit code or None on timeout, wall s, CPU s, peak RSS MB) of one child process."""
    t = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = t + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            _, status, usage = os.wait4(proc.pid, 0)
            return None, time.perf_counter() - t, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024
        time.sleep(0.05)
    wall = time.perf_counter() - t
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # 1: findings (the sample plants violations); 2: bad input
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        sys.exit(f"{' '.join(argv)} failed with {code}: {err[-2000:]}")
    if proc.stderr:
        proc.stderr.close()
    return code, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def make_roster(n: int, folder: Path) -> tuple[Path, Path, int]:
    """A sample roster of n cadres in folder/roster, its attendance moved to folder/attendance.parquet."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    roster = folder / "roster"
    subprocess.run(
        [*cli(), "sample", "--jurisdiction", "tongwei", "--people", str(n), "--year", "2022", "--seed", "7",
         "-o", str(roster)],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    csv_path = roster / "attendance.csv"
    # Every column as text, as in the CSV: the roster reader checks the cells itself.
    names = csv_path.open(encoding="utf-8").readline().strip().split(",")
    options = pacsv.ConvertOptions(column_types=dict.fromkeys(names, "string"))
    table = pacsv.read_csv(csv_path, convert_options=options)
    parquet = folder / "attendance.parquet"
    pq.write_table(table, parquet)
    csv_path.unlink()
    return roster, parquet, table.num_rows


def column_baseline(parquet: Path) -> float:
    """CPU seconds for pyarrow to read the attendance and count rows per person and kind."""
    import pyarrow.parquet as pq

    t = time.process_time()
    table = pq.read_table(parquet)
    names = table.column_names
    table.group_by([names[0], names[2]]).aggregate([([], "count_all")])
    return time.process_time() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000", help="cadres per roster, comma-separated")
    ap.add_argument("--timeout", type=float, default=900, help="seconds before a check is stopped")
    ap.add_argument("--keep", type=Path, help="keep the generated rosters in this folder")
    args = ap.parse_args()
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        sys.exit('needs pyarrow: pip install -e ".[parquet]"')
    sizes = [int(s) for s in args.sizes.split(",")]
    print(machine())
    work = args.keep or Path(tempfile.mkdtemp(prefix="vp-roster-scale-"))
    rows_out = []
    try:
        for n in sizes:
            folder = work / f"{n}"
            folder.mkdir(parents=True, exist_ok=True)
            roster, parquet, rows = make_roster(n, folder)
            base = column_baseline(parquet)
            argv = [*cli(), "check", str(roster), "--attendance", str(parquet), "--as-of", AS_OF,
                    "--format", "json", "-o", str(folder / "report.json")]  # fmt: skip
            code, wall, cpu, peak = run(argv, args.timeout)
            rows_out.append((n, rows, code, wall, cpu, peak, base))
            done = "stopped at the timeout" if code is None else f"exit {code}"
            print(
                f"  {n:,} cadres: {rows:,} attendance rows, {wall:.1f} s wall, {cpu:.1f} s CPU, {peak:,.0f} MB, {done}"
            )
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"\nvillagepolicy check --as-of {AS_OF} --format json, Parquet attendance, one fresh process per size")
    heads = ("cadres", 8), ("rows", 12), ("wall s", 8), ("CPU s", 8), ("peak MB", 8), ("s/1k", 6), ("growth", 14)
    print(" ".join(f"{h:>{w}}" for h, w in heads), "vs pyarrow")
    prev = None
    for n, rows, code, wall, cpu, peak, base in rows_out:
        growth = f"{wall / prev[1]:.1f}x for {n / prev[0]:.0f}x" if prev else ""
        flag = "" if code is not None else " (timeout)"
        print(
            f"{n:8,} {rows:12,} {wall:8.1f} {cpu:8.1f} {peak:8,.0f} {wall / n * 1000:6.2f} {growth:>14} "
            f"{cpu / base if base else 0:9.0f}x{flag}"
        )
        prev = (n, wall)
    last = rows_out[-1]
    if last[0] >= 100_000:
        ok = last[2] is not None and last[3] <= 60 and last[5] <= 4096
        print(f"100,000 cadres: {'within' if ok else 'outside'} the 60 s / 4 GB target")
    else:
        n, _, _, wall, _, peak, _ = last
        scale = 100_000 / n
        print(f"extrapolated linearly to 100,000 cadres: ~{wall * scale:.0f} s wall, ~{peak * scale:,.0f} MB")


if __name__ == "__main__":
    main()
