"""Bulk decisions per second on one core: vp.decide_many for a table question, rows and columns.

    python benchmarks/bulk_decisions.py [--cases 200000] [--repeats 5]

Times vp.decide_many("shiquan", "leave_approval", cases) on a list of mappings and on a mapping of
columns, against, in the same run, a loop of vp.decide over the same cases and a loop of a plain Python
function. Two mixes of cases: `narrow` (1-60 days: a few hundred distinct cases, as in a county's
leave requests) and `wide` (1-3660 days: ~14,600 distinct cases). Before timing, the bulk answers are
checked against one-by-one vp.decide. A last line times the whole life of the result (the call, then
freeing every decision and a full garbage collection), which a caller pays too.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CLOCK_NOTE, machine, rate, table  # noqa: E402
from single_decision import plain_python  # noqa: E402

import villagepolicy as vp  # noqa: E402

J, Q, ON = "shiquan", "leave_approval", "2024-05-01"
ROLES = ("first_secretary", "team_leader", "team_member", "party_building_instructor")


def cases(n: int, max_days: int, seed: int = 11) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    return [{"role": rnd.choice(ROLES), "days": rnd.randint(1, max_days)} for _ in range(n)]


def timed_call(fn: Any, n: int, repeats: int) -> float:
    """Median rate of fn() over repeats; the result is dropped (and collected) outside the clock."""

    def run() -> int:
        result = fn()
        run.last = result  # type: ignore[attr-defined]
        return n

    rates = []
    for _ in range(repeats):
        gc.collect()
        rates.append(rate(run, 1))
        run.last = None  # type: ignore[attr-defined]
    return sorted(rates)[len(rates) // 2]


def run_mix(mix: str, max_days: int, n: int, repeats: int) -> None:
    rows = cases(n, max_days)
    columns = {"role": [r["role"] for r in rows], "days": [r["days"] for r in rows]}
    sample = rows[:5000]
    if vp.decide_many(J, Q, sample, ON) != [vp.decide(J, Q, r, ON) for r in sample]:
        sys.exit("decide_many disagrees with decide")
    distinct = len({(r["role"], r["days"]) for r in rows})
    results = [
        ("plain Python function, loop (baseline)", timed_call(lambda: [plain_python(r) for r in rows], n, 3)),
        ("vp.decide, loop", timed_call(lambda: [vp.decide(J, Q, r, ON) for r in rows], n, 3)),
        ("vp.decide_many, list of mappings", timed_call(lambda: vp.decide_many(J, Q, rows, ON), n, repeats)),
        ("vp.decide_many, columns", timed_call(lambda: vp.decide_many(J, Q, columns, ON), n, repeats)),
    ]
    loop = results[1][1]
    out = []
    for name, value in results:
        note = "baseline" if name.startswith("plain") else f"{results[0][1] / value:5.1f}x slower than plain"
        if name.startswith("vp.decide_many"):
            note += f"; {value / loop:.1f}x the vp.decide loop"
        out.append((name, value, note))
    print(f"\n{mix}: {n:,} cases, {distinct:,} distinct, median of {repeats} runs")
    print(table(out, "decisions/s"))

    gc.collect()
    t = time.process_time()
    got = vp.decide_many(J, Q, columns, ON)
    del got
    gc.collect()
    whole = n / (time.process_time() - t)
    print(f"columns, call + freeing the {n:,} decisions + a full collection: {whole:,.0f} decisions/s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=200_000)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    n = args.cases
    print(machine())
    print(CLOCK_NOTE)
    vp.decide_many(J, Q, cases(100, 60), ON)  # load the packs outside the clock

    for mix, max_days in (("narrow", 60), ("wide", 3660)):
        run_mix(mix, max_days, n, args.repeats)


if __name__ == "__main__":
    main()
