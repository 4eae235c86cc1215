"""`villagepolicy test`: run YAML pack test cases, with rule and clause coverage."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .core import add_engine_option, add_packs_option, library_from, own_packs, pack_source


def default_tests() -> Path:
    from ..library import shipped_root

    return shipped_root() / "rules-tests"


def cmd_test(args: argparse.Namespace) -> int:
    from ..packtest import PackTestError, coverage, find_test_files, read_cases, run_case

    lib = library_from(args)
    source = pack_source(args)
    local_tests = source.folder / "rules-tests" if source.folder is not None else None
    default = local_tests if local_tests is not None and local_tests.is_dir() else default_tests()
    paths = [Path(p) for p in args.paths] or [default]
    try:
        cases = [c for f in find_test_files(paths) for c in read_cases(f)]
    except PackTestError as e:
        for p in e.problems:
            print(p, file=sys.stderr)
        return 2
    if args.question:
        cases = [c for c in cases if c.question in args.question]
    if args.engine != "case":
        engines = ["durable", "reference"] if args.engine == "both" else [args.engine]
        cases = [c.__class__(**{**c.__dict__, "engine": e}) for c in cases for e in engines]
    runs = [run_case(lib, c) for c in cases]
    failed = [r for r in runs if not r.passed]
    last_file = None
    for r in runs:
        if r.passed and not args.verbose:
            continue
        if r.case.file != last_file:
            print(r.case.file)
            last_file = r.case.file
        tag = f" [{r.case.engine}]" if args.engine == "both" else ""
        print(f"  {'✓' if r.passed else '✗'} {r.case.name}{tag}" + ("" if r.passed else f"  ({r.case.where})"))
        for f in r.failures:
            print(f"      {f}")
    print(f"用例 cases: {len(runs)} · 通过 passed {len(runs) - len(failed)} · 失败 failed {len(failed)}")
    code = 1 if failed else 0
    if args.coverage or args.min_coverage is not None:
        # With a folder of one's own packs, coverage counts that folder's rules only.
        cov = coverage(lib, runs, args.question, only=own_packs(lib, source))
        covered = sum(cov.rules.values())
        print(f"规则覆盖率 rule coverage: {cov.percent:.1f}% ({covered}/{len(cov.rules)})")
        if args.coverage:
            missing = [k for k, v in cov.rules.items() if not v]
            if missing:
                print("  没有用例的规则 rules no case exercises:")
                for pack, rule in missing:
                    lp = lib.packs[pack]
                    line = next((cr.line for cr in lp.rules if cr.rule.id == rule), 0)
                    print(f"    {lp.file}:{line}: {pack} {rule}")
            ccount = sum(cov.clauses.values())
            print(
                f"条款覆盖率 clause coverage: {cov.clause_percent:.1f}% ({ccount}/{len(cov.clauses)}; "
                f"{cov.not_encodable} marked not_encodable are left out)"
            )
            by_pack: dict[str, list[str]] = {}
            for (pack, clause), hit in cov.clauses.items():
                if not hit:
                    by_pack.setdefault(pack, []).append(clause)
            if by_pack:
                print("  没有用例引用的条款 clauses no case exercises:")
                for pack, ids in by_pack.items():
                    print(f"    {pack}: {', '.join(ids)}")
        if args.min_coverage is not None and cov.percent + 1e-9 < args.min_coverage:
            print(
                f"规则覆盖率低于 rule coverage below --min-coverage {args.min_coverage:g}%: {cov.percent:.1f}%",
                file=sys.stderr,
            )
            code = 1
    return code


def register(sub: argparse._SubParsersAction) -> None:
    t = sub.add_parser(
        "test",
        help="运行规则包测试用例 run YAML pack test cases",
        description="Run YAML test cases (docs/pack-tests.md). Exit 1 on a failing case or low coverage; "
        "exit codes: villagepolicy --help.",
    )
    t.add_argument(
        "paths",
        nargs="*",
        help="test files or folders (default: rules-tests/ of the pack folder, else the shipped ones)",
    )
    t.add_argument("--coverage", action="store_true", help="list the rules and clauses no case exercises")
    t.add_argument("--min-coverage", type=float, metavar="N", help="fail when rule coverage is below N percent")
    t.add_argument(
        "--question",
        action="append",
        metavar="QUESTION",
        help="only cases (and coverage) of this question; repeatable",
    )
    add_engine_option(
        t,
        "case",
        "both",
        default="case",
        extra_help="; case: the engine each case names; both: every case on both engines",
    )
    t.add_argument("-v", "--verbose", action="store_true", help="list passing cases too")
    add_packs_option(t)
    t.set_defaults(func=cmd_test)
