"""A roster check's units decided on several cores: forked workers, each deciding a share of the units.

Deciding is pure Python and holds the GIL, so threads would not help; processes do. The workers are
forked once the roster is read and its attendance aggregated, so they start with everything in memory
(copy-on-write) and nothing is read twice. Each worker sends back its results, pickled; the citations
in them are a few dozen distinct clauses repeated a million times, so they travel as their fields and
come back as one shared Citation each. Where fork is not available (Windows, macOS's default), or the
roster is small, the units are decided in this process, as before: the answers are the same either way.
"""

from __future__ import annotations

import io
import multiprocessing as mp
import os
import pickle
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..decision import Citation
from ..errors import VillagePolicyError
from ..gcpause import gc_paused

# Below this many units the fork and the transfer cost more than a second core saves (measured:
# benchmarks/roster_scale.py; a unit is one question for one person, village or county).
MIN_UNITS = 20_000
JOBS_ENV = "VILLAGEPOLICY_JOBS"


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in mp.get_all_start_methods()


def jobs_for(units: int, jobs: int | None = None) -> int:
    """How many processes decide `units` units: `jobs` when given (or $VILLAGEPOLICY_JOBS), else one per
    core for a large roster; always 1 where fork is not available."""
    if jobs is None and os.environ.get(JOBS_ENV, "").strip():
        raw = os.environ[JOBS_ENV].strip()
        if not raw.isdigit() or int(raw) < 1:
            raise VillagePolicyError(f"{JOBS_ENV} 须为正整数 must be a whole number of at least 1, not {raw!r}")
        jobs = int(raw)
    if not can_fork():
        return 1
    if jobs is None:
        jobs = available_cores() if units >= MIN_UNITS else 1
    return max(1, min(jobs, units or 1))


def run_shares(
    n: int,
    jobs: int,
    decide: Callable[[Iterable[int]], list[Any]],
    progress: Callable[[int], None] | None = None,
) -> list[Any]:
    """decide(indices) for every index 0..n-1 on `jobs` processes; the outputs come back in index order.

    decide returns one output per index it is handed, in the order it is handed them. The processes
    claim the indices in chunks from a shared cursor, in order, so that a slow unit (a county's
    appraisal roster) holds up one process while the others go on. `progress(k)` is told how many
    units are finished, in all processes, as they go.
    """
    mine = 0
    done: Any = None

    def tick() -> None:
        nonlocal mine
        mine += 1
        if progress is not None:
            progress(mine + (sum(done) if done is not None else 0))

    if jobs == 1:
        return decide(_Claimed(n, None, 1, tick))
    ctx = mp.get_context("fork")
    cursor = ctx.Value("q", 0)  # the next unclaimed index
    done = ctx.Array("q", jobs, lock=False)  # units finished per child, read for the progress bar
    chunk = max(1, min(256, n // (jobs * 32)))
    children = []
    for s in range(1, jobs):
        receive, send = ctx.Pipe(duplex=False)
        with warnings.catch_warnings():
            # Python 3.12 warns of fork in a process with threads (polars' pool): the children never use it.
            warnings.simplefilter("ignore", DeprecationWarning)
            proc = ctx.Process(target=_child, args=(decide, n, cursor, chunk, send, done, s), daemon=True)
            proc.start()
        send.close()
        got: list[bytes] = []
        # Received while this process decides its own share, so a child never waits on a full pipe.
        reader = threading.Thread(target=_receive, args=(receive, got), daemon=True)
        reader.start()
        children.append((proc, reader, got, receive))
    out: list[Any] = [None] * n
    try:
        claimed = _Claimed(n, cursor, chunk, tick)
        for i, o in zip(claimed.taken, decide(claimed), strict=True):
            out[i] = o
        for s, (proc, reader, got, _) in enumerate(children, 1):
            reader.join()
            proc.join()
            if not got:
                raise VillagePolicyError(
                    f"核查子进程 {s} 异常退出 check worker {s} ended without a result (exit {proc.exitcode}); "
                    f"try {JOBS_ENV}=1"
                )
            status, payload = _loads(got[0])
            if status == "error":
                raise payload
            taken, outputs = payload
            for i, o in zip(taken, outputs, strict=True):
                out[i] = o
    finally:
        for proc, _, _, receive in children:
            if proc.is_alive():
                proc.kill()
                proc.join()
            receive.close()
    return out


class _Claimed:
    """The indices this process decides: claimed `chunk` at a time from the shared cursor (all of them
    when there is none), recorded in `taken`; `tick` is called as each one is finished."""

    def __init__(self, n: int, cursor: Any, chunk: int, tick: Callable[[], None]) -> None:
        self.n, self.cursor, self.chunk, self.tick = n, cursor, chunk, tick
        self.taken: list[int] = []

    def __iter__(self) -> Iterator[int]:
        if self.cursor is None:
            for i in range(self.n):
                self.taken.append(i)
                yield i
                self.tick()
            return
        while True:
            with self.cursor.get_lock():
                start = self.cursor.value
                self.cursor.value = start + self.chunk
            if start >= self.n:
                return
            for i in range(start, min(self.n, start + self.chunk)):
                self.taken.append(i)
                yield i
                self.tick()


def _child(
    decide: Callable[[Iterable[int]], list[Any]], n: int, cursor: Any, chunk: int, send: Any, done: Any, s: int
) -> None:
    try:
        claimed = _Claimed(n, cursor, chunk, lambda: done.__setitem__(s, done[s] + 1))
        outputs = decide(claimed)
        data = _dumps(("ok", (claimed.taken, outputs)))
    except BaseException as e:  # noqa: BLE001  (any failure is the parent's to report)
        try:
            data = _dumps(("error", e))
        except Exception:  # an exception that cannot be pickled: its message still can
            data = _dumps(("error", VillagePolicyError(f"{type(e).__name__}: {e}")))
    send.send_bytes(data)
    send.close()


def _receive(conn: Any, got: list[bytes]) -> None:
    try:
        got.append(conn.recv_bytes())
    except (EOFError, OSError):
        pass  # the child died: reported by the caller


def _citation_fields(c: Citation) -> tuple[Any, tuple[Any, ...]]:
    return _citation, (c.pack, c.clause, c.text_zh, c.summary_en, c.interpretation, c.reading_en)


_CITATIONS: dict[tuple[Any, ...], Citation] = {}


def _citation(*fields: Any) -> Citation:
    c = _CITATIONS.get(fields)
    if c is None:
        pack, clause, text_zh, summary_en, interpretation, reading_en = fields
        c = _CITATIONS[fields] = Citation(
            pack=pack,
            clause=clause,
            text_zh=text_zh,
            summary_en=summary_en,
            interpretation=interpretation,
            reading_en=reading_en,
        )
    return c


def _dumps(obj: Any) -> bytes:
    buf = io.BytesIO()
    p = pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
    # Only Citation gets a Python-level reducer; everything else is pickled by the C pickler as usual.
    p.dispatch_table = {Citation: _citation_fields}  # type: ignore[assignment]
    p.dump(obj)
    return buf.getvalue()


def _loads(data: bytes) -> Any:
    with gc_paused():  # a million new containers, none of them in a cycle: nothing for the collector
        return pickle.loads(data)
