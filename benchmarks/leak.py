"""Resident memory over one million decisions in one process (issue 9: within 50 MB of the value
after the first thousand).

    python benchmarks/leak.py                      # 1,000,000 decisions, durable engine
    python benchmarks/leak.py -n 200000 --engine reference
    python benchmarks/leak.py --reload 200         # also reload the packs 200 times
    python benchmarks/leak.py --mixed 500          # plus 500 cases of every question, drawn from tests/strategies.py
    python benchmarks/leak.py --distinct           # every decision a case never seen before (defeats any memo)

Prints RSS after the first thousand decisions, at every tenth of the run and at the end, the
growth, and the decision rate; exits 1 when the growth exceeds --limit-mb (default 50).
Linux only (RSS is read from /proc/self/statm).
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import platform
import random
import sys
import time

import villagepolicy as vp

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * PAGE / 2**20


def cases() -> list[tuple[str, str, dict, dt.date]]:
    """Every shipped jurisdiction x every role x 1..60 days, on dates inside and outside the packs' windows."""
    out = []
    for j in vp.jurisdictions():
        for role in vp.ROLES:
            for days in range(1, 61):
                for on in (dt.date(2019, 6, 3), dt.date(2022, 3, 1), dt.date(2024, 10, 8)):
                    out.append((j, "leave_approval", {"role": role, "days": days}, on))
    return out


def distinct_cases() -> itertools.chain:
    """Leave cases that never repeat: jurisdiction x role x days 1..3660 x decision dates from 2017."""
    jurs, roles = vp.jurisdictions(), sorted(vp.ROLES)
    start = dt.date(2017, 1, 1)
    return (
        (
            jurs[i % len(jurs)],
            "leave_approval",
            {"role": roles[(i // 5) % 4], "days": (i // 20) % 3660 + 1},
            start + dt.timedelta(days=(i // 73200) % 3650),
        )
        for i in itertools.count()
    )


def mixed_cases(n: int) -> list[tuple[str, str, dict, dt.date]]:
    """n cases over every jurisdiction and question, drawn (once, seeded) from the tests' facts strategies."""
    import warnings
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from hypothesis import HealthCheck, given, settings
    from strategies import decision_cases

    out: list[tuple[str, str, dict, dt.date]] = []

    @settings(max_examples=n, database=None, suppress_health_check=list(HealthCheck), deadline=None)
    @given(decision_cases())
    def collect(case: tuple) -> None:
        jid, question, facts, on, _engine = case
        try:
            vp.decide(jid, question, facts, on, engine="reference")
        except vp.VillagePolicyError:
            return  # refused facts are not part of the load
        out.append((jid, question, facts, on))

    random.seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        collect()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=1_000_000, help="decisions (default 1,000,000)")
    ap.add_argument("--engine", default="durable", choices=["durable", "reference"])
    ap.add_argument("--reload", type=int, default=0, help="also load the shipped packs this many times")
    ap.add_argument("--mixed", type=int, default=0, help="add this many cases of every question (needs hypothesis)")
    ap.add_argument("--distinct", action="store_true", help="no case repeats: leave cases over days x dates")
    ap.add_argument("--limit-mb", type=float, default=50.0)
    args = ap.parse_args()
    pool = cases()
    if args.mixed:
        extra = mixed_cases(args.mixed)
        print(f"{len(extra)} mixed cases over {len({(j, q) for j, q, _, _ in extra})} jurisdiction x question pairs")
        pool += extra
        random.Random(0).shuffle(pool)  # the first thousand then sees every kind of case
    print(f"python {platform.python_version()} on {platform.machine()} {platform.system()}, {os.cpu_count()} cpus")
    shown = "all distinct" if args.distinct else f"{len(pool)} distinct"
    print(f"cases: {shown}, engine={args.engine}, n={args.n:,}")
    it = distinct_cases() if args.distinct else itertools.cycle(pool)
    t0 = time.perf_counter()
    for _ in range(1000):
        j, q, f, on = next(it)
        vp.decide(j, q, f, on, engine=args.engine)
    base = rss_mb()
    print(f"after 1,000: RSS {base:.1f} MB")
    step = max(1, (args.n - 1000) // 10)
    peak = base
    for i in range(1000, args.n):
        j, q, f, on = next(it)
        vp.decide(j, q, f, on, engine=args.engine)
        if (i + 1) % step == 0:
            now = rss_mb()
            peak = max(peak, now)
            print(f"after {i + 1:>9,}: RSS {now:.1f} MB (+{now - base:.1f})", flush=True)
    elapsed = time.perf_counter() - t0
    for k in range(args.reload):
        lib = vp.load()
        lib.decide("shiquan", "leave_approval", {"role": "team_member", "days": 7 + k % 20}, "2022-03-01")
    end = rss_mb()
    peak = max(peak, end)
    if args.reload:
        print(f"after {args.reload} reloads of the packs: RSS {end:.1f} MB")
    growth = end - base
    print(f"growth {growth:+.1f} MB (peak {peak:.1f} MB); {args.n / elapsed:,.0f} decisions/s over {elapsed:.1f} s")
    if growth > args.limit_mb:
        print(f"FAIL: grew more than {args.limit_mb} MB", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
