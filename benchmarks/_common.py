"""Shared helpers of the benchmarks: the machine, one-core pinning, timing, and the printed table.

Benchmarks print figures; they assert nothing about speed (the machines are shared and noisy). Every
ratio is against a baseline measured in the same run.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"{today}; {os.cpu_count()} cores (nproc), {cpu}; Python {platform.python_version()}"


CLOCK_NOTE = (
    "rates are per second of CPU time of this single-threaded process (time.process_time), i.e. per core; "
    "on a shared machine wall time also counts waiting for a core"
)


def rate(run: Callable[[], int], repeats: int = 5) -> float:
    """Median items per CPU second of `run` (which returns how many items it did) over `repeats` runs."""
    rates = []
    for _ in range(repeats):
        t = time.process_time()
        n = run()
        rates.append(n / (time.process_time() - t))
    return statistics.median(rates)


def table(rows: list[tuple[str, float, str]], unit: str) -> str:
    width = max(len(r[0]) for r in rows)
    lines = [f"{'':{width}}  {unit:>14}  ratio"]
    lines += [f"{name:{width}}  {value:14,.0f}  {note}" for name, value, note in rows]
    return "\n".join(lines)
