"""serve: the HTTP JSON service (villagepolicy.service) on uvicorn."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile

from ..errors import VillagePolicyError
from .core import add_packs_option
from .roster import _positive


def _need_extra() -> None:
    try:
        import fastapi  # noqa: F401
        import multipart  # noqa: F401  (python-multipart: roster uploads)
        import uvicorn  # noqa: F401
    except ImportError as e:
        raise VillagePolicyError(
            f"服务需要 serve 扩展 the service needs the serve extra ({e.name} is missing): "
            "pip install 'villagepolicy[serve]'"
        ) from None


def cmd_serve(args: argparse.Namespace) -> int:
    _need_extra()
    import uvicorn

    from ..service.auth import read_token
    from ..service.config import ENV_CONFIG, ServiceConfig

    token = read_token(args.token_file) if args.token_file else None
    jobs_dir = tempfile.mkdtemp(prefix="villagepolicy-jobs-")  # 0700; shared by the worker processes
    config = ServiceConfig(
        packs=args.packs,
        max_body=args.max_body,
        max_upload=args.max_upload,
        max_extracted=args.max_extracted,
        timeout=args.timeout,
        job_threshold=args.job_threshold,
        jobs_dir=jobs_dir,
        decision_log=os.path.abspath(args.decision_log) if args.decision_log else None,
    )
    if args.host not in ("127.0.0.1", "localhost", "::1") and token is None:
        print(
            f"注意 note: 在 {args.host} 上无令牌提供服务 serving on {args.host} without --token-file: "
            "anyone who can reach this address can use the service",
            file=sys.stderr,
        )
    # Worker processes build the app from the environment (the token never appears in a process listing).
    os.environ[ENV_CONFIG] = config.model_dump_json()
    if token:
        os.environ["VILLAGEPOLICY_SERVICE_TOKEN"] = token
    from ..service import app_from_env

    app_from_env()  # load the packs once here: bad packs end now with their problems, exit 2
    print(
        f"villagepolicy serve: http://{args.host}:{args.port}/v1/ (token: {'yes' if token else 'no'})", file=sys.stderr
    )
    try:
        uvicorn.run(
            "villagepolicy.service:app_from_env",
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            log_level=args.log_level,
            server_header=False,
            timeout_graceful_shutdown=5,
        )
    finally:
        shutil.rmtree(jobs_dir, ignore_errors=True)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser(
        "serve",
        help="HTTP JSON service: decide, explain, check rosters 判定服务",
        description="Serve decisions, explanations and roster checks over HTTP (docs/service.md). "
        "Binds 127.0.0.1 unless --host says otherwise.",
    )
    s.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    s.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    s.add_argument("--workers", type=_positive, default=1, help="worker processes (default 1)")
    s.add_argument("--token-file", help="file holding the bearer token every request must carry")
    s.add_argument("--decision-log", metavar="FILE", help="append one JSON line per decision to FILE (OPA-style)")
    s.add_argument("--max-body", type=_positive, default=8 * 2**20, metavar="BYTES", help="largest JSON body (8 MiB)")
    s.add_argument(
        "--max-upload", type=_positive, default=64 * 2**20, metavar="BYTES", help="largest roster upload (64 MiB)"
    )
    s.add_argument(
        "--max-extracted",
        type=_positive,
        default=512 * 2**20,
        metavar="BYTES",
        help="most bytes a zipped roster may hold once extracted (512 MiB)",
    )
    s.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS", help="longest request, else 504 (30)")
    s.add_argument(
        "--job-threshold",
        type=int,
        default=2000,
        metavar="PEOPLE",
        help="rosters of more people are checked as background jobs: 202 and a job id (2000)",
    )
    s.add_argument(
        "--log-level",
        default="info",
        choices=["critical", "error", "warning", "info", "debug"],
        help="日志级别 uvicorn's log level (default info)",
    )
    add_packs_option(s)
    s.set_defaults(func=cmd_serve)
