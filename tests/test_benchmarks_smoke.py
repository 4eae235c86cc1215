"""The benchmarks keep running (tiny sizes, nothing timed is asserted): a broken benchmark is found in CI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"

pytestmark = pytest.mark.skipif(not BENCH.is_dir(), reason="benchmarks/ is not beside the tests")


@pytest.mark.parametrize(
    ("script", "args", "says"),
    [
        ("single_decision.py", ["--cases", "300", "--repeats", "1"], "policy-as-data overhead"),
        ("bulk_decisions.py", ["--cases", "2000", "--repeats", "1"], "vp.decide_many, columns"),
        ("startup.py", ["--runs", "1"], "import + load"),
        ("roster_scale.py", ["--sizes", "60"], "extrapolated linearly"),
        ("distributed_check.py", ["--cadres", "40", "--scheduler", "synchronous"], "reports identical: yes"),
        ("service.py", ["--requests", "40", "--batches", "3", "--batch-size", "5", "--clients", "2"], "identical"),
    ],
)
def test_benchmark_runs_and_prints_its_figures(script: str, args: list[str], says: str) -> None:
    if script == "roster_scale.py":
        pytest.importorskip("pyarrow")
    if script == "distributed_check.py":
        pytest.importorskip("dask.bag")
    if script == "service.py":
        pytest.importorskip("fastapi")
    run = subprocess.run(
        [sys.executable, str(BENCH / script), *args], capture_output=True, text=True, timeout=600, check=False
    )
    assert run.returncode == 0, run.stderr
    assert says in run.stdout
    assert "Traceback" not in run.stderr
