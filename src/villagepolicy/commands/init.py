"""`villagepolicy init DIR --county ID`: a county's pack repository, ready to edit and checked by its own CI.

It writes the jurisdiction, a pack skeleton with one section marker per question, a pack test file, an
example roster and a GitHub Actions workflow that validates, lints and tests *that* folder and checks
its roster (failing on violations). The skeleton decides nothing yet: its one rule answers
`not_covered` citing the placeholder clause, so no policy is invented before the county's text is in.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path

from ..errors import BadArgument
from .core import write_atomic

ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")

JURISDICTION = """\
# 辖区 {name_zh}: which packs apply here, in precedence order (docs/pack-format.md §2).
id: {county}
name_zh: {name_zh}
name_en: {name_en}
level: county
parent: {parent}
packs:
  - pack: {pack}
    why_en: The county's own measures.
  # A shipped pack can fill the county's gaps, e.g.
  # - pack: central-2017
  #   role: fallback
  #   until: "2020-12-31"
  #   why_en: Made under the central guideline, so it fills the county's gaps until 2020.
authorities: {{}}
  # local names of the shared authority ids, e.g.
  # town_party_committee: 某某镇党委
"""

PACK_HEAD = """\
# 规则包 {name_zh}的驻村工作办法: one document, encoded (docs/pack-format.md §1).
# 1. Fill in `pack:` from the document's heading.
# 2. Copy every clause verbatim under `clauses:` (ids in the document's own numbering, always quoted).
# 3. Write rules under the marker of their question; every rule cites its clauses.
# Check each edit: villagepolicy validate && villagepolicy lint --strict && villagepolicy test --min-coverage 100
pack:
  id: {pack}
  title_zh: {name_zh}驻村工作队管理办法（请改为文件标题）
  issuer_zh: 请填写发文机关
  doc_no: null
  issued: unknown           # 发文日期 "YYYY-MM-DD"；原文没有日期时保留 unknown (date unknown)
  effective_from: "{year}-01-01"
  effective_to: null
  source: {pack}.txt

clauses:
  - id: "1"
    text_zh: "（请把条款原文逐字粘贴在这里 paste the clause text here, character for character）"
    summary_en: Placeholder until the county's text is copied in.

interpretations:
  # readings of ambiguous text, cited by the rules that rely on them

rules:
"""

PLACEHOLDER_RULE = """\
  - id: {prefix}-leave-not-yet-encoded
    question: leave_approval
    otherwise: true
    then: {{outcome: not_covered}}
    cites: ["1"]
    note_en: Placeholder; replace with the county's leave tiers (see docs/pack-format.md §4).
"""

TESTS = """\
# Pack tests for rules/{pack}.yaml (docs/pack-tests.md). Run: villagepolicy test --min-coverage 100
jurisdiction: {county}
date: "{year}-06-01"
cases:
  # ── leave_approval ──
  - name: 1 leave is not covered until the county's tiers are encoded
    question: leave_approval
    facts: {{role: team_member, days: 3}}
    expect: {{outcome: not_covered, rules: [{prefix}-leave-not-yet-encoded]}}
"""

WORKFLOW = """\
# 每次修改规则包或名册都检查这个目录 Check this folder on every change to its packs or roster.
name: villagepolicy
on:
  push:
  pull_request:
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with: {{python-version: "3.11"}}
      - run: pip install villagepolicy
      - name: 校验规则包 validate the packs of this folder
        run: villagepolicy validate --packs .
      - name: 静态检查 lint this folder's packs (errors fail; add --strict once every question is answered)
        run: villagepolicy lint --packs .
      - name: 规则包测试 pack tests with full rule coverage
        run: villagepolicy test --packs . rules-tests --engine both --min-coverage 100
      - name: 名册核查 check the roster (fails on violations)
        run: villagepolicy check --packs . roster --on {check_on} --format junit -o reports/roster.xml
"""

README = """\
# {name_zh} {name_en}: 驻村工作规则包 village work-team policy packs

由 `villagepolicy init` 生成 Written by `villagepolicy init`.

- `jurisdictions/{county}.yaml` — 辖区：适用哪些规则包 which packs apply
- `rules/{pack}.yaml` — 规则包骨架：填入文件和条款 the pack skeleton: fill in the document and its clauses
- `rules-tests/{pack}.yaml` — 规则包测试用例 pack test cases
- `roster/` — 示例名册（CSV）an example roster (CSV); replace it with the county's own
- `.github/workflows/villagepolicy.yml` — CI：检查这个目录 checks this folder, fails on violations

在这个目录中运行的命令都使用这里的规则包 Commands run in this folder use its packs:

```sh
villagepolicy validate
villagepolicy lint --strict
villagepolicy test --min-coverage 100
villagepolicy check roster --on {check_on}
```
"""


def _markers() -> str:
    from ..questions import QUESTIONS

    return "".join(f"  # ── {q} ──\n  # rules for {q} go below this line.\n" for q in QUESTIONS)


def write_repository(folder: Path, county: str, name_zh: str, name_en: str, parent: str, year: int) -> list[Path]:
    """Write the files (refusing to overwrite any); returns the paths written."""
    from ..roster.sample import generate, write_csv_folder

    pack = f"{county}-{year}"
    prefix = county.split("-")[0][:12]
    values = {
        "county": county,
        "pack": pack,
        "prefix": prefix,
        "name_zh": name_zh,
        "name_en": name_en,
        "parent": parent,
        "year": year,
        "check_on": f"{year + 1}-01-01",
    }
    marked = _markers().replace(
        "  # ── leave_approval ──\n  # rules for leave_approval go below this line.\n",
        "  # ── leave_approval ──\n  # rules for leave_approval go below this line.\n"
        + PLACEHOLDER_RULE.format(**values),
    )
    files = {
        folder / "jurisdictions" / f"{county}.yaml": JURISDICTION.format(**values),
        folder / "rules" / f"{pack}.yaml": PACK_HEAD.format(**values) + marked,
        folder / "rules-tests" / f"{pack}.yaml": TESTS.format(**values),
        folder / ".github" / "workflows" / "villagepolicy.yml": WORKFLOW.format(**values),
        folder / "README.md": README.format(**values),
    }
    existing = [p for p in [*files, folder / "roster"] if p.exists()]
    if existing:
        raise BadArgument(
            "DIR",
            f"已有文件，未写入任何内容 {existing[0]} exists",
            f"{existing[0]} already exists; nothing was written",
        )
    for path, text in files.items():
        write_atomic(path, text, make_parents=True)
    # Three people of one village, no planted violation (the sample's first village is always clean).
    write_csv_folder(generate(county, 3, year, seed=0), folder / "roster")
    return [*files, folder / "roster"]


def cmd_init(args: argparse.Namespace) -> int:
    from ..calendar import covered_years

    if not ID.match(args.county):
        raise BadArgument(
            "--county",
            f"编号只能用小写字母、数字和 - _ . ：{args.county!r}",
            f"an id is lower case letters, digits, - _ . : {args.county!r}",
        )
    lo, hi = covered_years()
    year = args.year or min(dt.date.today().year - 1, hi)
    if not lo <= year <= hi - 1:
        raise BadArgument("--year", f"工作日历只覆盖 {lo}–{hi}", f"the working-day calendar covers {lo}–{hi}")
    folder = Path(args.folder)
    written = write_repository(
        folder, args.county, args.name_zh or args.county, args.name_en or args.county, args.parent, year
    )
    for p in written:
        print(f"已写入 wrote {p}")
    print(f"下一步 next: cd {folder} && villagepolicy validate && villagepolicy test")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "init",
        help="新建县级规则包仓库 a county's pack repository, ready to edit",
        description="Write DIR/jurisdictions/ID.yaml, DIR/rules/ID-YEAR.yaml (a skeleton with one marker per "
        "question), DIR/rules-tests/, an example roster in DIR/roster/ and a CI workflow that checks DIR. "
        "Nothing is overwritten.",
    )
    p.add_argument("folder", metavar="DIR", help="新目录 the folder to create (must not hold these files yet)")
    p.add_argument("--county", required=True, metavar="ID", help="县的编号 the county's id: lower case, digits, - _ .")
    p.add_argument("--name-zh", help="县的中文名 the county's Chinese name (default: the id)")
    p.add_argument("--name-en", help="县的英文名 the county's English name (default: the id)")
    p.add_argument("--parent", default="central", help="上级辖区 the parent jurisdiction's id (default central)")
    p.add_argument(
        "--year", type=int, help="规则包年份 the pack's year, also the example roster's (default: last year)"
    )
    p.set_defaults(func=cmd_init)
