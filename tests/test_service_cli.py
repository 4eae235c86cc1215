"""`villagepolicy serve` as a user starts it (a subprocess), and the README's curl lines against it."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

from livekit import call, multipart  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "readme-token-0123456789abcdefghij"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(*args: str, token: str | None = None) -> Iterator[int]:
    port = _free_port()
    cmd = [sys.executable, "-m", "villagepolicy.cli", "serve", "--port", str(port), "--log-level", "warning", *args]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if call(port, "GET", "/health", token=token).status == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                out = proc.stdout.read().decode() if proc.stdout else ""
                raise RuntimeError(f"serve did not start: {out}")
            time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        proc.wait(20)


def readme_curl_lines() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Service", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the README's Service section has a sh block"
    return [line for line in block.group(1).splitlines() if line.startswith("curl ")]


def run_curl(line: str, port: int, token_file: Path) -> str:
    line = line.replace("http://127.0.0.1:8000", f"http://127.0.0.1:{port}").replace("vp-token", str(token_file))
    done = subprocess.run(["bash", "-c", line], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_the_readme_curl_lines_work_with_and_without_a_token(tmp_path: Path) -> None:
    lines = readme_curl_lines()
    plain = [x for x in lines if "Authorization" not in x]
    with_token = [x for x in lines if "Authorization" in x]
    assert plain and with_token
    token_file = tmp_path / "vp-token"
    token_file.write_text(TOKEN + "\n")
    token_file.chmod(0o600)
    with serve() as port:
        for line in plain:
            d = json.loads(run_curl(line, port, token_file))
            assert d["outcome"] == "approve" and d["approvers"] == ["county_org_dept"]
    with serve("--token-file", str(token_file), token=TOKEN) as port:
        decide, check = with_token[0], with_token[-1]
        d = json.loads(run_curl(decide, port, token_file))
        assert d["outcome"] == "approve" and d["approvers"] == ["county_org_dept"]
        report = json.loads(run_curl(check, port, token_file))
        assert report["roster"] == "shiquan.xlsx" and report["counts"]["violation"] > 0
        refused = json.loads(run_curl(plain[0], port, token_file))  # the same request without the token
        assert refused["error"] == "unauthorized"


def test_serve_refuses_a_short_token_with_exit_2(tmp_path: Path) -> None:
    short = tmp_path / "token"
    short.write_text("abc\n")
    done = subprocess.run(
        [sys.executable, "-m", "villagepolicy.cli", "serve", "--token-file", str(short)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "token" in done.stderr and "Traceback" not in done.stderr


def test_two_workers_share_jobs_and_answer_alike(tmp_path: Path) -> None:
    book = ROOT / "examples/rosters/central.xlsx"
    with serve("--workers", "2", "--job-threshold", "0") as port:
        body, ctype = multipart({"as_of": "2020-01-01"}, {"roster": ("central.xlsx", book.read_bytes())})
        accepted = call(port, "POST", "/v1/checks", raw=body, headers={"content-type": ctype})
        assert accepted.status == 202
        job = accepted.json()
        deadline = time.monotonic() + 120
        # Each poll is a new connection, served by either worker: the job's state is on disk.
        while (status := call(port, "GET", job["status_url"]).json())["status"] in ("queued", "running"):
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert status["status"] == "done"
        report = call(port, "GET", job["result_url"]).json()
        assert report["roster"] == "central.xlsx" and report["people"] == 31
        answers = {
            call(
                port,
                "POST",
                "/v1/jurisdictions/central/questions/leave_approval/decide",
                {"facts": {"role": "first_secretary", "days": 3}, "on": "2020-01-01"},
            ).body  # fmt: skip
            for _ in range(6)
        }
        assert len(answers) == 1
    assert os.environ.get("VILLAGEPOLICY_SERVICE_TOKEN") is None  # the parent test process is untouched
