"""The HTTP service against the in-process call: requests per second and p50/p99 latency, over loopback.

    python benchmarks/service.py [--requests 3000] [--batches 200] [--batch-size 100] [--clients 4]

Starts `villagepolicy serve` (one worker process) on a free port of 127.0.0.1 and sends a bounded
load: `--requests` single decisions (POST …/decide) and `--batches` batches of `--batch-size` cases
(POST …/decide-many), from `--clients` threads each on one kept-alive connection. In the same run
the same cases are decided in-process (vp.decide one by one, vp.decide_many per batch), and every
HTTP answer is first checked against the in-process one. Loopback only; nothing leaves the machine.
Rates here are wall-clock (the server is another process): on a shared machine they include waiting
for a core, and the clients' threads share the two cores with the server.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine  # noqa: E402

import villagepolicy as vp  # noqa: E402

J, Q, ON = "shiquan", "leave_approval", "2024-05-01"
PATH = f"/v1/jurisdictions/{J}/questions/{Q}"
ROLES = ("first_secretary", "team_leader", "team_member", "party_building_instructor")


def cases(n: int, seed: int = 10) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    return [{"role": rnd.choice(ROLES), "days": rnd.randint(1, 60)} for _ in range(n)]


def cpu_of(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far, from /proc (Linux); 0 elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "villagepolicy.cli", "serve", "--port", str(port), "--log-level", "warning"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/health")
            if conn.getresponse().status == 200:
                conn.close()
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("villagepolicy serve did not start")


def post(conn: http.client.HTTPConnection, path: str, body: bytes) -> bytes:
    conn.request("POST", path, body=body, headers={"content-type": "application/json"})
    r = conn.getresponse()
    data = r.read()
    if r.status != 200:
        raise SystemExit(f"HTTP {r.status}: {data[:300]!r}")
    return data


def over_http(port: int, path: str, bodies: list[bytes], clients: int) -> tuple[float, list[float], list[bytes]]:
    """Send every body once, `clients` at a time; (wall seconds, latencies, answers in order)."""
    latencies: list[float] = [0.0] * len(bodies)
    answers: list[bytes] = [b""] * len(bodies)
    lock = threading.Lock()
    next_index = 0

    def client() -> None:
        nonlocal next_index
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                i = next_index
                next_index += 1
            if i >= len(bodies):
                break
            t = time.perf_counter()
            answers[i] = post(conn, path, bodies[i])
            latencies[i] = time.perf_counter() - t
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return time.perf_counter() - t0, latencies, answers


def in_process(calls: list[Callable[[], Any]]) -> tuple[float, list[float], list[Any]]:
    latencies, answers = [], []
    t0 = time.perf_counter()
    for call in calls:
        t = time.perf_counter()
        answers.append(call())
        latencies.append(time.perf_counter() - t)
    return time.perf_counter() - t0, latencies, answers


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def row(name: str, wall: float, lat: list[float], requests: int, items: int) -> str:
    """One line: requests and decisions per second of a run taking `wall` seconds, p50 and p99 latency."""
    return (
        f"{name:44} {requests / wall:10,.0f} {items / wall:12,.0f} {pct(lat, 50) * 1e3:9.3f} {pct(lat, 99) * 1e3:9.3f}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--batches", type=int, default=200)
    ap.add_argument("--batch-size", type=int, default=100)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    print(machine())
    singles = cases(args.requests)
    batches = [cases(args.batch_size, seed=100 + i) for i in range(args.batches)]
    port = free_port()
    server = start_server(port)
    try:
        bodies = [json.dumps({"facts": f, "on": ON}).encode() for f in singles]
        batch_bodies = [json.dumps({"cases": b, "on": ON}).encode() for b in batches]
        # Warm both sides (first-use model builds, the memo) before anything is timed.
        over_http(port, PATH + "/decide", bodies[:200], 1)
        over_http(port, PATH + "/decide-many", batch_bodies[:5], 1)
        for f in singles[:200]:
            vp.decide(J, Q, f, ON)

        # Each measurement is repeated, in-process and HTTP taking turns, so that a burst of load on the
        # shared machine does not fall on one side only; each row gives the median rate of the repeats
        # and the latencies of all of them.
        runs: dict[str, list[tuple[float, list[float], list[Any]]]] = {}
        kinds = sorted({1, args.clients})

        def drop_answers() -> None:
            # Only the first repeat's answers are compared; keeping every repeat's decisions alive would
            # grow the heap that the cycle collector scans, slowing the later in-process runs.
            for v in runs.values():
                if len(v) > 1:
                    v[-1] = (v[-1][0], v[-1][1], [])

        cpu: dict[str, list[float]] = {}

        def measure(key: str, clock: Callable[[], float], run: Callable[[], Any]) -> None:
            # CPU seconds of the deciding process (this one in-process, the server over HTTP): unlike wall
            # time, not shared out by the load of other jobs on the machine.
            c = clock()
            runs.setdefault(key, []).append(run())
            cpu.setdefault(key, []).append(clock() - c)

        def server_cpu() -> float:
            return cpu_of(server.pid)

        for _ in range(args.repeats):
            measure("lib", time.process_time, lambda: in_process([lambda f=f: vp.decide(J, Q, f, ON) for f in singles]))
            measure(
                "lib_many",
                time.process_time,
                lambda: in_process([lambda b=b: vp.decide_many(J, Q, b, ON) for b in batches]),
            )
            for c in kinds:
                measure(f"decide{c}", server_cpu, lambda c=c: over_http(port, PATH + "/decide", bodies, c))
                measure(f"many{c}", server_cpu, lambda c=c: over_http(port, PATH + "/decide-many", batch_bodies, c))
            drop_answers()
        lib_answers = runs["lib"][0][2]  # the later repeats' answers were let go of (see drop_answers)
        many_answers = runs["lib_many"][0][2]
        results = {(k.rstrip("0123456789"), k): v[0] for k, v in runs.items() if not k.startswith("lib")}

        # Same answers first: a fast wrong answer is not a result.
        for (kind, _), (_, _, answers) in results.items():
            if kind == "decide":
                want = [json.loads(json.dumps(d.to_dict())) for d in lib_answers]
                assert [json.loads(a) for a in answers] == want, "HTTP decide differs from vp.decide"
            else:
                want_many = [{"decisions": [d.to_dict() for d in ds]} for ds in many_answers]
                assert [json.loads(a) for a in answers] == json.loads(json.dumps(want_many)), "decide-many differs"
        print("answers identical over HTTP and in-process: yes")
        print(f"{'':44} {'requests/s':>10} {'decisions/s':>12} {'p50 ms':>9} {'p99 ms':>9} {'CPU µs/decision':>16}")
        n = args.batches * args.batch_size
        s, m = len(singles), len(batches)
        rows = [("in-process vp.decide", "lib", s, s)]
        rows += [(f"HTTP POST …/decide, {c} client(s)", f"decide{c}", s, s) for c in kinds]
        rows += [(f"in-process vp.decide_many, {args.batch_size} per call", "lib_many", m, n)]
        rows += [(f"HTTP POST …/decide-many ×{args.batch_size}, {c} client(s)", f"many{c}", m, n) for c in kinds]
        rates = {}
        for name, key, requests, items in rows:
            walls = sorted(w for w, _, _ in runs[key])
            wall = walls[len(walls) // 2]
            rates[key] = items / wall
            per = 1e6 * statistics.median(cpu[key]) / items
            print(row(name, wall, [x for _, lat, _ in runs[key] for x in lat], requests, items) + f" {per:16,.1f}")
        print(
            f"HTTP cost per single decision (1 client, medians): {1e6 / rates['decide1'] - 1e6 / rates['lib']:,.0f} µs"
            " wall; CPU µs/decision is the deciding process's CPU time (the server's, over HTTP)"
        )
    finally:
        server.terminate()
        server.wait(20)


if __name__ == "__main__":
    main()
