"""Decision logs in the manner of Open Policy Agent's: one JSON line per decision, appended to a file.

Each line holds an id (also sent to the client as X-Decision-Id for a single decision), the time,
the path, jurisdiction, question, date and engine, the facts as received (`input`) and the whole
decision (`result`). Facts may name people: the file is created readable by its owner only.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import threading
from pathlib import Path
from typing import Any

import orjson


class DecisionLog:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        self.file = os.fdopen(fd, "ab", buffering=0)
        self.lock = threading.Lock()

    def write(
        self, path: str, jurisdiction: str, question: str, engine: str, pairs: list[tuple[Any, dict[str, Any]]]
    ) -> list[str]:
        """Log each (facts, decision dict) pair; returns their decision ids. One write per call, whole lines."""
        now = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
        ids, lines = [], []
        for facts, decision in pairs:
            decision_id = secrets.token_hex(12)
            ids.append(decision_id)
            entry = {
                "decision_id": decision_id,
                "timestamp": now,
                "path": path,
                "jurisdiction": jurisdiction,
                "question": question,
                "on": decision.get("on"),
                "engine": engine,
                "input": facts,
                "result": decision,
            }
            lines.append(orjson.dumps(entry, default=str))
        with self.lock:
            self.file.write(b"\n".join(lines) + b"\n")
        return ids

    def close(self) -> None:
        self.file.close()
