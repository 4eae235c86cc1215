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
import queue
import signal
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from ..decision import Citation
from ..errors import VillagePolicyError, WorkerError
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
        # Only on Linux by default: macOS has fork, but its system libraries may have started threads
        # that a forked child cannot use (Python's own default there is spawn); --jobs still asks for it.
        auto = units >= MIN_UNITS and sys.platform.startswith("linux")
        jobs = available_cores() if auto else 1
    return max(1, min(jobs, units or 1))


def run_shares(
    n: int,
    jobs: int,
    decide: Callable[[Iterable[int]], list[Any]],
    progress: Callable[[int], None] | None = None,
    first: Sequence[int] = (),
) -> list[Any]:
    """decide(indices) for every index 0..n-1 on `jobs` processes; the outputs come back in index order.

    decide returns one output per index it is handed, in the order it is handed them. The processes
    claim the indices in chunks from a shared cursor, in order, so that a slow unit (a county's
    appraisal roster) holds up one process while the others go on. A child sends each chunk's outputs
    as soon as they are decided, so it holds one chunk at a time, and they are unpickled here between
    this process's own chunks. `progress(k)` is told how many units are finished, in all processes.
    The indices in `first` are decided first, by this process, before any child is forked: a unit that
    needs much memory for a while (a county's roster) leaves what it freed to this process's later
    results, and meanwhile polars' allocator hands the pages of the attendance rows just let go of back
    to the system (it does so after ~1 s). A child forked before that keeps them to its end: a
    province's check measured 0.9 GB more.
    """
    taken = set(first)
    sequence = [*first, *(i for i in range(n) if i not in taken)]
    mine = 0
    done: Any = None

    def tick() -> None:
        nonlocal mine
        mine += 1
        if progress is not None:
            progress(mine + (sum(done) if done is not None else 0))

    if jobs == 1:
        out: list[Any] = [None] * n
        for i, o in zip(sequence, decide(_Ticking(sequence, tick)), strict=True):
            out[i] = o
        return out
    out = [None] * n
    for i, o in zip(first, decide(_Ticking(first, tick)), strict=True):
        out[i] = o
    ctx = mp.get_context("fork")
    cursor = ctx.Value("q", len(first))  # the next unclaimed index of `sequence`; `first` is done
    done = ctx.Array("q", jobs, lock=False)  # units finished per child, read for the progress bar
    chunk = max(1, min(256, n // (jobs * 32)))
    inbox: queue.SimpleQueue[tuple[int, bytes | None]] = queue.SimpleQueue()
    children = []
    receivers: list[Any] = []  # every read end so far: each child closes its inherited copies
    parent = os.getpid()
    for s in range(1, jobs):
        receive, send = ctx.Pipe(duplex=False)
        receivers.append(receive)
        with warnings.catch_warnings():
            # Python 3.12 warns of fork in a process with threads (polars' pool): the children never use it.
            warnings.simplefilter("ignore", DeprecationWarning)
            proc = ctx.Process(
                target=_child, args=(decide, sequence, cursor, chunk, send, done, s, parent, receivers), daemon=True
            )
            proc.start()
        send.close()
        # Received by a thread while this process decides, so that a child never waits on a full pipe.
        reader = threading.Thread(target=_receive, args=(receive, inbox, s), daemon=True)
        reader.start()
        children.append((proc, reader, receive))
    ended: dict[int, bool] = {}

    def unpack(wait: bool) -> None:
        while len(ended) < len(children):
            try:
                s, message = inbox.get(block=wait)
            except queue.Empty:
                return
            kind = message[:1] if message else b""
            if kind == b"D":
                indices, outputs = _loads(message[1:])
                for i, o in zip(indices, outputs, strict=True):
                    out[i] = o
            elif kind == b"X":
                raise _loads(message[1:])
            else:  # b"E": the child is done; None: its pipe closed before it said so
                ended[s] = kind == b"E"

    try:
        while (claimed := _claim(cursor, chunk, sequence)) is not None:
            for i, o in zip(claimed, decide(_Ticking(claimed, tick)), strict=True):
                out[i] = o
            unpack(wait=False)
        unpack(wait=True)
        for s, (proc, reader, _) in enumerate(children, 1):
            reader.join()
            proc.join()
            if not ended.get(s):
                raise WorkerError(
                    f"核查子进程 {s} 异常退出 check worker {s} ended before it was done (exit {proc.exitcode}); "
                    f"try {JOBS_ENV}=1"
                )
    finally:
        for proc, _, receive in children:
            if proc.is_alive():
                proc.kill()
                proc.join()
            receive.close()
    return out


def _claim(cursor: Any, chunk: int, sequence: list[int]) -> list[int] | None:
    """The next `chunk` indices of `sequence` nobody has claimed, or None when all are."""
    with cursor.get_lock():
        start = cursor.value
        cursor.value = start + chunk
    return sequence[start : start + chunk] if start < len(sequence) else None


class _Ticking:
    """Indices that call `tick` as each one is finished (when the next is asked for, or at the end)."""

    def __init__(self, indices: Sequence[int], tick: Callable[[], None]) -> None:
        self.indices, self.tick = indices, tick

    def __iter__(self) -> Iterator[int]:
        for i in self.indices:
            yield i
            self.tick()


def _child(
    decide: Callable[[Iterable[int]], list[Any]],
    sequence: list[int],
    cursor: Any,
    chunk: int,
    send: Any,
    done: Any,
    s: int,
    parent: int,
    receivers: Sequence[Any],
) -> None:
    def tick() -> None:
        done[s] += 1

    # A child must not outlive a killed parent (issue 16 item 10: one kept 2.3 GB, blocked on its pipe).
    # Its inherited read ends would keep its own pipe open with no reader: closed, a write to a pipe whose
    # parent died fails (EPIPE) instead of blocking; and the child is told, or notices, when the parent dies.
    for r in receivers:
        r.close()
    _exit_with_parent(parent)
    try:
        while (claimed := _claim(cursor, chunk, sequence)) is not None:
            outputs = decide(_Ticking(claimed, tick))
            send.send_bytes(b"D" + _dumps((claimed, outputs)))
        send.send_bytes(b"E")
    except BaseException as e:  # noqa: BLE001  (any failure is the parent's to report)
        try:
            data = _dumps(e)
        except Exception:  # an exception that cannot be pickled: its message still can
            data = _dumps(VillagePolicyError(f"{type(e).__name__}: {e}"))
        send.send_bytes(b"X" + data)
    finally:
        send.close()


def _exit_with_parent(parent: int) -> None:
    """End this process when `parent` dies: PR_SET_PDEATHSIG on Linux, else a thread watching getppid()."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent:  # it died before prctl took effect
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _receive(conn: Any, inbox: queue.SimpleQueue[tuple[int, bytes | None]], s: int) -> None:
    while True:
        try:
            message = conn.recv_bytes()
        except (EOFError, OSError):
            inbox.put((s, None))  # the child died: reported by the caller
            return
        inbox.put((s, message))
        if message[:1] in (b"E", b"X"):
            return


# A citation travels as its field values (every field: a new one travels too).
_CITATION_FIELDS = tuple(Citation.model_fields)


def _citation_fields(c: Citation) -> tuple[Any, tuple[Any, ...]]:
    return _citation, tuple(getattr(c, f) for f in _CITATION_FIELDS)


_CITATIONS: dict[tuple[Any, ...], Citation] = {}


def _citation(*values: Any) -> Citation:
    """The one Citation of these field values in this process (results share them, as when decided here)."""
    c = _CITATIONS.get(values)
    if c is None:
        c = _CITATIONS[values] = Citation(**dict(zip(_CITATION_FIELDS, values, strict=True)))
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
