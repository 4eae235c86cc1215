"""Roster checks too large to answer within one request: run in the background, fetched by job id.

Job state lives on disk (one private folder per job under the service's jobs folder), so that with
`--workers N` any worker process can answer for a job another one runs. Ids are 128-bit random
(unguessable: a job's report is as private as the roster). Finished jobs are forgotten after
`keep_seconds`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import orjson

from .problems import log

_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")


class JobStore:
    def __init__(self, root: Path, keep_seconds: float = 3600.0, workers: int = 1) -> None:
        self.root = root
        self.keep_seconds = keep_seconds
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="villagepolicy-job")

    def _folder(self, job: str) -> Path | None:
        return self.root / job if _ID.match(job) else None

    def _write_status(self, folder: Path, status: dict[str, Any]) -> None:
        tmp = folder / "status.json.tmp"
        tmp.write_bytes(orjson.dumps(status))
        os.replace(tmp, folder / "status.json")  # readers never see half a status

    def submit(self, work: Callable[[], bytes], error_of: Callable[[BaseException], dict[str, Any]]) -> dict[str, Any]:
        """Queue `work` (returns the report's bytes); an exception becomes the job's error via `error_of`."""
        self.forget_old()
        job = secrets.token_urlsafe(16)
        folder = self.root / job
        folder.mkdir(mode=0o700)
        status: dict[str, Any] = {"job": job, "status": "queued", "created": _now(), "finished": None, "error": None}
        self._write_status(folder, status)

        def run() -> None:
            self._write_status(folder, status | {"status": "running"})
            try:
                data = work()
            except BaseException as e:  # the job's answer says what failed; the server keeps running
                self._write_status(folder, status | {"status": "failed", "finished": _now(), "error": error_of(e)})
                return
            (folder / "result.json").write_bytes(data)
            self._write_status(folder, status | {"status": "done", "finished": _now()})

        self.pool.submit(run)
        return status

    def status(self, job: str) -> dict[str, Any] | None:
        folder = self._folder(job)
        if folder is None:
            return None
        try:
            return orjson.loads((folder / "status.json").read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return None

    def result_path(self, job: str) -> Path | None:
        folder = self._folder(job)
        return None if folder is None else folder / "result.json"

    def forget_old(self) -> None:
        cutoff = time.time() - self.keep_seconds
        try:
            folders = list(self.root.iterdir())
        except OSError:
            return
        for f in folders:
            try:
                status = orjson.loads((f / "status.json").read_bytes())
            except (OSError, orjson.JSONDecodeError):
                continue
            finished = status.get("finished")
            if finished and dt.datetime.fromisoformat(finished).timestamp() < cutoff:
                shutil.rmtree(f, ignore_errors=True)
                log.info("forgot job %s", f.name)

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
