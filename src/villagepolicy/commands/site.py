"""`villagepolicy site -o DIR`: the static pack site (documents, clauses beside rules, tests, coverage, search)."""

from __future__ import annotations

import argparse
from pathlib import Path

from .core import add_packs_option, library_from


def cmd_site(args: argparse.Namespace) -> int:
    from ..pages import build_site
    from .packtest import default_tests

    lib = library_from(args)
    tests = Path(args.tests) if args.tests else default_tests()
    written = build_site(lib, Path(args.output), args.lang, tests)
    print(f"已写入 wrote {len(written)} 个页面 pages to {args.output} (open {Path(args.output) / 'index.html'})")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("site", help="规则包网站 a static site of the packs", description=__doc__)
    p.add_argument("-o", "--output", required=True, help="输出目录 folder to write the pages into")
    p.add_argument(
        "--lang", default="zh", choices=["zh", "en"], help="页面语言 language of the pages: zh (default) or en"
    )
    p.add_argument("--tests", help="pack test files or folder shown with their results (default: rules-tests/)")
    add_packs_option(p)
    p.set_defaults(func=cmd_site)
