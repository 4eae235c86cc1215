"""`villagepolicy lint`: static checks on packs (gaps, overlaps, unreachable rules, uncited clauses, ...)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..library import shipped_root
from ..packs.lint import LintReport, lint_pack_file, lint_tree
from .core import add_packs_option, pack_source


def cmd_lint(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths]
    reports: list[LintReport] = []
    if not paths:  # the pack source (./ or --packs); only its own files are reported
        source = pack_source(args)
        own = [source.folder] if source.folder is not None and source.include_shipped else None
        reports.append(lint_tree(source.roots, own))
    for p in paths:
        if p.is_dir():
            shipped = p.resolve() == shipped_root().resolve()
            # A user folder is linted with the shipped packs in view (its jurisdictions may name them),
            # but only its own files are reported.
            reports.append(lint_tree([p] if shipped else [shipped_root(), p], None if shipped else [p]))
        elif p.is_file():
            reports.append(lint_pack_file(p))
        else:
            print(f"{p}:1:1: 错误 error [load] 文件不存在 no such file or folder", file=sys.stderr)
            return 2
    findings = [f for r in reports for f in r.findings]
    errors = [f for f in findings if f.level == "error"]
    warnings = [f for f in findings if f.level == "warning"]
    failing = errors + warnings if args.strict else errors
    if args.json:
        print(json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2))
    else:
        for f in findings:
            if f.level == "error" or not args.quiet:
                print(f)
    print(
        f"{len(errors)} 个错误 error(s), {len(warnings)} 个警告 warning(s)"
        + ("（--strict：警告也算失败 warnings fail）" if args.strict else ""),
        file=sys.stderr,
    )
    return 1 if failing else 0


def register(sub: argparse._SubParsersAction) -> None:
    li = sub.add_parser(
        "lint",
        help="规则包静态检查 static checks on packs: gaps, overlaps, unreachable rules, uncited clauses",
        description=(
            "Errors: load problems, overlapping first-match rules, gaps in numeric tiers, undecided cases "
            "without an otherwise not_covered, unreachable rules, clauses named but missing. Warnings: clauses "
            "no rule cites (without a not_encodable mark), unused interpretations, questions a jurisdiction "
            "does not answer. Exit 1 when there are errors (or, with --strict, warnings)."
        ),
    )
    li.add_argument(
        "paths", nargs="*", help="folders holding rules/ and jurisdictions/, or pack files (default: shipped)"
    )
    li.add_argument("--strict", action="store_true", help="warnings fail too 警告也视为失败")
    li.add_argument("--json", action="store_true", help="machine-readable findings")
    li.add_argument("-q", "--quiet", action="store_true", help="print errors only (warnings are still counted)")
    add_packs_option(li)
    li.set_defaults(func=cmd_lint)
