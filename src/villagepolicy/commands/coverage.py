"""`villagepolicy coverage`: generate docs/coverage.md from the packs, or check that it is current."""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path

from ..library import shipped_root
from .core import add_packs_option, library_from, own_packs, pack_source, write_atomic, write_output


def cmd_coverage(args: argparse.Namespace) -> int:
    from ..coverage import clause_coverage, coverage_problems, load_pending, prune_pending, render_markdown
    from ..errors import VillagePolicyError

    source = pack_source(args)
    # The folder whose clauses are counted: --packs DIR (or ./ holding rules/), else the installed packs,
    # whose docs/ exist only in a source checkout.
    root = source.folder or shipped_root()
    if not (root / "docs").is_dir() and not source.folder and (not args.output or not args.pending):
        raise VillagePolicyError(
            "已安装的规则包没有 docs/ the installed packs have no docs/: run in a folder holding rules/, "
            "give --packs DIR, or give --output and --pending"
        )
    output = Path(args.output) if args.output else root / "docs" / "coverage.md"
    pending_path = Path(args.pending) if args.pending else root / "docs" / "coverage-pending.yaml"
    lib = library_from(args)
    own = own_packs(lib, source)
    if own is not None:  # only the folder's own packs: a county's coverage is not the shipped documents'
        lib = copy.copy(lib)
        lib.packs = {k: v for k, v in lib.packs.items() if k in own}
    pending = load_pending(pending_path)
    items = clause_coverage(lib, pending)
    if args.prune:
        text, removed = prune_pending(pending, items)
        write_output(text.encode("utf-8"), str(pending_path))
        for r in removed:
            print(f"removed from {pending_path.name}: {r}", file=sys.stderr)
        pending = load_pending(pending_path)
        items = clause_coverage(lib, pending)
    text = render_markdown(lib, items)
    problems = coverage_problems(lib, pending, items)
    stale = False
    if args.check:
        current = output.read_text(encoding="utf-8") if output.exists() else None
        if current != text:
            stale = True
            problems.insert(0, f"{output}: 已过期 out of date; run `villagepolicy coverage` to regenerate it")
    elif args.output == "-":
        sys.stdout.write(text)
    else:
        write_atomic(output, text, make_parents=True)  # a county folder may have no docs/ yet
    for p in problems:
        print(p, file=sys.stderr)
    counts = {s: sum(i.status == s for i in items) for s in ("cited", "not_encodable", "pending", "uncovered")}
    summary = ", ".join(f"{k} {v}" for k, v in counts.items())
    print(
        f"{len(items)} 条款 clauses: {summary}" + ("" if args.check or args.output == "-" else f" -> {output}"),
        file=sys.stderr,
    )
    return 1 if problems or stale else 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("coverage", help="条款覆盖 which clauses the packs encode: writes docs/coverage.md")
    p.add_argument(
        "-o", "--output", help="the markdown file (default docs/coverage.md of the pack folder; - for stdout)"
    )
    p.add_argument(
        "--pending",
        help="YAML of clauses awaiting another issue (default docs/coverage-pending.yaml of the pack folder)",
    )
    p.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if the file is stale or a clause is uncovered"
    )
    p.add_argument(
        "--prune", action="store_true", help="first remove pending entries whose clause is now cited or marked"
    )
    add_packs_option(p)
    p.set_defaults(func=cmd_coverage)
