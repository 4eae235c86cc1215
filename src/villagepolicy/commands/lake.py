"""check-lake: the roster check over a folder of county partitions, on Dask (local or a cluster)."""

from __future__ import annotations

import argparse
import sys

from .core import add_engine_option, add_packs_option, library_from, pack_source
from .roster import add_report_options


def cmd_check_lake(args: argparse.Namespace) -> int:
    from ..roster.distributed import check_partitions
    from .roster import check_questions, write_report

    as_of, start = args.on, args.from_
    check_questions(args.question)
    scheduler = args.scheduler
    client = None
    if scheduler and "://" in scheduler:
        try:
            from dask.distributed import Client
        except ImportError:
            print('连接集群需要 a cluster needs dask.distributed: pip install "dask[distributed]"', file=sys.stderr)
            return 2
        try:
            client = Client(scheduler)  # compute() then runs on this cluster
        except (OSError, TimeoutError) as e:
            print(f"无法连接集群 cannot connect to {scheduler}: {e}", file=sys.stderr)
            return 2
        scheduler = None
    try:  # a partition that cannot be read raises RosterError: cli.main lists its problems and exits 2
        lib = library_from(args)
        source = pack_source(args)
        report = check_partitions(
            args.root,
            as_of,
            period_from=start,
            engine=args.engine,
            questions=args.question,
            packs=str(source.folder) if source.folder is not None else None,
            scheduler=scheduler,
            attendance_months=args.format == "html",
        )
    finally:
        if client is not None:
            client.close()
    return write_report(report, lib, args)


def register(sub: argparse._SubParsersAction) -> None:
    c = sub.add_parser(
        "check-lake",
        help="分区名册核查 check a roster partitioned by county, on Dask",
        description=(
            "Check a roster kept as one folder per county (each a roster as `check` reads it), one Dask task "
            "per county; the report is the one `check` gives for all of them at once. "
            "Exit codes: villagepolicy --help."
        ),
    )
    c.add_argument("root", help="folder holding one sub-folder per county")
    add_report_options(c)
    c.add_argument(
        "--scheduler",
        help="threads, processes (default: dask's own), synchronous, or a dask.distributed scheduler address "
        "such as tcp://10.0.0.5:8786",
    )
    add_packs_option(c)
    add_engine_option(c)
    c.set_defaults(func=cmd_check_lake)
