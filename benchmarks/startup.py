"""Start-up: `import villagepolicy` and loading every shipped pack, in a fresh interpreter each run.

    python benchmarks/startup.py [--runs 15]

Each run is a new process (as a command-line call is). Printed: the median wall and CPU time (user +
system, which waiting for a busy core does not inflate) of `python -c pass` (the interpreter's own
start, the baseline), of `import villagepolicy`, of import + loading every pack and jurisdiction,
and of `villagepolicy list` (the command line). The figure to hold to 300 ms is import + load.
Bytecode caching is on in the children, as for an installed package, even if PYTHONDONTWRITEBYTECODE
is set here.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine  # noqa: E402

LOAD = (
    "import villagepolicy as vp\n"
    "lib = vp.default_library()\n"
    "assert len(lib.packs) >= 5 and len(lib.jurisdictions()) >= 5\n"
)


# As installed: bytecode is cached (pip compiles a wheel's modules; a checkout writes __pycache__ on the
# first run), whatever this shell says.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measure(argv: list[str], runs: int) -> tuple[float, float]:
    """Median (wall ms, CPU ms) of running argv `runs` times."""
    walls, cpus = [], []
    for _ in range(runs):
        t = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err = proc.stderr.read().decode() if proc.stderr else ""
            sys.exit(f"{' '.join(argv)} failed ({proc.returncode}): {err}")
        if proc.stderr:
            proc.stderr.close()
        walls.append(wall * 1000)
        cpus.append((usage.ru_utime + usage.ru_stime) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    py = sys.executable
    print(machine())
    cli = shutil.which("villagepolicy", path=str(Path(py).parent)) or shutil.which("villagepolicy")
    cases = [
        ("python -c pass (baseline)", [py, "-c", "pass"]),
        ("import villagepolicy", [py, "-c", "import villagepolicy"]),
        ("import + load every pack", [py, "-c", LOAD]),
    ]
    if cli:
        cases.append(("villagepolicy list", [cli, "list"]))
    for _, argv in cases:  # warm the file cache and write .pyc files outside the clock
        measure(argv, 1)
    results = [(name, *measure(argv, args.runs)) for name, argv in cases]
    base_wall, base_cpu = results[0][1], results[0][2]
    print(f"median of {args.runs} fresh processes each")
    print(f"{'':28}  {'wall ms':>8}  {'CPU ms':>8}  {'over baseline (wall / CPU)':>26}")
    for name, wall, cpu in results:
        extra = "" if name.endswith("(baseline)") else f"+{wall - base_wall:.0f} / +{cpu - base_cpu:.0f} ms"
        print(f"{name:28}  {wall:8.0f}  {cpu:8.0f}  {extra:>26}")
    load_wall, load_cpu = results[2][1], results[2][2]
    verdict = "within" if load_wall <= 300 else "over"
    print(f"import + load: {load_wall:.0f} ms wall, {load_cpu:.0f} ms CPU ({verdict} the 300 ms target, wall)")


if __name__ == "__main__":
    main()
